import { type KeyObject } from 'node:crypto';
import { SebError, errorMessage } from '../errors';
import { identityCharacterProblem, sameIdentity } from './identity';
import { keyIdOf, publicKeyFromSsh, sshPublicKey } from './keys';

/**
 * Who may sign: one line per signer, `identity ssh-ed25519 AAAA… [comment]`, the subset of OpenSSH's allowed_signers
 * format without options. Blank lines and lines starting with "#" are ignored. An identity has no spaces
 * (alice@example.org); one identity may have several keys (a new key and the old one), a key belongs to one identity.
 * Identities are compared, and refused, as ./identity says: "Alice" and "alice" are one identity; "аlice" with a
 * Cyrillic "а" is refused.
 */
export interface AllowedSigner {
  identity: string;
  publicKey: KeyObject;
  keyId: string;
  /** 1-based line in the file. */
  line: number;
}

export interface AllowedSignersProblem {
  line: number;
  message: string;
}

export type AllowedSignersResult = { ok: true; signers: AllowedSigner[] } | { ok: false; problems: AllowedSignersProblem[] };

const IDENTITY = /^[^\s#"][^\s"]*$/;

/** The allowed-signers line of a key: what "Copy Public Key" and `seb-review keygen` give. */
export function allowedSignersLine(identity: string, publicKey: KeyObject, comment?: string): string {
  const problem = identityProblem(identity);
  if (problem !== undefined) throw new Error(`identity ${JSON.stringify(identity)} ${problem}`);
  return `${identity} ${sshPublicKey(publicKey)}${comment ? ` ${comment.replace(/\s+/g, ' ').trim()}` : ''}`;
}

/** Why an identity cannot be written in an allowed-signers file, or undefined when it can. */
export function identityProblem(identity: string): string | undefined {
  if (identity === '') return 'is empty';
  if (!IDENTITY.test(identity)) return 'must be one word: no spaces or quotes, not starting with "#"';
  return identityCharacterProblem(identity);
}

export function checkAllowedSigners(text: string): AllowedSignersResult {
  const signers: AllowedSigner[] = [];
  const problems: AllowedSignersProblem[] = [];
  const byKey = new Map<string, AllowedSigner>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const [identity = '', type, key] = content.split(/\s+/);
    const bad = identityProblem(identity);
    if (bad !== undefined) {
      problems.push({ line, message: `the identity ${JSON.stringify(identity)} ${bad}` });
      return;
    }
    if (type === undefined || key === undefined) {
      problems.push({ line, message: `expected "identity ssh-ed25519 AAAA… [comment]", found only ${JSON.stringify(content)}` });
      return;
    }
    if (type.includes('=')) {
      problems.push({ line, message: `options (${JSON.stringify(type)}) are not supported; expected "identity ssh-ed25519 AAAA… [comment]"` });
      return;
    }
    let publicKey: KeyObject;
    try {
      publicKey = publicKeyFromSsh(type, key);
    } catch (e) {
      problems.push({ line, message: errorMessage(e) });
      return;
    }
    const signer = { identity, publicKey, keyId: keyIdOf(publicKey), line };
    const earlier = byKey.get(signer.keyId);
    if (earlier !== undefined) {
      if (!sameIdentity(earlier.identity, identity)) {
        problems.push({ line, message: `the key ${signer.keyId} is already line ${earlier.line}'s, for ${earlier.identity}; a key belongs to one identity` });
      }
      return;
    }
    byKey.set(signer.keyId, signer);
    signers.push(signer);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, signers };
}

/** Parses an allowed-signers file; throws a SebError naming the file and each bad line. */
export function parseAllowedSigners(text: string, file: string): AllowedSigner[] {
  const result = checkAllowedSigners(text);
  if (!result.ok) {
    throw new SebError('bad-manifest', `${file}: ${result.problems.map(p => `line ${p.line}: ${p.message}`).join('; ')}`, file);
  }
  if (result.signers.length === 0) throw new SebError('bad-manifest', `${file}: lists no signers ("identity ssh-ed25519 AAAA…" lines)`, file);
  return result.signers;
}
