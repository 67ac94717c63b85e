import {
  WebviewReady, parsePageMessage, type CommandType, type HostMessage, type NotificationType, type PageMessage, type RequestType,
} from '../protocol/webview/messages';
import { errorMessage } from '../core/errors';

/**
 * Typed messaging between one webview host and its page, without `vscode` (so it is tested in plain Node): the ready
 * gate and its queue, the handlers, the validation of what the page sends, the replies to its requests.
 * src/extension/webview-base.ts connects it to a real webview.
 *
 * One channel lives as long as its host; pages come and go. A page is connected when its webview is created, reset when
 * it is about to reload (a webview hidden without retainContextWhenHidden loses its page), disconnected when its webview
 * is disposed. Until a connected page says it is ready, notifications for it wait in a queue. A reply goes only to the
 * page that asked: one that has gone since (reset, reloaded, disconnected) has forgotten the request, and its successor
 * numbers its requests from 1 again.
 *
 * The page is untrusted input. A message that is not a command or request envelope, names no handler, or whose
 * parameters fail its type's guard is dropped and logged; its handler never sees it. A request dropped that way is
 * still answered, with an error, so the page's promise settles.
 */
export interface DisposableLike {
  dispose(): void;
}

/** Where the channel reports what it drops (the extension's Log). */
export interface ChannelLog {
  warn(message: string): void;
  error(message: string, e?: unknown): void;
}

export interface HostChannelOptions {
  /** The webview's message prefix: handlers and notifications of another webview are refused. */
  scope: string;
  /** The page's name in the log ("Diff Overview"). */
  label: string;
  log: ChannelLog;
  /** A page has (re)loaded and said it is ready; the queue has been sent. The host sends what the page shows. */
  onReady(): void;
}

type Handler =
  | { kind: 'command'; type: CommandType<unknown>; handle(params: unknown): unknown }
  | { kind: 'request'; type: RequestType<unknown, unknown>; handle(params: unknown): unknown };

/** At most this much of a dropped message is quoted in the log. */
const PREVIEW_CHARS = 200;

export class HostChannel {
  private post: ((message: HostMessage) => void) | undefined;
  private ready = false;
  /** Changes whenever the page goes: a reply is posted only if it has not changed since its request arrived. */
  private page = 0;
  private queue: HostMessage[] = [];
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly options: HostChannelOptions) {}

  /** A page is loaded and has said it is ready (and has not been reset or disconnected since). */
  get isReady(): boolean {
    return this.ready;
  }

  /**
   * A new webview's page is loading: notifications wait for its ready. Disposing the result disconnects it, unless
   * another page has been connected since.
   */
  connect(post: (message: HostMessage) => void): DisposableLike {
    this.post = post;
    this.pageGone();
    this.queue = [];
    return {
      dispose: () => {
        if (this.post === post) this.disconnect();
      },
    };
  }

  /** The page is reloading (its webview was hidden): hold notifications until it is ready again. */
  reset(): void {
    this.pageGone();
  }

  /** No page: notifications are dropped until the next connect. */
  disconnect(): void {
    this.post = undefined;
    this.pageGone();
    this.queue = [];
  }

  /** Sends at once to a ready page, queues for a loading one, drops when there is no page. */
  notify<P>(type: NotificationType<P>, params: P): void {
    this.checkScope(type);
    if (!this.post) return;
    const message: HostMessage = { kind: 'notification', method: type.method, params };
    if (this.ready) this.post(message);
    else this.queue.push(message);
  }

  /**
   * Handles a command (the handler's result is ignored; a throw or a rejection is logged) or a request (the handler's
   * result, or its promise's, is the reply). One handler per message: a second one throws.
   */
  on<P>(type: CommandType<P>, handler: (params: P) => unknown): DisposableLike;
  on<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): DisposableLike;
  on(type: CommandType<unknown> | RequestType<unknown, unknown>, handle: (params: unknown) => unknown): DisposableLike {
    this.checkScope(type);
    if (type.kind !== 'command' && type.kind !== 'request') {
      throw new Error(`${this.options.label}: ${(type as { method: string }).method} is sent to the page, not handled from it`);
    }
    if (this.handlers.has(type.method)) throw new Error(`${this.options.label}: ${type.method} already has a handler`);
    const handler = { kind: type.kind, type, handle } as Handler;
    this.handlers.set(type.method, handler);
    return {
      dispose: () => {
        if (this.handlers.get(type.method) === handler) this.handlers.delete(type.method);
      },
    };
  }

  /** A message from the page. */
  receive(raw: unknown): void {
    const message = parsePageMessage(raw);
    if (!message) {
      this.drop('a message that is not a command or a request', raw);
      return;
    }
    if (message.method === WebviewReady.method) {
      if (message.kind !== 'command' || !WebviewReady.validate(message.params)) this.drop(`an invalid ${message.method}`, raw);
      else this.pageReady();
      return;
    }
    const handler = this.handlers.get(message.method);
    if (!handler || handler.kind !== message.kind) {
      this.refuse(message, `${message.kind} ${message.method} has no handler`, raw);
    } else if (!handler.type.validate(message.params)) {
      this.refuse(message, `${message.method} with invalid parameters`, message.params);
    } else if (message.kind === 'command') {
      this.runCommand(handler, message.params);
    } else {
      this.answer(handler, message);
    }
  }

  private pageReady(): void {
    const post = this.post;
    if (!post) return;
    // a second ready without a reset: the page reloaded on its own, and the previous one's requests are gone with it
    if (this.ready) this.page++;
    this.ready = true;
    for (const m of this.queue.splice(0)) post(m);
    this.options.onReady();
  }

  private pageGone(): void {
    this.ready = false;
    this.page++;
  }

  private runCommand(handler: Handler, params: unknown): void {
    const failed = (e: unknown) => this.options.log.error(`${this.options.label}: handling ${handler.type.method} failed`, e);
    try {
      const result = handler.handle(params);
      if (isThenable(result)) result.then(undefined, failed);
    } catch (e) {
      failed(e);
    }
  }

  private answer(handler: Handler, request: Extract<PageMessage, { kind: 'request' }>): void {
    const page = this.page;
    const reply = (m: HostMessage) => {
      if (page === this.page) this.post?.(m);
    };
    const { id, method } = request;
    new Promise<unknown>(resolve => resolve(handler.handle(request.params))).then(
      result => reply({ kind: 'response', id, method, ok: true, result }),
      (e: unknown) => {
        this.options.log.error(`${this.options.label}: answering ${method} failed`, e);
        reply({ kind: 'response', id, method, ok: false, error: errorMessage(e) });
      },
    );
  }

  /** Drops a message the page should not have sent; a request is answered with an error so that the page does not wait. */
  private refuse(message: PageMessage, what: string, shown: unknown): void {
    this.drop(what, shown);
    if (message.kind === 'request' && this.post) {
      this.post({ kind: 'response', id: message.id, method: message.method, ok: false, error: `refused: ${what}` });
    }
  }

  private drop(what: string, shown: unknown): void {
    this.options.log.warn(`${this.options.label}: dropped ${what} from the page: ${preview(shown)}`);
  }

  private checkScope(type: { scope: string; method: string }): void {
    if (type.scope !== this.options.scope) {
      throw new Error(`${this.options.label}: ${type.method} belongs to another webview than "${this.options.scope}"`);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function preview(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = Object.prototype.toString.call(v);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
