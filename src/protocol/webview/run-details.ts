import { notification } from './messages';

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

export const RunDetails = {
  show: notification<RunDetailsModel>('runDetails/show'),
  openFile: notification<{ path: string }>('runDetails/openFile'),
} as const;
