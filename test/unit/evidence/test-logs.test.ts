import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTestLog } from '../../../src/analysis/evidence/test-logs/detect';
import { findLoggedTests, sameFile, testsOfFile } from '../../../src/analysis/evidence/test-logs/match';
import { type FileCounts, type LoggedTest, type ParsedLog } from '../../../src/analysis/evidence/test-logs/types';
import { FIXTURES, PROJECT, expectedFiles, expectedTests, repoRoot, type Expected } from './test-logs-expectations';

const ROOT = repoRoot();
const DIR = path.join(ROOT, 'test', 'fixtures', 'test-logs');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
// eslint-disable-next-line no-control-regex -- colours in the captured logs
const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

type Parsed = Extract<ParsedLog, { ok: true }>;
function ok(r: ParsedLog): Parsed {
  if (!r.ok) assert.fail(`not parsed: ${r.reason}`);
  return r;
}
const key = (t: Expected): string => JSON.stringify([t.file ?? null, t.suite, t.name, t.status]);
const byKey = (a: Expected, b: Expected): number => key(a).localeCompare(key(b));
const shape = (t: LoggedTest): Expected => ({ ...(t.file !== undefined ? { file: t.file } : {}), suite: t.suite, name: t.name, status: t.status });
const byFile = (files: FileCounts[]): FileCounts[] => [...files].sort((a, b) => a.file.localeCompare(b.file));

describe('logs captured from real runners (test/fixtures/test-logs)', () => {
  for (const f of FIXTURES) {
    test(`${f.log}: every test with its status, per-file counts, totals, the summary check`, () => {
      const text = read(f.log);
      const r = ok(parseTestLog(text, { name: f.log }));
      assert.equal(r.format, f.format);
      assert.deepEqual(r.tests.map(shape).sort(byKey), expectedTests(f).sort(byKey));
      assert.equal(r.listsEveryTest, f.listed === 'all');
      assert.deepEqual(byFile(r.files), byFile(expectedFiles(f)));
      assert.deepEqual(r.totals, f.totals);
      assert.equal(r.summary?.agrees, f.agrees, JSON.stringify(r.summary));
      if (f.agrees === false) assert.ok(r.notes.some(n => n.includes('summary disagrees')), r.notes.join('\n'));
      const lines = text.split(/\r?\n/);
      for (const t of r.tests) {
        if (f.log.endsWith('.json')) { assert.equal(t.line, undefined); continue; }
        const at = plain(lines[(t.line ?? 0) - 1] ?? '');
        assert.ok(f.log.endsWith('.xml') ? at.includes('<testcase') : at.includes(t.name), `${t.name}: line ${t.line} is "${at}"`);
      }
    });
  }

  test('the file name is only a hint: each log is recognised from its content alone', () => {
    for (const f of FIXTURES) assert.equal(ok(parseTestLog(read(f.log))).format, f.format, f.log);
  });

  test('durations are read where the reporter prints them', () => {
    const verbose = ok(parseTestLog(read('vitest-verbose.log')));
    assert.ok(verbose.tests.filter(t => t.status === 'passed').every(t => typeof t.durationMs === 'number'));
    assert.ok(verbose.tests.filter(t => t.status === 'skipped').every(t => t.durationMs === undefined));
    const junit = ok(parseTestLog(read('vitest-junit.xml')));
    assert.ok(junit.tests.every(t => typeof t.durationMs === 'number' && t.durationMs >= 0));
  });

  test('a run that found no tests is read as zero tests, with a note', () => {
    for (const [log, format, words] of [['vitest-no-tests.log', 'vitest', 'no test files'], ['jest-no-tests.log', 'jest', 'no tests']] as const) {
      const r = ok(parseTestLog(read(log)));
      assert.equal(r.format, format);
      assert.equal(r.tests.length, 0);
      assert.deepEqual(r.totals, { passed: 0, failed: 0, skipped: 0, todo: 0 });
      assert.ok(r.notes.some(n => n.includes(words)), r.notes.join('\n'));
    }
  });

  test('a test file that does not load is a file that did not run (vitest, jest) or a failed test named by its path (node:test)', () => {
    const brokenFile = { file: 'broken.test.js', passed: 0, failed: 0, skipped: 0, todo: 0, didNotRun: true };
    const vitest = ok(parseTestLog(read('vitest-broken.log')));
    assert.deepEqual(vitest.tests.map(shape), [{ file: 'ok.test.js', suite: [], name: 'still runs', status: 'passed' }]);
    assert.deepEqual(byFile(vitest.files), [brokenFile, { file: 'ok.test.js', passed: 1, failed: 0, skipped: 0, todo: 0 }]);
    assert.ok(vitest.notes.some(n => n.includes('could not run broken.test.js')));
    const jest = ok(parseTestLog(read('jest-broken.log')));
    assert.deepEqual(jest.tests, []);
    assert.deepEqual(byFile(jest.files), [brokenFile, { file: 'ok.test.js', passed: 0, failed: 0, skipped: 0, todo: 0, partial: true }]);
    assert.deepEqual(jest.totals, { passed: 1, failed: 0, skipped: 0, todo: 0 });
    assert.ok(jest.notes.some(n => n.includes('could not run broken.test.js')));
    const node = ok(parseTestLog(read('node-broken-tap.log')));
    assert.deepEqual(node.tests.map(shape), [
      { file: '/project/node-broken/broken.test.js', suite: [], name: '/project/node-broken/broken.test.js', status: 'failed' },
      { suite: [], name: 'still runs', status: 'passed' },
    ]);
    assert.equal(node.summary?.agrees, true);
  });

  test('notes say what a reporter cannot tell', () => {
    const spec = ok(parseTestLog(read('node-spec.log')));
    assert.ok(spec.notes.some(n => n.includes('skipped describe block')));
    const tap = ok(parseTestLog(read('node-tap.log')));
    assert.ok(tap.notes.some(n => n.includes('"legacy importer"')));
    const mochaTap = ok(parseTestLog(read('mocha-tap.log')));
    assert.ok(mochaTap.notes.some(n => n.includes('out of sequence')), 'the "not ok 7" a passing test printed is not a test');
    const jest = ok(parseTestLog(read('jest-default.log')));
    assert.ok(jest.notes.some(n => n.includes('does not name every test')));
  });
});

