import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeTree, AnalysisCache, type SideInput } from '../../../src/analysis/authority/analyze';
import { loadRulePacks, type LoadedPack } from '../../../src/analysis/authority/packs';
import { memoryTreeReader } from '../../../src/core/tree-read';
import { openTrees } from '../../../src/git/open-review';
import { scratch } from '../helpers';
import { extractFacts, Reparser } from '../../../src/analysis/authority/parse';
import { applyEdit, applyStep, comparable, editedReader, everyFileSteps, PROOF_RUN_STEPS, randomLineSteps, type Step } from './incremental-edits';

/**
 * Re-analysis after an edit (analyzeTree with overrides: only the changed files are parsed again, and the previous
 * analysis of the tree is reused where the edit cannot change it) must give exactly what a cold analysis of the edited
 * tree gives. Each step below edits on top of the previous one (the analysis state carries over, as in an editor),
 * and is compared, deep, with a cold analysis of the same text in a fresh cache.
 */

function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'fixtures', 'build-proof-run.mjs')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}
const ROOT = repoRoot();
const FRAMEWORKS = path.join(ROOT, 'test', 'fixtures', 'frameworks');

function readFixture(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (rel: string): void => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) walk(child);
      else if (d.isFile()) files[child] = readFileSync(path.join(dir, child));
    }
  };
  walk('');
  return files;
}

function treeId(files: Record<string, Buffer>): string {
  const h = createHash('sha1');
  for (const p of Object.keys(files).sort()) h.update(`${p}\0${files[p]?.length ?? 0}\0`).update(files[p] ?? Buffer.alloc(0));
  return h.digest('hex');
}

/**
 * Runs the steps on one tree: after each, the incremental result is compared with a cold analysis of the edited
 * tree. Overrides accumulate (a file stays edited until a step sets it back to null, its committed text).
 */
async function checkSteps(side: SideInput, packs: LoadedPack[], authority: string[], steps: Step[]): Promise<void> {
  const cache = new AnalysisCache();
  const common = { packs, authority };
  await analyzeTree({ ...side, ...common, cache });
  const committed = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const [i, step] of steps.entries()) {
    await applyStep(step, overrides, committed, side.reader);
    const incremental = await analyzeTree({ ...side, ...common, cache, overrides: new Map(overrides) });
    const cold = await analyzeTree({ reader: editedReader(side.reader, overrides), tree: `${side.tree}+step${i}`, ...common, cache: new AnalysisCache() });
    assert.deepEqual(comparable(incremental), comparable(cold), `step ${i + 1} (${step.label}): the re-analysis differs from a cold analysis of the edited tree`);
  }
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

