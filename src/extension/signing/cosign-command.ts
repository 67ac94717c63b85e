import * as vscode from 'vscode';
import path from 'node:path';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { writeAtomically } from '../drafts/draft-file';
import { type KeyStore } from './key-store';
import { readLimited } from './read-limited';
import { formatCheck } from './verify-command';
import { configuredSigners, verifyContext, worksheetFile } from './verify-context';
import { cosignVerified, isInsideTree, parseEnvelope, parseStatement, serializeEnvelope } from '../../core/attestation';
import { errorMessage } from '../../core/errors';

/** The run id a signed worksheet names, when it parses that far (for the open run's trees and commits). */
function runIdOf(text: string): string | undefined {
  const envelope = parseEnvelope(text);
  const statement = envelope.ok ? parseStatement(envelope.value) : undefined;
  return statement?.ok ? statement.value.predicate.run.runId : undefined;
}

/**
 * Co-sign: a second reviewer adds their signature to a signed worksheet, after reading it. It is verified first, as
 * core/attestation/cosign says, against the configured allowed-signers file (the public keys of the signatures already
 * on it come from there), the rubrics, and the open run's trees and commits when it is that run's. Never into the open
 * run's or baseline's tree. The file is replaced atomically. Returns the file.
 */
export async function cosignWorksheet(context: vscode.ExtensionContext, session: RunSession, drafts: DraftController, keys: KeyStore, log: Log,
  uri?: vscode.Uri): Promise<string | undefined> {
  const file = await worksheetFile(uri, 'Co-sign a signed worksheet');
  if (!file) return undefined;
  const key = await keys.key();
  if (!key) {
    void vscode.window.showWarningMessage('You have no signing key yet: run "SEB Review: Create Signing Key" or "Import Signing Key…".');
    return undefined;
  }
  const review = session.review;
  if (review && [review.run.root, review.run.baseline.repositoryRoot].some(root => isInsideTree(root, file))) {
    log.showError(`${file} is inside the run or its baseline: co-signing it there would change the tree being scored. Move it out first.`);
    return undefined;
  }
  const trusted = await configuredSigners(log);
  if (!trusted) {
    void vscode.window.showWarningMessage('Co-signing verifies the signatures already on the worksheet first: set sebReview.allowedSignersFile ' +
      'to the allowed-signers file that lists its signers.');
    return undefined;
  }
  try {
    const text = await readLimited(file, 'json');
    const ctx = await verifyContext(context, session, drafts);
    const result = cosignVerified(text, key, { allowedSigners: trusted.signers, resolveRubric: ctx.resolveRubric, ...ctx.runChecks(runIdOf(text)) });
    if (!result.ok) {
      log.showError(`${path.basename(file)} was not co-signed: ${result.verdict.checks.filter(c => !c.ok).map(formatCheck).join('; ')}`);
      return undefined;
    }
    await writeAtomically(file, serializeEnvelope(result.envelope));
    const graded = result.verdict.grader ? `; graded by ${result.verdict.grader.identity}` : '';
    log.info(`co-signed ${file} as ${keys.identity ?? key.keyId} (allowed signers: ${trusted.source})${graded}`);
    void vscode.window.showInformationMessage(`Co-signed ${path.basename(file)} as ${keys.identity ?? key.keyId}${graded}.`);
    return file;
  } catch (e) {
    log.showError(`${file}: ${errorMessage(e)}`, e);
    return undefined;
  }
}
