/**
 * Checks an Ed25519 public key the way RFC 8032 §5.1.3 decodes it, over the field p = 2^255 − 19, and refuses the keys
 * anyone can sign for. OpenSSL (through node:crypto) accepts any 32 bytes as a public key and, for the identity point,
 * accepts a signature of any message made without a private key; so an allowed-signers line with such a key would let
 * anyone sign as its identity. Refused:
 * - non-canonical encodings: y ≥ p, or x = 0 with the sign bit set (another spelling of a point, or of no point);
 * - encodings that are not a point of the curve;
 * - the eight points of small order (1, 2, 4 or 8): found by multiplying the point by 8 and comparing with the
 *   identity, not by a list, so every encoding of them is caught. (The list itself is published, e.g. libsodium's
 *   ge25519_has_small_order blocklist and "Taming the many EdDSAs", Chalkias et al., 2020; the tests check it.)
 * Public values only: nothing here needs to run in constant time.
 */

export const P = (1n << 255n) - 19n;

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/** The curve constant d = −121665 / 121666 (mod p), as RFC 8032 §5.1 gives it (test/unit/attestation-small-order.test.ts computes it again). */
export const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
/** A square root of −1 (mod p): 2^((p − 1) / 4), as RFC 8032 §5.1.3 gives it (checked by the same test). */
export const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;

/** A point in projective coordinates: x = X / Z, y = Y / Z. */
interface Point {
  x: bigint;
  y: bigint;
  z: bigint;
}

/**
 * 2·q on −x² + y² = 1 + d·x²·y², in projective coordinates so that no step needs an inversion ("dbl-2008-bbjlp",
 * Bernstein, Birkner, Joye, Lange, Peters: Twisted Edwards Curves, 2008, with a = −1). It gives what the affine
 * addition law gives for q + q, which is complete on this curve (d is not a square), so every point of the curve has
 * Z ≠ 0 after it.
 */
function double(q: Point): Point {
  const b = mod((q.x + q.y) * (q.x + q.y));
  const c = mod(q.x * q.x);
  const d = mod(q.y * q.y);
  const e = mod(-c);
  const f = mod(e + d);
  const h = mod(q.z * q.z);
  const j = mod(f - 2n * h);
  return { x: mod((b - c - d) * j), y: mod(f * (e - d)), z: mod(f * j) };
}

/** The neutral element (0, 1): X = 0 and Y = Z. */
const isIdentity = (q: Point): boolean => q.x === 0n && q.y === q.z;

/** The little-endian integer of 32 bytes, without bit 255, and bit 255 (the sign of x). */
function split(raw: Uint8Array): { y: bigint; sign: number } {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? (raw[i] ?? 0) & 0x7f : raw[i] ?? 0);
  return { y, sign: ((raw[31] ?? 0) >> 7) & 1 };
}

/** The point of y, choosing x by its sign bit; undefined when no x has x² = (y² − 1) / (d·y² + 1). */
function recoverX(y: bigint, sign: number): bigint | undefined {
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  // x = u·v³·(u·v⁷)^((p − 5) / 8), then fixed up by √−1 when v·x² = −u (RFC 8032 §5.1.3, step 3)
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vxx = mod(v * x * x);
  if (vxx === mod(-u)) x = mod(x * SQRT_M1);
  else if (vxx !== u) return undefined;
  if ((Number(x & 1n)) !== sign) x = mod(-x);
  return x;
}

/** Why these 32 bytes are not a public key to trust, or undefined when they are one. */
export function ed25519PublicKeyProblem(raw: Uint8Array): string | undefined {
  if (raw.length !== 32) return `is ${raw.length} bytes; an Ed25519 public key is 32`;
  const { y, sign } = split(raw);
  if (y >= P) return 'is not canonical: its y coordinate is 2^255 − 19 or more';
  const x = recoverX(y, sign);
  if (x === undefined) return 'is not a point on the Ed25519 curve';
  if (x === 0n && sign === 1) return 'is not canonical: x is 0 but the sign bit is set';
  let q: Point = { x, y, z: 1n };
  for (const order of [1, 2, 4, 8]) {
    if (isIdentity(q)) return `is a point of small order (${order}): anyone can make signatures that verify with it`;
    q = double(q);
  }
  return undefined;
}
