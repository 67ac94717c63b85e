import * as vscode from 'vscode';
import { Commands, Views } from './ids';
import { type Log } from './log';
import { type DraftController } from './drafts/draft-controller';
import { type EvidenceStore } from './evidence/evidence-store';
import { foundEvidence } from './evidence/found-evidence';
import { WebviewViewBase } from './webview-base';
import { RubricForm, RubricFormScope, type FoundEvidence } from '../protocol/webview/rubric';

/**
 * The rubric form: a webview view in the SEB Review container, showing and editing the open run's draft, with the
 * evidence the review server found listed under each dimension (Open, Add as Evidence).
 */
export class RubricFormView extends WebviewViewBase {
  private readonly readyEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires each time the page has (re)loaded and been sent its state. */
  readonly onDidRender = this.readyEmitter.event;
  /** The found evidence last sent (it is sent again only when it changes, not on every keystroke). */
  private foundSent: string | undefined;
  /** The last placement, by the rubric and the evidence it was made from (both are replaced, never changed in place). */
  private placed: { rubric: unknown; evidence: unknown; found: FoundEvidence; key: string } | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly drafts: DraftController,
    private readonly evidence: EvidenceStore,
    log: Log,
  ) {
    super(extensionUri, log, { viewId: Views.rubric, scope: RubricFormScope, label: 'Rubric', script: 'rubric', style: 'rubric', libraryStyles: ['codicon'] });
    this.on(RubricForm.edit, e => this.drafts.apply(e));
    this.on(RubricForm.openEvidence, p => vscode.commands.executeCommand(Commands.openEvidence, p.dimension, p.index));
    this.on(RubricForm.removeEvidence, p => this.drafts.removeEvidence(p.dimension, p.index));
    this.on(RubricForm.openFact, p => {
      const l = this.evidence.fact(p.id)?.location;
      if (l) return vscode.commands.executeCommand(Commands.openFindingLocation, { side: l.side, path: l.path, line: l.startLine, endLine: l.endLine });
      return undefined;
    });
    this.on(RubricForm.addFact, p => {
      const f = this.evidence.fact(p.id);
      if (!f?.location) return undefined;
      const { side, path, startLine, endLine } = f.location;
      return vscode.commands.executeCommand(Commands.addFindingAsEvidence, { side, path, startLine, endLine, note: f.note },
        { ...(p.dimension !== undefined ? { dimension: p.dimension } : {}), note: f.note });
    });
    this.on(RubricForm.retryFound, () => this.evidence.retry());
    this._register(drafts.onDidChange(() => this.post()));
    this._register(evidence.onDidChange(() => this.postFound()));
  }

  protected onPageReady(): void {
    this.foundSent = undefined;
    this.post();
    this.readyEmitter.fire();
  }

  private post(): void {
    this.notify(RubricForm.state, this.drafts.state());
    this.postFound();
  }

  /** The found evidence for the form's rubric; undefined when the form shows no draft or a signed worksheet. */
  found(): FoundEvidence | undefined {
    return this.placement()?.found;
  }

  private placement(): { found: FoundEvidence; key: string } | undefined {
    const state = this.drafts.state();
    if (!state || state.readOnly) return undefined;
    const evidence = this.evidence.state;
    if (this.placed?.rubric !== state.rubric || this.placed.evidence !== evidence) {
      const found = foundEvidence(state.rubric.dimensions, evidence);
      this.placed = { rubric: state.rubric, evidence, found, key: JSON.stringify(found) };
    }
    return this.placed;
  }

  private postFound(): void {
    const p = this.placement();
    if (!p || p.key === this.foundSent) return;
    this.foundSent = p.key;
    this.notify(RubricForm.found, p.found);
  }
}
