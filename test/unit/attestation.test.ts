import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cosignEnvelope, pae, serializeEnvelope, signEnvelope, verifyEnvelope, buildStatement, encodeStatement,
  type Check, type Envelope, type Verdict, type VerifyOptions,
} from '../../src/core/attestation';
import { isSebError } from '../../src/core/errors';
import {
  BASELINE_TREE, MINI, MINI_FILE, MINI_SHA256, RUN_TREE, editPayload, miniResolver, miniWorksheet, party, resolverWith, signedBy, signersOf,
} from './attestation-fixtures';

const alice = party('alice');
const bob = party('bob');
const mallory = party('mallory');
const signers = signersOf(alice, bob);

function verify(env: Envelope | string, over: Partial<VerifyOptions> = {}): Verdict {
  return verifyEnvelope(typeof env === 'string' ? env : serializeEnvelope(env), { allowedSigners: signers, resolveRubric: miniResolver, ...over });
}

const failures = (v: Verdict): Check[] => v.checks.filter(c => !c.ok);

/** The verdict failed, and among its failures is `check` (at `field`, when given). */
function assertFails(v: Verdict, check: Check['check'], field?: string, message?: RegExp): void {
  assert.equal(v.ok, false, 'must not verify');
  const hit = failures(v).find(c => c.check === check && (field === undefined || c.field === field));
  assert.ok(hit, `expected a failed "${check}"${field !== undefined ? ` at ${field}` : ''}; failures: ${JSON.stringify(failures(v))}`);
  if (message) assert.match(hit.message, message);
}

/** Signs any statement-like value as it is (a signer who produced it). */
function signRaw(value: unknown, who = alice): Envelope {
  return signEnvelope(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), who.key);
}

describe('DSSE and in-toto', () => {
  test('PAE is "DSSEv1 <len> <type> <len> <body>" with byte lengths', () => {
    assert.equal(pae('t', Buffer.from('hello')).toString(), 'DSSEv1 1 t 5 hello');
    assert.equal(pae('application/vnd.in-toto+json', Buffer.from('é')).toString(), 'DSSEv1 28 application/vnd.in-toto+json 2 é');
    assert.equal(pae('', Buffer.alloc(0)).toString(), 'DSSEv1 0  0 ');
  });

  test('round trip: a signed worksheet verifies, every check passes, and the verdict carries the worksheet', () => {
    const env = signedBy(alice);
    const v = verify(env);
    assert.deepEqual(failures(v), []);
    assert.equal(v.ok, true);
    assert.deepEqual(v.signers, ['alice']);
    assert.equal(v.worksheet?.total, 19.5);
    assert.deepEqual(new Set(v.checks.map(c => c.check)), new Set(['json', 'signature', 'threshold', 'schema', 'subjects', 'rubric-digest', 'ceilings', 'total']));
    const statement = v.statement;
    assert.ok(statement);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.deepEqual(statement.subject, [
      { name: 'baseline', digest: { gitTree: BASELINE_TREE } },
      { name: 'run', digest: { gitTree: RUN_TREE } },
      { name: 'mini-v1.rubric.json', digest: { sha256: MINI_SHA256 } },
    ]);
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    assert.equal(env.signatures[0]?.keyid, alice.key.keyId);
    const trees = verify(env, { trees: { baseline: BASELINE_TREE, run: RUN_TREE } });
    assert.equal(trees.ok, true);
    assert.equal(trees.checks.filter(c => c.check === 'tree' && c.ok).length, 2);
  });

  test('co-signing adds a signature; the threshold counts distinct allowed signers', () => {
    const one = signedBy(alice);
    assertFails(verify(one, { threshold: 2 }), 'threshold', undefined, /1 of 2 required signers \(alice\)/);
    const two = cosignEnvelope(one, bob.key);
    assert.equal(two.payload, one.payload);
    assert.equal(two.signatures.length, 2);
    const v = verify(two, { threshold: 2 });
    assert.equal(v.ok, true, JSON.stringify(failures(v)));
    assert.deepEqual(v.signers, ['alice', 'bob']);
    assertFails(verify(two, { threshold: 3 }), 'threshold');
    assert.throws(() => cosignEnvelope(two, alice.key), e => isSebError(e) && /already signed by SHA256:/.test(e.message));
    // the same signature twice does not count twice
    const sig = one.signatures[0];
    assert.ok(sig);
    assertFails(verify({ ...one, signatures: [sig, sig] }, { threshold: 2 }), 'signature', 'signatures[1].keyid', /signed twice/);
  });
});

