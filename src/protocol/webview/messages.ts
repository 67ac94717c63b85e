/**
 * Typed messages between the extension host and a webview. Each message is a constant declared once and imported by
 * both sides, so a payload's type cannot drift. Imports no runtime.
 */
export interface NotificationType<P> {
  readonly method: string;
  /** Phantom field: carries the payload type; never set. */
  readonly __params?: P;
}

export function notification<P>(method: string): NotificationType<P> {
  return { method };
}

/** What actually crosses postMessage. */
export interface Envelope {
  method: string;
  params?: unknown;
}

export function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as { method?: unknown }).method === 'string';
}

/** Every webview says this first; the host holds its messages until then. */
export const WebviewReady = notification<undefined>('webview/ready');
