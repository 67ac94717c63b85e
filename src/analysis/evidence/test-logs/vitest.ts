/**
 * vitest's text reporters (vitest.dev/guide/reporters), versions 1 to 4, alone or inside an `npm test` transcript:
 *  - verbose: one line per test, " ✓ file > describe > test 12ms" (× failed, ↓ skipped, □ todo; before vitest 4
 *    todo tests show as ↓ too);
 *  - default: one line per file, " ❯ file (6 tests | 1 failed | 1 skipped) 17ms", then only the tests of failing
 *    files, indented (vitest 4 prints their names without describe blocks; the "FAIL file > … > test" headers of
 *    the failures section supply them for failed tests).
 * Summary: "      Tests  2 failed | 8 passed | 3 skipped | 1 todo (14)" after " Test Files  …".
 */
import { Collector, finish, type SummaryCounts } from './result';
import { countsByWord, looksLikeTestFile, trailingDuration } from './text';
import { type FileCounts, type LoggedTest, type ParsedLog, type TestStatus } from './types';

const ICON: Readonly<Record<string, TestStatus>> = { '✓': 'passed', '√': 'passed', '×': 'failed', '↓': 'skipped', '□': 'todo' };
const VERBOSE = /^ ([✓√×↓□]) (.+)$/;
const LISTED = /^ {2,}([✓√×↓□]) (.+)$/;
const FILE_HEADER = /^ ([✓√❯×↓]) (.+)$/;
const FILE_COUNTS = /^\((\d{1,9}) tests?((?: \| \d{1,9} [a-z]+)*)\)/;

interface Header { file: string; declared: FileCounts; tests: number }

function statusLine(icon: string, body: string): { status: TestStatus; text: string; ms?: number } {
  const status = ICON[icon] ?? 'passed';
  if (status === 'skipped' || status === 'todo') return { status, text: body.trim() };
  const d = trailingDuration(body.trim());
  return { status, text: d.rest, ...(d.ms !== undefined ? { ms: d.ms } : {}) };
}

/** " ❯ math.test.js (6 tests | 1 failed | 1 skipped) 17ms" as a file and its counts, or undefined. */
function fileHeader(l: string): Header | undefined {
  const m = FILE_HEADER.exec(l);
  if (!m) return undefined;
  const body = m[2] ?? '';
  const at = body.lastIndexOf(' (');
  if (at < 0) return undefined;
  const counts = FILE_COUNTS.exec(body.slice(at + 1));
  if (!counts) return undefined;
  const file = body.slice(0, at).trim();
  if (!looksLikeTestFile(file)) return undefined;
  const tests = Number(counts[1]);
  const by = countsByWord(counts[2] ?? '', /\|/);
  const failed = by.get('failed') ?? 0;
  const skipped = by.get('skipped') ?? 0;
  const todo = by.get('todo') ?? 0;
  const passed = by.get('passed') ?? Math.max(0, tests - failed - skipped - todo);
  return { file, tests, declared: { file, passed, failed, skipped, todo } };
}

