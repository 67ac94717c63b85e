/**
 * The JSON reports of `jest --json` (jestjs.io/docs/cli#--json) and `vitest --reporter=json`
 * (vitest.dev/guide/reporters#json-reporter), which share a shape: numPassedTests, numFailedTests,
 * numPendingTests, numTodoTests, numTotalTests, and testResults[] per file (name: its path) with
 * assertionResults[] per test (ancestorTitles, title, status, duration). Read as data only.
 */
import { Collector, finish, type SummaryCounts } from './result';
import { type LoggedTest, type ParsedLog, type TestStatus } from './types';

const STATUS: Readonly<Record<string, TestStatus>> = {
  passed: 'passed', failed: 'failed', pending: 'skipped', skipped: 'skipped', disabled: 'skipped', todo: 'todo',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** The report in `text`: the whole text, or a line of a longer log that starts one (as `npm test -- --json` prints). */
function findReport(text: string): { report: Json } | { problem: string } | undefined {
  const trimmed = text.trim();
  const candidates: string[] = [];
  if (trimmed.startsWith('{')) candidates.push(trimmed);
  else {
    const at = text.search(/^\{"num[A-Z]|^\{\s*$/m);
    if (at < 0) return undefined;
    const end = text.lastIndexOf('}');
    if (end > at) candidates.push(text.slice(at, end + 1));
    const lineEnd = text.indexOf('\n', at);
    if (lineEnd > at) candidates.push(text.slice(at, lineEnd));
  }
  let problem: string | undefined;
  for (const candidate of candidates) {
    if (!candidate.includes('"testResults"')) continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isObject(parsed) && Array.isArray(parsed.testResults)) return { report: parsed };
      problem = 'it is JSON, but has no testResults list';
    } catch (e) {
      problem = `it is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'}): cut short?`;
    }
  }
  return problem !== undefined ? { problem } : undefined;
}

export function parseJsonReport(text: string): ParsedLog | null {
  const found = findReport(text);
  if (!found) return null;
  if ('problem' in found) return { ok: false, reason: `A jest/vitest JSON report that cannot be read: ${found.problem}.` };
  const r = found.report;
  const c = new Collector();
  let vitest = false;
  const unknown = new Set<string>();
  const results = r.testResults as unknown[];
  outer: for (const [i, fileResult] of results.entries()) {
    if (!isObject(fileResult)) { c.note(`testResults[${i}] is not an object: skipped.`); continue; }
    const file = typeof fileResult.name === 'string' ? fileResult.name : undefined;
    const assertions = Array.isArray(fileResult.assertionResults) ? fileResult.assertionResults : [];
    if (assertions.length === 0 && fileResult.status === 'failed') {
      const message = typeof fileResult.message === 'string' ? fileResult.message.trim().split('\n')[0]?.slice(0, 160) : undefined;
      c.note(`${file ?? `testResults[${i}]`} failed without running tests${message ? `: ${message}` : ''}.`);
    }
    for (const a of assertions) {
      if (!isObject(a) || typeof a.title !== 'string') continue;
      if ('meta' in a) vitest = true;
      const raw = typeof a.status === 'string' ? a.status : String(a.status);
      let status = Object.hasOwn(STATUS, raw) ? STATUS[raw] : undefined;
      if (!status) { unknown.add(raw.slice(0, 40)); status = 'skipped'; }
      const suite = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.filter((s): s is string => typeof s === 'string') : [];
      const t: LoggedTest = { suite, name: a.title, status };
      if (file !== undefined) t.file = file;
      if (typeof a.duration === 'number' && Number.isFinite(a.duration) && a.duration >= 0) t.durationMs = a.duration;
      if (!c.add(t)) break outer;
    }
  }
  if (unknown.size > 0) c.note(`Test statuses not known here were counted as skipped: ${[...unknown].join(', ')}.`);
  if (r.wasInterrupted === true) c.note('jest reports the run as interrupted.');
  const summary: SummaryCounts = {};
  const put = (key: keyof SummaryCounts, v: unknown): void => { const n = count(v); if (n !== undefined) summary[key] = n; };
  put('passed', r.numPassedTests);
  put('failed', r.numFailedTests);
  put('skipped', r.numPendingTests);
  put('todo', r.numTodoTests);
  put('total', r.numTotalTests);
  // vitest's tests carry "meta"; jest's report always has openHandles and wasInterrupted
  const format = vitest || !('openHandles' in r || 'wasInterrupted' in r) ? 'vitest-json' : 'jest-json';
  return finish(c, { format, ...(Object.keys(summary).length > 0 ? { summary } : {}) });
}
