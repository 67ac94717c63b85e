/**
 * OpenSSH's own private key file ("-----BEGIN OPENSSH PRIVATE KEY-----", the openssh-key-v1 format of PROTOCOL.key),
 * read far enough to take an unencrypted Ed25519 key out of it, and the SSH wire encoding of an Ed25519 public key.
 */

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
export const SSH_ED25519 = 'ssh-ed25519';

/** Reads the SSH wire types (uint32, length-prefixed string) from a buffer, refusing to read past its end. */
export class SshReader {
  private offset = 0;
  constructor(private readonly buf: Buffer, private readonly what: string) {}

  uint32(): number {
    if (this.offset + 4 > this.buf.length) throw new Error(`${this.what} ends early (offset ${this.offset})`);
    const n = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return n;
  }

  bytes(): Buffer {
    const n = this.uint32();
    if (this.offset + n > this.buf.length) throw new Error(`${this.what} ends early: a field of ${n} bytes at offset ${this.offset}`);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  string(): string {
    return this.bytes().toString('utf8');
  }

  rest(): Buffer {
    return this.buf.subarray(this.offset);
  }

  get done(): boolean {
    return this.offset === this.buf.length;
  }
}

export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** The public key blob: string "ssh-ed25519", string key (32 bytes). */
export function ed25519Blob(rawPublic: Buffer): Buffer {
  return Buffer.concat([sshString(SSH_ED25519), sshString(rawPublic)]);
}

/** The 32-byte public key in an "ssh-ed25519" blob; throws with what is wrong. */
export function rawFromEd25519Blob(blob: Buffer): Buffer {
  const r = new SshReader(blob, 'the public key');
  const type = r.string();
  if (type !== SSH_ED25519) throw new Error(`is a ${JSON.stringify(type)} key; only ssh-ed25519 keys are supported`);
  const key = r.bytes();
  if (key.length !== 32 || !r.done) throw new Error('is not a well-formed ssh-ed25519 public key');
  return key;
}

export function isOpenSshPrivateKey(text: string): boolean {
  return text.includes(BEGIN);
}

export interface OpenSshEd25519 {
  seed: Buffer;
  publicKey: Buffer;
  comment: string;
}

/**
 * The Ed25519 key of an unencrypted openssh-key-v1 file. Throws an Error that says what is wrong: encrypted
 * (passphrase-protected) keys, other key types, several keys, and malformed files are refused.
 */
export function parseOpenSshPrivateKey(text: string): OpenSshEd25519 {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error(`has no "${END}" line: is it cut short?`);
  const body = text.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  const bin = Buffer.from(body, 'base64');
  if (!bin.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('is not an openssh-key-v1 private key');
  const r = new SshReader(bin.subarray(MAGIC.length), 'the OpenSSH private key');
  const cipher = r.string();
  const kdf = r.string();
  r.bytes(); // kdf options
  if (cipher !== 'none' || kdf !== 'none') {
    throw new Error(`is encrypted with a passphrase (cipher ${cipher}, kdf ${kdf}); only unencrypted keys can be imported. ` +
      'Remove the passphrase on a copy first: ssh-keygen -p -N "" -f COPY');
  }
  const count = r.uint32();
  if (count !== 1) throw new Error(`holds ${count} keys; expected exactly one`);
  const publicBlob = r.bytes();
  const privateSection = r.bytes();
  const publicKey = rawFromEd25519Blob(publicBlob);
  const p = new SshReader(privateSection, 'the private section');
  if (p.uint32() !== p.uint32()) throw new Error('is corrupt (its check numbers differ)');
  const type = p.string();
  if (type !== SSH_ED25519) throw new Error(`is a ${JSON.stringify(type)} key; only ssh-ed25519 keys are supported`);
  const pub2 = p.bytes();
  const secret = p.bytes();
  const comment = p.string();
  if (secret.length !== 64 || !pub2.equals(publicKey) || !secret.subarray(32).equals(publicKey)) {
    throw new Error('is corrupt (its public and private parts do not match)');
  }
  const padding = p.rest();
  if (padding.some((b, i) => b !== i + 1)) throw new Error('is corrupt (bad padding)');
  return { seed: Buffer.from(secret.subarray(0, 32)), publicKey: Buffer.from(publicKey), comment };
}

/** Writes an unencrypted openssh-key-v1 file, as `ssh-keygen -N ''` does (for tests and key export). */
export function formatOpenSshPrivateKey(key: OpenSshEd25519, checkint = 0x5eb5eb5e): string {
  const check = Buffer.alloc(8);
  check.writeUInt32BE(checkint >>> 0, 0);
  check.writeUInt32BE(checkint >>> 0, 4);
  let priv = Buffer.concat([
    check, sshString(SSH_ED25519), sshString(key.publicKey), sshString(Buffer.concat([key.seed, key.publicKey])), sshString(key.comment),
  ]);
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const bin = Buffer.concat([MAGIC, sshString('none'), sshString('none'), sshString(''), count, sshString(ed25519Blob(key.publicKey)), sshString(priv)]);
  const lines = bin.toString('base64').match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}
