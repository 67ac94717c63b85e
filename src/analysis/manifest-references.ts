import { type RunManifest } from '../core/manifest';
import { type TreeReader } from '../core/tree-read';
import { findDefinitions } from './definitions';

export type { TreeReader } from '../core/tree-read';

/** The largest file a manifest check reads (a plan, a test log, an authority module). */
const MAX_BYTES = 8 * 1024 * 1024;

/** What is wrong with a file the manifest names, in words ("does not exist in the run"), or its text. */
async function named(tree: TreeReader, rel: string): Promise<{ text: string } | { problem: string }> {
  const r = await tree.read(rel, { maxBytes: MAX_BYTES });
  if (r.ok) return { text: r.bytes.toString('utf8') };
  return { problem: r.problem === 'missing' ? `${rel} does not exist in the run` : r.message };
}

export interface ReferenceProblem {
  path: ReadonlyArray<string | number>;
  message: string;
  severity: 'error' | 'warning';
}

/**
 * What a manifest points at, checked against the tree: the plan and test logs exist, and each declared authority
 * symbol is defined in the file named for it.
 */
export async function checkManifestReferences(m: RunManifest, tree: TreeReader): Promise<ReferenceProblem[]> {
  const problems: ReferenceProblem[] = [];
  if (m.plan !== undefined) {
    const plan = await named(tree, m.plan);
    if ('problem' in plan) problems.push({ path: ['plan'], message: plan.problem, severity: 'warning' });
  }
  for (const [i, log] of (m.testLogs ?? []).entries()) {
    const read = await named(tree, log);
    if ('problem' in read) problems.push({ path: ['testLogs', i], message: read.problem, severity: 'warning' });
  }
  if (m.rubric !== undefined) {
    const r = await tree.read(m.rubric, { maxBytes: MAX_BYTES });
    // a bare file name the run does not hold names a packaged rubric, which the editor and the CLI look up
    if (!r.ok && !(r.problem === 'missing' && !m.rubric.includes('/'))) {
      problems.push({ path: ['rubric'], message: r.problem === 'missing' ? `${m.rubric} does not exist in the run` : r.message, severity: 'warning' });
    }
  }
  for (const [i, a] of (m.authority ?? []).entries()) {
    const read = await named(tree, a.path);
    if ('problem' in read) {
      problems.push({ path: ['authority', i, 'path'], message: read.problem, severity: 'warning' });
    } else if (findDefinitions(read.text, a.symbol).length === 0) {
      problems.push({ path: ['authority', i, 'symbol'], message: `${a.symbol} is not defined in ${a.path}`, severity: 'warning' });
    }
  }
  return problems;
}
