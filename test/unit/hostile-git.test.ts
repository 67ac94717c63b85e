import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main';
import { resolveRunIn } from '../../src/git/resolve-run';
import { ReviewWorkspace } from '../../src/git/review-workspace';
import { filePatch, listChangeList } from '../../src/git/changes';
import { sizedSides, treeFiles } from '../../src/git/tree-files';
import { scratch } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Built { dir: string; marker: string; baseline: string; head: string }
type Fixtures = {
  buildHostileRepo(dir: string, marker: string): Promise<Built>;
  buildPartialCloneTrap(dir: string, marker: string, protocol: string): Promise<Built & { missing: string }>;
};
const fixtures = async () => (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-hostile.mjs')).href)) as Fixtures;

const ran = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');
const plainEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

/** Runs `step`, then checks that no trap fired and that nothing under the run folder (its .git included) changed. */
async function untouched<T>(dir: string, marker: string, what: string, step: () => Promise<T>): Promise<T> {
  rmSync(marker, { force: true });
  const before = snapshotTree(dir);
  const result = await step();
  assert.equal(ran(marker), '', `${what}: a program the repository configures ran:\n${ran(marker)}`);
  const diff = snapshotDiff(before, snapshotTree(dir));
  assert.deepEqual(diff, [], `${what} changed the run folder:\n${diff.join('\n')}`);
  return result;
}

describe('a hostile repository: case-sensitive and empty filter names, includes, split index, freshening', () => {
  const s = scratch('seb-hostile-git-');
  const marker = path.join(s.dir, 'marker');
  let repo: Built;
  before(async () => {
    repo = await (await fixtures()).buildHostileRepo(path.join(s.dir, 'repo'), marker);
  });
  after(() => s.done());

  test('is really hostile: plain git diff runs the upper-case, non-ASCII (included) and empty-named filters', () => {
    rmSync(marker, { force: true });
    execFileSync('git', ['diff', 'HEAD', '--stat'], { cwd: repo.dir, env: plainEnv, stdio: 'pipe' });
    const fired = ran(marker);
    for (const trap of ['filter-upper-clean', 'filter-unicode-clean', 'filter-empty-clean']) {
      assert.match(fired, new RegExp(`^${trap} `, 'm'), `${trap} did not fire: the fixture is not hostile`);
    }
    rmSync(marker, { force: true });
  });

  test('seb-review diff and info run none of them and leave the run (its .git included) byte- and mtime-identical', async () => {
    const diff = await untouched(repo.dir, marker, 'seb-review diff', () => cli('diff', repo.dir, '--json'));
    assert.equal(diff.code, 0, diff.err);
    const listed = (JSON.parse(diff.out) as { changes: Array<{ path: string }> }).changes.map(c => c.path);
    for (const p of ['notes.txt', 'src/app.ts', 'README.md', 'copy-of-readme.md', 'untracked.txt']) assert.ok(listed.includes(p), `${p} listed`);
    const info = await untouched(repo.dir, marker, 'seb-review info', () => cli('info', repo.dir));
    assert.equal(info.code, 0, info.err);
    assert.match(info.out, /uncommitted changes/);
  });

  test('every read the editor makes (resolve, snapshot, list, patch, sizes, blobs) leaves the run untouched', async () => {
    await untouched(repo.dir, marker, 'opening and reading the review workspace', async () => {
      const { run, repo: opened } = await resolveRunIn(repo.dir);
      const ws = await ReviewWorkspace.open(run, {}, opened);
      try {
        const { changes } = await listChangeList(ws);
        for (const c of changes) await filePatch(ws, c);
        await treeFiles(ws, 'run');
        await sizedSides(ws, changes);
        const readme = await ws.reader('run').read('README.md');
        assert.ok(readme.ok && readme.bytes.toString('utf8').includes('Uncommitted.'), 'the snapshot holds the working tree as it is');
        const copy = await ws.reader('run').read('copy-of-readme.md');
        assert.ok(copy.ok, 'the untracked copy (a blob git already had) is in the snapshot');
      } finally {
        await ws.dispose();
      }
    });
  });

  test('a program named git at the run root is never run, even with "." first on PATH and the run as working folder', () => {
    const control = spawnSync('sh', ['-c', 'git --version'], { cwd: repo.dir, env: { ...plainEnv, PATH: `.:${process.env.PATH ?? ''}` } });
    assert.equal(control.status, 0);
    assert.match(ran(marker), /^root-git /m, 'the control did not run the planted git: the fixture is not hostile');
    rmSync(marker, { force: true });

    const before = snapshotTree(repo.dir);
    const r = spawnSync(process.execPath, [CLI, 'diff', '.', '--json'], {
      cwd: repo.dir, encoding: 'utf8', env: { ...process.env, PATH: `.:${process.env.PATH ?? ''}` },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { changes: unknown[] }).changes.length > 0);
    assert.equal(ran(marker), '', `the planted git ran:\n${ran(marker)}`);
    assert.deepEqual(snapshotDiff(before, snapshotTree(repo.dir)), []);
  });

  test('a PATH whose first entry is the run itself: refused, naming the executable, and nothing runs', () => {
    const r = spawnSync(process.execPath, [CLI, 'diff', repo.dir], {
      encoding: 'utf8', env: { ...process.env, PATH: `${repo.dir}:${process.env.PATH ?? ''}` },
    });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /git executable .*lies inside the reviewed folder/);
    assert.equal(ran(marker), '');
  });
});

describe('a partial clone whose promisor remote would run a program on a lazy fetch', () => {
  const s = scratch('seb-promisor-');
  after(() => s.done());

  for (const protocol of ['ext', 'ssh', 'file']) {
    test(`${protocol}: plain git runs it; seb-review diff does not, says which object is missing, and writes nothing`, async () => {
      const marker = path.join(s.dir, `${protocol}-marker`);
      const repo = await (await fixtures()).buildPartialCloneTrap(path.join(s.dir, protocol), marker, protocol);
      spawnSync('git', ['diff', '--numstat', repo.baseline, repo.head], { cwd: repo.dir, env: plainEnv });
      assert.match(ran(marker), new RegExp(`^promisor-${protocol}`, 'm'), 'the control did not fetch: the fixture is not hostile');
      rmSync(marker, { force: true });

      const r = await untouched(repo.dir, marker, `seb-review diff (${protocol})`, () => cli('diff', repo.dir));
      assert.equal(r.code, 2, r.out);
      assert.match(r.err, new RegExp(`${repo.dir}.*${repo.missing}`));
    });
  }
});
