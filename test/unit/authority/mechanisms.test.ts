import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { analyzeTree, AnalysisCache } from '../../../src/analysis/authority/analyze';
import { loadRulePacks, type LoadedPack } from '../../../src/analysis/authority/packs';
import type { EntryPoint, Side } from '../../../src/core/authority/analysis';
import { memoryTreeReader } from '../../../src/core/tree-read';

/**
 * The analysis' general mechanisms on small trees, each expectation read off the code in this file: string dispatch,
 * one-time initialisation, the declared authority and its witness paths, routers through helpers and factories.
 */

const packsDir = path.resolve(__dirname, '..', '..', '..', '..', 'rubric', 'authority');
let packs: LoadedPack[];
before(async () => {
  packs = await loadRulePacks([], { builtInDir: packsDir });
});

async function analyse(files: Record<string, string>, authority: string[] = []): Promise<Side> {
  return analyzeTree({ reader: memoryTreeReader(files), tree: JSON.stringify(files).length.toString(36) + Math.random(), packs, authority, cache: new AnalysisCache() });
}

const route = (side: Side, method: string, p: string): EntryPoint => {
  const e = side.entryPoints.find(x => x.method === method && x.paths.includes(p));
  assert.ok(e, `${method} ${p} among ${side.entryPoints.map(x => x.id).join(', ')}`);
  return e;
};
const targets = (side: Side, e: EntryPoint) => e.writes.map(id => side.writes.find(w => w.id === id)?.target).sort();

describe('string dispatch', () => {
  const files = {
    'src/engine.ts': [
      /* 1 */ "import { db } from './db';",
      /* 2 */ 'export function run(method: string, route: string) {',
      /* 3 */ "  if (method === 'POST' && route === '/marks/comment') return db.prepare('INSERT INTO comments VALUES (?)').run(1);",
      /* 4 */ "  if (route === '/marks/resolve' || route === '/marks/reopen') return db.prepare('UPDATE marks SET state = ?').run(2);",
      /* 5 */ '  switch (route) {',
      /* 6 */ "    case '/title': return db.prepare('UPDATE documents SET title = ?').run(3);",
      /* 7 */ '  }',
      /* 8 */ '  return null;',
      /* 9 */ '}',
    ].join('\n'),
    'src/db.ts': "import Database from 'better-sqlite3';\nexport const db = new Database('x.db');\n",
    'src/index.ts': [
      "import express from 'express';",
      "import { run } from './engine';",
      'const app = express();',
      "app.post('/comment', () => run('POST', '/marks/comment'));",
      "app.post('/resolve', () => run('POST', '/marks/resolve'));",
      "app.post('/title', () => run('POST', '/title'));",
      'app.use((req, res) => run(req.method, req.path));',
    ].join('\n'),
  };

  test('a literal path reaches only its branch; a path from the request reaches every branch', async () => {
    const side = await analyse(files);
    assert.deepEqual(targets(side, route(side, 'POST', '/comment')), ['comments']);
    assert.deepEqual(targets(side, route(side, 'POST', '/resolve')), ['marks']);
    assert.deepEqual(targets(side, route(side, 'POST', '/title')), ['documents']);
    assert.deepEqual(targets(side, route(side, '*', '/')), ['comments', 'documents', 'marks']);
  });
});

