import * as vscode from 'vscode';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { ADJUDICATION_SUFFIX, Commands, Schemes, Settings, StorageKeys, Views, WORKSHEET_SUFFIX } from './ids';
import { Log } from './log';
import { LateContentProvider, LateTreeDataProvider } from './late-providers';
import type { Features, SebReviewApi } from './features';
import type { RunItem } from './run-view';
import { MANIFEST_FILE } from '../core/manifest-name';
import { errorMessage } from '../core/errors';
import type { ResolvedRun } from '../core/run';

/**
 * The shell: what must exist the moment the extension activates, and nothing more. Everything else (the run session,
 * git, the language client, zod, the panels, signing) is in the features bundle (features.ts, built on its own as
 * dist/extension-features.js), loaded on first need:
 *   - a command: every contributed command is registered here as a shim that loads the features, then runs the handler
 *     features.ts registered in its CommandTable (Show Log excepted: the log is here);
 *   - start-up, when there is a run to reopen (or the workspace is one);
 *   - a document of ours: a seb-baseline:/seb-run: document, a seb-run.json (the language server serves it), a signed
 *     worksheet or adjudication opened in the editor.
 * Views that show only while a run is open (`when: sebReview.runOpen`) are created by the features; the Run view shows
 * without a run, so it is created here on a provider that hands over to the real one.
 * A new feature goes into features.ts (or a module it imports), never into this file's imports: a new command gets its
 * id in ids.ts and its handler in the CommandTable, and the shim here comes with it.
 */

/** What activate() returns: used by the integration tests, and by nothing else. */
export interface SebReviewActivation {
  /** Settles when start-up work (reopening the last run, or the workspace's run) is done. */
  readonly startup: Promise<ResolvedRun | undefined>;
  /** Loads the features (if start-up has not) and hands over their objects. */
  api(): Promise<SebReviewApi>;
}

export type { SebReviewApi } from './features';

let loaded: Features | undefined;

export function activate(context: vscode.ExtensionContext): SebReviewActivation {
  const t0 = Date.now();
  const log = new Log();
  const runView = new LateTreeDataProvider<RunItem>();
  const runTree = vscode.window.createTreeView(Views.run, { treeDataProvider: runView, showCollapseAll: false });
  context.subscriptions.push(log, runView, runTree);

  let loading: Promise<Features> | undefined;
  const features = (): Promise<Features> => loading ??= import('./features.js').then(m => {
    // runs after activate() has returned (a promise callback), so `startup` is set by then
    const f = m.createFeatures(context, { log, runTree, startup: () => startup });
    loaded = f;
    runView.attach(f.runView);
    content.attach(f.content);
    log.info(`features loaded in ${Date.now() - t0} ms after activation began`);
    return f;
  }, (e: unknown) => {
    loading = undefined;
    log.error('the SEB Review features did not load', e);
    throw e;
  });

  const content = new LateContentProvider(async () => (await features()).content);
  context.subscriptions.push(content,
    vscode.workspace.registerTextDocumentContentProvider(Schemes.baseline, content),
    vscode.workspace.registerTextDocumentContentProvider(Schemes.run, content));

  for (const id of Object.values(Commands)) {
    const handler = id === Commands.showLog ? () => log.channel.show(true) : async (...args: unknown[]) => (await features()).commands.run(id, args);
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }

  const opened = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'file') return;
    // opening a signed worksheet shows its verdict and its scores in the rubric form, read-only;
    // opening a signed adjudication shows its verdict and its points in the Audit panel, read-only
    if (doc.fileName.endsWith(WORKSHEET_SUFFIX)) void vscode.commands.executeCommand(Commands.verifyWorksheet, doc.uri);
    else if (doc.fileName.endsWith(ADJUDICATION_SUFFIX)) void vscode.commands.executeCommand(Commands.openAdjudication, doc.uri);
    // the language server serves run manifests: the features' client starts it for every open one
    else if (isManifest(doc) && !loaded) features().catch(() => undefined);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(opened));
  if (vscode.workspace.textDocuments.some(isManifest)) features().catch(() => undefined);

  const startup = openAtStartup(context.workspaceState, log, features);
  const loadStart = (globalThis as { __sebReviewLoadStart?: number }).__sebReviewLoadStart;
  const took = loadStart === undefined ? '' : `, bundle loaded and activated in ${(performance.now() - loadStart).toFixed(1)} ms`;
  log.info(`activated in ${Date.now() - t0} ms${took} (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  return { startup, api: async () => (await features()).api };
}

const isManifest = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && doc.uri.path.endsWith(`/${MANIFEST_FILE}`);

/**
 * Reopens the run this workspace had open, or opens the workspace folder itself when it holds a seb-run.json. What to
 * open is decided here, so the features load only when there is something to open.
 */
async function openAtStartup(memento: vscode.Memento, log: Log, features: () => Promise<Features>): Promise<ResolvedRun | undefined> {
  try {
    if (!vscode.workspace.isTrusted) {
      log.info('workspace not trusted: not opening a run automatically (use "Open Run…")');
      return undefined;
    }
    // what RunSession remembers (RunSession.remembered)
    const last = memento.get<{ target: string; baseline?: string }>(StorageKeys.lastRun);
    if (last) return await (await features()).api.session.open(last.target, last.baseline !== undefined ? { baseline: last.baseline } : {});
    const enabled = vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.openRunOnStartup, true);
    if (!enabled) return undefined;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const manifest = path.join(folder.uri.fsPath, MANIFEST_FILE);
      const exists = await stat(manifest).then(s => s.isFile(), () => false);
      if (exists) return await (await features()).api.session.open(folder.uri.fsPath);
    }
  } catch (e) {
    log.showError(`SEB Review could not open the run: ${errorMessage(e)}`, e);
  }
  return undefined;
}

/** Stops the language server and waits for it; everything else is disposed through context.subscriptions. */
export async function deactivate(): Promise<void> {
  await loaded?.stop();
  loaded = undefined;
}
