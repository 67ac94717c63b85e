import type { EntryPoint, WitnessStep, Write } from '../../core/authority/analysis';
import { must, type FileFacts, type Guard } from './facts';
import type { Edge, Graph } from './call-graph';
import { guardsByFn } from './linker';
import { fnKey, type FnRef } from './registrations';
import type { WriteIndex, WriteRef } from './writes';

/** Witness paths kept per entry point (its writes are all listed). */
const MAX_WITNESSES = 64;

/**
 * Reachability: from an entry point's handlers, the writes they reach (one witness path each, string-dispatch guards
 * applied), and the writes reached without passing the declared authority (the bypasses). What an entry point's
 * searches found is kept with the functions they went through; after an edit an entry point is searched again only
 * if one of those functions' edges, writes or guards changed, and its witness paths are written again if one of them
 * was renamed or moved (the searches do not depend on names and lines).
 */

export type Reached = Pick<EntryPoint, 'writes' | 'viaAuthority' | 'bypasses' | 'witnesses' | 'witnessesOmitted'>;

interface State { fn: string; ctx: Record<number, string> | undefined; parent: State | undefined; via: string }

/** What an entry point's searches found: for each write, the state it was found in (the path to it). */
interface Found {
  fns: Set<string>;
  all: Map<string, State>;
  /** Found without passing the authority (searched when there is an authority and a write). */
  avoiding: Map<string, State> | undefined;
  reached: Reached | undefined;
}

function splitKey(k: string): [string, number] {
  const i = k.lastIndexOf(':');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

const sameGuards = (a: readonly Guard[] | undefined, b: readonly Guard[] | undefined) => a === b;

const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number> | undefined) => b !== undefined && a.size === b.size && [...a].every(x => b.has(x));

/** The same edge for the searches (which do not look at its line). */
function sameEdge(a: Edge, b: Edge): boolean {
  if (a === b) return true;
  if (a.to !== b.to || a.via !== b.via || !sameGuards(a.guards, b.guards)) return false;
  if (a.args === b.args) return true;
  if (!a.args || !b.args || a.args.length !== b.args.length) return false;
  return a.args.every((x, i) => {
    const y = b.args?.[i];
    if (x === undefined || y === undefined) return x === y;
    return 'lit' in x ? 'lit' in y && x.lit === y.lit : 'param' in y && x.param === y.param;
  });
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => same(x, must(b[i])));
}

const sameWrite = (a: Write | undefined, b: Write | undefined) => a === b || (a !== undefined && b !== undefined && a.kind === b.kind
  && a.target === b.target && a.file === b.file && a.line === b.line && a.function === b.function && a.functionLine === b.functionLine && a.pack === b.pack);

export class Reacher {
  /** By handlers and initialisation. */
  private readonly kept = new Map<string, Found>();
  /** Keys asked for since begin(): the others are forgotten at the next begin(). */
  private used = new Set<string>();
  private last: { graph: Graph; writes: WriteIndex; authority: string } | undefined;
  private files: ReadonlyMap<string, FileFacts> = new Map();
  private graph!: Graph;
  private writes!: WriteIndex;
  private authorityFns: ReadonlySet<string> = new Set();

  /**
   * The graph, writes and authority of this run; `changed` (the files changed since the last run, with their facts
   * then; undefined: everything may have changed) lets what was found before be kept where none of the functions the
   * searches went through changed.
   */
  begin(files: ReadonlyMap<string, FileFacts>, graph: Graph, writes: WriteIndex, authorityFns: ReadonlySet<string>, changed: ReadonlyMap<string, FileFacts> | undefined): void {
    this.files = files;
    this.graph = graph;
    this.writes = writes;
    this.authorityFns = authorityFns;
    const authority = [...authorityFns].sort().join('\n');
    const last = this.last;
    this.last = { graph, writes, authority };
    for (const key of this.kept.keys()) if (!this.used.has(key)) this.kept.delete(key);
    this.used = new Set();
    if (!last || !changed || last.authority !== authority) {
      this.kept.clear();
      return;
    }
    /** Functions whose edges, writes or guards changed: searches through them are made again. */
    const dirty = new Set<string>();
    /** Functions renamed or moved, or whose writes moved: witness paths through them are written again. */
    const relabel = new Set<string>();
    for (const [file, was] of changed) {
      const now = files.get(file);
      const n = Math.max(was.fns.length, now?.fns.length ?? 0);
      for (let f = 0; f < n; f++) {
        const a = was.fns[f];
        const b = now?.fns[f];
        if (a === undefined || b === undefined) dirty.add(`${file}:${f}`);
        else if (a.line !== b.line || a.name !== b.name) relabel.add(`${file}:${f}`);
      }
      for (const [f, set] of guardsByFn(was)) if (!sameSet(set, graph.guardParams.get(`${file}:${f}`))) dirty.add(`${file}:${f}`);
      if (now) for (const [f, set] of guardsByFn(now)) if (!sameSet(set, last.graph.guardParams.get(`${file}:${f}`))) dirty.add(`${file}:${f}`);
    }
    for (const [fn, list] of graph.edges) if (!sameList(list, last.graph.edges.get(fn), sameEdge)) dirty.add(fn);
    for (const fn of last.graph.edges.keys()) if (!graph.edges.has(fn)) dirty.add(fn);
    const sameRef = (a: WriteRef, b: WriteRef) => a.id === b.id && a.guards === b.guards && a.init === b.init;
    for (const [fn, list] of writes.byFn) {
      const before = last.writes.byFn.get(fn);
      if (!sameList(list, before, sameRef)) dirty.add(fn);
      else if (list.some(w => !sameWrite(writes.byId.get(w.id), last.writes.byId.get(w.id)))) relabel.add(fn);
    }
    for (const fn of last.writes.byFn.keys()) if (!writes.byFn.has(fn)) dirty.add(fn);
    for (const [key, k] of this.kept) {
      for (const fn of dirty) {
        if (!k.fns.has(fn)) continue;
        this.kept.delete(key);
        break;
      }
      if (k.reached === undefined) continue;
      for (const fn of relabel) {
        if (!k.fns.has(fn)) continue;
        k.reached = undefined;
        break;
      }
    }
  }

