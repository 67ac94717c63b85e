import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, scratch } from './helpers';
import {
  baselineHandlers,
  baselineReach,
  baselineWriteRoutes,
  baselineWrites,
  deadMetricsRoutes,
  fates,
  runFacts,
  type Method,
} from './authority/proof-expectations';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface ProofRun { dir: string; baseline: string; head: string; commits: Array<{ step: string; commit: string; subject: string }> }
async function buildProofRun(dir: string): Promise<ProofRun> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-proof-run.mjs')).href)) as {
    buildProofRun(dir: string): Promise<ProofRun>;
  };
  return mod.buildProofRun(dir);
}

/** `git grep` output, or '' when nothing matches (exit status 1). */
function gitGrep(dir: string, ...args: string[]): string {
  try {
    return git(dir, 'grep', ...args);
  } catch (err) {
    if ((err as { status?: number }).status === 1) return '';
    throw err;
  }
}

/** Files whose top-level functions the witness chains name. */
const CHAIN_FILES = ['server/routes.ts', 'server/agent-routes.ts', 'server/document-engine.ts', 'server/db.ts', 'server/hosted-auth.ts'];

/** Mount prefixes, longest first, to find the route path inside a full path. */
const PREFIXES = ['/api/agent', '/api', '/documents', '/d', ''];

