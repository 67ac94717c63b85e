/**
 * What each captured log in test/fixtures/test-logs must say, worked out from the test project that
 * test/fixtures/test-logs/build.mjs writes (its SPEC) and from how each reporter is documented to show it, not from
 * what the parsers return.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type FileCounts, type LogFormat, type StatusCounts, type TestStatus } from '../../../src/analysis/evidence/test-logs/types';

/** The repository root, from test/unit/evidence or from its bundle under out/test/unit/evidence. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'fixtures', 'test-logs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}

type Outcome = 'pass' | 'fail' | 'skip' | 'todo';
export interface ProjectTest { file: string; suite: string[]; name: string; outcome: Outcome; inSkippedBlock?: true }

const INCIDENT = 'incident-2026-02-duplicate-paragraphs.test.js';
const INCIDENT_SUITE = 'incident 2026-02: duplicate paragraphs after a REST write';
export const GREETING = 'greets Zoë <&> "quotes" \'apos\' — ünïcödé 🎉';

/** Every test of the project, with how its code makes it end. */
export const PROJECT: ProjectTest[] = [
  { file: 'math.test.js', suite: ['math'], name: 'adds two numbers', outcome: 'pass' },
  { file: 'math.test.js', suite: ['math'], name: 'multiplies', outcome: 'pass' },
  { file: 'math.test.js', suite: ['math', 'division'], name: 'divides evenly', outcome: 'pass' },
  { file: 'math.test.js', suite: ['math', 'division'], name: 'throws on a zero divisor', outcome: 'fail' },
  { file: 'math.test.js', suite: ['math'], name: 'rounds half to even', outcome: 'skip' },
  { file: 'math.test.js', suite: ['math'], name: 'handles big integers', outcome: 'todo' },
  { file: INCIDENT, suite: [INCIDENT_SUITE], name: 'keeps a single copy after reload', outcome: 'pass' },
  { file: INCIDENT, suite: [INCIDENT_SUITE], name: 'does not duplicate when writes land in the same tick', outcome: 'fail' },
  { file: 'names.test.js', suite: [], name: GREETING, outcome: 'pass' },
  { file: 'names.test.js', suite: ['legacy importer'], name: 'imports v1 files', outcome: 'skip', inSkippedBlock: true },
  { file: 'names.test.js', suite: ['legacy importer'], name: 'imports v2 files', outcome: 'skip', inSkippedBlock: true },
  { file: 'names.test.js', suite: ['formatting', 'dates', 'iso'], name: 'formats a leap day', outcome: 'pass' },
  { file: 'single.test.js', suite: [], name: 'boots', outcome: 'pass' },
  { file: 'smoke.test.js', suite: ['smoke'], name: 'responds to ping', outcome: 'pass' },
];
const FAILING_FILES = new Set(PROJECT.filter(t => t.outcome === 'fail').map(t => t.file));

export interface Expected { file?: string; suite: string[]; name: string; status: TestStatus }

/** How one reporter shows the project. */
export interface Fixture {
  log: string;
  format: LogFormat;
  /** The file the log names for a test (undefined: none). */
  file: (t: ProjectTest) => string | undefined;
  /** What a todo test becomes. */
  todo: TestStatus;
  /**
   * How the describe.skip block shows: its tests one by one, one skipped "test" named after the block (node:test's
   * spec and junit reporters cannot tell it from a test), or not at all (node:test's TAP marks it a suite).
   */
  skippedBlock: 'tests' | 'one-test' | 'absent';
  /** Which tests the log names: all, only failures (jest's default), or those of files with a failure (vitest's default). */
  listed: 'all' | 'failed' | 'failing-files';
  /** How names come out: as written; describe titles and name joined with spaces (mocha tap, jest-junit); describe titles joined into one (mocha xunit). */
  names: 'structured' | 'joined' | 'suite-joined';
  /** Listed tests that did not fail lose their describe blocks (vitest 4's default reporter). */
  suitesOnlyForFailures?: true;
  /**
   * Where per-file counts come from: the tests named (default); the reporter's own line per file, for every file
   * (vitest's default) or only for files with a failure (vitest's minimal); a PASS/FAIL line per file with only
   * failures named (jest's default).
   */
  files?: 'tests' | 'every-file-line' | 'failing-file-lines' | 'pass-fail-lines';
  /** The runner's numbers, as its own summary (or per-file lines) state them. */
  totals: StatusCounts;
  /** Whether the summary agrees with the tests the log names (undefined: no summary). */
  agrees: boolean | undefined;
  greeting?: string;
}

