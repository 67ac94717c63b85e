import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  allowedSignersLine, buildStatement, cosignEnvelope, cosignVerified, parseEnvelope, privateKeyPem, serializeEnvelope, signEnvelope,
  verifyEnvelope, type Envelope, type Verdict,
} from '../../src/core/attestation';
import { scratch } from './helpers';
import { MINI_FILE, miniResolver, miniWorksheet, party, signedBy, signersOf, type Party } from './attestation-fixtures';
import { cli } from './cli-run';

const alice = party('alice');
const bob = party('bob');
const mallory = party('mallory');

/** A statement signed as it is, whatever its grader says (what a forger can make). */
function forged(grader: { name: string; kind: 'human'; keyId?: string }, by: Party): Envelope {
  const statement = buildStatement({ ...miniWorksheet(), grader: { ...grader, keyId: grader.keyId ?? '' } }, path.basename(MINI_FILE));
  const predicate = { ...statement.predicate, grader };
  return signEnvelope(Buffer.from(JSON.stringify({ ...statement, predicate })), by.key);
}

const verify = (env: Envelope, signers = signersOf(alice, bob), threshold = 1): Verdict =>
  verifyEnvelope(serializeEnvelope(env), { allowedSigners: signers, resolveRubric: miniResolver, threshold });

describe('the grader named in a signed worksheet is bound to a signer', () => {
  test('the forgery: "grader alice" with no key id, co-signed by bob, mallory\'s own signature dropped, does not verify', () => {
    const withBob = cosignEnvelope(forged({ name: 'alice', kind: 'human' }, mallory), bob.key);
    const onlyBob = { ...withBob, signatures: withBob.signatures.slice(1) };
    const v = verify(onlyBob);
    assert.equal(v.ok, false, 'a grader with no key bound to a signature must not verify');
    assert.ok(v.checks.some(c => !c.ok && c.field === 'predicate.grader.keyId'), JSON.stringify(v.checks.filter(c => !c.ok)));
  });

  test('a key id that did not sign, or an unknown one, fails; the grader\'s identity is reported when bound', () => {
    const notSigned = verify(forged({ name: 'alice', kind: 'human', keyId: alice.key.keyId }, bob));
    assert.ok(notSigned.checks.some(c => !c.ok && c.field === 'predicate.grader.keyId' && /has no valid signature/.test(c.message)));
    assert.equal(notSigned.grader, undefined);
    const good = verify(cosignEnvelope(signedBy(alice), bob.key), signersOf(alice, bob), 2);
    assert.equal(good.ok, true, JSON.stringify(good.checks.filter(c => !c.ok)));
    assert.deepEqual(good.grader, { identity: 'alice', keyId: alice.key.keyId });
    // a grader name is free text: bob's key with the name "alice" verifies, and says bob graded
    const renamed = verify(forged({ name: 'alice', kind: 'human', keyId: bob.key.keyId }, bob));
    assert.equal(renamed.ok, true);
    assert.deepEqual(renamed.grader, { identity: 'bob', keyId: bob.key.keyId });
  });
});

