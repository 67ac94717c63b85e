import { statSync } from 'node:fs';
import { type ResolveOptions } from '../git/resolve-run';
import { openTrees } from '../git/open-review';
import { type RunTrees } from './attestation-io';

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The run's baseline tree and its tree as it is now (uncommitted changes included), and both commits, without writing to it. */
export async function openRunTrees(dir: string, baseline: string | undefined): Promise<RunTrees> {
  const options: ResolveOptions = {};
  if (baseline !== undefined) {
    if (isDirectory(baseline)) options.baselinePath = baseline;
    else options.baseline = baseline;
  }
  const { run, workspace: ws } = await openTrees(dir, options);
  try {
    return { runId: run.runId, baseline: ws.baselineTree, run: ws.headTree, commits: { baseline: run.baseline.commit, head: run.head.commit },
      roots: { run: run.root, baseline: run.baseline.repositoryRoot } };
  } finally {
    await ws.dispose();
  }
}
