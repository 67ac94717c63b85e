import {
  WebviewReady, parseHostMessage, type CommandType, type NotificationType, type PageMessage, type RequestType,
} from '../protocol/webview/messages';

/**
 * The page's side of the messaging, without the DOM (so it is tested in plain Node; src/webview/host.ts connects it
 * to VS Code's webview API). Requests are numbered 1, 2, 3, … and settled by the host's response with the same id and
 * method; a response to nothing pending (a page that has reloaded is a new page) is ignored.
 */
export interface DisposableLike {
  dispose(): void;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class PageChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, (params: unknown) => void>();

  constructor(private readonly postMessage: (message: PageMessage) => void) {}

  /** Requests sent and not yet answered. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Sends a command: no reply. */
  post<P>(type: CommandType<P>, params: P): void {
    this.postMessage({ kind: 'command', method: type.method, params });
  }

  /** Sends a request; settles with the host's reply, or rejects when the host could not answer. */
  request<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { method: type.method, resolve: resolve as (result: unknown) => void, reject });
      try {
        this.postMessage({ kind: 'request', id, method: type.method, params });
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Handles a notification from the host. One handler per notification: a second one throws. */
  on<P>(type: NotificationType<P>, handler: (params: P) => void): DisposableLike {
    if (this.handlers.has(type.method)) throw new Error(`${type.method} already has a handler`);
    const h = handler as (params: unknown) => void;
    this.handlers.set(type.method, h);
    return {
      dispose: () => {
        if (this.handlers.get(type.method) === h) this.handlers.delete(type.method);
      },
    };
  }

  /** Call once the page's handlers are registered: the host then sends what it held back. */
  ready(): void {
    this.post(WebviewReady, undefined);
  }

  /** A message from the host. */
  receive(raw: unknown): void {
    const message = parseHostMessage(raw);
    if (!message) return;
    if (message.kind === 'notification') {
      this.handlers.get(message.method)?.(message.params);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending || pending.method !== message.method) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(message.error));
  }
}
