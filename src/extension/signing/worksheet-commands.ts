import * as vscode from 'vscode';
import { homedir } from 'node:os';
import path from 'node:path';
import { Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { writeAtomically } from '../drafts/draft-file';
import { loadRubric, packagedRubrics, type LoadedRubric } from '../rubrics';
import { type KeyStore } from './key-store';
import { readLimited } from './read-limited';
import {
  allowedSignersLine, cosignEnvelope, parseAllowedSigners, parseEnvelope, serializeEnvelope, signWorksheet, signedWorksheetFileName,
  verifyEnvelope, worksheetFromDraft, type AllowedSigner, type Verdict,
} from '../../core/attestation';
import { evaluate } from '../../core/scoring';
import { type Draft, type Worksheet } from '../../core/worksheet';
import { errorMessage } from '../../core/errors';

const inside = (root: string, file: string) => {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Export: the draft checked for completeness, bound to the baseline and run trees and the rubric's bytes, signed with
 * the reviewer's key, written where the reviewer chooses (never into the run or its baseline). Returns the file.
 */
export async function exportWorksheet(session: RunSession, drafts: DraftController, keys: KeyStore, log: Log, target?: string): Promise<string | undefined> {
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
    void vscode.window.showWarningMessage(`The worksheet is not complete (${result.missing.length} to do):`, { modal: true, detail: result.missing.join('\n') });
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
    if (roots.some(r => inside(r, picked.fsPath))) {
      void vscode.window.showErrorMessage(`${picked.fsPath} is inside the run or its baseline: writing there would change the tree being scored. Choose another folder.`);
      continue;
    }
    file = picked.fsPath;
  }
  if (roots.some(r => inside(r, file))) {
    log.showError(`${file} is inside the run or its baseline: not written.`);
    return undefined;
  }
  await writeAtomically(file, serializeEnvelope(envelope));
  const summary = `Signed worksheet for ${ws.run.runId}: ${ws.total} / ${loaded.rubric.total}. Baseline tree ${ws.run.baseline.tree.slice(0, 12)}, run tree ${ws.run.head.tree.slice(0, 12)}, rubric sha256 ${ws.rubric.sha256.slice(0, 12)}; signed by ${keys.identity ?? key.keyId}.`;
  log.info(`${summary} Written to ${file}`);
  void vscode.window.showInformationMessage(summary, 'Open', 'Verify').then(a => {
    if (a === 'Open') void vscode.window.showTextDocument(vscode.Uri.file(file));
    if (a === 'Verify') void vscode.commands.executeCommand('sebReview.verifyWorksheet', vscode.Uri.file(file));
  });
  return file;
}

async function allowedSigners(keys: KeyStore, log: Log): Promise<{ signers: AllowedSigner[]; source: string }> {
  const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.allowedSignersFile)?.trim();
  if (configured) {
    try {
      return { signers: parseAllowedSigners(await readLimited(configured, 'allowed-signers'), configured), source: configured };
    } catch (e) {
      log.showError(errorMessage(e), e);
      return { signers: [], source: `${configured} (unreadable)` };
    }
  }
  const own = await keys.key();
  if (own && keys.identity) {
    return { signers: parseAllowedSigners(allowedSignersLine(keys.identity, own.publicKey), 'your own key'), source: 'your own key only (set sebReview.allowedSignersFile)' };
  }
  return { signers: [], source: 'none (set sebReview.allowedSignersFile)' };
}

function asDraft(ws: Worksheet): Draft {
  return {
    format: 'seb-review/draft@1', revision: 0, writer: 'signed', rubric: ws.rubric,
    run: { runId: ws.run.runId, root: '', baseline: ws.run.baseline, head: ws.run.head }, grader: ws.grader,
    entries: Object.fromEntries(ws.entries.map(e => [e.dimension, { points: String(e.points), rationale: e.rationale, evidence: e.evidence }])),
    gaps: ws.gaps, createdAt: ws.createdAt, updatedAt: ws.updatedAt,
  };
}

