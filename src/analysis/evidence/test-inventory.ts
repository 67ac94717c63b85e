import path from 'node:path';
import ts from 'typescript';
import { type TreeReader } from '../../core/tree-read';
import { findTestCases, incidentReason, isTestPath, mayHoldTests, scriptTestCase, type SkipHow, type TestCase } from './test-cases';

/**
 * The tests of both trees and each baseline test's fate in the run: kept, modified (same file and name, another body),
 * moved (same name and body, another file), renamed (another name, a similar body), skipped (there, but skipped where
 * the baseline ran it), deleted. Incident tests are flagged and listed first. Each run test says whether it reaches
 * production code through its imports, or imports only test doubles.
 */

export type TestFateKind = 'kept' | 'modified' | 'moved' | 'renamed' | 'skipped' | 'deleted';

export interface TestRef {
  file: string;
  fullName: string;
  line: number;
  endLine: number;
}

export interface TestFate {
  baseline: TestRef;
  fate: TestFateKind;
  /** The run's counterpart, when there is one. */
  run?: TestRef;
  /** Why it is flagged as an incident test, when it is. */
  incident?: string;
  /** For renamed: the share of body tokens in common. For skipped: how. For deleted: whether its file went too. */
  detail?: string;
}

export interface RunTest extends TestRef {
  /** The describe titles, outermost first, and the test's own name. */
  suite: string[];
  name: string;
  /** Not in the baseline (no counterpart). */
  added: boolean;
  skipped?: { how: SkipHow; line: number };
  incident?: string;
  /** "production": imports reach non-test code; "doubles only": every import is a mock, fake, stub or fixture; "none": no imports from the tree. */
  reaches: 'production' | 'doubles only' | 'none';
  /** A production file it reaches, as the example. */
  via?: string;
}

export interface TestInventory {
  baselineTests: number;
  runTests: number;
  fates: TestFate[];
  run: RunTest[];
  /** Test files that could not be read or parsed, with the reason. */
  problems: Array<{ side: 'baseline' | 'run'; file: string; reason: string }>;
}

const MAX_TEST_FILE_BYTES = 2 * 1024 * 1024;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DOUBLE = /(^|\/)(__mocks__|__fixtures__|mocks?|fakes?|stubs?|doubles?|fixtures?)(\/|$)|(^|[/._-])(mock|fake|stub|double)s?([/._-]|$)/i;

interface Side {
  tests: TestCase[];
  imports: Map<string, string[]>;
  files: Set<string>;
}

/** Relative imports of a source text (import, export from, require, dynamic import), by specifier. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(f => f.fileName).filter(s => s.startsWith('.'));
}

function resolveIn(files: Set<string>, from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.[cm]?js$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`, `${stem}.jsx`, `${stem}.mts`, `${stem}.cts`,
    `${base}/index.ts`, `${base}/index.js`, `${base}/index.tsx`];
  return candidates.find(c => files.has(c));
}

async function readSide(reader: TreeReader, name: 'baseline' | 'run', problems: TestInventory['problems']): Promise<Side> {
  const entries = (await reader.list()).filter(e => e.kind === 'file' && SOURCE.test(e.path) && !/(^|\/)node_modules\//.test(e.path));
  const files = new Set(entries.map(e => e.path));
  const wanted = entries.filter(e => e.size <= MAX_TEST_FILE_BYTES).map(e => e.path);
  const reads = await reader.readMany(wanted, { maxBytes: MAX_TEST_FILE_BYTES });
  const tests: TestCase[] = [];
  const imports = new Map<string, string[]>();
  wanted.forEach((file, i) => {
    const r = reads[i];
    if (!r?.ok) {
      if (isTestPath(file)) problems.push({ side: name, file, reason: `cannot be read (${r?.problem ?? 'unknown'})` });
      return;
    }
    const text = r.bytes.toString('utf8');
    imports.set(file, importsOf(text).map(s => resolveIn(files, file, s)).filter((x): x is string => x !== undefined));
    if (!isTestPath(file)) return;
    try {
      const found = mayHoldTests(text) ? findTestCases(file, text) : [];
      // a *.test.* / *.spec.* file with no test function is a script test: the file is the test
      if (found.length === 0 && /\.(test|spec)\.[^/]+$/.test(file)) found.push(scriptTestCase(file, text));
      tests.push(...found);
    } catch (e) {
      problems.push({ side: name, file, reason: `cannot be parsed (${e instanceof Error ? e.message : String(e)})` });
    }
  });
  for (const e of entries) if (e.size > MAX_TEST_FILE_BYTES && isTestPath(e.path)) problems.push({ side: name, file: e.path, reason: `larger than ${MAX_TEST_FILE_BYTES} bytes: not read` });
  return { tests, imports, files };
}

const ref = (t: TestCase): TestRef => ({ file: t.file, fullName: t.fullName, line: t.line, endLine: t.endLine });

/** Jaccard similarity of two token multisets (as sets of token#n). */
function similarity(a: readonly string[], b: readonly string[]): number {
  const bag = (xs: readonly string[]) => {
    const seen = new Map<string, number>();
    return new Set(xs.map(x => { const n = (seen.get(x) ?? 0) + 1; seen.set(x, n); return `${x}#${n}`; }));
  };
  const A = bag(a);
  const B = bag(b);
  if (A.size === 0 && B.size === 0) return 1;
  let both = 0;
  for (const x of A) if (B.has(x)) both++;
  return both / (A.size + B.size - both);
}

/** The similarity above which another name with a similar body is taken for a rename. */
export const RENAME_SIMILARITY = 0.6;

