import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisSchema } from '../../../src/core/authority/analysis';
import { toSarif, type SarifLocation, type SarifResult } from '../../../src/analysis/authority/sarif';
import { sampleAnalysis } from './analysis-fixture';

/**
 * The SARIF log of a hand-built analysis. The required fields of SARIF 2.1.0 (sarif-schema-2.1.0.json: sarifLog
 * {version, runs}, run {tool}, tool {driver}, toolComponent {name}, result {message}, message {text},
 * reportingDescriptor {id}, codeFlow {threadFlows}, threadFlow {locations}) are checked here by hand.
 */

const loc = (l: SarifLocation | undefined) => {
  const p = l?.physicalLocation;
  return `${p?.artifactLocation.uriBaseId ?? ''}:${p?.artifactLocation.uri ?? ''}:${p?.region.startLine ?? 0}`;
};

function byRule(results: readonly SarifResult[], rule: string): SarifResult[] {
  return results.filter(r => r.ruleId === rule);
}

describe('toSarif', () => {
  const analysis = sampleAnalysis();
  AnalysisSchema.parse(analysis);
  const log = toSarif(analysis, { toolVersion: '9.9.9' });
  const [run] = log.runs;
  const results = run.results;

  test('the log: schema, version, one run, the driver with its five rules and their levels', () => {
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.equal(run.tool.driver.name, 'seb-review');
    assert.equal(run.tool.driver.version, '9.9.9');
    assert.deepEqual(run.tool.driver.rules.map(r => [r.id, r.defaultConfiguration.level]), [
      ['authority-bypass', 'error'], ['baseline-path-hollowed', 'warning'], ['baseline-path-still-reachable', 'warning'],
      ['baseline-path-unreachable', 'note'], ['dead-entry-point', 'note'],
    ]);
    for (const r of run.tool.driver.rules) assert.ok(r.shortDescription.text.length > 0 && r.fullDescription.text.length > 0);
    assert.deepEqual(results.map(r => r.ruleId).sort(), [
      'authority-bypass', 'baseline-path-hollowed', 'baseline-path-still-reachable', 'baseline-path-unreachable', 'dead-entry-point',
    ]);
    for (const r of results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId, 'ruleIndex points at the rule');
      assert.equal(r.level, run.tool.driver.rules[r.ruleIndex]?.defaultConfiguration.level);
      assert.ok(r.message.text.length > 0);
      assert.equal(r.locations.length, 1);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(log)), log, 'plain JSON');
  });

  test('authority-bypass: at the registration, naming the route, the write and the witness path; code flow and related locations', () => {
    const [r] = byRule(results, 'authority-bypass');
    assert.equal(loc(r?.locations[0]), 'RUNROOT:server/document-routes.ts:8');
    const text = r?.message.text ?? '';
    for (const part of ['POST /api/documents/:slug/title', 'setTitle', 'writes sql documents without passing', 'sql write to documents (server/store.ts:12 in writeDocument)',
      'server/authority.ts#saveDocument', 'setTitle (server/document-routes.ts:9) -> writeDocument (server/store.ts:12)']) {
      assert.ok(text.includes(part), `${part} in: ${text}`);
    }
    const flow = r?.codeFlows?.[0]?.threadFlows[0]?.locations.map(l => loc(l.location));
    assert.deepEqual(flow, ['RUNROOT:server/document-routes.ts:8', 'RUNROOT:server/document-routes.ts:9', 'RUNROOT:server/store.ts:12']);
    assert.deepEqual(r?.relatedLocations?.map(l => [l.id, loc(l)]), [
      [0, 'RUNROOT:server/document-routes.ts:8'], [1, 'RUNROOT:server/document-routes.ts:9'], [2, 'RUNROOT:server/store.ts:12'],
    ]);
  });

  test('baseline-path-still-reachable: the moved route still bypasses; the baseline entry is a related location', () => {
    const [r] = byRule(results, 'baseline-path-still-reachable');
    assert.equal(loc(r?.locations[0]), 'RUNROOT:server/document-routes.ts:8');
    assert.match(r?.message.text ?? '', /baseline's POST \/api\/documents\/:slug\/title .* survives in the run \(moved\) .* still writes documents without passing/);
    assert.equal(loc(r?.relatedLocations?.[0]), 'BASELINEROOT:server/routes.ts:30');
    const ids = r?.relatedLocations?.map(l => l.id) ?? [];
    assert.equal(new Set(ids).size, ids.length, 'related location ids are unique');
    assert.equal(r?.codeFlows?.[0]?.threadFlows[0]?.locations.length, 3);
  });

  test('baseline-path-hollowed: at the run entry, the lost write and the baseline witness path on BASELINEROOT', () => {
    const [r] = byRule(results, 'baseline-path-hollowed');
    assert.equal(loc(r?.locations[0]), 'RUNROOT:server/marks.ts:10');
    assert.ok(r?.message.text.includes('sql write to marks (server/db.ts:80 in insertMark)'), r?.message.text);
    assert.deepEqual(r?.relatedLocations?.map(loc), ['BASELINEROOT:server/marks.ts:10', 'BASELINEROOT:server/db.ts:80']);
    assert.deepEqual(r?.codeFlows?.[0]?.threadFlows[0]?.locations.map(l => loc(l.location)),
      ['BASELINEROOT:server/marks.ts:10', 'BASELINEROOT:server/marks.ts:11', 'BASELINEROOT:server/db.ts:80']);
  });

  test('baseline-path-unreachable and dead-entry-point: notes with the reason; a dead entry is reported once', () => {
    const [u] = byRule(results, 'baseline-path-unreachable');
    assert.equal(loc(u?.locations[0]), 'RUNROOT:server/agent.ts:5');
    assert.ok(u?.message.text.includes('router agentRoutes is never mounted'));
    const dead = byRule(results, 'dead-entry-point');
    assert.deepEqual(dead.map(d => loc(d.locations[0])), ['RUNROOT:server/cleanup.ts:2'], 'the agent route is reported as baseline-path-unreachable only');
    assert.ok(dead[0]?.message.text.includes('startCleanup is never called'));
  });

  test('partialFingerprints: from entry ids and write targets, not lines; unique per result', () => {
    const prints = results.map(r => JSON.stringify(r.partialFingerprints));
    assert.equal(new Set(prints).size, prints.length);
    for (const r of results) assert.deepEqual(Object.keys(r.partialFingerprints), ['sebReviewFinding/v1']);
    const moved = sampleAnalysis();
    for (const e of moved.run.entryPoints) e.line += 100;
    assert.deepEqual(toSarif(moved, { toolVersion: '9.9.9' }).runs[0].results.map(r => r.partialFingerprints), results.map(r => r.partialFingerprints));
  });

  test('originalUriBaseIds: %SRCROOT% by default; absolute file URIs ending in "/" when the roots are given; paths as URI references', () => {
    assert.equal(run.originalUriBaseIds.RUNROOT?.uriBaseId, '%SRCROOT%');
    assert.equal(run.originalUriBaseIds.RUNROOT?.uri, undefined);
    assert.equal(run.originalUriBaseIds.BASELINEROOT?.uri, undefined);
    assert.ok(run.originalUriBaseIds.BASELINEROOT?.description?.text.includes('b'.repeat(40)));
    const root = path.resolve('/tmp/some run');
    const rooted = toSarif(analysis, { toolVersion: '1', runRoot: root, baselineRoot: path.resolve('/tmp/frozen') }).runs[0];
    assert.equal(rooted.originalUriBaseIds.RUNROOT?.uri, `${pathToFileURL(root).href}/`);
    assert.equal(rooted.originalUriBaseIds.RUNROOT?.uriBaseId, undefined, 'an absolute uri has no base');
    assert.equal(rooted.originalUriBaseIds.BASELINEROOT?.uri, `${pathToFileURL(path.resolve('/tmp/frozen')).href}/`);
    const odd = sampleAnalysis();
    const first = odd.run.entryPoints[4];
    if (first) first.file = 'server/dir with space/ä.ts';
    assert.equal(toSarif(odd, { toolVersion: '1' }).runs[0].results.at(-1)?.locations[0]?.physicalLocation.artifactLocation.uri, 'server/dir%20with%20space/%C3%A4.ts', 'a URI reference: each segment percent-encoded');
  });

  test('an analysis without findings: the rules, no results', () => {
    const clean = sampleAnalysis();
    clean.run.entryPoints = [];
    clean.fates = [];
    const empty = toSarif(clean, { toolVersion: '1' });
    assert.equal(empty.runs[0].results.length, 0);
    assert.equal(empty.runs[0].tool.driver.rules.length, 5);
  });

  test('a bypassing entry without witness paths still gives its result, naming what it writes', () => {
    const a = sampleAnalysis();
    const e = a.run.entryPoints[1];
    if (e) delete e.bypasses;
    const [r] = byRule(toSarif(a, { toolVersion: '1' }).runs[0].results, 'authority-bypass');
    assert.equal(r?.codeFlows, undefined);
    assert.ok(r?.message.text.includes('documents'));
  });

  test('file names from the tree stay relative paths under their base; control and bidi characters in messages are escaped', () => {
    const a = sampleAnalysis();
    const e = a.run.entryPoints.find(x => x.viaAuthority === false);
    assert.ok(e);
    const names = ['https:/evil.example/routes.ts', 'src/%2e%2e/%2e%2e/etc/passwd.ts', 'src/x#frag.ts', 'src/a?b=1.ts', 'src/sp ace.ts', 'src/new\nline.ts'];
    const uris: string[] = [];
    for (const name of names) {
      e.file = name;
      e.handler.name = 'evil\u202e\u001b[2Jname';
      const [r] = byRule(toSarif(a, { toolVersion: '1' }).runs[0].results, 'authority-bypass');
      const uri = r?.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
      uris.push(uri);
      assert.equal(new URL(uri, 'file:///root/').href.startsWith('file:///root/'), true, `${uri} resolves under its base`);
      assert.equal(decodeURIComponent(uri), name, 'and means that file');
      const text = r?.message.text ?? '';
      assert.ok(!text.includes('\u001b') && !text.includes('\u202e'), 'no raw escape or bidi character in the message');
      assert.match(r?.message.text ?? '', /evil\\u202e\\u001b\[2Jname/);
    }
    assert.deepEqual(uris, ['https%3A/evil.example/routes.ts', 'src/%252e%252e/%252e%252e/etc/passwd.ts', 'src/x%23frag.ts', 'src/a%3Fb%3D1.ts', 'src/sp%20ace.ts', 'src/new%0Aline.ts']);
  });
});
