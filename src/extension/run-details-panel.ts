import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from './lifecycle';
import { WebviewTypes } from './ids';
import { type Log } from './log';
import { type RunSession } from './run-session';
import { runDetailsModel } from './run-details-model';
import { WebviewChannel, pageHtml, webviewOptions } from './webview-host';
import { RunDetails } from '../protocol/webview/run-details';
import { relativePathProblem } from '../core/relative-path';

/** The Run Details editor page: the run's identity, both commits, the manifest, the plan and the test logs. */
export class RunDetailsPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: RunSession,
    private readonly log: Log,
  ) {
    super();
    this._register(session.onDidChange(() => void this.update()));
  }

  /** Opens or reveals the page; resolves once its content has been posted. */
  async show(): Promise<void> {
    if (!this.panel) {
      const title = this.session.current ? `Run Details: ${this.session.current.runId}` : 'Run Details';
      const panel = vscode.window.createWebviewPanel(WebviewTypes.runDetails, title, vscode.ViewColumn.Active, {
        ...webviewOptions(this.extensionUri),
        retainContextWhenHidden: false,
      });
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-bar.svg');
      const channel = new WebviewChannel(panel.webview);
      channel.on(RunDetails.openFile, p => void this.openFile(p.path));
      panel.webview.html = pageHtml({ webview: panel.webview, extensionUri: this.extensionUri, title: 'Run Details',
        script: 'run-details', style: 'run-details' });
      // the page is dropped while hidden (no retainContextWhenHidden): send its content again when it is back
      panel.onDidChangeViewState(e => {
        if (!e.webviewPanel.visible) channel.reset();
      });
      channel.onDidBecomeReady(() => void this.update());
      panel.onDidDispose(() => {
        channel.dispose();
        this.panel = undefined;
        this.channel = undefined;
      });
      this.panel = panel;
      this.channel = channel;
    } else {
      this.panel.reveal();
      await this.update();
    }
  }

  private async update(): Promise<void> {
    const run = this.session.current;
    if (!this.panel || !this.channel) return;
    if (!run) {
      this.panel.dispose();
      return;
    }
    this.panel.title = `Run Details: ${run.runId}`;
    this.channel.post(RunDetails.show, await runDetailsModel(run));
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

  override dispose(): void {
    this.panel?.dispose();
    super.dispose();
  }
}
