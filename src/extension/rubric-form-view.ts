import * as vscode from 'vscode';
import { Commands, Views } from './ids';
import { type Log } from './log';
import { type DraftController } from './drafts/draft-controller';
import { WebviewViewBase } from './webview-base';
import { RubricForm, RubricFormScope } from '../protocol/webview/rubric';

/** The rubric form: a webview view in the SEB Review container, showing and editing the open run's draft. */
export class RubricFormView extends WebviewViewBase {
  private readonly readyEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires each time the page has (re)loaded and been sent its state. */
  readonly onDidRender = this.readyEmitter.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly drafts: DraftController,
    log: Log,
  ) {
    super(extensionUri, log, { viewId: Views.rubric, scope: RubricFormScope, label: 'Rubric', script: 'rubric', style: 'rubric', libraryStyles: ['codicon'] });
    this.on(RubricForm.edit, e => this.drafts.apply(e));
    this.on(RubricForm.openEvidence, p => vscode.commands.executeCommand(Commands.openEvidence, p.dimension, p.index));
    this.on(RubricForm.removeEvidence, p => this.drafts.removeEvidence(p.dimension, p.index));
    this.on(RubricForm.command, p => {
      switch (p.command) {
        case 'openRun': return vscode.commands.executeCommand(Commands.openRun);
        case 'chooseRubric': return vscode.commands.executeCommand(Commands.chooseRubric);
        case 'reloadDraft': return this.drafts.resolveConflict('theirs');
        case 'keepMine': return this.drafts.resolveConflict('mine');
      }
    });
    this._register(drafts.onDidChange(() => this.post()));
  }

  protected onPageReady(): void {
    this.post();
    this.readyEmitter.fire();
  }

  private post(): void {
    this.notify(RubricForm.state, this.drafts.state());
  }
}
