import * as vscode from 'vscode';
import { Disposable } from './lifecycle';
import { type Log } from './log';
import { HostChannel, type DisposableLike } from './webview-channel';
import { pageHtml, webviewOptions } from './webview-html';
import { type CommandType, type NotificationType, type RequestType } from '../protocol/webview/messages';
import { errorMessage } from '../core/errors';

/**
 * One base for every webview host (the shape of vscode-pull-request-github's WebviewBase/WebviewViewBase): the page,
 * the ready handshake (messages wait until the page says it is ready), the reset when a hidden webview drops its page,
 * and disposal. WebviewPanelBase hosts an editor page, WebviewViewBase a view in a side bar.
 *
 * A subclass registers its handlers with on() in its constructor and sends the page what it shows in onPageReady(),
 * which runs each time a page has (re)loaded. What the page sends is checked against each message's guard before a
 * handler sees it (see webview-channel.ts).
 *
 * A new webview needs:
 *   1. a protocol file in src/protocol/webview/: its scope, its notifications, its commands and requests with guards;
 *   2. a subclass of WebviewPanelBase (an editor tab; its viewType in ids.ts WebviewTypes) or of WebviewViewBase (a view
 *      contributed in package.json; its id in ids.ts Views) that registers its handlers and implements onPageReady();
 *   3. a page script, src/webview/<name>/main.ts (built to dist/webview/<name>.js), using post, request, on and ready
 *      from src/webview/host.ts, and its style sheet media/<name>.css.
 */
export interface WebviewPage {
  /** The prefix of the webview's messages (its protocol file's webviewScope). */
  scope: string;
  /** The page's name in the log and its HTML title. */
  label: string;
  /** Bundle name under dist/webview, without ".js". */
  script: string;
  /** Style sheet under media/, without ".css". */
  style: string;
  /** Style sheets under dist/webview, without ".css"; linked before `style`. */
  libraryStyles?: readonly string[];
  /** Keep the page alive while hidden. Without it (the default) the page reloads, and says ready again, when shown. */
  retainContextWhenHidden?: boolean;
}

export abstract class WebviewBase extends Disposable {
  private readonly channel: HostChannel;

  protected constructor(
    protected readonly extensionUri: vscode.Uri,
    protected readonly log: Log,
    protected readonly page: WebviewPage,
  ) {
    super();
    this.channel = new HostChannel({ scope: page.scope, label: page.label, log, onReady: () => this.onPageReady() });
  }

  /** A page has loaded and said it is ready (again, after each reload): send it what it shows. */
  protected abstract onPageReady(): void;

  /** The page is loaded and ready: what is sent now is shown now. */
  protected get isPageReady(): boolean {
    return this.channel.isReady;
  }

  /**
   * Handles a command or answers a request from the page, for this page and every later one. Its parameters have
   * passed the message's guard. A second handler for the same message throws.
   */
  protected on<P>(type: CommandType<P>, handler: (params: P) => unknown): DisposableLike;
  protected on<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): DisposableLike;
  protected on(type: CommandType<unknown> | RequestType<unknown, unknown>, handler: (params: unknown) => unknown): DisposableLike {
    // one call per overload of HostChannel.on
    return this._register(type.kind === 'command' ? this.channel.on(type, handler) : this.channel.on(type, handler));
  }

  /** Sends to the page; held until it is ready, dropped when there is none. */
  protected notify<P>(type: NotificationType<P>, params: P): void {
    this.channel.notify(type, params);
  }

  /** Loads the page into a new webview. Disposing the result disconnects it (when the webview is disposed). */
  protected attach(webview: vscode.Webview, visibility: { onDidChange: vscode.Event<unknown>; visible(): boolean }): DisposableLike {
    const connection = this.channel.connect(message => {
      webview.postMessage(message).then(undefined, (e: unknown) => this.log.warn(`${this.page.label}: a message to the page was not delivered: ${errorMessage(e)}`));
    });
    const subscriptions = [
      connection,
      webview.onDidReceiveMessage((m: unknown) => this.channel.receive(m)),
      // a hidden webview drops its page unless it retains it: hold messages until the new page is ready
      visibility.onDidChange(() => {
        if (!visibility.visible() && !this.page.retainContextWhenHidden) this.channel.reset();
      }),
    ];
    webview.html = pageHtml({ webview, extensionUri: this.extensionUri, title: this.page.label, script: this.page.script,
      style: this.page.style, ...(this.page.libraryStyles ? { libraryStyles: this.page.libraryStyles } : {}) });
    return { dispose: () => [...subscriptions].reverse().forEach(d => d.dispose()) };
  }
}

/** A webview in an editor tab, opened on demand; one at a time. */
export abstract class WebviewPanelBase extends WebviewBase {
  private readonly viewType: string;
  private current: vscode.WebviewPanel | undefined;

  protected constructor(extensionUri: vscode.Uri, log: Log, page: WebviewPage & { viewType: string }) {
    super(extensionUri, log, page);
    this.viewType = page.viewType;
  }

  protected get panel(): vscode.WebviewPanel | undefined {
    return this.current;
  }

  /** Opens the panel, or reveals it when it is open. Returns true when it was opened now (its page then says ready). */
  protected openPanel(title: string): boolean {
    if (this.current) {
      this.current.reveal();
      return false;
    }
    const panel = vscode.window.createWebviewPanel(this.viewType, title, vscode.ViewColumn.Active, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: this.page.retainContextWhenHidden ?? false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-bar.svg');
    this.current = panel;
    const connection = this.attach(panel.webview, { onDidChange: panel.onDidChangeViewState, visible: () => panel.visible });
    panel.onDidDispose(() => {
      connection.dispose();
      if (this.current === panel) this.current = undefined;
    });
    return true;
  }

  protected closePanel(): void {
    this.current?.dispose();
  }

  override dispose(): void {
    this.closePanel();
    super.dispose();
  }
}

/** A webview view (contributed in package.json); VS Code creates its webview when the view is first shown. */
export abstract class WebviewViewBase extends WebviewBase implements vscode.WebviewViewProvider {
  protected constructor(extensionUri: vscode.Uri, log: Log, page: WebviewPage & { viewId: string }) {
    super(extensionUri, log, page);
    this._register(vscode.window.registerWebviewViewProvider(page.viewId, this,
      { webviewOptions: { retainContextWhenHidden: page.retainContextWhenHidden ?? false } }));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    // a view resolved again (moved to another container) replaces the previous page; disposing that one then does nothing
    const connection = this.attach(view.webview, { onDidChange: view.onDidChangeVisibility, visible: () => view.visible });
    view.onDidDispose(() => connection.dispose());
  }
}
