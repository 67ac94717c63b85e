import { sign, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import '../zod-setup';
import { SebError } from '../errors';

/** The payload type of an in-toto Statement in a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Standard base64 with padding, nothing else (no whitespace, no URL alphabet). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Canonical base64: Node's decoder ignores the unused low bits of the last character, so "QR==" decodes like "QQ==";
 * a text that does not re-encode to itself is refused, or a changed character could leave the bytes (and the
 * signature over them) as they were.
 */
export const Base64Schema = z.string().superRefine((s, ctx) => {
  if (!BASE64.test(s) || Buffer.from(s, 'base64').toString('base64') !== s) {
    ctx.addIssue({ code: 'custom', message: 'is not canonical base64 (standard alphabet, with padding)' });
  }
});

export const SignatureSchema = z.strictObject({
  /** The signer's key id: the OpenSSH fingerprint of the key, "SHA256:…". */
  keyid: z.string().min(1, 'is empty'),
  /** base64 of the Ed25519 signature over PAE(payloadType, payload). */
  sig: Base64Schema,
});

export const EnvelopeSchema = z.strictObject({
  payloadType: z.literal(IN_TOTO_PAYLOAD_TYPE),
  payload: Base64Schema,
  signatures: z.array(SignatureSchema).min(1, 'must hold at least one signature'),
});

export type Signature = z.infer<typeof SignatureSchema>;
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** What signs: an Ed25519 private key and its key id. */
export interface Signer {
  privateKey: KeyObject;
  keyId: string;
}

/**
 * The DSSE pre-authentication encoding, what is signed:
 * "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the byte length in ASCII decimal.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.length} `, 'ascii'), payload,
  ]);
}

export function payloadBytes(envelope: Pick<Envelope, 'payload'>): Buffer {
  return Buffer.from(envelope.payload, 'base64');
}

function signatureOver(envelope: Pick<Envelope, 'payloadType' | 'payload'>, signer: Signer): Signature {
  const sig = sign(null, pae(envelope.payloadType, payloadBytes(envelope)), signer.privateKey);
  return { keyid: signer.keyId, sig: sig.toString('base64') };
}

/** A new envelope around `payload`, signed once. */
export function signEnvelope(payload: Uint8Array, signer: Signer): Envelope {
  const unsigned = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(payload).toString('base64') } as const;
  return { ...unsigned, signatures: [signatureOver(unsigned, signer)] };
}

/** The same envelope with one more signature. A key signs an envelope once: a second signature is refused. */
export function cosignEnvelope(envelope: Envelope, signer: Signer): Envelope {
  if (envelope.signatures.some(s => s.keyid === signer.keyId)) {
    throw new SebError('bad-manifest', `the envelope is already signed by ${signer.keyId}; a key signs an envelope once`);
  }
  return { ...envelope, signatures: [...envelope.signatures, signatureOver(envelope, signer)] };
}

/** Whether `signature` is a valid Ed25519 signature of the envelope's PAE by `publicKey`. */
export function verifySignature(envelope: Pick<Envelope, 'payloadType' | 'payload'>, signature: Pick<Signature, 'sig'>, publicKey: KeyObject): boolean {
  const sig = Buffer.from(signature.sig, 'base64');
  if (sig.length !== 64) return false;
  try {
    return verify(null, pae(envelope.payloadType, payloadBytes(envelope)), publicKey, sig);
  } catch {
    return false;
  }
}

/** The file text of an envelope: stable field order, two-space indentation, a final newline. */
export function serializeEnvelope(envelope: Envelope): string {
  const ordered = { payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures.map(s => ({ keyid: s.keyid, sig: s.sig })) };
  return JSON.stringify(ordered, null, 2) + '\n';
}
