import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisSchema, type Analysis, type EntryPoint, type Side, type Write } from '../../../src/core/authority/analysis';
import { scratch } from '../helpers';
import { cli } from '../cli-run';
import {
  baselineHandlers,
  baselineReach,
  baselineWriteRoutes,
  baselineWrites,
  deadMetricsRoutes,
  fates,
  runFacts,
  type Method,
} from './proof-expectations';

/**
 * The authority analysis (`seb-review analyze --json`) on the Proof fixture, checked against the hand-written
 * expectations in proof-expectations.ts, and on the demo run against its deliberate flaws (test/fixtures/README.md).
 * Each fixture is built once and analysed once. Where the engine disagrees with an expectation that re-reading the
 * Proof code confirms, the check is left out here and reported instead (see KNOWN_ENGINE_GAPS).
 */

/** The repository root, found from here whether this runs from test/unit/authority or from its bundle under out/. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'fixtures', 'build-proof-run.mjs')) && existsSync(path.join(dir, 'package.json'))) return dir;
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

async function analyze(dir: string): Promise<Analysis> {
  const r = await cli('analyze', dir, '--json');
  assert.ok(r.code === 0 || r.code === 1, `analyze exit ${r.code}: ${r.err}`);
  return AnalysisSchema.parse(JSON.parse(r.out));
}

/**
 * Known shortfalls of the analysis against the expectations, confirmed by reading the Proof code: these checks are
 * left out (keys as built by the checks below) and the shortfall is listed in the README. Remove an entry when the
 * analysis is fixed.
 */
const KNOWN_ENGINE_GAPS = new Set<string>([]);

const at = (file: string, line: number): string => `${file}:${line}`;
const describeEntry = (e: EntryPoint): string => `${e.id} [${e.method ?? e.event ?? e.kind}] at ${at(e.file, e.line)} paths=${JSON.stringify(e.paths)}`;

/** Every route entry registered at file:line with that method ('*' for a catch-all `use`). */
function routesAt(side: Side, method: Method, file: string, line: number): EntryPoint[] {
  return side.entryPoints.filter(e => e.kind === 'http-route' && e.method === method && e.file === file && e.line === line);
}
/** The route entry for method and full path, optionally at file:line. */
function routeFor(side: Side, method: Method, fullPath: string, file?: string, line?: number): EntryPoint | undefined {
  return side.entryPoints.find(e => e.kind === 'http-route' && e.method === method && (e.paths.includes(fullPath) || e.path === fullPath)
    && (file === undefined || e.file === file) && (line === undefined || e.line === line));
}
const writeById = (side: Side, id: string): Write | undefined => side.writes.find(w => w.id === id);

/** Collects failed checks so one test reports all of them. */
function collector(): { check(key: string, ok: boolean, message: string): void; done(): void } {
  const problems: string[] = [];
  return {
    check(key, ok, message) {
      if (!ok && !KNOWN_ENGINE_GAPS.has(key)) problems.push(`${key}: ${message}`);
    },
    done() {
      assert.deepEqual(problems, [], problems.join('\n'));
    },
  };
}

