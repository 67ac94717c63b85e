import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import path from 'node:path';
import { observeGitInvocations, type GitInvocation } from '../../src/git/git-runner';
import { resolveRunIn } from '../../src/git/resolve-run';
import { ReviewWorkspace } from '../../src/git/review-workspace';
import { filePatch, listChangeList } from '../../src/git/changes';
import { sizedSides, treeFiles } from '../../src/git/tree-files';
import { git, repoWith, scratch, write } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';

const inside = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * A configuration no git can read: any git command that loads it as a repository's configuration dies ("expected git
 * repo version <= 1", "bad config line"). Every flow below succeeding is the proof that none does.
 */
function poisonConfig(gitDir: string): void {
  appendFileSync(path.join(gitDir, 'config'), '[core]\n\trepositoryformatversion = 999\n[include]\n\tpath = /nonexistent/include\n[[[ not a config line\n');
}

/** Every flow SEB Review runs git for: resolve, snapshot a dirty tree, list, patch, sizes, blobs. */
async function everyFlow(runDir: string): Promise<{ changed: string[] }> {
  const { run, repo } = await resolveRunIn(runDir);
  const ws = await ReviewWorkspace.open(run, {}, repo);
  try {
    const { changes } = await listChangeList(ws);
    for (const c of changes) await filePatch(ws, c);
    await Promise.all([treeFiles(ws, 'baseline'), treeFiles(ws, 'run'), sizedSides(ws, changes)]);
    const read = await ws.reader('baseline').read('a.ts');
    assert.ok(read.ok);
    return { changed: changes.map(c => c.path).sort() };
  } finally {
    await ws.dispose();
  }
}

