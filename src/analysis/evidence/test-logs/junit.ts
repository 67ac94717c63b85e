/**
 * JUnit XML as Ant and Maven Surefire write it: <testsuites>/<testsuite> holding <testcase> elements with <failure>,
 * <error> or <skipped> children, counts in tests/failures/errors/skipped attributes. Also the variants of
 * node:test's junit reporter (suites nested per describe, todo as <skipped type="todo">, summary in comments),
 * vitest's (a suite per file, "describe > test" names), jest-junit (titles joined with spaces) and mocha's xunit
 * reporter (a file attribute per testcase). Read with the bounded tokenizer in xml.ts: no DTD, no entity expansion.
 */
import { Collector, finish, type SummaryCounts } from './result';
import { cleanFile, looksLikeTestFile } from './text';
import { type LoggedTest, type ParsedLog, type TestStatus } from './types';
import { scanXml } from './xml';

type Frame =
  | { kind: 'suite'; root: boolean; name?: string; file?: string }
  | { kind: 'case'; line: number; attrs: ReadonlyMap<string, string>; status: TestStatus }
  | { kind: 'other' };

/** Where the JUnit document starts in `text`, or -1: the text itself, or a report printed inside a longer log. */
export function findJunitStart(text: string): number {
  const first = text.search(/\S/);
  if (first >= 0 && text[first] === '<') return /<testsuites?[\s>/]|<testcase[\s>/]/.test(text) ? first : -1;
  const suite = text.search(/<testsuites?[\s>/]/);
  if (suite < 0) return -1;
  const decl = text.lastIndexOf('<?xml', suite);
  return decl >= 0 ? decl : suite;
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || !/^\s*\d{1,12}\s*$/.test(v)) return undefined;
  return Number(v);
};

function countsOf(attrs: ReadonlyMap<string, string>, line: number): SummaryCounts | undefined {
  const tests = num(attrs.get('tests'));
  const failures = num(attrs.get('failures'));
  const errors = num(attrs.get('errors'));
  const skipped = num(attrs.get('skipped') ?? attrs.get('skips'));
  if (tests === undefined && failures === undefined && errors === undefined) return undefined;
  const s: SummaryCounts = { line };
  if (tests !== undefined) s.total = tests;
  if (failures !== undefined || errors !== undefined) s.failed = (failures ?? 0) + (errors ?? 0);
  if (skipped !== undefined) s.skipped = skipped;
  // "tests" counts skipped tests too (Surefire); without a skipped count, passed is not known
  if (tests !== undefined && s.failed !== undefined && skipped !== undefined) s.passed = Math.max(0, tests - s.failed - skipped);
  return s;
}

