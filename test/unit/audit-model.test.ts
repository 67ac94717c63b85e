import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adjudicationDecisions, auditModel, evaluateDecisions, gated, recordModel, showOthersAllowed } from '../../src/extension/audit/audit-model';
import { type RunAggregate } from '../../src/core/adjudication/aggregate';
import { buildAdjudication, type Adjudication } from '../../src/core/adjudication/record';
import { type ScoredSheet } from '../../src/core/calibration/inputs';
import { type Rubric } from '../../src/core/rubric';
import { type DecisionInput } from '../../src/protocol/webview/audit';

const RUBRIC: Rubric = {
  id: 'pilot', version: '1', title: 'Pilot', total: 20, step: 0.5, dimensions: [
    { id: 'plan', title: 'Plan', description: 'd', ceiling: 10, guidance: { rewards: [], penalises: [] } },
    { id: 'wiring', title: 'Wiring', description: 'd', ceiling: 10, guidance: { rewards: [], penalises: [] } },
  ],
};
// plan: 6, 7, 8 -> mean 7; wiring: 2, 3, 5 -> mean 3.333 (off the step), spread 3 (> 2.5: a disagreement)
const DIMS = [
  { id: 'plan', title: 'Plan', ceiling: 10, aggregate: 7 },
  { id: 'wiring', title: 'Wiring', ceiling: 10, aggregate: 10 / 3 },
];
const set = (points: string, rationale = ''): DecisionInput => ({ mode: 'set', points, rationale });

describe('audit decisions', () => {
  test('accepting the mean everywhere: a mean record, the sum of the means, nothing to fix', () => {
    const e = evaluateDecisions(DIMS, 0.5, {});
    assert.equal(e.method, 'mean');
    assert.deepEqual(e.problems, []);
    assert.ok(Math.abs((e.total ?? 0) - (7 + 10 / 3)) < 1e-9);
    assert.equal(adjudicationDecisions({}, e), undefined);
  });

  test('points as typed: invalid ones keep their reason and are never clamped; empty is "no points yet", not aria-invalid', () => {
    for (const [typed, reason] of [['12', /above the ceiling of 10/], ['-1', /below zero/], ['7.25', /not a multiple of 0\.5/], ['seven', /"seven" is not a number/]] as const) {
      const e = evaluateDecisions(DIMS, 0.5, { plan: set(typed, 'why') });
      const c = e.checks.plan;
      assert.ok(c && !c.ok && c.pointsInvalid, typed);
      assert.match(c.reason ?? '', reason);
      assert.equal(c.final, undefined, 'no final points from an invalid entry');
      assert.equal(e.total, undefined);
      assert.match(e.problems.join('\n'), /^Plan: /);
    }
    const empty = evaluateDecisions(DIMS, 0.5, { plan: set('  ') }).checks.plan;
    assert.ok(empty && !empty.ok && !empty.pointsInvalid);
    assert.match(empty.reason ?? '', /no points yet/);
  });

  test('points that depart from the mean need a rationale; the same points as the mean do not', () => {
    const without = evaluateDecisions(DIMS, 0.5, { plan: set('8') }).checks.plan;
    assert.ok(without && !without.ok && without.rationaleMissing && without.departs);
    assert.match(without.reason ?? '', /a rationale is required: 8 departs from the mean 7/);
    const atMean = evaluateDecisions(DIMS, 0.5, { plan: set('7') });
    assert.ok(atMean.checks.plan?.ok && !atMean.checks.plan.departs);
    assert.equal(atMean.method, 'mean', 'the same points as the mean: still a mean record');
  });

  test('a departure makes the record adjudicated; a mean off the step must then be set, and is valid once set', () => {
    const inputs = { plan: set('8', 'The plan names the invariant.') };
    const e = evaluateDecisions(DIMS, 0.5, inputs);
    assert.equal(e.method, 'adjudicated');
    assert.match(e.checks.wiring?.reason ?? '', /the mean 3\.333 is not a multiple of the rubric's step 0\.5/);
    assert.equal(e.total, undefined);
    const fixed = { ...inputs, wiring: set('3.5', 'Rounded up: the agent route is wired.') };
    const ok = evaluateDecisions(DIMS, 0.5, fixed);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.total, 11.5);
    assert.deepEqual([...(adjudicationDecisions(fixed, ok) ?? [])], [
      ['plan', { points: 8, rationale: 'The plan names the invariant.' }], ['wiring', { points: 3.5, rationale: 'Rounded up: the agent route is wired.' }]]);
  });

  test('what the evaluation accepts, buildAdjudication accepts too', () => {
    const run = runAggregate();
    const inputs = { plan: set('8', 'why'), wiring: set('3.5', 'why') };
    const e = evaluateDecisions(run.dimensions, RUBRIC.step, inputs);
    const decisions = adjudicationDecisions(inputs, e);
    const a = buildAdjudication({ run, rubric: RUBRIC, method: e.method, ...(decisions ? { decisions } : {}),
      keyIds: new Map(run.sources.map(s => [s.file, `key-${s.grader}`])), adjudicator: { name: 'judge', keyId: 'key-judge' } });
    assert.equal(a.total, e.total);
    assert.equal(a.method, 'adjudicated');
  });
});

