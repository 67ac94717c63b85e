import * as vscode from 'vscode';
import { Commands, Views } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type RunDetailsPanel } from '../run-details-panel';
import { type ChangesView } from '../changes/changes-view';
import { type OverviewPanel } from '../overview-panel';
import { type FileChange } from '../../git/changes';
import { type DraftController } from '../drafts/draft-controller';
import { addEvidence, chooseRubric, openEvidence } from './rubric-commands';
import { type KeyStore } from '../signing/key-store';
import { cosignWorksheet, exportWorksheet, verifyWorksheet } from '../signing/worksheet-commands';
import { type BlindGate } from '../signing/blind-gate';
import { openRunCommand } from './open-run';
import { filterChanges, gotoUnviewed, openChange, openCounterpart, sortChanges } from './changes-commands';
import { type ReviewClient } from '../server/review-client';
import { type AuthorityStore } from '../authority/authority-store';
import { addFindingAsEvidence, openFindingLocation } from '../authority/finding-commands';
import { type WiringPanel } from '../authority/wiring-panel';
import { type RegisterCommand } from './registry';

interface Services {
  session: RunSession;
  log: Log;
  changes: ChangesView;
  details: RunDetailsPanel;
  overview: OverviewPanel;
  drafts: DraftController;
  keys: KeyStore;
  blind: BlindGate;
  reviewClient: ReviewClient;
  authority: AuthorityStore;
  wiring: WiringPanel;
}

/**
 * The handlers of the commands the extension contributes (ids from ids.ts; test/unit/contributions.test.ts checks them
 * against package.json both ways), but Show Log, which the shell answers itself, and Calibrate Grader and the Audit
 * commands, which register their own.
 */
export function registerCommands(register: RegisterCommand, context: vscode.ExtensionContext, s: Services): void {
  register(Commands.openRun, (arg?: vscode.Uri | string) => openRunCommand(s.session, s.log, arg));
  register(Commands.closeRun, () => s.session.close());
  register(Commands.refreshRun, () =>
    vscode.window.withProgress({ location: { viewId: Views.run }, cancellable: true }, (_p, token) =>
      s.session.refresh(token).catch((e: unknown) => s.log.showError(e instanceof Error ? e.message : String(e), e))),
  );
  register(Commands.showRunDetails, () => s.details.show());
  register(Commands.openChange, (c?: FileChange) => openChange(s.session, s.changes, c));
  register(Commands.openCounterpart, (uri?: vscode.Uri) => openCounterpart(s.session, uri));
  register(Commands.filterChanges, () => filterChanges(s.changes));
  register(Commands.clearChangesFilter, () => s.changes.setFilter({}));
  register(Commands.sortChanges, () => sortChanges(s.changes));
  register(Commands.nextUnviewed, () => gotoUnviewed(s.session, s.changes, 1));
  register(Commands.previousUnviewed, () => gotoUnviewed(s.session, s.changes, -1));
  register(Commands.showOverview, () => s.overview.show());
  register(Commands.addEvidence, (args?: { dimension?: string; note?: string }) => addEvidence(s.session, s.drafts, s.log, args));
  register(Commands.openEvidence, (dimension: string, index: number) => openEvidence(s.session, s.drafts, dimension, index));
  register(Commands.chooseRubric, () => chooseRubric(context, s.session, s.drafts, s.log));
  register(Commands.createSigningKey, (identity?: string) => s.keys.create(identity));
  register(Commands.importSigningKey, (file?: string, identity?: string) => s.keys.import(file, identity));
  register(Commands.copyPublicKey, () => s.keys.copyPublicKey());
  register(Commands.exportWorksheet, (target?: string) => exportWorksheet(s.session, s.drafts, s.keys, s.log, target, s.blind));
  register(Commands.verifyWorksheet, (uri?: vscode.Uri) => verifyWorksheet(context, s.session, s.drafts, s.keys, s.log, uri, s.blind));
  register(Commands.cosignWorksheet, (uri?: vscode.Uri) => cosignWorksheet(context, s.session, s.drafts, s.keys, s.log, uri));
  register(Commands.closeSignedWorksheet, () => s.drafts.closeSigned());
  register(Commands.restartServer, () => s.reviewClient.restart().catch((e: unknown) => s.log.showError('The SEB Review language server did not restart', e)));
  register(Commands.cancelAnalysis, () => s.reviewClient.cancelAnalysis());
  register(Commands.refreshAuthority, () => s.reviewClient.reanalyse());
  register(Commands.showWiringMatrix, () => s.wiring.show());
  register(Commands.openFindingLocation, (arg?: unknown) => openFindingLocation(s.session, s.log, arg));
  register(Commands.addFindingAsEvidence, (arg?: unknown, preset?: { dimension?: string; note?: string }) =>
    addFindingAsEvidence(s.session, s.drafts, s.authority, s.log, arg, preset));
  register(Commands.showDraftFile, async () => {
    await s.drafts.flush();
    const file = s.drafts.draftFile;
    if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  });
}
