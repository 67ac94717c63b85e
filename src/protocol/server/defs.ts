/**
 * Custom messages between the review language client (the extension host) and the review language server. Each is a
 * constant declared once, imported by both sides, with its direction in its name: `…Request` (client → server, with a
 * typed result) and `…Notification` with `ToServer`/`ToClient`. Plain data: this folder imports no runtime; the client
 * and the server hand `method` to their own vscode-jsonrpc.
 */

export interface RequestDef<P, R> {
  readonly method: string;
  readonly direction: 'client→server';
  /** Phantom fields: carry the types; never set. */
  readonly __params?: P;
  readonly __result?: R;
}

export interface NotificationDef<P> {
  readonly method: string;
  readonly direction: 'client→server' | 'server→client';
  readonly __params?: P;
}

export function clientRequest<P, R>(method: string): RequestDef<P, R> {
  return { method, direction: 'client→server' };
}

export function toServer<P>(method: string): NotificationDef<P> {
  return { method, direction: 'client→server' };
}

export function toClient<P>(method: string): NotificationDef<P> {
  return { method, direction: 'server→client' };
}

/** A reply that can fail: why it failed is said, never an empty result. */
export type Reply<R> = ({ ok: true } & R) | { ok: false; reason: string };

/**
 * A page of a long list. `cursor` is the index of the first item; `next` the cursor of the next page when there is one.
 * Every page names the analysis generation it came from: a client that sees a new generation starts over.
 */
export interface PageParams {
  generation: number;
  cursor?: number;
  limit?: number;
}

export interface Page<T> {
  generation: number;
  items: T[];
  total: number;
  next?: number;
}

/** Most items one page carries, whatever the client asks. */
export const MAX_PAGE = 500;
