import { clientRequest, type Page, type PageParams, type Reply } from './defs';

/**
 * The authority map as the editor reads it: a summary with the wiring matrix, entry points and fates in pages, one
 * witness path at a time, and the findings of one file (for gutters, hovers, CodeLens and the Diff Overview). All
 * strings come from the reviewed repository: the client shows them as text, never as markup.
 */

export type SideName = 'baseline' | 'run';
export type WiringKind = 'through' | 'bypassing' | 'unchecked' | 'no-write' | 'dead';

export interface MatrixRow {
  category: string;
  counts: Record<WiringKind, number>;
}

export interface AuthorityFound {
  name: string;
  file?: string;
  line?: number;
  found: boolean;
}

export interface SideSummary {
  tree: string;
  files: number;
  lines: number;
  skipped: number;
  entryPoints: number;
  writes: number;
  matrix: MatrixRow[];
  total: Record<WiringKind, number>;
  authority: AuthorityFound[];
}

export interface AuthoritySummary {
  generation: number;
  authority: string[];
  baseline: SideSummary;
  run: SideSummary;
  fates: Record<string, number>;
}

/** client → server: the summary of the current analysis. */
export const AuthoritySummaryRequest = clientRequest<{ generation?: number }, Reply<{ summary: AuthoritySummary }>>('seb/authority/summary');

export interface WriteRef {
  id: string;
  kind: string;
  target: string;
  file: string;
  line: number;
  function: string;
  /** Reached without passing the declared authority. */
  bypass: boolean;
}

export interface EntryItem {
  side: SideName;
  id: string;
  kind: string;
  category: string;
  /** "POST /api/docs/:id/ops", "ws message", "timer setInterval". */
  label: string;
  paths: string[];
  file: string;
  line: number;
  handler: { name: string; file: string; line: number; endLine?: number };
  reachable: boolean;
  why: string;
  wiring: WiringKind;
  /** The declared authority names this entry point's paths pass through ("via applyDocumentWrite"). */
  via: string[];
  /** The writes reached (at most 64; `writesOmitted` counts the rest). */
  writes: WriteRef[];
  writesOmitted?: number;
}

export interface EntryPointsParams extends PageParams {
  side: SideName;
  /** Only entry points of this category; "dead" lists the dead ones of every category. */
  category?: string;
}

/** client → server: a page of one side's entry points (reachable ones by category, or the dead ones). */
export const EntryPointsRequest = clientRequest<EntryPointsParams, Reply<{ page: Page<EntryItem> }>>('seb/authority/entryPoints');

export interface WitnessStep {
  file: string;
  line: number;
  name: string;
  via?: string;
}

/** client → server: the witness path from an entry point to one of its writes (entry → … → write). */
export const WitnessRequest = clientRequest<
  { generation: number; side: SideName; entry: string; write: string },
  Reply<{ steps: WitnessStep[]; bypass: boolean }>
>('seb/authority/witness');

export interface EntryRef {
  id: string;
  label: string;
  file: string;
  line: number;
  handler: { name: string; file: string; line: number };
}

export interface FateItem {
  fate: string;
  baseline: EntryRef & { category: string; writes: number };
  run: EntryRef[];
  note: string;
  lostWrites: Array<{ kind: string; target: string }>;
  gainedWrites: Array<{ kind: string; target: string }>;
  /** The baseline entry point wrote something: a write path, not only an entry point. */
  wrote: boolean;
}

/** client → server: a page of the fates of the baseline's entry points, grouped by fate in the order kept → unreachable. */
export const FatesRequest = clientRequest<PageParams & { fate?: string }, Reply<{ page: Page<FateItem> }>>('seb/authority/fates');

export interface FileFindings {
  generation: number;
  side: SideName;
  path: string;
  /** Entry points registered in this file, or whose handler is in it. */
  entries: EntryItem[];
  /** Writes in this file, with the entry points that reach them. */
  writes: Array<WriteRef & { reachedBy: Array<{ id: string; label: string; bypass: boolean }>; reachedByOmitted?: number }>;
  /** Baseline side only: fates of entry points registered here. */
  fates?: Array<{ id: string; fate: string; note: string; line: number }>;
}

/** client → server: what the analysis found in one file of one side. */
export const FileFindingsRequest = clientRequest<{ generation?: number; side: SideName; path: string }, Reply<{ findings: FileFindings }>>(
  'seb/authority/fileFindings',
);

export interface FileBadge {
  path: string;
  side: SideName;
  entries: number;
  writes: number;
  /** Entry points here that bypass the declared authority. */
  bypassing: number;
  /** Baseline side: entry points here that wrote and were deleted or left unreachable in the run. */
  lostWritePaths: number;
}

/** client → server: a page of the files that hold entry points or writes, on either side (for the Changes view). */
export const FileBadgesRequest = clientRequest<PageParams, Reply<{ page: Page<FileBadge> }>>('seb/authority/fileBadges');
