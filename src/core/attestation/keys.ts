import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SebError, errorMessage } from '../errors';
import { type Signer } from './dsse';
import { ed25519PublicKeyProblem } from './ed25519-point';
import { ed25519Blob, isOpenSshPrivateKey, parseOpenSshPrivateKey, rawFromEd25519Blob, SSH_ED25519 } from './openssh';

/** An Ed25519 key pair that signs worksheets; `keyId` is its OpenSSH fingerprint ("SHA256:…"). */
export interface SigningKey extends Signer {
  publicKey: KeyObject;
}

function keyError(source: string, message: string): SebError {
  return new SebError('bad-manifest', `${source}: ${message}`, source);
}

const b64url = (b: Buffer): string => b.toString('base64url');
/** PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed: SEQUENCE, version 0, id-Ed25519, OCTET STRING. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A fresh Ed25519 key. */
export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFrom(privateKey);
}

/** The signing key of an Ed25519 private KeyObject; throws for any other key type. */
export function signingKeyFrom(privateKey: KeyObject, source = 'the key'): SigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw keyError(source, `is a ${privateKey.asymmetricKeyType ?? 'symmetric'} ${privateKey.type} key; an Ed25519 private key is needed`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * Reads a private key: an unencrypted OpenSSH ed25519 key ("-----BEGIN OPENSSH PRIVATE KEY-----", as `ssh-keygen -t
 * ed25519 -N ''` writes it) or an unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", as `seb-review keygen` and
 * `openssl genpkey -algorithm ed25519` write it). `source` names the file in errors.
 */
export function importPrivateKey(text: string, source: string): SigningKey {
  if (isOpenSshPrivateKey(text)) {
    let parsed;
    try {
      parsed = parseOpenSshPrivateKey(text);
    } catch (e) {
      throw keyError(source, errorMessage(e));
    }
    return signingKeyFromSeed(parsed.seed, parsed.publicKey, source);
  }
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw keyError(source, 'is encrypted with a passphrase; only unencrypted keys can be imported ' +
      '(openssl pkey -in FILE -out COPY writes an unencrypted copy)');
  }
  if (!text.includes('-----BEGIN PRIVATE KEY-----')) {
    const what = /-----BEGIN ([A-Z ]+)-----/.exec(text)?.[1];
    throw keyError(source, what !== undefined
      ? `holds a "${what}", not an Ed25519 private key (expected "OPENSSH PRIVATE KEY" or PKCS#8 "PRIVATE KEY")`
      : 'is not a private key file (expected "-----BEGIN OPENSSH PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----")');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (e) {
    throw keyError(source, `cannot be read as a PKCS#8 private key: ${errorMessage(e)}`);
  }
  return signingKeyFrom(key, source);
}

/** The key of a 32-byte Ed25519 seed; `expectedPublic`, when given, must be the public key it derives. */
export function signingKeyFromSeed(seed: Buffer, expectedPublic: Buffer | undefined, source = 'the key'): SigningKey {
  if (seed.length !== 32) throw keyError(source, `has a ${seed.length}-byte Ed25519 seed; expected 32`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const key = signingKeyFrom(privateKey, source);
  if (expectedPublic !== undefined && !rawPublicKey(key.publicKey).equals(expectedPublic)) {
    throw keyError(source, 'is corrupt: its public key is not the one its private key derives');
  }
  return key;
}

/** The private key as unencrypted PKCS#8 PEM (what `seb-review keygen` writes). */
export function privateKeyPem(key: Signer): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const x = publicKey.export({ format: 'jwk' }).x;
  if (publicKey.asymmetricKeyType !== 'ed25519' || x === undefined) throw new Error('not an Ed25519 public key');
  return Buffer.from(x, 'base64url');
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
}

/** "ssh-ed25519 AAAA…": the public key as OpenSSH writes it (authorized_keys, allowed_signers, *.pub). */
export function sshPublicKey(publicKey: KeyObject): string {
  return `${SSH_ED25519} ${ed25519Blob(rawPublicKey(publicKey)).toString('base64')}`;
}

/**
 * The public key of "ssh-ed25519 AAAA…" (the base64 blob); throws an Error saying what is wrong. Keys anyone can sign
 * for (small-order points) and non-canonical encodings are refused (./ed25519-point).
 */
export function publicKeyFromSsh(type: string, base64: string): KeyObject {
  if (type !== SSH_ED25519) throw new Error(`the key type is ${JSON.stringify(type)}; only ssh-ed25519 keys are supported`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('the key is not base64');
  const blob = Buffer.from(base64, 'base64');
  let raw: Buffer;
  try {
    raw = rawFromEd25519Blob(blob);
  } catch (e) {
    throw new Error(`the key ${errorMessage(e)}`, { cause: e });
  }
  const problem = ed25519PublicKeyProblem(raw);
  if (problem !== undefined) throw new Error(`the key ${problem}`);
  return publicKeyFromRaw(raw);
}

/**
 * The key id: OpenSSH's fingerprint, "SHA256:" and the unpadded base64 of the SHA-256 of the public key blob, the
 * same as `ssh-keygen -lf key.pub` prints.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const digest = createHash('sha256').update(ed25519Blob(rawPublicKey(publicKey))).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
