import { type FileChange } from './file-change';
import { type ResolvedRun } from './run';
import { type SizeSummary } from './size-summary';
import { type TreeReader } from './tree-read';

/** Which tree of a review: the frozen baseline, or the run as it is. */
export type ReviewSide = 'baseline' | 'run';

/**
 * Both trees of a run, as every reader of a review sees them: their ids (content addresses) and one reader per side,
 * the same instance on every call, so what it has listed is shared by everything that reads the side (size summary,
 * manifest checks, analysis). src/git/review-workspace.ts implements it over git objects.
 */
export interface ReviewTrees {
  readonly baselineTree: string;
  readonly headTree: string;
  reader(side: ReviewSide): TreeReader;
  dispose(): Promise<void>;
}

/**
 * An open run: both trees readable (without writing to either) and the list of changed files. Shared by the CLI, the
 * extension and the language server; `Trees` is what the opener gives (src/git/open-review.ts: a ReviewWorkspace).
 */
export interface OpenReview<Trees extends ReviewTrees = ReviewTrees> {
  run: ResolvedRun;
  workspace: Trees;
  changes: readonly FileChange[];
  /** git skipped inexact rename detection (too many files): renamed-and-edited files show as deleted + added. */
  renameLimitHit: boolean;
  /** Computed on first use (then kept): lists both trees and counts their lines. */
  sizes(): Promise<SizeSummary>;
}
