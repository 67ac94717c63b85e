import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analysisReport, bypassingEntries, wiringOf, wiringTable, type ReportContext } from '../../../src/cli/analyze-report';
import { analyzeArgs, declaredAuthority } from '../../../src/cli/analyze-args';
import { UsageError } from '../../../src/cli/usage';
import { sampleAnalysis } from './analysis-fixture';

const ctx: ReportContext = {
  runId: 'proof-run-1', runRoot: '/runs/proof-run-1',
  baseline: { commit: 'c'.repeat(40), source: 'the root commit' },
  head: { commit: 'd'.repeat(40), workingTree: true, dirty: false },
};

/** The lines after a section's title, up to the next blank line. */
function section(lines: readonly string[], title: RegExp): string[] {
  const start = lines.findIndex(l => title.test(l));
  assert.ok(start >= 0, `no section ${title} in:\n${lines.join('\n')}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('analyze report', () => {
  const a = sampleAnalysis();
  const lines = analysisReport(a, ctx);

  test('header: run, both trees with files and lines, packs, authority with where it was found', () => {
    assert.equal(lines[0], 'run proof-run-1: /runs/proof-run-1');
    assert.match(lines[1] ?? '', new RegExp(`^baseline: commit c{40} \\(the root commit\\), tree b{40}; 12 files, 3,400 lines$`));
    assert.match(lines[2] ?? '', new RegExp(`^run: +working tree on commit d{40}, tree r{40}; 9 files, 2,100 lines$`));
    assert.equal(lines[3], 'packs:    (not recorded)');
    assert.equal(lines[4], 'authority: server/authority.ts#saveDocument (server/authority.ts:7)');
    const withPacks = analysisReport({ ...a, analyzer: { version: '1', packs: [{ id: 'express', version: 2, sha256: 'f'.repeat(64) }] } }, ctx);
    assert.equal(withPacks[3], `packs:    express@2 (${'f'.repeat(12)})`);
    const none = analysisReport({ ...a, authority: [] }, ctx);
    assert.match(none[4] ?? '', /^authority: none declared/);
  });

  test('wiring: a row per category and a total; through, bypassing, no write, dead', () => {
    assert.deepEqual(a.run.entryPoints.map(wiringOf), ['through', 'bypassing', 'no-write', 'dead', 'dead']);
    const run = section(lines, /^Wiring of the run/);
    assert.deepEqual(run.map(l => l.trim().split(/\s{2,}/)), [
      ['category', 'through authority', 'bypassing', 'no write', 'dead'],
      ['rest', '1', '1', '0', '0'],
      ['agent', '0', '0', '0', '1'],
      ['mark', '0', '0', '1', '0'],
      ['timer', '0', '0', '0', '1'],
      ['total', '1', '1', '1', '2'],
    ]);
    // the baseline's writes were not checked against an authority (viaAuthority null): their own column
    const base = section(lines, /^Wiring of the baseline/);
    assert.deepEqual(base[0]?.trim().split(/\s{2,}/), ['category', 'through authority', 'bypassing', 'writes (no authority)', 'no write', 'dead']);
    assert.deepEqual(base.at(-1)?.trim().split(/\s{2,}/), ['total', '0', '0', '4', '1', '0']);
    assert.deepEqual(wiringTable({ ...a.run, entryPoints: [] }).map(l => l.trim().split(/\s{2,}/)[0]), ['category', 'total']);
  });

  test('bypasses: what each writes without the authority, and the shortest witness path, one line per step', () => {
    assert.deepEqual(bypassingEntries(a).map(e => e.id), ['r2']);
    assert.deepEqual(section(lines, /^Bypasses of the declared authority \(1 entry point\)$/), [
      '  POST /api/documents/:slug/title  server/document-routes.ts:8  handler setTitle (server/document-routes.ts:9)',
      '    writes without the authority: sql documents',
      '    for example -> sql documents (server/store.ts:12 in writeDocument)',
      '         server/document-routes.ts:8 POST /api/documents/:slug/title',
      '         server/document-routes.ts:9 setTitle',
      '         server/store.ts:12 writeDocument',
    ]);
  });

  test('fates: a count line, kept as a count, the others listed with notes and lost writes', () => {
    const title = lines.find(l => l.startsWith('Fates of'));
    assert.equal(title, 'Fates of the baseline\'s 5 entry points: 1 kept, 1 moved, 0 renamed, 1 hollowed, 1 deleted, 1 unreachable');
    const fates = section(lines, /^Fates of/);
    assert.deepEqual(fates, [
      '  moved (1)',
      '    POST /api/documents/:slug/title  server/routes.ts:30  ->  POST /api/documents/:slug/title server/document-routes.ts:8',
      '      moved from server/routes.ts to server/document-routes.ts',
      '  hollowed (1)',
      '    POST /marks/comment  server/marks.ts:10  ->  POST /marks/comment server/marks.ts:10',
      '      no longer reaches marks',
      '      lost: sql marks',
      '  deleted (1)',
      '    ws-handler message handler onMessage  server/ws.ts:3',
      '      no ws-handler message handler onMessage in the run',
      '  unreachable (1)',
      '    POST /api/agent/edit  server/agent.ts:5  ->  POST /api/agent/edit server/agent.ts:5',
      '      router agentRoutes is never mounted',
      '      lost: sql documents',
    ]);
    assert.ok(!fates.some(l => l.includes('PUT /api/documents/:slug')), 'kept entries are only counted');
  });

  test('kept entries that lost some writes are listed', () => {
    const b = sampleAnalysis();
    const kept = b.fates[0];
    if (kept) kept.lostWrites = ['b:sql:marks@server/db.ts:80'];
    const fates = section(analysisReport(b, ctx), /^Fates of/);
    assert.deepEqual(fates.slice(-3), ['  kept, but reaching fewer writes (1)', '    PUT /api/documents/:slug  server/routes.ts:20',
      '      lost: sql marks']);
  });

  test('dead entry points and skipped files', () => {
    assert.deepEqual(section(lines, /^Dead entry points in the run \(2; 0 in the baseline\)$/), [
      '  POST /api/agent/edit  server/agent.ts:5  handler agentEdit (server/agent.ts:6)',
      '    router agentRoutes is never mounted',
      '  timer setInterval handler sweep  server/cleanup.ts:2  handler sweep (server/cleanup.ts:3)',
      '    startCleanup is never called',
    ]);
    const tail = lines.slice(lines.findIndex(l => l.startsWith('Skipped files in the baseline')));
    assert.deepEqual(tail, ['Skipped files in the baseline (0)', 'Skipped files in the run (1)', '  server/huge.min.js: minified bundle']);
  });

  test('no bypass: says so', () => {
    const clean = sampleAnalysis();
    clean.run.entryPoints = clean.run.entryPoints.filter(e => e.viaAuthority !== false);
    assert.equal(bypassingEntries(clean).length, 0);
    assert.ok(analysisReport(clean, ctx).includes('Bypasses of the declared authority: none'));
  });
});

describe('analyze arguments', () => {
  test('the run, repeated --rules and --authority, --json, --sarif, --baseline, --no-cache', () => {
    assert.deepEqual(analyzeArgs(['run', '--rules', 'a.json', '--rules=b.json', '--authority', 'x.ts#save', '--authority', 'save', '--json', '--sarif', 'o.sarif', '--baseline', 'HEAD~1']),
      { target: 'run', rules: ['a.json', 'b.json'], authority: ['x.ts#save', 'save'], json: true, sarif: 'o.sarif', baseline: 'HEAD~1', cache: true });
    assert.deepEqual(analyzeArgs(['run']), { target: 'run', rules: [], json: false, cache: true });
    assert.deepEqual(analyzeArgs(['run', '--no-cache']), { target: 'run', rules: [], json: false, cache: false });
  });

  test('usage errors: no run, a second positional, an unknown option, a malformed authority, an empty --sarif', () => {
    assert.throws(() => analyzeArgs([]), (e: unknown) => e instanceof UsageError && /analyze needs a run folder/.test(e.message));
    assert.throws(() => analyzeArgs(['a', 'b']), /unexpected argument: b/);
    assert.throws(() => analyzeArgs(['a', '--frobnicate']), UsageError);
    assert.throws(() => analyzeArgs(['a', '--json=yes']), UsageError);
    for (const bad of ['', '#save', 'x.ts#', 'a b', 'x.ts#sa ve', 'x.ts#1save']) {
      assert.throws(() => analyzeArgs(['a', '--authority', bad]), /--authority .*expected a function name/, bad);
    }
    assert.throws(() => analyzeArgs(['a', '--sarif', '']), /--sarif needs a file name/);
  });


  test('--authority replaces the manifest\'s list; the manifest\'s entries read as path#symbol', () => {
    const manifest = { runId: 'x', authority: [{ path: 'server/db.ts', symbol: 'saveDocument' }] };
    assert.deepEqual(declaredAuthority(undefined, manifest), ['server/db.ts#saveDocument']);
    assert.deepEqual(declaredAuthority(['applyEdit', 'a.ts#b'], manifest), ['applyEdit', 'a.ts#b']);
    assert.deepEqual(declaredAuthority(undefined, undefined), []);
  });
});
