import { type OpenReview } from '../core/review';
import { type ResolvedRun } from '../core/run';
import { summariseSizes, type SizeSummary } from '../core/size-summary';
import { listChangeList, type ChangeList } from './changes';
import { type RunnerOptions } from './git-runner';
import { resolveRunIn, type ResolveOptions } from './resolve-run';
import { ReviewWorkspace } from './review-workspace';
import { treeFiles } from './tree-files';

export type { OpenReview } from '../core/review';

/** A review as src/git opens it: both trees in a ReviewWorkspace. */
export type WorkspaceReview = OpenReview<ReviewWorkspace>;

function runnerOptions(o: RunnerOptions): RunnerOptions {
  return { ...(o.gitPath !== undefined ? { gitPath: o.gitPath } : {}), ...(o.signal !== undefined ? { signal: o.signal } : {}) };
}

/**
 * Resolves `target` (a run folder or its seb-run.json) and opens both of its trees, without listing what changed (for
 * callers that need only the trees, such as signing). The caller disposes the workspace.
 */
export async function openTrees(target: string, options: ResolveOptions = {}): Promise<{ run: ResolvedRun; workspace: ReviewWorkspace }> {
  const { run, repo } = await resolveRunIn(target, options);
  const workspace = await ReviewWorkspace.open(run, runnerOptions(options), repo);
  return { run, workspace };
}

/**
 * Opens a run for review, the one way the CLI, the extension and the language server do it: resolves it, opens both
 * trees and lists the changed files. Throws SebError on bad input, having disposed whatever it opened; otherwise the
 * caller disposes `workspace`. The size summary is computed on first call of sizes(), through each side's tree reader.
 */
export async function openReview(target: string, options: ResolveOptions = {}): Promise<WorkspaceReview> {
  const { run, workspace } = await openTrees(target, options);
  let list: ChangeList;
  try {
    list = await listChangeList(workspace);
  } catch (e) {
    await workspace.dispose();
    throw e;
  }
  let sizes: Promise<SizeSummary> | undefined;
  return {
    run, workspace, changes: list.changes, renameLimitHit: list.renameLimitHit,
    sizes: () => (sizes ??= Promise.all([treeFiles(workspace, 'baseline'), treeFiles(workspace, 'run')]).then(([b, h]) => summariseSizes(b, h))),
  };
}
