/**
 * mocha's spec reporter (mochajs.org, "Reporters: Spec"; its default): describe titles and tests indented two
 * spaces per level, "✔ test (12ms)" passed ("√" on Windows), "N) test" failed (numbered from 1), "- test" pending
 * (skipped; a test without a function is pending too). Then "  8 passing (10ms)", "  4 pending", "  2 failing" and
 * the failures' details, which are not read. The reporter does not name files.
 */
import { Collector, finish, type SummaryCounts } from './result';
import { indentOf, trailingDuration } from './text';
import { type LoggedTest, type ParsedLog, type TestStatus } from './types';

export function parseMochaSpec(lines: string[]): ParsedLog | null {
  const c = new Collector();
  const stack: Array<{ indent: number; name: string }> = [];
  let summary: SummaryCounts | undefined;
  let nextFailure = 1;
  let sawPass = false;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const passing = /^ +(\d{1,12}) passing(?: \((?:\d+(?:\.\d+)?\s*[a-z]+)\))?\s*$/.exec(l);
    if (passing) {
      summary = { line: i + 1, passed: Number(passing[1]), failed: 0, skipped: 0 };
      for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
        const more = /^ +(\d{1,12}) (pending|failing)\s*$/.exec(lines[j] ?? '');
        if (more) summary[more[2] === 'pending' ? 'skipped' : 'failed'] = Number(more[1]);
      }
      break;
    }
    const indent = indentOf(l);
    if (indent < 2 || l.trim() === '') continue;
    const content = l.slice(indent);
    let status: TestStatus | undefined;
    let text = '';
    let failNumber: RegExpExecArray | null;
    if (/^[✔✓√] /.test(content)) { status = 'passed'; text = content.slice(2); sawPass = true; }
    else if (content.startsWith('- ')) { status = 'skipped'; text = content.slice(2); }
    else if ((failNumber = /^(\d{1,9})\) /.exec(content)) && Number(failNumber[1]) === nextFailure) {
      status = 'failed'; text = content.slice(failNumber[0].length); nextFailure++;
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    if (status === undefined) { stack.push({ indent, name: content.trim() }); continue; }
    const d = status === 'passed' ? trailingDuration(text.trim()) : { rest: text.trim() };
    const t: LoggedTest = { suite: stack.map(s => s.name), name: d.rest, status, line: i + 1 };
    if (d.ms !== undefined) t.durationMs = d.ms;
    if (!c.add(t)) break;
  }
  if (!summary && !sawPass && nextFailure === 1) return null;
  if (!summary) c.note('The log has no "N passing" summary line: it may be cut short.');
  c.note('mocha shows tests without a function (todo) as pending: they are counted as skipped.');
  return finish(c, { format: 'mocha-spec', ...(summary ? { summary } : {}) });
}
