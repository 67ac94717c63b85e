import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRulePacks } from '../../../src/analysis/authority/packs';
import { analyzeTree } from '../../../src/analysis/authority/analyze';
import { memoryTreeReader } from '../../../src/core/tree-read';
import { SideSchema, type EntryPoint, type Side, type Write } from '../../../src/core/authority/analysis';
import { RulePackSchema } from '../../../src/core/authority/rule-pack';
import { isSebError } from '../../../src/core/errors';
import { scratch } from '../helpers';
import { FRAMEWORK_CASES, type ExpectedEntry, type ExpectedWrite, type FrameworkCase } from './framework-expectations';

/** The repository root, found from here whether this runs from test/unit/authority or from its bundle under out/. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'rubric', 'authority')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}
const ROOT = repoRoot();
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'frameworks');
const BUILT_IN = path.join(ROOT, 'rubric', 'authority');

/** Every file of a fixture folder, by its path relative to the folder ("/" separators). */
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

/** A loaded pack's id, whether the loader hands back the pack itself or wraps it ({ pack, file, sha256 }). */
function packId(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as { id?: unknown; pack?: { id?: unknown } };
  if (typeof o.id === 'string') return o.id;
  return typeof o.pack?.id === 'string' ? o.pack.id : undefined;
}

/** A content address for a fixture (analysis results are cached by tree id, so each fixture needs its own). */
function treeId(files: Record<string, Buffer>): string {
  const h = createHash('sha1');
  for (const p of Object.keys(files).sort()) h.update(`${p}\0${files[p]?.length ?? 0}\0`).update(files[p] ?? Buffer.alloc(0));
  return h.digest('hex');
}

const at = (file: string, line: number): string => `${file}:${line}`;
const sorted = (xs: readonly string[]): string[] => [...xs].sort();
/** A function or handler name as expected: exactly, or qualified by its class (`ArticlesService.create`). */
const sameName = (actual: string | undefined, expected: string): boolean =>
  actual === expected || (actual ?? '').endsWith(`.${expected}`) || (actual ?? '').endsWith(`#${expected}`);

function describeEntry(e: EntryPoint): string {
  return `${e.kind} ${e.method ?? ''} ${e.paths.join(',') || e.event || ''} at ${at(e.file, e.line)} (handler ${e.handler.name} ${at(e.handler.file, e.handler.line)})`;
}
function describeExpected(e: ExpectedEntry): string {
  return `${e.kind} ${e.method ?? ''} ${e.paths?.join(',') || e.path || e.event || ''} at ${at(e.file, e.line)}`;
}

/** The actual entry point an expectation describes: by method and path for routes, by kind and handler or event otherwise. */
function findEntry(side: Side, exp: ExpectedEntry): EntryPoint | undefined {
  const candidates = side.entryPoints.filter(e => {
    if (e.kind !== exp.kind) return false;
    if (exp.method !== undefined) {
      const keys = [...(exp.paths ?? []), ...(exp.path !== undefined ? [exp.path] : [])];
      return e.method === exp.method && e.file === exp.file && keys.some(p => e.paths.includes(p) || e.path === p);
    }
    if (e.file !== exp.file) return false;
    if (exp.event !== undefined && e.event !== undefined && e.event !== exp.event) return false;
    if (exp.handler.name !== undefined) return sameName(e.handler.name, exp.handler.name);
    return exp.event !== undefined ? e.event === exp.event : true;
  });
  return candidates.find(e => e.line === exp.line) ?? candidates[0];
}

/** Findings this fixture pins exactly: those of its own packs (or of any pack when the engine does not say which). */
function pinned(c: FrameworkCase, x: { pack?: string }): boolean {
  return x.pack === undefined || c.packs.includes(x.pack) || (c.others ?? []).includes(x.pack);
}

function writesAt(side: Side, file: string, line: number): Write[] {
  return side.writes.filter(w => w.file === file && w.line === line);
}

describe('authority rule packs: the built-in packs', () => {
  test('every rubric/authority/*.json is a valid rule pack whose id is its file name', () => {
    const files = readdirSync(BUILT_IN).filter(f => f.endsWith('.json'));
    assert.ok(files.length >= 12, `only ${files.length} packs in ${BUILT_IN}`);
    for (const f of files) {
      const parsed = RulePackSchema.safeParse(JSON.parse(readFileSync(path.join(BUILT_IN, f), 'utf8')));
      assert.ok(parsed.success, `${f}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`);
      assert.equal(parsed.data.id, f.replace(/\.json$/, ''), f);
      assert.equal(parsed.data.version, 1, f);
      assert.ok(parsed.data.description, `${f} has no description`);
    }
  });

  test('loadRulePacks([]) loads every built-in pack, and an extra file comes on top of them', async () => {
    const builtIns = readdirSync(BUILT_IN).filter(f => f.endsWith('.json')).map(f => f.replace(/\.json$/, ''));
    const ids = (await loadRulePacks([])).map(packId);
    for (const id of builtIns) assert.ok(ids.includes(id), `built-in pack ${id} not loaded (got ${ids.join(', ')})`);
    assert.ok(!ids.includes('hono'));
    const withHono = (await loadRulePacks([path.join(FIXTURES, 'custom-hono', 'hono-pack.json')])).map(packId);
    assert.ok(withHono.includes('hono'));
    for (const id of builtIns) assert.ok(withHono.includes(id), `${id} dropped when an extra pack is given`);
  });
});

