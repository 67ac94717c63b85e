import { toClient, toServer } from './defs';

/** Which run to analyse: the same target, baseline choice and git executable the extension opened it with. */
export interface ReviewOpenParams {
  /** The run folder (or its seb-run.json), absolute. */
  target: string;
  baseline?: string;
  gitPath?: string;
  /** Trees the extension host opened: the server says when its own reading of the run differs. */
  trees?: { baseline: string; run: string };
}

/** client → server: analyse this run (both trees). Replaces the run analysed before; cancels its work in progress. */
export const ReviewOpenToServer = toServer<ReviewOpenParams>('seb/review/open');

/** client → server: no run is open any more. */
export const ReviewCloseToServer = toServer<Record<string, never>>('seb/review/close');

/** client → server: stop the analysis in progress (as the progress notification's Cancel does). */
export const ReviewCancelToServer = toServer<Record<string, never>>('seb/review/cancel');

/** What the analysis drew from: enough to say which analysis a piece of evidence came from. */
export interface AnalysisDigest {
  /** sha256 over the analyzer version, the rule packs, the declared authority and both trees. */
  digest: string;
  analyzer: string;
  packs: Array<{ id: string; version: number; sha256: string }>;
  authority: string[];
  baselineTree: string;
  runTree: string;
  /** Run files analysed with their unsaved editor text (the digest then no longer names a tree's content). */
  edited: string[];
}

export type AnalysisState = 'idle' | 'analysing' | 'ready' | 'failed' | 'cancelled';

export interface AnalysisStatus {
  /** Bumped on every new result (a new run, an edit): pages and findings name the generation they came from. */
  generation: number;
  state: AnalysisState;
  /** For people: "analysing 1,234 files of the run", "ready: 42 entry points", the failure. */
  message: string;
  runId?: string;
  /** Source files analysed (both trees), once known. */
  files?: number;
  digest?: AnalysisDigest;
  /** Milliseconds the last analysis (or re-analysis after an edit) took. */
  elapsedMs?: number;
  /** The server's trees differ from the extension host's (the run changed on disk between the two readings). */
  treeMismatch?: string;
}

/** server → client: the analysis state changed (started, progressed, finished, failed, updated after an edit). */
export const AnalysisStatusToClient = toClient<AnalysisStatus>('seb/analysis/status');
