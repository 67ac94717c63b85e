import { patternSteps, type RulePack } from '../../core/authority/rule-pack';
import { Inputs, Node, Tracker } from './deps';
import { must, type CallFact, type Expr, type FileFacts } from './facts';
import { normaliseExternal, type ModuleResolver } from './resolve';

/**
 * The project model: the facts of every file joined. Values are followed through variables, parameters (from every
 * call site), return values, imports, re-exports and dynamic imports, and typed by the rule packs (an Express router,
 * a Yjs map named "marks"...). A flow-insensitive, context-insensitive points-to analysis, iterated until the call
 * graph stops growing; the string-dispatch guards (./facts.ts Guard) are applied later, during reachability.
 *
 * The linker outlives one analysis: after an edit its files are replaced (setFile), and what they, the parameter
 * bindings or the pack types fed into is computed again; every other value is kept (./deps.ts).
 */

export type Val =
  | { t: 'fn'; file: string; f: number }
  | { t: 'class'; file: string; c: number }
  | { t: 'inst'; file: string; c: number }
  | { t: 'ext'; m: string; p: string[] }
  // `at`: where it was made, as the index of the call in `file` that made it (its line is looked up when shown: the
  // value stays the same when lines move), or minus a line (made by a class, an annotation)
  | { t: 'obj'; type: string; site: string; name?: string; prefix?: string; pack: string; file: string; at: number; under?: Val }
  | { t: 'str'; v: string }
  | { t: 'olit'; file: string; e: Extract<Expr, { k: 'obj' }>; id: number }
  | { t: 'arr'; file: string; e: Extract<Expr, { k: 'arr' }>; id: number }
  | { t: 'mod'; file: string };

const keys = new WeakMap<Val, string>();

export function valKey(v: Val): string {
  let k = keys.get(v);
  if (k === undefined) keys.set(v, (k = computeKey(v)));
  return k;
}

function computeKey(v: Val): string {
  switch (v.t) {
    case 'fn': return `f:${v.file}:${v.f}`;
    case 'class': return `c:${v.file}:${v.c}`;
    case 'inst': return `i:${v.file}:${v.c}`;
    case 'ext': return `e:${v.m}:${v.p.join('.')}`;
    case 'obj': return `o:${v.site}:${v.type}:${v.name ?? ''}`;
    case 'str': return `s:${v.v}`;
    case 'olit': return `l:${v.id}`;
    case 'arr': return `a:${v.id}`;
    case 'mod': return `m:${v.file}`;
  }
}

type ValSet = Map<string, Val>;
/** Where a call's typed values are made: their site key and the call's index. */
type Site = { key: string; at: number };
const EMPTY: ValSet = new Map();
const MAX_VALUES = 64;
const MAX_EXT_PATH = 8;
const MAX_DEPTH = 400;

/** A memoised set that is empty is the shared empty set (a third of them on a large tree of small modules). */
function shared(set: ValSet): ValSet {
  return set.size === 0 ? EMPTY : set;
}

function add(set: ValSet, v: Val): void {
  if (set.size < MAX_VALUES) set.set(valKey(v), v);
}

export interface TypeSource {
  pack: string;
  type: string;
  root: boolean;
  nameArg?: number;
  prefixOption?: { arg: number; key: string };
}

/** Rules of all packs, indexed for the linker. */
export class RuleIndex {
  /** module -> [steps, source] */
  readonly valuesByModule = new Map<string, { steps: string[]; src: TypeSource }[]>();
  readonly annotations = new Map<string, TypeSource>(); // "module\0name"
  readonly extendsRules = new Map<string, TypeSource>();
  /** type or "*" -> method -> rule */
  readonly returns = new Map<string, { methods: string[]; except: string[]; property: boolean; type: string; nameArg?: number; prefixOption?: { arg: number; key: string }; prefixArg?: number; pack: string }[]>();
  /** module -> [steps, argument]: calls that return their argument (`fp(plugin)`). */
  readonly identities = new Map<string, { steps: string[]; arg: number }[]>();
  readonly rootTypes = new Set<string>();

