import { type RunManifest } from '../core/manifest';
import { findDefinitions } from './definitions';

/** Read access to one tree (the run's working tree, or a commit). Undefined = no such file. */
export interface TreeReader {
  readText(rel: string): Promise<string | undefined>;
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
  if (m.plan !== undefined && (await tree.readText(m.plan)) === undefined) {
    problems.push({ path: ['plan'], message: `${m.plan} does not exist in the run`, severity: 'warning' });
  }
  for (const [i, log] of (m.testLogs ?? []).entries()) {
    if ((await tree.readText(log)) === undefined) {
      problems.push({ path: ['testLogs', i], message: `${log} does not exist in the run`, severity: 'warning' });
    }
  }
  for (const [i, a] of (m.authority ?? []).entries()) {
    const text = await tree.readText(a.path);
    if (text === undefined) {
      problems.push({ path: ['authority', i, 'path'], message: `${a.path} does not exist in the run`, severity: 'warning' });
    } else if (findDefinitions(text, a.symbol).length === 0) {
      problems.push({ path: ['authority', i, 'symbol'], message: `${a.symbol} is not defined in ${a.path}`, severity: 'warning' });
    }
  }
  return problems;
}