const relative = (t: ProjectTest): string => t.file;
const under = (dir: string) => (t: ProjectTest): string => `/project/${dir}/${t.file}`;
const none = (): undefined => undefined;
const RUN_TOTALS: StatusCounts = { passed: 8, failed: 2, skipped: 3, todo: 1 };
const vitestText = { format: 'vitest', file: relative, todo: 'todo', skippedBlock: 'tests', listed: 'all', names: 'structured', totals: RUN_TOTALS, agrees: true } as const;

export const FIXTURES: Fixture[] = [
  // node:test 20: the spec reporter names files only in its "failing tests" section
  { log: 'node-spec.log', format: 'node-spec', file: t => (t.outcome === 'fail' ? t.file : undefined), todo: 'todo', skippedBlock: 'one-test',
    listed: 'all', names: 'structured', totals: { passed: 8, failed: 2, skipped: 2, todo: 1 }, agrees: false },
  // TAP: node:test gives a location only to what failed, and a test takes its nearest failed suite's
  { log: 'node-tap.log', format: 'tap', file: t => (FAILING_FILES.has(t.file) ? `/project/node/${t.file}` : undefined), todo: 'todo',
    skippedBlock: 'absent', listed: 'all', names: 'structured', totals: { passed: 8, failed: 2, skipped: 1, todo: 1 }, agrees: true },
  // node 20's junit reporter escapes the name's quotes twice: the XML holds &amp;quot;, which reads as "&quot;"
  { log: 'node-junit.xml', format: 'junit', file: none, todo: 'todo', skippedBlock: 'one-test', listed: 'all', names: 'structured',
    totals: { passed: 8, failed: 2, skipped: 2, todo: 1 }, agrees: false, greeting: 'greets Zoë <&> &quot;quotes&quot; \'apos\' — ünïcödé 🎉' },
  { log: 'vitest-verbose.log', ...vitestText },
  { log: 'vitest-verbose-color.log', ...vitestText },
  { log: 'vitest-npm-test.log', ...vitestText },
  { log: 'vitest-tree.log', ...vitestText },
  { log: 'vitest-default.log', ...vitestText, listed: 'failing-files', files: 'every-file-line', suitesOnlyForFailures: true },
  { log: 'vitest-minimal.log', ...vitestText, listed: 'failed', files: 'failing-file-lines' },
  { log: 'vitest-dot.log', ...vitestText, listed: 'failed' },
  // before vitest 4, todo tests show as skipped (↓); the summary still counts them as todo
  { log: 'vitest3-verbose.log', ...vitestText, todo: 'skipped', totals: { passed: 8, failed: 2, skipped: 4, todo: 0 } },
  { log: 'vitest3-default.log', ...vitestText, todo: 'skipped', listed: 'failing-files', files: 'every-file-line',
    totals: { passed: 8, failed: 2, skipped: 4, todo: 0 } },
  { log: 'vitest-json.json', ...vitestText, format: 'vitest-json', file: under('vitest') },
  { log: 'vitest-junit.xml', ...vitestText, format: 'junit', todo: 'skipped', totals: { passed: 8, failed: 2, skipped: 4, todo: 0 } },
  { log: 'vitest-tap.log', ...vitestText, format: 'tap', agrees: undefined },
  { log: 'vitest-tap-flat.log', ...vitestText, format: 'tap', agrees: undefined },
  { log: 'jest-default.log', ...vitestText, format: 'jest', listed: 'failed', files: 'pass-fail-lines' },
  { log: 'jest-default-color.log', ...vitestText, format: 'jest', listed: 'failed', files: 'pass-fail-lines' },
  // failures again under "Summary of all failing tests": counted once
  { log: 'jest-summary.log', ...vitestText, format: 'jest', listed: 'failed', files: 'pass-fail-lines' },
  { log: 'jest-verbose.log', ...vitestText, format: 'jest' },
  { log: 'jest-json.json', ...vitestText, format: 'jest-json', file: under('jest') },
  // jest-junit 17: a todo test is a testcase with no <skipped/>, and tests="13" leaves it out
  { log: 'jest-junit.xml', format: 'junit', file: none, todo: 'passed', skippedBlock: 'tests', listed: 'all', names: 'joined',
    totals: { passed: 9, failed: 2, skipped: 3, todo: 0 }, agrees: false },
  { log: 'mocha-spec.log', format: 'mocha-spec', file: none, todo: 'skipped', skippedBlock: 'tests', listed: 'all', names: 'structured',
    totals: { passed: 8, failed: 2, skipped: 4, todo: 0 }, agrees: true },
  { log: 'mocha-tap.log', format: 'tap', file: none, todo: 'skipped', skippedBlock: 'tests', listed: 'all', names: 'joined',
    totals: { passed: 8, failed: 2, skipped: 4, todo: 0 }, agrees: true },
  { log: 'mocha-xunit.xml', format: 'junit', file: under('mocha'), todo: 'skipped', skippedBlock: 'tests', listed: 'all', names: 'suite-joined',
    totals: { passed: 8, failed: 2, skipped: 4, todo: 0 }, agrees: true },
];

