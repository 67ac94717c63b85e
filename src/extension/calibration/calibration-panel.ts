import * as vscode from 'vscode';
import path from 'node:path';
import { homedir } from 'node:os';
import { Settings, WebviewTypes } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { sideFileUri } from '../tree-content';
import { WebviewPanelBase } from '../webview-base';
import { evidenceOpening, entryLine, exportName, pngBytes, type OpenRun } from './calibration-actions';
import { calibrationCsv } from '../../core/calibration/csv';
import type { CalibrationReport } from '../../core/calibration/types';
import { isInsideTree } from '../../core/attestation/output-location';
import { errorMessage } from '../../core/errors';
import { Calibration, CalibrationScope, type EvidenceTarget } from '../../protocol/webview/calibration';

/**
 * The Calibration view (an editor tab): the report of one "Calibrate Grader…", drawn by src/webview/calibration. The
 * page asks to open evidence (the lines in the open run when it is the run the worksheet scored, else the worksheet at
 * its entry, saying why) and to save the numbers as CSV or the charts as a PNG (the host asks where and writes).
 */
export class CalibrationPanel extends WebviewPanelBase {
  private report: CalibrationReport | undefined;

  constructor(extensionUri: vscode.Uri, private readonly session: RunSession, log: Log) {
    super(extensionUri, log, { viewType: WebviewTypes.calibration, scope: CalibrationScope, label: 'Calibration', script: 'calibration', style: 'calibration',
      libraryStyles: ['codicon'] });
    this.on(Calibration.openEvidence, p => this.openEvidence(p));
    this.on(Calibration.exportCsv, () => this.exportCsv());
    this.on(Calibration.exportImage, p => this.exportImage(p.dataUrl));
  }

  /** Shows a report: opens the tab, or replaces what an open one shows. */
  show(report: CalibrationReport): void {
    this.report = report;
    const title = `Calibration: ${report.candidate.name}`;
    if (this.openPanel(title)) return;
    if (this.panel) this.panel.title = title;
    this.update();
  }

  protected onPageReady(): void {
    this.update();
  }

  private update(): void {
    if (this.report) this.notify(Calibration.show, this.report);
  }

  private openRun(): OpenRun | undefined {
    const review = this.session.review;
    return review ? { runId: review.run.runId, trees: { baseline: review.workspace.baselineTree, run: review.workspace.headTree } } : undefined;
  }

  /** The column next to the panel's: every piece of evidence opens there, one preview after another. */
  private besideColumn(): vscode.ViewColumn {
    const column = this.panel?.viewColumn;
    return column === undefined ? vscode.ViewColumn.Beside : ((column + 1) as vscode.ViewColumn);
  }

  private async openEvidence(target: EvidenceTarget): Promise<void> {
    if (!this.report) return;
    const opening = evidenceOpening(this.report, target, this.openRun());
    if (!opening) {
      this.log.warn(`Calibration: the page asked for evidence the report does not have: ${JSON.stringify(target)}`);
      return;
    }
    if (opening.kind === 'lines') {
      const uri = sideFileUri(this.session, opening.side, opening.path);
      if (!uri) return;
      const range = new vscode.Range(opening.startLine - 1, 0, opening.endLine - 1, Number.MAX_SAFE_INTEGER);
      await vscode.window.showTextDocument(uri, { selection: range, preview: true, viewColumn: this.besideColumn() });
      return;
    }
    if (opening.why) void vscode.window.showInformationMessage(opening.why);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(opening.file));
      const line = entryLine(doc.getText(), opening.dimension);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0), preview: true, viewColumn: this.besideColumn() });
    } catch (e) {
      this.log.showError(`Could not open the worksheet ${opening.file}: ${errorMessage(e)}`, e);
    }
  }

  /** Asks where to save; refuses a place inside the open run or its baseline (writing there would change what is scored). */
  private async saveTarget(name: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
    const review = this.session.review;
    const roots = review ? [review.run.root, review.run.baseline.repositoryRoot] : [];
    const folder = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.worksheetsFolder)?.trim()
      || vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file')?.uri.fsPath || homedir();
    for (;;) {
      const picked = await vscode.window.showSaveDialog({ title, saveLabel: 'Export', defaultUri: vscode.Uri.file(path.join(folder, name)), filters });
      if (!picked) return undefined;
      if (picked.scheme === 'file' && roots.some(r => isInsideTree(r, picked.fsPath))) {
        void vscode.window.showErrorMessage(`${picked.fsPath} is inside the open run or its baseline: writing there would change the tree being scored. Choose another folder.`);
        continue;
      }
      return picked;
    }
  }

  private async write(uri: vscode.Uri, bytes: Uint8Array, what: string): Promise<void> {
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      this.log.info(`Calibration: ${what} written to ${uri.fsPath}`);
      void vscode.window.showInformationMessage(`Calibration ${what} saved to ${uri.fsPath}.`);
    } catch (e) {
      this.log.showError(`Could not write ${uri.fsPath}: ${errorMessage(e)}`, e);
    }
  }

  private async exportCsv(): Promise<void> {
    const report = this.report;
    if (!report) return;
    const uri = await this.saveTarget(exportName(report, 'csv'), { CSV: ['csv'] }, 'Export the calibration numbers as CSV');
    if (uri) await this.write(uri, Buffer.from(calibrationCsv(report), 'utf8'), 'numbers (CSV)');
  }

  private async exportImage(dataUrl: string): Promise<void> {
    const report = this.report;
    if (!report) return;
    const png = pngBytes(dataUrl);
    if (!png.ok) {
      this.log.warn(`Calibration: the page sent an image that is refused: ${png.why}`);
      return;
    }
    const uri = await this.saveTarget(exportName(report, 'png'), { 'PNG image': ['png'] }, 'Export the calibration charts as an image');
    if (uri) await this.write(uri, png.bytes, 'charts (PNG)');
  }
}
