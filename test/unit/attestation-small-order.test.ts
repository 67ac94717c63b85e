import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { generateSigningKey, parseAllowedSigners, rawPublicKey } from '../../src/core/attestation';
import { isSebError } from '../../src/core/errors';
import { D, P, SQRT_M1 } from '../../src/core/attestation/ed25519-point';

/**
 * The eight points of small order on edwards25519, canonically encoded (32 bytes, little-endian y, sign of x in bit
 * 255). Source: the y coordinates of libsodium's blocklist (crypto_core/ed25519/ref10/ed25519_ref10.c,
 * ge25519_has_small_order), each with both signs of x where x ≠ 0; the same eight as table 6 of "Taming the many
 * EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020).
 */
const SMALL_ORDER: Record<string, string> = {
  'identity (order 1)': '0100000000000000000000000000000000000000000000000000000000000000',
  'order 2 (y = p - 1)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'order 4 (y = 0, x even)': '0000000000000000000000000000000000000000000000000000000000000000',
  'order 4 (y = 0, x odd)': '0000000000000000000000000000000000000000000000000000000000000080',
  'order 8 (y = 2707385501…, x even)': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'order 8 (y = 2707385501…, x odd)': '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'order 8 (y = 5518865911…, x even)': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'order 8 (y = 5518865911…, x odd)': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
};

/** Other spellings: y ≥ p = 2^255 - 19 (the libsodium list's "p" and "p + 1" entries, and the largest), x = 0 with the sign bit. */
const NON_CANONICAL: Record<string, string> = {
  'y = p (which is 0)': 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = p, sign bit set': 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'y = p + 1 (which is 1)': 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = p + 1, sign bit set': 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'y = 2^255 - 1': 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'identity with the sign bit set (x = 0)': '0100000000000000000000000000000000000000000000000000000000000080',
  'order 2 with the sign bit set (x = 0)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
};

/** An allowed-signers line for raw key bytes: "ssh-ed25519" and the SSH wire blob (string type, string key). */
function line(identity: string, rawHex: string): string {
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(Buffer.from(rawHex, 'hex'))]);
  return `${identity} ssh-ed25519 ${blob.toString('base64')}`;
}

function refusedAt(text: string, lineNo: number, pattern: RegExp): void {
  assert.throws(() => parseAllowedSigners(text, 'team/allowed_signers'), e => {
    assert.ok(isSebError(e), String(e));
    assert.match(e.message, new RegExp(`^team/allowed_signers: line ${lineNo}: the key ${pattern.source}`));
    return true;
  });
}

describe('Ed25519 public keys in an allowed-signers file', () => {
  const good = generateSigningKey();
  const goodLine = line('bob', rawPublicKey(good.publicKey).toString('hex'));

  test('why: node:crypto accepts a signature made without any private key for the identity key, for any message', () => {
    // S = a mod L and R = a·B for any scalar a: S·B = R + H(R, A, M)·A holds when A is the identity
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const seed = createHash('sha256').update('not anyone\'s key').digest();
    const h = createHash('sha512').update(seed).digest();
    h[0] = (h[0] ?? 0) & 248;
    h[31] = ((h[31] ?? 0) & 127) | 64;
    const a = BigInt(`0x${Buffer.from(h.subarray(0, 32)).reverse().toString('hex')}`) % L;
    const S = Buffer.from(a.toString(16).padStart(64, '0'), 'hex').reverse();
    const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    const R = rawPublicKey(createPublicKey(priv));
    const identity = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(SMALL_ORDER['identity (order 1)'] ?? '', 'hex').toString('base64url') }, format: 'jwk' });
    for (const message of ['a worksheet', 'another worksheet']) {
      assert.equal(verify(null, Buffer.from(message), identity, Buffer.concat([R, S])), true);
    }
  });

  for (const [name, hex] of Object.entries(SMALL_ORDER)) {
    test(`the small-order point ${name} is refused, with the file and line`, () => {
      refusedAt(`# team\n${goodLine}\n${line('alice', hex)}\n`, 3, /is a point of small order \([1248]\): anyone can make signatures that verify with it/);
    });
  }

  for (const [name, hex] of Object.entries(NON_CANONICAL)) {
    test(`the non-canonical encoding ${name} is refused, with the file and line`, () => {
      refusedAt(`${line('alice', hex)}\n${goodLine}\n`, 1, /is not canonical/);
    });
  }

  test('bytes that are no point of the curve are refused; real keys are accepted', () => {
    // y = 2: x² = (y² - 1) / (d·y² + 1) has no root mod p when that value is not a square (Euler's criterion)
    const p = (1n << 255n) - 19n;
    const powMod = (b: bigint, e: bigint): bigint => {
      let r = 1n;
      for (let x = b % p, k = e; k > 0n; k >>= 1n, x = (x * x) % p) if (k & 1n) r = (r * x) % p;
      return r;
    };
    const d = ((p - 121665n) * powMod(121666n, p - 2n)) % p;
    const offCurve = [2n, 3n, 4n, 5n, 6n, 7n].find(y => powMod(((y * y - 1n) * powMod((d * y * y + 1n) % p, p - 2n)) % p, (p - 1n) / 2n) === p - 1n);
    assert.ok(offCurve !== undefined);
    refusedAt(line('alice', Buffer.from(offCurve.toString(16).padStart(64, '0'), 'hex').reverse().toString('hex')), 1, /is not a point on the Ed25519 curve/);
    for (let i = 0; i < 50; i++) {
      const k = generateSigningKey();
      const [signer] = parseAllowedSigners(line('carol', rawPublicKey(k.publicKey).toString('hex')), 'allowed_signers');
      assert.equal(signer?.keyId, k.keyId);
    }
  });

  test('the curve constants written out in ed25519-point.ts are d = -121665 / 121666 and the square root of -1, mod 2^255 - 19', () => {
    const powMod = (b: bigint, e: bigint): bigint => {
      let r = 1n;
      for (let x = b % P, k = e; k > 0n; k >>= 1n, x = (x * x) % P) if (k & 1n) r = (r * x) % P;
      return r;
    };
    assert.equal(P, (1n << 255n) - 19n);
    assert.equal(D, ((P - 121665n) * powMod(121666n, P - 2n)) % P);
    assert.equal((D * 121666n) % P, P - 121665n);
    assert.equal(SQRT_M1, powMod(2n, (P - 1n) / 4n));
    assert.equal((SQRT_M1 * SQRT_M1) % P, P - 1n);
  });
});
