import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { entryPoints, fates, fileBadges, fileFindings, indexAnalysis, summary, witness } from '../../../src/server/authority/queries';
import { MAX_PAGE } from '../../../src/protocol/server/defs';
import { sampleAnalysis } from './analysis-fixture';

/** The language server's answers, from the hand-built analysis of analysis-fixture.ts (expectations read from it). */
describe('authority queries', () => {
  const a = sampleAnalysis();
  // r1 goes through the authority saveDocument (defined at server/authority.ts:7): its witness path says so
  const r1 = a.run.entryPoints.find(e => e.id === 'r1');
  assert.ok(r1);
  r1.witnesses = { 'r:sql:documents@server/store.ts:12': [
    { file: 'server/routes.ts', line: 22, name: 'PUT /api/documents/:slug' },
    { file: 'server/authority.ts', line: 7, name: 'saveDocument', via: 'call' },
    { file: 'server/store.ts', line: 12, name: 'writeDocument', via: 'call' },
  ] };
  const ix = indexAnalysis(a, 7);

  test('summary: the wiring matrix per category in reading order, the totals, fates counted', () => {
    const s = summary(ix);
    assert.equal(s.generation, 7);
    assert.deepEqual(s.run.matrix.map(r => r.category), ['rest', 'agent', 'mark', 'timer']);
    assert.deepEqual(s.run.matrix[0]?.counts, { through: 1, bypassing: 1, unchecked: 0, 'no-write': 0, dead: 0 });
    assert.deepEqual(s.run.matrix[1]?.counts, { through: 0, bypassing: 0, unchecked: 0, 'no-write': 0, dead: 1 });
    assert.deepEqual(s.run.total, { through: 1, bypassing: 1, unchecked: 0, 'no-write': 1, dead: 2 });
    assert.equal(s.run.entryPoints, 5);
    assert.equal(s.run.skipped, 1);
    assert.deepEqual(s.baseline.total, { through: 0, bypassing: 0, unchecked: 4, 'no-write': 1, dead: 0 });
    assert.deepEqual(s.fates, { kept: 1, moved: 1, hollowed: 1, unreachable: 1, deleted: 1 });
    assert.deepEqual(s.run.authority, [{ name: 'server/authority.ts#saveDocument', found: true, file: 'server/authority.ts', line: 7 }]);
  });

  test('entry points of a category: by file and line, with wiring, the writes (bypassing ones marked) and the authority passed', () => {
    const page = entryPoints(ix, 'run', 'rest', { generation: 7 });
    assert.equal(page.total, 2);
    assert.equal(page.next, undefined);
    assert.deepEqual(page.items.map(e => e.id), ['r2', 'r1']);
    const [r2, first] = page.items;
    assert.equal(r2?.label, 'POST /api/documents/:slug/title');
    assert.equal(r2?.wiring, 'bypassing');
    assert.deepEqual(r2?.writes, [{ id: 'r:sql:documents@server/store.ts:12', kind: 'sql', target: 'documents', file: 'server/store.ts', line: 12, function: 'writeDocument', bypass: true }]);
    assert.deepEqual(r2?.via, []);
    assert.equal(first?.wiring, 'through');
    assert.deepEqual(first?.via, ['saveDocument']);
    assert.equal(first?.writes[0]?.bypass, false);
  });

  test('dead entry points apart, in pages: limit and cursor, clamped', () => {
    const all = entryPoints(ix, 'run', 'dead', { generation: 7 });
    assert.deepEqual(all.items.map(e => [e.id, e.wiring, e.why]), [
      ['r4', 'dead', 'router agentRoutes is never mounted'], ['r5', 'dead', 'startCleanup is never called'],
    ]);
    const p1 = entryPoints(ix, 'run', 'dead', { generation: 7, limit: 1 });
    assert.deepEqual([p1.items.map(e => e.id), p1.next, p1.total], [['r4'], 1, 2]);
    const p2 = entryPoints(ix, 'run', 'dead', { generation: 7, limit: 1, cursor: p1.next ?? -1 });
    assert.deepEqual([p2.items.map(e => e.id), p2.next], [['r5'], undefined]);
    assert.equal(entryPoints(ix, 'run', 'dead', { generation: 7, limit: 0 }).items.length, 1, 'a limit below 1 is 1');
    assert.equal(entryPoints(ix, 'run', 'dead', { generation: 7, cursor: Number.NaN }).items.length, 2, 'a bad cursor is 0');
    assert.equal(entryPoints(ix, 'run', 'unknown-category', { generation: 7 }).total, 0);
    // every reachable entry point when no category is named
    assert.deepEqual(entryPoints(ix, 'run', undefined, { generation: 7 }).items.map(e => e.id), ['r2', 'r1', 'r3']);
  });

  test('a page never carries more than MAX_PAGE items', () => {
    const many = sampleAnalysis();
    const template = many.run.entryPoints[2];
    assert.ok(template);
    many.run.entryPoints = Array.from({ length: MAX_PAGE + 20 }, (_, i) => ({ ...template, id: `m${i}`, line: i + 1 }));
    const p = entryPoints(indexAnalysis(many, 1), 'run', 'mark', { generation: 1, limit: 100_000 });
    assert.equal(p.items.length, MAX_PAGE);
    assert.equal(p.next, MAX_PAGE);
    assert.equal(p.total, MAX_PAGE + 20);
  });

  test('witness paths: a bypass path, a kept witness, none for a write not reached', () => {
    const b = witness(ix, 'run', 'r2', 'r:sql:documents@server/store.ts:12');
    assert.equal(b?.bypass, true);
    assert.deepEqual(b?.steps.map(s => `${s.file}:${s.line} ${s.name}`), [
      'server/document-routes.ts:8 POST /api/documents/:slug/title', 'server/document-routes.ts:9 setTitle', 'server/store.ts:12 writeDocument',
    ]);
    const t = witness(ix, 'run', 'r1', 'r:sql:documents@server/store.ts:12');
    assert.equal(t?.bypass, false);
    assert.equal(t?.steps[1]?.name, 'saveDocument');
    assert.equal(witness(ix, 'run', 'r3', 'r:sql:documents@server/store.ts:12'), undefined);
    assert.equal(witness(ix, 'run', 'nope', 'x'), undefined);
  });

  test('fates: kept, moved, hollowed, deleted, unreachable in that order, with run counterparts and lost writes', () => {
    const p = fates(ix, undefined, { generation: 7 });
    assert.deepEqual(p.items.map(f => [f.baseline.id, f.fate]), [['b1', 'kept'], ['b2', 'moved'], ['b3', 'hollowed'], ['b5', 'deleted'], ['b4', 'unreachable']]);
    const b4 = p.items.find(f => f.baseline.id === 'b4');
    assert.deepEqual(b4?.run.map(r => [r.id, r.file, r.line]), [['r4', 'server/agent.ts', 5]]);
    assert.deepEqual(b4?.lostWrites, [{ kind: 'sql', target: 'documents' }]);
    assert.equal(b4?.wrote, true);
    assert.equal(p.items.find(f => f.baseline.id === 'b5')?.wrote, false);
    assert.deepEqual(fates(ix, 'hollowed', { generation: 7 }).items.map(f => f.baseline.id), ['b3']);
  });

  test('file findings: the writes of a file with who reaches them; baseline files with their fates', () => {
    const store = fileFindings(ix, 'run', 'server/store.ts');
    assert.equal(store.entries.length, 0);
    assert.equal(store.writes.length, 1);
    assert.equal(store.writes[0]?.bypass, true, 'r2 reaches it without the authority');
    assert.deepEqual(store.writes[0]?.reachedBy.map(r => [r.id, r.bypass]), [['r2', true], ['r1', false], ['r4', false]]);
    const routes = fileFindings(ix, 'baseline', 'server/routes.ts');
    assert.deepEqual(routes.entries.map(e => e.id), ['b1', 'b2']);
    assert.deepEqual(routes.fates, [{ id: 'b1', fate: 'kept', note: 'kept in server/routes.ts', line: 20 }, { id: 'b2', fate: 'moved', note: 'moved from server/routes.ts to server/document-routes.ts', line: 30 }]);
    assert.equal(fileFindings(ix, 'run', 'server/routes.ts').fates, undefined, 'fates are the baseline\'s');
    assert.deepEqual(fileFindings(ix, 'run', 'README.md'), { generation: 7, side: 'run', path: 'README.md', entries: [], writes: [] });
  });

  test('badges: entry points, writes and bypasses per file and side; lost write paths on the baseline file', () => {
    const all = fileBadges(ix, { generation: 7 }).items;
    const get = (side: string, p: string) => all.find(b => b.side === side && b.path === p);
    assert.deepEqual(get('run', 'server/document-routes.ts'), { path: 'server/document-routes.ts', side: 'run', entries: 1, writes: 0, bypassing: 1, lostWritePaths: 0 });
    assert.deepEqual(get('run', 'server/store.ts'), { path: 'server/store.ts', side: 'run', entries: 0, writes: 1, bypassing: 0, lostWritePaths: 0 });
    assert.equal(get('baseline', 'server/agent.ts')?.lostWritePaths, 1, 'b4 wrote and is unreachable in the run');
    assert.equal(get('baseline', 'server/ws.ts')?.lostWritePaths, 0, 'b5 was deleted but never wrote');
    assert.equal(get('baseline', 'server/db.ts')?.writes, 2);
  });
});
