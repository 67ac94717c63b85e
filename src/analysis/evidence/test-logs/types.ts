/**
 * What a test run's log says about its tests, read from the text a runner printed (or the report file it wrote).
 * Logs come from the reviewed repository: untrusted, read and never executed.
 */

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'todo';

export interface LoggedTest {
  /** The test file as the log names it (relative or absolute, as printed); absent when the log does not say. */
  file?: string;
  /** describe blocks (suites), outermost first. */
  suite: string[];
  name: string;
  status: TestStatus;
  durationMs?: number;
  /** Line in the log (1-based) where the test appears; absent for JSON reports. */
  line?: number;
}

export type LogFormat = 'tap' | 'junit' | 'node-spec' | 'vitest' | 'vitest-json' | 'jest' | 'jest-json' | 'mocha-spec';

export interface StatusCounts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
}

export interface FileCounts extends StatusCounts {
  file: string;
  /** The log names only some of this file's tests (only failures, or some tests name no file): these are their counts. */
  partial?: true;
  /** The runner could not run the file (it failed to load): none of its tests ran or are counted. */
  didNotRun?: true;
}

/** The runner's own summary ("Tests  2 failed | 8 passed (10)", "# pass 8", tests="14"), as printed. */
export interface RunnerSummary {
  /** Line in the log where the summary is (1-based), when it is on one line. */
  line?: number;
  passed?: number;
  failed?: number;
  skipped?: number;
  todo?: number;
  /** Every test the runner counted, skipped ones included. */
  total?: number;
  /** Whether every number the summary gives matches what was counted here (undefined: nothing to compare). */
  agrees?: boolean;
  /** Each number that does not match, in words. */
  disagreements: string[];
}

export type ParsedLog =
  | {
      ok: true;
      format: LogFormat;
      /** The tests the log names, in log order. */
      tests: LoggedTest[];
      /**
       * Whether the log names every test the run counted. Default reporters of jest and vitest name only failing
       * tests (or only the tests of failing files); totals then come from the runner's summary or per-file lines.
       */
      listsEveryTest: boolean;
      files: FileCounts[];
      totals: StatusCounts;
      summary?: RunnerSummary;
      /** What the reader could not tell, guessed, or found odd, in words. */
      notes: string[];
    }
  | { ok: false; reason: string };

/** At most this many tests are read from one log. */
export const MAX_TESTS = 200_000;
/** Longer logs are refused (the text's length in UTF-16 code units, roughly bytes for a log). */
export const MAX_LOG_CHARS = 20 * 1024 * 1024;