describe('authority rule packs: a malformed pack is refused, naming the file and the problem', () => {
  const s = scratch('seb-bad-pack-');
  after(() => s.done());
  const valid = { id: 'bad-example', version: 1, modules: ['hono'], values: [{ type: 'hono.app', from: { module: 'hono', path: 'Hono()' }, root: true }] };
  const cases: Array<{ file: string; content: string; problem: RegExp }> = [
    { file: 'bad-regex.json', problem: /regular expression|categories|path/i,
      content: JSON.stringify({ ...valid, categories: [{ category: 'agent', path: '^/api/(agent' }] }) },
    { file: 'unknown-key.json', problem: /prefx/,
      content: JSON.stringify({ ...valid, mounts: [{ on: ['hono.app'], method: 'route', prefx: 0 }] }) },
    { file: 'wrong-type.json', problem: /version/,
      content: JSON.stringify({ ...valid, version: '1' }) },
    { file: 'bad-access-path.json', problem: /access path|path/i,
      content: JSON.stringify({ ...valid, values: [{ type: 'hono.app', from: { module: 'hono', path: 'new Hono' } }] }) },
    { file: 'not-json.json', problem: /JSON|Unexpected|parse/i, content: '{ "id": "x", version: 1 ' },
    // matched against paths from the reviewed tree: an expression that can backtrack for ever is refused
    { file: 'redos-alternation.json', problem: /categories\[0\]\.path.*repeated group of alternatives.*exponential/,
      content: JSON.stringify({ ...valid, categories: [{ category: 'evil', path: '^/(a|a)*$' }] }) },
    { file: 'redos-nested.json', problem: /categories\[0\]\.file.*repeats inside/,
      content: JSON.stringify({ ...valid, categories: [{ category: 'evil', file: '(\\w+\\s?)*$' }] }) },
    { file: 'redos-backreference.json', problem: /backreference/,
      content: JSON.stringify({ ...valid, categories: [{ category: 'evil', path: '^/(a+)\\1$' }] }) },
  ];
  for (const c of cases) {
    test(c.file, async () => {
      const file = path.join(s.dir, c.file);
      writeFileSync(file, c.content);
      await assert.rejects(loadRulePacks([file]), (e: unknown) => {
        assert.ok(isSebError(e), `not a SebError: ${String(e)}`);
        assert.ok(e.message.includes(c.file), `the message does not name the file: ${e.message}`);
        assert.match(e.message, c.problem);
        return true;
      });
    });
  }
});