describe('no git command reads a reviewed repository\'s configuration', () => {
  const s = scratch('seb-invocations-');
  after(() => s.done());

  const run = path.join(s.dir, 'run');
  const frozen = path.join(s.dir, 'frozen');
  before(() => {
    repoWith(frozen, [{ 'a.ts': 'export const a = 1;\n', 'b.ts': 'b\n' }]);
    repoWith(run, [{ 'a.ts': 'export const a = 1;\n', 'b.ts': 'b\n' }, { 'a.ts': 'export const a = 2;\n' }]);
    write(run, 'untracked.ts', 'new\n');
    write(run, 'b.ts', 'b changed\n');
    writeFileSync(path.join(run, 'seb-run.json'), JSON.stringify({ runId: 'poisoned', baseline: { path: '../frozen' } }));
    poisonConfig(path.join(run, '.git'));
    poisonConfig(path.join(frozen, '.git'));
  });

  test('with both repositories\' configs unreadable by git, every flow works, and each git process ran on SEB Review\'s own git directory', async () => {
    const seen: Array<GitInvocation & { config: string }> = [];
    // the configuration git will read, taken as the process starts (the folder is gone once the workspace is disposed)
    const stop = observeGitInvocations(i => seen.push({ ...i, config: readFileSync(path.join(i.env.GIT_DIR ?? '', 'config'), 'utf8') }));
    const before = [snapshotTree(run), snapshotTree(frozen)];
    let result;
    try {
      result = await everyFlow(run);
    } finally {
      stop();
    }
    assert.deepEqual(result.changed, ['a.ts', 'b.ts', 'seb-run.json', 'untracked.ts']);
    assert.deepEqual(snapshotDiff(before[0] ?? new Map(), snapshotTree(run)), []);
    assert.deepEqual(snapshotDiff(before[1] ?? new Map(), snapshotTree(frozen)), []);
    assert.ok(seen.length >= 6, `only ${seen.length} git processes were observed`);
    const commands = new Set(seen.map(i => i.args.find(a => !a.startsWith('-'))));
    for (const c of ['log', 'ls-files', 'diff-files', 'diff-index', 'update-index', 'write-tree', 'diff-tree', 'ls-tree', 'cat-file']) {
      assert.ok(commands.has(c), `${c} was exercised`);
    }
    for (const i of seen) {
      const what = i.args.join(' ');
      assert.ok(path.isAbsolute(i.executable), `${what}: git by absolute path`);
      const gitDir = i.env.GIT_DIR ?? '';
      assert.ok(gitDir !== '' && !inside(run, gitDir) && !inside(frozen, gitDir), `${what}: GIT_DIR ${gitDir} is SEB Review's own`);
      assert.ok(i.config.includes('repositoryformatversion = 0') && !i.config.includes('999'), `${what}: the owned config`);
      assert.ok(!inside(run, i.cwd) && !inside(frozen, i.cwd), `${what}: working folder ${i.cwd} outside both repositories`);
      const command = i.args.find(a => !a.startsWith('-')) ?? '';
      if (['diff-tree', 'ls-tree', 'cat-file'].includes(command)) {
        // reads of objects see no working tree and no index, so no .gitattributes of the run applies
        assert.equal(i.env.GIT_WORK_TREE, undefined, `${what}: no work tree`);
        assert.ok(!existsSync(i.env.GIT_INDEX_FILE ?? ''), `${what}: no index`);
      } else {
        assert.ok([run, frozen].includes(i.env.GIT_WORK_TREE ?? ''), `${what}: the work tree is the run or the baseline checkout`);
      }
      const index = i.env.GIT_INDEX_FILE ?? run;
      assert.ok(!inside(run, index) && !inside(frozen, index), `${what}: the index is a copy`);
      assert.equal(i.env.GIT_CONFIG_NOSYSTEM, '1');
      assert.equal(i.env.GIT_CONFIG_GLOBAL, devNull);
      assert.equal(i.env.GIT_ALLOW_PROTOCOL, '', `${what}: no transport allowed`);
      assert.equal(i.env.GIT_NO_LAZY_FETCH, '1');
      for (const k of Object.keys(i.env)) {
        assert.ok(!/^GIT_(CONFIG_(PARAMETERS|COUNT|KEY|VALUE)|EXEC_PATH|SSH|EXTERNAL_DIFF|PAGER|ASKPASS|COMMON_DIR)/.test(k), `${what}: ${k} is not passed`);
      }
      for (const flag of ['-c', '-C', '--git-dir', '--work-tree', '--exec-path', '--config-env']) {
        assert.ok(!i.args.some(a => a === flag || a.startsWith(`${flag}=`)), `${what}: no ${flag}`);
      }
      // objects are read from the repositories, never written there: writers get no alternates
      if (['update-index', 'write-tree'].includes(command)) {
        assert.equal(i.env.GIT_ALTERNATE_OBJECT_DIRECTORIES, undefined, `${what}: a writer reaches no repository's objects`);
      }
    }
    const observed = new Set(seen.map(i => i.env.GIT_DIR));
    for (const d of observed) assert.throws(() => readdirSync(d ?? ''), /ENOENT/, `${d} was removed when the workspace was disposed`);
  });

  test('plain git really cannot read those configs (so the test above would fail if anything did)', () => {
    assert.throws(() => git(run, 'status'), /repositoryformatversion|repo version|bad config/);
  });

  test('only src/git/git-runner.ts starts processes', () => {
    const src = path.resolve(__dirname, '..', '..', '..', 'src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts') && /from ['"](node:)?child_process['"]|require\(['"](node:)?child_process/.test(readFileSync(full, 'utf8'))) {
          offenders.push(path.relative(src, full));
        }
      }
    };
    walk(src);
    assert.deepEqual(offenders, [path.join('git', 'git-runner.ts')]);
  });
});

describe('paths git would split', () => {
  const s = scratch('seb-colon-');
  after(() => s.done());

  test('a run and a baseline checkout whose paths hold ":" are diffed (the alternates list is quoted, not split)', async () => {
    const frozen = path.join(s.dir, 'base:line');
    const run = path.join(s.dir, 'run:one');
    repoWith(frozen, [{ 'a.ts': 'export const a = 1;\n' }]);
    repoWith(run, [{ 'a.ts': 'export const a = 1;\n' }, { 'a.ts': 'export const a = 2;\n', 'b.ts': 'b\n' }]);
    writeFileSync(path.join(run, 'seb-run.json'), JSON.stringify({ runId: 'colon', baseline: { path: '../base:line' } }));
    git(run, 'add', 'seb-run.json');
    git(run, 'commit', '-q', '-m', 'manifest');
    const { run: resolved, repo } = await resolveRunIn(run);
    const ws = await ReviewWorkspace.open(resolved, {}, repo);
    try {
      const { changes } = await listChangeList(ws);
      assert.deepEqual(changes.map(c => `${c.status} ${c.path}`).sort(), ['added b.ts', 'added seb-run.json', 'modified a.ts']);
      const a = changes.find(c => c.path === 'a.ts');
      assert.ok(a);
      assert.match(await filePatch(ws, a), /-export const a = 1;\n\+export const a = 2;/);
    } finally {
      await ws.dispose();
    }
  });
});
