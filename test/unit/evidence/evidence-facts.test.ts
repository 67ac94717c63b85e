import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evidenceFacts, MAX_FACTS_PER_TOPIC } from '../../../src/server/evidence/facts';
import { dimensionsForTopics } from '../../../src/extension/evidence/dimension-topics';
import { foundEvidence } from '../../../src/extension/evidence/found-evidence';
import { parseRubric, type Dimension } from '../../../src/core/rubric';
import { EVIDENCE_TOPICS } from '../../../src/protocol/server/evidence';
import type { EvidenceReport } from '../../../src/analysis/evidence/evidence';
import type { TestFate } from '../../../src/analysis/evidence/test-inventory';

/**
 * The evidence report as the editor lists it (src/server/evidence/facts.ts), and where the rubric form places each
 * topic (src/extension/evidence/dimension-topics.ts). Reports are built by hand; expectations are read off the code's
 * rules: incident tests whatever their fate, other tests only when not kept, new tests only when skipped or reaching
 * only doubles, a log's totals, failures and incident outcomes, every stub, the plan's invariant and check.
 */

const ref = (file: string, fullName: string, line: number) => ({ file, fullName, line, endLine: line + 3 });

function report(over: Partial<EvidenceReport> = {}): EvidenceReport {
  return {
    format: 'seb-review/evidence@1', runId: 'r1', trees: { baseline: 'b'.repeat(40), run: 'c'.repeat(40) },
    tests: { baselineTests: 0, runTests: 0, fates: [], run: [], problems: [] },
    logs: [], stubs: [], shimFiles: [], plan: { problem: 'the manifest names no plan, and the run added no markdown file under docs/' },
    ...over,
  };
}

