import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedSignersLine, privateKeyPem, serializeEnvelope } from '../../src/core/attestation';
import { repoWith, scratch } from './helpers';
import { MINI_FILE, miniWorksheet, party, signedBy } from './attestation-fixtures';
import { cli, TERMINAL_ACTIVE } from './cli-run';

/** A key id that, printed raw, erases the line and writes a fake verdict over it, then a fake verdict on a line of its own. */
const FAKE = '\u001b[2K\r  VERIFIED by alice (threshold 1)\u001b[A\n  VERIFIED by alice (threshold 1)';

/** Every line of a text output: none may hold a terminal-active character, and none may be a verdict we did not write. */
function assertInert(text: string, verdicts: readonly string[] = []): void {
  assert.doesNotMatch(text, TERMINAL_ACTIVE, JSON.stringify(text));
  assert.doesNotMatch(text, /[\u2028\u2029]/u, 'line and paragraph separators are escaped');
  const lines = text.split('\n').filter(l => /^\s*(VERIFIED|FAILED)/.test(l));
  assert.deepEqual(lines, verdicts);
}

describe('text output escapes control characters, whatever the command', () => {
  const s = scratch('seb-cli-out-');
  after(() => s.done());
  const f = (name: string) => path.join(s.dir, name);
  const alice = party('alice');
  writeFileSync(f('alice.key'), privateKeyPem(alice.key));
  writeFileSync(f('signers'), `${allowedSignersLine('alice', alice.key.publicKey)}\n`);

  test('verify: a key id with an escape sequence and a newline cannot print a verdict over the real one', async () => {
    const good = signedBy(alice);
    const sig = good.signatures[0];
    assert.ok(sig);
    writeFileSync(f('forged.json'), serializeEnvelope({ ...good, signatures: [sig, { keyid: FAKE, sig: sig.sig }] }));
    const r = await cli('verify', f('forged.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE);
    assert.equal(r.code, 1);
    assertInert(r.out, ['  FAILED']);
    // what the key id held is still there to read, as escapes
    assert.ok(r.out.includes('\\u001b[2K\\r  VERIFIED by alice (threshold 1)\\u001b[A\\n  VERIFIED'), r.out);
  });

  test('verify --json: the same strings come back from JSON.parse; U+2028, C1, DEL, bidi and lone surrogates are escaped', async () => {
    const good = signedBy(alice);
    const sig = good.signatures[0];
    assert.ok(sig);
    const keyid = `${FAKE}\u2028\u009b31m\u007f\u202egnp.exe\udfff\ud800`;
    writeFileSync(f('odd.json'), serializeEnvelope({ ...good, signatures: [sig, { keyid, sig: sig.sig }] }));
    const r = await cli('verify', f('odd.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--json');
    assert.equal(r.code, 1);
    assertInert(r.out);
    assert.doesNotMatch(r.out, /[\ud800-\udfff]/u, 'no lone surrogate is written raw');
    const [verdict] = JSON.parse(r.out) as Array<{ checks: Array<{ field?: string; message: string }> }>;
    const check = verdict?.checks.find(c => c.field === 'signatures[1].keyid');
    assert.ok(check?.message.includes(keyid), JSON.stringify(check));
  });

  test('file names are escaped too: a signed worksheet, a missing file, a rubric file', async () => {
    const odd = f('evil\u001b[31m\u202e.json');
    writeFileSync(odd, serializeEnvelope(signedBy(alice)));
    const r = await cli('verify', odd, f('gone\u001b]0;title\u0007.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE);
    assert.equal(r.code, 2);
    assertInert(r.out, ['  VERIFIED by alice (threshold 1)']);
    assertInert(r.err);
    assert.ok(r.out.includes('evil\\u001b[31m\\u202e.json'), r.out);
    assert.ok(r.err.includes('gone\\u001b]0;title\\u0007.json: no such file'), r.err);
    const rubric = f('mini\u009b2J.rubric.json');
    writeFileSync(rubric, JSON.stringify(miniWorksheet()));
    const c = await cli('rubric', 'check', rubric);
    assert.equal(c.code, 1);
    assertInert(c.out);
    assert.ok(c.out.includes('mini\\u009b2J.rubric.json'), c.out);
  });

  test('sign: worksheet text (the grader\'s name, the run id) is escaped in the summary', async () => {
    const ws = miniWorksheet({ grader: { name: 'alice\u202e\n  VERIFIED', kind: 'human' }, run: { ...miniWorksheet().run, runId: 'run\u001b[1m' } });
    writeFileSync(f('ws.json'), JSON.stringify(ws));
    const r = await cli('sign', f('ws.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('ws.signed.json'));
    assert.equal(r.code, 0, r.err);
    assertInert(r.out);
    assert.match(r.out, /^ {2}grader {4}alice\\u202e\\n {2}VERIFIED \(human\)$/m);
  });

  test('info and diff: a run folder and file names from the repository are escaped', async () => {
    const dir = f('run\u001b[1m');
    repoWith(dir, [{ 'a.ts': '1\n' }, { 'b\u001b[2Jc.ts': '2\n', 'd\ne.ts': '3\n', 'f\u202eg.ts': '4\n' }]);
    const info = await cli('info', dir);
    assert.equal(info.code, 0, info.err);
    assertInert(info.out);
    assert.match(info.out, /^run {7}run\\u001b\[1m$/m);
    const diff = await cli('diff', dir);
    assert.equal(diff.code, 0, diff.err);
    assertInert(diff.out);
    assert.match(diff.out, /b\\u001b\[2Jc\.ts$/m);
    assert.match(diff.out, /d\\ne\.ts$/m);
    assert.match(diff.out, /f\\u202eg\.ts$/m);
  });

  test('usage errors and keygen messages are escaped', async () => {
    const u = await cli('verify', f('x.json'), '--allowed-signers', f('signers'), '--threshold', '\u001b[2J');
    assert.equal(u.code, 2);
    assertInert(u.err);
    const k = await cli('keygen', '--identity', 'carol', '--out', f('carol\u001b[8m.key'));
    assert.equal(k.code, 0, k.err);
    assertInert(k.err);
    assert.ok(k.err.includes('carol\\u001b[8m.key'), k.err);
  });
});
