import { WebviewReady, isEnvelope, type Envelope, type NotificationType } from '../protocol/webview/messages';

/**
 * Typed messaging between one webview host and its page, without `vscode` (so it is tested in plain Node): the ready
 * gate, the queue, the handlers. src/extension/webview-base.ts connects it to a real webview.
 *
 * One channel lives as long as its host; pages come and go. A page is connected when its webview is created, reset when
 * it is about to reload (a webview hidden without retainContextWhenHidden loses its page), disconnected when its webview
 * is disposed. Until a connected page says it is ready, the messages for it wait in a queue.
 */
export interface DisposableLike {
  dispose(): void;
}

/** Where the channel reports a message it could not use (the extension's Log). */
export interface ChannelLog {
  warn(message: string): void;
  error(message: string, e?: unknown): void;
}

export interface HostChannelOptions {
  /** The page's name in the log ("Diff Overview"). */
  label: string;
  log: ChannelLog;
  /** A page has (re)loaded and said it is ready; the queue has been sent. The host sends what the page shows. */
  onReady(): void;
}

export class HostChannel {
  private post: ((message: Envelope) => void) | undefined;
  private ready = false;
  private queue: Envelope[] = [];
  private readonly handlers = new Map<string, (params: unknown) => void>();

  constructor(private readonly options: HostChannelOptions) {}

  /** A page is loaded and has said it is ready (and has not been reset or disconnected since). */
  get isReady(): boolean {
    return this.ready;
  }

  /**
   * A new webview's page is loading: messages wait for its ready. Disposing the result disconnects it, unless another
   * page has been connected since.
   */
  connect(post: (message: Envelope) => void): DisposableLike {
    this.post = post;
    this.ready = false;
    this.queue = [];
    return {
      dispose: () => {
        if (this.post === post) this.disconnect();
      },
    };
  }

  /** The page is reloading (its webview was hidden): hold messages until it is ready again. */
  reset(): void {
    this.ready = false;
  }

  /** No page: messages are dropped until the next connect. */
  disconnect(): void {
    this.post = undefined;
    this.ready = false;
    this.queue = [];
  }

  /** Sends at once to a ready page, queues for a loading one, drops when there is no page. */
  notify<P>(type: NotificationType<P>, params: P): void {
    const envelope: Envelope = { method: type.method, params };
    if (!this.post) return;
    if (this.ready) this.post(envelope);
    else this.queue.push(envelope);
  }

  on<P>(type: NotificationType<P>, handler: (params: P) => void): DisposableLike {
    const h = handler as (params: unknown) => void;
    this.handlers.set(type.method, h);
    return {
      dispose: () => {
        if (this.handlers.get(type.method) === h) this.handlers.delete(type.method);
      },
    };
  }

  /** A message from the page. */
  receive(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.method === WebviewReady.method) {
      const post = this.post;
      if (!post) return;
      this.ready = true;
      for (const m of this.queue.splice(0)) post(m);
      this.options.onReady();
      return;
    }
    this.handlers.get(message.method)?.(message.params);
  }
}