for (const c of FRAMEWORK_CASES) {
  describe(`authority analysis of the ${c.name} fixture: ${c.what}`, () => {
    const dir = path.join(FIXTURES, c.name);
    let side: Side | undefined;
    const analyzed = async (): Promise<Side> => {
      if (side) return side;
      const packs = await loadRulePacks((c.extraPacks ?? []).map(p => path.join(dir, p)));
      const ids = packs.map(packId);
      for (const id of c.packs) assert.ok(ids.includes(id), `pack ${id} not loaded`);
      const files = readFixture(dir);
      const result = await analyzeTree({ reader: memoryTreeReader(files), tree: treeId(files), packs, authority: [] });
      side = SideSchema.parse(result);
      return side;
    };

    test('every write, with its kind, target and function', async () => {
      const s = await analyzed();
      for (const w of c.writes) {
        const found = writesAt(s, w.file, w.line);
        assert.ok(found.length > 0, `no write found at ${at(w.file, w.line)} (${w.key}); writes: ${s.writes.map(x => at(x.file, x.line)).join(', ')}`);
        // several writes may share a line (a transaction that writes two structures): the one with the expected target
        const one = found.find(x => x.kind === w.kind && (w.target === undefined || x.target === w.target)) ?? found.find(x => x.kind === w.kind);
        assert.ok(one, `${at(w.file, w.line)}: kind ${found.map(x => x.kind).join('/')} instead of ${w.kind}`);
        if (w.target !== undefined) assert.equal(one.target, w.target, `target of the write at ${at(w.file, w.line)}`);
        if (w.function !== undefined) assert.ok(sameName(one.function, w.function), `${at(w.file, w.line)} is in ${one.function}, not ${w.function}`);
      }
    });

    test('no other writes, and none where the code only looks like one', async () => {
      const s = await analyzed();
      const expected = new Set(c.writes.map(w => at(w.file, w.line)));
      const extra = s.writes.filter(w => pinned(c, w) && !expected.has(at(w.file, w.line)));
      assert.deepEqual(extra.map(w => `${w.kind} ${w.target} at ${at(w.file, w.line)}`), [], 'unexpected writes');
      for (const n of c.notWrites) {
        assert.deepEqual(writesAt(s, n.file, n.line).map(w => `${w.kind} ${w.target}`), [], `${at(n.file, n.line)}: ${n.why}`);
      }
    });

    test('every entry point: kind, category, method, full mounted paths, registration and handler', async () => {
      const s = await analyzed();
      for (const exp of c.entries) {
        const e = findEntry(s, exp);
        assert.ok(e, `missing: ${describeExpected(exp)}; found: ${s.entryPoints.map(describeEntry).join('; ')}`);
        const what = describeExpected(exp);
        assert.equal(e.category, exp.category, `category of ${what}`);
        if (exp.paths !== undefined) assert.deepEqual(sorted(e.paths), sorted(exp.paths), `paths of ${what}`);
        if (exp.path !== undefined) assert.equal(e.path, exp.path, `own path of ${what}`);
        if (exp.event !== undefined && e.event !== undefined) assert.equal(e.event, exp.event, `event of ${what}`);
        assert.equal(at(e.file, e.line), at(exp.file, exp.line), `registration of ${what}`);
        assert.equal(at(e.handler.file, e.handler.line), at(exp.handler.file, exp.handler.line), `handler of ${what}`);
        if (exp.handler.name !== undefined) assert.ok(sameName(e.handler.name, exp.handler.name), `handler of ${what} is ${e.handler.name}, not ${exp.handler.name}`);
      }
    });

    test('no other entry points', async () => {
      const s = await analyzed();
      const matched = new Set(c.entries.map(exp => findEntry(s, exp)).filter((e): e is EntryPoint => e !== undefined));
      const extra = s.entryPoints.filter(e => pinned(c, e) && !matched.has(e));
      assert.deepEqual(extra.map(describeEntry), [], 'unexpected entry points');
    });

    test('reachability: mounted entry points are reachable, never-mounted ones dead with a reason', async () => {
      const s = await analyzed();
      for (const exp of c.entries) {
        const e = findEntry(s, exp);
        assert.ok(e, `missing: ${describeExpected(exp)}`);
        assert.equal(e.reachable, exp.reachable, `${describeExpected(exp)}: ${e.why}`);
        if (!exp.reachable) assert.ok(e.why.trim().length > 0, `${describeExpected(exp)} is dead without a reason`);
      }
    });

    test('each entry point reaches exactly the writes the code makes on its way', async () => {
      const s = await analyzed();
      const byId = new Map(s.writes.map(w => [w.id, w]));
      const byKey = new Map<string, ExpectedWrite>(c.writes.map(w => [w.key, w]));
      for (const exp of c.entries) {
        const e = findEntry(s, exp);
        assert.ok(e, `missing: ${describeExpected(exp)}`);
        const reached = e.writes.map(id => {
          const w = byId.get(id);
          assert.ok(w, `${describeExpected(exp)} names write ${id}, which side.writes does not have`);
          return at(w.file, w.line);
        });
        const want = exp.writes.map(k => {
          const w = byKey.get(k);
          assert.ok(w, `expectation error: no write ${k}`);
          return at(w.file, w.line);
        });
        assert.deepEqual([...new Set(reached)].sort(), [...new Set(want)].sort(), `writes reached by ${describeExpected(exp)}`);
      }
    });
  });
}

describe('a reviewer\'s pack: Hono routes are found only with the pack from the fixture folder', () => {
  test('without hono-pack.json no route of the Hono fixture is found', async () => {
    const dir = path.join(FIXTURES, 'custom-hono');
    const files = readFixture(dir);
    const side = await analyzeTree({ reader: memoryTreeReader(files), tree: treeId(files), packs: await loadRulePacks([]), authority: [] });
    assert.deepEqual(side.entryPoints.filter(e => e.kind === 'http-route').map(describeEntry), []);
    // the writes do not depend on the entry points' pack
    assert.ok(side.writes.some(w => w.file === 'src/db.ts' && w.line === 6));
  });
});
