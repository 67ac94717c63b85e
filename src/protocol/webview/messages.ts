/**
 * Typed messages between the extension host and a webview page, by direction (after GitLens' IpcCommand, IpcRequest
 * and IpcNotification). Each message is a constant declared once, in its webview's protocol file, and imported by both
 * sides, so a payload's type cannot drift:
 *
 *   command<P>       page -> host, no reply                     the host validates P before a handler sees it
 *   request<P, R>    page -> host, the host replies with R      matched by an id; P validated as for a command
 *   notification<P>  host -> page
 *
 * A webview's messages share its scope: `webviewScope('overview').command('openDiff', …)` has the method
 * "overview/openDiff", and a host refuses a handler for another webview's message. Imports no runtime.
 */
import { isUndefined, type Guard } from './guards';

interface MessageType<Kind extends string, P> {
  readonly kind: Kind;
  /** The webview the message belongs to ("overview"). */
  readonly scope: string;
  /** `${scope}/${name}`: what crosses postMessage. */
  readonly method: string;
  /** Phantom field: carries the parameters' type; never set. */
  readonly __params?: P;
}

/** page -> host. */
export interface CommandType<P> extends MessageType<'command', P> {
  /** The host drops (and logs) a message whose parameters fail this. */
  readonly validate: Guard<P>;
}

/** page -> host, answered with R. A request that can fail has a discriminated reply: `{ ok: true, … } | { ok: false, error }`. */
export interface RequestType<P, R> extends MessageType<'request', P> {
  readonly validate: Guard<P>;
  /** Phantom field: carries the reply's type; never set. */
  readonly __reply?: R;
}

/** host -> page. */
export type NotificationType<P> = MessageType<'notification', P>;

/** The constructors of one webview's messages. */
export function webviewScope(scope: string) {
  const method = (name: string) => `${scope}/${name}`;
  return {
    command: <P>(name: string, validate: Guard<P>): CommandType<P> => ({ kind: 'command', scope, method: method(name), validate }),
    request: <P, R>(name: string, validate: Guard<P>): RequestType<P, R> => ({ kind: 'request', scope, method: method(name), validate }),
    notification: <P>(name: string): NotificationType<P> => ({ kind: 'notification', scope, method: method(name) }),
  };
}

/** Shared by every webview: the page says it is ready; the host holds its messages until then. */
export const WebviewReady: CommandType<undefined> = webviewScope('webview').command('ready', isUndefined);

/** What the page posts. */
export type PageMessage =
  | { kind: 'command'; method: string; params?: unknown }
  | { kind: 'request'; id: number; method: string; params?: unknown };

/** What the host posts: a notification, or the reply to the request with the same id. */
export type HostMessage =
  | { kind: 'notification'; method: string; params?: unknown }
  | { kind: 'response'; id: number; method: string; ok: true; result: unknown }
  | { kind: 'response'; id: number; method: string; ok: false; error: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A request id: the page numbers its requests 1, 2, 3, … */
export function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The envelope of a message from the page, or undefined when it is not one (its parameters are not checked here). */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  const m = record(value);
  if (!m || typeof m.method !== 'string') return undefined;
  if (m.kind === 'command') return { kind: 'command', method: m.method, params: m.params };
  if (m.kind === 'request' && isRequestId(m.id)) return { kind: 'request', id: m.id, method: m.method, params: m.params };
  return undefined;
}

/** The envelope of a message from the host, or undefined when it is not one. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  const m = record(value);
  if (!m || typeof m.method !== 'string') return undefined;
  if (m.kind === 'notification') return { kind: 'notification', method: m.method, params: m.params };
  if (m.kind !== 'response' || !isRequestId(m.id)) return undefined;
  if (m.ok === true) return { kind: 'response', id: m.id, method: m.method, ok: true, result: m.result };
  if (m.ok === false && typeof m.error === 'string') return { kind: 'response', id: m.id, method: m.method, ok: false, error: m.error };
  return undefined;
}
