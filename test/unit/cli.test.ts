import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { repoWith, scratch, write } from './helpers';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

describe('seb-review command line', () => {
  const s = scratch('seb-cli-');
  after(() => s.done());

  test('info resolves a run; --json gives the same as data', async () => {
    const dir = path.join(s.dir, 'run-a');
    const [root] = repoWith(dir, [{ 'a.ts': '1\n' }, { 'a.ts': '2\n' }]);
    const text = await cli('info', dir);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`baseline  ${root}  \\(root commit\\)`));
    const json = await cli('info', dir, '--json');
    assert.equal(json.code, 0);
    const run = JSON.parse(json.out) as { runId: string; baseline: { commit: string } };
    assert.equal(run.runId, 'run-a');
    assert.equal(run.baseline.commit, root);
  });

  test('exit 2 with a message naming the path for unreadable input', async () => {
    const plain = path.join(s.dir, 'plain');
    write(plain, 'x.txt', 'x');
    const r = await cli('info', plain);
    assert.equal(r.code, 2);
    assert.match(r.err, /plain is not a git repository/);
    assert.equal(r.out, '');
  });

  test('exit 2 and the usage for bad usage; --help exits 0', async () => {
    assert.equal((await cli()).code, 2);
    const unknown = await cli('frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command: frobnicate/);
    const badFlag = await cli('info', '--no-such-flag', s.dir);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.err, /Usage:/);
    assert.equal((await cli('info')).code, 2);
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /seb-review info <run>/);
  });
});

describe('seb-review diff', () => {
  const s = scratch('seb-cli-diff-');
  after(() => s.done());

  test('lists the changes and the size summary; --json has both; --baseline takes a ref or a checkout', async () => {
    const dir = path.join(s.dir, 'run');
    const [root] = repoWith(dir, [{ 'a.ts': '1\n2\n', 'old.md': 'x\n' }, { 'a.ts': '1\n', 'new.ts': 'n\nm\n' }]);
    write(dir, 'untracked.ts', 'u\n');
    const out = await cli('diff', dir);
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /^A {2}\+1 −0\s+untracked\.ts$/m);
    assert.match(out.out, /^M {2}\+0 −1\s+a\.ts$/m);
    assert.match(out.out, /3 files changed, \+3 −1/);
    assert.match(out.out, /size: 2 files, 3 lines -> 4 files, 5 lines \(net \+2; 2 files added, 0 deleted\)/);
    const json = JSON.parse((await cli('diff', dir, '--json')).out) as { changes: Array<{ path: string; status: string }>; sizes: { netLines: number }; baseline: { commit: string } };
    assert.equal(json.baseline.commit, root);
    assert.deepEqual(json.changes.map(c => `${c.status} ${c.path}`).sort(), ['added new.ts', 'added untracked.ts', 'modified a.ts']);
    assert.equal(json.sizes.netLines, 2);
    const byRef = JSON.parse((await cli('diff', dir, '--baseline', 'HEAD', '--json')).out) as { changes: unknown[] };
    assert.equal(byRef.changes.length, 1, 'against HEAD only the untracked file differs');
    const other = path.join(s.dir, 'frozen');
    repoWith(other, [{ 'a.ts': '1\n' }]);
    const byDir = JSON.parse((await cli('diff', dir, '--baseline', other, '--json')).out) as { changes: Array<{ path: string }> };
    assert.deepEqual(byDir.changes.map(c => c.path).sort(), ['new.ts', 'old.md', 'untracked.ts']);
    const bad = await cli('diff', dir, '--baseline', 'no-such-ref');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /"no-such-ref" does not name a commit/);
  });
});
