import type { Expr, FileFacts } from './facts';

/**
 * A file parsed again after an edit gives all-new facts, most of them equal to the old ones. Here every part of the
 * new facts that equals the old facts' part at the same place (the same call, the same variable's n-th assignment,
 * the same export...) is replaced by the old object, so that what was computed from it (keyed by the object) is
 * still found, and the linker can tell which parts changed by identity (Linker.setFile).
 */

/** Deep equality of plain data (facts are JSON-like: objects, arrays, strings, numbers, booleans). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function reuse<T>(old: T | undefined, neu: T): T {
  return old !== undefined && same(old, neu) ? old : neu;
}

function reuseAll<T>(old: readonly T[] | undefined, neu: T[]): T[] {
  return neu.map((x, i) => reuse(old?.[i], x));
}

function reuseRecord<T>(old: Readonly<Record<string, T>> | undefined, neu: Record<string, T>): Record<string, T> {
  if (old === undefined) return neu;
  for (const k of Object.keys(neu)) {
    const o = Object.prototype.hasOwnProperty.call(old, k) ? old[k] : undefined;
    neu[k] = reuse(o, neu[k] as T);
  }
  return neu;
}

/** Own keys other than `parts` hold the same plain values in both (scalars: lines, names, flags). */
function sameRest(a: object, b: object, parts: readonly string[]): boolean {
  const ka = Object.keys(a).filter(k => !parts.includes(k));
  const kb = Object.keys(b).filter(k => !parts.includes(k));
  if (ka.length !== kb.length) return false;
  return ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `neu` (fresh from the parser, not shared) with its parts equal to `old`'s made `old`'s. */
export function shareUnchanged(old: FileFacts, neu: FileFacts): FileFacts {
  // each part is compared once: its expressions first, then the rest; the whole is the old one when all are
  neu.calls = neu.calls.map((c, i) => {
    const o = old.calls[i];
    if (o === undefined) return c;
    c.callee = reuse(o.callee, c.callee);
    c.args = reuseAll(o.args, c.args);
    if (c.guards) c.guards = reuse(o.guards, c.guards);
    const whole = c.callee === o.callee && c.args.length === o.args.length && c.args.every((a, j) => a === o.args[j])
      && c.guards === o.guards && sameRest(o, c, ['callee', 'args', 'guards']);
    return whole ? o : c;
  });
  neu.fns = neu.fns.map((f, i) => {
    const o = old.fns[i];
    if (o === undefined) return f;
    if (f.pann) f.pann = reuseRecord(o.pann, f.pann);
    if (f.decorators) f.decorators = reuse(o.decorators, f.decorators);
    if (same(f.params, o.params)) f.params = o.params;
    const whole = f.params === o.params && f.decorators === o.decorators && (f.pann === o.pann || same(f.pann, o.pann))
      && sameRest(o, f, ['params', 'decorators', 'pann']);
    return whole ? o : f;
  });
  neu.classes = neu.classes.map((c, i) => {
    const o = old.classes[i];
    if (o === undefined) return c;
    if (same(o, c)) return o;
    if (c.ext) c.ext = reuse(o.ext, c.ext);
    for (const [k, list] of Object.entries(c.fields)) c.fields[k] = reuseAll(Object.prototype.hasOwnProperty.call(o.fields, k) ? o.fields[k] : undefined, list);
    c.decorators = reuse(o.decorators, c.decorators);
    return c;
  });
  // a variable's assignments and a function's returns: the n-th of each, wherever the others moved
  const byKey = <K>(list: readonly [K, Expr][]): Map<K, Expr[]> => {
    const m = new Map<K, Expr[]>();
    for (const [k, e] of list) {
      const l = m.get(k);
      if (l) l.push(e);
      else m.set(k, [e]);
    }
    return m;
  };
  const oldVars = byKey(old.assigns.map(([s, n, e]) => [`${s}:${n}`, e] as [string, Expr]));
  const seenVars = new Map<string, number>();
  neu.assigns = neu.assigns.map(a => {
    const k = `${a[0]}:${a[1]}`;
    const n = seenVars.get(k) ?? 0;
    seenVars.set(k, n + 1);
    const o = oldVars.get(k)?.[n];
    return o !== undefined && same(o, a[2]) ? [a[0], a[1], o] : a;
  });
  const oldReturns = byKey(old.returns);
  const seenReturns = new Map<number, number>();
  neu.returns = neu.returns.map(r => {
    const n = seenReturns.get(r[0]) ?? 0;
    seenReturns.set(r[0], n + 1);
    const o = oldReturns.get(r[0])?.[n];
    return o !== undefined && same(o, r[1]) ? [r[0], o] : r;
  });
  neu.exports = reuseRecord(old.exports, neu.exports);
  if (same(old.starExports, neu.starExports)) neu.starExports = old.starExports;
  if (same(old.imports, neu.imports)) neu.imports = old.imports;
  return neu;
}
