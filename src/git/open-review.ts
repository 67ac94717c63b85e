import { type OpenReview } from '../core/review';
import { type ResolvedRun } from '../core/run';
import { summariseSizes, type SizeSummary } from '../core/size-summary';
import { listChangeList, type ChangeList } from './changes';
import { type RunnerOptions } from './git-runner';
import { resolveRunIn, type ResolveOptions } from './resolve-run';
import { ReviewWorkspace } from './review-workspace';
import { sizedSides } from './tree-files';

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

export interface OpenReviewOptions extends ResolveOptions {
  /**
   * The caller asks for sizes() at once (the command line's diff): both trees' listings, which the size summary needs,
   * are read while git lists the changes instead of after.
   */
  sizesAtOnce?: boolean;
}

/**
 * Opens a run for review, the one way the CLI, the extension and the language server do it: resolves it, opens both
 * trees and lists the changed files. Throws SebError on bad input, having disposed whatever it opened; otherwise the
 * caller disposes `workspace`. The size summary is computed on first call of sizes(), from each side's tree reader
 * listing and the change list (./tree-files.ts).
 */
export async function openReview(target: string, options: OpenReviewOptions = {}): Promise<WorkspaceReview> {
  const { run, workspace } = await openTrees(target, options);
  if (options.sizesAtOnce) {
    // a listing that fails is read again (and its error reported) when sizes() asks for it
    for (const side of ['baseline', 'run'] as const) workspace.reader(side).list().catch(() => undefined);
  }
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
    sizes: () => (sizes ??= sizedSides(workspace, list.changes).then(s => summariseSizes(s.baseline, s.run))),
  };
}