/** Verify: every check of the envelope; the verdict and the scores shown in the rubric form, read-only. */
export async function verifyWorksheet(context: vscode.ExtensionContext, session: RunSession, drafts: DraftController, keys: KeyStore, log: Log,
  uri?: vscode.Uri): Promise<Verdict | undefined> {
  let file = uri?.fsPath ?? (vscode.window.activeTextEditor?.document.fileName.endsWith('.worksheet.json') ? vscode.window.activeTextEditor.document.fileName : undefined);
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: 'Verify a signed worksheet', filters: { 'Signed worksheet': ['json'] }, canSelectMany: false });
    file = picked?.[0]?.fsPath;
    if (!file) return undefined;
  }
  let text: string;
  try {
    text = await readLimited(file, 'json');
  } catch (e) {
    log.showError(errorMessage(e), e);
    return undefined;
  }
  const rubrics: LoadedRubric[] = [];
  for (const f of await packagedRubrics(context.extensionUri)) rubrics.push(await loadRubric(f, 'packaged'));
  if (drafts.rubric) rubrics.push(drafts.rubric);
  const { signers, source } = await allowedSigners(keys, log);
  const review = session.review;
  const threshold = Math.max(1, vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.signatureThreshold) ?? 1);
  const resolveRubric = (id: string, version: string) => rubrics.find(r => r.rubric.id === id && r.rubric.version === version);
  const verdict0 = verifyEnvelope(text, { allowedSigners: signers, resolveRubric, threshold });
  // the trees are checked when the worksheet is for the run that is open
  const trees = review && verdict0.worksheet?.run.runId === review.run.runId ? { baseline: review.workspace.baselineTree, run: review.workspace.headTree } : undefined;
  const commits = review ? { baseline: review.run.baseline.commit, head: review.run.head.commit } : undefined;
  const verdict = trees && commits ? verifyEnvelope(text, { allowedSigners: signers, trees, commits, resolveRubric, threshold }) : verdict0;
  const failed = verdict.checks.filter(c => !c.ok);
  log.info(`verify ${file} (allowed signers: ${source}${trees ? '; trees of the open run' : '; trees not checked: the run is not open'}):\n` +
    verdict.checks.map(c => `  ${c.ok ? '✔' : '✘'} ${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`).join('\n'));
  const headline = verdict.ok
    ? `Verified: signed by ${verdict.signers.join(', ')}${threshold > 1 ? ` (threshold ${threshold})` : ''}${trees ? '; both trees match the open run' : ''}`
    : `Not verified: ${failed.map(c => `${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`).join('; ')}`;
  const rubric = verdict.worksheet && rubrics.find(r => r.rubric.id === verdict.worksheet?.rubric.id && r.rubric.version === verdict.worksheet.rubric.version);
  if (verdict.worksheet && rubric) {
    const draft = asDraft(verdict.worksheet);
    drafts.showSigned({
      rubric: rubric.rubric, rubricSource: `${path.basename(file)} (signed worksheet)`, draft, evaluation: evaluate(rubric.rubric, draft.entries), readOnly: true,
      status: { kind: verdict.ok ? 'saved' : 'error', text: headline },
    });
    await vscode.commands.executeCommand('sebReview.rubric.focus');
  }
  if (verdict.ok) void vscode.window.showInformationMessage(`${path.basename(file)}: ${headline}`);
  else log.showError(`${path.basename(file)}: ${headline}`);
  return verdict;
}

/**
 * Co-sign: a second reviewer adds their signature to a signed worksheet, after reading it. The envelope must parse and
 * its existing signatures must be intact; the file is replaced atomically. Returns the file.
 */
export async function cosignWorksheet(keys: KeyStore, log: Log, uri?: vscode.Uri): Promise<string | undefined> {
  let file = uri?.fsPath ?? (vscode.window.activeTextEditor?.document.fileName.endsWith('.worksheet.json') ? vscode.window.activeTextEditor.document.fileName : undefined);
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: 'Co-sign a signed worksheet', filters: { 'Signed worksheet': ['json'] }, canSelectMany: false });
    file = picked?.[0]?.fsPath;
    if (!file) return undefined;
  }
  const key = await keys.key();
  if (!key) {
    void vscode.window.showWarningMessage('You have no signing key yet: run "SEB Review: Create Signing Key" or "Import Signing Key…".');
    return undefined;
  }
  try {
    const parsed = parseEnvelope(await readLimited(file, 'json'));
    if (!parsed.ok) {
      log.showError(`${file} is not a signed worksheet: ${parsed.checks.map(c => `${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`).join('; ')}`);
      return undefined;
    }
    await writeAtomically(file, serializeEnvelope(cosignEnvelope(parsed.value, key)));
  } catch (e) {
    log.showError(`${file}: ${errorMessage(e)}`, e);
    return undefined;
  }
  log.info(`co-signed ${file} as ${keys.identity ?? key.keyId}`);
  void vscode.window.showInformationMessage(`Co-signed ${path.basename(file)} as ${keys.identity ?? key.keyId}.`);
  return file;
}
