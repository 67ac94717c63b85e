import { type RunManifest } from './manifest';

/** The run snapshot: what a run folder resolved to. Shared by the CLI, the extension and the language server. */

export interface CommitInfo {
  commit: string;
  tree: string;
  date: string;
  subject: string;
}

export type BaselineSource =
  | { kind: 'manifest-ref'; ref: string }
  | { kind: 'manifest-path'; path: string }
  | { kind: 'root-commit' }
  | { kind: 'chosen'; ref: string };

export type HeadSource = { kind: 'working-tree'; branch?: string; dirty: boolean } | { kind: 'manifest-ref'; ref: string };

/** A run folder with its baseline and head resolved to commits. Nothing in either tree was written to. */
export interface ResolvedRun {
  root: string;
  runId: string;
  manifest?: RunManifest;
  manifestFile?: string;
  shallow: boolean;
  baseline: CommitInfo & { source: BaselineSource; repositoryRoot: string };
  head: CommitInfo & { source: HeadSource };
}