describe('evidence facts: what the editor lists, with locations and notes', () => {
  const fates: TestFate[] = [
    { baseline: ref('test/incident-7.test.ts', 'reconnect > keeps marks', 10), fate: 'deleted', incident: 'its file names an incident', detail: 'its file was deleted' },
    { baseline: ref('test/incident-8.test.ts', 'crash', 4), fate: 'kept', run: ref('test/incident-8.test.ts', 'crash', 6), incident: 'its file names an incident' },
    { baseline: ref('test/a.test.ts', 'ordinary kept', 1), fate: 'kept', run: ref('test/a.test.ts', 'ordinary kept', 1) },
    { baseline: ref('test/a.test.ts', 'ordinary skipped', 20), fate: 'skipped', run: ref('test/a.test.ts', 'ordinary skipped', 22), detail: '.skip' },
    { baseline: ref('test/b.test.ts', 'old name', 5), fate: 'renamed', run: ref('test/b.test.ts', 'new name', 5), detail: '72% of body tokens in common' },
  ];
  const r = evidenceFacts(report({
    tests: {
      baselineTests: 5, runTests: 6, fates,
      run: [
        { ...ref('test/c.test.ts', 'uses mocks', 3), suite: [], name: 'uses mocks', added: true, reaches: 'doubles only' },
        { ...ref('test/c.test.ts', 'reaches server', 9), suite: [], name: 'reaches server', added: true, reaches: 'production', via: 'server/a.ts' },
        { ...ref('test/d.test.ts', 'new skipped', 2), suite: [], name: 'new skipped', added: true, reaches: 'production', skipped: { how: 'x-prefix', line: 2 } },
        { ...ref('test/a.test.ts', 'ordinary kept', 1), suite: [], name: 'ordinary kept', added: false, reaches: 'production' },
      ],
      problems: [],
    },
    logs: [
      { file: 'logs/missing.log', ok: false, reason: 'the manifest names it, but the run has no such file', incidents: [], notes: [] },
      { file: 'logs/garbage.log', ok: false, reason: 'cannot be parsed: no test runner\'s output recognised', incidents: [], notes: [] },
      {
        file: 'logs/run.log', ok: true, format: 'tap', totals: { passed: 3, failed: 1, skipped: 0, todo: 0 },
        files: [{ file: 'test/a.test.ts', passed: 2, failed: 1, skipped: 0, todo: 0 }, { file: 'test/c.test.ts', passed: 1, failed: 0, skipped: 0, todo: 0 }],
        summary: { line: 40, agrees: true, disagreements: [] },
        incidents: [{ name: 'test/incident-8.test.ts > crash', status: 'passed', logLine: 12, test: ref('test/incident-8.test.ts', 'crash', 6) },
          { name: 'test/incident-9.test.ts > gone', status: 'not in the log' }],
        notes: [],
      },
    ],
    stubs: [{ kind: 'empty-body', file: 'server/x.ts', line: 7, endLine: 8, message: 'function save() has an empty body', key: 'k', fileAdded: true }],
    shimFiles: [{ file: 'server/legacy-shim.ts', reason: 'named like a shim', added: true }],
    plan: {
      file: 'docs/PLAN.md', how: 'manifest', invariant: { text: 'All writes go through `applyWrite`.', line: 3, symbols: ['applyWrite'] },
      check: {
        authority: [{ name: 'applyWrite', found: true, file: 'server/authority.ts', line: 2 }], writing: 2,
        bypassing: [{ label: 'POST /import', file: 'server/routes.ts', line: 30, writes: ['db UPDATE documents'] }], agrees: false,
        summary: 'the code disagrees: 1 of 2 reachable entry points that write do not pass through applyWrite',
      },
    },
  }));
  const of = (topic: string) => r.facts.filter(f => f.topic === topic);

  test('incident tests: every fate listed, a deleted one marked for attention at the baseline test, a kept one at the run\'s', () => {
    const inc = of('incident-tests');
    assert.deepEqual(inc.map(f => [f.text, f.attention, f.location?.side, f.location?.path, f.location?.startLine, f.location?.endLine]), [
      ['Incident test deleted: reconnect > keeps marks (its file was deleted)', true, 'baseline', 'test/incident-7.test.ts', 10, 13],
      ['Incident test kept: crash', false, 'run', 'test/incident-8.test.ts', 6, 9],
    ]);
    assert.match(inc[0]?.note ?? '', /^Incident test "reconnect > keeps marks" \(test\/incident-7\.test\.ts:10\) is deleted in the run \(its file was deleted\)\. Flagged as an incident test: its file names an incident\.$/);
  });

  test('other tests: kept ones are not listed; skipped, renamed, and new skipped tests are; doubles-only tests under their own topic', () => {
    assert.deepEqual(of('tests').map(f => [f.text, f.attention, f.location?.side, f.location?.startLine]), [
      ['Baseline test skipped in the run: ordinary skipped (.skip)', true, 'run', 22],
      ['Baseline test renamed to "new name": old name (72% of body tokens in common)', false, 'run', 5],
      ['New test skipped (x-prefix): new skipped', true, 'run', 2],
    ]);
    assert.deepEqual(of('test-doubles').map(f => [f.text, f.attention, f.location?.path]), [['New test imports only test doubles: uses mocks', true, 'test/c.test.ts']]);
  });

  test('logs: a missing log has no location, an unparsable one points at the file, totals at the summary line, failures and incident outcomes', () => {
    assert.deepEqual(of('test-results').map(f => [f.text, f.attention, f.location?.path, f.location?.startLine]), [
      ['Test log not read: logs/missing.log: the manifest names it, but the run has no such file', true, undefined, undefined],
      ['Test log not read: logs/garbage.log: cannot be parsed: no test runner\'s output recognised', true, 'logs/garbage.log', 1],
      ['Test log logs/run.log (tap): 3 passed, 1 failed, 0 skipped', true, 'logs/run.log', 40],
      ['In logs/run.log: test/a.test.ts 1 test failed', true, 'logs/run.log', 1],
      ['Incident test in logs/run.log: PASSED: test/incident-8.test.ts > crash', false, 'logs/run.log', 12],
      ['Incident test in logs/run.log: not in the log: test/incident-9.test.ts > gone', true, 'logs/run.log', 1],
    ]);
  });

  test('stubs and shim files; the plan: invariant, check, the authority\'s definition and each bypass', () => {
    assert.deepEqual(of('stubs').map(f => [f.text, f.location?.path, f.location?.startLine, f.location?.endLine]), [
      ['function save() has an empty body (server/x.ts:7)', 'server/x.ts', 7, 8],
      ['server/legacy-shim.ts: named like a shim (added by the run)', 'server/legacy-shim.ts', 1, 1],
    ]);
    assert.deepEqual(of('plan').map(f => [f.text, f.attention, f.location?.path, f.location?.startLine]), [
      ['Plan\'s invariant: All writes go through `applyWrite`.', false, 'docs/PLAN.md', 3],
      ['Plan checked against the code: the code disagrees: 1 of 2 reachable entry points that write do not pass through applyWrite', true, 'docs/PLAN.md', 3],
      ['The plan\'s authority applyWrite is defined at server/authority.ts:2', false, 'server/authority.ts', 2],
      ['Bypasses the plan\'s authority: POST /import (server/routes.ts:30)', true, 'server/routes.ts', 30],
    ]);
  });

  test('ids are unique; counts for the headline', () => {
    assert.equal(new Set(r.facts.map(f => f.id)).size, r.facts.length);
    assert.deepEqual(r.counts, { baselineTests: 5, runTests: 6, incidentTests: 2, logs: 3, stubs: 1 });
    assert.deepEqual(r.omitted, {});
  });

  test('no plan: one fact without a location', () => {
    const p = evidenceFacts(report()).facts.filter(f => f.topic === 'plan');
    assert.equal(p.length, 1);
    assert.equal(p[0]?.location, undefined);
    assert.match(p[0]?.text ?? '', /^Plan: the manifest names no plan/);
  });

  test('a topic with more facts than the server sends: the rest are counted as omitted', () => {
    const many = Array.from({ length: MAX_FACTS_PER_TOPIC + 25 }, (_, i) => ({
      kind: 'todo-comment' as const, file: 'server/big.ts', line: i + 1, endLine: i + 1, message: `TODO comment ${i}`, key: `t${i}`, fileAdded: true,
    }));
    const big = evidenceFacts(report({ stubs: many }));
    assert.equal(big.facts.filter(f => f.topic === 'stubs').length, MAX_FACTS_PER_TOPIC);
    assert.deepEqual(big.omitted, { stubs: 25 });
    assert.equal(big.counts.stubs, MAX_FACTS_PER_TOPIC + 25);
  });
});

