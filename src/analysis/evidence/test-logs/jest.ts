/**
 * jest's default reporter (jestjs.io/docs/cli): "PASS file" / "FAIL file" per test file; with --verbose (and
 * whenever a single file runs) the tree of describe blocks and tests right under it ("✓ test (3 ms)", "✕ test",
 * "○ skipped test", "✎ todo test"). Without the tree only failing tests are named, in "● describe › test"
 * headers. Summary: "Tests:       2 failed, 3 skipped, 1 todo, 8 passed, 14 total".
 */
import { Collector, finish, type SummaryCounts } from './result';
import { cleanFile, countsByWord, indentOf, looksLikeTestFile, trailingDuration } from './text';
import { type FileCounts, type LoggedTest, type ParsedLog, type TestStatus } from './types';

interface JestFile { file: string; treeTests: LoggedTest[]; failures: LoggedTest[]; hadTree: boolean; didNotRun?: true }

/** One line of the verbose tree: a test with its status, or a describe block's title. */
function treeLine(content: string): { status: TestStatus; name: string; ms?: number } | { suite: string } {
  const icon = content[0] ?? '';
  const rest = content.slice(2);
  if ((icon === '✓' || icon === '√') && content[1] === ' ') return withDuration('passed', rest);
  if ((icon === '✕' || icon === '×') && content[1] === ' ') return withDuration('failed', rest);
  if (content.startsWith('○ skipped ')) return { status: 'skipped', name: content.slice('○ skipped '.length).trim() };
  if (content.startsWith('✎ todo ')) return { status: 'todo', name: content.slice('✎ todo '.length).trim() };
  return { suite: content.trim() };
}

function withDuration(status: TestStatus, rest: string): { status: TestStatus; name: string; ms?: number } {
  const d = trailingDuration(rest.trim());
  return { status, name: d.rest, ...(d.ms !== undefined ? { ms: d.ms } : {}) };
}

export function parseJest(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const files: JestFile[] = [];
  let current: JestFile | undefined;
  let summary: SummaryCounts | undefined;
  let noTests = false;
  let inFailureSummary = false;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    // with many test files jest repeats the failures under "Summary of all failing tests": read once
    if (/^Summary of all failing tests/.test(l)) { inFailureSummary = true; current = undefined; continue; }
    if (/^Test Suites: /.test(l)) inFailureSummary = false;
    if (inFailureSummary) continue;
    const header = /^ ?(PASS|FAIL) +(\S.*)$/.exec(l);
    if (header) {
      let file = (header[2] ?? '').replace(/\s+\(\d+(?:\.\d+)? ?m?s(?:, [^)]*)?\)$/, '');
      // a project's display name comes first: "PASS  unit  src/a.test.ts"
      const named = /^\S.*? {2,}(\S.*)$/.exec(file);
      if (named && looksLikeTestFile(named[1] ?? '')) file = named[1] ?? file;
      file = cleanFile(file);
      current = { file, treeTests: [], failures: [], hadTree: false };
      files.push(current);
      i = readTree(lines, i + 1, current) - 1;
      continue;
    }
    const tests = /^Tests: +(.+)$/.exec(l);
    if (tests) {
      const by = countsByWord(tests[1] ?? '', /,/);
      summary = { line: i + 1, passed: by.get('passed') ?? 0, failed: by.get('failed') ?? 0, skipped: by.get('skipped') ?? 0, todo: by.get('todo') ?? 0 };
      const total = by.get('total');
      if (total !== undefined) summary.total = total;
      current = undefined;
      continue;
    }
    if (/^No tests found/.test(l)) { noTests = true; continue; }
    const bullet = current ? /^ {2}● (.+)$/.exec(l) : null;
    if (bullet && current) {
      const title = (bullet[1] ?? '').trim();
      if (title === 'Console') continue;
      if (title === 'Test suite failed to run') { current.didNotRun = true; continue; }
      const parts = title.split(' › ');
      current.failures.push({ file: current.file, suite: parts.slice(0, -1), name: parts[parts.length - 1] ?? title, status: 'failed', line: i + 1 });
    }
  }
  if (files.length === 0 && !summary && !noTests) return null;

  const counts: FileCounts[] = [];
  for (const f of files) {
    const named = f.hadTree ? f.treeTests : f.failures;
    for (const t of named) c.add(t);
    const fc: FileCounts = { file: f.file, passed: 0, failed: 0, skipped: 0, todo: 0 };
    for (const t of named) fc[t.status]++;
    if (!f.hadTree && !f.didNotRun) fc.partial = true;
    if (f.didNotRun) fc.didNotRun = true;
    counts.push(fc);
  }
  c.tests.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const notRun = files.filter(f => f.didNotRun).map(f => f.file);
  if (notRun.length > 0) c.note(`jest could not run ${notRun.slice(0, 5).join(', ')}${notRun.length > 5 ? ', …' : ''} (Test suite failed to run): their tests are not counted.`);
  if (noTests) c.note('jest found no tests.');
  if (!summary && files.length > 0) c.note('The log has no "Tests:" summary line: it may be cut short.');
  const listsEveryTest = files.every(f => f.hadTree || f.didNotRun);
  return finish(c, { format: 'jest', listsEveryTest, ...(listsEveryTest ? {} : { files: counts }), ...(summary ? { summary } : {}) });
}

/** Reads the verbose tree right under a PASS/FAIL line (up to the first blank line); returns the next line's index. */
function readTree(lines: string[], from: number, f: JestFile): number {
  const stack: Array<{ indent: number; name: string }> = [];
  let i = from;
  for (; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') break;
    const indent = indentOf(l);
    if (indent < 2 || l.startsWith('● ', indent)) break;
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const item = treeLine(l.slice(indent));
    if ('suite' in item) { stack.push({ indent, name: item.suite }); continue; }
    f.hadTree = true;
    const t: LoggedTest = { file: f.file, suite: stack.map(s => s.name), name: item.name, status: item.status, line: i + 1 };
    if (item.ms !== undefined) t.durationMs = item.ms;
    f.treeTests.push(t);
  }
  return i;
}
