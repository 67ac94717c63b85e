import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type EntryPoint, type Side, type Write } from '../../../src/core/authority/analysis';
import { classifyFates, entryKeys, minhashSignature, RENAME_THRESHOLD, signatureSimilarity } from '../../../src/core/authority/fates';

/** Hand-built sides: every entry point and write written out here, not produced by the engine. */

function write(id: string, kind: string, target: string, file = 'server/db.ts', line = 1): Write {
  return { id, kind, target, file, line, function: `write_${target}` };
}

function route(id: string, method: string, paths: string[], file: string, handler: string, writes: string[], more: Partial<EntryPoint> = {}): EntryPoint {
  return {
    id, kind: 'http-route', category: 'rest', file, line: 10, method, path: paths[0], paths,
    handler: { file, line: 11, name: handler }, reachable: true, why: 'mounted on the app', writes, viaAuthority: null, ...more,
  };
}

function handler(id: string, kind: string, event: string | undefined, file: string, name: string, writes: string[], more: Partial<EntryPoint> = {}): EntryPoint {
  return {
    id, kind, category: kind === 'timer' ? 'timer' : 'websocket', file, line: 5, paths: [], ...(event !== undefined ? { event } : {}),
    handler: { file, line: 6, name }, reachable: true, why: 'registered on the server', writes, viaAuthority: null, ...more,
  };
}

function side(entryPoints: EntryPoint[], writes: Write[] = []): Side {
  return { tree: 't'.repeat(40), files: 1, lines: 1, skipped: [], entryPoints, writes };
}

/** Token lists for handlers: a long list, a small edit of it, and an unrelated one. */
const tokens = (prefix: string, n = 40) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const edited = (xs: string[], at: number, by: string) => xs.map((t, i) => (i === at ? by : t));

const baseWrites = [write('b:docs', 'sql', 'documents'), write('b:events', 'sql', 'document_events'), write('b:ydoc', 'yjs', 'prosemirror')];
/** The run's writes: the same (kind, target) pairs under other ids (ids name files), and one new. */
const runWrites = [
  write('r:docs', 'sql', 'documents', 'server/store.ts'), write('r:events', 'sql', 'document_events', 'server/store.ts'),
  write('r:ydoc', 'yjs', 'prosemirror', 'server/collab.ts'), write('r:audit', 'sql', 'audit_log', 'server/store.ts'),
];

