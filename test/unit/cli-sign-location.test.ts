import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedSignersLine, privateKeyPem } from '../../src/core/attestation';
import { git, repoWith, scratch } from './helpers';
import { MINI_FILE, miniWorksheet, party } from './attestation-fixtures';
import { cli } from './cli-run';

describe('sign never writes into the run\'s or the baseline\'s tree', () => {
  const s = scratch('seb-sign-where-');
  after(() => s.done());
  const f = (...p: string[]) => path.join(s.dir, ...p);
  const alice = party('alice');
  const bob = party('bob');
  const run = f('run');
  const frozen = f('frozen');
  let worksheet = '';
  let status = '';

  before(async () => {
    repoWith(run, [{ 'a.ts': '1\n' }, { 'a.ts': '2\n' }]);
    repoWith(frozen, [{ 'a.ts': '1\n' }]);
    mkdirSync(f('run-sibling'));
    symlinkSync(run, f('link-to-run'));
    writeFileSync(f('alice.key'), privateKeyPem(alice.key));
    writeFileSync(f('bob.key'), privateKeyPem(bob.key));
    writeFileSync(f('signers'), allowedSignersLine('alice', alice.key.publicKey));
    const trees = JSON.parse((await cli('diff', run, '--baseline', frozen, '--json')).out) as { baseline: { tree: string }; head: { tree: string } };
    worksheet = f('ws.json');
    writeFileSync(worksheet, JSON.stringify(miniWorksheet({ run: { runId: 'run', baseline: { tree: trees.baseline.tree }, head: { tree: trees.head.tree } } })));
    status = git(run, 'status', '--porcelain', '--ignored');
  });

  const sign = (...more: string[]) => cli('sign', worksheet, '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', run, '--baseline', frozen, ...more);

  function assertRefused(r: { code: number; err: string }, where: RegExp): void {
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, where);
    assert.equal(git(run, 'status', '--porcelain', '--ignored'), status, 'nothing was written into the run');
    assert.deepEqual(readdirSync(frozen).sort(), ['.git', 'a.ts']);
  }

  test('--out inside the run, inside the baseline checkout, or into the run through a symbolic link: exit 2', async () => {
    assertRefused(await sign('--out', path.join(run, 'x.worksheet.json')), /x\.worksheet\.json is inside the run's tree/);
    assertRefused(await sign('--out', path.join(run, 'sub', '..', 'y.json')), /y\.json is inside the run's tree/);
    assertRefused(await sign('--out', path.join(frozen, 'x.json')), /x\.json is inside the baseline's tree/);
    assertRefused(await sign('--out', f('link-to-run', 'x.json')), /x\.json is inside the run's tree/);
    assert.equal(existsSync(path.join(run, 'x.worksheet.json')), false);
  });

  test('sign --run . from inside the run, with the default file name: exit 2, nothing written', async () => {
    const cwd = process.cwd();
    process.chdir(run);
    try {
      const r = await cli('sign', worksheet, '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', '.', '--baseline', frozen);
      assertRefused(r, /run\.alice\.worksheet\.json is inside the run's tree/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('next to the run is fine: a sibling folder whose name starts like the run\'s, and a path that leaves the run with ".."', async () => {
    const beside = await sign('--out', f('run-sibling', 'ok.json'));
    assert.equal(beside.code, 0, beside.err);
    const out = await sign('--out', path.join(run, '..', 'out.json'));
    assert.equal(out.code, 0, out.err);
    assert.ok(existsSync(f('out.json')));
  });

  test('co-signing in place inside a run given with --run, or to an --out inside it: exit 2; outside: co-signed', async () => {
    const cosign = (file: string, ...more: string[]) =>
      cli('sign', '--cosign', file, '--key', f('bob.key'), '--rubric', MINI_FILE, '--allowed-signers', f('signers'), '--run', run, '--baseline', frozen, ...more);
    assertRefused(await cosign(f('link-to-run', 'a.ts')), /a\.ts is inside the run's tree/);
    assertRefused(await cosign(f('out.json'), '--out', path.join(frozen, 'co.json')), /co\.json is inside the baseline's tree/);
    const ok = await cosign(f('out.json'));
    assert.equal(ok.code, 0, ok.err);
  });
});
