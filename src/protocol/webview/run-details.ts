import { webviewScope } from './messages';
import { isString, object } from './guards';

export interface CommitModel {
  commit: string;
  tree: string;
  date: string;
  subject: string;
  source: string;
}

export interface FileExcerpt {
  path: string;
  /** Undefined when the file is missing or unreadable; `problem` says why. */
  text?: string;
  truncated?: boolean;
  bytes?: number;
  problem?: string;
}

/** Everything the Run Details page shows. Strings come from the reviewed repository: the page renders them as text. */
export interface RunDetailsModel {
  runId: string;
  root: string;
  baseline: CommitModel;
  head: CommitModel;
  manifestFile?: string;
  model?: { name: string; config?: string };
  benchmark?: { name: string; version: string };
  authority: Array<{ path: string; symbol: string }>;
  plan?: FileExcerpt;
  testLogs: FileExcerpt[];
}

/** The prefix of this webview's messages. */
export const RunDetailsScope = 'runDetails';
const { command, notification } = webviewScope(RunDetailsScope);

export const RunDetails = {
  /** host -> page: everything the page shows. */
  show: notification<RunDetailsModel>('show'),
  /** page -> host: open a file of the run (a path relative to its root; the host checks it stays inside). */
  openFile: command<{ path: string }>('openFile', object({ path: isString })),
} as const;
