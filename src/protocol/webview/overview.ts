import { webviewScope } from './messages';
import { type Guard, isFiniteNumber, isIndex, isString, object, oneOf } from './guards';
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

export const OVERVIEW_LAYOUTS = ['side-by-side', 'line-by-line'] as const;
export type OverviewLayout = (typeof OVERVIEW_LAYOUTS)[number];
export const isOverviewLayout = oneOf(...OVERVIEW_LAYOUTS);

/** Counts over the whole file list (the page has only the pages it asked for). */
export interface OverviewTotals {
  files: number;
  additions: number;
  deletions: number;
}

export interface OverviewInit {
  runId: string;
  baselineCommit: string;
  headLabel: string;
  /** The first page of the file list, in display order (the whole list when it is short). */
  files: OverviewFile[];
  totals: OverviewTotals;
  /** Names this file list: the page's requests for further pages carry it, and a page of an older list is refused. */
  listId: number;
  layout: OverviewLayout;
}

/** Files sent with init; the page asks for the rest a page at a time as it scrolls near them. */
export const FIRST_PAGE_FILES = 200;
/** The most files one page request may ask for. */
export const MAX_PAGE_FILES = 500;

/** A page of the file list: `count` files from index `start` of list `listId`. */
export interface FilePageQuery {
  listId: number;
  start: number;
  count: number;
}

export const isPageCount: Guard<number> = (v): v is number => isIndex(v) && v >= 1 && v <= MAX_PAGE_FILES;

/** The files from `start` on (fewer than asked at the end of the list), or why there are none. */
export type FilePageReply =
  | { ok: true; start: number; files: OverviewFile[] }
  | { ok: false; error: string };

/**
 * What the authority map says about one file of the diff, sent with the section's patch (never in the file list):
 * entry points and writes the run has in it, those that bypass the declared authority, and the baseline's write paths
 * in it that the run deleted or left unreachable. Labels come from the reviewed repository: the page shows them as text.
 */
export interface SectionAuthority {
  run?: { entries: number; writes: number; bypassing: string[] };
  baseline?: { entries: number; writes: number; lost: string[] };
}

/**
 * The unified diff of one file; or `large` when the patch text turned out too large to render inline (the page then
 * shows the large-diff summary); or why it could not be read. `authority`: the file's annotation, when the analysis is
 * ready and has something to say about it.
 */
export type PatchReply =
  | { ok: true; large: false; patch: string; authority?: SectionAuthority }
  | { ok: true; large: true; authority?: SectionAuthority }
  | { ok: false; error: string };

/** The prefix of this webview's messages. */
export const OverviewScope = 'overview';
const { command, request, notification } = webviewScope(OverviewScope);

export const Overview = {
  /** host -> page: the run and the first page of its file list (sent once the page is ready, and again when the run changes). */
  init: notification<OverviewInit>('init'),
  /** page -> host: the end of the files it has came near the viewport; it needs the next page of the list. */
  files: request<FilePageQuery, FilePageReply>('files', object({ listId: isIndex, start: isIndex, count: isPageCount })),
  /** page -> host: a section scrolled into view and needs its patch. */
  patch: request<{ id: string }, PatchReply>('patch', object({ id: isString })),
  /** page -> host: the reviewer switched layout; the host remembers it. */
  setLayout: command<{ layout: OverviewLayout }>('setLayout', object({ layout: isOverviewLayout })),
  /** page -> host: open this file in VS Code's diff editor. */
  openDiff: command<{ id: string }>('openDiff', object({ id: isString })),
  /** page -> host: the first section's content is on screen (for the benchmark of time to first content). */
  firstContent: command<{ ms: number }>('firstContent', object({ ms: isFiniteNumber })),
} as const;
