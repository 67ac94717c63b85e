import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkWorksheetAgainstRubric, worksheetFromDraft, signedWorksheetFileName } from '../../src/core/attestation';
import { type Draft, WorksheetSchema } from '../../src/core/worksheet';
import { BASELINE_TREE, MINI, MINI_SHA256, RUN_TREE, miniWorksheet } from './attestation-fixtures';

function draft(entries: Draft['entries'], over: Partial<Draft> = {}): Draft {
  return {
    format: 'seb-review/draft@1',
    revision: 3,
    writer: 'w1',
    rubric: { id: 'mini', version: '1.0', sha256: MINI_SHA256 },
    run: { runId: 'run-42', root: '/runs/run-42', baseline: { commit: 'c'.repeat(40), tree: BASELINE_TREE }, head: { tree: RUN_TREE } },
    grader: { name: ' alice ', kind: 'human' },
    entries,
    gaps: 'No load test.',
    createdAt: '2026-03-17T12:00:00.000Z',
    updatedAt: '2026-03-17T12:30:00.000Z',
    ...over,
  };
}

const e = (points: string, rationale = 'Because.') => ({ points, rationale, evidence: [] });

describe('worksheet export', () => {
  test('a complete draft becomes a worksheet: numbers, rubric order, computed total, the signing key id', () => {
    const r = worksheetFromDraft(draft({ proof: e('10'), plan: e(' 4.5 '), wiring: e('0'), old: e('', '') }), MINI, { keyId: 'SHA256:abc' });
    assert.ok(r.ok, JSON.stringify(r));
    const ws = r.worksheet;
    assert.deepEqual(ws.entries.map(x => [x.dimension, x.points]), [['plan', 4.5], ['wiring', 0], ['proof', 10]]);
    assert.equal(ws.total, 14.5);
    assert.deepEqual(ws.grader, { name: 'alice', kind: 'human', keyId: 'SHA256:abc' });
    assert.deepEqual(ws.run, { runId: 'run-42', baseline: { commit: 'c'.repeat(40), tree: BASELINE_TREE }, head: { tree: RUN_TREE } });
    assert.equal(ws.gaps, 'No load test.');
    assert.ok(WorksheetSchema.safeParse(ws).success);
    assert.deepEqual(checkWorksheetAgainstRubric(ws, MINI), []);
    assert.equal(signedWorksheetFileName(ws), 'run-42.alice.worksheet.json');
    assert.equal(signedWorksheetFileName({ ...ws, grader: { ...ws.grader, name: 'Ann O\'Neil / QA' } }), 'run-42.Ann-O-Neil-QA.worksheet.json');
  });

  test('an incomplete draft lists what is missing, by dimension title', () => {
    const r = worksheetFromDraft(draft({ plan: e('6'), wiring: e('', '  '), proof: e('2.25', ''), gone: e('3') }, { grader: { name: '', kind: 'model' } }), MINI);
    assert.equal(r.ok, false);
    assert.deepEqual(r.ok ? [] : r.missing, [
      'grader: no name',
      'Plan: 6 is above the ceiling of 5',
      'Wiring: no points',
      'Wiring: no rationale',
      'Proof: 2.25 is not a multiple of 0.5',
      'Proof: no rationale',
      '"gone": not a dimension of mini 1.0, but it holds a score, rationale or evidence',
    ]);
    const other = worksheetFromDraft(draft({ plan: e('1'), wiring: e('1'), proof: e('1') }, { rubric: { id: 'seb', version: '1.0', sha256: MINI_SHA256 } }), MINI);
    assert.deepEqual(other.ok ? [] : other.missing, ['rubric: the draft is for seb 1.0, not mini 1.0']);
    const changed = worksheetFromDraft(draft({ plan: e('1'), wiring: e('1'), proof: e('1') }), MINI, { rubricSha256: '0'.repeat(64) });
    assert.deepEqual(changed.ok ? [] : changed.missing, [`rubric: the rubric file changed since the draft was started (sha256 ${MINI_SHA256}, now ${'0'.repeat(64)})`]);
    assert.ok(worksheetFromDraft(draft({ plan: e('1'), wiring: e('1'), proof: e('1') }), MINI, { rubricSha256: MINI_SHA256 }).ok);
    const bad = worksheetFromDraft(draft({ plan: e('-1'), wiring: e('x'), proof: e('1') }), MINI);
    assert.deepEqual(bad.ok ? [] : bad.missing, ['Plan: -1 is below zero', 'Wiring: "x" is not a number']);
  });

  test('checkWorksheetAgainstRubric names each field', () => {
    const base = miniWorksheet();
    const ws = {
      ...base,
      rubric: { ...base.rubric, version: '2.0' },
      entries: [
        { dimension: 'plan', points: -1, rationale: ' ', evidence: [] },
        { dimension: 'plan', points: 1, rationale: 'x', evidence: [] },
        { dimension: 'speed', points: 1, rationale: 'x', evidence: [] },
        { dimension: 'proof', points: 10.5, rationale: 'x', evidence: [] },
      ],
      total: 3,
    };
    assert.deepEqual(checkWorksheetAgainstRubric(ws, MINI).map(p => `${p.kind} ${p.field}: ${p.message}`), [
      'rubric rubric.version: is "2.0", but the rubric is "1.0"',
      'points entries[0].points: -1 is below zero (plan)',
      'rationale entries[0].rationale: is blank (plan)',
      'dimension entries[1].dimension: "plan" is scored twice',
      'dimension entries[2].dimension: "speed" is not a dimension of mini 1.0',
      'points entries[3].points: 10.5 is above the ceiling of 10 (proof)',
      'dimension entries: has no entry for "wiring" (Wiring)',
      'total total: is 3, but the entries add up to 11.5',
    ]);
  });
});
