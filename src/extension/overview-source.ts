import * as vscode from 'vscode';
import { Commands } from './ids';
import { type RunSession } from './run-session';
import { buildTree, filesUnder } from '../core/change-tree';
import { type OverviewSource } from './overview-panel';
import { filePatch, type FileChange } from '../git/changes';
import { baselinePath, runPath } from '../core/file-change';
import { type SectionAuthority } from '../protocol/webview/overview';
import { sectionAuthority } from './authority/section-authority';
import type { FileFindings } from '../protocol/server/authority';

/** Where the overview reads a file's findings (the authority store): undefined while no analysis is ready. */
export type FindingsOf = (side: 'baseline' | 'run', path: string) => Promise<FileFindings | undefined>;

/** The overview's data: every change of the open run, in the Changes view's folder order (no filter: the whole diff). */
export class SessionOverviewSource implements OverviewSource {
  readonly onDidChange: vscode.Event<void>;

  /** The list in folder order, for the listing it was built from (built once per listing, not on every show). */
  private ordered: { of: readonly FileChange[]; changes: readonly FileChange[] } | undefined;

  constructor(private readonly session: RunSession, private readonly findings?: FindingsOf) {
    this.onDidChange = (listener, thisArgs, disposables) =>
      session.onDidChange(() => listener.call(thisArgs), undefined, disposables);
  }

  current(): { runId: string; baselineCommit: string; headLabel: string; changes: readonly FileChange[] } | undefined {
    const review = this.session.review;
    if (!review) return undefined;
    const h = review.run.head;
    const headLabel = h.source.kind === 'working-tree'
      ? `working tree${h.source.branch ? ` on ${h.source.branch}` : ''} at ${h.commit.slice(0, 8)}${h.source.dirty ? ' (uncommitted changes)' : ''}`
      : `${h.source.ref} (${h.commit.slice(0, 8)})`;
    if (this.ordered?.of !== review.changes) this.ordered = { of: review.changes, changes: filesUnder(buildTree(review.changes)) };
    return { runId: review.run.runId, baselineCommit: review.run.baseline.commit, headLabel, changes: this.ordered.changes };
  }

  patch(change: FileChange): Promise<string> {
    const review = this.session.review;
    if (!review) return Promise.reject(new Error('no run is open'));
    return filePatch(review.workspace, change);
  }

  async authority(change: FileChange): Promise<SectionAuthority | undefined> {
    if (!this.findings) return undefined;
    const head = runPath(change);
    const base = baselinePath(change);
    const [run, baseline] = await Promise.all([
      head !== undefined ? this.findings('run', head) : undefined,
      base !== undefined ? this.findings('baseline', base) : undefined,
    ]);
    return sectionAuthority(run, baseline);
  }

  async openDiff(change: FileChange): Promise<void> {
    await vscode.commands.executeCommand(Commands.openChange, change);
  }
}