function runAggregate(): RunAggregate {
  const files = ['/w/a.worksheet.json', '/w/b.worksheet.json', '/w/c.worksheet.json'];
  const graders = ['ana', 'ben\u202Eevil', 'cal'];
  const plan = [6, 7, 8];
  const wiring = [2, 3, 5];
  const dim = (id: string, title: string, values: number[]) => ({
    id, title, ceiling: 10, points: values.map((p, i) => ({ grader: graders[i] as string, file: files[i] as string, points: p })),
    aggregate: values.reduce((a, b) => a + b, 0) / values.length, spread: Math.max(...values) - Math.min(...values),
    disagreement: Math.max(...values) - Math.min(...values) > 2.5,
  });
  const totals = plan.map((p, i) => p + (wiring[i] as number));
  return {
    runId: 'demo', rubric: { id: 'pilot', version: '1', sha256: 'c'.repeat(64) }, trees: { baseline: 'a'.repeat(40), run: 'b'.repeat(40) },
    sources: files.map((f, i) => ({ file: f, grader: graders[i] as string, signed: true, sha256: String(i).repeat(64), total: totals[i] as number })),
    dimensions: [dim('plan', 'Plan', plan), dim('wiring', 'Wiring', wiring)], total: { ...dim('total', 'Total', totals), ceiling: 20 },
    sumOfDimensions: 7 + 10 / 3,
  };
}

function sheets(run: RunAggregate): ScoredSheet[] {
  return run.sources.map((s, i) => ({
    file: s.file, sha256: s.sha256, kind: 'worksheet', signed: true, grader: s.grader, runId: run.runId, total: s.total,
    points: new Map(run.dimensions.map(d => [d.id, d.points[i]?.points ?? 0])),
    rationale: new Map([['wiring', `rationale ${i}`]]),
    evidence: new Map([['wiring', [{ side: 'run' as const, path: `server/\u202Efile${i}.ts`, startLine: 3, endLine: i === 0 ? 3 : 9 }]]]),
    trees: run.trees,
  }));
}

describe('the audit view model', () => {
  test('graders in the order of the sources, points by grader, evidence labelled, control characters escaped', () => {
    const run = runAggregate();
    const m = auditModel({ run, rubric: RUBRIC, sheets: sheets(run), decisions: {}, excluded: [{ file: '/w/x.worksheet.json', reason: 'failed\u202E' }],
      notices: [], blocked: [], readOnly: false });
    assert.deepEqual(m.graders.map(g => g.name), ['ana', 'ben\\u202eevil', 'cal']);
    assert.deepEqual(m.graders.map(g => g.file), ['a.worksheet.json', 'b.worksheet.json', 'c.worksheet.json']);
    const wiring = m.dimensions.find(d => d.id === 'wiring');
    assert.deepEqual(wiring?.points, [2, 3, 5]);
    assert.equal(wiring?.disagreement, true);
    assert.deepEqual(wiring?.sheets?.map(s => s.evidence.map(e => e.label)), [['run server/\\u202efile0.ts:3'], ['run server/\\u202efile1.ts:3\u20139'], ['run server/\\u202efile2.ts:3\u20139']]);
    assert.deepEqual(m.excluded, [{ file: 'x.worksheet.json', reason: 'failed\\u202e' }]);
    assert.equal(m.method, 'mean');
    assert.deepEqual(m.problems, []);
  });

  test('a source that cannot be adjudicated blocks signing, first among the problems', () => {
    const run = runAggregate();
    const m = auditModel({ run, rubric: RUBRIC, sheets: sheets(run), decisions: { plan: set('11') }, excluded: [], notices: [],
      blocked: ['/w/c.worksheet.json is not signed'], readOnly: false });
    assert.deepEqual(m.problems, ['/w/c.worksheet.json is not signed', 'Plan: 11 is above the ceiling of 10']);
  });

  test('a record opened on its own: read-only, decisions from its final points, no rationales of the graders', () => {
    const run = runAggregate();
    const a: Adjudication = buildAdjudication({ run, rubric: RUBRIC, method: 'adjudicated',
      decisions: new Map([['plan', { points: 8, rationale: 'why' }], ['wiring', { points: 3.5, rationale: 'step' }]]),
      keyIds: new Map(run.sources.map(s => [s.file, 'k'])), adjudicator: { name: 'judge', keyId: 'kj' } });
    const m = recordModel(a, RUBRIC, { ok: true, file: 'demo.adjudication.json', headline: 'Verified', checks: [] }, []);
    assert.equal(m.readOnly, true);
    assert.equal(m.total.final, 11.5);
    assert.deepEqual(m.dimensions.map(d => [d.id, d.decision.mode, d.decision.points, d.check.final]), [['plan', 'set', '8', 8], ['wiring', 'set', '3.5', 3.5]]);
    assert.ok(m.dimensions.every(d => d.sheets === undefined));
  });
});

describe('blind grading', () => {
  test('allowed: the state is built; refused: the reason, and the worksheets are never read', async () => {
    assert.deepEqual(await gated('demo', showOthersAllowed, () => ({ kind: 'built' })), { kind: 'built' });
    let built = false;
    const refused = await gated('demo', runId => Promise.resolve(`blind grading: ${runId} is not yet graded by you`), () => {
      built = true;
      return { kind: 'built' };
    });
    assert.deepEqual(refused, { kind: 'refused', runId: 'demo', reason: 'blind grading: demo is not yet graded by you' });
    assert.equal(built, false);
  });
});
