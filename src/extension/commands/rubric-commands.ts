import * as vscode from 'vscode';
import path from 'node:path';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { type Log } from '../log';
import { locate, sideFileUri } from '../tree-content';
export { locate } from '../tree-content';
import { loadRubric, packagedRubrics, rememberRubric } from '../rubrics';
import { type Evidence } from '../../core/worksheet';
import { errorMessage } from '../../core/errors';

/** "Add Selection as Evidence…": the selected lines of a run or baseline file, attached to a chosen dimension. */
export async function addEvidence(session: RunSession, drafts: DraftController, log: Log, args?: { dimension?: string; note?: string }): Promise<Evidence | undefined> {
  const editor = vscode.window.activeTextEditor;
  await drafts.whenLoaded();
  const rubric = drafts.rubric?.rubric;
  const draft = drafts.draft;
  if (!editor || !rubric || !draft) {
    void vscode.window.showWarningMessage(!rubric ? 'Open a run first: evidence belongs to a run\'s worksheet.' : 'Select lines in an editor first.');
    return undefined;
  }
  const where = locate(session, editor.document.uri);
  if (!where) {
    log.showError(`${editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath : editor.document.uri.toString()} is not a file of the run or of its baseline: evidence must point into one of the two trees.`);
    return undefined;
  }
  const sel = editor.selection;
  const startLine = sel.start.line + 1;
  const endLine = Math.max(startLine, sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1);
  let dimension = args?.dimension;
  if (dimension === undefined) {
    const picked = await vscode.window.showQuickPick(
      rubric.dimensions.map(d => ({ label: d.title, description: `${draft.entries[d.id]?.points || '–'} / ${d.ceiling}`, detail: d.description, id: d.id })),
      { title: `Add ${where.path}:${startLine}-${endLine} (${where.side}) as evidence for…`, placeHolder: 'Choose the dimension', matchOnDetail: true },
    );
    if (!picked) return undefined;
    dimension = picked.id;
  }
  const note = args?.note ?? (await vscode.window.showInputBox({ title: 'Note (optional)', prompt: 'What these lines show, in a few words', ignoreFocusOut: true }));
  if (note === undefined) return undefined;
  const evidence: Evidence = { side: where.side, path: where.path, startLine, endLine, ...(note.trim() ? { note: note.trim() } : {}) };
  if (!drafts.addEvidence(dimension, evidence)) {
    log.showError(`The rubric ${rubric.id} has no dimension "${dimension}".`);
    return undefined;
  }
  return evidence;
}

export async function openEvidence(session: RunSession, drafts: DraftController, dimension: string, index: number): Promise<void> {
  const e = drafts.draft?.entries[dimension]?.evidence[index];
  const review = session.review;
  if (!e || !review) return;
  const uri = sideFileUri(session, e.side, e.path);
  if (!uri) return;
  const range = new vscode.Range(e.startLine - 1, 0, e.endLine - 1, Number.MAX_SAFE_INTEGER);
  await vscode.window.showTextDocument(uri, { selection: range, preview: true });
}

/** "Choose Rubric…": a packaged rubric, a *.rubric.json of the workspace, or any file. */
export async function chooseRubric(context: vscode.ExtensionContext, session: RunSession, drafts: DraftController, log: Log): Promise<void> {
  const run = session.current;
  if (!run) return;
  if (run.manifest?.rubric) {
    void vscode.window.showInformationMessage(`${path.basename(run.manifestFile ?? 'seb-run.json')} names the rubric (${run.manifest.rubric}); change it there.`);
    return;
  }
  const packaged = await packagedRubrics(context.extensionUri);
  const inWorkspace = (await vscode.workspace.findFiles('**/*.rubric.json', '**/node_modules/**', 50)).map(u => u.fsPath);
  const items = [
    ...packaged.map(f => ({ label: path.basename(f), description: 'packaged with SEB Review', file: f as string | undefined })),
    ...inWorkspace.map(f => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), file: f as string | undefined })),
    { label: 'Browse…', description: 'a rubric file anywhere', file: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Rubric for ${run.runId}` });
  if (!picked) return;
  let file = picked.file;
  if (!file) {
    const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Rubric: ['json'] }, title: 'Choose a rubric file' });
    file = chosen?.[0]?.fsPath;
    if (!file) return;
  }
  try {
    const loaded = await loadRubric(file, 'chosen for this run');
    await rememberRubric(context.workspaceState, run, file);
    await drafts.reload(loaded);
  } catch (e) {
    log.showError(errorMessage(e), e);
  }
}