describe('seb-review sign --cosign verifies the envelope before adding a signature', () => {
  const s = scratch('seb-cosign-');
  after(() => s.done());
  const f = (name: string) => path.join(s.dir, name);
  for (const p of [alice, bob, mallory]) writeFileSync(f(`${p.identity}.key`), privateKeyPem(p.key));
  writeFileSync(f('signers'), [alice, bob].map(p => allowedSignersLine(p.identity, p.key.publicKey)).join('\n'));
  writeFileSync(f('alice-only'), allowedSignersLine('alice', alice.key.publicKey));
  const cosign = (file: string, ...more: string[]) => cli('sign', '--cosign', file, '--key', f('bob.key'), '--rubric', MINI_FILE, ...more);

  test('without --allowed-signers co-signing is refused (exit 2) and the file is left as it is', async () => {
    writeFileSync(f('plain.json'), serializeEnvelope(signedBy(alice)));
    const before = readFileSync(f('plain.json'));
    const r = await cosign(f('plain.json'));
    assert.equal(r.code, 2);
    assert.match(r.err, /--cosign needs --allowed-signers FILE/);
    assert.deepEqual(readFileSync(f('plain.json')), before);
  });

  test('an envelope whose signature does not verify, or whose signer is unknown, is not co-signed (exit 1)', async () => {
    const good = signedBy(alice);
    const tampered = { ...good, payload: Buffer.from(Buffer.from(good.payload, 'base64').toString().replace('"total":19.5', '"total":19.5 ')).toString('base64') };
    for (const [name, env, pattern] of [
      ['tampered', tampered, /✘ signature signatures\[0\]\.sig: does not verify with alice's key/],
      ['by-mallory', forged({ name: 'alice', kind: 'human', keyId: mallory.key.keyId }, mallory), /✘ signature signatures\[0\]\.keyid: unknown signer/],
      ['no-key-id', forged({ name: 'alice', kind: 'human' }, alice), /✘ schema predicate\.grader\.keyId/],
      ['grader-did-not-sign', forged({ name: 'alice', kind: 'human', keyId: alice.key.keyId }, bob), /✘ signature predicate\.grader\.keyId: the grader's key SHA256:\S+ has no valid signature/],
    ] as const) {
      writeFileSync(f(`${name}.json`), serializeEnvelope(env));
      const before = readFileSync(f(`${name}.json`));
      const r = await cosign(f(`${name}.json`), '--allowed-signers', f('signers'));
      assert.equal(r.code, 1, `${name}: ${r.err}`);
      assert.match(r.err, new RegExp(`${name}\\.json was not co-signed:`));
      assert.match(r.err, pattern);
      assert.deepEqual(readFileSync(f(`${name}.json`)), before, `${name} is unchanged`);
    }
  });

  test('a verified envelope is co-signed, by a co-signer whose own key is not in the file; verify then names the grader', async () => {
    writeFileSync(f('ok.json'), serializeEnvelope(signedBy(alice)));
    const r = await cosign(f('ok.json'), '--allowed-signers', f('alice-only'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /co-signed .*ok\.json: 2 signatures, the last by SHA256:/);
    const env = parseEnvelope(readFileSync(f('ok.json'), 'utf8'));
    assert.ok(env.ok);
    assert.equal(env.value.signatures.length, 2);
    const v = await cli('verify', f('ok.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--threshold', '2');
    assert.equal(v.code, 0, v.out);
    assert.match(v.out, /^ {2}graded by alice \(SHA256:\S+\), named "alice" \(human\) in the worksheet$/m);
    assert.match(v.out, /^ {2}VERIFIED by alice, bob \(threshold 2\)$/m);
    const j = await cli('verify', f('ok.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--json');
    const [verdict] = JSON.parse(j.out) as Array<{ grader: { name: string; keyId: string; identity: string | null } }>;
    assert.deepEqual(verdict?.grader, { name: 'alice', kind: 'human', keyId: alice.key.keyId, identity: 'alice' });
    const again = await cosign(f('ok.json'), '--allowed-signers', f('signers'));
    assert.equal(again.code, 2);
    assert.match(again.err, /already signed by SHA256:/);
  });

  test('verify --json gives identity null when the grader is not bound, and the text says so', async () => {
    writeFileSync(f('unbound.json'), serializeEnvelope(forged({ name: 'alice', kind: 'human', keyId: alice.key.keyId }, bob)));
    const j = await cli('verify', f('unbound.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--json');
    assert.equal(j.code, 1);
    const [verdict] = JSON.parse(j.out) as Array<{ grader: { identity: string | null } }>;
    assert.equal(verdict?.grader.identity, null);
    const t = await cli('verify', f('unbound.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE);
    assert.match(t.out, /^ {2}graded by no allowed signer: the worksheet names the grader "alice" \(human\) with the key SHA256:\S+, which has no valid signature by an allowed signer on it$/m);
  });
});

describe('cosignVerified (what the editor\'s Co-sign command runs)', () => {
  test('refuses an envelope it cannot verify, names the failed checks, and co-signs one it can', () => {
    const signed = serializeEnvelope(signedBy(alice));
    const unknown = cosignVerified(signed, bob.key, { allowedSigners: signersOf(bob), resolveRubric: miniResolver });
    assert.equal(unknown.ok, false);
    assert.deepEqual(unknown.verdict.checks.filter(c => !c.ok).map(c => `${c.check} ${c.field}`),
      ['signature signatures[0].keyid', 'threshold undefined', 'signature predicate.grader.keyId']);
    const ok = cosignVerified(signed, bob.key, { allowedSigners: signersOf(alice), resolveRubric: miniResolver });
    assert.ok(ok.ok, JSON.stringify(ok.verdict.checks.filter(c => !c.ok)));
    assert.deepEqual(ok.envelope.signatures.map(x => x.keyid), [alice.key.keyId, bob.key.keyId]);
    assert.equal(verify(ok.envelope, signersOf(alice, bob), 2).ok, true);
    const noRubric = cosignVerified(signed, bob.key, { allowedSigners: signersOf(alice), resolveRubric: () => undefined });
    assert.equal(noRubric.ok, false, 'the rubric is checked too');
  });
});
