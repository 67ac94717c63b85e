import { WebviewReady, isEnvelope, type NotificationType } from '../protocol/webview/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const handlers = new Map<string, (params: unknown) => void>();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (isEnvelope(data)) handlers.get(data.method)?.(data.params);
});

export function post<P>(type: NotificationType<P>, params: P): void {
  api.postMessage({ method: type.method, params });
}

export function on<P>(type: NotificationType<P>, handler: (params: P) => void): void {
  handlers.set(type.method, handler as (params: unknown) => void);
}

/** Call once the page's handlers are registered: the host then sends what it held back. */
export function ready(): void {
  post(WebviewReady, undefined);
}

export const viewState = {
  get<T>(): T | undefined {
    return api.getState() as T | undefined;
  },
  set<T>(state: T): void {
    api.setState(state);
  },
};