describe('where the rubric form places each topic of evidence', () => {
  const rubricFile = path.resolve(__dirname, '..', '..', '..', '..', 'rubric', 'seb-v1.0.rubric.json');
  const seb = parseRubric(readFileSync(rubricFile, 'utf8'), rubricFile);

  test('the benchmark\'s rubric: the plan, correctness, wiring and no-parallel-authority dimensions get their topics', () => {
    const placed = dimensionsForTopics(seb.dimensions, EVIDENCE_TOPICS);
    assert.deepEqual(Object.fromEntries(placed), {
      'incident-tests': ['correctness-incidents'],
      tests: ['correctness-incidents'],
      'test-doubles': ['wiring', 'correctness-incidents'],
      'test-results': ['correctness-incidents'],
      stubs: ['no-parallel-authority'],
      plan: ['invariant-plan'],
    });
  });

  test('a rubric whose words name no topic: everything is unplaced, nothing is dropped', () => {
    const dims: Dimension[] = [
      { id: 'style', title: 'Code style', description: 'Readable names.', ceiling: 5, guidance: { rewards: [], penalises: [] } },
      { id: 'docs', title: 'Documentation', description: 'A README.', ceiling: 5, guidance: { rewards: [], penalises: [] } },
    ];
    const facts = evidenceFacts(report({ stubs: [{ kind: 'empty-body', file: 'a.ts', line: 1, endLine: 1, message: 'm', key: 'k', fileAdded: true }] }));
    const found = foundEvidence(dims, { kind: 'ready', evidence: facts });
    assert.deepEqual(found.byDimension, {});
    assert.deepEqual(found.unplaced.map(f => f.topic).sort(), ['plan', 'stubs']);
  });

  test('a fact under two dimensions is in both lists; states before ready carry their message and no facts', () => {
    const facts = evidenceFacts(report({
      tests: { baselineTests: 0, runTests: 1, fates: [], problems: [], run: [{ ...ref('t/x.test.ts', 'x', 1), suite: [], name: 'x', added: true, reaches: 'doubles only' }] },
    }));
    const found = foundEvidence(seb.dimensions, { kind: 'ready', evidence: facts });
    assert.deepEqual(found.byDimension['wiring']?.map(f => f.id), found.byDimension['correctness-incidents']?.map(f => f.id));
    assert.equal(found.byDimension['wiring']?.length, 1);
    assert.match(found.message, /^0 baseline tests \(0 incident\), 1 run test, 0 test logs, 0 stubs the run added: facts, not scores$/);
    const waiting = foundEvidence(seb.dimensions, { kind: 'waiting', message: 'the evidence waits for the analysis: opening the run' });
    assert.deepEqual(waiting, { status: 'waiting', message: 'the evidence waits for the analysis: opening the run', byDimension: {}, unplaced: [], omitted: 0 });
  });
});
