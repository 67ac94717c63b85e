import { Node } from './deps';
import type { CallFact, Expr, Guard } from './facts';
import { guardsByFn } from './linker';
import { Pass, type Passes, type Scan } from './fixpoint';
import { lineAt } from './mounts';
import { fnKey, type FnRef } from './registrations';

/**
 * The call graph: for each call, edges from the function it is made in to the functions it may call (with the
 * string-dispatch guards and the literal arguments they are checked against), to the callbacks it hands over, and
 * from one-time initialisations; then dispatch edges to the hooks an object was configured with. Each call's edges
 * are a node (./deps.ts): kept after an edit unless what they were computed from changed.
 */

export type ArgInfo = { lit: string } | { param: number } | undefined;

/** (No line: witness paths show the functions' lines, and an edge is the same when its call moves.) */
export interface Edge {
  to: string;
  guards?: Guard[];
  args?: ArgInfo[];
  via: string;
}

export interface Graph {
  edges: Map<string, Edge[]>;
  /** "file:f" -> parameters of f that guard its calls (`if (type === 'x') …`). */
  guardParams: Map<string, Set<number>>;
  /** Functions with a one-time initialisation ("file:f"), and its calls' targets. */
  initCalls: Map<string, { file: string; call: CallFact; targets: FnRef[] }[]>;
}

interface CallEdges {
  edges: Edge[];
  /** An initialisation call: its targets and the functions handed to it. */
  init?: FnRef[];
}

/** A call's edges, and what of the call they were made from besides its callee (their key). */
interface Made {
  out: CallEdges | undefined;
  call: Pick<CallFact, 'args' | 'guards' | 'init' | 'f'>;
  registration: boolean;
}

export class CallGraph {
  /** By the call's callee and position (as its targets, ./fixpoint.ts): the same when the call only moved. */
  private readonly nodes = new WeakMap<Expr, Map<number, Node<Made>>>();

  constructor(private readonly passes: Passes) {}

  build(scan: Scan): Graph {
    const { files, linker } = this.passes;
    const guardParams = new Map<string, Set<number>>();
    for (const [file, facts] of files) for (const [f, set] of guardsByFn(facts)) guardParams.set(`${file}:${f}`, set);
    const edges = new Map<string, Edge[]>();
    const addEdge = (from: string, e: Edge) => {
      const list = edges.get(from);
      if (list) list.push(e);
      else edges.set(from, [e]);
    };
    const initCalls = new Map<string, { file: string; call: CallFact; targets: FnRef[] }[]>();
    let done = 0;
    for (const [file, facts] of files) {
      if (this.passes.onFiles && (done++ & 63) === 0) this.passes.onFiles('call graph', done);
      facts.calls.forEach((call, ci) => {
        let home = this.nodes.get(call.callee);
        if (home === undefined) this.nodes.set(call.callee, (home = new Map()));
        const position = this.passes.position(Pass.Graph, file, ci);
        let n = home.get(position);
        const registration = this.passes.registrationsNode(file, call, ci).value?.registration ?? false;
        if (n !== undefined && !sameMade(n.value, call, registration)) {
          linker.tracker.invalidate(n);
          n = undefined;
        }
        if (n === undefined) {
          n = new Node<Made>(home, position);
          linker.tracker.within(n, () => ({ out: this.callEdges(file, call, ci, registration), call, registration }), position);
          home.set(position, n);
        }
        const out = n.value.out;
        if (!out) return;
        const from = `${file}:${call.f}`;
        if (out.init) {
          const list = initCalls.get(from) ?? [];
          list.push({ file, call, targets: out.init });
          initCalls.set(from, list);
        }
        for (const e of out.edges) addEdge(from, e);
      });
    }
    const hookHandlers = new Map<string, FnRef[]>();
    for (const o of scan.others) if (o.owner) hookHandlers.set(o.owner, [...(hookHandlers.get(o.owner) ?? []), ...o.handlers]);
    for (const d of scan.dispatchCalls) {
      const owners = new Set<string>([d.owner]);
      // the object a hooks configure() call returned: hooks registered through that call
      const obj = scan.objects.get(d.owner);
      if (obj) owners.add(`hooks:${obj.file}:${lineAt(files, obj.file, obj.at)}`);
      for (const owner of owners) {
        for (const h of hookHandlers.get(owner) ?? []) addEdge(`${d.file}:${d.call.f}`, { to: fnKey(h), via: 'dispatch' });
      }
    }
    return { edges, guardParams, initCalls };
  }

  /** Call `ci` of `file`'s edges (undefined: none). */
  private callEdges(file: string, call: CallFact, ci: number, registration: boolean): CallEdges | undefined {
    const { linker } = this.passes;
    const fnsIn = (e: Expr) => linker.functionsOf(linker.eval(file, e));
    const targets = this.passes.targetsOf(file, call, ci);
    const edges: Edge[] = [];
    if (call.init) {
      const init = [...targets, ...call.args.flatMap(a => (a.k === 'fn' ? fnsIn(a) : []))];
      for (const t of targets) edges.push({ to: fnKey(t), via: 'init' });
      return { edges, init };
    }
    if (registration) {
      for (const t of targets) edges.push({ to: fnKey(t), via: 'call' });
      return edges.length > 0 ? { edges } : undefined;
    }
    const argInfo = (e: Expr | undefined): ArgInfo => {
      if (!e) return undefined;
      if (e.k === 'str') return { lit: e.v };
      if (e.k === 'param' && e.f === call.f && !e.p) return { param: e.i };
      if (e.k === 'var') {
        const vals = linker.strings(file, e);
        if (vals.length === 1 && vals[0] !== undefined) return { lit: vals[0] };
      }
      return undefined;
    };
    const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
    const args = viaCall ? call.args.slice(1) : call.args;
    for (const t of targets) {
      const tk = fnKey(t);
      const gp = linker.guardsOf(t.file, t.f);
      const info = gp ? args.map(a => argInfo(a)) : undefined;
      edges.push({ to: tk, ...(call.guards ? { guards: call.guards } : {}), ...(info ? { args: info } : {}), via: 'call' });
    }
    const targetKeys = new Set(targets.map(fnKey));
    for (const a of call.args) {
      if (a.k !== 'fn' && a.k !== 'var' && a.k !== 'member' && a.k !== 'import') continue;
      for (const fn of fnsIn(a)) {
        if (targetKeys.has(fnKey(fn))) continue;
        edges.push({ to: fnKey(fn), ...(call.guards ? { guards: call.guards } : {}), via: 'callback' });
      }
    }
    return edges.length > 0 ? { edges } : undefined;
  }
}

function sameMade(m: Made, call: CallFact, registration: boolean): boolean {
  const a = m.call;
  return m.registration === registration && a.f === call.f && a.init === call.init && a.guards === call.guards
    && a.args.length === call.args.length && a.args.every((x, i) => x === call.args[i]);
}
