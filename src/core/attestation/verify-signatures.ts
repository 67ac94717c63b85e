import { type SignedWorksheet } from '../worksheet';
import { type AllowedSigner } from './allowed-signers';
import { type Check } from './checks';
import { verifySignature, type Envelope } from './dsse';
import { identityKey } from './identity';

/** A valid signature: the allowed signer whose key made it. */
export interface ValidSignature {
  keyId: string;
  identity: string;
}

/**
 * One check per signature: by an allowed signer's key, valid, and no key twice. Returns the valid ones, in order, and
 * the distinct identities among them (./identity equality; the spelling is the first one's).
 */
export function checkSignatures(envelope: Envelope, allowed: readonly AllowedSigner[], checks: Check[]): { valid: ValidSignature[]; identities: string[] } {
  const valid: ValidSignature[] = [];
  const identities = new Map<string, string>();
  const seen = new Set<string>();
  envelope.signatures.forEach((s, i) => {
    const at = `signatures[${i}]`;
    if (seen.has(s.keyid)) {
      checks.push({ check: 'signature', ok: false, field: `${at}.keyid`, message: `${s.keyid} signed twice` });
      return;
    }
    seen.add(s.keyid);
    const signer = allowed.find(a => a.keyId === s.keyid);
    if (signer === undefined) {
      checks.push({ check: 'signature', ok: false, field: `${at}.keyid`, message: `unknown signer: ${s.keyid} is not in the allowed signers` });
      return;
    }
    if (!verifySignature(envelope, s, signer.publicKey)) {
      checks.push({ check: 'signature', ok: false, field: `${at}.sig`,
        message: `does not verify with ${signer.identity}'s key ${s.keyid}: the payload or the signature was changed, or another key signed` });
      return;
    }
    checks.push({ check: 'signature', ok: true, field: at, message: `${signer.identity} (${s.keyid})` });
    valid.push({ keyId: s.keyid, identity: signer.identity });
    const key = identityKey(signer.identity);
    if (!identities.has(key)) identities.set(key, signer.identity);
  });
  return { valid, identities: [...identities.values()] };
}

/** The grader's key must be among the valid signatures: then the grader is that signer's identity. */
export function checkGrader(ws: SignedWorksheet, valid: readonly ValidSignature[], allowed: readonly AllowedSigner[], checks: Check[]): ValidSignature | undefined {
  const keyId = ws.grader.keyId;
  const bound = valid.find(v => v.keyId === keyId);
  if (bound !== undefined) {
    checks.push({ check: 'signature', ok: true, field: 'predicate.grader.keyId', message: `the grader ${JSON.stringify(ws.grader.name)} is ${bound.identity}, whose key signed` });
    return bound;
  }
  const listed = allowed.some(a => a.keyId === keyId);
  checks.push({ check: 'signature', ok: false, field: 'predicate.grader.keyId',
    message: `the grader's key ${keyId} has no valid signature on this envelope${listed ? '' : ' (and it is not in the allowed signers)'}` });
  return undefined;
}
