import * as vscode from 'vscode';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { Commands, Settings, Views } from './ids';
import { Log } from './log';
import { RunSession } from './run-session';
import { RunViewProvider } from './run-view';
import { RunDetailsPanel } from './run-details-panel';
import { ReviewClient } from './server/review-client';
import { AuthorityStore } from './authority/authority-store';
import { AuthorityView } from './authority/authority-view';
import { AuthorityAnnotations } from './authority/annotations';
import { ChangeBadges } from './authority/change-badges';
import { EvidenceStore } from './evidence/evidence-store';
import { EvidenceBadges } from './evidence/evidence-badges';
import { WiringPanel } from './authority/wiring-panel';
import { ChangesView } from './changes/changes-view';
import { BlindGate } from './signing/blind-gate';
import { registerCalibrateGrader } from './calibration/calibrate-command';
import { TreeContentProvider } from './tree-content';
import { OverviewPanel } from './overview-panel';
import { SessionOverviewSource } from './overview-source';
import { registerCommands } from './commands/register';
import { DraftController } from './drafts/draft-controller';
import { RubricFormView } from './rubric-form-view';
import { KeyStore } from './signing/key-store';
import { registerAuditCommands } from './audit/audit-commands';
import { MANIFEST_FILE } from '../core/manifest';
import { type ResolvedRun } from '../core/run';

/** What activate() returns: used by the integration tests, and by nothing else. */
export interface SebReviewApi {
  readonly session: RunSession;
  readonly changes: ChangesView;
  readonly overview: OverviewPanel;
  readonly runView: RunViewProvider;
  readonly drafts: DraftController;
  readonly rubricForm: RubricFormView;
  readonly keys: KeyStore;
  readonly reviewClient: ReviewClient;
  readonly authority: AuthorityStore;
  readonly evidence: EvidenceStore;
  readonly evidenceBadges: EvidenceBadges;
  readonly authorityView: AuthorityView;
  readonly annotations: AuthorityAnnotations;
  readonly wiring: WiringPanel;
  blind: BlindGate;
  /** Settles when start-up work (reopening the last run, or the workspace's run) is done. */
  readonly startup: Promise<ResolvedRun | undefined>;
}

export function activate(context: vscode.ExtensionContext): SebReviewApi {
  const t0 = Date.now();
  const log = new Log();
  const session = new RunSession(context.workspaceState, log);
  const runView = new RunViewProvider(session, log);
  const details = new RunDetailsPanel(context.extensionUri, session, log);
  const reviewClient = new ReviewClient(context, session, log);
  client = reviewClient;
  const authority = new AuthorityStore(reviewClient, log);
  const authorityView = new AuthorityView(authority);
  const annotations = new AuthorityAnnotations(session, authority, context.extensionUri);
  const badges = new ChangeBadges(session, authority);
  const evidence = new EvidenceStore(reviewClient, log);
  const evidenceBadges = new EvidenceBadges(session, evidence);
  const wiring = new WiringPanel(context.extensionUri, authority, log);
  const overview = new OverviewPanel(context.extensionUri, new SessionOverviewSource(session, (side, p) => authority.fileFindings(side, p)), context.workspaceState, log);
  const changes = new ChangesView(session, context.workspaceState);
  const content = new TreeContentProvider(session);
  const drafts = new DraftController(session, context, log);
  const rubricForm = new RubricFormView(context.extensionUri, drafts, evidence, log);
  context.subscriptions.push(log, session, runView, details, reviewClient, authority, authorityView, annotations, badges, evidence, evidenceBadges, wiring, changes, content, overview, drafts, rubricForm);

  const tree = vscode.window.createTreeView(Views.run, { treeDataProvider: runView, showCollapseAll: false });
  context.subscriptions.push(tree, session.onDidChange(run => {
    tree.description = run ? run.runId : undefined;
  }));
  const keys = new KeyStore(context, log);
  const blind = new BlindGate(context.globalState, session);
  registerCommands(context, { session, log, changes, details, overview, drafts, keys, blind, reviewClient, authority, wiring });
  // the statistics load when the command runs, not at activation
  registerCalibrateGrader(context, { session, log }, async input => {
    const [{ calibrateFiles }, { rubricResolver }] = await Promise.all([import('../core/calibration/files.js'), import('../core/rubric-files.js')]);
    const resolveRubric = rubricResolver([], vscode.Uri.joinPath(context.extensionUri, 'rubric').fsPath);
    return calibrateFiles(input, { resolveRubric, ...(input.allowedSigners !== undefined ? { allowedSigners: input.allowedSigners } : {}) }).report;
  });
  // the Audit view: blind grading decides whether other graders' worksheets for a run may be shown
  registerAuditCommands(context, { session, log, keys, mayShowOthers: async runId => blind.mayShowOthers(runId, undefined, (await keys.key())?.keyId) });
  // opening a signed worksheet shows its verdict and its scores in the rubric form, read-only
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(doc => {
    if (doc.uri.scheme === 'file' && doc.fileName.endsWith('.worksheet.json')) void vscode.commands.executeCommand(Commands.verifyWorksheet, doc.uri);
  }));

  const startup = openAtStartup(session, log);
  changes.waitFor(startup);
  const loadStart = (globalThis as { __sebReviewLoadStart?: number }).__sebReviewLoadStart;
  const loaded = loadStart === undefined ? '' : `, bundle loaded and activated in ${(performance.now() - loadStart).toFixed(1)} ms`;
  log.info(`activated in ${Date.now() - t0} ms${loaded} (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  return { session, changes, overview, runView, reviewClient, authority, evidence, evidenceBadges, authorityView, annotations, wiring, drafts, rubricForm, keys, blind, startup };
}

/** Reopens the run this workspace had open, or opens the workspace folder itself when it holds a seb-run.json. */
async function openAtStartup(session: RunSession, log: Log): Promise<ResolvedRun | undefined> {
  try {
    if (!vscode.workspace.isTrusted) {
      log.info('workspace not trusted: not opening a run automatically (use "Open Run…")');
      return undefined;
    }
    const last = session.remembered;
    if (last) return await session.open(last.target, last.baseline !== undefined ? { baseline: last.baseline } : {});
    const enabled = vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.openRunOnStartup, true);
    if (!enabled) return undefined;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const manifest = path.join(folder.uri.fsPath, MANIFEST_FILE);
      const exists = await stat(manifest).then(s => s.isFile(), () => false);
      if (exists) return await session.open(folder.uri.fsPath);
    }
  } catch (e) {
    log.showError(`SEB Review could not open the run: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  return undefined;
}

let client: ReviewClient | undefined;

/** Stops the language server and waits for it; everything else is disposed through context.subscriptions. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
