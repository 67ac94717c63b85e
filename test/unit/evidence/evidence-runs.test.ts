import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type EvidenceReport } from '../../../src/analysis/evidence/evidence';
import { ReviewHost, type HostSink } from '../../../src/server/authority/review-host';
import type { EvidenceFacts } from '../../../src/protocol/server/evidence';
import { cli } from '../cli-run';
import { scratch } from '../helpers';

/**
 * `seb-review evidence --json` on the demo run, whose steps (test/fixtures/demo-run/steps) plant each fact on purpose:
 * the 2026-02 incident tests rewritten under new names, a `.skip` on a 2026-03 incident test, four test files deleted
 * (05-tests-and-run-evidence/delete.txt), a vitest log (test-results/final-run.log), a `legacyMarkdown` branch, and a
 * plan whose invariant names applyDocumentWrite; and on the rewritten Proof run, whose incident regression tests are
 * scripts (`tsx src/tests/x-regression.test.ts`) found by their file names.
 */

function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'fixtures', 'build-demo-run.mjs')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}
const ROOT = repoRoot();

async function build(script: string, fn: string, dir: string): Promise<{ dir: string }> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', script)).href)) as Record<string, (d: string) => Promise<{ dir: string }>>;
  const builder = mod[fn];
  assert.ok(builder, `${script} exports ${fn}`);
  return builder(dir);
}

async function evidence(dir: string): Promise<EvidenceReport> {
  const r = await cli('evidence', dir, '--json');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as EvidenceReport;
}

