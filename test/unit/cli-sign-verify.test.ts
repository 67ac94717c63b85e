import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { type Worksheet } from '../../src/core/worksheet';
import { git, repoWith, scratch, write } from './helpers';
import { MINI_FILE, ROOT, miniWorksheet } from './attestation-fixtures';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

interface JsonVerdict {
  file: string; ok: boolean; threshold?: number; signers?: string[]; runId?: string; total?: number; error?: string;
  grader?: { name: string; keyId?: string };
  checks?: Array<{ check: string; ok: boolean; field?: string; message: string }>;
}

describe('seb-review keygen, sign and verify', () => {
  const s = scratch('seb-cli-sign-');
  after(() => s.done());
  const f = (name: string) => path.join(s.dir, name);
  const json = (name: string, value: unknown) => {
    writeFileSync(f(name), JSON.stringify(value, null, 2));
    return f(name);
  };
  const signers = f('allowed_signers');

  test('keygen writes a 0600 PKCS#8 key, prints its allowed-signers line, never overwrites', async () => {
    const a = await cli('keygen', '--identity', 'alice', '--out', f('alice.key'));
    assert.equal(a.code, 0, a.err);
    assert.match(a.out, /^alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+\n$/);
    assert.match(a.err, /wrote the private key .*alice\.key \(SHA256:/);
    assert.equal(statSync(f('alice.key')).mode & 0o777, 0o600);
    assert.match(readFileSync(f('alice.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    const b = await cli('keygen', '--identity', 'bob', '--out', f('bob.key'));
    writeFileSync(signers, `# graders\n${a.out}${b.out}`);
    const again = await cli('keygen', '--identity', 'alice', '--out', f('alice.key'));
    assert.equal(again.code, 2);
    assert.match(again.err, /alice\.key already exists/);
    assert.equal((await cli('keygen', '--out', f('x.key'))).code, 2);
    const spaced = await cli('keygen', '--identity', 'a b', '--out', f('x.key'));
    assert.equal(spaced.code, 2);
    assert.match(spaced.err, /--identity "a b" must be one word/);
    assert.equal(existsSync(f('x.key')), false);
  });

  test('sign: exit 0 and a summary; the envelope verifies (exit 0); a second sign refuses to overwrite', async () => {
    const ws = json('ws.json', miniWorksheet());
    const r = await cli('sign', ws, '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('signed.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^signed .*signed\.json with SHA256:/);
    assert.match(r.out, /total {5}19\.5 \/ 20/);
    assert.match(r.out, /baseline {2}tree a{40}/);
    assert.match(r.out, /rubric {4}mini-v1\.rubric\.json \(mini 1\.0\) sha256 [0-9a-f]{64}/);
    const v = await cli('verify', f('signed.json'), '--allowed-signers', signers, '--rubric', MINI_FILE);
    assert.equal(v.code, 0, v.out + v.err);
    assert.match(v.out, /^ {2}✔ signature signatures\[0\]: alice \(SHA256:\S+\)$/m);
    assert.match(v.out, /^ {2}✔ rubric-digest subject\[2\]\.digest\.sha256: /m);
    assert.match(v.out, /^ {2}VERIFIED by alice \(threshold 1\)$/m);
    const again = await cli('sign', ws, '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('signed.json'));
    assert.equal(again.code, 2);
    assert.match(again.err, /signed\.json already exists/);
  });

  test('sign writes <runId>.<grader>.worksheet.json by default; a packaged rubric is found by id and version', async () => {
    const rubricFile = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
    const rubric = JSON.parse(readFileSync(rubricFile, 'utf8')) as { dimensions: Array<{ id: string; ceiling: number }> };
    const sha256 = execFileSync('sha256sum', [rubricFile], { encoding: 'utf8' }).split(' ')[0] ?? '';
    const entries = rubric.dimensions.map(d => ({ dimension: d.id, points: d.ceiling / 2, rationale: 'Half.', evidence: [] }));
    const ws = json('seb.json', miniWorksheet({ rubric: { id: 'seb', version: '1.0', sha256 }, entries, total: 50, grader: { name: 'model x', kind: 'model' } }));
    const cwd = process.cwd();
    process.chdir(s.dir);
    try {
      const r = await cli('sign', ws, '--key', f('alice.key'));
      assert.equal(r.code, 0, r.err);
      assert.ok(existsSync(f('run-42.model-x.worksheet.json')));
    } finally {
      process.chdir(cwd);
    }
    const v = await cli('verify', f('run-42.model-x.worksheet.json'), '--allowed-signers', signers, '--json');
    assert.equal(v.code, 0, v.out);
  });

  test('sign refuses a worksheet that fails a check (exit 1, nothing written) and unreadable input (exit 2)', async () => {
    const over = json('over.json', miniWorksheet({ total: 20.5, entries: miniWorksheet().entries.map(e => e.dimension === 'plan' ? { ...e, points: 6 } : e) }));
    const r = await cli('sign', over, '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('over.signed.json'));
    assert.equal(r.code, 1);
    assert.match(r.err, /over\.json was not signed:\n {2}✘ ceilings entries\[0\]\.points: 6 is above the ceiling of 5 \(plan\)/);
    assert.equal(existsSync(f('over.signed.json')), false);
    const other = await cli('sign', json('other-key.json', miniWorksheet({ grader: { name: 'alice', kind: 'human', keyId: 'SHA256:someone-else' } })),
      '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('x.json'));
    assert.equal(other.code, 1);
    assert.match(other.err, /✘ signature grader\.keyId: is SHA256:someone-else, but --key/);
    writeFileSync(f('cut.json'), JSON.stringify(miniWorksheet()).slice(0, 50));
    const cut = await cli('sign', f('cut.json'), '--key', f('alice.key'), '--rubric', MINI_FILE);
    assert.equal(cut.code, 2);
    assert.match(cut.err, /cut\.json: field "\(root\)" is not valid JSON: .* \(offset 50, the end of the text: truncated\?\)/);
    const unknown = await cli('sign', json('plain.json', miniWorksheet()), '--key', f('alice.key'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /rubric mini 1\.0 is not a packaged rubric; name its file with --rubric FILE/);
    const seb = await cli('sign', f('plain.json'), '--key', f('alice.key'), '--rubric', path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json'), '--out', f('x.json'));
    assert.equal(seb.code, 1, 'a --rubric that is not the worksheet\'s rubric');
    assert.match(seb.err, /✘ rubric-digest rubric\.sha256: is [0-9a-f]{64}, but .*seb-v1\.0\.rubric\.json has sha256/);
    assert.match(seb.err, /✘ rubric-digest rubric\.id: is "mini", but the rubric is "seb"/);
    const noKey = await cli('sign', f('plain.json'), '--key', f('nope.key'), '--rubric', MINI_FILE);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /nope\.key: no such file/);
    assert.equal((await cli('sign', f('plain.json'), '--rubric', MINI_FILE)).code, 2);
  });

  test('co-signing and the threshold; verify exit codes 0, 1, 2; --json', async () => {
    const file = f('signed.json');
    const one = await cli('verify', file, '--allowed-signers', signers, '--rubric', MINI_FILE, '--threshold', '2');
    assert.equal(one.code, 1);
    assert.match(one.out, /^ {2}✘ threshold: 1 of 2 required signers \(alice\)$/m);
    assert.match(one.out, /^ {2}FAILED$/m);
    const co = await cli('sign', '--cosign', file, '--key', f('bob.key'), '--rubric', MINI_FILE, '--allowed-signers', signers);
    assert.equal(co.code, 0, co.err);
    assert.match(co.out, /co-signed .*signed\.json: 2 signatures/);
    const two = await cli('verify', file, '--allowed-signers', signers, '--rubric', MINI_FILE, '--threshold', '2');
    assert.equal(two.code, 0, two.out);
    assert.match(two.out, /VERIFIED by alice, bob \(threshold 2\)/);
    const twice = await cli('sign', '--cosign', file, '--key', f('bob.key'), '--rubric', MINI_FILE, '--allowed-signers', signers);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /already signed by SHA256:/);

    writeFileSync(f('only-bob'), readFileSync(signers, 'utf8').split('\n').filter(l => l.startsWith('bob ')).join('\n'));
    const unknown = await cli('verify', file, '--allowed-signers', f('only-bob'), '--rubric', MINI_FILE, '--json');
    assert.equal(unknown.code, 1);
    const [verdict] = JSON.parse(unknown.out) as JsonVerdict[];
    assert.equal(verdict?.ok, false);
    assert.deepEqual(verdict?.signers, ['bob']);
    assert.equal(verdict?.runId, 'run-42');
    assert.equal(verdict?.total, 19.5);
    assert.equal(verdict?.grader?.name, 'alice');
    assert.deepEqual(verdict?.checks?.filter(c => !c.ok).map(c => `${c.check} ${c.field}`), ['signature signatures[0].keyid', 'signature predicate.grader.keyId']);

    const text = readFileSync(file, 'utf8');
    writeFileSync(f('truncated.json'), text.slice(0, text.length - 40));
    const altered = f('mini-altered.rubric.json');
    writeFileSync(altered, readFileSync(MINI_FILE, 'utf8').replace('States one invariant', 'States an invariant'));
    const mixed = await cli('verify', file, f('truncated.json'), '--allowed-signers', signers, '--rubric', altered);
    assert.equal(mixed.code, 1);
    assert.match(mixed.out, /✘ rubric-digest subject\[2\]\.digest\.sha256: is [0-9a-f]{64}, but .*mini-altered\.rubric\.json \(mini 1\.0\) has sha256/);
    assert.match(mixed.out, /truncated\.json\n {2}✘ json \(root\): is not valid JSON: .* line \d+, column \d+/);

    const missing = await cli('verify', file, f('nope.json'), '--allowed-signers', signers, '--rubric', MINI_FILE);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.json: no such file/);
    assert.match(missing.out, /VERIFIED by alice/, 'the readable file is still reported');
    writeFileSync(f('bad-signers'), 'alice ssh-ed25519\n');
    const bad = await cli('verify', file, '--allowed-signers', f('bad-signers'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad-signers: line 1: expected "identity ssh-ed25519 AAAA… \[comment\]"/);
    for (const args of [[file], [file, '--allowed-signers', signers, '--threshold', '0'], [file, '--allowed-signers', signers, '--threshold', '1.5'], ['--allowed-signers', signers]]) {
      const u = await cli('verify', ...args);
      assert.equal(u.code, 2, args.join(' '));
      assert.match(u.err, /Usage:/);
    }
  });

  test('--run: the trees are computed from the repository as it is (nothing written to it) and checked', async () => {
    const dir = f('run-repo');
    repoWith(dir, [{ 'a.ts': 'one\n' }, { 'a.ts': 'two\n', 'b.ts': 'b\n' }]);
    write(dir, 'a.ts', 'three, not committed\n');
    write(dir, 'new.ts', 'untracked\n');
    const index = readFileSync(path.join(dir, '.git', 'index'));
    const diff = JSON.parse((await cli('diff', dir, '--json')).out) as { baseline: { tree: string }; head: { tree: string } };
    // the tree as it is: what `git add -A` into a scratch index and `git write-tree` give
    const scratchIndex = f('scratch-index');
    copyFileSync(path.join(dir, '.git', 'index'), scratchIndex);
    const env = { ...process.env, GIT_INDEX_FILE: scratchIndex, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    execFileSync('git', ['add', '-A'], { cwd: dir, env });
    assert.equal(diff.head.tree, execFileSync('git', ['write-tree'], { cwd: dir, env, encoding: 'utf8' }).trim());
    assert.notEqual(diff.head.tree, git(dir, 'rev-parse', 'HEAD^{tree}'));
    const ws: Worksheet = miniWorksheet({ run: { runId: 'run-repo', baseline: { tree: diff.baseline.tree }, head: { tree: diff.head.tree } } });
    const signed = f('run-repo.signed.json');
    const r = await cli('sign', json('run-ws.json', ws), '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', dir, '--out', signed);
    assert.equal(r.code, 0, r.err);
    const ok = await cli('verify', signed, '--allowed-signers', signers, '--rubric', MINI_FILE, '--run', dir);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`✔ tree subject\\[1\\]\\.digest\\.gitTree: the run tree is ${diff.head.tree}`));

    write(dir, 'new.ts', 'changed after signing\n');
    const changed = await cli('verify', signed, '--allowed-signers', signers, '--rubric', MINI_FILE, '--run', dir, '--json');
    assert.equal(changed.code, 1);
    const [v] = JSON.parse(changed.out) as JsonVerdict[];
    assert.deepEqual(v?.checks?.filter(c => !c.ok).map(c => `${c.check} ${c.field}`), ['tree subject[1].digest.gitTree']);
    const stale = await cli('sign', f('run-ws.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', dir, '--out', f('stale.json'));
    assert.equal(stale.code, 1);
    assert.match(stale.err, /✘ tree run\.head\.tree: is [0-9a-f]{40}, but the run's head tree is [0-9a-f]{40}/);
    assert.deepEqual(readFileSync(path.join(dir, '.git', 'index')), index, 'the run\'s index is untouched');
    assert.equal(git(dir, 'status', '--porcelain'), 'M a.ts\n?? new.ts', 'git status (trimmed): nothing staged');
    const notRepo = await cli('verify', signed, '--allowed-signers', signers, '--run', f('nowhere'));
    assert.equal(notRepo.code, 2);
    assert.match(notRepo.err, /nowhere/);
  });
});
