import * as vscode from 'vscode';
import { type Log } from './log';
import { RunSession } from './run-session';
import { type RunItem, RunViewProvider } from './run-view';
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
import { CommandTable } from './commands/registry';
import { DraftController } from './drafts/draft-controller';
import { RubricFormView } from './rubric-form-view';
import { KeyStore } from './signing/key-store';
import { registerAuditCommands } from './audit/audit-commands';
import { type ResolvedRun } from '../core/run';

/**
 * Everything of SEB Review but the shell: the run session, the views that show a run (Changes, Authority, Rubric: they
 * are contributed `when: sebReview.runOpen`, so they exist before they can show), panels, the language client, stores,
 * and the commands' handlers. Built as its own bundle (dist/extension-features.js) and loaded by the shell
 * (extension.ts) on first need: start-up reopening a run, a command, a document of ours.
 */

/** What activate() hands to the integration tests (through its `api()`), and to nothing else. */
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

/** What the shell created at activation and passes in. */
export interface Shell {
  readonly log: Log;
  /** The Run view, created at activation on a provider that hands over to ours. */
  readonly runTree: vscode.TreeView<RunItem>;
  /** The start-up work; it may be what is loading the features, so it is read only once they are created. */
  readonly startup: () => Promise<ResolvedRun | undefined>;
}

export interface Features {
  readonly api: SebReviewApi;
  readonly runView: RunViewProvider;
  readonly content: TreeContentProvider;
  readonly commands: CommandTable;
  /** Stops the language server and waits for it (deactivate). */
  stop(): Promise<void>;
}

export function createFeatures(context: vscode.ExtensionContext, shell: Shell): Features {
  const { log, runTree } = shell;
  const session = new RunSession(context.workspaceState, log);
  const runView = new RunViewProvider(session, log);
  const details = new RunDetailsPanel(context.extensionUri, session, log);
  const reviewClient = new ReviewClient(context, session, log);
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
  context.subscriptions.push(session, runView, details, reviewClient, authority, evidence, evidenceBadges, authorityView, annotations, badges, wiring, changes, content, overview, drafts, rubricForm);
  context.subscriptions.push(session.onDidChange(run => {
    runTree.description = run ? run.runId : undefined;
  }));
  const keys = new KeyStore(context, log);
  const blind = new BlindGate(context.globalState, session);
  const commands = new CommandTable();
  registerCommands(commands.register, context, { session, log, changes, details, overview, drafts, keys, blind, reviewClient, authority, wiring });
  // the statistics load when the command runs, not with the features
  registerCalibrateGrader(commands.register, context, { session, log }, async input => {
    const [{ calibrateFiles }, { rubricResolver }] = await Promise.all([import('../core/calibration/files.js'), import('../core/rubric-files.js')]);
    const resolveRubric = rubricResolver([], vscode.Uri.joinPath(context.extensionUri, 'rubric').fsPath);
    return calibrateFiles(input, { resolveRubric, ...(input.allowedSigners !== undefined ? { allowedSigners: input.allowedSigners } : {}) }).report;
  });
  // the Audit view: blind grading decides whether other graders' worksheets for a run may be shown
  registerAuditCommands(commands.register, context, { session, log, keys, mayShowOthers: async runId => blind.mayShowOthers(runId, undefined, (await keys.key())?.keyId) });

  const startup = shell.startup();
  changes.waitFor(startup);
  const api: SebReviewApi = { session, changes, overview, runView, reviewClient, authority, evidence, evidenceBadges, authorityView, annotations, wiring, drafts, rubricForm, keys, blind, startup };
  return { api, runView, content, commands, stop: () => reviewClient.stop() };
}