describe('classifyFates', () => {
  test('kept: same key, same file, reachable, reaches a baseline target (writes compared by kind and target, not id)', () => {
    const fates = classifyFates(
      side([route('b1', 'POST', ['/api/docs'], 'server/routes.ts', 'createDoc', ['b:docs', 'b:events'])], baseWrites),
      side([route('r1', 'POST', ['/api/docs'], 'server/routes.ts', 'createDocument', ['r:docs', 'r:audit'], { line: 99 })], runWrites),
    );
    assert.deepEqual(fates, [{
      baseline: 'b1', fate: 'kept', run: ['r1'], lostWrites: ['b:events'], gainedWrites: ['r:audit'],
      note: 'kept in server/routes.ts; no longer reaches document_events',
    }]);
  });

  test('moved: the registration file differs; the note says from where to where', () => {
    const [f] = classifyFates(
      side([route('b1', 'PUT', ['/api/docs/:slug'], 'server/routes.ts', 'putDoc', ['b:docs'])], baseWrites),
      side([route('r1', 'PUT', ['/api/docs/:id/'], 'server/document-routes.ts', 'putDoc', ['r:docs'])], runWrites),
    );
    assert.equal(f?.fate, 'moved');
    assert.deepEqual(f?.run, ['r1']);
    assert.equal(f?.note, 'moved from server/routes.ts to server/document-routes.ts');
    assert.deepEqual(f?.lostWrites, []);
  });

  test('a route mounted twice in the baseline, one mount left in the run: kept (any key matches)', () => {
    const b = route('b1', 'POST', ['/api/agent/edit', '/agent/edit'], 'server/agent.ts', 'edit', ['b:ydoc']);
    assert.deepEqual(entryKeys(b), ['route POST /api/agent/edit', 'route POST /agent/edit']);
    const [f] = classifyFates(side([b], baseWrites), side([route('r1', 'POST', ['/agent/edit'], 'server/agent.ts', 'edit', ['r:ydoc'])], runWrites));
    assert.equal(f?.fate, 'kept');
    assert.deepEqual(f?.run, ['r1']);
    assert.deepEqual(f?.lostWrites, []);
  });

  test('hollowed: still reachable, reaches none of the baseline targets; lost and gained writes listed', () => {
    const fates = classifyFates(
      side([
        route('b1', 'POST', ['/marks/comment'], 'server/marks.ts', 'comment', ['b:docs', 'b:events']),
        route('b2', 'POST', ['/marks/resolve'], 'server/marks.ts', 'resolve', ['b:docs']),
      ], baseWrites),
      side([
        route('r1', 'POST', ['/marks/comment'], 'server/marks.ts', 'comment', ['r:audit']),
        route('r2', 'POST', ['/marks/resolve'], 'server/mark-routes.ts', 'resolve', []),
      ], runWrites),
    );
    assert.deepEqual(fates.map(f => f.fate), ['hollowed', 'hollowed']);
    assert.deepEqual(fates[0]?.lostWrites, ['b:docs', 'b:events']);
    assert.deepEqual(fates[0]?.gainedWrites, ['r:audit']);
    assert.equal(fates[0]?.note, 'no longer reaches documents, document_events');
    assert.equal(fates[1]?.note, 'no longer reaches documents; moved from server/marks.ts to server/mark-routes.ts');
  });

  test('a baseline entry that reached no write is kept, never hollowed', () => {
    const [f] = classifyFates(side([route('b1', 'GET', ['/health'], 'server/app.ts', 'health', [])]), side([route('r1', 'GET', ['/health'], 'server/app.ts', 'health', [])]));
    assert.equal(f?.fate, 'kept');
    assert.equal(f?.note, 'kept in server/app.ts');
  });

  test('unreachable: every match is dead code; the note is the run entry\'s reason', () => {
    const [f] = classifyFates(
      side([route('b1', 'POST', ['/api/agent/run'], 'server/agent.ts', 'run', ['b:docs'])], baseWrites),
      side([route('r1', 'POST', ['/api/agent/run'], 'server/agent.ts', 'run', ['r:docs'], { reachable: false, why: 'router agentRoutes is never mounted' })], runWrites),
    );
    assert.deepEqual(f, { baseline: 'b1', fate: 'unreachable', run: ['r1'], lostWrites: ['b:docs'], gainedWrites: [], note: 'router agentRoutes is never mounted' });
  });

  test('one live match among dead ones is enough: not unreachable', () => {
    const [f] = classifyFates(
      side([route('b1', 'GET', ['/a'], 'x.ts', 'a', [])]),
      side([route('r0', 'GET', ['/a'], 'x.ts', 'a', [], { reachable: false, why: 'dead' }), route('r1', 'GET', ['/a'], 'x.ts', 'a', [])]),
    );
    assert.equal(f?.fate, 'kept');
    assert.deepEqual(f?.run, ['r0', 'r1']);
  });

  test('deleted: no match; every write lost', () => {
    const [f] = classifyFates(
      side([route('b1', 'DELETE', ['/api/docs/:slug'], 'server/routes.ts', 'del', ['b:docs'])], baseWrites),
      side([route('r1', 'GET', ['/api/docs/:slug'], 'server/routes.ts', 'get', [])], runWrites),
    );
    assert.deepEqual(f, { baseline: 'b1', fate: 'deleted', run: [], lostWrites: ['b:docs'], gainedWrites: [], note: 'no DELETE /api/docs/:slug in the run' });
  });

  test('renamed: the most similar of two new candidates is chosen; a matched entry is never a candidate', () => {
    const base = tokens('t');
    const fates = classifyFates(
      side([
        route('b1', 'POST', ['/api/documents/:slug/edit'], 'server/routes.ts', 'editDoc', ['b:docs'], { signature: minhashSignature(base) }),
        route('b2', 'POST', ['/api/kept'], 'server/routes.ts', 'kept', [], { signature: minhashSignature(base) }),
      ], baseWrites),
      side([
        // matched by key: not a rename candidate even though its handler is identical
        route('r0', 'POST', ['/api/kept'], 'server/routes.ts', 'kept', [], { signature: minhashSignature(base) }),
        route('r1', 'POST', ['/api/docs/:slug/edit-a'], 'server/routes.ts', 'a', ['r:docs'], { signature: minhashSignature(edited(edited(base, 5, 'x'), 20, 'y')) }),
        route('r2', 'POST', ['/api/docs/:slug/edit-b'], 'server/routes.ts', 'b', ['r:docs'], { signature: minhashSignature(edited(base, 5, 'x')) }),
        route('r3', 'GET', ['/api/docs/:slug/edit-c'], 'server/routes.ts', 'c', ['r:docs'], { signature: minhashSignature(base) }),
      ], runWrites),
    );
    assert.equal(fates[0]?.fate, 'renamed');
    assert.deepEqual(fates[0]?.run, ['r2'], 'the closer handler wins; the GET with an identical handler has another method');
    assert.match(fates[0]?.note ?? '', /^renamed from POST \/api\/documents\/:slug\/edit to POST \/api\/docs\/:slug\/edit-b \(similarity 0\.\d\d\)$/);
    assert.equal(fates[1]?.fate, 'kept');
  });

  test('a dissimilar new handler is not a rename (below the threshold): deleted', () => {
    const [f] = classifyFates(
      side([route('b1', 'POST', ['/a'], 'x.ts', 'a', [], { signature: minhashSignature(tokens('p')) })]),
      side([route('r1', 'POST', ['/b'], 'x.ts', 'a', [], { signature: minhashSignature(tokens('q')) })]),
    );
    assert.equal(f?.fate, 'deleted');
    assert.ok(RENAME_THRESHOLD === 0.6);
  });

  test('ties: one run entry renames one baseline entry; equal similarity goes to the earlier baseline, then the earlier run entry', () => {
    const sig = minhashSignature(tokens('same'));
    const fates = classifyFates(
      side([
        route('b1', 'POST', ['/old-1'], 'x.ts', 'h1', [], { signature: sig }),
        route('b2', 'POST', ['/old-2'], 'x.ts', 'h2', [], { signature: sig }),
        route('b3', 'POST', ['/old-3'], 'x.ts', 'h3', [], { signature: sig }),
      ]),
      side([
        route('r1', 'POST', ['/new-1'], 'x.ts', 'n1', [], { signature: sig }),
        route('r2', 'POST', ['/new-2'], 'x.ts', 'n2', [], { signature: sig }),
      ]),
    );
    assert.deepEqual(fates.map(f => [f.baseline, f.fate, f.run]), [['b1', 'renamed', ['r1']], ['b2', 'renamed', ['r2']], ['b3', 'deleted', []]]);
    assert.deepEqual(classifyFates(side([route('b1', 'POST', ['/old-1'], 'x.ts', 'h1', [], { signature: sig })]), side([route('r1', 'POST', ['/n'], 'x.ts', 'n', [], { signature: sig })])),
      classifyFates(side([route('b1', 'POST', ['/old-1'], 'x.ts', 'h1', [], { signature: sig })]), side([route('r1', 'POST', ['/n'], 'x.ts', 'n', [], { signature: sig })])),
      'deterministic');
  });

  test('without signatures a rename needs the same handler name in the same file; a renamed entry can be hollowed', () => {
    const fates = classifyFates(
      side([route('b1', 'POST', ['/api/save'], 'server/routes.ts', 'saveDoc', ['b:docs']), route('b2', 'POST', ['/api/x'], 'server/routes.ts', 'xDoc', ['b:docs'])], baseWrites),
      side([route('r1', 'POST', ['/api/v2/save'], 'server/routes.ts', 'saveDoc', []), route('r2', 'POST', ['/api/y'], 'server/other.ts', 'xDoc', [])], runWrites),
    );
    assert.equal(fates[0]?.fate, 'hollowed');
    assert.deepEqual(fates[0]?.run, ['r1']);
    assert.equal(fates[0]?.note, 'no longer reaches documents; renamed from POST /api/save to POST /api/v2/save (same handler saveDoc)');
    assert.equal(fates[1]?.fate, 'deleted', 'same name in another file is no rename without signatures');
  });

  test('a rename to a dead entry is unreachable', () => {
    const [f] = classifyFates(
      side([route('b1', 'POST', ['/a'], 'x.ts', 'h', [])]),
      side([route('r1', 'POST', ['/b'], 'x.ts', 'h', [], { reachable: false, why: 'router r is never mounted' })]),
    );
    assert.equal(f?.fate, 'unreachable');
    assert.match(f?.note ?? '', /^renamed from POST \/a to POST \/b .*, which is unreachable: router r is never mounted$/);
  });

  test('handlers are keyed by kind, event and name, never by line; the file breaks ties', () => {
    const fates = classifyFates(
      side([
        handler('b1', 'ws-handler', 'message', 'server/ws.ts', 'onMessage', ['b:ydoc']),
        handler('b2', 'timer', undefined, 'server/a.ts', 'sweep', []),
        handler('b3', 'timer', undefined, 'server/b.ts', 'sweep', []),
      ], baseWrites),
      side([
        handler('r1', 'ws-handler', 'message', 'server/ws.ts', 'onMessage', ['r:ydoc'], { line: 400 }),
        handler('r2', 'timer', undefined, 'server/c.ts', 'sweep', []),
        handler('r3', 'timer', undefined, 'server/b.ts', 'sweep', []),
        handler('r4', 'ws-handler', 'close', 'server/ws.ts', 'onMessage', []),
      ], runWrites),
    );
    assert.deepEqual(fates.map(f => [f.fate, f.run]), [['kept', ['r1']], ['moved', ['r2']], ['kept', ['r3']]]);
    assert.equal(fates[1]?.note, 'moved from server/a.ts to server/c.ts');
  });

  test('empty sides', () => {
    assert.deepEqual(classifyFates(side([]), side([])), []);
    assert.deepEqual(classifyFates(side([]), side([route('r1', 'GET', ['/'], 'x.ts', 'h', [])])), []);
    const [f] = classifyFates(side([handler('b1', 'queue-handler', 'jobs', 'q.ts', 'work', [])]), side([]));
    assert.deepEqual(f, { baseline: 'b1', fate: 'deleted', run: [], lostWrites: [], gainedWrites: [], note: 'no queue-handler jobs handler work in the run' });
  });

  test('writesOf narrows what an entry is taken to reach', () => {
    const b = route('b1', 'POST', ['/a'], 'x.ts', 'h', ['b:docs']);
    const r = route('r1', 'POST', ['/a'], 'x.ts', 'h', ['r:docs']);
    const [f] = classifyFates(side([b], baseWrites), side([r], runWrites), (e, s) => (s === 'run' ? [] : e.writes));
    assert.equal(f?.fate, 'hollowed');
  });
});

