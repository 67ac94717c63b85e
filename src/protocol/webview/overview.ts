import { notification } from './messages';
import type { FileChange } from '../../core/file-change';

/**
 * One file in the diff overview: what the list shows before its patch is loaded. The change as core describes it,
 * less the blob ids the page has no use for, plus the overview's own key and size verdict.
 */
export interface OverviewFile extends Omit<FileChange, 'oldBlob' | 'newBlob'> {
  /** Stable key of the file in this overview (index in the host's change list, as a string). */
  id: string;
  /** Too large to render inline (the page shows a summary and a link to the diff editor). */
  large: boolean;
}

export type OverviewLayout = 'side-by-side' | 'line-by-line';

export interface OverviewInit {
  runId: string;
  baselineCommit: string;
  headLabel: string;
  files: OverviewFile[];
  layout: OverviewLayout;
}

export const Overview = {
  /** host -> page: the file list (sent once the page is ready, and again when the run changes). */
  init: notification<OverviewInit>('overview/init'),
  /** page -> host: a section scrolled into view and needs its patch. */
  requestPatch: notification<{ id: string }>('overview/requestPatch'),
  /**
   * host -> page: the unified diff of one file, or why it could not be read, or `large` when the patch text turned out
   * too large to render inline (the page then shows the large-diff summary).
   */
  patch: notification<{ id: string; patch?: string; error?: string; large?: boolean }>('overview/patch'),
  /** page -> host: the reviewer switched layout; the host remembers it. */
  setLayout: notification<{ layout: OverviewLayout }>('overview/setLayout'),
  /** page -> host: open this file in VS Code's diff editor. */
  openDiff: notification<{ id: string }>('overview/openDiff'),
  /** page -> host: the first section's content is on screen (for the benchmark of time to first content). */
  firstContent: notification<{ ms: number }>('overview/firstContent'),
} as const;