export function parseVitest(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const headers: Header[] = [];
  const failHeaders: Array<{ file: string; suite: string[]; name: string }> = [];
  let runs = 0;
  let major: number | undefined;
  let inFile: Header | undefined;
  let sawTestFiles = false;
  let summary: SummaryCounts | undefined;
  let sawTodoIcon = false;
  let noFiles = false;
  let inConsole = false;
  let listedWithoutSuites = false;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (inConsole) { if (l.trim() === '') inConsole = false; continue; }
    if (/^(?:stdout|stderr) \| /.test(l)) { inConsole = true; continue; }
    const run = /^ ?RUN {1,2}v(\d{1,4})\.[\w.-]+/.exec(l);
    if (run) { runs++; major = Number(run[1]); inFile = undefined; continue; }
    if (/^\s*No test files found/.test(l)) { noFiles = true; continue; }
    if (/^⎯+.*(?:Failed Tests|Failed Suites|Unhandled)/.test(l) || /^ ?Test Files {1,2}/.test(l)) {
      inFile = undefined;
      if (/Failed Suites/.test(l)) c.note('vitest reports test files that failed to run (Failed Suites): their tests are not listed.');
      if (/^ ?Test Files/.test(l)) sawTestFiles = true;
      continue;
    }
    const fail = /^ FAIL {1,2}(.+)$/.exec(l);
    if (fail) {
      inFile = undefined;
      const parts = (fail[1] ?? '').split(' > ');
      if (parts.length > 1 && looksLikeTestFile(parts[0] ?? '')) {
        failHeaders.push({ file: parts[0] ?? '', suite: parts.slice(1, -1), name: parts[parts.length - 1] ?? '' });
      }
      continue;
    }
    const tests = /^ {0,6}Tests {1,2}(.+)$/.exec(l);
    if (tests && sawTestFiles) {
      const body = tests[1] ?? '';
      const by = countsByWord(body, /\|/);
      const tot = /\((\d{1,12})\)\s*$/.exec(body);
      summary = { line: i + 1, passed: by.get('passed') ?? 0, failed: by.get('failed') ?? 0, skipped: by.get('skipped') ?? 0, todo: by.get('todo') ?? 0 };
      if (tot) summary.total = Number(tot[1]);
      continue;
    }
    const header = fileHeader(l);
    if (header) { headers.push(header); inFile = header; continue; }
    const v = VERBOSE.exec(l);
    if (v) {
      const parts = (v[2] ?? '').split(' > ');
      if (parts.length > 1 && looksLikeTestFile(parts[0] ?? '')) {
        const s = statusLine(v[1] ?? '', parts.slice(1).join(' > '));
        const names = s.text.split(' > ');
        if (s.status === 'todo') sawTodoIcon = true;
        add(c, { file: parts[0] ?? '', suite: names.slice(0, -1), name: names[names.length - 1] ?? '', status: s.status, line: i + 1 }, s.ms);
        continue;
      }
    }
    const listed = inFile ? LISTED.exec(l) : null;
    if (listed && inFile) {
      const s = statusLine(listed[1] ?? '', listed[2] ?? '');
      const names = s.text.split(' > ');
      if (names.length === 1) listedWithoutSuites = true;
      if (s.status === 'todo') sawTodoIcon = true;
      inFile.tests--;
      add(c, { file: inFile.file, suite: names.slice(0, -1), name: names[names.length - 1] ?? '', status: s.status, line: i + 1 }, s.ms);
    }
  }
  if (runs === 0 && !summary && c.tests.length === 0 && headers.length === 0) return null;

  // vitest 4's default reporter lists a failing file's tests without their describe blocks: take them from "FAIL" headers
  for (const t of c.tests) {
    if (t.status !== 'failed' || t.suite.length > 0) continue;
    const f = failHeaders.find(h => h.file === t.file && h.name === t.name);
    if (f) t.suite = [...f.suite];
  }
  if (listedWithoutSuites && (major ?? 0) >= 4) c.note('vitest\'s default reporter prints the tests of failing files without their describe blocks: suites are known only for failed tests.');
  if (runs > 1) c.note(`The log holds ${runs} vitest runs: the tests of all of them are counted.`);
  if (noFiles) c.note('vitest found no test files.');
  if (!summary && c.tests.length + headers.length > 0) c.note('The log has no "Tests" summary line: it may be cut short.');
  const todoShownAsSkipped = !sawTodoIcon && (summary?.todo ?? 0) > 0;
  if (todoShownAsSkipped) c.note('This vitest reporter shows todo tests as skipped (↓): they are counted as skipped here.');
  if (headers.length === 0) return finish(c, { format: 'vitest', ...(summary ? { summary } : {}), todoShownAsSkipped });
  const listsEveryTest = headers.every(h => h.tests <= 0);
  return finish(c, { format: 'vitest', listsEveryTest, files: headers.map(h => h.declared), ...(summary ? { summary } : {}), todoShownAsSkipped });
}

function add(c: Collector, t: LoggedTest, ms: number | undefined): void {
  if (ms !== undefined) t.durationMs = ms;
  c.add(t);
}
