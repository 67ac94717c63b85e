import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Disposable } from './lifecycle';
import { LANGUAGE_CLIENT_ID } from './ids';
import { type Log } from './log';
import { MANIFEST_FILE } from '../core/manifest';

const isManifest = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && doc.uri.path.endsWith(`/${MANIFEST_FILE}`);

/**
 * The language client for the SEB Review server. Started lazily, the first time a seb-run.json is open,
 * so activation stays cheap. Restarts at most three times, then says so in the log.
 */
export class ManifestClient extends Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private crashes = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument(doc => {
      if (isManifest(doc)) void this.start();
    }));
    if (vscode.workspace.textDocuments.some(isManifest)) void this.start();
  }

  /** Resolves when the server is running (starting it if needed). */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch(e => {
      this.starting = undefined;
      this.log.error('the SEB Review language server did not start', e);
      throw e;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: `**/${MANIFEST_FILE}` }],
      outputChannel: this.log.channel,
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          this.crashes++;
          if (this.crashes <= 3) {
            this.log.warn(`the SEB Review language server stopped; restarting (${this.crashes} of 3)`);
            return { action: CloseAction.Restart };
          }
          this.log.error('the SEB Review language server stopped four times; not restarting. Reload the window to try again.');
          return { action: CloseAction.DoNotRestart };
        },
      },
    };
    const client = new LanguageClient(LANGUAGE_CLIENT_ID, 'SEB Review', serverOptions, clientOptions);
    this.client = client;
    await client.start();
    this.log.info('language server started');
  }

  override dispose(): void {
    void this.client?.dispose();
    super.dispose();
  }
}