describe('seb-review evidence on the demo run', () => {
  const s = scratch('seb-evidence-demo-');
  let report: EvidenceReport;
  let demo = '';
  before(async () => {
    demo = (await build('build-demo-run.mjs', 'buildDemoRun', path.join(s.dir, 'demo'))).dir;
    report = await evidence(demo);
  });
  after(() => s.done());

  test('the deleted test files: every test of the four files is deleted, with its file', () => {
    const gone = report.tests.fates.filter(f => f.fate === 'deleted' && f.detail === 'its file was deleted').map(f => f.baseline.file);
    assert.deepEqual([...new Set(gone)].sort(), ['test/anchor-rebase.test.ts', 'test/db-bridge.test.ts', 'test/reconcile.test.ts', 'test/repair.test.ts']);
  });

  test('the incident tests come first: 2026-03 kept, 2026-02 rewritten under new names in the same file', () => {
    const incidents = report.tests.fates.filter(f => f.incident !== undefined);
    assert.ok(incidents.length > 0);
    assert.ok(report.tests.fates.slice(0, incidents.length).every(f => f.incident !== undefined), 'listed first');
    const by = (file: string) => incidents.filter(f => f.baseline.file === file).map(f => f.fate);
    assert.deepEqual(by('test/incident-2026-03-crash-on-reconnect.test.ts'), ['kept', 'kept']);
    assert.deepEqual(by('test/incident-2026-02-duplicate-paragraphs.test.ts'), ['deleted', 'deleted']);
    assert.ok(incidents.filter(f => f.baseline.file.includes('2026-02')).every(f => f.detail?.startsWith('its file is still there')));
    const added = report.tests.run.filter(t => t.added && t.incident !== undefined).map(t => t.fullName);
    assert.ok(added.some(n => n.endsWith('does not duplicate paragraphs when REST, agent and WebSocket writes land in the same tick')));
  });

  test('the skipped incident test, with how and where', () => {
    const skipped = report.tests.run.filter(t => t.skipped !== undefined);
    assert.deepEqual(skipped.map(t => [t.file, t.skipped?.how, t.name]), [
      ['test/incident-2026-03-crash-on-reconnect.test.ts', '.skip', 'keeps pending updates when a client reconnects during log compaction'],
    ]);
    assert.ok(skipped.every(t => t.reaches === 'production'), 'it imports the server');
  });

  test('the test log: vitest, 22 passed and 1 skipped, per file, and each incident test\'s outcome', () => {
    assert.equal(report.logs.length, 1);
    const log = report.logs[0];
    assert.ok(log?.ok, log?.reason);
    assert.equal(log.file, 'test-results/final-run.log');
    assert.equal(log.format, 'vitest');
    assert.deepEqual(log.totals, { passed: 22, failed: 0, skipped: 1, todo: 0 });
    assert.deepEqual(log.files?.find(f => f.file === 'test/incident-2026-03-crash-on-reconnect.test.ts'),
      { file: 'test/incident-2026-03-crash-on-reconnect.test.ts', passed: 3, failed: 0, skipped: 1, todo: 0 });
    const skippedIncident = log.incidents.find(i => i.name.endsWith('keeps pending updates when a client reconnects during log compaction'));
    assert.equal(skippedIncident?.status, 'skipped');
    assert.equal(log.incidents.filter(i => i.status === 'passed').length, 5);
  });

  test('stubs: the legacyMarkdown branch the run added; the plan: applyDocumentWrite found, and the import route bypasses it', () => {
    assert.ok(report.stubs.some(x => x.kind === 'legacy-branch' && x.file === 'server/authority/document-authority.ts'));
    const p = report.plan;
    assert.equal(p.file, 'docs/AUTHORITY_PLAN.md');
    assert.equal(p.how, 'manifest');
    assert.deepEqual(p.invariant?.symbols, ['applyDocumentWrite']);
    assert.equal(p.check?.authority[0]?.found, true);
    assert.equal(p.check?.agrees, false);
    assert.ok(p.check?.bypassing.some(b => b.label === 'POST /api/documents/:id/import' && b.writes.some(w => w.includes('writeMarkdownDirect'))));
  });

  test('the language server finds the same evidence, once per open, and lists it for the editor with locations', async () => {
    const progress: string[] = [];
    const errors: string[] = [];
    const sink: HostSink = {
      status: () => undefined, log: () => undefined, error: m => void errors.push(m),
      beginProgress: title => Promise.resolve({ report: () => undefined, done: () => void progress.push(`done ${title}`) }),
    };
    const host = new ReviewHost(sink);
    try {
      assert.deepEqual(await host.evidence(), { ok: false, reason: 'no run open' });
      await host.open({ target: demo });
      const wrong = await host.evidence({ baseline: report.trees.baseline, run: '0'.repeat(40) });
      assert.equal(wrong.ok, false);
      const [a, b] = await Promise.all([host.evidence(report.trees), host.evidence()]);
      assert.ok(a.ok && b.ok, JSON.stringify(a));
      assert.equal(a.evidence, b.evidence, 'two requests share one search');
      assert.equal(progress.filter(p => p.includes('finding evidence')).length, 1);
      assert.deepEqual(errors, []);
      const e: EvidenceFacts = a.evidence;
      assert.deepEqual(e.trees, report.trees);
      const text = (topic: string) => e.facts.filter(f => f.topic === topic);
      // The 2026-02 incident tests were rewritten under new names: deleted (attention) at the baseline's lines.
      const deleted = text('incident-tests').filter(f => f.text.startsWith('Incident test deleted:'));
      assert.equal(deleted.length, 2);
      assert.ok(deleted.every(f => f.attention && f.location?.side === 'baseline' && f.location.path === 'test/incident-2026-02-duplicate-paragraphs.test.ts'));
      assert.ok(text('incident-tests').some(f => f.text.startsWith('New incident test: ') && f.text.endsWith('in the same tick')));
      // The four deleted test files, every test of them listed as deleted.
      const goneFiles = new Set(text('tests').filter(f => f.text.startsWith('Baseline test deleted:') && f.text.endsWith('(its file was deleted)')).map(f => f.location?.path));
      assert.deepEqual([...goneFiles].sort(), ['test/anchor-rebase.test.ts', 'test/db-bridge.test.ts', 'test/reconcile.test.ts', 'test/repair.test.ts']);
      // The skipped incident test, where the log says so.
      const skipped = text('test-results').find(f => f.text.startsWith('Incident test in test-results/final-run.log: SKIPPED:'));
      assert.ok(skipped?.attention);
      assert.equal(skipped?.location?.path, 'test-results/final-run.log');
      assert.ok(text('test-results').some(f => f.text === 'Test log test-results/final-run.log (vitest): 22 passed, 0 failed, 1 skipped' && !f.attention));
      assert.ok(text('stubs').some(f => f.location?.path === 'server/authority/document-authority.ts' && f.attention));
      assert.ok(text('plan').some(f => f.text.startsWith('Bypasses the plan\'s authority: POST /api/documents/:id/import') && f.attention));
      assert.equal(e.counts.baselineTests, report.tests.baselineTests);
    } finally {
      await host.dispose();
    }
  });
});

describe('seb-review evidence on the rewritten Proof run', () => {
  const s = scratch('seb-evidence-proof-');
  let report: EvidenceReport;
  before(async () => {
    report = await evidence((await build('build-proof-run.mjs', 'buildProofRun', path.join(s.dir, 'proof'))).dir);
  });
  after(() => s.done());

  test('the baseline\'s incident regression tests are found by name, scripts included, and listed first', () => {
    const incidents = report.tests.fates.filter(f => f.incident !== undefined);
    const files = new Set(incidents.map(f => f.baseline.file));
    for (const f of ['src/tests/agent-edit-repeated-anchor-regression.test.ts', 'src/tests/agent-edit-live-human-race-regression.test.ts']) {
      assert.ok(files.has(f), `${f} is flagged`);
    }
    assert.ok(incidents.some(f => f.baseline.fullName.startsWith('REGRESSION: loading file with YAML frontmatter')), 'a named REGRESSION test inside a file');
    assert.ok(report.tests.fates.slice(0, incidents.length).every(f => f.incident !== undefined));
  });
});
