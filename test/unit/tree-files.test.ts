import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { summariseSizes } from '../../src/core/size-summary';
import { listChangeList } from '../../src/git/changes';
import { observeGitInvocations } from '../../src/git/git-runner';
import { openReview } from '../../src/git/open-review';
import { resolveRunIn, type ResolveOptions } from '../../src/git/resolve-run';
import { ReviewWorkspace } from '../../src/git/review-workspace';
import { EMPTY_TREE, sizedSides, treeFiles } from '../../src/git/tree-files';
import { git, scratch, write } from './helpers';

/**
 * sizedSides derives most line counts from the change listing; treeFiles counts every file of a side with git. Both
 * must give the same files, sizes and line counts (undefined for binary files), whatever the change.
 */
async function bothWays(dir: string, options: ResolveOptions = {}): Promise<{ numstats: string[][] }> {
  const { run, repo } = await resolveRunIn(dir, options);
  const ws = await ReviewWorkspace.open(run, {}, repo);
  try {
    const { changes } = await listChangeList(ws);
    const [baseline, head] = await Promise.all([treeFiles(ws, 'baseline'), treeFiles(ws, 'run')]);
    const numstats: string[][] = [];
    const stop = observeGitInvocations(i => {
      if (i.args.includes('--numstat')) numstats.push([...i.args]);
    });
    let derived;
    try {
      derived = await sizedSides(ws, changes);
    } finally {
      stop();
    }
    assert.deepEqual(derived.baseline, baseline, 'the baseline');
    assert.deepEqual(derived.run, head, 'the run');
    assert.deepEqual(summariseSizes(derived.baseline, derived.run), summariseSizes(baseline, head));
    return { numstats };
  } finally {
    await ws.dispose();
  }
}

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');

