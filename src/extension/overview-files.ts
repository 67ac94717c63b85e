import { type FileChange } from '../core/file-change';
import { type FilePageQuery, type FilePageReply, type OverviewFile, type OverviewTotals } from '../protocol/webview/overview';

/** Above this many changed lines a text file is summarised rather than drawn inline. */
export const LARGE_LINES = 5000;

/** What the page knows of a change before its patch is loaded; `index` is its place in the list (its id). */
export function overviewFile(c: FileChange, index: number): OverviewFile {
  return {
    id: String(index),
    path: c.path,
    ...(c.oldPath !== undefined ? { oldPath: c.oldPath } : {}),
    status: c.status,
    ...(c.similarity !== undefined ? { similarity: c.similarity } : {}),
    binary: c.binary,
    additions: c.additions,
    deletions: c.deletions,
    oldMode: c.oldMode,
    newMode: c.newMode,
    large: !c.binary && c.additions + c.deletions > LARGE_LINES,
  };
}

/** The counts the page's header shows, over the whole list. */
export function overviewTotals(changes: readonly FileChange[]): OverviewTotals {
  let additions = 0;
  let deletions = 0;
  for (const c of changes) {
    additions += c.additions;
    deletions += c.deletions;
  }
  return { files: changes.length, additions, deletions };
}

/**
 * The page of the list the page asked for (its parameters already passed the guard). Refused when it names another
 * list than the current one (the page has not had the new list yet) or starts past the end; short at the end.
 */
export function filePage(changes: readonly FileChange[], listId: number, q: FilePageQuery): FilePageReply {
  if (q.listId !== listId) return { ok: false, error: 'the file list changed' };
  if (q.start > changes.length) return { ok: false, error: `no file ${q.start} in a list of ${changes.length}` };
  const files = changes.slice(q.start, q.start + q.count).map((c, i) => overviewFile(c, q.start + i));
  return { ok: true, start: q.start, files };
}
