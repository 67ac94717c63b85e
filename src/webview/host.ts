import { PageChannel, type DisposableLike } from './channel';
import { type CommandType, type NotificationType, type RequestType } from '../protocol/webview/messages';

/** The page's end of the messaging with the extension host (see channel.ts), and the page's saved view state. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const channel = new PageChannel(message => api.postMessage(message));

window.addEventListener('message', (event: MessageEvent<unknown>) => channel.receive(event.data));

/** Sends a command to the host. */
export function post<P>(type: CommandType<P>, params: P): void {
  channel.post(type, params);
}

/** Asks the host; resolves with its reply (rejects when the host could not answer). */
export function request<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
  return channel.request(type, params);
}

/** Handles a notification from the host. */
export function on<P>(type: NotificationType<P>, handler: (params: P) => void): DisposableLike {
  return channel.on(type, handler);
}

/** Call once the page's handlers are registered: the host then sends what it held back. */
export function ready(): void {
  channel.ready();
}

export const viewState = {
  get<T>(): T | undefined {
    return api.getState() as T | undefined;
  },
  set<T>(state: T): void {
    api.setState(state);
  },
};
