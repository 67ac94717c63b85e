/**
 * parseTestLog: which runner's reporter wrote a log, told by its content (the file name only adds weight), and what
 * that reader makes of it. Logs may be a whole build transcript with the test run inside (`npm test` output).
 */
import { parseJest } from './jest';
import { parseJsonReport } from './json-reporters';
import { findJunitStart, parseJunit } from './junit';
import { parseMochaSpec } from './mocha-spec';
import { parseNodeSpec } from './node-spec';
import { parseTap } from './tap';
import { decodeLogBytes, looksBinary, MAX_LINE_CHARS, preview, toLines } from './text';
import { MAX_LOG_CHARS, type ParsedLog } from './types';
import { parseVitest } from './vitest';

type Reader = 'tap' | 'junit' | 'json' | 'node-spec' | 'vitest' | 'jest' | 'mocha-spec';

/** Patterns whose lines point at a reader: weight per line, and the most one pattern may add. */
const SIGNS: ReadonlyArray<{ reader: Reader; re: RegExp; weight: number; cap: number }> = [
  { reader: 'tap', re: /^TAP version 1[34]\s*$/, weight: 50, cap: 50 },
  { reader: 'tap', re: /^(?: {4})*(?:not )?ok \d+\b/, weight: 1, cap: 20 },
  { reader: 'tap', re: /^1\.\.\d+/, weight: 5, cap: 5 },
  { reader: 'vitest', re: /^ ?RUN {1,2}v\d/, weight: 30, cap: 30 },
  { reader: 'vitest', re: /^ ?Test Files {1,2}\d/, weight: 30, cap: 30 },
  { reader: 'vitest', re: /^\s*No test files found, exiting with code/, weight: 30, cap: 30 },
  { reader: 'vitest', re: /^ [✓×↓□] \S+\.[cm]?[jt]sx? > /, weight: 2, cap: 40 },
  { reader: 'vitest', re: /^ [✓❯×↓] \S+\.[cm]?[jt]sx? +\(\d+ tests?/, weight: 2, cap: 40 },
  { reader: 'jest', re: /^ ?(?:PASS|FAIL) +\S/, weight: 5, cap: 30 },
  { reader: 'jest', re: /^Tests: +\d/, weight: 30, cap: 30 },
  { reader: 'jest', re: /^Test Suites: +\d/, weight: 20, cap: 20 },
  { reader: 'jest', re: /^No tests found, exiting with code/, weight: 30, cap: 30 },
  { reader: 'node-spec', re: /^ℹ (?:tests|pass|fail) \d/, weight: 20, cap: 60 },
  { reader: 'node-spec', re: /^ *[✔✖﹣] .*\(\d+(?:\.\d+)?ms\)/, weight: 1, cap: 20 },
  { reader: 'node-spec', re: /^ *▶ \S/, weight: 1, cap: 10 },
  { reader: 'mocha-spec', re: /^ +\d+ passing \(\d/, weight: 40, cap: 40 },
  { reader: 'mocha-spec', re: /^ +\d+ (?:failing|pending)\s*$/, weight: 5, cap: 10 },
  { reader: 'mocha-spec', re: /^ +[✔√] \S/, weight: 1, cap: 10 },
];

const NAMES: Readonly<Record<Reader, string>> = {
  tap: 'TAP', junit: 'JUnit XML', json: 'a jest/vitest JSON report', 'node-spec': 'node:test spec output',
  vitest: 'vitest output', jest: 'jest output', 'mocha-spec': 'mocha spec output',
};

function scores(text: string, lines: string[], name: string | undefined): Map<Reader, number> {
  const score = new Map<Reader, number>();
  const add = (r: Reader, n: number): void => { score.set(r, (score.get(r) ?? 0) + n); };
  const added = new Map<RegExp, number>();
  for (const l of lines) {
    for (const s of SIGNS) {
      const so = added.get(s.re) ?? 0;
      if (so >= s.cap || !s.re.test(l)) continue;
      added.set(s.re, so + s.weight);
      add(s.reader, s.weight);
    }
  }
  const start = text.trimStart();
  if (start.startsWith('{') && text.includes('"testResults"')) add('json', 100);
  else if (/^\{"num[A-Z]/m.test(text) && text.includes('"testResults"')) add('json', 60);
  const xml = findJunitStart(text);
  if (xml >= 0) add('junit', start.startsWith('<') ? 100 : 40);
  const lower = (name ?? '').toLowerCase();
  if (lower.endsWith('.xml')) add('junit', 200);
  if (lower.endsWith('.json')) add('json', 200);
  if (lower.endsWith('.tap')) add('tap', 200);
  return score;
}

function read(reader: Reader, text: string, lines: string[]): ParsedLog | null {
  switch (reader) {
    case 'tap': return parseTap(lines);
    case 'junit': return parseJunit(text);
    case 'json': return parseJsonReport(text);
    case 'node-spec': return parseNodeSpec(lines);
    case 'vitest': return parseVitest(lines);
    case 'jest': return parseJest(lines);
    case 'mocha-spec': return parseMochaSpec(lines);
  }
}

/**
 * The tests a runner's log names, and how each ended. Never throws for any input: a log that is not one of the
 * known formats, or cannot be read, is `{ ok: false, reason }`; a known runner's log of a run with no tests is ok
 * with zero tests and a note.
 */
export function parseTestLog(text: string, hint?: { name?: string }): ParsedLog {
  if (text.length > MAX_LOG_CHARS) {
    return { ok: false, reason: `The log is larger than ${MAX_LOG_CHARS / (1024 * 1024)} MB (${text.length.toLocaleString('en-US')} characters): not read.` };
  }
  if (text.trim() === '') return { ok: false, reason: 'The log is empty.' };
  if (looksBinary(text)) return { ok: false, reason: 'The log looks like binary data, not text: not read.' };
  const raw = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { lines, cut } = toLines(raw);
  const ranked = [...scores(raw, lines, hint?.name).entries()].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
  let failure: ParsedLog | undefined;
  for (const [reader] of ranked) {
    const r = read(reader, raw, lines);
    if (r === null) continue;
    if (!r.ok) { failure ??= r; continue; }
    if (cut > 0 && reader !== 'json' && reader !== 'junit') r.notes.push(`${cut} lines longer than ${MAX_LINE_CHARS} characters were cut to that length before reading.`);
    return r;
  }
  if (failure) return failure;
  const first = lines.filter(l => l.trim() !== '').slice(0, 3).map(l => `"${preview(l.trim())}"`);
  const tried = Object.values(NAMES);
  return { ok: false, reason: `Not ${tried.slice(0, -1).join(', ')} or ${tried[tried.length - 1] ?? ''}: the first lines look like ${first.join(', ')}.` };
}

/**
 * parseTestLog for a log file's bytes: refused before decoding when larger than 20 MB; UTF-8, or UTF-16 with a BOM
 * or in PowerShell's UTF-16LE (see decodeLogBytes).
 */
export function parseTestLogBytes(bytes: Uint8Array, hint?: { name?: string }): ParsedLog {
  if (bytes.length > MAX_LOG_CHARS) {
    return { ok: false, reason: `The log is larger than ${MAX_LOG_CHARS / (1024 * 1024)} MB (${bytes.length.toLocaleString('en-US')} bytes): not read.` };
  }
  return parseTestLog(decodeLogBytes(bytes), hint);
}
