/**
 * vitest's text reporters (vitest.dev/guide/reporters), versions 1 to 4, alone or inside an `npm test` transcript:
 *  - verbose: one line per test, " ✓ file > describe > test 12ms" (× failed, ↓ skipped, □ todo; before vitest 4
 *    todo tests show as ↓ too);
 *  - default, tree and minimal: a line per file, " ❯ file (6 tests | 1 failed | 1 skipped) 17ms", then tests
 *    indented under it. default lists the tests of failing files only (vitest 3 as "describe > test", vitest 4
 *    without describe titles), tree every test under " ❯ describe (2)" lines, minimal only failed tests of failing
 *    files (and no line for a passing file);
 *  - dot and others: only the "FAIL file > describe > test" headers of the failures section name tests.
 * Summary: " Test Files  2 failed | 3 passed (5)" then "      Tests  2 failed | 8 passed | 3 skipped | 1 todo (14)".
 */
import { Collector, finish, type SummaryCounts } from './result';
import { countsByWord, looksLikeTestFile, trailingDuration } from './text';
import { type FileCounts, type ParsedLog, type TestStatus } from './types';

const ICON: Readonly<Record<string, TestStatus>> = { '✓': 'passed', '√': 'passed', '×': 'failed', '↓': 'skipped', '□': 'todo' };
const VERBOSE = /^ ([✓√×↓□]) (.+)$/;
const LISTED = /^( {2,})([✓√×↓□❯]) (.+)$/;
const FILE_HEADER = /^ ([✓√❯×↓]) (.+)$/;
const FILE_COUNTS = /^\((\d{1,9}) tests?((?: \| \d{1,9} [a-z]+)*)\)/;
const SUITE_COUNT = /\s\(\d{1,9}\)$/;

interface Header { file: string; declared: FileCounts; unlisted: number }
interface Entry { indent: number; icon: string; text: string; line: number }
interface FailHeader { file: string; suite: string[]; name: string; line: number }

function statusLine(icon: string, body: string): { status: TestStatus; text: string; ms?: number } {
  const status = ICON[icon] ?? 'passed';
  if (status === 'skipped' || status === 'todo') return { status, text: body.trim() };
  const d = trailingDuration(body.trim(), true);
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
  return { file, unlisted: tests, declared: { file, passed, failed, skipped, todo } };
}

/**
 * The tests listed under a file line; an entry followed by deeper ones and ending in "(N)" is a describe block (tree).
 * An entry at indent 3 + 2k sits in k describe blocks: true when some of those were not printed.
 */
function emitBlock(c: Collector, h: Header, block: Entry[]): boolean {
  const stack: Array<{ indent: number; name: string }> = [];
  let suitesMissing = false;
  for (const [k, e] of block.entries()) {
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= e.indent) stack.pop();
    const next = block[k + 1];
    if (e.icon === '❯' || (next && next.indent > e.indent && SUITE_COUNT.test(e.text))) {
      stack.push({ indent: e.indent, name: e.text.replace(SUITE_COUNT, '') });
      continue;
    }
    const s = statusLine(e.icon, e.text);
    const names = s.text.split(' > ');
    if (Math.round((e.indent - 3) / 2) > stack.length + names.length - 1) suitesMissing = true;
    h.unlisted--;
    c.add({ file: h.file, suite: [...stack.map(x => x.name), ...names.slice(0, -1)], name: names[names.length - 1] ?? '',
      status: s.status, line: e.line, ...(s.ms !== undefined ? { durationMs: s.ms } : {}) });
  }
  return suitesMissing;
}

