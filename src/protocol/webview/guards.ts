/**
 * Tiny type guards for the parameters of page -> host messages. A page is untrusted input: the host checks every
 * message against its guard before a handler sees it (src/extension/webview-channel.ts).
 *
 * Hand-written rather than zod: this folder is imported by the pages too, so it must stay browser-safe and free of
 * runtime libraries, and each message declares its guard beside its type, where both change together. The shapes are
 * small and exact: objects must have exactly the declared keys (an unknown key is refused), numbers must be finite.
 */
export type Guard<T> = (value: unknown) => value is T;

/** The type a guard checks for. */
export type Guarded<G> = G extends Guard<infer T> ? T : never;

export const isString: Guard<string> = (v): v is string => typeof v === 'string';

export const isFiniteNumber: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);

/** 0, 1, 2, … (an array index). */
export const isIndex: Guard<number> = (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export const isUndefined: Guard<undefined> = (v): v is undefined => v === undefined;

/** One of the given strings. */
export function oneOf<const T extends readonly string[]>(...values: T): Guard<T[number]> {
  return (v): v is T[number] => typeof v === 'string' && values.includes(v);
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v): v is T | undefined => v === undefined || guard(v);
}

/**
 * A plain object with exactly these keys, each passing its guard. A key whose guard accepts undefined may be missing.
 * The shape must name every key of T, so a field added to a message type and forgotten here does not compile.
 */
export function object<T extends object>(shape: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  const keys = Object.keys(shape) as Array<keyof T & string>;
  return (v): v is T => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!Object.hasOwn(shape, key)) return false;
    return keys.every(key => (shape[key] as Guard<unknown>)(record[key]));
  };
}

/** Passes when one of the guards passes (for discriminated unions: one object() per member). */
export function union<const G extends ReadonlyArray<Guard<unknown>>>(...guards: G): Guard<Guarded<G[number]>> {
  return (v): v is Guarded<G[number]> => guards.some(g => g(v));
}
