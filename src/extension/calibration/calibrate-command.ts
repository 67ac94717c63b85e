import * as vscode from 'vscode';
import { Commands, Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import type { CalibrationPanel } from './calibration-panel';
import type { CalibrationReport } from '../../core/calibration/types';
import { SebError, errorMessage } from '../../core/errors';
import { type RegisterCommand } from '../commands/registry';

/** What "Calibrate Grader…" asks for: the candidate's and the references' worksheets (files or folders), whom to trust. */
export interface CalibrationInput {
  candidate: string[];
  reference: string[];
  /** An allowed-signers file; without one, no signature can be verified. */
  allowedSigners?: string;
}

/**
 * Reads the worksheets and computes the report. Throws a SebError naming the file on bad input. Injected, so the
 * command does not load the statistics until it is run.
 */
export interface CalibrationLoader {
  (input: CalibrationInput): Promise<CalibrationReport>;
}

export interface CalibrateServices {
  session: RunSession;
  log: Log;
}

/**
 * Registers "Calibrate Grader…": it works without an open run. The panel's module is loaded on first use, not at
 * activation.
 */
export function registerCalibrateGrader(register: RegisterCommand, context: vscode.ExtensionContext, s: CalibrateServices, loader: CalibrationLoader): void {
  let panel: CalibrationPanel | undefined;
  register(Commands.calibrateGrader, async () => {
    const report = await calibrateGrader(s.log, loader);
    if (!report) return;
    // loaded on first use: esbuild keeps the module in the bundle but runs it only now
    panel ??= new (await import('./calibration-panel.js')).CalibrationPanel(context.extensionUri, s.session, s.log);
    panel.show(report);
  });
  context.subscriptions.push({ dispose: () => panel?.dispose() });
}

function startFolder(): vscode.Uri | undefined {
  const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.worksheetsFolder)?.trim();
  if (configured) return vscode.Uri.file(configured);
  return vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file')?.uri;
}

async function pickWorksheets(step: string, who: string, defaultUri: vscode.Uri | undefined): Promise<string[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Calibrate Grader (${step}): ${who} — worksheet files, or folders of them`,
    openLabel: who === 'the candidate grader' ? 'Candidate' : 'Reference',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    filters: { Worksheets: ['json'] },
    ...(defaultUri ? { defaultUri } : {}),
  });
  const paths = picked?.filter(u => u.scheme === 'file').map(u => u.fsPath);
  return paths && paths.length > 0 ? paths : undefined;
}

/** Whom to trust: the configured allowed-signers file, another one, or none (and what that means, said before it is chosen). */
async function pickSigners(): Promise<{ file?: string } | undefined> {
  const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.allowedSignersFile)?.trim();
  type Choice = vscode.QuickPickItem & { choice: 'configured' | 'choose' | 'none' };
  const items: Choice[] = [
    ...(configured ? [{ label: 'Use the configured allowed-signers file', description: configured, choice: 'configured' as const }] : []),
    { label: 'Choose an allowed-signers file…', detail: 'Signed worksheets are verified against it; a signature it does not vouch for leaves that worksheet out.', choice: 'choose' },
    { label: 'No allowed-signers file', detail: 'Signed worksheets cannot be verified and are left out (listed with the reason); unsigned worksheets are read, marked unsigned.',
      choice: 'none' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Calibrate Grader (3/3): whom to trust', placeHolder: 'Verify signatures against…', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.choice === 'none') return {};
  if (picked.choice === 'configured' && configured) return { file: configured };
  const chosen = await vscode.window.showOpenDialog({ title: 'The allowed-signers file (one "identity key" line per trusted signer)', openLabel: 'Trust', canSelectMany: false });
  const file = chosen?.[0]?.fsPath;
  return file ? { file } : undefined;
}

/** Asks for the worksheets and whom to trust, then runs the loader with progress. Undefined when cancelled or refused (the user was told why). */
export async function calibrateGrader(log: Log, loader: CalibrationLoader): Promise<CalibrationReport | undefined> {
  const start = startFolder();
  const candidate = await pickWorksheets('1/3', 'the candidate grader', start);
  if (!candidate) return undefined;
  const reference = await pickWorksheets('2/3', 'the reference grader or graders', start);
  if (!reference) return undefined;
  const both = candidate.filter(p => reference.includes(p));
  if (both.length > 0) {
    log.showError(`${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} chosen as both the candidate and the reference: a grader cannot calibrate against itself.`);
    return undefined;
  }
  const signers = await pickSigners();
  if (!signers) return undefined;
  const input: CalibrationInput = { candidate, reference, ...(signers.file !== undefined ? { allowedSigners: signers.file } : {}) };
  log.info(`calibrating ${candidate.join(', ')} against ${reference.join(', ')}; allowed signers: ${signers.file ?? 'none'}`);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Calibrating: reading the worksheets and computing the statistics…' },
      () => loader(input),
    );
  } catch (e) {
    if (e instanceof SebError) log.showError(e.message, e);
    else log.showError(`Calibration failed: ${errorMessage(e)}`, e);
    return undefined;
  }
}
