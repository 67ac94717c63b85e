/**
 * node:test's spec reporter (nodejs.org/api/test.html, "Test reporters"; the default on a terminal): "▶ describe"
 * opens a suite; "✔ test (1.2ms)", "✖ test (3ms)", "﹣ test (0.1ms) # SKIP", "✔ test # TODO" are tests, two spaces
 * deeper per level; a suite ends with a line of its own name ("✔ describe (5ms)", or "▶ describe (5ms)" in older
 * versions). Then "ℹ tests 12", "ℹ pass 8", … and "✖ failing tests:" with "test at file:line:col" per failure, the
 * only place the reporter names files.
 */
import { Collector, finish, type SummaryCounts } from './result';
import { cleanFile, trailingDuration } from './text';
import { type LoggedTest, type ParsedLog, type TestStatus } from './types';

const LINE = /^( *)([▶✔✖﹣]) (.+)$/;

export function parseNodeSpec(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const stack: Array<{ indent: number; name: string; failed: boolean }> = [];
  const counts = new Map<string, number>();
  let summaryLine: number | undefined;
  let failingSection = -1;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const info = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d{1,12})(?:\.\d+)?\s*$/.exec(l);
    if (info) { counts.set(info[1] ?? '', Number(info[2])); if (info[1] === 'tests') summaryLine = i + 1; continue; }
    if (/^✖ failing tests:\s*$/.test(l)) { failingSection = i + 1; break; }
    const m = LINE.exec(l);
    if (!m) continue;
    const indent = (m[1] ?? '').length;
    const icon = m[2] ?? '';
    let body = m[3] ?? '';
    let directive: 'skip' | 'todo' | undefined;
    const dir = /\s#\s*(SKIP|TODO)\b.*$/i.exec(body);
    if (dir) { directive = (dir[1] ?? '').toUpperCase() === 'SKIP' ? 'skip' : 'todo'; body = body.slice(0, dir.index); }
    const { rest: name, ms } = trailingDuration(body.trim());
    const top = stack[stack.length - 1];
    // the line that ends the suite on top: not a test
    if (top && top.indent === indent && top.name === name && (icon !== '▶' || ms !== undefined)) {
      stack.pop();
      if (icon === '✖' && !top.failed) c.note(`Suite "${name}" failed outside its tests (a hook, or a file that did not load).`);
      continue;
    }
    const expected = top ? top.indent + 2 : 0;
    if (indent > expected) continue; // deeper than a child of the open suite: error output
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    if (icon === '▶') { stack.push({ indent, name, failed: false }); continue; }
    const status: TestStatus = directive === 'skip' || icon === '﹣' ? 'skipped' : directive === 'todo' ? 'todo' : icon === '✖' ? 'failed' : 'passed';
    if (status === 'failed') for (const s of stack) s.failed = true;
    const t: LoggedTest = { suite: stack.map(s => s.name), name, status, line: i + 1 };
    if (ms !== undefined) t.durationMs = ms;
    if (!c.add(t)) break;
  }
  if (c.tests.length === 0 && counts.size === 0) return null;
  if (failingSection >= 0) nameFailingFiles(lines, failingSection, c.tests);

  let summary: SummaryCounts | undefined;
  if (counts.has('tests')) {
    summary = { total: counts.get('tests') ?? 0, passed: counts.get('pass') ?? 0,
      failed: (counts.get('fail') ?? 0) + (counts.get('cancelled') ?? 0), skipped: counts.get('skipped') ?? 0, todo: counts.get('todo') ?? 0 };
    if (summaryLine !== undefined) summary.line = summaryLine;
    const skipped = c.tests.filter(t => t.status === 'skipped').length;
    if (skipped > (summary.skipped ?? 0)) c.note('node:test\'s spec output prints a skipped describe block like a skipped test: the skipped tests here may include whole suites.');
  } else if (c.tests.length > 0) {
    c.note('The log has no "ℹ tests" summary: it may be cut short.');
  }
  return finish(c, { format: 'node-spec', ...(summary ? { summary } : {}) });
}

/** "test at math.test.js:16:5" then "✖ throws on a zero divisor (1.1ms)": gives that failed test its file. */
function nameFailingFiles(lines: string[], from: number, tests: LoggedTest[]): void {
  const waiting = new Map<string, LoggedTest[]>();
  for (const t of tests) {
    if (t.status !== 'failed' || t.file !== undefined) continue;
    const list = waiting.get(t.name) ?? [];
    list.push(t);
    waiting.set(t.name, list);
  }
  let file: string | undefined;
  for (let i = from; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const at = /^test at (.+)$/.exec(l);
    if (at) { file = cleanFile(at[1] ?? '', true); continue; }
    const m = /^✖ (.+)$/.exec(l);
    if (!m || file === undefined) continue;
    const name = trailingDuration((m[1] ?? '').replace(/\s#\s*(?:SKIP|TODO)\b.*$/i, '').trim()).rest;
    const t = waiting.get(name)?.shift();
    if (t) t.file = file;
    file = undefined;
  }
}