  constructor(readonly packs: readonly RulePack[]) {
    for (const p of packs) {
      for (const v of p.values) {
        const src: TypeSource = { pack: p.id, type: v.type, root: v.root, ...(v.nameArg !== undefined ? { nameArg: v.nameArg } : {}),
          ...(v.prefixOption ? { prefixOption: v.prefixOption } : {}) };
        if (v.root) this.rootTypes.add(v.type);
        if (v.from) {
          const m = normaliseExternal(v.from.module);
          const list = this.valuesByModule.get(m) ?? [];
          list.push({ steps: patternSteps(v.from.path), src });
          this.valuesByModule.set(m, list);
        }
        if (v.annotation) this.annotations.set(`${normaliseExternal(v.annotation.module)}\0${v.annotation.name}`, src);
        if (v.extends) this.extendsRules.set(`${normaliseExternal(v.extends.module)}\0${v.extends.name}`, src);
      }
      for (const r of p.returns) {
        const keys = r.on === '*' ? ['*'] : r.on;
        for (const k of keys) {
          const list = this.returns.get(k) ?? [];
          list.push({ methods: r.methods, except: r.except, property: r.property, type: r.type, pack: p.id,
            ...(r.nameArg !== undefined ? { nameArg: r.nameArg } : {}), ...(r.prefixOption ? { prefixOption: r.prefixOption } : {}),
            ...(r.prefixArg !== undefined ? { prefixArg: r.prefixArg } : {}) });
          this.returns.set(k, list);
        }
      }
      for (const r of p.identity) {
        const m = normaliseExternal(r.from.module);
        const list = this.identities.get(m) ?? [];
        list.push({ steps: patternSteps(r.from.path), arg: r.arg });
        this.identities.set(m, list);
      }
    }
  }

  /** The value rule an external access path matches. */
  valueFor(m: string, steps: readonly string[]): TypeSource | undefined {
    const list = this.valuesByModule.get(m);
    if (!list) return undefined;
    for (const r of list) if (stepsMatch(r.steps, steps)) return r.src;
    return undefined;
  }
}