describe('the Proof fixture and its hand-written expectations', () => {
  const s = scratch('seb-proof-');
  let run: ProofRun;
  const cache = new Map<string, string[]>();
  /** The lines of FILE at REV (`seb-baseline` or `HEAD`), 1-based: lines(rev, file)[n - 1]. */
  const lines = (rev: string, file: string): string[] => {
    const key = `${rev}:${file}`;
    let out = cache.get(key);
    if (!out) {
      out = git(run.dir, 'show', `${rev}:${file}`).split('\n');
      cache.set(key, out);
    }
    return out;
  };
  const at = (rev: string, file: string, line: number): string => {
    const text = lines(rev, file)[line - 1];
    assert.ok(text !== undefined, `${rev}:${file}:${line} is past the end of the file`);
    return text;
  };
  const has = (rev: string, file: string, line: number, fragment: string, why = ''): void => {
    const text = at(rev, file, line);
    assert.ok(text.includes(fragment), `${rev}:${file}:${line} should contain ${JSON.stringify(fragment)}${why}, but is ${JSON.stringify(text)}`);
  };
  /** The top-level function declared nearest above `line` (every function named in the expectations is top-level). */
  const enclosing = (rev: string, file: string, line: number): string | undefined => {
    const all = lines(rev, file);
    for (let i = line - 1; i >= 0; i--) {
      const m = /^(?:export )?(?:async )?function (\w+)/.exec(all[i] ?? '');
      if (m) return m[1];
    }
    return undefined;
  };
  /** The text of the top-level function NAME in the baseline (declaration to the first `}` at column 0). */
  const functionBody = (name: string): string => {
    for (const file of CHAIN_FILES) {
      const all = lines('seb-baseline', file);
      const start = all.findIndex(l => new RegExp(`^(?:export )?(?:async )?function ${name}\\(`).test(l));
      if (start < 0) continue;
      const end = all.findIndex((l, i) => i > start && l === '}');
      return all.slice(start, end < 0 ? undefined : end + 1).join('\n');
    }
    assert.fail(`function ${name} is not declared in ${CHAIN_FILES.join(', ')}`);
  };
  /** A registration line: `<router>.<method>(` (or `.use(` for '*'), and the route path on it or on the next line. */
  const registration = (rev: string, file: string, line: number, method: Method, fullPath: string): void => {
    const call = method === '*' ? '.use(' : `.${method.toLowerCase()}(`;
    has(rev, file, line, call);
    if (method === '*') return;
    const text = `${at(rev, file, line)}\n${at(rev, file, line + 1)}`;
    const found = PREFIXES.some(prefix => fullPath.startsWith(prefix) && text.includes(`'${fullPath.slice(prefix.length)}'`));
    assert.ok(found, `${rev}:${file}:${line} does not register a path that mounts as ${fullPath}: ${JSON.stringify(text)}`);
  };

  before(async () => {
    run = await buildProofRun(path.join(s.dir, 'proof'));
  });
  after(() => s.done());

  test('the build: a baseline of the whole tarball and five rewrite commits, deterministic', async () => {
    assert.equal(git(run.dir, 'rev-list', '--count', 'HEAD'), '6');
    assert.equal(run.commits.length, 6);
    assert.equal(git(run.dir, 'rev-parse', 'seb-baseline'), run.baseline);
    assert.equal(git(run.dir, 'rev-parse', 'HEAD'), run.head);
    const baselineFiles = git(run.dir, 'ls-tree', '-r', '--name-only', 'seb-baseline').split('\n');
    assert.equal(baselineFiles.length, 331);
    assert.ok(baselineFiles.includes('server/db.ts') && baselineFiles.includes('LICENSE'));
    assert.equal(git(run.dir, 'status', '--porcelain', '--untracked-files=all'), '');
    const again = await buildProofRun(path.join(s.dir, 'proof-again'));
    assert.deepEqual(again.commits.map(c => c.commit), run.commits.map(c => c.commit), 'the same data gives the same commits');
  });

  test('the run declares its authority in seb-run.json', () => {
    const manifest = JSON.parse(git(run.dir, 'show', 'HEAD:seb-run.json')) as { baseline?: { ref?: string }; authority?: Array<{ path: string; symbol: string }> };
    assert.deepEqual(manifest.baseline, { ref: 'seb-baseline' });
    assert.deepEqual(manifest.authority, [{ path: runFacts.authority.path, symbol: runFacts.authority.symbol }]);
    has('HEAD', runFacts.authority.path, runFacts.authority.line, `export function ${runFacts.authority.symbol}(`);
  });

  test('(a) every baseline write route is registered where the expectations say, with coherent full paths', () => {
    const prefixes: Record<string, string[]> = {
      apiRoutes: ['/api', ''],
      agentRoutes: ['/api/agent', '/documents'],
      bridgeRouter: ['/d/:slug/bridge', '/documents/:slug/bridge'],
      shareWebRoutes: [''],
    };
    for (const r of baselineWriteRoutes) {
      has('seb-baseline', r.file, r.line, `${r.router}.`);
      registration('seb-baseline', r.file, r.line, r.method, r.paths[0] ?? '');
      const mounts = prefixes[r.router];
      assert.ok(mounts, `unknown router ${r.router}`);
      assert.deepEqual(r.paths, mounts.map(p => `${p}${r.routePath}`), `${r.file}:${r.line} paths`);
      if (r.handler) has('seb-baseline', r.handler.file, r.handler.line, `function ${r.handler.name}(`);
    }
    const keys = baselineWriteRoutes.map(r => `${r.file}:${r.line}`);
    assert.equal(new Set(keys).size, keys.length, 'no registration listed twice');
  });

  test('(b) the metrics routes exist in both trees and metricsApiRoutes is used nowhere else in server/', () => {
    for (const rev of ['seb-baseline', 'HEAD']) {
      for (const r of deadMetricsRoutes) has(rev, r.file, r.line, `${r.router}.post('${r.routePath}'`);
      const users = gitGrep(run.dir, '-l', 'metricsApiRoutes', rev, '--', 'server').split('\n');
      assert.deepEqual(users, [`${rev}:server/metrics.ts`]);
    }
  });

  test('(c) WebSocket handlers, Hocuspocus hooks and timers sit in the functions named, unchanged in the run', () => {
    for (const h of baselineHandlers) {
      for (const rev of ['seb-baseline', 'HEAD']) {
        if (h.kind === 'ws-handler') has(rev, h.file, h.line, `.on('${h.event}'`);
        else has(rev, h.file, h.line, `${h.event}(`);
        if (h.inFunction !== '(module)') assert.equal(enclosing(rev, h.file, h.line), h.inFunction, `${h.file}:${h.line}`);
        else assert.match(at(rev, h.file, h.line), /^const \w+ = setInterval\(/);
      }
    }
  });

  test('(d) every write line holds its write call, inside the function named', () => {
    for (const w of baselineWrites) {
      has('seb-baseline', w.file, w.line, w.text);
      assert.equal(enclosing('seb-baseline', w.file, w.line), w.function, `${w.file}:${w.line}`);
      if (w.kind === 'sql') {
        assert.ok(w.text.includes('prepare(') || w.text.includes('exec(') || w.text.includes('.run('), `${w.file}:${w.line} is not an SQL call`);
        const runLine = w.runLine ?? w.line;
        assert.match(at('seb-baseline', w.file, runLine), /\.run\(|\.exec\(/, `${w.file}:${runLine}`);
        const statement = lines('seb-baseline', w.file).slice(w.line - 1, Math.max(runLine, w.line + 3)).join('\n');
        const sqlTable = w.target === 'mutation_idempotency' ? /MUTATION_IDEMPOTENCY_TABLE|mutation_idempotency/
          : w.target === 'mutation_outbox' ? /MUTATION_OUTBOX_TABLE/
            : w.target === 'mark_tombstones' ? /MARK_TOMBSTONES_TABLE/
              : w.target === 'active_collab_connections' ? /ACTIVE_COLLAB_CONNECTIONS_TABLE/
                : w.target === 'system_metadata' ? /DB_METADATA_TABLE/
                  : new RegExp(`\\b${w.target}\\b`);
        const prepared = /^\s*(\w+)\.run\(/.exec(at('seb-baseline', w.file, w.line));
        if (prepared) {
          // A statement prepared earlier: find `const <name> = ...prepare(` above and check its SQL.
          const all = lines('seb-baseline', w.file);
          const decl = all.findLastIndex((l, i) => i < w.line - 1 && l.includes(`const ${prepared[1]} = `));
          assert.ok(decl >= 0, `${w.file}:${w.line}: no declaration of ${prepared[1]}`);
          assert.match(all.slice(decl, decl + 4).join('\n'), sqlTable, `${w.file}:${w.line} writes ${w.target}`);
        } else {
          assert.match(statement, sqlTable, `${w.file}:${w.line} writes ${w.target}`);
        }
      }
    }
    const sql = baselineWrites.filter(w => w.kind === 'sql');
    assert.ok(sql.length >= 20);
    assert.ok(baselineWrites.some(w => w.kind === 'yjs'));
  });

  test('(e) the hand-traced chains: each function of a witness is called by the one before it', () => {
    for (const r of baselineReach) {
      const route = baselineWriteRoutes.find(x => x.method === r.method && x.paths.includes(r.path));
      assert.ok(route, `${r.method} ${r.path} is not in baselineWriteRoutes`);
      const calls = r.chain.slice(1);
      const first = calls[0];
      assert.ok(first, `${r.method} ${r.path}: empty chain`);
      // The first call is in the handler's body (from the registration to the next top-level registration).
      const all = lines('seb-baseline', route.file);
      const end = all.findIndex((l, i) => i >= route.line && /^\S.*\.(get|post|put|delete|use)\(/.test(l));
      const body = all.slice(route.line - 1, end < 0 ? undefined : end).join('\n');
      assert.ok(body.includes(`${first}(`), `${route.file}:${route.line} does not call ${first}`);
      if (r.reachesSql) {
        // Every later link is called in the body of the function before it.
        for (let i = 1; i < calls.length; i++) {
          const caller = calls[i - 1] ?? '';
          const callee = calls[i] ?? '';
          assert.ok(functionBody(caller).includes(`${callee}(`), `${caller} does not call ${callee}`);
        }
      } else {
        for (const c of calls) assert.ok(body.includes(`${c}(`), `${route.file}:${route.line} does not call ${c}`);
      }
      if (r.write) {
        assert.ok(r.reachesSql);
        has('seb-baseline', r.write.file, r.write.line, 'prepare(');
        const last = calls[calls.length - 1];
        assert.equal(enclosing('seb-baseline', r.write.file, r.write.line), last, `${r.write.file}:${r.write.line}`);
        assert.ok(baselineWrites.some(w => w.file === r.write?.file && w.line === r.write.line && w.target === r.write.target),
          `${r.write.file}:${r.write.line} is not listed in baselineWrites as ${r.write.target}`);
      } else {
        assert.equal(r.reachesSql, false);
      }
    }
    assert.ok(baselineReach.filter(r => r.reachesSql).length >= 10);
  });

  test('(f) the run: mounts, the mount helper, authority calls, the bypass and the hollowed branch', () => {
    for (const m of runFacts.mounts) has('HEAD', m.file, m.line, m.text);
    has('HEAD', runFacts.mountHelper.file, runFacts.mountHelper.line, `export function ${runFacts.mountHelper.helper}(app`);
    has('HEAD', runFacts.mountHelper.calledAt.file, runFacts.mountHelper.calledAt.line, `${runFacts.mountHelper.helper}(app)`);
    const ex = runFacts.mountHelper.example;
    for (const p of ex.paths) registration('HEAD', ex.file, ex.line, ex.method, p);
    for (const r of runFacts.viaAuthority) {
      for (const p of r.paths) registration('HEAD', r.file, r.line, r.method, p);
      has('HEAD', r.file, r.callLine, 'applyDocumentWrite(slug,');
    }
    const b = runFacts.bypass;
    for (const p of b.paths) registration('HEAD', b.file, b.line, b.method, p);
    has('HEAD', b.file, b.callLine, 'revokeDocument(slug);');
    has('HEAD', b.write.file, b.write.line, 'prepare(');
    assert.equal(enclosing('HEAD', b.write.file, b.write.line), 'updateShareState');

    const h = runFacts.hollowed;
    has('HEAD', h.handler.file, h.handler.line, "agentRoutes.post('/:slug/marks/unresolve'");
    has('HEAD', h.handler.file, h.handler.callLine, "executeDocumentOperationAsync(slug, 'POST', '/marks/unresolve', payload)");
    has('HEAD', h.branch.file, h.branch.line, "routePath === '/marks/unresolve'");
    has('HEAD', h.branch.file, h.branch.callLine, `return ${h.branch.callee}(slug, body);`);
    has('HEAD', h.acknowledge.file, h.acknowledge.line, `function ${h.branch.callee}(`);
    for (const f of h.deadFunctions) has('HEAD', f.file, f.line, `function ${f.name}(`);
    // Nothing in server/ calls the old unresolve functions any more; the handler no longer replays or notifies.
    assert.equal(gitGrep(run.dir, '-c', '-E', 'unresolveComment(Async)?\\(slug', 'HEAD', '--', 'server').trim(), '');
  });

  test('(f) every fate: baseline and run registrations are where the expectations say', () => {
    const seen = new Set(fates.map(f => f.fate));
    for (const fate of ['kept', 'moved', 'renamed', 'hollowed', 'deleted', 'unreachable'] as const) assert.ok(seen.has(fate), `no ${fate} example`);
    for (const f of fates) {
      registration('seb-baseline', f.baseline.file, f.baseline.line, f.baseline.method, f.baseline.path);
      for (const r of f.run) registration('HEAD', r.file, r.line, r.method, r.path);
      if (f.fate === 'moved') assert.notEqual(f.run[0]?.file, f.baseline.file);
      if (f.fate === 'kept' || f.fate === 'hollowed') assert.equal(f.run[0]?.file, f.baseline.file);
      if (f.fate === 'renamed') assert.notEqual(f.run[0]?.path, f.baseline.path);
      if (f.fate === 'hollowed') assert.ok((f.lostWrites ?? []).length > 0);
    }
    // deleted: the path string is gone from server/ at head.
    assert.equal(gitGrep(run.dir, '-c', "'/documents/:slug/delete'", 'HEAD', '--', 'server').trim(), '');
    // renamed: the old path is gone too.
    assert.equal(gitGrep(run.dir, '-c', "'/documents/:slug/pause'", 'HEAD', '--', 'server').trim(), '');
    // unreachable: still defined, no longer imported or mounted by the app.
    assert.ok(git(run.dir, 'show', 'HEAD:server/discovery-routes.ts').includes('export const discoveryRoutes = Router();'));
    assert.ok(!git(run.dir, 'show', 'HEAD:server/index.ts').includes('discoveryRoutes'));
    has('seb-baseline', 'server/index.ts', 119, 'app.use(discoveryRoutes);');
  });
});
