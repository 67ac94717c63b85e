import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

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
