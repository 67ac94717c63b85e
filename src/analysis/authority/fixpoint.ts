import { Node } from './deps';
import type { CallFact, ClassFact, Expr, FileFacts } from './facts';
import { valKey, type Bindings, type Linker, type Val } from './linker';
import { scanCall, scanClass, type FnRef, type MountReg, type Obj, type OtherEntry, type RegistrationRules, type Registrations, type RouteReg, type WriteHit } from './registrations';

/**
 * The fixpoint: call targets -> parameter bindings -> more call targets, with the registrations scanned each round
 * (they type parameters: a connection handler's socket), until neither the bindings nor the types change. Each call's
 * targets and registrations are nodes (./deps.ts): a round computes again only those whose values changed.
 */

/** Everything the scan found, in the order of the files and their calls. */
export interface Scan {
  routes: RouteReg[];
  mounts: MountReg[];
  others: OtherEntry[];
  writes: WriteHit[];
  dispatchCalls: { file: string; call: CallFact; owner: string }[];
  /** "file:index" of calls that register a listener, a route or a hook. */
  registrationSites: Set<string>;
  /** Objects seen as receivers or mounted, by valKey. */
  objects: Map<string, Obj>;
  decoratedCategory: Map<string, string>;
  types: Map<string, Val[]>;
}

