import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  allowedSignersLine, checkWorksheetAgainstRubric, privateKeyPem, serializeEnvelope, signWorksheet, verifyEnvelope, worksheetFromDraft, type Check, type Verdict,
} from '../../src/core/attestation';
import { type Rubric } from '../../src/core/rubric';
import { type Draft, type Worksheet } from '../../src/core/worksheet';
import { repoWith, scratch } from './helpers';
import { MINI, MINI_FILE, miniResolver, miniWorksheet, party, signedBy, signersOf } from './attestation-fixtures';
import { cli } from './cli-run';

const alice = party('alice');
const verify = (env: ReturnType<typeof signedBy>): Verdict =>
  verifyEnvelope(serializeEnvelope(env), { allowedSigners: signersOf(alice), resolveRubric: miniResolver });
const failed = (v: Verdict): Check[] => v.checks.filter(c => !c.ok);
const withPoints = (dimension: string, points: number, total: number): Worksheet =>
  miniWorksheet({ total, entries: miniWorksheet().entries.map(e => (e.dimension === dimension ? { ...e, points } : e)) });

describe('totals are exact on the rubric\'s step', () => {
  test('a total off by less than a millionth does not verify (19.5000009, 19.5000000001 for entries adding up to 19.5)', () => {
    for (const total of [19.5000009, 19.5000000001, 19.4999999999]) {
      const v = verify(signedBy(alice, miniWorksheet({ total })));
      assert.equal(v.ok, false, `${total} verified`);
      assert.deepEqual(failed(v).map(c => `${c.check} ${c.field}`), ['total predicate.total'], JSON.stringify(failed(v)));
      assert.match(failed(v)[0]?.message ?? '', new RegExp(`^is ${String(total).replace('.', '\\.')}`));
    }
  });

  test('an entry a hair off the step is off the step (4.5000000001), even when the total matches it', () => {
    const v = verify(signedBy(alice, withPoints('wiring', 4.5000000001, 19.5000000001)));
    assert.equal(v.ok, false);
    assert.ok(failed(v).some(c => c.check === 'ceilings' && c.field === 'predicate.entries[1].points' && /not a multiple of the step 0\.5/.test(c.message)),
      JSON.stringify(failed(v)));
  });

  test('a decimal step adds up exactly: 0.1 + 0.2 is 0.3 on a step of 0.1, and 0.30000000000000004 is not', () => {
    const tenths: Rubric = { ...MINI, step: 0.1, total: 1, dimensions: MINI.dimensions.slice(0, 2).map(d => ({ ...d, ceiling: 0.5 })) };
    const entries = [
      { dimension: 'plan', points: 0.1, rationale: 'r', evidence: [] },
      { dimension: 'wiring', points: 0.2, rationale: 'r', evidence: [] },
    ];
    assert.deepEqual(checkWorksheetAgainstRubric(miniWorksheet({ entries, total: 0.3 }), tenths), []);
    assert.deepEqual(checkWorksheetAgainstRubric(miniWorksheet({ entries, total: 0.1 + 0.2 }), tenths).map(p => p.field), ['total']);
    const draft: Draft = {
      format: 'seb-review/draft@1', revision: 1, writer: 'w', rubric: miniWorksheet().rubric,
      run: { runId: 'r', root: '/r', baseline: { tree: 'a'.repeat(40) }, head: { tree: 'b'.repeat(40) } }, grader: { name: 'alice', kind: 'human' },
      entries: { plan: { points: '0.1', rationale: 'r', evidence: [] }, wiring: { points: '0.2', rationale: 'r', evidence: [] } },
      gaps: '', createdAt: '', updatedAt: '',
    };
    const exported = worksheetFromDraft(draft, tenths);
    assert.ok(exported.ok, JSON.stringify(exported));
    assert.equal(exported.worksheet.total, 0.3);
  });
});

describe('the rubric subject\'s name is checked', () => {
  test('a worksheet whose rubric subject names another file does not verify', () => {
    const ws = miniWorksheet({ grader: { name: 'alice', kind: 'human', keyId: alice.key.keyId } });
    const v = verify(signWorksheet(ws, 'seb-v1.0.rubric.json', alice.key));
    assert.equal(v.ok, false);
    assert.deepEqual(failed(v).map(c => `${c.check} ${c.field}`), ['rubric-digest subject[2].name']);
    assert.match(failed(v)[0]?.message ?? '', /is "seb-v1\.0\.rubric\.json", but the rubric file is named mini-v1\.rubric\.json/);
    assert.equal(verify(signWorksheet(ws, path.basename(MINI_FILE), alice.key)).ok, true);
  });
});

describe('with --run, the worksheet\'s commit ids are checked against the run', () => {
  const s = scratch('seb-exact-');
  after(() => s.done());
  const f = (name: string) => path.join(s.dir, name);

  test('a wrong baseline or head commit fails verify (exit 1) and sign (exit 1); the right ones pass', async () => {
    const dir = f('run');
    const [baseline, head] = repoWith(dir, [{ 'a.ts': '1\n' }, { 'a.ts': '2\n' }]);
    assert.ok(baseline && head);
    const diff = JSON.parse((await cli('diff', dir, '--json')).out) as { baseline: { tree: string }; head: { tree: string } };
    writeFileSync(f('alice.key'), privateKeyPem(alice.key));
    writeFileSync(f('signers'), `${allowedSignersLine('alice', alice.key.publicKey)}\n`);
    const sheet = (b: string, h: string) => miniWorksheet({ run: { runId: 'run', baseline: { commit: b, tree: diff.baseline.tree }, head: { commit: h, tree: diff.head.tree } } });
    const other = 'c'.repeat(40);
    for (const [name, ws, field] of [
      ['wrong-baseline', sheet(other, head), 'predicate.run.baseline.commit'],
      ['wrong-head', sheet(baseline, other), 'predicate.run.head.commit'],
    ] as const) {
      writeFileSync(f(`${name}.json`), JSON.stringify(ws));
      const signed = await cli('sign', f(`${name}.json`), '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f(`${name}.signed.json`));
      assert.equal(signed.code, 0, signed.err);
      const v = await cli('verify', f(`${name}.signed.json`), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--run', dir, '--json');
      assert.equal(v.code, 1, v.out);
      const [verdict] = JSON.parse(v.out) as Array<{ checks: Check[] }>;
      assert.deepEqual(verdict?.checks.filter(c => !c.ok).map(c => `${c.check} ${c.field}`), [`commit ${field}`]);
      const refused = await cli('sign', f(`${name}.json`), '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', dir, '--out', f(`${name}.again.json`));
      assert.equal(refused.code, 1);
      assert.match(refused.err, new RegExp(`✘ commit ${field.replace('predicate.', '').replace(/\./g, '\\.')}: is c{40}, but the run's`));
    }
    writeFileSync(f('right.json'), JSON.stringify(sheet(baseline, head)));
    assert.equal((await cli('sign', f('right.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--run', dir, '--out', f('right.signed.json'))).code, 0);
    const ok = await cli('verify', f('right.signed.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--run', dir);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`✔ commit predicate\\.run\\.baseline\\.commit: the baseline commit is ${baseline}`));
    assert.match(ok.out, new RegExp(`✔ commit predicate\\.run\\.head\\.commit: the head commit is ${head}`));
  });
});
