/**
 * Finding given tests (an incident's regression tests, say) among those a log names, across the ways reporters
 * print them: describe titles apart or joined with spaces, files relative or absolute, or not named at all.
 */
import { type LoggedTest } from './types';

export interface WantedTest {
  /** The test file, relative to the repository ("test/incident-2026-02.test.ts"); optional. */
  file?: string;
  /** describe titles, outermost first; optional. */
  suite?: string[];
  name: string;
}

export interface TestMatch {
  test: LoggedTest;
  /** The log does not name the test's file, so only its title matched. */
  fileUnknown: boolean;
}

const slashes = (p: string): string => p.replace(/\\/g, '/').replace(/^\.\//, '');

/** Whether two printed paths name the same file: equal, or one ends with "/" + the other (absolute and relative). */
export function sameFile(a: string, b: string): boolean {
  const x = slashes(a);
  const y = slashes(b);
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/**
 * The logged tests that are `wanted`: the same name with the same describe titles (when given), or a title that reads
 * the same once describe titles and name are joined with spaces (mocha's TAP and xunit, jest-junit); and, when both
 * name a file, the same file. In log order, so the last match is how the test ended last.
 */
export function findLoggedTests(tests: readonly LoggedTest[], wanted: WantedTest): TestMatch[] {
  const fullWanted = [...(wanted.suite ?? []), wanted.name].join(' ');
  const out: TestMatch[] = [];
  for (const t of tests) {
    // a log without describe titles (vitest 4's default reporter for tests that passed) matches on the name alone
    const sameTitle = t.name === wanted.name
      ? wanted.suite === undefined || t.suite.length === 0 || t.suite.join(' ') === wanted.suite.join(' ')
      : [...t.suite, t.name].join(' ') === fullWanted;
    if (!sameTitle) continue;
    if (wanted.file !== undefined && t.file !== undefined && !sameFile(t.file, wanted.file)) continue;
    out.push({ test: t, fileUnknown: wanted.file !== undefined && t.file === undefined });
  }
  return out;
}

/** The tests of a file (any test whose file is the same file), in log order. */
export function testsOfFile(tests: readonly LoggedTest[], file: string): LoggedTest[] {
  return tests.filter(t => t.file !== undefined && sameFile(t.file, file));
}
