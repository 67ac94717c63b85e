import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  allowedSignersLine, checkAllowedSigners, generateSigningKey, importPrivateKey, keyIdOf, parseAllowedSigners, privateKeyPem,
  rawPublicKey, serializeEnvelope, sshPublicKey, verifyEnvelope,
} from '../../src/core/attestation';
import { formatOpenSshPrivateKey, parseOpenSshPrivateKey } from '../../src/core/attestation/openssh';
import { isSebError } from '../../src/core/errors';
import { scratch } from './helpers';
import { miniResolver, signedBy } from './attestation-fixtures';

const run = (cmd: string, ...args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `ssh-keygen -t TYPE -N PASS -f FILE` (OpenSSH's own key files). */
function sshKeygen(file: string, type = 'ed25519', passphrase = ''): void {
  run('ssh-keygen', '-q', '-t', type, '-N', passphrase, '-C', 'alice@example.org', '-f', file);
}

const refused = (pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(isSebError(e), String(e));
  assert.match(e.message, pattern);
  return true;
};

describe('signing keys', () => {
  const s = scratch('seb-keys-');
  after(() => s.done());

  test('ssh-keygen is installed (the OpenSSH tests need it)', () => {
    assert.match(run('sh', '-c', 'command -v ssh-keygen'), /ssh-keygen/);
  });

  test('an OpenSSH ed25519 key from ssh-keygen: the same public key and fingerprint as ssh-keygen -lf; it signs', () => {
    const file = path.join(s.dir, 'id_ed25519');
    sshKeygen(file);
    const key = importPrivateKey(readFileSync(file, 'utf8'), file);
    const pub = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
    assert.equal(sshPublicKey(key.publicKey), `${pub[0]} ${pub[1]}`);
    const fingerprint = run('ssh-keygen', '-lf', `${file}.pub`).split(/\s+/)[1];
    assert.equal(key.keyId, fingerprint);
    assert.match(key.keyId, /^SHA256:[A-Za-z0-9+/]{43}$/);
    // the allowed-signers line made from the .pub file accepts its signatures
    const signers = parseAllowedSigners(`alice ${pub[0]} ${pub[1]} ${pub[2] ?? ''}\n`, 'allowed_signers');
    const v = verifyEnvelope(serializeEnvelope(signedBy({ identity: 'alice', key })), { allowedSigners: signers, resolveRubric: miniResolver });
    assert.equal(v.ok, true, JSON.stringify(v.checks.filter(c => !c.ok)));
  });

  test('a passphrase-protected OpenSSH key, another key type, a truncated file: refused, saying why', () => {
    const enc = path.join(s.dir, 'enc');
    sshKeygen(enc, 'ed25519', 'secret phrase');
    assert.throws(() => importPrivateKey(readFileSync(enc, 'utf8'), enc), refused(/enc: is encrypted with a passphrase \(cipher aes256-ctr, kdf bcrypt\)/));
    const ecdsa = path.join(s.dir, 'ecdsa');
    sshKeygen(ecdsa, 'ecdsa');
    assert.throws(() => importPrivateKey(readFileSync(ecdsa, 'utf8'), ecdsa), refused(/only ssh-ed25519 keys are supported/));
    const text = readFileSync(path.join(s.dir, 'id_ed25519'), 'utf8');
    assert.throws(() => importPrivateKey(text.slice(0, 200), 'cut'), refused(/cut: has no "-----END OPENSSH PRIVATE KEY-----" line/));
    const lines = text.split('\n');
    const short = [lines[0], lines[1], lines[lines.length - 2], ''].join('\n');
    assert.throws(() => importPrivateKey(short, 'short'), refused(/short: .*ends early/));
  });

  test('openssh-key-v1 written from a Node key is read back, and ssh-keygen reads it too', () => {
    const key = generateSigningKey();
    const jwk = key.privateKey.export({ format: 'jwk' });
    const seed = Buffer.from(jwk.d ?? '', 'base64url');
    const text = formatOpenSshPrivateKey({ seed, publicKey: rawPublicKey(key.publicKey), comment: 'node' });
    const back = importPrivateKey(text, 'node-key');
    assert.equal(back.keyId, key.keyId);
    assert.deepEqual(parseOpenSshPrivateKey(text).seed, seed);
    const file = path.join(s.dir, 'from-node');
    writeFileSync(file, text, { mode: 0o600 });
    assert.equal(run('ssh-keygen', '-y', '-f', file).trim().split(/\s+/).slice(0, 2).join(' '), sshPublicKey(key.publicKey));
    // a public half that does not belong to the seed
    const other = rawPublicKey(generateSigningKey().publicKey);
    assert.throws(() => importPrivateKey(formatOpenSshPrivateKey({ seed, publicKey: other, comment: '' }), 'mixed'), refused(/mixed: is corrupt/));
  });

  test('PKCS#8 PEM: our own keys, openssl genpkey keys; encrypted and non-Ed25519 keys refused', () => {
    const key = generateSigningKey();
    const pem = privateKeyPem(key);
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(importPrivateKey(pem, 'k.pem').keyId, key.keyId);
    const file = path.join(s.dir, 'openssl.pem');
    run('openssl', 'genpkey', '-algorithm', 'ed25519', '-out', file);
    const imported = importPrivateKey(readFileSync(file, 'utf8'), file);
    const pubDer = run('openssl', 'pkey', '-in', file, '-pubout', '-outform', 'PEM');
    assert.equal(imported.publicKey.export({ type: 'spki', format: 'pem' }).toString(), pubDer);
    const encrypted = path.join(s.dir, 'enc.pem');
    run('openssl', 'genpkey', '-algorithm', 'ed25519', '-aes256', '-pass', 'pass:secret', '-out', encrypted);
    assert.throws(() => importPrivateKey(readFileSync(encrypted, 'utf8'), encrypted), refused(/is encrypted with a passphrase/));
    const rsa = path.join(s.dir, 'rsa.pem');
    run('openssl', 'genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa);
    assert.throws(() => importPrivateKey(readFileSync(rsa, 'utf8'), rsa), refused(/is a rsa private key; an Ed25519 private key is needed/));
    assert.throws(() => importPrivateKey('hello', 'notes.txt'), refused(/notes.txt: is not a private key file/));
    assert.throws(() => importPrivateKey(key.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pub.pem'), refused(/holds a "PUBLIC KEY"/));
  });
});

describe('allowed signers', () => {
  const a = generateSigningKey();
  const b = generateSigningKey();

  test('lines of "identity ssh-ed25519 AAAA… [comment]"; comments and blank lines ignored; one identity, several keys', () => {
    const text = [
      '# reviewers of the SEB runs',
      '',
      allowedSignersLine('alice@example.org', a.publicKey, 'laptop key'),
      `   ${allowedSignersLine('alice@example.org', b.publicKey)}   `,
      allowedSignersLine('alice@example.org', a.publicKey),
    ].join('\r\n');
    const signers = parseAllowedSigners(text, 'allowed_signers');
    assert.deepEqual(signers.map(x => [x.identity, x.keyId, x.line]), [['alice@example.org', a.keyId, 3], ['alice@example.org', b.keyId, 4]]);
    assert.equal(keyIdOf(signers[0]?.publicKey ?? a.publicKey), a.keyId);
    assert.match(allowedSignersLine('bob', a.publicKey), /^bob ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=*$/);
    assert.throws(() => allowedSignersLine('bob smith', a.publicKey), /must be one word/);
  });

  test('malformed lines are reported with their line numbers', () => {
    const key = sshPublicKey(a.publicKey);
    const result = checkAllowedSigners([
      'alice',
      `bob ssh-rsa ${key.split(' ')[1] ?? ''}`,
      'carol ssh-ed25519 not*base64',
      `dave namespaces="git" ${key}`,
      'erin ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==',
      `frank ${key}`,
      `grace ${key}`,
    ].join('\n'));
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map(p => p.line), [1, 2, 3, 4, 5, 7]);
    const text = result.ok ? '' : result.problems.map(p => `${p.line}: ${p.message}`).join('\n');
    assert.match(text, /^1: expected "identity ssh-ed25519 AAAA… \[comment\]"/m);
    assert.match(text, /^2: the key type is "ssh-rsa"; only ssh-ed25519/m);
    assert.match(text, /^3: the key is not base64/m);
    assert.match(text, /^4: options .* are not supported/m);
    assert.match(text, /^5: the key .*(ends early|not a well-formed)/m);
    assert.match(text, /^7: the key SHA256:\S+ is already line 6's, for frank/m);
    assert.throws(() => parseAllowedSigners('alice\n', 'signers.txt'), refused(/^signers.txt: line 1: expected/));
    assert.throws(() => parseAllowedSigners('# nobody\n', 'signers.txt'), refused(/signers.txt: lists no signers/));
  });
});
