import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveRun } from '../../src/git/resolve-run';
import { openRepository } from '../../src/git/repository';
import { scratch } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Hostile { dir: string; baseline: string; head: string }
async function buildHostile(dir: string, marker: string): Promise<Hostile> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-hostile.mjs')).href)) as {
    buildHostileRepo(dir: string, marker: string): Promise<Hostile>;
  };
  return mod.buildHostileRepo(dir, marker);
}

const ran = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');

describe('the hostile repository', () => {
  const s = scratch('seb-hostile-');
  const marker = path.join(s.dir, 'marker');
  let repo: Hostile;
  before(async () => {
    repo = await buildHostile(path.join(s.dir, 'repo'), marker);
  });
  after(() => s.done());

  test('is really hostile: plain git diff, run the ordinary way, runs its programs (so the tests below can fail)', () => {
    rmSync(marker, { force: true });
    execFileSync('git', ['diff', 'HEAD'], { cwd: repo.dir, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' }, stdio: 'pipe' });
    assert.notEqual(ran(marker), '', 'the trap did not fire: the hostile fixture is not hostile');
    rmSync(marker, { force: true });
  });

  test('resolving the run (refs, log, status of a dirty tree) runs none of them and changes nothing in the run', async () => {
    const before = snapshotTree(repo.dir);
    const run = await resolveRun(repo.dir);
    assert.equal(run.baseline.commit, repo.baseline);
    assert.equal(run.head.source.kind === 'working-tree' && run.head.source.dirty, true);
    assert.equal(ran(marker), '');
    assert.deepEqual(snapshotDiff(before, snapshotTree(repo.dir)), []);
  });

  test('diffing the working tree, reading blobs and logs with the hardened runner runs none of them and changes nothing', async () => {
    const before = snapshotTree(repo.dir);
    const r = await openRepository(repo.dir);
    const numstat = await r.git.text(['diff', '--numstat', '-M', repo.baseline]);
    assert.notEqual(numstat.trim(), '', 'the diff saw the changes');
    await r.git.text(['diff', '-p', repo.baseline, '--', '.']);
    await r.git.text(['log', '-p', '--format=%H', `${repo.baseline}..HEAD`]);
    await r.git.text(['show', 'HEAD']);
    await r.git.text(['diff-index', '--numstat', repo.baseline]);
    await r.git.text(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    await r.git.text(['ls-files', '-z', '--others', '--exclude-standard']);
    await r.git.text(['cat-file', '-p', `${repo.baseline}^{tree}`]);
    await r.dispose();
    assert.equal(ran(marker), '', `a configured program ran:\n${ran(marker)}`);
    assert.deepEqual(snapshotDiff(before, snapshotTree(repo.dir)), []);
  });
});
