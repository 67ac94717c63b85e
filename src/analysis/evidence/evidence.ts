import { type TreeReader } from '../../core/tree-read';
import { type RunManifest } from '../../core/manifest';
import { entryLabel } from '../../core/authority/fates';
import { analyzeTree, type AnalysisCache } from '../authority/analyze';
import { type LoadedPack } from '../authority/packs';
import { isTestPath } from './test-cases';
import { testInventory, type TestInventory } from './test-inventory';
import { findStubs, shimFileReason, type StubFinding } from './stubs';
import { choosePlan, findInvariant, type PlanInvariant } from './plan';
import { logEvidence, type LogEvidence } from './logs';

/**
 * Facts for the rubric's other dimensions, found for the reviewer, each with its location; never a score. Tests
 * (every baseline test's fate, incident tests first, run tests that reach only test doubles), the run's test logs,
 * stubs and shims the run added, and the plan's invariant checked against the authority analysis.
 */

export interface StubEvidence extends StubFinding {
  /** Whether the file is new in the run (else the finding is new in a changed file). */
  fileAdded: boolean;
}

export interface PlanEvidence {
  file?: string;
  how?: 'manifest' | 'guessed';
  /** Why there is no plan, or why it could not be read. */
  problem?: string;
  invariant?: PlanInvariant;
  check?: {
    /** The names the check used as the authority, and whether each was found in the run's code. */
    authority: Array<{ name: string; found: boolean; file?: string; line?: number }>;
    /** Reachable entry points that reach a write. */
    writing: number;
    /** Those among them whose writes do not all pass the named authority. */
    bypassing: Array<{ label: string; file: string; line: number; writes: string[] }>;
    /** true: the code agrees (every writing entry point passes it); false: some bypass it; null: cannot tell. */
    agrees: boolean | null;
    summary: string;
  };
}