describe('one-time initialisation', () => {
  const files = {
    'src/db.ts': [
      /*  1 */ "import Database from 'better-sqlite3';",
      /*  2 */ 'let db: Database.Database | null = null;',
      /*  3 */ 'let ready = false;',
      /*  4 */ 'export function getDb() {',
      /*  5 */ '  if (!db) {',
      /*  6 */ "    db = new Database('x.db');",
      /*  7 */ "    db.exec('CREATE TABLE IF NOT EXISTS documents (id TEXT)');",
      /*  8 */ '    migrate(db);',
      /*  9 */ '  }',
      /* 10 */ '  return db;',
      /* 11 */ '}',
      /* 12 */ 'function migrate(d: Database.Database) {',
      /* 13 */ "  d.exec('ALTER TABLE documents ADD COLUMN title TEXT');",
      /* 14 */ '}',
      /* 15 */ 'function ensureLog() {',
      /* 16 */ '  if (ready) return;',
      /* 17 */ "  getDb().exec('CREATE TABLE IF NOT EXISTS log (x TEXT)');",
      /* 18 */ '  ready = true;',
      /* 19 */ '}',
      /* 20 */ 'export function save(id: string) {',
      /* 21 */ '  ensureLog();',
      /* 22 */ "  getDb().prepare('UPDATE documents SET id = ?').run(id);",
      /* 23 */ "  getDb().prepare('INSERT INTO log VALUES (?)').run(id);",
      /* 24 */ '}',
    ].join('\n'),
    'src/index.ts': "import express from 'express';\nimport { save } from './db';\nconst app = express();\napp.put('/doc', () => save('a'));\n",
  };

  test('what runs once is an entry point of its own: the route reaches only its own writes, through the authority', async () => {
    const side = await analyse(files, ['src/db.ts#save']);
    const put = route(side, 'PUT', '/doc');
    assert.deepEqual(targets(side, put), ['documents', 'log'], 'the UPDATE and the INSERT, not the CREATE TABLE or the ALTER');
    assert.equal(put.viaAuthority, true);
    const inits = side.entryPoints.filter(e => e.kind === 'init');
    const getDb = inits.find(e => e.handler.name === 'getDb');
    const ensure = inits.find(e => e.handler.name === 'ensureLog');
    assert.ok(getDb && ensure, inits.map(e => e.id).join(', '));
    assert.deepEqual(side.writes.filter(w => getDb.writes.includes(w.id)).map(w => `${w.target}:${w.line}`).sort(), ['documents:13', 'documents:7']);
    assert.deepEqual(side.writes.filter(w => ensure.writes.includes(w.id)).map(w => `${w.target}:${w.line}`), ['log:17']);
    assert.equal(getDb.viaAuthority, null, 'set-up is not checked against the authority');
    assert.equal(getDb.category, 'init');
  });
});

describe('the declared authority', () => {
  const files = {
    'server/authority.ts': "import { write } from './store';\nexport function applyWrite(id: string) {\n  return write(id);\n}\n",
    'server/store.ts': "import Database from 'better-sqlite3';\nconst db = new Database('x');\nexport function write(id: string) {\n  db.prepare('UPDATE documents SET v = ?').run(id);\n}\n",
    'server/legacy.ts': "import { write } from './store';\nexport function importDoc(id: string) {\n  return write(id);\n}\n",
    'server/routes.ts': [
      "import { Router } from 'express';",
      "import { applyWrite } from './authority';",
      "import { importDoc } from './legacy';",
      'export function documentRoutes() {',
      '  const r = Router();',
      "  r.put('/:id', (req) => applyWrite(req.params.id));",
      "  r.post('/:id/import', (req) => importDoc(req.params.id));",
      '  return r;',
      '}',
    ].join('\n'),
    'server/mount.ts': "import type { Express } from 'express';\nimport { documentRoutes } from './routes';\nexport function mountDocuments(app: Express) {\n  app.use('/api/documents', documentRoutes());\n}\n",
    'server/index.ts': "import express from 'express';\nimport { mountDocuments } from './mount';\nconst app = express();\nmountDocuments(app);\n",
  };

  test('a router from a factory, mounted by a helper, keeps its prefix; a bypass comes with its witness path', async () => {
    const side = await analyse(files, ['server/authority.ts#applyWrite']);
    const put = route(side, 'PUT', '/api/documents/:id');
    assert.equal(put.viaAuthority, true);
    const imp = route(side, 'POST', '/api/documents/:id/import');
    assert.equal(imp.viaAuthority, false);
    assert.deepEqual(imp.bypasses?.map(b => b.path.map(s => `${s.file}:${s.name}`)), [[
      "server/routes.ts:documentRoutes > r.post('/:id/import') callback", 'server/legacy.ts:importDoc', 'server/store.ts:write', 'server/store.ts:sql write to documents',
    ]]);
    assert.deepEqual(side.authority, [{ name: 'server/authority.ts#applyWrite', file: 'server/authority.ts', line: 2, found: true }]);
  });

  test('an authority that is not in the tree is said so, and nothing counts as through it', async () => {
    const side = await analyse(files, ['server/authority.ts#missing']);
    assert.deepEqual(side.authority, [{ name: 'server/authority.ts#missing', found: false }]);
    assert.equal(route(side, 'PUT', '/api/documents/:id').viaAuthority, null);
  });
});

