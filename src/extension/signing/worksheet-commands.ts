import * as vscode from 'vscode';
import { homedir } from 'node:os';
import path from 'node:path';
import { Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { writeAtomically } from '../drafts/draft-file';
import { type KeyStore } from './key-store';
import { type BlindGate } from './blind-gate';
import { isInsideTree, serializeEnvelope, signWorksheet, signedWorksheetFileName, worksheetFromDraft } from '../../core/attestation';

export { verifyWorksheet } from './verify-command';
export { cosignWorksheet } from './cosign-command';

/**
 * Export: the draft checked for completeness, bound to the baseline and run trees and the rubric's bytes, signed with
 * the reviewer's key, written where the reviewer chooses (never into the run or its baseline). Returns the file.
 */
export async function exportWorksheet(session: RunSession, drafts: DraftController, keys: KeyStore, log: Log, target?: string, blind?: BlindGate): Promise<string | undefined> {
  await drafts.whenLoaded();
  await drafts.flush();
  const review = session.review;
  const draft = drafts.draft;
  const loaded = drafts.rubric;
  if (!review || !draft || !loaded) {
    void vscode.window.showWarningMessage('Open a run and score it before exporting a worksheet.');
    return undefined;
  }
  let key = await keys.key();
  if (!key) {
    const answer = await vscode.window.showWarningMessage('You have no signing key yet.', 'Create Signing Key', 'Import Signing Key…');
    key = answer === 'Create Signing Key' ? await keys.create() : answer ? await keys.import() : undefined;
    if (!key) return undefined;
  }
  const result = worksheetFromDraft(draft, loaded.rubric, { keyId: key.keyId, rubricSha256: loaded.sha256 });
  if (!result.ok) {
    // a modal dialog can be refused (a test driver, a closing window): nothing depends on its answer
    vscode.window.showWarningMessage(`The worksheet is not complete (${result.missing.length} to do):`, { modal: true, detail: result.missing.join('\n') })
      .then(undefined, () => undefined);
    return undefined;
  }
  const ws = result.worksheet;
  const envelope = signWorksheet(ws, path.basename(loaded.file), key);
  let file = target;
  const roots = [review.run.root, review.run.baseline.repositoryRoot];
  while (!file) {
    const folder = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.worksheetsFolder)?.trim() || homedir();
    const picked = await vscode.window.showSaveDialog({
      title: 'Export signed worksheet', saveLabel: 'Export',
      defaultUri: vscode.Uri.file(path.join(folder, signedWorksheetFileName(ws))), filters: { 'Signed worksheet': ['json'] },
    });
    if (!picked) return undefined;
    if (roots.some(r => isInsideTree(r, picked.fsPath))) {
      void vscode.window.showErrorMessage(`${picked.fsPath} is inside the run or its baseline: writing there would change the tree being scored. Choose another folder.`);
      continue;
    }
    file = picked.fsPath;
  }
  if (roots.some(r => isInsideTree(r, file))) {
    log.showError(`${file} is inside the run or its baseline: not written.`);
    return undefined;
  }
  await writeAtomically(file, serializeEnvelope(envelope));
  await blind?.recordOwn(ws.run.runId, key.keyId);
  const summary = `Signed worksheet for ${ws.run.runId}: ${ws.total} / ${loaded.rubric.total}. Baseline tree ${ws.run.baseline.tree.slice(0, 12)}, run tree ${ws.run.head.tree.slice(0, 12)}, rubric sha256 ${ws.rubric.sha256.slice(0, 12)}; signed by ${keys.identity ?? key.keyId}.`;
  log.info(`${summary} Written to ${file}`);
  void vscode.window.showInformationMessage(summary, 'Open', 'Verify').then(a => {
    if (a === 'Open') void vscode.window.showTextDocument(vscode.Uri.file(file));
    if (a === 'Verify') void vscode.commands.executeCommand('sebReview.verifyWorksheet', vscode.Uri.file(file));
  });
  return file;
}