export interface EvidenceReport {
  format: 'seb-review/evidence@1';
  runId: string;
  trees: { baseline: string; run: string };
  tests: TestInventory;
  logs: LogEvidence[];
  stubs: StubEvidence[];
  shimFiles: Array<{ file: string; reason: string; added: boolean }>;
  plan: PlanEvidence;
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const MAX_BYTES = 1024 * 1024;
const SKIP_DIRS = /(^|\/)(node_modules|dist|build|out|coverage|vendor)\//;

/** Stubs in run files the run added or changed, minus those already in the baseline's version of the file. */
async function stubsAdded(baseline: TreeReader, run: TreeReader): Promise<{ stubs: StubEvidence[]; shims: EvidenceReport['shimFiles'] }> {
  const b = new Map((await baseline.list()).filter(e => e.kind === 'file').map(e => [e.path, e]));
  const r = (await run.list()).filter(e => e.kind === 'file' && !SKIP_DIRS.test(e.path));
  const shims = r.flatMap(e => {
    const why = shimFileReason(e.path);
    return why !== undefined && !isTestPath(e.path) ? [{ file: e.path, reason: why, added: !b.has(e.path) }] : [];
  });
  const candidates = r.filter(e => SOURCE.test(e.path) && !/\.d\.[cm]?ts$/.test(e.path) && !isTestPath(e.path) && e.size <= MAX_BYTES
    && (b.get(e.path)?.id === undefined || b.get(e.path)?.id !== e.id));
  const runTexts = await run.readMany(candidates.map(e => e.path), { maxBytes: MAX_BYTES });
  const olds = candidates.filter(e => b.has(e.path));
  const oldTexts = new Map((await baseline.readMany(olds.map(e => e.path), { maxBytes: MAX_BYTES })).map((x, i) => [olds[i]?.path ?? '', x]));
  const out: StubEvidence[] = [];
  candidates.forEach((e, i) => {
    const now = runTexts[i];
    if (!now?.ok) return;
    const text = now.bytes.toString('utf8');
    const before = oldTexts.get(e.path);
    const beforeText = before?.ok ? before.bytes.toString('utf8') : undefined;
    if (beforeText === text) return;
    const found = findStubs(e.path, text);
    const had = new Map<string, number>();
    if (beforeText !== undefined) for (const s of findStubs(e.path, beforeText)) had.set(s.key, (had.get(s.key) ?? 0) + 1);
    for (const s of found) {
      const left = had.get(s.key) ?? 0;
      if (left > 0) { had.set(s.key, left - 1); continue; }
      out.push({ ...s, fileAdded: beforeText === undefined });
    }
  });
  return { stubs: out, shims };
}

async function planEvidence(input: {
  run: TreeReader; runTree: string; baseline: TreeReader; manifest?: RunManifest; packs: readonly LoadedPack[]; cache?: AnalysisCache; signal?: AbortSignal;
}): Promise<PlanEvidence> {
  const b = new Set((await input.baseline.list()).map(e => e.path));
  const added = (await input.run.list()).filter(e => e.kind === 'file' && !b.has(e.path));
  const chosen = choosePlan(input.manifest?.plan, added);
  if (chosen === undefined) return { problem: 'the manifest names no plan, and the run added no markdown file under docs/' };
  const read = await input.run.read(chosen.file, { maxBytes: MAX_BYTES });
  if (!read.ok) return { ...chosen, problem: `${chosen.file} ${read.problem === 'missing' ? 'does not exist in the run' : `cannot be read (${read.problem})`}` };
  const invariant = findInvariant(read.bytes.toString('utf8'));
  if (invariant === undefined) return { ...chosen, problem: 'no invariant found: no "invariant" heading, and no sentence saying all writes go through one place' };
  if (invariant.symbols.length === 0) return { ...chosen, invariant, problem: 'the invariant names no function written as code (`name`), so it cannot be checked against the code' };
  const side = await analyzeTree({
    reader: input.run, tree: input.runTree, packs: input.packs, authority: invariant.symbols, keepModel: false,
    ...(input.cache ? { cache: input.cache } : {}), ...(input.signal ? { signal: input.signal } : {}),
  });
  const authority = (side.authority ?? []).map(a => ({ name: a.name, found: a.found, ...(a.file !== undefined ? { file: a.file } : {}), ...(a.line !== undefined ? { line: a.line } : {}) }));
  const writing = side.entryPoints.filter(e => e.reachable && e.writes.length > 0);
  const bypassing = writing.filter(e => e.viaAuthority === false).map(e => ({
    label: entryLabel(e), file: e.file, line: e.line, writes: (e.bypasses ?? []).map(x => x.write),
  }));
  const anyFound = authority.some(a => a.found);
  const agrees = !anyFound ? null : bypassing.length === 0;
  const summary = !anyFound
    ? `none of ${invariant.symbols.join(', ')} is defined in the run's code: the invariant cannot be checked`
    : agrees
      ? `the code agrees: all ${writing.length} reachable entry points that write pass through ${authority.filter(a => a.found).map(a => a.name).join(', ')}`
      : `the code disagrees: ${bypassing.length} of ${writing.length} reachable entry points that write do not pass through ${authority.filter(a => a.found).map(a => a.name).join(', ')}`;
  return { ...chosen, invariant, check: { authority, writing: writing.length, bypassing, agrees, summary } };
}

export async function collectEvidence(input: {
  runId: string; manifest?: RunManifest; baseline: TreeReader; run: TreeReader; trees: { baseline: string; run: string }; packs: readonly LoadedPack[];
  /** The language server passes its own: files parsed for the authority map are not parsed again for the plan's check. */
  cache?: AnalysisCache;
  signal?: AbortSignal;
}): Promise<EvidenceReport> {
  const tests = await testInventory(input.baseline, input.run);
  const logs = await logEvidence(input.run, input.manifest?.testLogs ?? [], tests);
  const { stubs, shims } = await stubsAdded(input.baseline, input.run);
  input.signal?.throwIfAborted();
  const plan = await planEvidence({
    run: input.run, runTree: input.trees.run, baseline: input.baseline, packs: input.packs, ...(input.manifest ? { manifest: input.manifest } : {}),
    ...(input.cache ? { cache: input.cache } : {}), ...(input.signal ? { signal: input.signal } : {}),
  });
  return { format: 'seb-review/evidence@1', runId: input.runId, trees: input.trees, tests, logs, stubs, shimFiles: shims, plan };
}
