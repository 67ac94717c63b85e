import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTree, AnalysisCache } from '../../../src/analysis/authority/analyze';
import { loadRulePacks } from '../../../src/analysis/authority/packs';
import { memoryTreeReader } from '../../../src/core/tree-read';
import path from 'node:path';

/**
 * Code a reviewed tree may hold that is built to exhaust the analysis (or generated that way): nesting deeper than a
 * stack, endless chains. The analysis finishes; a file it cannot read is listed as skipped with the reason, and the
 * rest of the tree is analysed as usual.
 */
describe('pathological code in a reviewed tree', () => {
  const packsDir = path.resolve(__dirname, '..', '..', '..', '..', 'rubric', 'authority');
  const N = 30_000;
  const files: Record<string, string> = {
    'server/index.ts': "import express from 'express';\nimport { save } from './db';\nconst app = express();\napp.post('/api/save', (req, res) => save());\n",
    'server/db.ts': "export function save(d: { exec(s: string): void }) { d.exec('UPDATE documents SET x = 1'); }\n",
    // an array nested N deep, a concatenation of N terms, a member chain N long
    'gen/nested.ts': `export const deep = ${'['.repeat(N)}${']'.repeat(N)};\n`,
    'gen/concat.ts': `export const s = ${Array.from({ length: N }, (_, i) => `'p${i}'`).join(' +\n')};\n`,
    'gen/chain.ts': `declare const a: any;\nexport const c = a${'.x'.repeat(N)}();\n`,
    // 300 variables, each the one before: a value followed through every one of them; 30,000 of them: no crash
    'gen/vars.ts': `import express from 'express';\nconst v0 = express.Router();\n${Array.from({ length: 300 }, (_, i) => `const v${i + 1} = v${i};`).join('\n')}\nv300.post('/deep', () => 1);\nexport default v300;\n`,
    'gen/vars-long.ts': `import express from 'express';\nconst w0 = express.Router();\n${Array.from({ length: N }, (_, i) => `const w${i + 1} = w${i};`).join('\n')}\nw${N}.post('/too-deep', () => 1);\n`,
    // routers mounted in a chain 600 long
    'gen/mounts.ts': `import express from 'express';\nconst app = express();\n${Array.from({ length: 600 }, (_, i) => `const r${i} = express.Router();`).join('\n')}\napp.use('/m', r0);\n${Array.from({ length: 599 }, (_, i) => `r${i}.use('/m', r${i + 1});`).join('\n')}\nr599.get('/end', () => 1);\n`,
  };

  test('finishes, reports what it could not read, and still analyses the rest', async () => {
    const packs = await loadRulePacks([], { builtInDir: packsDir });
    const side = await analyzeTree({ reader: memoryTreeReader(files), tree: 'pathological', packs, authority: [], cache: new AnalysisCache() });
    const route = side.entryPoints.find(e => e.method === 'POST' && e.paths.includes('/api/save'));
    assert.ok(route, 'the ordinary route is found');
    assert.deepEqual(route.writes.map(w => side.writes.find(x => x.id === w)?.target), ['documents']);
    for (const s of side.skipped) assert.match(s.reason, /nested too deeply|minified/, `${s.file}: ${s.reason}`);
    const analysed = new Set(Object.keys(files).filter(f => !side.skipped.some(s => s.file === f)));
    assert.ok(analysed.has('server/index.ts') && analysed.has('server/db.ts') && analysed.has('gen/vars.ts') && analysed.has('gen/mounts.ts'));
    // what was analysed is analysed right, whatever the depth: the router through 3,000 variables, the mount chain
    if (analysed.has('gen/vars.ts')) assert.ok(side.entryPoints.some(e => e.method === 'POST' && e.path === '/deep'), 'the route through 300 variables');
    if (analysed.has('gen/mounts.ts')) assert.ok(side.entryPoints.some(e => e.method === 'GET' && e.path?.endsWith('/end')), 'the route at the end of the mount chain');
  });
});