describe('a test run inside a longer transcript', () => {
  test('the demo run\'s final-run.log (npm run typecheck, then vitest 2 verbose)', () => {
    const log = readFileSync(path.join(ROOT, 'test', 'fixtures', 'demo-run', 'steps', '05-tests-and-run-evidence', 'files', 'test-results', 'final-run.log'), 'utf8');
    const r = ok(parseTestLog(log, { name: 'final-run.log' }));
    assert.equal(r.format, 'vitest');
    assert.deepEqual(r.totals, { passed: 22, failed: 0, skipped: 1, todo: 0 });
    assert.equal(r.summary?.agrees, true);
    assert.equal(r.summary?.line, 47);
    const incidents = r.tests.filter(t => t.file?.includes('incident-'));
    assert.deepEqual(incidents.map(t => [t.file, t.status]), [
      ['test/incident-2026-02-duplicate-paragraphs.test.ts', 'passed'],
      ['test/incident-2026-02-duplicate-paragraphs.test.ts', 'passed'],
      ['test/incident-2026-03-crash-on-reconnect.test.ts', 'passed'],
      ['test/incident-2026-03-crash-on-reconnect.test.ts', 'passed'],
      ['test/incident-2026-03-crash-on-reconnect.test.ts', 'passed'],
      ['test/incident-2026-03-crash-on-reconnect.test.ts', 'skipped'],
    ]);
    const skipped = incidents.find(t => t.status === 'skipped');
    assert.deepEqual(skipped?.suite, ['incident 2026-03: crash when a client reconnects during eviction']);
    assert.equal(skipped?.name, 'keeps pending updates when a client reconnects during log compaction');
    assert.equal(skipped?.line, 26);
    assert.deepEqual(byFile(r.files).map(f => [f.file, f.passed, f.failed, f.skipped]), [
      ['test/authority.test.ts', 9, 0, 0], ['test/documents.test.ts', 5, 0, 0],
      ['test/incident-2026-02-duplicate-paragraphs.test.ts', 2, 0, 0], ['test/incident-2026-03-crash-on-reconnect.test.ts', 3, 0, 1],
      ['test/marks.test.ts', 3, 0, 0],
    ]);
  });

  test('build output around a reporter\'s text, a JUnit report or a JSON report does not change what is read', () => {
    const before = '$ npm ci && npm test\n\nadded 412 packages in 9s\n\n> app@1.0.0 test\n> run-tests\n\n';
    const after = '\nnpm error Lifecycle script `test` failed with error:\nnpm error code 1\n';
    for (const log of ['jest-verbose.log', 'mocha-spec.log', 'node-tap.log', 'node-spec.log', 'mocha-xunit.xml', 'jest-json.json']) {
      const alone = ok(parseTestLog(read(log)));
      const inside = ok(parseTestLog(before + read(log) + after));
      assert.equal(inside.format, alone.format, log);
      assert.deepEqual(inside.tests.map(shape), alone.tests.map(shape), log);
      assert.deepEqual(inside.totals, alone.totals, log);
    }
  });
});

describe('finding given tests in a log', () => {
  const incident = PROJECT.filter(t => t.file.startsWith('incident-'));
  test('the incident\'s tests are found in every log that names them, however the reporter prints titles and files', () => {
    for (const f of FIXTURES) {
      const r = ok(parseTestLog(read(f.log)));
      for (const want of incident) {
        const expected = expectedTests(f).filter(e => e.status === (want.outcome === 'fail' ? 'failed' : 'passed')
          && (e.name === want.name || e.name.endsWith(` ${want.name}`)));
        const found = findLoggedTests(r.tests, { file: want.file, suite: want.suite, name: want.name });
        assert.equal(found.length, expected.length, `${f.log}: ${want.name}`);
        for (const m of found) {
          assert.equal(m.test.status, want.outcome === 'fail' ? 'failed' : 'passed', f.log);
          assert.equal(m.fileUnknown, f.file(want) === undefined, f.log);
        }
      }
    }
  });

  test('another file, a suite that differs, a title that only starts the same are not matches', () => {
    const r = ok(parseTestLog(read('vitest-verbose.log')));
    const name = 'does not duplicate when writes land in the same tick';
    assert.equal(findLoggedTests(r.tests, { file: 'incident-2026-03-crash.test.js', name }).length, 0);
    // the log's path is relative to where the runner ran, which may be a folder of the repository
    assert.equal(findLoggedTests(r.tests, { file: 'packages/app/incident-2026-02-duplicate-paragraphs.test.js', name }).length, 1);
    assert.equal(findLoggedTests(r.tests, { suite: ['another describe'], name }).length, 0);
    assert.equal(findLoggedTests(r.tests, { name: 'does not duplicate' }).length, 0);
    assert.ok(sameFile('/project/jest/math.test.js', 'math.test.js') && sameFile('.\\test\\a.test.ts', 'test/a.test.ts'));
    assert.ok(!sameFile('/project/jest/xmath.test.js', 'math.test.js'));
    assert.deepEqual(testsOfFile(r.tests, '/repo/math.test.js').map(t => t.status), ['passed', 'passed', 'passed', 'failed', 'skipped', 'todo']);
  });
});
