import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  allowedSignersLine, checkAllowedSigners, cosignEnvelope, parseAllowedSigners, serializeEnvelope, verifyEnvelope, type Verdict,
} from '../../src/core/attestation';
import { isSebError } from '../../src/core/errors';
import { scratch } from './helpers';
import { miniResolver, party, signedBy, type Party } from './attestation-fixtures';
import { cli } from './cli-run';

const linesOf = (...entries: Array<[string, Party]>) => entries.map(([identity, p]) => `${identity} ${allowedSignersLine('x', p.key.publicKey).slice(2)}`).join('\n');

/** Alice's worksheet, co-signed by the second party; verified against `signers` with a threshold of 2. */
function twoSignatures(first: Party, second: Party, signersText: string): Verdict {
  const env = cosignEnvelope(signedBy(first), second.key);
  return verifyEnvelope(serializeEnvelope(env), { allowedSigners: parseAllowedSigners(signersText, 'allowed_signers'), resolveRubric: miniResolver, threshold: 2 });
}

function refusedAt(text: string, line: number, pattern: RegExp): void {
  assert.throws(() => parseAllowedSigners(text, 'allowed_signers'), e => {
    assert.ok(isSebError(e), String(e));
    assert.match(e.message, new RegExp(`^allowed_signers: line ${line}: ${pattern.source}`));
    return true;
  });
}

describe('identity equality: the threshold counts people, not spellings', () => {
  const k1 = party('k1');
  const k2 = party('k2');

  for (const [a, b, why] of [
    ['Alice', 'alice', 'letter case'],
    ['alice@Example.ORG', 'alice@example.org', 'the domain\'s case'],
    ['Alice@example.org', 'alice@example.org', 'the local part\'s case (folded too: one person, never two)'],
    ['ａｌｉｃｅ', 'alice', 'NFKC (fullwidth letters)'],
    ['strasse', 'STRAẞE', 'full case folding (ẞ is SS)'],
  ] as const) {
    test(`"${a}" and "${b}" are one identity: ${why}`, () => {
      const v = twoSignatures(k1, k2, linesOf([a, k1], [b, k2]));
      assert.equal(v.ok, false);
      const threshold = v.checks.find(c => c.check === 'threshold');
      assert.equal(threshold?.ok, false, JSON.stringify(v.checks));
      assert.match(threshold?.message ?? '', /^1 of 2 required signers/);
      assert.deepEqual(v.signers, [a], 'the identity is shown as the file first spells it');
    });
  }

  test('distinct people still count as two; one key listed for two spellings of one identity is no conflict', () => {
    const v = twoSignatures(k1, k2, linesOf(['alice', k1], ['bob', k2]));
    assert.equal(v.ok, true, JSON.stringify(v.checks.filter(c => !c.ok)));
    assert.deepEqual(v.signers, ['alice', 'bob']);
    const same = checkAllowedSigners(linesOf(['alice@example.org', k1], ['Alice@EXAMPLE.org', k1]));
    assert.equal(same.ok, true, JSON.stringify(same));
    const conflict = checkAllowedSigners(linesOf(['alice', k1], ['bob', k1]));
    assert.deepEqual(conflict.ok ? [] : conflict.problems.map(p => p.line), [2]);
  });
});

describe('identities that are refused, with the file and line', () => {
  const k = party('k');
  const good = linesOf(['bob', party('bob')]);

  for (const [identity, pattern] of [
    ['аlice', /the identity "аlice" mixes scripts \(Cyrillic, Latin\)/],
    ['alicε@example.org', /the identity "alicε@example\.org" mixes scripts \(Greek, Latin\)/],
    ['bоb@example.org', /the identity "bоb@example\.org" mixes scripts \(Cyrillic, Latin\)/],
    ['paypal@exаmple.org', /the identity "paypal@exаmple\.org" mixes scripts \(Cyrillic, Latin\)/],
  ] as const) {
    test(`a lookalike mixing scripts: ${identity}`, () => refusedAt(`${good}\n${linesOf([identity, k])}`, 2, pattern));
  }

  for (const [name, ch] of [
    ['a right-to-left override', '\u202e'], ['a left-to-right isolate', '\u2066'], ['a pop directional isolate', '\u2069'],
    ['a right-to-left mark', '\u200f'], ['a zero-width space', '\u200b'], ['a zero-width joiner', '\u200d'],
    ['a soft hyphen', '\u00ad'], ['a bell (C0)', '\u0007'], ['an escape (C0)', '\u001b'], ['a C1 control', '\u009b'], ['DEL', '\u007f'],
    ['a variation selector', '\ufe0f'], ['a private-use character', '\ue000'],
  ] as const) {
    test(`${name} in an identity`, () => {
      const code = `U+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
      refusedAt(`${linesOf([`ali${ch}ce`, k])}\n${good}`, 1, new RegExp(`the identity .* contains ${code.replace('+', '\\+')}`));
    });
  }

  test('single-script identities in other scripts, and Latin with Han and kana, are accepted', () => {
    for (const identity of ['алиса@пример.рф', 'αλίκη', '山田太郎', '山田taro', 'やまだ.タロウ@example.jp', 'jörg.müller@example.de', 'o\'brien-2']) {
      const r = checkAllowedSigners(linesOf([identity, party(identity)]));
      assert.equal(r.ok, true, `${identity}: ${JSON.stringify(r)}`);
    }
  });
});

describe('seb-review keygen refuses the same identities', () => {
  const s = scratch('seb-identity-');
  after(() => s.done());

  test('a mixed-script identity and one with a bidi control: exit 2, nothing written', async () => {
    for (const identity of ['аlice', 'alice\u202e']) {
      const out = path.join(s.dir, 'k.pem');
      const r = await cli('keygen', '--identity', identity, '--out', out);
      assert.equal(r.code, 2);
      assert.match(r.err, /--identity .*(mixes scripts|contains U\+202E)/);
      assert.equal(existsSync(out), false);
    }
  });
});
