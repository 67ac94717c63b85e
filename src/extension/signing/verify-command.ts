import * as vscode from 'vscode';
import { type BlindGate } from './blind-gate';
import path from 'node:path';
import { Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { type KeyStore } from './key-store';
import { readLimited } from './read-limited';
import { allowedSigners, verifyContext, worksheetFile } from './verify-context';
import { verifyEnvelope, type Check, type Verdict } from '../../core/attestation';
import { evaluate } from '../../core/scoring';
import { type Draft, type Worksheet } from '../../core/worksheet';
import { errorMessage } from '../../core/errors';

export const formatCheck = (c: Check): string => `${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`;

function asDraft(ws: Worksheet): Draft {
  return {
    format: 'seb-review/draft@1', revision: 0, writer: 'signed', rubric: ws.rubric,
    run: { runId: ws.run.runId, root: '', baseline: ws.run.baseline, head: ws.run.head }, grader: ws.grader,
    entries: Object.fromEntries(ws.entries.map(e => [e.dimension, { points: String(e.points), rationale: e.rationale, evidence: e.evidence }])),
    gaps: ws.gaps, createdAt: ws.createdAt, updatedAt: ws.updatedAt,
  };
}

/** Verify: every check of the envelope; the verdict, who graded, and the scores shown in the rubric form, read-only. */
export async function verifyWorksheet(context: vscode.ExtensionContext, session: RunSession, drafts: DraftController, keys: KeyStore, log: Log,
  uri?: vscode.Uri, blind?: BlindGate): Promise<Verdict | undefined> {
  const file = await worksheetFile(uri, 'Verify a signed worksheet');
  if (!file) return undefined;
  let text: string;
  try {
    text = await readLimited(file, 'json');
  } catch (e) {
    log.showError(errorMessage(e), e);
    return undefined;
  }
  const ctx = await verifyContext(context, session, drafts);
  const { signers, source } = await allowedSigners(keys, log);
  const threshold = Math.max(1, vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.signatureThreshold) ?? 1);
  const first = verifyEnvelope(text, { allowedSigners: signers, resolveRubric: ctx.resolveRubric, threshold });
  const own = (await keys.key())?.keyId;
  const peeked = first.worksheet;
  if (peeked !== undefined && blind !== undefined) {
    const refused = blind.mayShowOthers(peeked.run.runId, peeked.grader.keyId, own);
    if (refused !== undefined) {
      log.info(`verify ${file}: not shown (${refused})`);
      void vscode.window.showWarningMessage(`${path.basename(file)}: ${refused}`);
      return undefined;
    }
  }
  // the trees and commits are checked when the worksheet is for the run that is open
  const run = ctx.runChecks(first.worksheet?.run.runId);
  const verdict = run.trees ? verifyEnvelope(text, { allowedSigners: signers, resolveRubric: ctx.resolveRubric, threshold, ...run }) : first;
  const failed = verdict.checks.filter(c => !c.ok);
  if (verdict.ok && verdict.worksheet !== undefined && verdict.grader?.keyId === own && own !== undefined) await blind?.recordOwn(verdict.worksheet.run.runId, own);
  log.info(`verify ${file} (allowed signers: ${source}${run.trees ? '; trees and commits of the open run' : '; trees not checked: the run is not open'}):\n` +
    verdict.checks.map(c => `  ${c.ok ? '✔' : '✘'} ${formatCheck(c)}`).join('\n'));
  const graded = verdict.grader ? `; graded by ${verdict.grader.identity}` : '';
  const headline = verdict.ok
    ? `Verified: signed by ${verdict.signers.join(', ')}${threshold > 1 ? ` (threshold ${threshold})` : ''}${run.trees ? '; both trees match the open run' : ''}${graded}`
    : `Not verified: ${failed.map(formatCheck).join('; ')}`;
  const ws = verdict.worksheet;
  const rubric = ws && ctx.rubrics.find(r => r.rubric.id === ws.rubric.id && r.rubric.version === ws.rubric.version);
  if (ws && rubric) {
    const draft = asDraft(ws);
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
