import * as vscode from 'vscode';
import { Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { loadRubric, packagedRubrics, type LoadedRubric } from '../rubrics';
import { type KeyStore } from './key-store';
import { readLimited } from './read-limited';
import { allowedSignersLine, parseAllowedSigners, type AllowedSigner, type RubricResolver, type VerifyOptions } from '../../core/attestation';
import { errorMessage } from '../../core/errors';

/** What a signed worksheet is checked against in the editor: the rubrics it may name and the run that is open. */
export interface VerifyContext {
  rubrics: LoadedRubric[];
  resolveRubric: RubricResolver;
  /** The open run's trees and commits, when the worksheet is for it (same run id). */
  runChecks(runId: string | undefined): Pick<VerifyOptions, 'trees' | 'commits'>;
}

export async function verifyContext(context: vscode.ExtensionContext, session: RunSession, drafts: DraftController): Promise<VerifyContext> {
  const rubrics: LoadedRubric[] = [];
  for (const f of await packagedRubrics(context.extensionUri)) rubrics.push(await loadRubric(f, 'packaged'));
  if (drafts.rubric) rubrics.push(drafts.rubric);
  return {
    rubrics,
    resolveRubric: (id, version) => rubrics.find(r => r.rubric.id === id && r.rubric.version === version),
    runChecks: runId => {
      const review = session.review;
      if (!review || runId !== review.run.runId) return {};
      return {
        trees: { baseline: review.workspace.baselineTree, run: review.workspace.headTree },
        commits: { baseline: review.run.baseline.commit, head: review.run.head.commit },
      };
    },
  };
}

/** The configured allowed-signers file (sebReview.allowedSignersFile), read and checked; undefined when none is set. */
export async function configuredSigners(log: Log): Promise<{ signers: AllowedSigner[]; source: string } | undefined> {
  const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.allowedSignersFile)?.trim();
  if (!configured) return undefined;
  try {
    return { signers: parseAllowedSigners(await readLimited(configured, 'allowed-signers'), configured), source: configured };
  } catch (e) {
    log.showError(errorMessage(e), e);
    return { signers: [], source: `${configured} (unreadable)` };
  }
}

/** Whom verification trusts: the configured allowed-signers file, else the reviewer's own key only. */
export async function allowedSigners(keys: KeyStore, log: Log): Promise<{ signers: AllowedSigner[]; source: string }> {
  const configured = await configuredSigners(log);
  if (configured) return configured;
  const own = await keys.key();
  if (own && keys.identity) {
    try {
      return { signers: parseAllowedSigners(allowedSignersLine(keys.identity, own.publicKey), 'your own key'), source: 'your own key only (set sebReview.allowedSignersFile)' };
    } catch (e) {
      log.showError(`Your signing identity cannot be trusted as it is: ${errorMessage(e)}. Create or import the key again with another identity.`, e);
    }
  }
  return { signers: [], source: 'none (set sebReview.allowedSignersFile)' };
}

/** The signed worksheet to act on: the one given, else the active *.worksheet.json editor, else one picked. */
export async function worksheetFile(uri: vscode.Uri | undefined, title: string): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.fileName;
  const file = uri?.fsPath ?? (active?.endsWith('.worksheet.json') ? active : undefined);
  if (file) return file;
  const picked = await vscode.window.showOpenDialog({ title, filters: { 'Signed worksheet': ['json'] }, canSelectMany: false });
  return picked?.[0]?.fsPath;
}
