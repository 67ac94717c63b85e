import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, chmodSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { resolveRun } from '../../src/git/resolve-run';
import { ReviewWorkspace } from '../../src/git/review-workspace';
import { listChanges, parseRawNumstat, filePatch, type FileChange } from '../../src/git/changes';
import { treeFiles } from '../../src/git/tree-files';
import { git, scratch, write } from './helpers';
import { gitNumstat } from '../harness/git-oracle';

/** What plain `git diff --numstat -M <base>` lists for the working tree, untracked files included (intent-to-add). */
function gitOracle(dir: string, base: string): Map<string, string> {
  git(dir, 'add', '-A', '--intent-to-add', '.'); // only the test's own copy
  return gitNumstat(dir, base);
}

describe('listing changes on awkward repositories', () => {
  const s = scratch('seb-awkward-');
  const dir = path.join(s.dir, 'run');
  let base = '';
  let changes: FileChange[] = [];
  const by = (p: string) => changes.find(c => c.path === p);

  before(async () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i} of a file that will be renamed with a small edit`).join('\n') + '\n';
    write(dir, 'with space.ts', 'a\n');
    write(dir, 'ünïcødé/файл.ts', 'b\n');
    write(dir, '-leading-dash.ts', 'c\n');
    write(dir, 'old/name.ts', long);
    write(dir, 'image.bin', Buffer.from([0, 1, 2, 3, 255, 0, 7]));
    write(dir, 'empty-before.txt', '');
    write(dir, 'crlf.txt', 'one\r\ntwo\r\nthree\r\n');
    write(dir, 'gone.ts', 'deleted\n');
    write(dir, 'script.sh', 'echo hi\n');
    write(dir, 'target.txt', 'target\n');
    symlinkSync('target.txt', path.join(dir, 'link'));
    git(s.dir, 'init', '-q', dir);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    base = git(dir, 'rev-parse', 'HEAD');
    // the run, left uncommitted in the working tree
    write(dir, 'with space.ts', 'a\nmore\n');
    write(dir, 'ünïcødé/файл.ts', 'b changed\n');
    write(dir, '-leading-dash.ts', 'c\nd\n');
    execFileSync('rm', [path.join(dir, 'old/name.ts')]);
    write(dir, 'new/name.ts', long.replace('line 3 of', 'line three of'));
    write(dir, 'image.bin', Buffer.from([0, 9, 9, 9, 255, 0, 7, 8]));
    write(dir, 'empty-new.txt', '');
    write(dir, 'empty-before.txt', 'now has text\n');
    write(dir, 'crlf.txt', 'one\r\ntwo changed\r\nthree\r\n');
    write(dir, 'new\nline.ts', 'a newline in the name\n');
    execFileSync('rm', [path.join(dir, 'gone.ts')]);
    chmodSync(path.join(dir, 'script.sh'), 0o755);
    execFileSync('rm', [path.join(dir, 'link')]);
    symlinkSync('with space.ts', path.join(dir, 'link'));
    const run = await resolveRun(dir);
    const ws = await ReviewWorkspace.open(run);
    try {
      changes = await listChanges(ws);
    } finally {
      await ws.dispose();
    }
  });
  after(() => s.done());

  test('names with spaces, unicode, a newline and a leading dash come through intact', () => {
    for (const p of ['with space.ts', 'ünïcødé/файл.ts', '-leading-dash.ts', 'new\nline.ts']) assert.ok(by(p), `${JSON.stringify(p)} listed`);
    assert.deepEqual([by('with space.ts')?.additions, by('with space.ts')?.deletions], [1, 0]);
    assert.equal(by('-leading-dash.ts')?.status, 'modified');
    assert.equal(by('new\nline.ts')?.status, 'added');
  });

  test('renames carry the old path and the similarity; deletions and additions their status', () => {
    const r = by('new/name.ts');
    assert.equal(r?.status, 'renamed');
    assert.equal(r?.oldPath, 'old/name.ts');
    assert.ok((r?.similarity ?? 0) >= 90, String(r?.similarity));
    assert.deepEqual([r?.additions, r?.deletions], [1, 1]);
    assert.equal(by('gone.ts')?.status, 'deleted');
    assert.equal(by('gone.ts')?.newMode, '000000');
  });

  test('binary files, empty files, mode changes, symlinks and CRLF files', () => {
    assert.equal(by('image.bin')?.binary, true);
    assert.deepEqual([by('image.bin')?.additions, by('image.bin')?.deletions], [0, 0]);
    assert.equal(by('empty-new.txt')?.status, 'added');
    assert.deepEqual([by('empty-new.txt')?.additions, by('empty-new.txt')?.binary], [0, false]);
    assert.deepEqual([by('empty-before.txt')?.status, by('empty-before.txt')?.additions], ['modified', 1]);
    const sh = by('script.sh');
    assert.deepEqual([sh?.status, sh?.oldMode, sh?.newMode, sh?.additions, sh?.deletions], ['modified', '100644', '100755', 0, 0]);
    const link = by('link');
    assert.deepEqual([link?.oldMode, link?.newMode, link?.status], ['120000', '120000', 'modified']);
    assert.deepEqual([by('crlf.txt')?.additions, by('crlf.txt')?.deletions], [1, 1]);
    assert.equal(by('target.txt'), undefined, 'unchanged files are not listed');
  });

  test('the list is exactly what git diff --numstat -M lists for the same trees', () => {
    const copy = path.join(s.dir, 'oracle');
    execFileSync('cp', ['-a', dir, copy]);
    const oracle = gitOracle(copy, base);
    assert.deepEqual([...oracle.keys()].sort(), changes.map(c => c.path).sort());
    for (const c of changes) {
      assert.equal(oracle.get(c.path), c.binary ? '-\t-' : `${c.additions}\t${c.deletions}`, c.path);
    }
  });

  test('the run and its index are left as they were: the snapshot lives outside the repository', () => {
    const status = git(dir, 'status', '--porcelain');
    assert.match(status, /\?\? "?new\\nline\.ts"?|new\\nline/); // still untracked: nothing was added to the real index
    const objects = readdirSync(path.join(dir, '.git', 'objects')).filter(d => /^[0-9a-f]{2}$/.test(d));
    const blobOfNewFile = git(dir, 'hash-object', '--no-filters', 'empty-before.txt');
    assert.ok(!objects.includes(blobOfNewFile.slice(0, 2)) || !existsSync(path.join(dir, '.git', 'objects', blobOfNewFile.slice(0, 2), blobOfNewFile.slice(2))),
      'the working tree\'s new blobs were not written into the run\'s object store');
    assert.ok(statSync(path.join(dir, '.git', 'index')).isFile());
  });
});

describe('parsing and patches', () => {
  test('raw + numstat records are paired in order, renames with their two paths', () => {
    const z = [
      ':100644 100644 aaa bbb M', 'a.ts',
      ':100644 100644 ccc ddd R091', 'old.ts', 'new.ts',
      ':000000 100755 000 eee A', 'tool.sh',
      ':100644 000000 fff 000 D', 'bin.png',
      '3\t1\ta.ts', '2\t2\t', 'old.ts', 'new.ts', '1\t0\ttool.sh', '-\t-\tbin.png', '',
    ].join('\0');
    const c = parseRawNumstat(z);
    assert.deepEqual(c.map(x => [x.status, x.path, x.oldPath, x.similarity, x.additions, x.deletions, x.binary]), [
      ['modified', 'a.ts', undefined, undefined, 3, 1, false],
      ['renamed', 'new.ts', 'old.ts', 91, 2, 2, false],
      ['added', 'tool.sh', undefined, undefined, 1, 0, false],
      ['deleted', 'bin.png', undefined, undefined, 0, 0, true],
    ]);
    assert.deepEqual(parseRawNumstat(''), []);
  });

  test('a file patch and the tree listing read both trees through the workspace', async () => {
    const s = scratch('seb-patch-');
    try {
      const dir = path.join(s.dir, 'r');
      git(s.dir, 'init', '-q', dir);
      write(dir, 'a.ts', 'one\ntwo\n');
      write(dir, 'pic.bin', Buffer.from([0, 1, 2]));
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'base');
      write(dir, 'a.ts', 'one\nTWO\nthree\n');
      const run = await resolveRun(dir);
      const ws = await ReviewWorkspace.open(run);
      try {
        const [change] = await listChanges(ws);
        assert.ok(change);
        const patch = await filePatch(ws, change);
        assert.match(patch, /^diff --git a\/a\.ts b\/a\.ts/m);
        assert.match(patch, /^-two$/m);
        assert.match(patch, /^\+TWO$/m);
        const files = await treeFiles(ws, 'run');
        assert.deepEqual(files.map(f => [f.path, f.lines, f.bytes]), [['a.ts', 3, 14], ['pic.bin', undefined, 3]]);
        assert.equal(readFileSync(path.join(dir, 'a.ts'), 'utf8'), 'one\nTWO\nthree\n');
      } finally {
        await ws.dispose();
      }
    } finally {
      s.done();
    }
  });
});
