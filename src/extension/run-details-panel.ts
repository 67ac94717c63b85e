import * as vscode from 'vscode';
import path from 'node:path';
import { WebviewTypes } from './ids';
import { type Log } from './log';
import { type RunSession } from './run-session';
import { runDetailsModel } from './run-details-model';
import { WebviewPanelBase } from './webview-base';
import { RunDetails, RunDetailsScope } from '../protocol/webview/run-details';
import { relativePathProblem } from '../core/relative-path';

/** The Run Details editor page: the run's identity, both commits, the manifest, the plan and the test logs. */
export class RunDetailsPanel extends WebviewPanelBase {
  constructor(
    extensionUri: vscode.Uri,
    private readonly session: RunSession,
    log: Log,
  ) {
    super(extensionUri, log, { viewType: WebviewTypes.runDetails, scope: RunDetailsScope, label: 'Run Details', script: 'run-details', style: 'run-details' });
    this.on(RunDetails.openFile, p => this.openFile(p.path));
    this._register(session.onDidChange(() => void this.update()));
  }

  /** Opens or reveals the page; resolves once its content has been posted (a new page is sent it once it is ready). */
  async show(): Promise<void> {
    const title = this.session.current ? `Run Details: ${this.session.current.runId}` : 'Run Details';
    if (!this.openPanel(title)) await this.update();
  }

  protected onPageReady(): void {
    void this.update();
  }

  private async update(): Promise<void> {
    const run = this.session.current;
    const panel = this.panel;
    if (!panel) return;
    if (!run) {
      this.closePanel();
      return;
    }
    panel.title = `Run Details: ${run.runId}`;
    this.notify(RunDetails.show, await runDetailsModel(run));
  }

  private async openFile(rel: string): Promise<void> {
    const run = this.session.current;
    if (!run) return;
    const problem = relativePathProblem(rel);
    if (problem) {
      this.log.warn(`Run Details asked to open ${JSON.stringify(rel)}, which ${problem}`);
      return;
    }
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(run.root, rel)));
  }
}
