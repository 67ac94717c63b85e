import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedSignersLine, cosignEnvelope, pae, serializeEnvelope, type Envelope } from '../../src/core/attestation';
import { scratch } from './helpers';
import { ROOT, editPayload, party, signedBy } from './attestation-fixtures';

/** The README's fenced shell block that verifies an envelope with openssl: run as it stands, so it cannot drift. */
function readmeBlock(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(m => m[1] ?? '');
  const found = blocks.filter(b => b.includes('openssl pkeyutl -verify'));
  assert.equal(found.length, 1, 'README.md has exactly one shell block with "openssl pkeyutl -verify"');
  return found[0] ?? '';
}

function sh(script: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-eu', '-c', script], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('verifying an envelope with openssl alone (the README\'s steps)', () => {
  const s = scratch('seb-openssl-');
  after(() => s.done());
  const alice = party('alice');
  const bob = party('bob');
  const block = readmeBlock();
  const names = { envelope: /^ENVELOPE=(\S+)/m.exec(block)?.[1], signers: /^SIGNERS=(\S+)/m.exec(block)?.[1], who: /^WHO=(\S+)/m.exec(block)?.[1] };

  function setUp(dir: string, env: Envelope): void {
    assert.ok(names.envelope && names.signers && names.who, 'the block sets ENVELOPE, SIGNERS and WHO');
    writeFileSync(path.join(dir, names.envelope), serializeEnvelope(env));
    writeFileSync(path.join(dir, names.signers), [
      '# test signers',
      allowedSignersLine('bob', bob.key.publicKey),
      allowedSignersLine(names.who, alice.key.publicKey, 'the grader'),
      '',
    ].join('\n'));
  }

  test('the tools are installed: openssl, jq, base64, awk', () => {
    for (const tool of ['openssl', 'jq', 'base64', 'awk', 'tail', 'wc']) {
      assert.equal(sh(`command -v ${tool}`, s.dir).status, 0, `${tool} is needed by the README's verification steps`);
    }
  });

  test('a co-signed envelope: the block verifies the named signer\'s signature, over exactly our PAE bytes', () => {
    const env = cosignEnvelope(signedBy(alice), bob.key);
    // alice's signature second, so the block must pick it by key id
    const reordered = { ...env, signatures: [...env.signatures].reverse() };
    setUp(s.dir, reordered);
    const r = sh(block, s.dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^Signature Verified Successfully$/m);
    assert.match(r.out, /"total": 19\.5/);
    const payload = Buffer.from(env.payload, 'base64');
    assert.deepEqual(readFileSync(path.join(s.dir, 'pae.bin')), pae(env.payloadType, payload));
    assert.deepEqual(readFileSync(path.join(s.dir, 'sig.bin')), Buffer.from(env.signatures[0]?.sig ?? '', 'base64'));
  });

  test('a changed payload fails; a PAE with one byte flipped fails', () => {
    const dir = path.join(s.dir, 'tampered');
    sh(`mkdir -p "${dir}"`, s.dir);
    const forged = editPayload(signedBy(alice), st => {
      st.predicate.total = 20;
    });
    setUp(dir, forged);
    const r = sh(block, dir);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /Signature Verification Failure/);
    assert.doesNotMatch(r.out, /Signature Verified Successfully/);

    setUp(dir, signedBy(alice));
    assert.equal(sh(block, dir).status, 0);
    const paeFile = path.join(dir, 'pae.bin');
    const bytes = readFileSync(paeFile);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    writeFileSync(paeFile, bytes);
    const verifyLine = block.split('\n').find(l => l.startsWith('openssl pkeyutl -verify')) ?? '';
    const flipped = sh(verifyLine, dir);
    assert.notEqual(flipped.status, 0);
    assert.match(flipped.out, /Signature Verification Failure/);
  });
});
