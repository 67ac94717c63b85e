/** What every reader shares: collecting tests within the bounds, then counting them and checking the runner's summary. */
import {
  MAX_TESTS, type FileCounts, type LogFormat, type LoggedTest, type ParsedLog, type RunnerSummary, type StatusCounts,
} from './types';

const MAX_NOTES = 40;

/** A runner's summary numbers as a reader found them; a number it does not print stays undefined. */
export interface SummaryCounts {
  line?: number;
  passed?: number;
  failed?: number;
  skipped?: number;
  todo?: number;
  total?: number;
}

/** Tests and notes of one log, within MAX_TESTS and a bounded number of notes. */
export class Collector {
  readonly tests: LoggedTest[] = [];
  readonly notes: string[] = [];
  private full = false;
  private dropped = 0;

  /** Adds a test; false once MAX_TESTS tests are held (the reader may stop). */
  add(t: LoggedTest): boolean {
    if (this.tests.length >= MAX_TESTS) {
      if (!this.full) this.note(`Only the first ${MAX_TESTS.toLocaleString('en-US')} tests were read: the log names more.`);
      this.full = true;
      return false;
    }
    this.tests.push(t);
    return true;
  }

  get isFull(): boolean { return this.full; }

  note(text: string): void {
    if (this.notes.includes(text)) return;
    if (this.notes.length < MAX_NOTES) this.notes.push(text);
    else this.dropped++;
  }

  allNotes(): string[] {
    return this.dropped > 0 ? [...this.notes, `… and ${this.dropped} more notes.`] : [...this.notes];
  }
}

export interface Draft {
  format: LogFormat;
  /** Default true. False: the log names only some tests (failures); totals come from `files` or the summary. */
  listsEveryTest?: boolean;
  /** Per-file counts the reader worked out itself (from the reporter's per-file lines); they replace counting by file. */
  files?: FileCounts[];
  /** Default true. False: `files` leaves out some of the run's files (vitest's minimal reporter skips passing ones). */
  filesCoverRun?: boolean;
  summary?: SummaryCounts;
  /** Test files the runner could not load, as the log names them. */
  filesNotRun?: string[];
  /** The reporter prints todo tests like skipped ones: the summary's skipped and todo are compared as one number. */
  todoShownAsSkipped?: boolean;
}

export function countStatuses(tests: Iterable<{ status: LoggedTest['status'] }>): StatusCounts {
  const c: StatusCounts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for (const t of tests) c[t.status]++;
  return c;
}

function sumFiles(files: FileCounts[]): StatusCounts {
  const c: StatusCounts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for (const f of files) { c.passed += f.passed; c.failed += f.failed; c.skipped += f.skipped; c.todo += f.todo; }
  return c;
}

function byFile(tests: LoggedTest[]): FileCounts[] {
  const files = new Map<string, FileCounts>();
  for (const t of tests) {
    if (t.file === undefined) continue;
    let f = files.get(t.file);
    if (!f) files.set(t.file, f = { file: t.file, passed: 0, failed: 0, skipped: 0, todo: 0 });
    f[t.status]++;
  }
  return [...files.values()];
}

const total = (c: StatusCounts): number => c.passed + c.failed + c.skipped + c.todo;

function compare(s: SummaryCounts, got: StatusCounts, onlyFailed: boolean, todoAsSkipped: boolean): RunnerSummary {
  const out: RunnerSummary = { ...s, disagreements: [] };
  let compared = 0;
  const check = (label: string, want: number | undefined, have: number): void => {
    if (want === undefined) return;
    compared++;
    if (want !== have) out.disagreements.push(`the runner's summary says ${want} ${label}; ${have} counted here`);
  };
  check('failed', s.failed, got.failed);
  if (!onlyFailed) {
    check('passed', s.passed, got.passed);
    if (todoAsSkipped && (s.skipped !== undefined || s.todo !== undefined)) {
      check('skipped or todo', (s.skipped ?? 0) + (s.todo ?? 0), got.skipped + got.todo);
    } else {
      check('skipped', s.skipped, got.skipped);
      check('todo', s.todo, got.todo);
    }
    check('in total', s.total, total(got));
  }
  if (compared > 0) out.agrees = out.disagreements.length === 0;
  return out;
}

/** Counts, files and the summary check for what a reader collected. */
export function finish(c: Collector, d: Draft): ParsedLog {
  const tests = c.tests;
  const counted = countStatuses(tests);
  const listsEveryTest = (d.listsEveryTest ?? true) && !c.isFull;
  const s = d.summary;
  let files: FileCounts[];
  if (d.files) {
    files = d.files;
  } else {
    files = byFile(tests);
    const noFile = tests.filter(t => t.file === undefined).length;
    if (noFile > 0 && noFile === tests.length) c.note('The log does not name the tests\' files.');
    else if (noFile > 0) c.note(`${noFile} of ${tests.length} tests do not name their file in this log: per-file counts cover the others.`);
    if (noFile > 0 || !listsEveryTest) for (const f of files) f.partial = true;
  }
  for (const file of d.filesNotRun ?? []) {
    const known = files.find(f => f.file === file);
    if (known) known.didNotRun = true;
    else files.push({ file, passed: 0, failed: 0, skipped: 0, todo: 0, didNotRun: true });
  }
  let totals = counted;
  let summary: RunnerSummary | undefined;
  if (listsEveryTest) {
    if (s) summary = compare(s, counted, false, d.todoShownAsSkipped ?? false);
  } else if (d.files && d.files.every(f => !f.partial) && (d.filesCoverRun ?? true)) {
    totals = sumFiles(d.files);
    c.note('The reporter does not name every test: totals are the sums of its per-file counts.');
    if (s) summary = compare(s, totals, false, d.todoShownAsSkipped ?? false);
  } else if (s && (s.passed !== undefined || s.failed !== undefined)) {
    totals = { passed: s.passed ?? counted.passed, failed: s.failed ?? counted.failed, skipped: s.skipped ?? counted.skipped, todo: s.todo ?? counted.todo };
    c.note('The log does not name every test (a reporter that names only failures, or a log cut short): totals are the runner\'s own summary where it gives a number; only failures are compared with the tests named here.');
    summary = compare(s, counted, true, false);
  } else {
    c.note('The log does not name every test and has no summary: totals count only the tests it names.');
  }
  if (summary?.agrees === false) c.note(`The runner's summary disagrees with the tests counted: ${summary.disagreements.join('; ')}.`);
  if (tests.length === 0 && total(totals) === 0) c.note('The log names no tests: the run ran none, or the log stops before any.');
  return { ok: true, format: d.format, tests, listsEveryTest, files, totals, ...(summary ? { summary } : {}), notes: c.allNotes() };
}
