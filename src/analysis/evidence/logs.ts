import { type TreeReader } from '../../core/tree-read';
import { incidentReason } from './test-cases';
import { type TestInventory, type TestRef } from './test-inventory';
import { parseTestLog } from './test-logs/detect';
import { type LoggedTest, type ParsedLog, type TestStatus } from './test-logs/types';

/**
 * The run's test logs (the manifest's `testLogs`): each parsed (or said why not: a log that cannot be parsed is never
 * counted as zero), with passed / failed / skipped per file, and every incident test: how it ended in the log, or that
 * it is not in any log.
 */

export interface IncidentInLog {
  /** The test as the log names it ("file > suite > name"), or as the code names it when it is not in the log. */
  name: string;
  status: TestStatus | 'not in the log';
  /** The log line where it appears. */
  logLine?: number;
  /** The test in the run's code it is, when found. */
  test?: TestRef;
}

export interface LogEvidence {
  file: string;
  ok: boolean;
  reason?: string;
  format?: string;
  totals?: { passed: number; failed: number; skipped: number; todo: number };
  files?: Array<{ file: string; passed: number; failed: number; skipped: number }>;
  incidents: IncidentInLog[];
  notes: string[];
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;

function fullOf(t: LoggedTest): string {
  return [...t.suite, t.name].join(' > ');
}

/** The run test a logged test is: same full name, and the same file when the log names one. */
function matchTest(t: LoggedTest, tests: TestInventory): TestRef | undefined {
  const full = fullOf(t);
  const sameName = tests.run.filter(r => r.fullName === full || (t.suite.length === 0 && r.fullName.endsWith(` > ${t.name}`)) || r.fullName === t.name);
  const inFile = t.file !== undefined ? sameName.filter(r => t.file !== undefined && (r.file === t.file || r.file.endsWith(`/${t.file}`) || t.file.endsWith(r.file))) : sameName;
  return (inFile[0] ?? (t.file === undefined ? sameName[0] : undefined));
}

function incidentsOf(log: ParsedLog & { ok: true }, tests: TestInventory): IncidentInLog[] {
  const out: IncidentInLog[] = [];
  const seen = new Set<string>();
  for (const t of log.tests) {
    const test = matchTest(t, tests);
    const flagged = (test !== undefined && tests.run.find(r => r.file === test.file && r.line === test.line)?.incident !== undefined)
      || incidentReason({ file: t.file ?? '', fullName: fullOf(t) }) !== undefined;
    if (!flagged) continue;
    if (test) seen.add(`${test.file}:${test.line}`);
    out.push({ name: `${t.file !== undefined ? `${t.file} > ` : ''}${fullOf(t)}`, status: t.status, ...(t.line !== undefined ? { logLine: t.line } : {}), ...(test ? { test } : {}) });
  }
  return out;
}

export async function logEvidence(run: TreeReader, logFiles: readonly string[], tests: TestInventory): Promise<LogEvidence[]> {
  const out: LogEvidence[] = [];
  const inSomeLog = new Set<string>();
  for (const file of logFiles) {
    const read = await run.read(file, { maxBytes: MAX_LOG_BYTES });
    if (!read.ok) {
      out.push({ file, ok: false, reason: read.problem === 'missing' ? 'the manifest names it, but the run has no such file' : `cannot be read (${read.problem})`, incidents: [], notes: [] });
      continue;
    }
    const parsed = parseTestLog(read.bytes.toString('utf8'), { name: file });
    if (!parsed.ok) {
      out.push({ file, ok: false, reason: `cannot be parsed: ${parsed.reason}`, incidents: [], notes: [] });
      continue;
    }
    const incidents = incidentsOf(parsed, tests);
    for (const i of incidents) if (i.test) inSomeLog.add(`${i.test.file}:${i.test.line}`);
    out.push({ file, ok: true, format: parsed.format, totals: parsed.totals, files: parsed.files, incidents, notes: parsed.notes });
  }
  // incident tests of the run's code that no parsed log mentions
  const parsedLogs = out.filter(l => l.ok);
  if (parsedLogs.length > 0) {
    const first = parsedLogs[0] as LogEvidence;
    for (const t of tests.run) {
      if (t.incident === undefined || inSomeLog.has(`${t.file}:${t.line}`)) continue;
      first.incidents.push({ name: `${t.file} > ${t.fullName}`, status: 'not in the log', test: { file: t.file, fullName: t.fullName, line: t.line, endLine: t.endLine } });
    }
  }
  return out;
}