const STATUS: Record<Exclude<Outcome, 'todo'>, TestStatus> = { pass: 'passed', fail: 'failed', skip: 'skipped' };

/** The tests `f`'s log must name, each with the file, suite, name and status it must have there. */
export function expectedTests(f: Fixture): Expected[] {
  const out: Expected[] = [];
  let blockShown = false;
  for (const t of PROJECT) {
    if (f.listed === 'failed' && t.outcome !== 'fail') continue;
    if (f.listed === 'failing-files' && !FAILING_FILES.has(t.file)) continue;
    const status = t.outcome === 'todo' ? f.todo : STATUS[t.outcome];
    if (t.inSkippedBlock && f.skippedBlock !== 'tests') {
      if (f.skippedBlock === 'one-test' && !blockShown) out.push({ suite: [], name: t.suite[0] ?? '', status: 'skipped' });
      blockShown = true;
      continue;
    }
    let suite = t.suite;
    let name = t.name === GREETING && f.greeting !== undefined ? f.greeting : t.name;
    if (f.names === 'joined') { name = [...suite, name].join(' '); suite = []; }
    if (f.names === 'suite-joined' && suite.length > 0) suite = [suite.join(' ')];
    if (f.suitesOnlyForFailures && t.outcome !== 'fail') suite = [];
    const file = f.file(t);
    out.push({ ...(file !== undefined ? { file } : {}), suite, name, status });
  }
  return out;
}

/** Per-file counts `f`'s result must hold. */
export function expectedFiles(f: Fixture): FileCounts[] {
  const counts = new Map<string, FileCounts>();
  const bump = (file: string, status: TestStatus | undefined, partial: boolean): void => {
    let c = counts.get(file);
    if (!c) counts.set(file, c = { file, passed: 0, failed: 0, skipped: 0, todo: 0, ...(partial ? { partial: true as const } : {}) });
    if (status) c[status]++;
  };
  if (f.files === 'every-file-line' || f.files === 'failing-file-lines') {
    // vitest counts a file on its own line ("(6 tests | 1 failed | 1 skipped | 1 todo)")
    for (const t of PROJECT) {
      if (f.files === 'failing-file-lines' && !FAILING_FILES.has(t.file)) continue;
      bump(f.file(t) ?? t.file, t.outcome === 'todo' ? f.todo : STATUS[t.outcome], false);
    }
    return [...counts.values()];
  }
  const tests = expectedTests(f);
  const partial = f.listed !== 'all' || tests.some(t => t.file === undefined);
  if (f.files === 'pass-fail-lines') for (const t of PROJECT) bump(f.file(t) ?? t.file, undefined, true);
  for (const t of tests) if (t.file !== undefined) bump(t.file, t.status, partial);
  return [...counts.values()];
}