describe('tampering is rejected, with the reason', () => {
  const good = signedBy(alice);

  test('any single byte of the decoded payload flipped never verifies (property)', () => {
    const bytes = Buffer.from(good.payload, 'base64');
    fc.assert(fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] ?? 0) ^ x;
      const v = verify({ ...good, payload: changed.toString('base64') });
      assertFails(v, 'signature', 'signatures[0].sig');
    }), { numRuns: 300 });
  });

  test('any single character of the base64 payload changed never verifies (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n"';
    fc.assert(fc.property(fc.nat({ max: good.payload.length - 1 }), fc.constantFrom(...alphabet), (i, ch) => {
      fc.pre(good.payload[i] !== ch);
      const payload = good.payload.slice(0, i) + ch + good.payload.slice(i + 1);
      const v = verify({ ...good, payload });
      assert.equal(v.ok, false);
      const first = failures(v)[0];
      assert.ok(first && ((first.check === 'schema' && first.field === 'payload') || (first.check === 'signature' && first.field === 'signatures[0].sig')),
        JSON.stringify(first));
    }), { numRuns: 300 });
  });

  test('a base64 payload that is not canonical (same bytes, other text) is refused at schema', () => {
    let text = JSON.stringify(buildStatement({ ...miniWorksheet(), grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } }, 'mini-v1.rubric.json'));
    while (Buffer.byteLength(text) % 3 !== 1) text += ' ';
    const env = signRaw(text);
    assert.equal(verify(env).ok, true);
    assert.match(env.payload, /[AQgw]==$/);
    // the last character before "==" carries 4 unused bits: Node decodes "…R==" like "…Q=="
    const last = env.payload.length - 3;
    const payload = env.payload.slice(0, last) + String.fromCharCode(env.payload.charCodeAt(last) + 1) + '==';
    assert.deepEqual(Buffer.from(payload, 'base64'), Buffer.from(env.payload, 'base64'));
    assertFails(verify({ ...env, payload }), 'schema', 'payload', /not canonical base64/);
    assertFails(verify({ ...env, payload: `${env.payload.slice(0, 20)}\n${env.payload.slice(20)}` }), 'schema', 'payload');
  });

  test('a score or a rationale changed', () => {
    const score = editPayload(good, s => {
      const e = s.predicate.entries[1];
      if (e) e.points = 5;
      s.predicate.total = 20;
    });
    assertFails(verify(score), 'signature', 'signatures[0].sig', /does not verify with alice's key/);
    const rationale = editPayload(good, s => {
      const e = s.predicate.entries[0];
      if (e) e.rationale = 'Weak plan.';
    });
    assertFails(verify(rationale), 'signature', 'signatures[0].sig');
  });

  test('a signature moved to another envelope', () => {
    const other = signedBy(alice, miniWorksheet({ total: 19, entries: miniWorksheet().entries.map(e => e.dimension === 'wiring' ? { ...e, points: 4 } : e) }));
    assertFails(verify({ ...other, signatures: good.signatures }), 'signature', 'signatures[0].sig');
    assert.equal(verify(other).ok, true, 'the other envelope itself is fine');
  });

  test('a wrong key: signed by another key under alice\'s key id, or alice listed with another key', () => {
    const forged = signRaw(encodeStatement(buildStatement({ ...miniWorksheet(), grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } }, 'mini-v1.rubric.json')).toString(), mallory);
    const claimed = { ...forged, signatures: [{ keyid: alice.key.keyId, sig: forged.signatures[0]?.sig ?? '' }] };
    assertFails(verify(claimed), 'signature', 'signatures[0].sig', /does not verify/);
    const impostor = signersOf({ identity: 'alice', key: mallory.key });
    assertFails(verify(good, { allowedSigners: impostor }), 'signature', 'signatures[0].keyid', /unknown signer/);
  });

  test('an unknown signer', () => {
    const v = verify(signedBy(mallory));
    assertFails(v, 'signature', 'signatures[0].keyid', /unknown signer: SHA256:\S+ is not in the allowed signers/);
    assertFails(v, 'threshold');
    assert.deepEqual(v.signers, []);
  });

  test('a tree that no longer matches', () => {
    const v = verify(good, { trees: { baseline: BASELINE_TREE, run: 'c'.repeat(40) } });
    assertFails(v, 'tree', 'subject[1].digest.gitTree', /the run tree is now c{40}/);
    assert.ok(v.checks.some(c => c.check === 'tree' && c.ok && c.field === 'subject[0].digest.gitTree'));
    assertFails(verify(good, { trees: { baseline: 'd'.repeat(40), run: RUN_TREE } }), 'tree', 'subject[0].digest.gitTree');
  });

  test('an altered rubric, and a rubric that cannot be found', () => {
    const altered = { rubric: { ...MINI, dimensions: MINI.dimensions.map(d => ({ ...d })) }, sha256: 'f'.repeat(64), file: MINI_FILE };
    assertFails(verify(good, { resolveRubric: resolverWith(altered) }), 'rubric-digest', 'subject[2].digest.sha256', /the rubric was changed/);
    assertFails(verify(good, { resolveRubric: () => undefined }), 'rubric-digest', 'predicate.rubric', /not found/);
  });

  test('a truncated file fails at json, with the position', () => {
    const text = serializeEnvelope(good);
    for (const cut of [1, 10, Math.floor(text.length / 2), text.length - 3]) {
      const v = verify(text.slice(0, cut));
      assertFails(v, 'json', '(root)', /line \d+, column \d+ \(offset \d+/);
    }
    assertFails(verify(''), 'json', '(root)', /empty/);
  });

  test('duplicate keys: in the envelope and inside the signed payload', () => {
    const text = serializeEnvelope(good).replace('"payloadType"', `"payload": "${good.payload}",\n  "payloadType"`);
    assertFails(verify(text), 'json', 'payload', /duplicate key \(line 4, column 3/);
    const statement = JSON.stringify(buildStatement({ ...miniWorksheet(), grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } }, 'mini-v1.rubric.json'));
    const dup = statement.replace('"total":19.5', '"total":19.5,"total":100');
    assert.notEqual(dup, statement);
    assertFails(verify(signRaw(dup)), 'json', 'predicate.total', /duplicate key .*in the decoded payload/);
  });

  test('unexpected fields at every level: envelope, signature, statement, subject, predicate, entry', () => {
    assertFails(verify(JSON.stringify({ ...good, note: 'x' })), 'schema', 'note', /not a known field/);
    assertFails(verify(JSON.stringify({ ...good, signatures: good.signatures.map(s => ({ ...s, cert: '' })) })), 'schema', 'signatures[0].cert');
    const statement = buildStatement({ ...miniWorksheet(), grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } }, 'mini-v1.rubric.json');
    assertFails(verify(signRaw({ ...statement, comment: 'x' })), 'schema', 'comment');
    assertFails(verify(signRaw({ ...statement, subject: statement.subject.map((s, i) => i === 0 ? { ...s, uri: 'x' } : s) })), 'schema', 'subject[0].uri');
    assertFails(verify(signRaw({ ...statement, predicate: { ...statement.predicate, bonus: 5 } })), 'schema', 'predicate.bonus');
    const entries = statement.predicate.entries.map((e, i) => i === 2 ? { ...e, weight: 2 } : e);
    assertFails(verify(signRaw({ ...statement, predicate: { ...statement.predicate, entries } })), 'schema', 'predicate.entries[2].weight');
    assertFails(verify(signRaw({ ...statement, subject: [...statement.subject, { name: 'x', digest: { sha256: MINI_SHA256 } }] })), 'schema');
    assertFails(verify(JSON.stringify({ ...good, payloadType: 'text/plain' })), 'schema', 'payloadType');
  });

  test('a score above its ceiling, signed by a valid key, fails at ceilings; a wrong total fails at total', () => {
    const over = signedBy(alice, miniWorksheet({ total: 20.5, entries: miniWorksheet().entries.map(e => e.dimension === 'plan' ? { ...e, points: 6 } : e) }));
    const v = verify(over);
    assert.ok(v.checks.some(c => c.check === 'signature' && c.ok), 'the signature itself is valid');
    assertFails(v, 'ceilings', 'predicate.entries[0].points', /6 is above the ceiling of 5 \(plan\)/);
    assert.equal(failures(v).length, 1, JSON.stringify(failures(v)));
    assertFails(verify(signedBy(alice, miniWorksheet({ total: 100 }))), 'total', 'predicate.total', /is 100, but the entries add up to 19.5/);
    const offStep = miniWorksheet({ total: 19.3, entries: miniWorksheet().entries.map(e => e.dimension === 'wiring' ? { ...e, points: 4.3 } : e) });
    assertFails(verify(signedBy(alice, offStep)), 'ceilings', 'predicate.entries[1].points', /not a multiple of the step 0.5/);
    const missing = miniWorksheet({ total: 9.5, entries: miniWorksheet().entries.filter(e => e.dimension !== 'proof') });
    assertFails(verify(signedBy(alice, missing)), 'ceilings', 'predicate.entries', /no entry for "proof"/);
  });

  test('subjects that disagree with the worksheet, and a grader key that did not sign', () => {
    const statement = buildStatement({ ...miniWorksheet(), grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } }, 'mini-v1.rubric.json');
    const moved = { ...statement, subject: [{ name: 'baseline', digest: { gitTree: 'e'.repeat(40) } }, statement.subject[1], statement.subject[2]] };
    assertFails(verify(signRaw(moved)), 'subjects', 'subject[0].digest.gitTree');
    assertFails(verify(signRaw(statement, bob)), 'signature', 'predicate.grader.keyId', /has no valid signature/);
  });
});
