/**
 * TAP, the Test Anything Protocol (testanything.org, versions 13 and 14): "ok N - description # SKIP|TODO reason"
 * test points, a "1..N" plan, YAML diagnostics between "---" and "...", subtests indented by four spaces, either
 * before their parent's test point (TAP 14, node:test --test-reporter=tap) or after it in a "{ … }" block
 * (node-tap style, vitest --reporter=tap). Points with subtests are suites; the others are tests. Also read:
 * vitest's tap-flat ("file > describe > test" names), mocha's tap reporter (no "-", full titles), and the
 * "# tests N" / "# pass N" summary comments of node:test and mocha.
 */
import { Collector, finish, type SummaryCounts } from './result';
import { cleanFile, looksLikeTestFile } from './text';
import { type LoggedTest, type ParsedLog, type TestStatus } from './types';

interface Point {
  indent: number;
  ok: boolean;
  name: string;
  directive?: 'skip' | 'todo';
  line: number;
  durationMs?: number;
  location?: string;
  /** node:test marks suites in the YAML block (type: 'suite'), which tells an empty (skipped) suite from a test. */
  isSuite?: boolean;
  children: Point[];
}

const POINT = /^( *)(not ok|ok)(?=\s|$)(.*)$/;
const YAML_LOOKAHEAD = 5000;