describe('re-analysis after an edit equals a cold analysis of the edited tree', () => {
  for (const name of readdirSync(FRAMEWORKS).sort()) {
    test(`${name} fixture: each source file appended to, prefixed with a function, given a route, emptied, restored; random line edits`, async () => {
      const dir = path.join(FRAMEWORKS, name);
      const files = readFixture(dir);
      const extra = Object.keys(files).filter(f => f.endsWith('-pack.json')).map(f => path.join(dir, f));
      const packs = await loadRulePacks(extra);
      const sources = Object.keys(files).filter(f => SOURCE.test(f)).sort();
      const steps = [...everyFileSteps(sources), ...randomLineSteps(sources, name.length, 15)];
      await checkSteps({ reader: memoryTreeReader(files), tree: treeId(files) }, packs, [], steps);
    });
  }

  test('a file parsed again incrementally (the next edit of a file just edited) gives the facts of a fresh parse', () => {
    let checked = 0;
    for (const name of readdirSync(FRAMEWORKS).sort()) {
      const files = readFixture(path.join(FRAMEWORKS, name));
      for (const file of Object.keys(files).filter(f => SOURCE.test(f)).sort()) {
        const committed = files[file]?.toString('utf8') ?? '';
        const reparser = new Reparser();
        let text = committed;
        for (let i = 0; i < 12; i++) {
          text = i % 5 === 4 ? committed : applyEdit(text, { op: 'lines', seed: 31 * i + file.length, count: 1 + (i % 3) });
          assert.deepEqual(extractFacts(file, text, reparser), extractFacts(file, text), `${name}/${file}, edit ${i + 1}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 500);
  });

  test('edits that change what the program is made of: a file added, minified, a configuration, a held-back file imported or not', async () => {
    const files: Record<string, Buffer> = Object.fromEntries(Object.entries({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '4', 'better-sqlite3': '9' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'README.md': '# shop\n',
      'src/index.ts': [
        "import express from 'express';",
        "import { helper } from '@lib/helper';",
        "import { seed } from '../test/seed';",
        'const app = express();',
        "app.post('/items', (req: unknown, res: { end(): void }) => { helper(); seed(); res.end(); });",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/lib/helper.ts': "import Database from 'better-sqlite3';\nconst db = new Database('shop.db');\nexport function helper() { db.exec('DELETE FROM items'); }\n",
      'test/seed.ts': "import Database from 'better-sqlite3';\nexport function seed() { new Database('shop.db').exec('INSERT INTO seeds VALUES (1)'); }\n",
      'dist/old.js': "export function old() { return 1; }\n",
    }).map(([k, v]) => [k, Buffer.from(v)]));
    const minified = `export function helper() { return [${Array.from({ length: 900 }, (_, i) => i).join(',')}]; }`;
    await checkSteps({ reader: memoryTreeReader(files), tree: treeId(files) }, await loadRulePacks([]), ['helper'], [
      { label: 'the held-back file the program imports, edited', edits: { 'test/seed.ts': [{ op: 'append-write', n: 1 }] } },
      { label: 'its import removed', edits: { 'src/index.ts': [{ op: 'replace', find: "import { seed } from '../test/seed';", replace: 'const seed = () => 0;' }] } },
      { label: 'a file of dist/ imported instead', edits: { 'src/index.ts': [{ op: 'replace', find: "import { seed } from '../test/seed';", replace: "import { old as seed } from '../dist/old';" }] } },
      { label: 'the import back, the readme edited', edits: { 'src/index.ts': null, 'README.md': [{ op: 'append-write', n: 3 }] } },
      { label: 'the path alias moved', edits: { 'tsconfig.json': [{ op: 'replace', find: 'src/lib/*', replace: 'lib/*' }] } },
      { label: 'a file minified', edits: { 'tsconfig.json': null, 'src/lib/helper.ts': [{ op: 'replace', find: "export function helper() { db.exec('DELETE FROM items'); }", replace: minified }] } },
      { label: 'a new file', edits: { 'src/lib/helper.ts': null, 'src/extra.ts': [{ op: 'append-route', n: 2 }] } },
      { label: 'everything as committed', edits: { 'README.md': null, 'src/extra.ts': [{ op: 'empty' }], 'test/seed.ts': null } },
    ]);
  });

  describe('the Proof fixture (80k lines)', () => {
    const s = scratch('seb-incremental-');
    let dir = '';
    before(async () => {
      const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-proof-run.mjs')).href)) as { buildProofRun(d: string): Promise<{ dir: string }> };
      dir = (await mod.buildProofRun(path.join(s.dir, 'proof'))).dir;
    });
    after(() => s.done());

    test('collab.ts (11k lines) parsed again incrementally after each of 15 edits gives the facts of a fresh parse', async () => {
      const { workspace } = await openTrees(dir);
      try {
        const r = await workspace.reader('run').read('server/collab.ts');
        assert.ok(r.ok);
        const committed = r.bytes.toString('utf8');
        const reparser = new Reparser();
        let text = committed;
        for (let i = 0; i < 15; i++) {
          text = applyEdit(text, { op: 'lines', seed: 977 * i + 1, count: 1 + (i % 4) });
          assert.deepEqual(extractFacts('server/collab.ts', text, reparser), extractFacts('server/collab.ts', text), `edit ${i + 1}`);
        }
      } finally {
        await workspace.dispose();
      }
    });

    test('the run: a write removed, a route added, the authority renamed, an import broken, a file emptied, all restored; random line edits', async () => {
      const { run, workspace } = await openTrees(dir);
      try {
        const packs = await loadRulePacks([]);
        const authority = (run.manifest?.authority ?? []).map(a => `${a.path}#${a.symbol}`);
        assert.ok(authority.length > 0);
        const random = randomLineSteps(['server/db.ts', 'server/collab.ts', 'server/routes.ts', 'server/ws.ts'], 7, 4);
        await checkSteps({ reader: workspace.reader('run'), tree: workspace.headTree }, packs, authority, [...PROOF_RUN_STEPS, ...random]);
      } finally {
        await workspace.dispose();
      }
    });
  });
});
