import * as vscode from 'vscode';
import path from 'node:path';
import { Commands } from '../ids';
import { type RunSession } from '../run-session';
import { type ChangesView } from '../changes/changes-view';
import { type FileChange, type ChangeStatus, baselinePath } from '../../core/file-change';
import { type SortOrder } from '../../core/change-tree';
import { BASELINE_SCHEME, RUN_SCHEME, sideUris, treeUri } from '../tree-content';

/** Opens VS Code's diff editor for one change: the baseline on the left, the run on the right. */
export async function openChange(session: RunSession, view: ChangesView, c: FileChange | undefined): Promise<void> {
  if (!c) return;
  const uris = sideUris(session, c);
  if (!uris) return;
  view.noteOpened(c);
  if (c.binary) {
    await vscode.commands.executeCommand('vscode.open', c.status === 'deleted' ? uris.left : uris.right);
    void vscode.window.showInformationMessage(`${c.path} is a binary file: only the ${c.status === 'deleted' ? 'baseline' : 'run'} side is shown.`);
    return;
  }
  const name = c.oldPath && c.oldPath !== c.path ? `${c.oldPath} → ${c.path}` : c.path;
  const what = c.status === 'added' ? 'added' : c.status === 'deleted' ? 'deleted' : 'baseline ↔ run';
  await vscode.commands.executeCommand('vscode.diff', uris.left, uris.right, `${name} (${what})`, { preview: true });
}

/** From a run file to its baseline counterpart and back, keeping the cursor's line. */
export async function openCounterpart(session: RunSession, uri?: vscode.Uri): Promise<void> {
  const review = session.review;
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri;
  if (!review || !target) return;
  const line = editor && editor.document.uri.toString() === target.toString() ? editor.selection.active.line : 0;
  let open: vscode.Uri | undefined;
  if (target.scheme === BASELINE_SCHEME) {
    const rel = target.path.slice(1);
    const change = review.changes.find(c => baselinePath(c) === rel);
    if (change?.status === 'deleted') {
      void vscode.window.showInformationMessage(`${rel} was deleted by the run: it has no counterpart in the run.`);
      return;
    }
    const runRel = change?.path ?? rel;
    open = review.run.head.source.kind === 'working-tree'
      ? vscode.Uri.file(path.join(review.run.root, runRel))
      : treeUri(RUN_SCHEME, review.workspace.headTree, runRel);
  } else {
    const rel = target.scheme === RUN_SCHEME ? target.path.slice(1) : path.relative(review.run.root, target.fsPath).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      void vscode.window.showInformationMessage(`${target.fsPath} is not inside the run ${review.run.root}.`);
      return;
    }
    const change = review.changes.find(c => c.path === rel);
    if (change?.status === 'added') {
      void vscode.window.showInformationMessage(`${rel} was added by the run: the baseline has no counterpart.`);
      return;
    }
    open = treeUri(BASELINE_SCHEME, review.workspace.baselineTree, change?.oldPath ?? rel);
  }
  const pos = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(open, { selection: new vscode.Range(pos, pos), preview: true });
}

const STATUSES: Array<{ label: string; status: ChangeStatus }> = [
  { label: 'Added', status: 'added' }, { label: 'Deleted', status: 'deleted' }, { label: 'Modified', status: 'modified' },
  { label: 'Renamed', status: 'renamed' }, { label: 'Type changed (file ↔ symlink)', status: 'type-changed' },
];

export async function filterChanges(view: ChangesView): Promise<void> {
  const current = view.filter;
  const picked = await vscode.window.showQuickPick(
    STATUSES.map(s => ({ label: s.label, status: s.status, picked: current.statuses?.includes(s.status) ?? false })),
    { canPickMany: true, title: 'Filter Changes (1/2): statuses to show (none = all)', ignoreFocusOut: true },
  );
  if (!picked) return;
  const glob = await vscode.window.showInputBox({
    title: 'Filter Changes (2/2): path glob (empty = all paths)',
    prompt: '`*` within a folder name, `**` across folders; without a slash it matches file names anywhere (e.g. *.ts, server/**)',
    value: current.glob ?? '',
    ignoreFocusOut: true,
  });
  if (glob === undefined) return;
  await view.setFilter({ statuses: picked.map(p => p.status), ...(glob.trim() ? { glob: glob.trim() } : {}) });
}

export async function sortChanges(view: ChangesView): Promise<void> {
  const options: Array<{ label: string; order: SortOrder }> = [
    { label: 'By path', order: 'path' }, { label: 'By size of change (lines added + deleted)', order: 'churn' },
    { label: 'By status', order: 'status' },
  ];
  const picked = await vscode.window.showQuickPick(options.map(o => ({ ...o, description: o.order === view.sort ? 'current' : '' })), {
    title: 'Sort Changes',
  });
  if (picked) await view.setSort(picked.order);
}

export async function gotoUnviewed(session: RunSession, view: ChangesView, direction: 1 | -1): Promise<FileChange | undefined> {
  const next = view.nextUnviewed(direction);
  if (!next) {
    void vscode.window.showInformationMessage(session.review ? 'Every changed file is marked as viewed.' : 'No run is open.');
    return undefined;
  }
  await view.reveal(next);
  await vscode.commands.executeCommand(Commands.openChange, next);
  return next;
}