/** An own property of a record built from reviewed code or a pack (never one of Object.prototype's). */
export function own<T>(rec: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return rec !== undefined && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export function stepsMatch(pattern: readonly string[], steps: readonly string[]): boolean {
  if (pattern.length !== steps.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== steps[i]) return false;
  return true;
}

export function nameMatches(list: readonly string[], name: string): boolean {
  return list.includes(name) || list.includes('*');
}

/** A call of the program: where it is, and what its callee and arguments are. */
export interface CallSite {
  file: string;
  index: number;
  fact: CallFact;
}

/** Which arguments of which calls bind each parameter ("file:f:i"). */
export type Bindings = Map<string, { file: string; e: Expr | undefined; spread?: boolean }[]>;

export class Linker {
  readonly tracker = new Tracker();
  private readonly files = new Map<string, FileFacts>();
  private readonly varIndex = new Map<string, Map<string, Expr[]>>();
  private readonly returnIndex = new Map<string, Map<number, Expr[]>>();
  /**
   * The parts of each file's facts values are computed from, by key: "c<i>" call i, "f<f>" function f (whether it is
   * there, its parameters' annotations), "k<c>" class c, "x<name>" an export, "s" the star exports, "v<s:n>" a
   * variable's assignments, "r<f>" what function f returns, "g<f>" which parameters guard f's calls, "*" anything.
   */
  private readonly items = new Map<string, Inputs<string>>();
  private readonly bindingInputs = new Inputs<string>(this.tracker);
  private readonly typeInputs = new Inputs<string>(this.tracker);
  /** "file:f:i" -> [caller file, argument] for every call site that calls function f. */
  private paramBindings: Bindings = new Map();
  /** Types given to parameters by the packs (a connection handler's socket, a plugin's instance). */
  private paramTypes = new Map<string, Val[]>();
  private readonly memo = new Map<string, Node<ValSet>>();
  private readonly inProgress = new Set<string>();
  /** Members of object literals, by the literal's expression and the member's name. */
  private readonly literalMemo = new WeakMap<object, Map<string, Node<ValSet>>>();
  private readonly exprIds = new WeakMap<object, number>();
  private nextExprId = 1;

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    readonly resolver: ModuleResolver,
    readonly rules: RuleIndex,
  ) {
    for (const [file, facts] of files) this.setFile(file, facts);
  }

  /**
   * A file's facts, new or changed (undefined: gone): every value computed from a part of its facts that changed is
   * dropped. Parts are told apart by identity: facts parsed again share what did not change (./facts-share.ts).
   */
  setFile(file: string, facts: FileFacts | undefined): void {
    const old = this.files.get(file);
    if (old === facts) return;
    const items = this.items.get(file);
    const changed = (key: string) => items?.changed(key);
    changed('*');
    const vars = new Map<string, Expr[]>();
    for (const [s, n, e] of facts?.assigns ?? []) {
      const k = `${s}:${n}`;
      const list = vars.get(k);
      if (list) list.push(e);
      else vars.set(k, [e]);
    }
    const rets = new Map<number, Expr[]>();
    for (const [f, e] of facts?.returns ?? []) {
      const list = rets.get(f);
      if (list) list.push(e);
      else rets.set(f, [e]);
    }
    const oldVars = this.varIndex.get(file);
    const oldRets = this.returnIndex.get(file);
    // unchanged lists stay the same objects (values are memoised by them)
    for (const [k, list] of vars) {
      const was = oldVars?.get(k);
      if (was && sameItems(was, list)) vars.set(k, was);
      else changed(`v${k}`);
    }
    for (const k of oldVars?.keys() ?? []) if (!vars.has(k)) changed(`v${k}`);
    for (const [f, list] of rets) {
      const was = oldRets?.get(f);
      if (was && sameItems(was, list)) rets.set(f, was);
      else changed(`r${f}`);
    }
    for (const f of oldRets?.keys() ?? []) if (!rets.has(f)) changed(`r${f}`);
    if (items) {
      const calls = Math.max(old?.calls.length ?? 0, facts?.calls.length ?? 0);
      // (a call's line is not part of what it evaluates to: moving it changes nothing here)
      for (let i = 0; i < calls; i++) if (!sameCall(old?.calls[i], facts?.calls[i])) changed(`c${i}`);
      const fns = Math.max(old?.fns.length ?? 0, facts?.fns.length ?? 0);
      for (let f = 0; f < fns; f++) {
        const a = old?.fns[f];
        const b = facts?.fns[f];
        if (a !== b && (a === undefined || b === undefined || !sameRecord(a.pann, b.pann))) changed(`f${f}`);
      }
      const classes = Math.max(old?.classes.length ?? 0, facts?.classes.length ?? 0);
      for (let c = 0; c < classes; c++) if (old?.classes[c] !== facts?.classes[c]) changed(`k${c}`);
      for (const k of new Set([...Object.keys(old?.exports ?? {}), ...Object.keys(facts?.exports ?? {})])) {
        if (own(old?.exports, k) !== own(facts?.exports, k)) changed(`x${k}`);
      }
      if (old?.starExports !== facts?.starExports) changed('s');
      const ga = old ? guardsByFn(old) : new Map<number, Set<number>>();
      const gb = facts ? guardsByFn(facts) : new Map<number, Set<number>>();
      for (const f of new Set([...ga.keys(), ...gb.keys()])) {
        const a = ga.get(f);
        const b = gb.get(f);
        if (a?.size !== b?.size || [...(a ?? [])].some(p => !b?.has(p))) changed(`g${f}`);
      }
    }
    if (!facts) {
      this.files.delete(file);
      this.varIndex.delete(file);
      this.returnIndex.delete(file);
      return;
    }
    this.files.set(file, facts);
    this.varIndex.set(file, vars);
    this.returnIndex.set(file, rets);
  }

  /** The value being computed reads part `key` of `file`'s facts (see items). */
  private item(file: string, key: string): void {
    if (!this.tracker.tracking) return;
    let i = this.items.get(file);
    if (i === undefined) this.items.set(file, (i = new Inputs<string>(this.tracker)));
    i.read(key);
  }

  /** A file's facts, the read (of all of them) recorded on the value being computed. */
  factsOf(file: string): FileFacts | undefined {
    this.item(file, '*');
    return this.files.get(file);
  }

  /** Which parameters guard function f's calls, the read recorded on the value being computed. */
  guardsOf(file: string, f: number): ReadonlySet<number> | undefined {
    this.item(file, `g${f}`);
    const facts = this.files.get(file);
    return facts ? guardsByFn(facts).get(f) : undefined;
  }

  private idOf(e: object): number {
    let id = this.exprIds.get(e);
    if (id === undefined) this.exprIds.set(e, (id = this.nextExprId++));
    return id;
  }

  get bindings(): Bindings {
    return this.paramBindings;
  }

  /**
   * New parameter bindings: what read a parameter whose bindings changed (or changed order) is computed again. False
   * when they are the same lists as before.
   */
  setBindings(next: Bindings): boolean {
    const before = this.paramBindings;
    this.paramBindings = next;
    let changed = false;
    for (const [k, list] of next) {
      const old = before.get(k);
      if (old === list) continue;
      if (old?.length === list.length && old.every((b, i) => b.file === list[i]?.file && b.e === list[i]?.e && b.spread === list[i]?.spread)) continue;
      this.bindingInputs.changed(k);
      changed = true;
    }
    for (const k of before.keys()) {
      if (next.has(k)) continue;
      this.bindingInputs.changed(k);
      changed = true;
    }
    return changed;
  }

  get types(): ReadonlyMap<string, Val[]> {
    return this.paramTypes;
  }

  /** New pack types of parameters; false when they are the same values as before (then nothing changes). */
  setTypes(next: Map<string, Val[]>): boolean {
    const before = this.paramTypes;
    let changed = false;
    for (const [k, list] of next) {
      const old = before.get(k);
      if (old?.length === list.length && old.every((v, i) => sameVal(v, must(list[i])))) {
        next.set(k, old); // the same values: keep the ones already handed out
        continue;
      }
      this.typeInputs.changed(k);
      changed = true;
    }
    for (const k of before.keys()) {
      if (next.has(k)) continue;
      this.typeInputs.changed(k);
      changed = true;
    }
    this.paramTypes = next;
    return changed;
  }

  /** Memo keyed by an object of the facts (an expression, a variable's assignment list): no key strings to build. */
  private readonly objMemo = new WeakMap<object, Node<ValSet>>();
  private readonly objBusy = new Set<object>();

  private memoisedObj(key: object, compute: () => ValSet): ValSet {
    const hit = this.objMemo.get(key);
    if (hit && this.tracker.usable(hit)) {
      this.tracker.read(hit);
      return hit.value;
    }
    if (this.objBusy.has(key)) {
      this.tracker.cut();
      return EMPTY;
    }
    this.objBusy.add(key);
    const node = new Node<ValSet>(this.objMemo, key);
    try {
      this.tracker.within(node, () => shared(compute()));
    } finally {
      this.objBusy.delete(key);
    }
    this.objMemo.set(key, node);
    this.tracker.read(node);
    return node.value;
  }

  private memoised(key: string, compute: () => ValSet, home: Map<string, Node<ValSet>> = this.memo): ValSet {
    const hit = home.get(key);
    if (hit && this.tracker.usable(hit)) {
      this.tracker.read(hit);
      return hit.value;
    }
    if (this.inProgress.has(key)) {
      this.tracker.cut();
      return EMPTY;
    }
    this.inProgress.add(key);
    const node = new Node<ValSet>(home, key);
    try {
      this.tracker.within(node, () => shared(compute()));
    } finally {
      this.inProgress.delete(key);
    }
    home.set(key, node);
    this.tracker.read(node);
    return node.value;
  }

  // ---- evaluation ---------------------------------------------------------------------------------------------

  private depth = 0;

  /** The values an expression may have. Bounded in depth: a chain deeper than MAX_DEPTH gives no value, never a crash. */
  eval(file: string, e: Expr | undefined): ValSet {
    if (!e) return EMPTY;
    if (this.depth > MAX_DEPTH) {
      this.tracker.cut();
      return EMPTY;
    }
    this.depth++;
    try {
      return this.evalInner(file, e);
    } finally {
      this.depth--;
    }
  }

  private evalInner(file: string, e: Expr): ValSet {
    switch (e.k) {
      case 'str': {
        const s: ValSet = new Map();
        add(s, { t: 'str', v: e.v });
        return s;
      }
      case 'tpl':
        return this.memoisedObj(e, () => {
          // substitutions that are one known string (a table name constant) are filled in; others stay "…"
          let v = e.parts[0] ?? '';
          e.subs.forEach((sub, i) => {
            const values = [...this.eval(file, sub).values()];
            const only = values.length === 1 && values[0]?.t === 'str' ? values[0].v : undefined;
            v += (only ?? '…') + (e.parts[i + 1] ?? '');
          });
          const s: ValSet = new Map();
          add(s, { t: 'str', v });
          return s;
        });
      case 'var':
      {
        this.item(file, `v${e.s}:${e.n}`);
        const list = this.varIndex.get(file)?.get(`${e.s}:${e.n}`);
        if (!list) return EMPTY;
        return this.memoisedObj(list, () => {
          const out: ValSet = new Map();
          for (const x of list) for (const v of this.eval(file, x).values()) add(out, v);
          return out;
        });
      }
      case 'param': {
        const base = this.param(file, e.f, e.i);
        if (!e.p || e.p.length === 0) return base;
        let cur = base;
        for (const n of e.p) cur = this.member(cur, n);
        return cur;
      }
      case 'import':
        return this.importValue(file, e.spec, e.n);
      case 'global': {
        const s: ValSet = new Map();
        add(s, { t: 'ext', m: '<global>', p: [e.n] });
        return s;
      }
      case 'fn': {
        const s: ValSet = new Map();
        add(s, { t: 'fn', file, f: e.f });
        return s;
      }
      case 'class':
        return this.memoised(`c:${file}:${e.c}`, () => {
          this.item(file, `k${e.c}`);
          const s: ValSet = new Map();
          add(s, { t: 'class', file, c: e.c });
          // a class extending a module's export (class User extends Model): typed by the pack
          const ext = this.files.get(file)?.classes[e.c]?.ext;
          if (ext) {
            for (const v of this.eval(file, ext).values()) {
              if (v.t === 'ext' && v.p.length === 1) {
                const src = this.rules.extendsRules.get(`${v.m}\0${v.p[0]}`);
                const c = must(this.files.get(file)?.classes[e.c]);
                if (src) add(s, { t: 'obj', type: src.type, site: `${file}:${c.line}:class`, name: c.name, pack: src.pack, file, at: -c.line });
              }
            }
          }
          return s;
        });
      case 'obj': {
        const s: ValSet = new Map();
        add(s, { t: 'olit', file, e, id: this.idOf(e) });
        return s;
      }
      case 'arr': {
        const s: ValSet = new Map();
        add(s, { t: 'arr', file, e, id: this.idOf(e) });
        return s;
      }
      case 'member':
        return this.memoisedObj(e, () => {
          const of = this.eval(file, e.o);
          const names = e.n === '*' && e.key ? this.strings(file, e.key) : [];
          if (names.length === 0) return this.member(of, e.n, file);
          const out: ValSet = new Map();
          for (const n of names) for (const v of this.member(of, n, file).values()) add(out, v);
          return out;
        });
      case 'call':
        return this.memoisedObj(e, () => this.callResult(file, e.c));
      case 'module':
        return this.memoisedObj(e, () => {
          const s: ValSet = new Map();
          const target = this.resolver.resolve(file, e.spec);
          add(s, target ? { t: 'mod', file: target } : { t: 'ext', m: normaliseExternal(e.spec), p: [] });
          return s;
        });
      case 'this': {
        const s: ValSet = new Map();
        if (e.c !== undefined) {
          this.item(file, `f${e.f}`);
          this.item(file, `k${e.c}`);
          const facts = this.files.get(file);
          const fn = facts?.fns[e.f];
          // a static method's `this` is the class; otherwise an instance
          const cls = facts?.classes[e.c];
          const isStatic = cls && fn && Object.values(cls.statics).includes(e.f);
          add(s, isStatic ? { t: 'class', file, c: e.c } : { t: 'inst', file, c: e.c });
        }
        return s;
      }
      case 'annot':
        return this.memoisedObj(e, () => {
          const s: ValSet = new Map();
          for (const v of this.eval(file, e.t).values()) {
            // annotated with one of the project's classes: an instance of it (an injected service)
            if (v.t === 'class') add(s, { t: 'inst', file: v.file, c: v.c });
            if (v.t === 'ext' && v.p.length === 1) {
              const src = this.rules.annotations.get(`${v.m}\0${v.p[0]}`);
              if (src) add(s, { t: 'obj', type: src.type, site: `annot:${v.m}:${v.p[0]}:${e.arg ?? ''}`, ...(e.arg ? { name: e.arg } : {}), pack: src.pack, file, at: -1 });
            }
          }
          return s;
        });
      case 'union': {
        const s: ValSet = new Map();
        for (const x of e.of) for (const v of this.eval(file, x).values()) add(s, v);
        return s;
      }
      case 'unknown':
        return EMPTY;
    }
  }

  param(file: string, f: number, i: number): ValSet {
    const key = `${file}:${f}:${i}`;
    return this.memoised(`p:${key}`, () => {
      this.item(file, `f${f}`);
      const out: ValSet = new Map();
      this.bindingInputs.read(key);
      for (const b of this.paramBindings.get(key) ?? []) for (const v of this.eval(b.file, b.e).values()) add(out, v);
      this.typeInputs.read(key);
      const given = this.paramTypes.get(key) ?? [];
      for (const v of given) add(out, v);
      // a type the framework gives (a plugin's instance) is more precise than the declared one
      const ann = given.length > 0 ? undefined : own(this.files.get(file)?.fns[f]?.pann, String(i));
      if (ann) for (const v of this.eval(file, ann).values()) add(out, v);
      return out;
    });
  }

  importValue(file: string, spec: string, name: string): ValSet {
    const target = this.resolver.resolve(file, spec);
    if (!target) {
      const s: ValSet = new Map();
      add(s, { t: 'ext', m: normaliseExternal(spec), p: name === '*' || name === 'default' ? [] : [name] });
      return s;
    }
    if (name === '*') {
      const s: ValSet = new Map();
      add(s, { t: 'mod', file: target });
      return s;
    }
    return this.exportValue(target, name);
  }

  exportValue(file: string, name: string): ValSet {
    return this.memoised(`X:${file}:${name}`, () => {
      this.item(file, `x${name}`);
      const facts = this.files.get(file);
      if (!facts) return EMPTY;
      const e = own(facts.exports, name);
      if (e) return this.eval(file, e);
      this.item(file, 's');
      const out: ValSet = new Map();
      if (name !== 'default') {
        for (const spec of facts.starExports) for (const v of this.importValue(file, spec, name).values()) add(out, v);
      }
      return out;
    });
  }

  /** The values of property `n` of each value. */
  member(of: ValSet, n: string, _file?: string): ValSet {
    const out: ValSet = new Map();
    for (const v of of.values()) {
      switch (v.t) {
        case 'ext':
          if (v.p.length < MAX_EXT_PATH) add(out, { t: 'ext', m: v.m, p: [...v.p, n] });
          break;
        case 'mod':
          for (const x of this.exportValue(v.file, n).values()) add(out, x);
          break;
        case 'olit':
          for (const x of this.literalMember(v, n).values()) add(out, x);
          break;
        case 'arr':
          for (const it of v.e.items) for (const x of this.eval(v.file, it).values()) add(out, x);
          break;
        case 'inst':
        case 'class':
          for (const x of this.classMember(v.file, v.c, n, v.t === 'class').values()) add(out, x);
          break;
        case 'obj': {
          for (const r of [...(this.rules.returns.get(v.type) ?? []), ...(this.rules.returns.get('*') ?? [])]) {
            if (!r.property || !nameMatches(r.methods, n) || r.except.includes(n)) continue;
            add(out, r.type === 'self' ? v : { t: 'obj', type: r.type, site: `${v.site}.${n}`, name: n, pack: r.pack, file: v.file, at: v.at });
          }
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  private literalMember(v: Extract<Val, { t: 'olit' }>, n: string): ValSet {
    let home = this.literalMemo.get(v.e);
    if (home === undefined) this.literalMemo.set(v.e, (home = new Map()));
    return this.memoised(`l:${v.id}:${n}`, () => {
      const out: ValSet = new Map();
      const e = own(v.e.props, n);
      if (e) for (const x of this.eval(v.file, e).values()) add(out, x);
      else if (n === '*') for (const p of Object.values(v.e.props)) for (const x of this.eval(v.file, p).values()) add(out, x);
      for (const sp of v.e.spread ?? []) for (const x of this.member(this.eval(v.file, sp), n).values()) add(out, x);
      return out;
    }, home);
  }

  private classMember(file: string, c: number, n: string, isStatic: boolean, depth = 0): ValSet {
    const out: ValSet = new Map();
    this.item(file, `k${c}`);
    const cls = this.files.get(file)?.classes[c];
    if (!cls || depth > 8) return out;
    const m = own(isStatic ? cls.statics : cls.methods, n);
    if (m !== undefined) add(out, { t: 'fn', file, f: m });
    if (!isStatic) for (const e of own(cls.fields, n) ?? []) for (const x of this.eval(file, e).values()) add(out, x);
    if (out.size === 0 && cls.ext) {
      for (const base of this.eval(file, cls.ext).values()) {
        if (base.t === 'class') for (const x of this.classMember(base.file, base.c, n, isStatic, depth + 1).values()) add(out, x);
        else if (base.t === 'obj' || base.t === 'ext') for (const x of this.member(new Map([[valKey(base), base]]), n).values()) add(out, x);
      }
    }
    return out;
  }

  /** The functions a value may be when called. */
  functionsOf(vals: ValSet): { file: string; f: number }[] {
    const out: { file: string; f: number }[] = [];
    for (const v of vals.values()) {
      if (v.t === 'fn') out.push({ file: v.file, f: v.f });
      else if (v.t === 'class') {
        this.item(v.file, `k${v.c}`);
        const ctor = own(this.files.get(v.file)?.classes[v.c]?.methods, 'constructor');
        if (ctor !== undefined) out.push({ file: v.file, f: ctor });
      }
    }
    return out;
  }

  /** The values a call evaluates to. */
  private callResult(file: string, index: number): ValSet {
    this.item(file, `c${index}`);
    const call = must(this.files.get(file)?.calls[index]);
    const out: ValSet = new Map();
    const callee = call.callee;
    // a call is known by its index in the file: unique, and the same when lines move
    const site: Site = { key: `${file}:${index}`, at: index };
    if (callee.k === 'member') {
      const receivers = this.eval(file, callee.o);
      const n = callee.n;
      for (const r of receivers.values()) {
        if (r.t === 'ext') this.extCall(out, { t: 'ext', m: r.m, p: [...r.p, n] }, file, call, site);
        else if (r.t === 'obj') this.typedCall(out, r, n, file, call, site);
        else if (r.t === 'fn' && (n === 'call' || n === 'apply')) for (const x of this.returnsOf(r.file, r.f).values()) add(out, x);
        else if (r.t === 'fn' && n === 'bind') add(out, r);
      }
      // rules on any receiver ("*"): getMap('x') is a Yjs map whatever it is called on
      this.starCall(out, n, file, call, site);
      for (const fn of this.functionsOf(this.member(receivers, n))) for (const x of this.returnsOf(fn.file, fn.f).values()) add(out, x);
      for (const r of receivers.values()) if (r.t === 'class' && call.isNew) add(out, { t: 'inst', file: r.file, c: r.c });
      return out;
    }
    const targets = this.eval(file, callee);
    for (const t of targets.values()) {
      if (t.t === 'ext') this.extCall(out, t, file, call, site);
      else if (t.t === 'obj') this.typedCall(out, t, '()', file, call, site);
      else if (t.t === 'class') {
        add(out, { t: 'inst', file: t.file, c: t.c });
      }
    }
    for (const fn of this.functionsOf(targets)) for (const x of this.returnsOf(fn.file, fn.f).values()) add(out, x);
    return out;
  }

  private extCall(out: ValSet, v: { t: 'ext'; m: string; p: string[] }, file: string, call: CallFact, site: Site): void {
    const steps = [...v.p, '()'];
    for (const r of this.rules.identities.get(v.m) ?? []) {
      if (!stepsMatch(r.steps, steps)) continue;
      for (const x of this.eval(file, call.args[r.arg]).values()) add(out, x);
      return;
    }
    const src = this.rules.valueFor(v.m, steps);
    if (src) {
      add(out, this.typed(src, file, call, site));
      return;
    }
    if (steps.length <= MAX_EXT_PATH) add(out, { t: 'ext', m: v.m, p: steps });
  }

  private typed(src: { type: string; pack: string; nameArg?: number; prefixOption?: { arg: number; key: string } }, file: string, call: CallFact, site: Site): Val {
    const obj: Val = { t: 'obj', type: src.type, site: site.key, pack: src.pack, file, at: site.at };
    if (src.nameArg !== undefined) {
      const name = this.nameOf(file, call.args[src.nameArg]);
      if (name !== undefined) obj.name = name;
    }
    if (src.prefixOption) {
      const p = this.optionString(file, call.args[src.prefixOption.arg], src.prefixOption.key);
      if (p !== undefined) obj.prefix = p;
    }
    return obj;
  }

  private typedCall(out: ValSet, r: Extract<Val, { t: 'obj' }>, n: string, file: string, call: CallFact, site: Site): void {
    for (const rule of this.rules.returns.get(r.type) ?? []) {
      if (rule.property || !nameMatches(rule.methods, n) || rule.except.includes(n)) continue;
      if (rule.type === 'self') {
        add(out, r);
        continue;
      }
      const v = this.typed({ type: rule.type, pack: rule.pack, ...(rule.nameArg !== undefined ? { nameArg: rule.nameArg } : {}),
        ...(rule.prefixOption ? { prefixOption: rule.prefixOption } : {}) }, file, call, site);
      if (v.t !== 'obj') continue;
      // a result without a name of its own keeps its receiver's (new Note().save(): the Note model)
      if (v.name === undefined && r.name !== undefined) v.name = r.name;
      if (rule.prefixArg !== undefined) {
        // a route builder under the receiver (router.route('/x'), app.basePath('/api'))
        const p = this.strings(file, call.args[rule.prefixArg])[0];
        if (p === undefined) continue;
        v.prefix = p;
        v.under = r;
        v.site = `${v.site}:${valKey(r)}`;
      }
      add(out, v);
    }
  }

  private starCall(out: ValSet, n: string, file: string, call: CallFact, site: Site): void {
    for (const rule of this.rules.returns.get('*') ?? []) {
      if (rule.property || !rule.methods.includes(n) || rule.except.includes(n)) continue;
      if (rule.type === 'self') continue;
      add(out, this.typed({ type: rule.type, pack: rule.pack, ...(rule.nameArg !== undefined ? { nameArg: rule.nameArg } : {}) }, file, call, site));
    }
  }

  returnsOf(file: string, f: number): ValSet {
    return this.memoised(`r:${file}:${f}`, () => {
      this.item(file, `r${f}`);
      const out: ValSet = new Map();
      for (const e of this.returnIndex.get(file)?.get(f) ?? []) for (const v of this.eval(file, e).values()) add(out, v);
      return out;
    });
  }

  /** A string value: literal, constant or identifier name (for `getRepository(User)`). */
  nameOf(file: string, e: Expr | undefined): string | undefined {
    if (!e) return undefined;
    for (const v of this.eval(file, e).values()) {
      if (v.t === 'str') return v.v;
      if (v.t === 'class') {
        this.item(v.file, `k${v.c}`);
        return this.files.get(v.file)?.classes[v.c]?.name;
      }
    }
    // a named value (a Yjs structure handed over: prosemirrorToYXmlFragment(doc, fragment))
    for (const v of this.eval(file, e).values()) if (v.t === 'obj' && v.name !== undefined) return v.name;
    if (e.k === 'var') return e.n;
    if (e.k === 'import') return e.n === 'default' || e.n === '*' ? undefined : e.n;
    return undefined;
  }

  strings(file: string, e: Expr | undefined): string[] {
    const out: string[] = [];
    for (const v of this.eval(file, e).values()) if (v.t === 'str') out.push(v.v);
    return out;
  }

  optionString(file: string, e: Expr | undefined, key: string): string | undefined {
    for (const v of this.eval(file, e).values()) {
      if (v.t !== 'olit') continue;
      const p = own(v.e.props, key);
      const s = p ? this.strings(v.file, p)[0] : undefined;
      if (s !== undefined) return s;
    }
    return undefined;
  }

  /** Every function a call may invoke, and how. */
  callTargets(file: string, call: CallFact): { file: string; f: number }[] {
    const callee = call.callee;
    if (callee.k === 'member' && (callee.n === 'call' || callee.n === 'apply')) {
      const t = this.functionsOf(this.eval(file, callee.o));
      if (t.length > 0) return t;
    }
    return this.functionsOf(this.eval(file, callee));
  }
}

/** The same value, down to where it was made (a pack type made again by another call is not the same). */
function sameVal(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (valKey(a) !== valKey(b)) return false;
  if (a.t !== 'obj' || b.t !== 'obj') return true;
  return a.file === b.file && a.at === b.at && a.pack === b.pack && a.prefix === b.prefix
    && (a.under === b.under || (a.under !== undefined && b.under !== undefined && valKey(a.under) === valKey(b.under)));
}

/** The same expressions, in the same order. */
function sameItems(a: readonly Expr[], b: readonly Expr[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameRecord<T>(a: Readonly<Record<string, T>> | undefined, b: Readonly<Record<string, T>> | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every(k => own(b, k) === a[k]);
}

/** Parameters guarding each function's calls (`if (type === 'x') …`), per file (kept as long as its facts are). */
const guardsOf = new WeakMap<FileFacts, Map<number, Set<number>>>();

export function guardsByFn(facts: FileFacts): Map<number, Set<number>> {
  let m = guardsOf.get(facts);
  if (m === undefined) {
    m = new Map();
    for (const call of facts.calls) {
      if (!call.guards) continue;
      const set = m.get(call.f) ?? new Set<number>();
      for (const g of call.guards) set.add(g.p);
      m.set(call.f, set);
    }
    guardsOf.set(facts, m);
  }
  return m;
}

/** The same call for evaluation: callee, arguments, new or not (its line and guards do not matter to its value). */
function sameCall(a: CallFact | undefined, b: CallFact | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return a.callee === b.callee && a.isNew === b.isNew && sameItems(a.args, b.args);
}