export function parseVitest(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const headers: Header[] = [];
  const failHeaders: FailHeader[] = [];
  const notRun: string[] = [];
  let runs = 0;
  let inFile: Header | undefined;
  let block: Entry[] = [];
  let testFiles: number | undefined;
  let summary: SummaryCounts | undefined;
  let sawTodoIcon = false;
  let noFiles = false;
  let inConsole = false;
  let suitesMissing = false;
  const flush = (): void => {
    if (inFile && emitBlock(c, inFile, block)) suitesMissing = true;
    inFile = undefined;
    block = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (inConsole) { if (l.trim() === '') inConsole = false; continue; }
    if (/^(?:stdout|stderr) \| /.test(l)) { inConsole = true; continue; }
    if (/^ ?RUN {1,2}v\d{1,4}\.[\w.-]+/.test(l)) { flush(); runs++; continue; }
    if (/^\s*No test files found/.test(l)) { noFiles = true; continue; }
    if (/^⎯+.*(?:Failed Tests|Failed Suites|Unhandled)/.test(l)) {
      flush();
      continue;
    }
    const files = /^ ?Test Files {1,2}.*\((\d{1,9})\)\s*$/.exec(l);
    if (files) { flush(); testFiles = Number(files[1]); continue; }
    const fail = /^ FAIL {1,2}(.+)$/.exec(l);
    if (fail) {
      flush();
      const parts = (fail[1] ?? '').split(' > ');
      const suiteError = /^(\S.*?) \[ .* \]\s*$/.exec(fail[1] ?? '');
      if (suiteError && looksLikeTestFile(suiteError[1] ?? '')) {
        if (!notRun.includes(suiteError[1] ?? '')) notRun.push(suiteError[1] ?? '');
      } else if (parts.length > 1 && looksLikeTestFile(parts[0] ?? '')) {
        failHeaders.push({ file: parts[0] ?? '', suite: parts.slice(1, -1), name: parts[parts.length - 1] ?? '', line: i + 1 });
      }
      continue;
    }
    const tests = /^ {0,6}Tests {1,2}(.+)$/.exec(l);
    if (tests && testFiles !== undefined) {
      const body = tests[1] ?? '';
      const by = countsByWord(body, /\|/);
      const tot = /\((\d{1,12})\)\s*$/.exec(body);
      summary = { line: i + 1, passed: by.get('passed') ?? 0, failed: by.get('failed') ?? 0, skipped: by.get('skipped') ?? 0, todo: by.get('todo') ?? 0 };
      if (tot) summary.total = Number(tot[1]);
      continue;
    }
    const header = fileHeader(l);
    if (header) { flush(); headers.push(header); inFile = header; continue; }
    const v = VERBOSE.exec(l);
    if (v) {
      const parts = (v[2] ?? '').split(' > ');
      if (parts.length > 1 && looksLikeTestFile(parts[0] ?? '')) {
        const s = statusLine(v[1] ?? '', parts.slice(1).join(' > '));
        const names = s.text.split(' > ');
        if (s.status === 'todo') sawTodoIcon = true;
        c.add({ file: parts[0] ?? '', suite: names.slice(0, -1), name: names[names.length - 1] ?? '', status: s.status, line: i + 1,
          ...(s.ms !== undefined ? { durationMs: s.ms } : {}) });
        continue;
      }
    }
    const listed = inFile ? LISTED.exec(l) : null;
    if (listed) {
      if (listed[2] === '□') sawTodoIcon = true;
      block.push({ indent: (listed[1] ?? '').length, icon: listed[2] ?? '', text: listed[3] ?? '', line: i + 1 });
    }
  }
  flush();
  if (runs === 0 && !summary && c.tests.length === 0 && headers.length === 0) return null;

  // failed tests listed without describe titles (vitest 4's default and minimal reporters): take them from "FAIL" headers
  for (const t of c.tests) {
    if (t.status !== 'failed' || t.suite.length > 0) continue;
    const f = failHeaders.find(h => h.file === t.file && h.name === t.name);
    if (f) t.suite = [...f.suite];
  }
  // no line per test at all (the dot reporter): the failures section names the failed tests
  const onlyFailures = c.tests.length === 0 && headers.length === 0 && failHeaders.length > 0;
  if (onlyFailures) for (const f of failHeaders) c.add({ file: f.file, suite: f.suite, name: f.name, status: 'failed', line: f.line });
  if (suitesMissing) c.note('This vitest reporter prints tests without their describe blocks: suites are known only for failed tests.');
  if (notRun.length > 0) c.note(`vitest could not run ${notRun.slice(0, 5).join(', ')}${notRun.length > 5 ? ', …' : ''} (Failed Suites): their tests are not counted.`);
  if (runs > 1) c.note(`The log holds ${runs} vitest runs: the tests of all of them are counted.`);
  if (noFiles) c.note('vitest found no test files.');
  if (!summary && c.tests.length + headers.length > 0) c.note('The log has no "Tests" summary line: it may be cut short.');
  const todoShownAsSkipped = !sawTodoIcon && (summary?.todo ?? 0) > 0 && c.tests.some(t => t.status === 'skipped');
  if (todoShownAsSkipped) c.note('This vitest reporter shows todo tests as skipped (↓): they are counted as skipped here.');
  const counted = { ...(summary ? { summary } : {}), todoShownAsSkipped, filesNotRun: notRun };
  if (headers.length === 0) {
    const listsEveryTest = !onlyFailures && !(c.tests.length === 0 && (summary?.total ?? 0) > 0);
    return finish(c, { format: 'vitest', listsEveryTest, ...counted });
  }
  const filesCoverRun = testFiles === undefined || headers.length >= testFiles;
  if (!filesCoverRun) c.note(`The reporter has a line for ${headers.length} of the run's ${testFiles ?? 0} test files (only files with failures).`);
  const listsEveryTest = filesCoverRun && headers.every(h => h.unlisted <= 0);
  return finish(c, { format: 'vitest', listsEveryTest, files: headers.map(h => h.declared), filesCoverRun, ...counted });
}
