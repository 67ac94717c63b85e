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
