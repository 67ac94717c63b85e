import { must, type CallFact, type Expr, type FileFacts } from './facts';
import type { Passes } from './fixpoint';
import { fnKey, type FnRef, type WriteHit } from './registrations';

/** How many calls deep a callback's writes are looked for (a transaction's body -> a helper -> its helper). */
const CALLBACK_DEPTH = 3;

/** Each file's calls by the function they are made in (a file's facts never change: kept as long as they are). */
const callsByFnOf = new WeakMap<FileFacts, Map<number, [number, CallFact][]>>();

function callsByFn(facts: FileFacts): Map<number, [number, CallFact][]> {
  let m = callsByFnOf.get(facts);
  if (m === undefined) {
    m = new Map();
    for (const [index, call] of facts.calls.entries()) {
      const list = m.get(call.f);
      if (list) list.push([index, call]);
      else m.set(call.f, [[index, call]]);
    }
    callsByFnOf.set(facts, m);
  }
  return m;
}

/**
 * A write whose target is what its callback writes (`doc.transact(() => …)`): the targets of the writes of the same
 * kind the callback makes, directly or through the functions it calls (CALLBACK_DEPTH calls deep). A write through
 * a parameter of a called function (`applyTextDiff(doc.getText('markdown'), …)` writing `target.insert`) is named
 * by the argument of this call.
 */
export function resolveCallbackWrites(writes: WriteHit[], passes: Passes): WriteHit[] {
  if (!writes.some(w => w.callback)) return writes;
  const { linker, files } = passes;
  const hitsByFn = new Map<string, WriteHit[]>();
  for (const w of writes) {
    if (w.callback) continue;
    const k = `${w.file}:${w.f}`;
    hitsByFn.set(k, [...(hitsByFn.get(k) ?? []), w]);
  }
  const namesOf = (file: string, e: Expr | undefined, fromFn: number, ctx: Map<number, string[]> | undefined): string[] => {
    if (e?.k === 'param' && e.f === fromFn && !e.p) {
      const known = ctx?.get(e.i);
      if (known) return known;
    }
    const out: string[] = [];
    for (const v of linker.eval(file, e).values()) if (v.t === 'obj' && v.name !== undefined) out.push(v.name);
    return out;
  };
  const resolved: WriteHit[] = [];
  for (const w of writes) {
    if (!w.callback) {
      resolved.push(w);
      continue;
    }
    const names = new Set<string>();
    /** Fixed names of the pack (an update applied to 'Y.Doc'): only when nothing more precise is found. */
    const genericNames = new Set<string>();
    const seen = new Set<string>();
    interface Visit { fn: FnRef; depth: number; ctx: Map<number, string[]> | undefined }
    const queue: Visit[] = w.callback.fns.map(fn => ({ fn, depth: 0, ctx: undefined }));
    for (let qi = 0; qi < queue.length && qi < 2000; qi++) {
      const v = must(queue[qi]);
      const vk = `${fnKey(v.fn)}|${v.ctx ? JSON.stringify([...v.ctx]) : ''}`;
      if (seen.has(vk)) continue;
      seen.add(vk);
      for (const h of hitsByFn.get(fnKey(v.fn)) ?? []) {
        if (h.kind !== w.kind) continue;
        const given = h.viaParam !== undefined ? v.ctx?.get(h.viaParam) : undefined;
        if (h.generic) genericNames.add(h.target);
        else for (const n of given && given.length > 0 ? given : [h.target]) names.add(n);
      }
      if (v.depth >= CALLBACK_DEPTH) continue;
      const file = v.fn.file;
      const facts = files.get(file);
      for (const [index, call] of (facts ? callsByFn(facts).get(v.fn.f) : undefined) ?? []) {
        const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
        const args = viaCall ? call.args.slice(1) : call.args;
        for (const t of passes.targetsOf(file, call, index)) {
          let ctx: Map<number, string[]> | undefined;
          args.forEach((a, i) => {
            const ns = namesOf(file, a, call.f, v.ctx);
            if (ns.length > 0) (ctx ??= new Map()).set(i, ns);
          });
          queue.push({ fn: t, depth: v.depth + 1, ctx });
        }
        // functions handed to a call in the callback (items.forEach(x => …)) run there too
        for (const a of call.args) if (a.k === 'fn') queue.push({ fn: { file, f: a.f }, depth: v.depth + 1, ctx: undefined });
      }
    }
    const { callback: _cb, ...rest } = w;
    const chosen = names.size > 0 ? names : genericNames.size > 0 ? genericNames : new Set([w.callback.fallback]);
    for (const n of [...chosen].sort()) resolved.push({ ...rest, target: n });
  }
  return resolved;
}
