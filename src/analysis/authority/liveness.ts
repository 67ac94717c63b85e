import { must, type FileFacts } from './facts';
import type { Edge } from './call-graph';
import { fnKey, type FnRef, type OtherEntry, type RouteReg } from './registrations';
import type { ModuleResolver } from './resolve';

/**
 * Which code runs at all: from the modules nothing imports (the programs' entry modules), through calls, imports and
 * registrations. A registration made in code nothing runs registers nothing.
 */

export interface Liveness {
  live: Set<string>;
  /** How each function was reached first ("file:f" -> "file:f"). */
  parent: Map<string, string>;
}

export class ModuleGraph {
  /** Each file's imports resolved to files of the program (the resolver and the file set are the tree's: fixed). */
  private readonly targets = new WeakMap<FileFacts, string[]>();

  constructor(private readonly resolver: ModuleResolver) {}

  importsOf(file: string, facts: FileFacts, files: ReadonlyMap<string, FileFacts>): string[] {
    let out = this.targets.get(facts);
    if (out === undefined) {
      out = [];
      for (const spec of facts.imports) {
        const t = this.resolver.resolve(file, spec);
        if (t && t !== file && files.has(t)) out.push(t);
      }
      this.targets.set(facts, out);
    }
    return out;
  }
}

export function liveness(files: ReadonlyMap<string, FileFacts>, modules: ModuleGraph, edges: ReadonlyMap<string, Edge[]>, routes: readonly RouteReg[], others: readonly OtherEntry[]): Liveness {
  const live = new Set<string>();
  const parent = new Map<string, string>();
  const imported = new Set<string>();
  const moduleEdges = new Map<string, string[]>();
  for (const [file, facts] of files) {
    const out = modules.importsOf(file, facts, files);
    for (const t of out) imported.add(t);
    moduleEdges.set(file, out);
  }
  const registeredIn = new Map<string, FnRef[]>();
  for (const r of routes) registeredIn.set(`${r.file}:${r.fn}`, [...(registeredIn.get(`${r.file}:${r.fn}`) ?? []), ...r.handlers]);
  for (const o of others) registeredIn.set(o.fn, [...(registeredIn.get(o.fn) ?? []), ...o.handlers]);
  const queue: string[] = [];
  for (const file of files.keys()) if (!imported.has(file)) queue.push(`${file}:0`);
  for (const q of queue) live.add(q);
  for (let i = 0; i < queue.length; i++) {
    const k = must(queue[i]);
    const next: string[] = [];
    for (const e of edges.get(k) ?? []) next.push(e.to);
    for (const h of registeredIn.get(k) ?? []) next.push(fnKey(h));
    if (k.endsWith(':0')) for (const t of moduleEdges.get(k.slice(0, -2)) ?? []) next.push(`${t}:0`);
    for (const n of next) {
      if (live.has(n)) continue;
      live.add(n);
      parent.set(n, k);
      queue.push(n);
    }
  }
  return { live, parent };
}
