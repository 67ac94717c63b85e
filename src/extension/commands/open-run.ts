import * as vscode from 'vscode';
import { SebError, isSebError } from '../../core/errors';
import { type ResolvedRun } from '../../core/run';
import { type Log } from '../log';
import { type RunSession } from '../run-session';

/**
 * "Open Run…": a run folder or a seb-run.json, from the argument (a Uri or a path) or a dialog.
 * Returns the opened run, or undefined when the user cancelled or the input was refused (the user was told why).
 */
export async function openRunCommand(session: RunSession, log: Log, arg?: vscode.Uri | string): Promise<ResolvedRun | undefined> {
  let target: string | undefined = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (target === undefined) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Open Run: a run folder (a git repository) or its seb-run.json',
      openLabel: 'Open Run',
      canSelectFolders: true,
      canSelectFiles: true,
      canSelectMany: false,
      filters: { 'Run manifest': ['json'] },
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    target = picked?.[0]?.fsPath;
    if (target === undefined) return undefined;
  }
  return openWithProgress(session, log, target, undefined);
}

async function openWithProgress(session: RunSession, log: Log, target: string, baseline: string | undefined): Promise<ResolvedRun | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Opening run ${target}`, cancellable: true },
      (_progress, token) => session.open(target, { ...(baseline !== undefined ? { baseline } : {}), token }),
    );
  } catch (e) {
    if (isSebError(e, 'cancelled')) {
      log.info(`opening ${target} was cancelled`);
      return undefined;
    }
    if (isSebError(e, 'several-roots') && e.choices && baseline === undefined) {
      const chosen = await pickRoot(e, log);
      return chosen === undefined ? undefined : openWithProgress(session, log, target, chosen);
    }
    if (e instanceof SebError) {
      log.showError(e.message);
      return undefined;
    }
    log.showError(`Could not open the run ${target}: ${e instanceof Error ? e.message : String(e)}`, e);
    return undefined;
  }
}

async function pickRoot(e: SebError, log: Log): Promise<string | undefined> {
  log.warn(e.message);
  const items = (e.choices ?? []).map(c => ({ label: c.label, ...(c.detail ? { detail: c.detail } : {}), value: c.value }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'This repository has several root commits and no seb-run.json: which one is the frozen baseline?',
    placeHolder: 'Choose the baseline commit',
    ignoreFocusOut: true,
  });
  return picked?.value;
}
