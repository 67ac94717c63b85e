import { SebError } from '../errors';
import { cosignEnvelope, type Envelope, type Signer } from './dsse';
import { verifyEnvelope, type Verdict, type VerifyOptions } from './verify';

export type CosignResult = { ok: true; envelope: Envelope; verdict: Verdict } | { ok: false; verdict: Verdict };

/**
 * Co-signing, as the CLI and the editor do it: the signed worksheet is verified first, the way `verify` does with a
 * threshold of one. Every signature already on it must be valid and by a key the allowed signers list (a DSSE signature
 * names its key only by fingerprint, so the public keys must come from there), the grader's key must be among them,
 * and the statement, its subjects, the rubric (digest, file name, ceilings, exact total) and, when given, the run's trees
 * and commits must check. Only then is the signature added. The co-signer's own key need not be listed. A key signs an
 * envelope once: a second signature by it is a SebError.
 */
export function cosignVerified(text: string, signer: Signer, options: Omit<VerifyOptions, 'threshold'>): CosignResult {
  const verdict = verifyEnvelope(text, { ...options, threshold: 1 });
  if (!verdict.ok || verdict.envelope === undefined) return { ok: false, verdict };
  if (verdict.envelope.signatures.some(s => s.keyid === signer.keyId)) {
    throw new SebError('bad-manifest', `the envelope is already signed by ${signer.keyId}; a key signs an envelope once`);
  }
  return { ok: true, envelope: cosignEnvelope(verdict.envelope, signer), verdict };
}