describe('minhashSignature', () => {
  test('deterministic, k values, unsigned 32-bit', () => {
    const s = minhashSignature(['a', 'b', 'c', 'd']);
    assert.equal(s.length, 32);
    assert.deepEqual(s, minhashSignature(['a', 'b', 'c', 'd']));
    assert.equal(minhashSignature(['a', 'b', 'c', 'd'], 8).length, 8);
    for (const v of s) assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
    assert.throws(() => minhashSignature(['a'], 0), RangeError);
  });

  test('identical token lists: 1; disjoint: about 0; a small edit: high', () => {
    const a = tokens('tok', 60);
    assert.equal(signatureSimilarity(minhashSignature(a), minhashSignature([...a])), 1);
    assert.ok((signatureSimilarity(minhashSignature(a), minhashSignature(tokens('other', 60))) ?? 1) <= 0.1);
    const small = signatureSimilarity(minhashSignature(a), minhashSignature(edited(a, 30, 'changed'))) ?? 0;
    assert.ok(small >= 0.75, `one token changed in 60: ${small}`);
  });

  test('fewer than three tokens: one shingle of what there is', () => {
    assert.equal(signatureSimilarity(minhashSignature(['a', 'b']), minhashSignature(['a', 'b'])), 1);
    assert.ok((signatureSimilarity(minhashSignature(['a', 'b']), minhashSignature(['a', 'c'])) ?? 1) < 0.2);
    assert.equal(signatureSimilarity(minhashSignature([]), minhashSignature([])), 1);
  });

  test('similarity is undefined for missing or mismatched signatures', () => {
    assert.equal(signatureSimilarity(undefined, [1]), undefined);
    assert.equal(signatureSimilarity([1, 2], [1]), undefined);
    assert.equal(signatureSimilarity([], []), undefined);
  });
});