describe('routes registered through a computed method name', () => {
  const files = {
    'src/app.ts': [
      /* 1 */ "import express from 'express';",
      /* 2 */ "import Database from 'better-sqlite3';",
      /* 3 */ "const db = new Database('x');",
      /* 4 */ 'const app = express();',
      /* 5 */ "const method = 'post';",
      /* 6 */ "app[method]('/computed', function saveComputed() { db.prepare('UPDATE a SET x = 1').run(); });",
      /* 7 */ "for (const m of ['put', 'patch']) app[m]('/loop', () => db.prepare('UPDATE b SET x = 1').run());",
    ].join('\n'),
  };

  test('a constant name and a loop over literal names register their routes; a named function expression keeps its name', async () => {
    const side = await analyse(files);
    const computed = route(side, 'POST', '/computed');
    assert.equal(computed.line, 6);
    assert.equal(computed.handler.name, 'saveComputed');
    assert.deepEqual(targets(side, computed), ['a']);
    assert.deepEqual(['PUT', 'PATCH'].map(m => targets(side, route(side, m, '/loop'))), [['b'], ['b']]);
  });
});

describe('code kept where tests and builds usually are', () => {
  const files = {
    'src/app.ts': [
      "import express from 'express';",
      "import { specRoutes } from './spec/routes';",
      "import { built } from './lib/dist/routes';",
      "import { vendored } from '../node_modules/vendored/index';",
      'const app = express();',
      "app.use('/spec', specRoutes);",
      "app.use('/built', built);",
      'vendored(app);',
    ].join('\n'),
    'src/spec/routes.ts': "import { Router } from 'express';\nexport const specRoutes = Router();\nspecRoutes.post('/x', () => 1);\n",
    'src/lib/dist/routes.ts': "import { Router } from 'express';\nexport const built = Router();\nbuilt.post('/y', () => 1);\n",
    'node_modules/vendored/index.ts': "export function vendored(app: any) { app.post('/vendored', () => 1); }\n",
    'src/h.test.ts': "import express from 'express';\nconst app = express();\napp.post('/test-only', () => 1);\n",
  };

  test('is analysed when the program imports it; a test nothing imports is not; node_modules is named, not read', async () => {
    const side = await analyse(files);
    route(side, 'POST', '/spec/x');
    route(side, 'POST', '/built/y');
    assert.ok(!side.entryPoints.some(e => e.paths.includes('/test-only')), 'a test file nothing imports is not the program');
    assert.ok(!side.entryPoints.some(e => e.paths.includes('/vendored')));
    assert.deepEqual(side.skipped, [{ file: 'node_modules/vendored/index.ts', reason: 'imported by src/app.ts, but inside node_modules/ (not analysed)' }]);
  });
});

describe('progress on a large tree', () => {
  test('the parse reports its count as it goes (here at every check, 64 files apart), then the linking', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`src/m${String(i).padStart(3, '0')}.ts`] = `export const v${i} = ${i};\n`;
    const messages: string[] = [];
    await analyzeTree({
      reader: memoryTreeReader(files), tree: `progress-${Math.random()}`, packs, authority: [], cache: new AnalysisCache(),
      progress: m => messages.push(m), progressIntervalMs: 0,
    });
    const name = memoryTreeReader(files).name;
    // take() checks before files 1, 65, 129 and 193 (i % 64 === 0), having seen that many files then
    assert.deepEqual(messages, [
      `reading 200 source files of ${name}`,
      `parsing ${name}: 1 of 200 source files`, `parsing ${name}: 65 of 200 source files`,
      `parsing ${name}: 129 of 200 source files`, `parsing ${name}: 193 of 200 source files`,
      `parsed 200 files of ${name} (0 known already); linking 200 modules`,
      // the linking too: each pass over the modules (one round here: nothing calls anything), then the call graph
      ...['round 1 (calls)', 'round 1 (registrations)', 'call graph'].flatMap(step => [1, 65, 129, 193].map(n => `linking ${name}, ${step}: ${n} of 200 modules`)),
    ]);
  });

  test('the linking lets its messages out between rounds, and a cancel stops it there', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`src/m${String(i).padStart(3, '0')}.ts`] = `import { f } from './m${String((i + 1) % 100).padStart(3, '0')}';
export function g${i}(x: unknown) { return f(x); }
`;
    const abort = new AbortController();
    const messages: string[] = [];
    const side = analyzeTree({
      reader: memoryTreeReader(files), tree: `progress-cancel-${Math.random()}`, packs, authority: [], cache: new AnalysisCache(), signal: abort.signal,
      progress: m => {
        messages.push(m);
        // a cancel sent while the linking runs: seen before its next round, not when it is over
        if (m.includes('round 1 (registrations)')) setImmediate(() => abort.abort(new Error('cancelled by the test')));
      },
      progressIntervalMs: 0,
    });
    await assert.rejects(side, /cancelled by the test/);
    assert.ok(!messages.some(m => m.includes('call graph')), messages.join('\n'));
  });
});