export function parseJunit(text: string): ParsedLog | null {
  const start = findJunitStart(text);
  if (start < 0) return null;
  const c = new Collector();
  const frames: Frame[] = [];
  let rootName: string | undefined;
  let rootSummary: SummaryCounts | undefined;
  const nodeComments = new Map<string, number>();
  let commentLine: number | undefined;
  let jestJunit = false;
  let mochaXunit = false;
  const suites = (): Array<Extract<Frame, { kind: 'suite' }>> =>
    frames.filter((f): f is Extract<Frame, { kind: 'suite' }> => f.kind === 'suite' && !f.root);
  const currentCase = (): Extract<Frame, { kind: 'case' }> | undefined => {
    for (let i = frames.length - 1; i >= 0; i--) { const f = frames[i]; if (f?.kind === 'case') return f; }
    return undefined;
  };

  const scan = scanXml(text, start, {
    open(name, attrs, line) {
      if (rootName === undefined) {
        rootName = name;
        if (name !== 'testsuites' && name !== 'testsuite') return;
        rootSummary = countsOf(attrs, line);
        jestJunit = attrs.get('name') === 'jest tests';
        mochaXunit = name === 'testsuite' && attrs.get('name') === 'Mocha Tests';
        if (name === 'testsuites') { frames.push({ kind: 'suite', root: true }); return; }
      }
      if (rootName !== 'testsuites' && rootName !== 'testsuite') return;
      const kase = currentCase();
      if (name === 'testsuite') {
        const file = attrs.get('file') ?? attrs.get('filepath');
        frames.push({ kind: 'suite', root: false, name: attrs.get('name') ?? '', ...(file ? { file } : {}) });
      } else if (name === 'testcase') {
        frames.push({ kind: 'case', line, attrs, status: 'passed' });
      } else if ((name === 'failure' || name === 'error') && kase) {
        kase.status = 'failed';
        frames.push({ kind: 'other' });
      } else if (name === 'skipped' && kase) {
        if (kase.status !== 'failed') kase.status = attrs.get('type') === 'todo' ? 'todo' : 'skipped';
        frames.push({ kind: 'other' });
      } else {
        frames.push({ kind: 'other' });
      }
    },
    close() {
      const f = frames.pop();
      if (f?.kind === 'case') c.add(testOf(f, suites(), jestJunit));
    },
    comment(body, line) {
      // node:test writes its summary as <!-- tests 12 --> <!-- pass 8 --> … inside <testsuites>
      const m = /^\s*(tests|pass|fail|cancelled|skipped|todo)\s+(\d{1,12})\s*$/.exec(body);
      if (m && frames.length <= 1) { nodeComments.set(m[1] ?? '', Number(m[2])); commentLine ??= line; }
    },
  });

  if (scan.ended === 'empty' || (rootName !== 'testsuites' && rootName !== 'testsuite')) return null;
  if (scan.ended === 'malformed' && c.tests.length === 0) return { ok: false, reason: `JUnit XML that cannot be read: ${scan.problem ?? 'malformed'}.` };
  const incomplete = scan.ended !== 'complete';
  if (scan.ended === 'truncated') c.note(`The JUnit XML is cut short: ${scan.problem ?? ''}. Only testcases that closed are counted.`);
  if (scan.ended === 'malformed') c.note(`Reading the JUnit XML stopped early: ${scan.problem ?? ''}. Only testcases before that are counted.`);
  if (scan.sawDoctype) c.note('The XML has a DOCTYPE: it was ignored, and no entity it declares was expanded.');
  if (scan.unknownEntities > 0) c.note(`${scan.unknownEntities} entity references other than &lt; &gt; &amp; &quot; &apos; and numeric ones were left as written.`);
  if (scan.mismatched > 0) c.note(`${scan.mismatched} end tags did not match the open element.`);
  if (jestJunit) c.note('jest-junit names a test by its describe titles and its own title joined with spaces, and writes todo tests as passing testcases.');
  if (mochaXunit) c.note('mocha\'s xunit reporter joins nested describe titles with spaces (one suite name here), and writes todo tests as skipped.');

  let summary: SummaryCounts | undefined;
  if (nodeComments.has('tests')) {
    summary = { total: nodeComments.get('tests') ?? 0, passed: nodeComments.get('pass') ?? 0,
      failed: (nodeComments.get('fail') ?? 0) + (nodeComments.get('cancelled') ?? 0),
      skipped: nodeComments.get('skipped') ?? 0, todo: nodeComments.get('todo') ?? 0 };
    if (commentLine !== undefined) summary.line = commentLine;
  } else {
    summary = rootSummary;
  }
  return finish(c, { format: 'junit', listsEveryTest: !incomplete, ...(summary ? { summary } : {}) });
}

function testOf(f: Extract<Frame, { kind: 'case' }>, suites: Array<{ name?: string; file?: string }>, jestJunit: boolean): LoggedTest {
  const a = f.attrs;
  let name = (a.get('name') ?? '').trim();
  const classname = a.get('classname')?.trim();
  const inner = suites[suites.length - 1];
  const suiteFile = [...suites].reverse().find(s => s.file)?.file;
  let file = a.get('file') ?? a.get('filepath') ?? suiteFile;
  // vitest: the classname (and the suite's name) is the file, the name is "describe > describe > test"
  const fileNamed = classname !== undefined && looksLikeTestFile(classname) ? classname
    : inner?.name !== undefined && looksLikeTestFile(inner.name) ? inner.name : undefined;
  file ??= fileNamed;
  let suite: string[];
  if (jestJunit) {
    // a <testsuite> per file, named after some describe block; the name already holds every describe title
    suite = [];
  } else if (classname === undefined || classname === 'test' || classname === 'suite' || classname === name || fileNamed === classname) {
    suite = suites.map(s => s.name ?? '').filter(n => n !== '' && n !== 'undefined' && !looksLikeTestFile(n));
  } else {
    suite = classname === '' ? [] : [classname];
  }
  if (fileNamed !== undefined && name.includes(' > ')) {
    const parts = name.split(' > ');
    name = parts.pop() ?? name;
    suite = [...suite, ...parts];
  }
  const t: LoggedTest = { suite, name, status: f.status, line: f.line };
  if (file !== undefined) t.file = cleanFile(file);
  const secs = Number(a.get('time'));
  if (a.get('time') !== undefined && Number.isFinite(secs) && secs >= 0) t.durationMs = Math.round(secs * 1e6) / 1e3;
  return t;
}
