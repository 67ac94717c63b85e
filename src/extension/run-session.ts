import * as vscode from 'vscode';
import { Disposable } from './lifecycle';
import { ContextKeys, Settings, StorageKeys } from './ids';
import { type Log } from './log';
import { type ResolvedRun, type ResolveOptions } from '../git/resolve-run';
import { openReview, type WorkspaceReview } from '../git/open-review';

interface StoredRun {
  target: string;
  baseline?: string;
}

/** The run under review in this window: at most one. Remembered per workspace so a reload reopens it. */
export class RunSession extends Disposable {
  private open_: WorkspaceReview | undefined;
  private stored: StoredRun | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<ResolvedRun | undefined>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Log,
  ) {
    super();
    void vscode.commands.executeCommand('setContext', ContextKeys.runOpen, false);
  }

  get current(): ResolvedRun | undefined {
    return this.open_?.run;
  }

  get review(): WorkspaceReview | undefined {
    return this.open_;
  }

  /** The target and baseline choice the current run was opened with (what the language server opens too). */
  get openedWith(): StoredRun | undefined {
    return this.open_ ? this.stored : undefined;
  }

  get remembered(): StoredRun | undefined {
    return this.memento.get<StoredRun>(StorageKeys.lastRun);
  }

  /** Resolves `target` (a run folder or its seb-run.json) and makes it the current run. Throws SebError on bad input. */
  async open(target: string, options: { baseline?: string; token?: vscode.CancellationToken } = {}): Promise<ResolvedRun> {
    const abort = new AbortController();
    const sub = options.token?.onCancellationRequested(() => abort.abort());
    try {
      const gitPath = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.gitPath) || 'git';
      const t0 = Date.now();
      const resolveOptions: ResolveOptions = { gitPath, signal: abort.signal, ...(options.baseline !== undefined ? { baseline: options.baseline } : {}) };
      const review = await openReview(target, resolveOptions);
      const { run, changes } = review;
      this.log.info(
        `opened run ${run.runId} at ${run.root}: baseline ${run.baseline.commit} (${run.baseline.source.kind}), ` +
          `head ${run.head.commit} (${run.head.source.kind}), ${changes.length} changed files in ${Date.now() - t0} ms`,
      );
      const previous = this.open_;
      this.open_ = review;
      void previous?.workspace.dispose();
      this.stored = { target, ...(options.baseline !== undefined ? { baseline: options.baseline } : {}) };
      await this.memento.update(StorageKeys.lastRun, this.stored);
      await vscode.commands.executeCommand('setContext', ContextKeys.runOpen, true);
      this.changed.fire(run);
      return run;
    } finally {
      sub?.dispose();
    }
  }

  async refresh(token?: vscode.CancellationToken): Promise<ResolvedRun | undefined> {
    if (!this.stored) return undefined;
    return this.open(this.stored.target, { ...this.stored, ...(token ? { token } : {}) });
  }

  async close(): Promise<void> {
    if (this.open_) this.log.info(`closed run ${this.open_.run.runId}`);
    void this.open_?.workspace.dispose();
    this.open_ = undefined;
    this.stored = undefined;
    await this.memento.update(StorageKeys.lastRun, undefined);
    await vscode.commands.executeCommand('setContext', ContextKeys.runOpen, false);
    this.changed.fire(undefined);
  }

  override dispose(): void {
    void this.open_?.workspace.dispose();
    super.dispose();
  }
}
