import * as vscode from 'vscode';
import { Disposable } from './lifecycle';
import { Commands, Views } from './ids';
import { type DraftController } from './drafts/draft-controller';
import { WebviewChannel, pageHtml, webviewOptions } from './webview-host';
import { RubricForm } from '../protocol/webview/rubric';

/** The rubric form: a webview view in the SEB Review container, showing and editing the open run's draft. */
export class RubricFormView extends Disposable implements vscode.WebviewViewProvider {
  private channel: WebviewChannel | undefined;
  private readonly readyEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires each time the page has (re)loaded and been sent its state. */
  readonly onDidRender = this.readyEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly drafts: DraftController,
  ) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(Views.rubric, this));
    this._register(drafts.onDidChange(() => this.post()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const channel = new WebviewChannel(view.webview);
    this.channel?.dispose();
    this.channel = channel;
    channel.on(RubricForm.edit, e => this.drafts.apply(e));
    channel.on(RubricForm.openEvidence, p => void vscode.commands.executeCommand(Commands.openEvidence, p.dimension, p.index));
    channel.on(RubricForm.removeEvidence, p => this.drafts.removeEvidence(p.dimension, p.index));
    channel.on(RubricForm.command, p => {
      if (p.command === 'openRun') void vscode.commands.executeCommand(Commands.openRun);
      else if (p.command === 'chooseRubric') void vscode.commands.executeCommand(Commands.chooseRubric);
      else void this.drafts.resolveConflict(p.command === 'reloadDraft' ? 'theirs' : 'mine');
    });
    channel.onDidBecomeReady(() => {
      this.post();
      this.readyEmitter.fire();
    });
    view.onDidChangeVisibility(() => {
      if (!view.visible) channel.reset();
    });
    view.onDidDispose(() => {
      channel.dispose();
      if (this.channel === channel) this.channel = undefined;
    });
    view.webview.html = pageHtml({ webview: view.webview, extensionUri: this.extensionUri, title: 'Rubric', script: 'rubric', style: 'rubric',
      libraryStyles: ['codicon'] });
  }

  private post(): void {
    this.channel?.post(RubricForm.state, this.drafts.state());
  }
}
