import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Disposable } from '../lifecycle';
import { Commands, LANGUAGE_CLIENT_ID, Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { MANIFEST_FILE } from '../../core/manifest';
import type { NotificationDef, RequestDef } from '../../protocol/server/defs';
import {
  AnalysisStatusToClient, ReviewCancelToServer, ReviewCloseToServer, ReviewOpenToServer, type AnalysisStatus, type ReviewOpenParams,
} from '../../protocol/server/review';

const isManifest = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && doc.uri.path.endsWith(`/${MANIFEST_FILE}`);

/** What the server reads from the editor: run manifests, and the run's source files (their unsaved text updates the map). */
const SOURCE_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
export const REVIEW_DOCUMENTS: vscode.DocumentFilter[] = [
  { scheme: 'file', pattern: `**/${MANIFEST_FILE}` },
  ...SOURCE_LANGUAGES.map(language => ({ scheme: 'file', language })),
];

/**
 * The client of the review language server (src/server): started when a run opens (or a seb-run.json is opened), told
 * which run to analyse, and the one way the extension talks to it. Its state shows in two language status items (the
 * analysis, with Show Log; the server, with Restart Server). Restarts run one at a time; a restart asked for during one
 * runs once after it. `stop()` is what deactivate awaits.
 */
export class ReviewClient extends Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private restarting: Promise<void> | undefined;
  private restartQueued = false;
  private crashes = 0;
  private starts_ = 0;
  private status_: AnalysisStatus = { generation: 0, state: 'idle', message: 'no run open' };
  private readonly statusEmitter = this._register(new vscode.EventEmitter<AnalysisStatus>());
  /** The analysis state changed: a new generation of results, progress, failure. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly analysisItem = this._register(vscode.languages.createLanguageStatusItem('sebReview.analysis', REVIEW_DOCUMENTS));
  private readonly serverItem = this._register(vscode.languages.createLanguageStatusItem('sebReview.server', REVIEW_DOCUMENTS));

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: RunSession,
    private readonly log: Log,
  ) {
    super();
    this.analysisItem.name = 'SEB Review: authority map';
    this.serverItem.name = 'SEB Review: review server';
    this.showStatus();
    this._register(vscode.workspace.onDidOpenTextDocument(doc => {
      if (isManifest(doc)) void this.ensureStarted();
    }));
    this._register(session.onDidChange(run => void this.runChanged(run !== undefined)));
    if (vscode.workspace.textDocuments.some(isManifest)) void this.ensureStarted();
    if (session.current) void this.runChanged(true);
  }

  get status(): AnalysisStatus {
    return this.status_;
  }

  /** How many times a server process was started (restarts included): for tests. */
  get starts(): number {
    return this.starts_;
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Resolves when the server is running (starting it if needed). */
  ensureStarted(): Promise<LanguageClient> {
    this.starting ??= this.start().catch((e: unknown) => {
      this.starting = undefined;
      this.log.error('the SEB Review language server did not start', e);
      this.setStatus({ generation: this.status_.generation, state: 'failed', message: `the review server did not start: ${e instanceof Error ? e.message : String(e)}` });
      throw e;
    });
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: `**/${MANIFEST_FILE}` }, ...SOURCE_LANGUAGES.map(language => ({ scheme: 'file', language }))],
      outputChannel: this.log.channel,
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          this.crashes++;
          if (this.crashes <= 3) {
            this.log.warn(`the SEB Review language server stopped; restarting (${this.crashes} of 3)`);
            return { action: CloseAction.Restart };
          }
          this.setStatus({ generation: this.status_.generation, state: 'failed', message: 'the review server stopped four times: use Restart Server' });
          this.log.error('the SEB Review language server stopped four times; not restarting. Use "Restart Server" to try again.');
          return { action: CloseAction.DoNotRestart };
        },
      },
    };
    const client = new LanguageClient(LANGUAGE_CLIENT_ID, 'SEB Review', serverOptions, clientOptions);
    this.client = client;
    this.starts_++;
    client.onNotification(AnalysisStatusToClient.method, (s: AnalysisStatus) => this.setStatus(s));
    // after a crash the client restarts the server on its own: tell the new one which run to analyse
    client.onDidChangeState(e => {
      this.showStatus();
      if (e.newState === State.Running && this.session.current) void this.sendOpen(client);
    });
    await client.start();
    this.log.info('language server started');
    return client;
  }

  private sendOpen(client: LanguageClient): Promise<void> {
    const review = this.session.review;
    const opened = this.session.openedWith;
    if (!review || !opened) return Promise.resolve();
    const gitPath = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.gitPath) || undefined;
    const params: ReviewOpenParams = {
      target: opened.target,
      ...(opened.baseline !== undefined ? { baseline: opened.baseline } : {}),
      ...(gitPath !== undefined ? { gitPath } : {}),
      trees: { baseline: review.workspace.baselineTree, run: review.workspace.headTree },
    };
    this.setStatus({ generation: this.status_.generation, state: 'analysing', message: `opening ${review.run.runId}`, runId: review.run.runId });
    return client.sendNotification(ReviewOpenToServer.method, params);
  }

  private async runChanged(open: boolean): Promise<void> {
    try {
      if (open) {
        await this.sendOpen(await this.ensureStarted());
      } else if (this.client?.state === State.Running) {
        await this.client.sendNotification(ReviewCloseToServer.method, {});
      }
    } catch (e) {
      this.log.error('could not tell the review server about the run', e);
    }
  }

  async request<P, R>(def: RequestDef<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.ensureStarted();
    return token ? client.sendRequest<R>(def.method, params, token) : client.sendRequest<R>(def.method, params);
  }

  async notify<P>(def: NotificationDef<P>, params: P): Promise<void> {
    const client = await this.ensureStarted();
    await client.sendNotification(def.method, params);
  }

  /** Analyses the open run again from the start (after a cancel, or to pick up changes on disk). */
  async reanalyse(): Promise<void> {
    if (!this.session.current) return;
    await this.sendOpen(await this.ensureStarted());
  }

  cancelAnalysis(): Promise<void> {
    return this.notify(ReviewCancelToServer, {});
  }

  /** Stops and starts the server, one restart at a time; asked during a restart, it runs once more after it. */
  restart(): Promise<void> {
    if (this.restarting) {
      this.restartQueued = true;
      return this.restarting;
    }
    this.restarting = (async () => {
      do {
        this.restartQueued = false;
        this.crashes = 0;
        this.log.info('restarting the SEB Review language server');
        const old = this.client;
        this.client = undefined;
        this.starting = undefined;
        if (old) {
          try {
            await old.stop();
          } catch (e) {
            this.log.warn(`the language server did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`);
          }
          await old.dispose().catch(() => undefined);
        }
        this.setStatus({ generation: this.status_.generation, state: 'idle', message: 'restarting' });
        const client = await this.ensureStarted();
        if (!this.session.current) await client.sendNotification(ReviewCloseToServer.method, {});
      } while (this.restartQueued);
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** Stops the server; what deactivate awaits. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client?.isRunning()) await client.stop();
  }

  private setStatus(s: AnalysisStatus): void {
    this.status_ = s;
    this.showStatus();
    this.statusEmitter.fire(s);
  }

  private showStatus(): void {
    const s = this.status_;
    const a = this.analysisItem;
    a.busy = s.state === 'analysing';
    a.severity = s.state === 'failed' ? vscode.LanguageStatusSeverity.Error
      : s.state === 'cancelled' || s.treeMismatch !== undefined ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    const label = { idle: 'idle', analysing: 'analysing', ready: 'ready', failed: 'failed', cancelled: 'cancelled' }[s.state];
    a.text = s.state === 'analysing' ? `$(sync~spin) Authority map: ${label}` : s.state === 'failed' ? '$(error) Authority map: failed'
      : s.state === 'ready' ? '$(shield) Authority map: ready' : `Authority map: ${label}`;
    a.detail = `${s.message}${s.treeMismatch ? ` (${s.treeMismatch})` : ''}`;
    a.command = { title: 'Show Log', command: Commands.showLog };
    a.accessibilityInformation = { label: `SEB Review authority map ${label}: ${a.detail}` };
    const state = this.client?.state;
    const srv = this.serverItem;
    srv.text = state === State.Running ? 'Review server: running' : state === State.Starting ? 'Review server: starting' : 'Review server: stopped';
    srv.detail = this.crashes > 0 ? `restarted ${this.crashes} time${this.crashes === 1 ? '' : 's'} after a crash` : undefined;
    srv.command = { title: 'Restart Server', command: Commands.restartServer };
  }

  override dispose(): void {
    void this.client?.dispose();
    super.dispose();
  }
}