/** The description, directive and timing of a point's text after "ok"/"not ok". */
function readPoint(rest: string): Pick<Point, 'name' | 'directive' | 'durationMs'> & { num?: number; buffered: boolean } {
  let r = rest;
  const buffered = /\s\{\s*$/.test(r);
  if (buffered) r = r.replace(/\s\{\s*$/, '');
  let num: number | undefined;
  const n = /^\s+(\d{1,9})(?=\s|$)/.exec(r);
  if (n) { num = Number(n[1]); r = r.slice(n[0].length); }
  r = r.replace(/^\s+-(?=\s|$)/, '').trim();
  let durationMs: number | undefined;
  const time = /\s?#\s*time=(\d{1,9}(?:\.\d{1,9})?)(ms|s)\s*$/.exec(r);
  if (time) { durationMs = Number(time[1]) * (time[2] === 's' ? 1000 : 1); r = r.slice(0, time.index).trimEnd(); }
  let directive: Point['directive'];
  const d = /(?:^|\s)#\s*(skip|todo)\S*/i.exec(r);
  if (d && r[d.index - 1] !== '\\') { directive = (d[1] ?? '').toLowerCase() === 'skip' ? 'skip' : 'todo'; r = r.slice(0, d.index).trimEnd(); }
  const name = r.replace(/\\([#\\])/g, '$1');
  return { name, buffered, ...(num !== undefined ? { num } : {}), ...(directive ? { directive } : {}), ...(durationMs !== undefined ? { durationMs } : {}) };
}

export function parseTap(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const pending = new Map<number, Point[]>();
  const next = new Map<number, number>();
  const open: Point[] = [];
  const counts = new Map<string, { n: number; line: number }>();
  let versions = 0;
  let plan: number | undefined;
  let stray = 0;
  let bailed = false;
  let seen = false;
  let last: Point | undefined;
  const yamlMiss = new Map<string, number>();

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^TAP version \d+\s*$/.test(l)) { versions++; next.clear(); seen = true; last = undefined; continue; }
    const yaml = /^( +)---\s*$/.exec(l);
    if (yaml && last && last.line === i && (yaml[1] ?? '').length > last.indent) {
      const end = findYamlEnd(lines, i + 1, yaml[1] ?? '', yamlMiss);
      if (end > 0) { readYaml(lines, i + 1, end, last); i = end; continue; }
    }
    const m = POINT.exec(l);
    if (m) {
      const indent = (m[1] ?? '').length;
      if (indent % 4 !== 0) continue;
      const d = readPoint(m[3] ?? '');
      const expected = next.get(indent) ?? 1;
      if (d.num !== undefined && d.num !== expected) { stray++; continue; }
      next.set(indent, expected + 1);
      seen = true;
      const p: Point = { indent, ok: m[2] === 'ok', name: d.name, line: i + 1, children: [] };
      if (d.directive) p.directive = d.directive;
      if (d.durationMs !== undefined) p.durationMs = d.durationMs;
      if (!d.buffered) { p.children = pending.get(indent + 4) ?? []; pending.delete(indent + 4); next.delete(indent + 4); }
      else open.push(p);
      const list = pending.get(indent) ?? [];
      list.push(p);
      pending.set(indent, list);
      last = p;
      continue;
    }
    const close = /^( *)\}\s*$/.exec(l);
    if (close) {
      const indent = (close[1] ?? '').length;
      const at = open.findLastIndex(p => p.indent === indent);
      if (at >= 0) {
        const p = open[at];
        if (p) { p.children = pending.get(indent + 4) ?? []; pending.delete(indent + 4); next.delete(indent + 4); }
        open.length = at;
      }
      continue;
    }
    const planLine = /^( *)1\.\.(\d{1,9})\b/.exec(l);
    if (planLine) { if ((planLine[1] ?? '') === '') plan = Number(planLine[2]); seen = true; continue; }
    const count = /^# (tests|pass|fail|cancelled|skipped|todo) (\d{1,12})\s*$/.exec(l);
    if (count) { counts.set(count[1] ?? '', { n: Number(count[2]), line: i + 1 }); continue; }
    if (/^\s*Bail out!/.test(l)) { bailed = true; c.note(`The run bailed out at line ${i + 1}: tests after that did not run.`); }
  }
  if (!seen) return null;

  const roots = pending.get(0) ?? [];
  const orphans = [...pending.entries()].filter(([indent]) => indent > 0).flatMap(([, ps]) => ps);
  if (orphans.length > 0) c.note(`${orphans.length} subtests never reach their parent's test point: the log may be cut short.`);
  const skippedSuites: string[] = [];
  /**
   * Adds the tests under `p`; true when one of them failed. `group`: the file a top-level point names (vitest);
   * `located`: the file of the nearest node:test location (given for failures only).
   */
  const walk = (p: Point, suite: string[], group: string | undefined, located: string | undefined, top: boolean): boolean => {
    const here = p.location !== undefined ? cleanFile(p.location, true) : located;
    if (p.children.length > 0) {
      const isFile = top && looksLikeTestFile(p.name);
      const inner = isFile ? suite : [...suite, p.name];
      let failed = false;
      for (const ch of p.children) failed = walk(ch, inner, isFile ? cleanFile(p.name) : group, here, false) || failed;
      if (!p.ok && !p.directive && !failed) c.note(`"${p.name}" failed outside its tests (a hook, or a file that did not load).`);
      return failed;
    }
    if (p.isSuite) { skippedSuites.push(p.name); return false; }
    const status: TestStatus = p.directive === 'skip' ? 'skipped' : p.directive === 'todo' ? 'todo' : p.ok ? 'passed' : 'failed';
    const t: LoggedTest = { suite, name: p.name, status, line: p.line };
    let f = group;
    const parts = p.name.split(' > ');
    if (parts.length > 1 && looksLikeTestFile(parts[0] ?? '')) {
      f ??= cleanFile(parts[0] ?? '');
      t.name = parts[parts.length - 1] ?? p.name;
      t.suite = [...suite, ...parts.slice(1, -1)];
    }
    f ??= here ?? (top && looksLikeTestFile(p.name) ? cleanFile(p.name) : undefined);
    if (f !== undefined) t.file = f;
    if (p.durationMs !== undefined) t.durationMs = p.durationMs;
    c.add(t);
    return status === 'failed';
  };
  for (const p of [...roots, ...orphans]) walk(p, [], undefined, undefined, true);
  c.tests.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

  if (skippedSuites.length > 0) c.note(`Skipped suites whose tests are not listed: ${skippedSuites.slice(0, 5).map(s => `"${s}"`).join(', ')}${skippedSuites.length > 5 ? ', …' : ''}.`);
  if (stray > 0) c.note(`${stray} "ok"/"not ok" lines out of sequence were read as output printed by tests, not as test points.`);
  if (versions > 1) c.note(`The log holds ${versions} TAP streams: the tests of all of them are counted.`);
  if (plan !== undefined && versions <= 1 && plan !== roots.length && !bailed) {
    c.note(`The plan announces ${plan} top-level test points; the log has ${roots.length}${plan > roots.length ? ': it may be cut short' : ''}.`);
  }
  return finish(c, { format: 'tap', ...summaryOf(counts) });
}

/**
 * The line that ends a YAML block opened with `indent`, looking at most YAML_LOOKAHEAD lines ahead, or -1. `miss`
 * remembers, per indent, up to where no end was found, so that unclosed blocks cost linear time in all.
 */
function findYamlEnd(lines: string[], from: number, indent: string, miss: Map<string, number>): number {
  const stop = Math.min(lines.length, from + YAML_LOOKAHEAD);
  for (let j = Math.max(from, miss.get(indent) ?? 0); j < stop; j++) {
    const l = lines[j] ?? '';
    if (l.startsWith(indent) && l.slice(indent.length).trimEnd() === '...') return j;
  }
  miss.set(indent, Math.max(stop, miss.get(indent) ?? 0));
  return -1;
}

function readYaml(lines: string[], from: number, end: number, p: Point): void {
  for (let j = from; j < end; j++) {
    const l = lines[j] ?? '';
    let m: RegExpExecArray | null;
    if (/^\s*type: '?suite'?\s*$/.test(l)) p.isSuite = true;
    else if ((m = /^\s*duration_ms: (\d{1,12}(?:\.\d{1,9})?)\s*$/.exec(l))) p.durationMs ??= Number(m[1]);
    // node:test's location is where the test is declared (vitest's "at" is where an error was thrown: not used)
    else if ((m = /^\s*location: ["']?(.+?)["']?\s*$/.exec(l)) && p.location === undefined) p.location = m[1] ?? '';
  }
}

function summaryOf(counts: Map<string, { n: number; line: number }>): { summary?: SummaryCounts } {
  if (counts.size === 0) return {};
  const get = (k: string): number | undefined => counts.get(k)?.n;
  const s: SummaryCounts = {};
  const line = counts.get('tests')?.line ?? counts.get('pass')?.line;
  if (line !== undefined) s.line = line;
  const pass = get('pass');
  if (pass !== undefined) s.passed = pass;
  if (get('fail') !== undefined || get('cancelled') !== undefined) s.failed = (get('fail') ?? 0) + (get('cancelled') ?? 0);
  const skipped = get('skipped');
  const todo = get('todo');
  if (skipped !== undefined) s.skipped = skipped;
  if (todo !== undefined) s.todo = todo;
  // mocha's "# tests" counts only passed and failed tests; node:test's counts every test (it also prints skipped)
  const tests = get('tests');
  if (tests !== undefined && (skipped !== undefined || todo !== undefined)) s.total = tests;
  return { summary: s };
}
