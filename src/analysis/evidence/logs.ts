import { type TreeReader } from '../../core/tree-read';
import { incidentReason } from './test-cases';
import { type TestInventory, type TestRef } from './test-inventory';
import { parseTestLogBytes } from './test-logs/detect';
import { findLoggedTests } from './test-logs/match';
import { type FileCounts, type LoggedTest, type ParsedLog, type StatusCounts, type TestStatus } from './test-logs/types';

/**
 * The run's test logs (the manifest's `testLogs`): each parsed (or said why not: a log that cannot be parsed is never
 * counted as zero), with passed / failed / skipped per file, and every incident test of the run's code: how it ended
 * in the log, or that the log does not name it.
 */

export interface IncidentInLog {
  /** The test as the code names it ("file > suite > name"), or as the log does for a test the code no longer has. */
  name: string;
  /** How it ended the last time the log names it; "not in the log" / "not named" (a reporter that names only failures). */
  status: TestStatus | 'not in the log' | 'not named by this reporter';
  /** The log line where it appears. */
  logLine?: number;
  /** The test in the run's code, when it is one. */
  test?: TestRef;
  /** The log names no file for it, so only its title matched. */
  fileUnknown?: boolean;
}

export interface LogEvidence {
  file: string;
  ok: boolean;
  reason?: string;
  format?: string;
  totals?: StatusCounts;
  files?: FileCounts[];
  /** Whether the log names every test the runner counted (default jest and vitest reporters name only failures). */
  listsEveryTest?: boolean;
  /** The runner's own summary line, and whether it agrees with the tests counted. */
  summary?: { line?: number; agrees?: boolean; disagreements: string[] };
  incidents: IncidentInLog[];
  notes: string[];
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;
const fullOf = (t: LoggedTest) => [...t.suite, t.name].join(' > ');

function incidentsOf(log: ParsedLog & { ok: true }, tests: TestInventory): IncidentInLog[] {
  const out: IncidentInLog[] = [];
  const used = new Set<LoggedTest>();
  for (const t of tests.run) {
    if (t.incident === undefined) continue;
    const found = findLoggedTests(log.tests, { file: t.file, suite: t.suite, name: t.name });
    const last = found[found.length - 1];
    const test: TestRef = { file: t.file, fullName: t.fullName, line: t.line, endLine: t.endLine };
    for (const m of found) used.add(m.test);
    if (last === undefined) {
      out.push({ name: `${t.file} > ${t.fullName}`, status: log.listsEveryTest ? 'not in the log' : 'not named by this reporter', test });
    } else {
      out.push({ name: `${t.file} > ${t.fullName}`, status: last.test.status, test, ...(last.test.line !== undefined ? { logLine: last.test.line } : {}),
        ...(last.fileUnknown ? { fileUnknown: true } : {}) });
    }
  }
  // incident tests the log names that the run's code does not have (deleted, or from another tree)
  for (const t of log.tests) {
    if (used.has(t) || incidentReason({ file: t.file ?? '', fullName: fullOf(t) }) === undefined) continue;
    out.push({ name: `${t.file !== undefined ? `${t.file} > ` : ''}${fullOf(t)}`, status: t.status, ...(t.line !== undefined ? { logLine: t.line } : {}) });
  }
  return out;
}

export async function logEvidence(run: TreeReader, logFiles: readonly string[], tests: TestInventory): Promise<LogEvidence[]> {
  const out: LogEvidence[] = [];
  for (const file of logFiles) {
    const read = await run.read(file, { maxBytes: MAX_LOG_BYTES });
    if (!read.ok) {
      out.push({ file, ok: false, reason: read.problem === 'missing' ? 'the manifest names it, but the run has no such file' : `cannot be read (${read.problem})`, incidents: [], notes: [] });
      continue;
    }
    const parsed = parseTestLogBytes(read.bytes, { name: file });
    if (!parsed.ok) {
      out.push({ file, ok: false, reason: `cannot be parsed: ${parsed.reason}`, incidents: [], notes: [] });
      continue;
    }
    out.push({
      file, ok: true, format: parsed.format, totals: parsed.totals, files: parsed.files, listsEveryTest: parsed.listsEveryTest,
      ...(parsed.summary ? { summary: { ...(parsed.summary.line !== undefined ? { line: parsed.summary.line } : {}), ...(parsed.summary.agrees !== undefined ? { agrees: parsed.summary.agrees } : {}), disagreements: parsed.summary.disagreements } } : {}),
      incidents: incidentsOf(parsed, tests), notes: parsed.notes,
    });
  }
  return out;
}