describe('the size summary from the change listing (sizedSides) equals counting both trees (treeFiles)', () => {
  const s = scratch('seb-tree-files-');
  after(() => s.done());

  test('every kind of change, uncommitted in the working tree', async () => {
    const dir = path.join(s.dir, 'awkward');
    const long = lines(40, 'a line of a file that is renamed with a small edit');
    write(dir, 'same.ts', lines(7));
    write(dir, 'twin-a.ts', lines(3, 'twin'));
    write(dir, 'twin-b.ts', lines(3, 'twin'));
    write(dir, 'with space.ts', 'a\n');
    write(dir, 'ünïcødé/файл.ts', 'b\n');
    write(dir, 'old/name.ts', long);
    write(dir, 'moved/exact.ts', lines(5, 'exact'));
    write(dir, 'image.bin', Buffer.from([0, 1, 2, 3, 255, 0, 7]));
    write(dir, 'becomes-binary.txt', lines(4));
    write(dir, 'becomes-text.bin', Buffer.from([0, 0, 1]));
    write(dir, 'empty-before.txt', '');
    write(dir, 'no-newline.txt', 'one\ntwo');
    write(dir, 'crlf.txt', 'one\r\ntwo\r\nthree\r\n');
    write(dir, 'gone.ts', 'deleted\n');
    write(dir, 'gone-twin.ts', lines(7));
    write(dir, 'script.sh', 'echo hi\n');
    write(dir, 'target.txt', 'target\n');
    write(dir, 'file-to-link.txt', lines(2));
    symlinkSync('target.txt', path.join(dir, 'link'));
    symlinkSync('target.txt', path.join(dir, 'link-to-file'));
    git(s.dir, 'init', '-q', dir);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    write(dir, 'with space.ts', 'a\nmore\n');
    write(dir, 'ünïcødé/файл.ts', 'b changed\n');
    rmSync(path.join(dir, 'old/name.ts'));
    write(dir, 'new/name.ts', long.replace('line 3 of', 'line three of'));
    rmSync(path.join(dir, 'moved/exact.ts'));
    write(dir, 'moved/elsewhere/exact.ts', lines(5, 'exact'));
    write(dir, 'image.bin', Buffer.from([0, 9, 9, 9, 255, 0, 7, 8]));
    write(dir, 'becomes-binary.txt', Buffer.from([0, 1, 2]));
    write(dir, 'becomes-text.bin', lines(9));
    write(dir, 'empty-before.txt', 'now has text\n');
    write(dir, 'empty-new.txt', '');
    write(dir, 'no-newline.txt', 'one\ntwo\nthree');
    write(dir, 'crlf.txt', 'one\r\ntwo changed\r\nthree\r\n');
    write(dir, 'new\nline.ts', 'a newline in the name\n');
    write(dir, 'twin-c.ts', lines(3, 'twin'));
    write(dir, 'added-binary.bin', Buffer.from([1, 0, 1]));
    rmSync(path.join(dir, 'gone.ts'));
    rmSync(path.join(dir, 'gone-twin.ts'));
    chmodSync(path.join(dir, 'script.sh'), 0o755);
    rmSync(path.join(dir, 'link'));
    symlinkSync('with space.ts', path.join(dir, 'link'));
    rmSync(path.join(dir, 'file-to-link.txt'));
    symlinkSync('target.txt', path.join(dir, 'file-to-link.txt'));
    rmSync(path.join(dir, 'link-to-file'));
    write(dir, 'link-to-file', lines(6));
    await bothWays(dir);
  });

  test('a baseline in a separate checkout, and a committed run', async () => {
    const base = path.join(s.dir, 'base-checkout');
    const dir = path.join(s.dir, 'committed');
    for (const d of [base, dir]) {
      write(d, 'kept.ts', lines(12));
      write(d, 'edited.ts', lines(30));
      write(d, 'pic.bin', Buffer.from([0, 1]));
      git(s.dir, 'init', '-q', d);
      git(d, 'add', '-A');
      git(d, 'commit', '-q', '-m', 'baseline');
    }
    write(dir, 'edited.ts', lines(30).replace('line 7\n', 'line seven\nline 7 and a half\n'));
    write(dir, 'added.ts', lines(4));
    rmSync(path.join(dir, 'pic.bin'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'the run');
    await bothWays(dir, { baselinePath: base });
    await bothWays(dir);
  });

  test('a run that replaces every file has git count only what the changes cannot tell, naming those files', async () => {
    const dir = path.join(s.dir, 'replaced');
    for (let i = 0; i < 20; i++) write(dir, `v1/file-${i}.js`, lines(10 + i));
    write(dir, 'kept.js', lines(3));
    write(dir, 'edited.js', lines(8));
    git(s.dir, 'init', '-q', dir);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    rmSync(path.join(dir, 'v1'), { recursive: true });
    for (let i = 0; i < 20; i++) write(dir, `v2/module-${i}.js`, lines(5 + 2 * i, 'new'));
    write(dir, 'edited.js', lines(9));
    const { numstats } = await bothWays(dir);
    const againstEmpty = numstats.filter(a => a.includes(EMPTY_TREE));
    assert.equal(againstEmpty.length, 1, `one count, of the baseline's files still in the run: ${JSON.stringify(numstats)}`);
    const named = againstEmpty[0]?.slice((againstEmpty[0]?.indexOf('--') ?? 0) + 1).sort();
    assert.deepEqual(named, ['edited.js', 'kept.js']);
  });

  test('a run that edits a few of many files counts the baseline once and never the run', async () => {
    const dir = path.join(s.dir, 'few-edits');
    for (let i = 0; i < 30; i++) write(dir, `src/file-${i}.ts`, lines(i + 1));
    git(s.dir, 'init', '-q', dir);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    write(dir, 'src/file-3.ts', lines(2));
    write(dir, 'src/file-4.ts', lines(40));
    const { numstats } = await bothWays(dir);
    const againstEmpty = numstats.filter(a => a.includes(EMPTY_TREE));
    assert.equal(againstEmpty.length, 1, JSON.stringify(numstats));
    assert.ok(!againstEmpty[0]?.includes('--'), 'most of the tree: counted whole, not path by path');
  });

  test('openReview gives the summary of both trees, listed early or not', async () => {
    const dir = path.join(s.dir, 'few-edits');
    for (const sizesAtOnce of [false, true]) {
      const review = await openReview(dir, { sizesAtOnce });
      try {
        const [b, h] = await Promise.all([treeFiles(review.workspace, 'baseline'), treeFiles(review.workspace, 'run')]);
        assert.deepEqual(await review.sizes(), summariseSizes(b, h));
      } finally {
        await review.workspace.dispose();
      }
    }
  });
});