  /** What an entry point with these handlers reaches (initFn: an initialisation, reached from its set-up part only). */
  reached(handlers: FnRef[], initFn: string | undefined): Reached {
    const key = `${handlers.map(fnKey).join(',')}|${initFn ?? ''}`;
    this.used.add(key);
    let found = this.kept.get(key);
    if (found === undefined) {
      const fns = new Set<string>();
      const all = this.reach(handlers, false, initFn, fns);
      // one-time set-up (creating tables, opening the store) is not a write path the authority governs: not checked
      const avoiding = all.size > 0 && this.authorityFns.size > 0 && initFn === undefined ? this.reach(handlers, true, initFn, fns) : undefined;
      found = { fns, all, avoiding, reached: undefined };
      this.kept.set(key, found);
    }
    found.reached ??= this.render(found);
    return found.reached;
  }

  /**
   * Writes reached, sorted, and witness paths with the functions' names and lines as they are now. Witness paths are
   * built for the first MAX_WITNESSES writes (by id) only: a route reaching thousands of writes keeps them all in
   * `writes`, and the output stays proportional to the program, not to routes × writes.
   */
  private render(found: Found): Reached {
    const { all, avoiding } = found;
    const writesReached = [...all.keys()].sort();
    let viaAuthority: boolean | null = null;
    let bypasses: EntryPoint['bypasses'];
    let omitted = 0;
    const pathTo = (from: Map<string, State>, id: string) => this.witness(must(from.get(id)), must(this.writes.byId.get(id)));
    if (avoiding) {
      bypasses = [...avoiding.keys()].sort().map((write, i) => ({ write, path: i < MAX_WITNESSES ? pathTo(avoiding, write) : [] }));
      viaAuthority = avoiding.size === 0;
      if (avoiding.size > MAX_WITNESSES) omitted = Math.max(omitted, avoiding.size - MAX_WITNESSES);
    }
    if (writesReached.length > MAX_WITNESSES) omitted = Math.max(omitted, writesReached.length - MAX_WITNESSES);
    return {
      writes: writesReached, viaAuthority,
      ...(bypasses && bypasses.length > 0 ? { bypasses } : {}),
      witnesses: Object.fromEntries(writesReached.slice(0, MAX_WITNESSES).map(w => [w, pathTo(all, w)])),
      ...(omitted > 0 ? { witnessesOmitted: omitted } : {}),
    };
  }

  private compatible(guards: readonly Guard[] | undefined, ctx: Record<number, string> | undefined): boolean {
    if (!guards || !ctx) return true;
    for (const g of guards) {
      const v = ctx[g.p];
      if (v !== undefined && !g.v.includes(v)) return false;
    }
    return true;
  }

  private stepOf(s: State): WitnessStep {
    const [file, f] = splitKey(s.fn);
    const fact = this.files.get(file)?.fns[f];
    return { file, line: fact?.line ?? 1, name: fact?.name ?? '?', via: s.via };
  }

  private witness(s: State, w: Write): WitnessStep[] {
    const steps: WitnessStep[] = [];
    for (let c: State | undefined = s; c; c = c.parent) steps.unshift(this.stepOf(c));
    steps.push({ file: w.file, line: w.line, name: `${w.kind} write to ${w.target}`, via: 'write' });
    return steps;
  }

  /**
   * The writes reachable from roots, one witness path each. One-time initialisation belongs to the initialisation's own
   * entry point (initFn: the function that sets up), not to everything that happens to use it first.
   */
  private reach(roots: FnRef[], avoidAuthority: boolean, initFn: string | undefined, fns: Set<string>): Map<string, State> {
    const { edges, guardParams } = this.graph;
    const authorityFns = this.authorityFns;
    const writeIdsByFn = this.writes.byFn;
    const found = new Map<string, State>();
    const visited = new Set<string>();
    const queue: State[] = [];
    for (const r of roots) {
      const k = fnKey(r);
      if (avoidAuthority && authorityFns.has(k)) continue;
      queue.push({ fn: k, ctx: undefined, parent: undefined, via: 'handler' });
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = must(queue[qi]);
      const sk = s.ctx ? `${s.fn}|${JSON.stringify(s.ctx)}` : s.fn;
      if (visited.has(sk)) continue;
      visited.add(sk);
      fns.add(s.fn);
      const initStep = initFn !== undefined && s.parent === undefined && s.fn === initFn;
      for (const w of writeIdsByFn.get(s.fn) ?? []) {
        if ((w.init === true) !== initStep || found.has(w.id) || !this.compatible(w.guards, s.ctx)) continue;
        found.set(w.id, s);
      }
      for (const e of edges.get(s.fn) ?? []) {
        if ((e.via === 'init') !== initStep || !this.compatible(e.guards, s.ctx)) continue;
        if (avoidAuthority && authorityFns.has(e.to)) continue;
        let ctx: Record<number, string> | undefined;
        const gp = guardParams.get(e.to);
        if (gp && e.args) {
          for (const p of gp) {
            const a = e.args[p];
            const v = a === undefined ? undefined : 'lit' in a ? a.lit : s.ctx?.[a.param];
            if (v !== undefined) (ctx ??= {})[p] = v;
          }
        }
        queue.push({ fn: e.to, ctx, parent: s, via: e.via });
      }
    }
    return found;
  }
}
