import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { Disposable } from './lifecycle';
import { WebviewReady, isEnvelope, type Envelope, type NotificationType } from '../protocol/webview/messages';

/** A fresh nonce for each page: scripts run only when they carry it. */
export function nonce(): string {
  return randomBytes(18).toString('base64');
}

export interface PageOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  title: string;
  /** Bundle name under dist/webview, without ".js". */
  script: string;
  /** Style sheet under media/, without ".css". */
  style: string;
  /** Style sheets under dist/webview (copied from dependencies by the build), without ".css"; linked before `style`. */
  libraryStyles?: readonly string[];
}

/** A page with a strict CSP: nothing remote, scripts by nonce only, styles and fonts from the extension. */
export function pageHtml(o: PageOptions): string {
  const n = nonce();
  const script = o.webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, 'dist', 'webview', `${o.script}.js`));
  const styles = [
    ...(o.libraryStyles ?? []).map(name => vscode.Uri.joinPath(o.extensionUri, 'dist', 'webview', `${name}.css`)),
    vscode.Uri.joinPath(o.extensionUri, 'media', `${o.style}.css`),
  ].map(uri => `<link rel="stylesheet" href="${o.webview.asWebviewUri(uri).toString()}">`);
  const csp = [
    "default-src 'none'",
    `style-src ${o.webview.cspSource}`,
    `font-src ${o.webview.cspSource}`,
    `img-src ${o.webview.cspSource} data:`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  const title = o.title.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${styles.join('\n')}
<title>${title}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Typed messaging with one webview. Messages posted before the page says it is ready wait in a queue. */
export class WebviewChannel extends Disposable {
  private ready = false;
  private readonly queue: Envelope[] = [];
  private readonly handlers = new Map<string, (params: unknown) => void>();
  private readonly readyEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(private readonly webview: vscode.Webview) {
    super();
    this._register(webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
  }

  post<P>(type: NotificationType<P>, params: P): void {
    const envelope: Envelope = { method: type.method, params };
    if (this.ready) void this.webview.postMessage(envelope);
    else this.queue.push(envelope);
  }

  on<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    this.handlers.set(type.method, handler as (params: unknown) => void);
  }

  /** The page was reloaded (for example after the view was hidden): hold messages until it is ready again. */
  reset(): void {
    this.ready = false;
  }

  private receive(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.method === WebviewReady.method) {
      this.ready = true;
      for (const m of this.queue.splice(0)) void this.webview.postMessage(m);
      this.readyEmitter.fire();
      return;
    }
    this.handlers.get(message.method)?.(message.params);
  }
}