/** The fate of every baseline test in the run (pure: the two lists of tests and the run's file list). */
export function testFates(baseline: readonly TestCase[], run: readonly TestCase[], runFiles: ReadonlySet<string>): { fates: TestFate[]; matched: Set<TestCase> } {
  const key = (t: TestCase) => `${t.file}\u0000${t.fullName}`;
  const byKey = new Map<string, TestCase[]>();
  for (const t of run) byKey.set(key(t), [...(byKey.get(key(t)) ?? []), t]);
  const matched = new Set<TestCase>();
  const take = (list: readonly TestCase[] | undefined) => list?.find(t => !matched.has(t));
  const fates: TestFate[] = [];
  const pending: TestCase[] = [];
  const withSkip = (b: TestCase, r: TestCase, fate: TestFateKind, detail?: string): TestFate => {
    const skippedNow = r.skipped !== undefined && b.skipped === undefined;
    return { baseline: ref(b), run: ref(r), fate: skippedNow ? 'skipped' : fate, ...(skippedNow ? { detail: `${r.skipped?.how ?? ''} at line ${r.skipped?.line ?? r.line}` } : detail !== undefined ? { detail } : {}) };
  };
  // same file and name
  for (const b of baseline) {
    const r = take(byKey.get(key(b)));
    if (r === undefined) { pending.push(b); continue; }
    matched.add(r);
    fates.push(withSkip(b, r, r.bodyHash === b.bodyHash ? 'kept' : 'modified'));
  }
  // same name elsewhere (moved)
  const byName = new Map<string, TestCase[]>();
  for (const t of run) byName.set(t.fullName, [...(byName.get(t.fullName) ?? []), t]);
  const rest: TestCase[] = [];
  for (const b of pending) {
    const candidates = (byName.get(b.fullName) ?? []).filter(t => !matched.has(t));
    const r = candidates.find(t => t.bodyHash === b.bodyHash) ?? candidates[0];
    if (r === undefined) { rest.push(b); continue; }
    matched.add(r);
    fates.push(withSkip(b, r, 'moved', r.bodyHash === b.bodyHash ? `to ${r.file}` : `to ${r.file}, with another body`));
  }
  // a similar body under another name (renamed); the same file first
  for (const b of rest) {
    let best: { t: TestCase; s: number } | undefined;
    for (const t of run) {
      if (matched.has(t)) continue;
      const s = similarity(b.tokens, t.tokens) + (t.file === b.file ? 0.001 : 0);
      if (s >= RENAME_SIMILARITY && (best === undefined || s > best.s)) best = { t, s };
    }
    if (best !== undefined) {
      matched.add(best.t);
      fates.push(withSkip(b, best.t, 'renamed', `${Math.round(Math.min(1, best.s) * 100)}% of the body's tokens in common`));
    } else if (runFiles.has(b.file)) {
      // the closest unmatched test left in the same file, as a hint (not a match)
      const near = run.filter(t => t.file === b.file && !matched.has(t)).map(t => ({ t, s: similarity(b.tokens, t.tokens) })).sort((x, y) => y.s - x.s)[0];
      fates.push({ baseline: ref(b), fate: 'deleted', detail: near !== undefined && near.s >= 0.3
        ? `its file is still there; the closest new test in it, "${near.t.fullName}" (line ${near.t.line}), has ${Math.round(near.s * 100)}% of its body's tokens`
        : 'its file is still there' });
    } else {
      fates.push({ baseline: ref(b), fate: 'deleted', detail: 'its file was deleted' });
    }
  }
  for (const f of fates) {
    const why = incidentReason(f.baseline);
    if (why !== undefined) f.incident = why;
  }
  const order = (f: TestFate) => (f.incident !== undefined ? 0 : 1);
  fates.sort((a, b) => order(a) - order(b) || a.baseline.file.localeCompare(b.baseline.file) || a.baseline.line - b.baseline.line);
  return { fates, matched };
}

/** Whether a test file's imports (followed through the tree) reach code that is neither a test nor a test double. */
function reachOf(file: string, side: Side): Pick<RunTest, 'reaches' | 'via'> {
  const direct = side.imports.get(file) ?? [];
  if (direct.length === 0) return { reaches: 'none' };
  const seen = new Set<string>([file]);
  const queue = [...direct];
  while (queue.length > 0) {
    const f = queue.shift() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    if (DOUBLE.test(f)) continue;
    if (!isTestPath(f)) return { reaches: 'production', via: f };
    queue.push(...(side.imports.get(f) ?? []));
  }
  return { reaches: 'doubles only' };
}

export async function testInventory(baseline: TreeReader, run: TreeReader): Promise<TestInventory> {
  const problems: TestInventory['problems'] = [];
  const b = await readSide(baseline, 'baseline', problems);
  const r = await readSide(run, 'run', problems);
  const { fates, matched } = testFates(b.tests, r.tests, r.files);
  const reach = new Map<string, Pick<RunTest, 'reaches' | 'via'>>();
  const runTests: RunTest[] = r.tests.map(t => {
    if (!reach.has(t.file)) reach.set(t.file, reachOf(t.file, r));
    const incident = incidentReason(t);
    return {
      ...ref(t), suite: t.suite, name: t.name, added: !matched.has(t), ...(t.skipped ? { skipped: t.skipped } : {}), ...(incident !== undefined ? { incident } : {}),
      ...(reach.get(t.file) as Pick<RunTest, 'reaches' | 'via'>),
    };
  });
  runTests.sort((x, y) => Number(x.incident === undefined) - Number(y.incident === undefined) || x.file.localeCompare(y.file) || x.line - y.line);
  return { baselineTests: b.tests.length, runTests: r.tests.length, fates, run: runTests, problems };
}