describe('authority analysis of the Proof fixture, against the hand-written expectations', () => {
  const s = scratch('seb-proof-analysis-');
  process.env['SEB_REVIEW_CACHE_DIR'] = path.join(s.dir, 'cache');
  let analysis: Analysis;
  let base: Side;
  let run: Side;

  before(async () => {
    const built = await build('build-proof-run.mjs', 'buildProofRun', path.join(s.dir, 'proof'));
    analysis = await analyze(built.dir);
    base = analysis.baseline;
    run = analysis.run;
  });
  after(() => s.done());

  test('the run declares applyDocumentWrite as the authority, and the engine finds it', () => {
    const name = `${runFacts.authority.path}#${runFacts.authority.symbol}`;
    assert.deepEqual(analysis.authority, [name]);
    const found = run.authority?.find(a => a.name === name);
    assert.ok(found?.found, JSON.stringify(run.authority));
    assert.equal(found.file, runFacts.authority.path);
  });

  test('(a) every baseline write route: method, every full path, registration file:line', () => {
    const c = collector();
    for (const exp of baselineWriteRoutes) {
      const key = `route ${exp.method} ${at(exp.file, exp.line)}`;
      const found = routesAt(base, exp.method, exp.file, exp.line);
      c.check(key, found.length === 1, `expected one ${exp.method} entry at ${at(exp.file, exp.line)}, found ${found.length}`);
      const e = found[0];
      if (!e) continue;
      c.check(`${key} paths`, JSON.stringify([...e.paths].sort()) === JSON.stringify([...exp.paths].sort()),
        `paths ${JSON.stringify(e.paths)}, expected ${JSON.stringify(exp.paths)}`);
      c.check(`${key} reachable`, e.reachable, `not reachable: ${e.why}`);
      if (exp.handler) {
        c.check(`${key} handler`, e.handler.name === exp.handler.name && e.handler.file === exp.handler.file && e.handler.line === exp.handler.line,
          `handler ${e.handler.name} at ${at(e.handler.file, e.handler.line)}, expected ${exp.handler.name} at ${at(exp.handler.file, exp.handler.line)}`);
      }
    }
    const ids = base.entryPoints.map(e => e.id);
    c.check('unique ids', new Set(ids).size === ids.length, `duplicate entry ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
    c.done();
  });

  test('(b) the metrics routes are found and never mounted, in both trees', () => {
    const c = collector();
    for (const [label, side] of [['baseline', base], ['run', run]] as const) {
      for (const exp of deadMetricsRoutes) {
        const key = `${label} metrics ${exp.method} ${at(exp.file, exp.line)}`;
        const found = routesAt(side, exp.method, exp.file, exp.line);
        c.check(key, found.length === 1, `found ${found.length}`);
        const e = found[0];
        if (!e) continue;
        c.check(`${key} path`, e.path === undefined || e.path.endsWith(exp.routePath), `path ${e.path}, expected …${exp.routePath}`);
        c.check(`${key} reachable`, !e.reachable, 'reachable');
        c.check(`${key} why`, /never mounted/.test(e.why), `why: ${e.why}`);
      }
    }
    c.done();
  });

  test('(c) ws handlers and collab hooks: found at file:line, reachable as expected', () => {
    const c = collector();
    for (const exp of baselineHandlers.filter(h => h.kind !== 'timer')) {
      const key = `${exp.kind} ${exp.event} ${at(exp.file, exp.line)}`;
      const found = base.entryPoints.filter(e => e.kind === exp.kind && e.file === exp.file && e.line === exp.line);
      c.check(key, found.length === 1, `found ${found.length}`);
      const e = found[0];
      if (!e) continue;
      c.check(`${key} event`, e.event === exp.event, `event ${e.event}`);
      c.check(`${key} reachable`, e.reachable === exp.reachable, `reachable ${e.reachable}, expected ${exp.reachable} (${exp.inFunction}): ${e.why}`);
      /** The ws 'message' handler is registered inside the 'connection' callback (ws.ts:158), which sits in setupWebSocket. */
      const registeredIn = exp.event === 'message' ? [exp.inFunction, 'server/ws.ts:158'] : [exp.inFunction];
      c.check(`${key} why`, registeredIn.some(r => e.why.includes(r)), `why names none of ${registeredIn.join(', ')}: ${e.why}`);
    }
    c.done();
  });

  test('(d) SQL and Yjs writes: kind, target, file:line, function', () => {
    const c = collector();
    for (const exp of baselineWrites.filter(w => w.kind === 'sql' || w.kind === 'yjs')) {
      const key = `write ${exp.kind} ${exp.target} ${at(exp.file, exp.line)}`;
      const lines = new Set([exp.line, exp.runLine ?? exp.line]);
      /**
       * Yjs: the expectation names the `transact(` line; the engine may report the mutation calls inside the
       * transaction instead (the conventions allow either), so a write of that function within the next lines counts.
       */
      const found = base.writes.filter(w => w.kind === exp.kind && w.file === exp.file
        && (lines.has(w.line) || (exp.kind === 'yjs' && w.function === exp.function && w.line > exp.line && w.line <= exp.line + 20)));
      c.check(key, found.length > 0, `no ${exp.kind} write at ${at(exp.file, exp.line)}`);
      if (found.length === 0) continue;
      c.check(`${key} target`, found.some(w => w.target === exp.target), `targets ${found.map(w => w.target).join(', ')}`);
      c.check(`${key} function`, found.some(w => w.function === exp.function), `functions ${found.map(w => w.function).join(', ')}`);
    }
    c.done();
  });

  test('(e) hand-traced routes: reach a write or not, and the witness ends at a write', () => {
    const c = collector();
    for (const exp of baselineReach) {
      const key = `reach ${exp.method} ${exp.path}`;
      const e = routeFor(base, exp.method, exp.path);
      c.check(key, e !== undefined, 'no such entry');
      if (!e) continue;
      const sql = e.writes.filter(id => writeById(base, id)?.kind === 'sql');
      if (exp.reachesSql) {
        c.check(`${key} writes`, e.writes.length > 0 && sql.length > 0, `writes ${JSON.stringify(e.writes)}`);
        const w = exp.write;
        if (!w) continue;
        const target = base.writes.filter(x => x.kind === 'sql' && x.file === w.file && x.target === w.target
          && Math.abs(x.line - w.line) <= 6 && e.writes.includes(x.id));
        c.check(`${key} reaches ${at(w.file, w.line)}`, target.length > 0, `entry does not reach the sql ${w.target} write at ${at(w.file, w.line)}`);
        for (const t of target) {
          const path = e.witnesses?.[t.id];
          const last = path?.[path.length - 1];
          c.check(`${key} witness`, last !== undefined && last.file === t.file && (last.line === t.line || last.name === t.function),
            `witness for ${t.id} ends at ${JSON.stringify(last)}`);
        }
      } else {
        /** getDb's lazy initialisation and assertWritesAllowed's bookkeeping do not count (see the expectations). */
        const own = sql.filter(id => {
          const w = writeById(base, id);
          return w !== undefined && w.target !== 'system_metadata' && !['initDatabase', 'backfillDocumentColumns', 'createMetadataTableIfNeeded', 'writeMetadataValue'].includes(w.function);
        });
        c.check(`${key} no write`, own.length === 0, `writes ${JSON.stringify(own)}`);
      }
      for (const [id, steps] of Object.entries(e.witnesses ?? {})) {
        const w = writeById(base, id);
        const last = steps[steps.length - 1];
        c.check(`${key} witness ${id}`, w !== undefined && last !== undefined && last.file === w.file, `ends at ${JSON.stringify(last)}`);
      }
    }
    c.done();
  });

  test('(f) fates of the named baseline entries', () => {
    const c = collector();
    for (const exp of fates) {
      const b = exp.baseline;
      const key = `fate ${exp.fate} ${b.method} ${b.path} ${at(b.file, b.line)}`;
      const e = routeFor(base, b.method, b.path, b.file, b.line);
      c.check(key, e !== undefined, 'no such baseline entry');
      if (!e) continue;
      const f = analysis.fates.find(x => x.baseline === e.id);
      c.check(`${key} record`, f !== undefined, `no fate for ${e.id}`);
      if (!f) continue;
      c.check(`${key} fate`, f.fate === exp.fate, `fate ${f.fate} (${f.note})`);
      const runEntries = f.run.map(id => run.entryPoints.find(r => r.id === id));
      for (const r of exp.run) {
        c.check(`${key} run ${at(r.file, r.line)}`, runEntries.some(x => x !== undefined && x.file === r.file && x.line === r.line && x.method === r.method
          && (x.paths.includes(r.path) || x.path === r.path)), `run side ${JSON.stringify(runEntries.map(x => x && describeEntry(x)))}`);
      }
      if (exp.fate === 'deleted') c.check(`${key} run empty`, f.run.length === 0, JSON.stringify(f.run));
      if (exp.fate === 'hollowed') c.check(`${key} lost`, f.lostWrites.length > 0, 'no lost writes');
    }
    c.done();
  });

  test('(f) run: the mountAgentRoutes helper keeps /api/agent paths; authority and bypass', () => {
    const c = collector();
    const ex = runFacts.mountHelper.example;
    const found = routesAt(run, ex.method, ex.file, ex.line);
    c.check('mountHelper', found.length === 1, `found ${found.length}`);
    const m = found[0];
    if (m) {
      c.check('mountHelper paths', JSON.stringify([...m.paths].sort()) === JSON.stringify([...ex.paths].sort()), `paths ${JSON.stringify(m.paths)}`);
      c.check('mountHelper reachable', m.reachable, m.why);
    }
    for (const v of runFacts.viaAuthority) {
      const key = `viaAuthority ${v.method} ${at(v.file, v.line)}`;
      const e = routesAt(run, v.method, v.file, v.line)[0];
      c.check(key, e !== undefined, 'no entry');
      if (!e) continue;
      c.check(`${key} paths`, v.paths.every(p => e.paths.includes(p)), `paths ${JSON.stringify(e.paths)}`);
      c.check(`${key} via`, e.viaAuthority === true, `viaAuthority ${e.viaAuthority}; bypasses ${JSON.stringify((e.bypasses ?? []).map(x => x.write))}`);
    }
    const bp = runFacts.bypass;
    const e = routesAt(run, bp.method, bp.file, bp.line)[0];
    c.check('bypass', e !== undefined, 'no entry');
    if (e) {
      c.check('bypass paths', bp.paths.every(p => e.paths.includes(p)), `paths ${JSON.stringify(e.paths)}`);
      c.check('bypass reachable', e.reachable, e.why);
      c.check('bypass via', e.viaAuthority === false, `viaAuthority ${e.viaAuthority}`);
      const direct = (e.bypasses ?? []).find(x => {
        const w = writeById(run, x.write);
        return w !== undefined && w.kind === 'sql' && w.target === bp.write.target && w.file === bp.write.file && w.function === 'updateShareState';
      });
      c.check('bypass witness', direct !== undefined, `bypasses ${JSON.stringify((e.bypasses ?? []).map(x => x.write))}`);
      if (direct) {
        const names = direct.path.map(st => st.name);
        const last = direct.path[direct.path.length - 1];
        c.check('bypass witness path', names.some(n => n.includes('revokeDocument')) && last?.file === bp.write.file,
          `path ${JSON.stringify(direct.path)}`);
      }
    }
    c.done();
  });
});

describe('authority analysis of the demo run: its deliberate flaws', () => {
  const s = scratch('seb-demo-analysis-');
  let analysis: Analysis;

  before(async () => {
    const built = await build('build-demo-run.mjs', 'buildDemoRun', path.join(s.dir, 'demo'));
    analysis = await analyze(built.dir);
  });
  after(() => s.done());

  test('POST /api/documents/:id/import is reachable and bypasses applyDocumentWrite through writeMarkdownDirect', () => {
    const run = analysis.run;
    const e = routeFor(run, 'POST', '/api/documents/:id/import');
    assert.ok(e, 'the import route is found');
    assert.equal(e.file, 'server/routes/documents.ts');
    assert.ok(e.reachable, e.why);
    assert.equal(e.viaAuthority, false);
    const direct = (e.bypasses ?? []).find(x => {
      const w = writeById(run, x.write);
      return w?.kind === 'sql' && w.target === 'documents' && w.function === 'writeMarkdownDirect';
    });
    assert.ok(direct, `a bypass reaching writeMarkdownDirect's UPDATE documents: ${JSON.stringify((e.bypasses ?? []).map(x => x.write))}`);
    const w = writeById(run, direct.write);
    assert.equal(w?.file, 'server/db/documents-repo.ts');
    const last = direct.path[direct.path.length - 1];
    assert.equal(last?.file, 'server/db/documents-repo.ts', JSON.stringify(direct.path));
    assert.ok(direct.path.some(st => st.name.includes('writeMarkdownDirect')), JSON.stringify(direct.path));
  });

  test('repairProjection writes are reached by no reachable entry at head', () => {
    const run = analysis.run;
    const repair = run.writes.filter(w => w.file === 'server/projection/repair.ts');
    assert.ok(repair.length > 0, 'repair.ts writes are found');
    assert.ok(repair.some(w => w.function === 'repairProjection'), JSON.stringify(repair.map(w => w.function)));
    const ids = new Set(repair.map(w => w.id));
    const reaching = run.entryPoints.filter(e => e.reachable && e.writes.some(id => ids.has(id)));
    assert.deepEqual(reaching.map(describeEntry), []);
  });
});