/** "file:f:i" -> file (a path may itself hold ':'). */
function keyFile(key: string): string {
  const last = key.lastIndexOf(':');
  return key.slice(0, key.lastIndexOf(':', last - 1));
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

/** Passes, in the order their queries are made (./deps.ts). */
export const enum Pass { Bind = 0, Scan = 1, Callbacks = 2, Graph = 3 }

export class Passes {
  /**
   * A call's targets, by its callee (all they depend on: the same object when the call only moved, see
   * ./facts-share.ts) and its position (a callee may be a shared constant: the unknown expression).
   */
  private readonly targets = new WeakMap<Expr, Map<number, Node<FnRef[]>>>();
  private readonly registrations = new WeakMap<CallFact | ClassFact, Node<Registrations | undefined>>();
  private readonly fileIndex = new Map<string, number>();
  /** Told which step (a round of the fixpoint, the call graph) is at which file, every 64 files (progress). */
  onFiles: ((step: string, done: number) => void) | undefined = undefined;
  /** The fixpoint's round, for onFiles. */
  round = 0;

  constructor(
    readonly linker: Linker,
    readonly rules: RegistrationRules,
    /** The program's files, in the tree's order (the model's own map: it changes with edits, never its keys). */
    readonly files: ReadonlyMap<string, FileFacts>,
  ) {
    for (const file of files.keys()) this.fileIndex.set(file, this.fileIndex.size);
  }

  /** Where a pass's query about the `local`-th call of a file (or class: `class` set) is in the order of queries. */
  position(pass: Pass, file: string, local: number, cls = false): number {
    return pass * 2 ** 42 + (this.fileIndex.get(file) ?? 0) * 2 ** 22 + (cls ? 2 ** 21 : 0) + local;
  }

  /** Call `index` of `file`'s targets, as a node (read by the value being computed, if any). */
  targetsNode(file: string, call: CallFact, index: number): Node<FnRef[]> {
    let home = this.targets.get(call.callee);
    if (home === undefined) this.targets.set(call.callee, (home = new Map()));
    const position = this.position(Pass.Bind, file, index);
    let n = home.get(position);
    if (n === undefined) {
      n = new Node<FnRef[]>(home, position);
      this.linker.tracker.within(n, () => this.linker.callTargets(file, call), position);
      home.set(position, n);
    }
    this.linker.tracker.read(n);
    return n;
  }

  targetsOf(file: string, call: CallFact, index: number): FnRef[] {
    return this.targetsNode(file, call, index).value;
  }

  /** What call `index` of `file` registers, as a node (read by the value being computed, if any). */
  registrationsNode(file: string, call: CallFact, index: number): Node<Registrations | undefined> {
    let n = this.registrations.get(call);
    if (n === undefined) {
      n = new Node<Registrations | undefined>(this.registrations, call);
      this.linker.tracker.within(n, () => scanCall(this.linker, this.rules, file, call, index), this.position(Pass.Scan, file, index));
      this.registrations.set(call, n);
    }
    this.linker.tracker.read(n);
    return n;
  }

  private classRegistrations(file: string, facts: FileFacts, cls: ClassFact, index: number): Registrations | undefined {
    if (cls.decorators.length === 0) return undefined;
    let n = this.registrations.get(cls);
    if (n === undefined) {
      n = new Node<Registrations | undefined>(this.registrations, cls);
      this.linker.tracker.within(n, () => {
        this.linker.factsOf(file);
        return scanClass(this.linker, this.rules, file, facts, cls);
      }, this.position(Pass.Scan, file, index, true));
      this.registrations.set(cls, n);
    }
    return n.value;
  }

  /** Which functions each call (of the given files, or all) may call, as bindings of their parameters (appended to `into`). */
  bind(into: Bindings, only?: ReadonlySet<string>): Bindings {
    let done = 0;
    for (const [file, facts] of this.files) {
      if (this.onFiles && (done++ & 63) === 0) this.onFiles(`round ${this.round + 1} (calls)`, done);
      if (only && !only.has(file)) continue;
      for (const [index, call] of facts.calls.entries()) {
        const targets = this.targetsOf(file, call, index);
        if (targets.length === 0) continue;
        const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
        const args = viaCall ? call.args.slice(1) : call.args;
        for (const t of targets) {
          args.forEach((e, i) => {
            const key = `${t.file}:${t.f}:${i}`;
            const list = into.get(key);
            if (list) list.push({ file, e });
            else into.set(key, [{ file, e }]);
          });
        }
      }
    }
    return into;
  }

  /** One pass over every call and decorated class: registrations and writes, with the values known now. */
  scan(): Scan {
    const s: Scan = {
      routes: [], mounts: [], others: [], writes: [], dispatchCalls: [], registrationSites: new Set(), objects: new Map(),
      decoratedCategory: new Map(), types: new Map(),
    };
    const builders = new Set<string>();
    const take = (r: Registrations, file: string, call: CallFact | undefined, index: number) => {
      s.routes.push(...r.routes);
      for (const o of r.order) {
        if ('obj' in o) s.objects.set(valKey(o.obj), o.obj);
        else if ('builder' in o) {
          const k = valKey(o.builder);
          if (builders.has(k)) continue;
          builders.add(k);
          s.objects.set(valKey(o.mount.parent), o.mount.parent);
          s.mounts.push(o.mount);
        } else s.mounts.push(o.mount);
      }
      s.others.push(...r.others);
      s.writes.push(...r.writes);
      if (call) for (const owner of r.dispatch) s.dispatchCalls.push({ file, call, owner });
      if (r.registration) s.registrationSites.add(`${file}:${index}`);
      for (const [k, v] of r.types) {
        const list = s.types.get(k);
        if (list) list.push(v);
        else s.types.set(k, [v]);
      }
      for (const [k, c] of r.categories) s.decoratedCategory.set(k, c);
    };
    let done = 0;
    for (const [file, facts] of this.files) {
      if (this.onFiles && (done++ & 63) === 0) this.onFiles(`round ${this.round + 1} (registrations)`, done);
      facts.calls.forEach((call, index) => {
        const r = this.registrationsNode(file, call, index).value;
        if (r) take(r, file, call, index);
      });
      for (const [index, cls] of facts.classes.entries()) {
        const r = this.classRegistrations(file, facts, cls, index);
        if (r) take(r, file, undefined, -1);
      }
    }
    return s;
  }
}

/**
 * Runs the fixpoint and returns the last scan (with `pause`, awaited before each round; without, it runs at once). `changed`: the files changed since the last run on these passes, with
 * their facts then (the passes have the new ones); the run starts from where the last one ended, without what the
 * changed files said or were given, plus what every call binds from there. It ends with a round in which nothing changed: its values are those of an
 * analysis from scratch with the same bindings and types (./deps.ts).
 */
export async function runFixpoint(passes: Passes, changed: ReadonlyMap<string, FileFacts> | undefined, signal: AbortSignal | undefined,
  pause?: () => Promise<void>): Promise<Scan> {
  const { linker } = passes;
  /** A parameter ("file:f:i") of a changed file's function that is still the same function (name, parameters). */
  const samePlace = (k: string): boolean => {
    const file = keyFile(k);
    const rest = k.slice(file.length + 1).split(':');
    const f = Number(rest[0]);
    const was = changed?.get(file)?.fns[f];
    const now = passes.files.get(file)?.fns[f];
    return was !== undefined && now !== undefined && was.name === now.name && was.kind === now.kind && was.params.join() === now.params.join();
  };
  let bound = false;
  if (changed) {
    // what the changed files' calls that changed bound, and types the packs gave their functions that are not the same
    // function any more (a function added before them took their index), are taken away; then every call is bound again
    // (bindings to the changed files' functions stay: the comparison below notices when they moved)
    const args = new Set<Expr>();
    for (const file of changed.keys()) for (const call of passes.files.get(file)?.calls ?? []) for (const a of call.args) args.add(a);
    const current: Bindings = new Map();
    for (const [k, list] of linker.bindings) {
      const kept = list.filter(b => !changed.has(b.file) || (b.e !== undefined && args.has(b.e)));
      if (kept.length > 0) current.set(k, kept.length === list.length ? list : kept);
    }
    const types = new Map<string, Val[]>();
    for (const [k, v] of linker.types) if (!changed.has(keyFile(k)) || samePlace(k)) types.set(k, v);
    linker.setTypes(types);
    linker.setBindings(current);
    // bound again from there: when that gives the bindings back as they were, the first round's bind pass (the same
    // inputs) would give them again, and is skipped
    bound = !linker.setBindings(passes.bind(new Map()));
  }
  for (let iteration = 0; iteration < 8; iteration++) {
    // between rounds, what waits (progress messages, a cancel) is let through
    if (pause) await pause();
    checkAbort(signal);
    passes.round = iteration;
    const bindingsChanged = bound && iteration === 0 ? false : linker.setBindings(passes.bind(new Map()));
    const scan = passes.scan();
    const typesChanged = linker.setTypes(scan.types);
    if (!bindingsChanged && !typesChanged) return scan;
    if (!typesChanged && iteration === 7) return scan;
  }
  return passes.scan();
}
