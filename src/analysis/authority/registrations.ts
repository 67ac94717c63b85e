import { patternSteps, type RulePack } from '../../core/authority/rule-pack';
import { must, type CallFact, type ClassFact, type Expr, type FileFacts, type Guard } from './facts';
import { own, stepsMatch, valKey, type Linker, type Val } from './linker';
import { normaliseExternal } from './resolve';
import { sqlWriteTargets } from './sql';

/**
 * Registrations and writes, one call (or one decorated class) at a time, with the values the linker knows: routes,
 * mounts, events, hooks, timers, queues, decorators, and the writes the rule packs name. What one call registers is
 * kept as a whole (Registrations), so that a call whose values did not change is not looked at again after an edit.
 */

export type Obj = Extract<Val, { t: 'obj' }>;
export type FnRef = { file: string; f: number };
export const fnKey = (r: FnRef): string => `${r.file}:${r.f}`;

export interface RouteReg {
  router: Obj;
  method: string;
  path: string;
  handlers: FnRef[];
  file: string;
  line: number;
  kind: string;
  pack: string;
  /** The function the registration is made in. */
  fn: number;
}

export interface MountReg {
  parent: Obj;
  child: Obj;
  prefix: string;
  file: string;
  /** Where it is mounted, as an Obj's `at`: the call's index in `file` (or minus a line). */
  at: number;
}

export interface OtherEntry {
  kind: string;
  category: string;
  event?: string;
  path?: string;
  method?: string;
  handlers: FnRef[];
  file: string;
  line: number;
  pack: string;
  /** Hooks and handlers registered on an object (dispatch targets). */
  owner?: string;
  /** "file:f" of the function the registration is made in. */
  fn: string;
  /** Shown as the handler instead of the last handler (an initialisation's enclosing function). */
  display?: FnRef;
  /** An initialisation: reached from this function's set-up part only. */
  initFn?: string;
}

export interface WriteHit {
  /** Made during one-time initialisation (`if (!db) { db = …; db.exec('CREATE TABLE …') }`). */
  init?: true;
  kind: string;
  target: string;
  file: string;
  line: number;
  f: number;
  guards?: Guard[];
  pack: string;
  /** The target is named by this parameter of the writing function (its receiver or its target argument). */
  viaParam?: number;
  /** The target is a fixed name from the pack ('Y.Doc'), not what the code names. */
  generic?: true;
  /** The target is what these functions write (a transaction's callback), or `fallback` when that cannot be told. */
  callback?: { fns: FnRef[]; fallback: string };
}

export function joinPath(...parts: string[]): string {
  const joined = parts.filter(p => p !== '' && p !== '/').map(p => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${joined}`;
}

/** The rules of all packs, by what they are about, looked up rather than scanned. */
export class RegistrationRules {
  readonly routeRules;
  readonly mountRules;
  readonly eventRules;
  readonly callRules;
  readonly hookRules;
  readonly writeRules;
  readonly callbackRules;
  readonly dispatchRules;
  readonly decoratorRules;
  /** Writes on any receiver, by method. */
  readonly starWrites = new Map<string, WriteRule[]>();
  readonly byModule = new Map<string, { calls: CallRule[]; hooks: HookRule[]; writes: WriteRule[] }>();
  /** Types some rule is about: calls on other values register nothing. */
  readonly typedTypes: Set<string>;

  constructor(packs: readonly RulePack[]) {
    this.routeRules = packs.flatMap(p => p.routes.map(r => ({ ...r, pack: p.id })));
    this.mountRules = packs.flatMap(p => p.mounts.map(r => ({ ...r, pack: p.id })));
    this.eventRules = packs.flatMap(p => p.events.map(r => ({ ...r, pack: p.id })));
    this.callRules = packs.flatMap(p => p.calls.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
    this.hookRules = packs.flatMap(p => p.hooks.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
    this.writeRules = packs.flatMap(p => p.writes.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
    this.callbackRules = packs.flatMap(p => p.callbacks.map(r => ({ ...r, pack: p.id })));
    this.dispatchRules = packs.flatMap(p => p.dispatch);
    this.decoratorRules = packs.flatMap(p => p.decorators.map(r => ({ ...r, pack: p.id })));
    for (const rule of this.writeRules) {
      if (rule.on !== '*') continue;
      for (const m of rule.methods ?? []) this.starWrites.set(m, [...(this.starWrites.get(m) ?? []), rule]);
    }
    const moduleRules = (m: string) => {
      let e = this.byModule.get(m);
      if (!e) this.byModule.set(m, (e = { calls: [], hooks: [], writes: [] }));
      return e;
    };
    for (const r of this.callRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).calls.push(r);
    for (const r of this.hookRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).hooks.push(r);
    for (const r of this.writeRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).writes.push(r);
    this.typedTypes = new Set<string>([
      ...this.routeRules.flatMap(r => r.on), ...this.mountRules.flatMap(r => r.on), ...this.eventRules.flatMap(r => r.on),
      ...this.callRules.flatMap(r => r.on ?? []), ...this.hookRules.flatMap(r => r.on ?? []), ...this.dispatchRules.flatMap(r => r.on),
      ...this.callbackRules.flatMap(r => r.on),
      ...this.writeRules.flatMap(r => (r.on === undefined || r.on === '*' ? [] : r.on)),
    ]);
  }
}

type PackRule<K extends 'calls' | 'hooks' | 'writes'> = RulePack[K][number] & { pack: string; steps: string[] | undefined };
type CallRule = PackRule<'calls'>;
type HookRule = PackRule<'hooks'>;
type WriteRule = PackRule<'writes'>;

/**
 * What one call (or one class's decorators) registers, in the order the scan met it. `order` interleaves what
 * depends on the calls before it: the objects seen (the last one seen under a key is the one kept) and mounts, of
 * which a route builder's (router.route('/x') mounted on its router) counts once, where first met.
 */
export interface Registrations {
  routes: RouteReg[];
  order: ({ obj: Obj } | { mount: MountReg } | { builder: Obj; mount: MountReg })[];
  others: OtherEntry[];
  writes: WriteHit[];
  /** Owners (valKey) of the dispatch calls this call is. */
  dispatch: string[];
  /** The call registers a listener, a route or a hook: handing a function over is not calling it. */
  registration: boolean;
  /** Types given to parameters ("file:f:i"), in order. */
  types: [string, Val][];
  /** Decorated routes' categories ("file:line"). */
  categories: [string, string][];
}

function empty(): Registrations {
  return { routes: [], order: [], others: [], writes: [], dispatch: [], registration: false, types: [], categories: [] };
}

function isEmpty(r: Registrations): boolean {
  return r.routes.length === 0 && r.order.length === 0 && r.others.length === 0 && r.writes.length === 0 && r.dispatch.length === 0
    && !r.registration && r.types.length === 0 && r.categories.length === 0;
}

/** Registrations and writes of call `index` of `file` (undefined: none). */
export function scanCall(linker: Linker, rules: RegistrationRules, file: string, call: CallFact, index: number): Registrations | undefined {
  const out = empty();
  const fnsIn = (vals: Map<string, Val>): FnRef[] => linker.functionsOf(vals);
  const handlerFns = (args: readonly Expr[], from: number): FnRef[] => {
    for (let i = from; i < args.length; i++) {
      const fns = fnsIn(linker.eval(file, args[i]));
      if (fns.length > 0) return fns;
    }
    return [];
  };
  const giveParam = (fns: FnRef[], types: readonly (string | null)[] | undefined, site: string, pack: string): void => {
    if (!types) return;
    for (const fn of fns) {
      types.forEach((type, i) => {
        if (!type) return;
        out.types.push([`${fn.file}:${fn.f}:${i}`, { t: 'obj', type, site: `${site}:param${i}`, pack, file, at: index }]);
      });
    }
  };
  const hooksOf = (rule: { objectArg: number; keys?: string[] | undefined; kind: string; category: string; pack: string; paramTypes?: (string | null)[] | undefined }, site: string): void => {
    for (const o of linker.eval(file, call.args[rule.objectArg]).values()) {
      if (o.t !== 'olit') continue;
      for (const [key, e] of Object.entries(o.e.props)) {
        if (rule.keys && !rule.keys.includes(key)) continue;
        const fns = fnsIn(linker.eval(o.file, e));
        if (fns.length === 0) continue;
        const first = must(fns[0]);
        const fact = must(linker.factsOf(first.file)?.fns[first.f]);
        out.others.push({ kind: rule.kind, category: rule.category, event: key, handlers: fns, file: first.file, line: fact.line, pack: rule.pack,
          owner: `hooks:${file}:${call.line}`, fn: `${file}:${call.f}` });
        giveParam(fns, rule.paramTypes, `${site}:${key}`, rule.pack);
      }
    }
  };
  const writeHit = (rule: WriteRule, receiver: Obj | undefined): void => {
    let targets: string[] = [];
    let viaParam: number | undefined;
    let generic = false;
    const paramOf = (e: Expr | undefined) => (e?.k === 'param' && e.f === call.f && !e.p ? e.i : undefined);
    if (rule.target && 'callback' in rule.target) {
      const fns = handlerFns(call.args, rule.target.callback);
      out.writes.push({ kind: rule.kind, target: rule.target.fixed, file, line: call.line, f: call.f, ...(call.guards ? { guards: call.guards } : {}), pack: rule.pack,
        ...(fns.length > 0 ? { callback: { fns, fallback: rule.target.fixed } } : {}), ...(call.init ? { init: true as const } : {}) });
      return;
    }
    if (rule.sqlReceiver) {
      targets = sqlWriteTargets(receiver?.name ?? '');
      if (targets.length === 0) return;
    } else if (rule.sqlArg !== undefined) {
      const texts = linker.strings(file, call.args[rule.sqlArg]);
      for (const t of texts) targets.push(...sqlWriteTargets(t));
      if (targets.length === 0) return;
    } else if (rule.target && 'receiver' in rule.target) {
      targets = [receiver?.name ?? receiver?.type ?? rule.kind];
      if (call.callee.k === 'member') viaParam = paramOf(call.callee.o);
    } else if (rule.target && 'arg' in rule.target) {
      const name = linker.nameOf(file, call.args[rule.target.arg]);
      targets = [name ?? '(computed)'];
      viaParam = paramOf(call.args[rule.target.arg]);
    } else if (rule.target && 'fixed' in rule.target) {
      targets = [rule.target.fixed];
      generic = true;
    } else {
      targets = [receiver?.name ?? receiver?.type ?? rule.kind];
    }
    for (const target of new Set(targets)) {
      out.writes.push({ kind: rule.kind, target, file, line: call.line, f: call.f, ...(call.guards ? { guards: call.guards } : {}), pack: rule.pack,
        ...(viaParam !== undefined ? { viaParam } : {}), ...(generic ? { generic: true as const } : {}), ...(call.init ? { init: true as const } : {}) });
    }
  };

  const callee = call.callee;
  // a call is known by its index in the file (as in the linker): unique, and the same when lines move
  const site = `${file}:${index}`;
  const extPaths: { m: string; p: string[] }[] = [];
  if (callee.k === 'member') {
    const receivers = linker.eval(file, callee.o);
    // router[method](…): each name the key can be (a constant, a loop over literals)
    const computed = callee.n === '*' && callee.key ? linker.strings(file, callee.key) : [];
    for (const n of computed.length > 0 ? computed : [callee.n]) {
      for (const r of receivers.values()) {
        if (r.t === 'ext') extPaths.push({ m: r.m, p: [...r.p, n, '()'] });
        if (r.t !== 'obj') continue;
        out.order.push({ obj: r });
        // a route builder (router.route('/x')) is mounted on the value it was made from, under its own path
        if (r.under?.t === 'obj') out.order.push({ builder: r, mount: { parent: r.under, child: r, prefix: '', file: r.file, at: r.at } });
        if (!rules.typedTypes.has(r.type)) continue;
        for (const rule of rules.callbackRules) {
          if (!rule.on.includes(r.type) || !rule.methods.includes(n)) continue;
          for (const fn of handlerFns(call.args, rule.fnArg)) {
            const given: Val = rule.type === 'self' ? r
              : { t: 'obj', type: rule.type, site: `${site}:callback${rule.param}`, pack: rule.pack, file, at: index, ...(r.name !== undefined ? { name: r.name } : {}) };
            out.types.push([`${fn.file}:${fn.f}:${rule.param}`, given]);
          }
        }
        for (const rule of rules.routeRules) {
          if (!rule.on.includes(r.type)) continue;
          if (rule.object) {
            if (own(rule.methods, n) === undefined) continue;
            for (const o of linker.eval(file, call.args[rule.object.arg]).values()) {
              if (o.t !== 'olit') continue;
              const method = linker.strings(o.file, own(o.e.props, rule.object.method))[0];
              const p = linker.strings(o.file, own(o.e.props, rule.object.path))[0];
              const h = fnsIn(linker.eval(o.file, own(o.e.props, rule.object.handler)));
              if (p !== undefined && h.length > 0) {
                out.routes.push({ router: r, method: (method ?? own(rule.methods, n) ?? '*').toUpperCase(), path: p, handlers: h, file, line: call.line, kind: rule.kind, pack: rule.pack, fn: call.f });
                out.registration = true;
              }
            }
            continue;
          }
          const method = own(rule.methods, n);
          if (method === undefined) continue;
          let p = linker.strings(file, call.args[rule.pathArg])[0];
          let from = p !== undefined ? (rule.handlersFrom ?? rule.pathArg + 1) : rule.pathArg;
          if (rule.namedRoutes && p !== undefined && !p.startsWith('/')) {
            // router.get('name', '/path', handler): the first string names the route, the second is its path
            const second = linker.strings(file, call.args[rule.pathArg + 1])[0];
            if (second?.startsWith('/')) {
              p = second;
              from = Math.max(from, rule.pathArg + 2);
            }
          }
          const handlers: FnRef[] = [];
          for (let i = from; i < call.args.length; i++) handlers.push(...fnsIn(linker.eval(file, call.args[i])));
          if (handlers.length > 0) {
            out.routes.push({ router: r, method, path: p ?? '', handlers, file, line: call.line, kind: rule.kind, pack: rule.pack, fn: call.f });
            out.registration = true;
          }
        }
        for (const rule of rules.mountRules) {
          if (!rule.on.includes(r.type) || rule.method !== n) continue;
          const first = linker.strings(file, call.args[rule.prefixArg]);
          let prefix = first[0];
          const from = prefix !== undefined ? rule.prefixArg + 1 : rule.prefixArg;
          if (rule.prefixOption) prefix = linker.optionString(file, call.args[rule.prefixOption.arg], rule.prefixOption.key) ?? prefix;
          for (let i = from; i < call.args.length; i++) {
            if (rule.prefixOption && i === rule.prefixOption.arg && i !== from) continue;
            const vals = linker.eval(file, call.args[i]);
            for (const c of vals.values()) {
              if (c.t === 'obj' && c !== r) {
                out.order.push({ obj: c });
                out.order.push({ mount: { parent: r, child: c, prefix: prefix ?? '', file, at: index } });
              }
            }
            const fns = fnsIn(vals);
            if (fns.length === 0) continue;
            if (rule.pluginParamType) {
              for (const fn of fns) {
                const child: Obj = { t: 'obj', type: rule.pluginParamType, site: `plugin:${fnKey(fn)}`, pack: rule.pack, file, at: index };
                out.order.push({ obj: child });
                out.order.push({ mount: { parent: r, child, prefix: prefix ?? '', file, at: index } });
                out.types.push([`${fn.file}:${fn.f}:0`, child]);
              }
            } else {
              out.routes.push({ router: r, method: '*', path: prefix ?? '', handlers: fns, file, line: call.line, kind: 'http-route', pack: rule.pack, fn: call.f });
              out.registration = true;
            }
          }
        }
        for (const rule of rules.eventRules) {
          if (!rule.on.includes(r.type) || !rule.methods.includes(n)) continue;
          const event = linker.strings(file, call.args[0])[0];
          if (rule.events && (event === undefined || !rule.events.includes(event))) continue;
          const handlers = handlerFns(call.args, rule.handlerArg);
          if (handlers.length === 0) continue;
          out.others.push({ kind: rule.kind, category: rule.category, ...(event !== undefined ? { event } : {}), ...(r.prefix ? { path: r.prefix } : {}),
            handlers, file, line: call.line, pack: rule.pack, owner: valKey(r), fn: `${file}:${call.f}` });
          out.registration = true;
          giveParam(handlers, rule.paramTypes, site, rule.pack);
        }
        for (const rule of rules.callRules) {
          if (!rule.on?.includes(r.type) || !rule.methods?.includes(n)) continue;
          const handlers = handlerFns(call.args, rule.handlerArg);
          if (handlers.length === 0) continue;
          const name = rule.nameArg !== undefined ? linker.nameOf(file, call.args[rule.nameArg]) : undefined;
          out.others.push({ kind: rule.kind, category: rule.category, ...(name !== undefined ? { event: name } : {}), handlers, file, line: call.line, pack: rule.pack, owner: valKey(r), fn: `${file}:${call.f}` });
          giveParam(handlers, rule.paramTypes, site, rule.pack);
        }
        for (const rule of rules.hookRules) {
          if (!rule.on?.includes(r.type) || !rule.methods?.includes(n)) continue;
          hooksOf(rule, site);
          out.registration = true;
        }
        if (rules.dispatchRules.some(d => d.on.includes(r.type) && d.methods.includes(n))) out.dispatch.push(valKey(r));
        for (const rule of rules.writeRules) {
          if (!rule.on || rule.on === '*' || !rule.on.includes(r.type) || !rule.methods?.includes(n)) continue;
          writeHit(rule, r);
        }
      }
      for (const rule of rules.starWrites.get(n) ?? []) writeHit(rule, undefined);
    }
  } else {
    for (const v of linker.eval(file, callee).values()) if (v.t === 'ext') extPaths.push({ m: v.m, p: [...v.p, '()'] });
  }
  for (const ep of extPaths) {
    const forModule = rules.byModule.get(ep.m);
    if (!forModule) continue;
    for (const rule of forModule.calls) {
      if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
      const handlers = handlerFns(call.args, rule.handlerArg);
      if (handlers.length === 0) continue;
      const name = rule.nameArg !== undefined ? linker.nameOf(file, call.args[rule.nameArg]) : undefined;
      out.others.push({ kind: rule.kind, category: rule.category, ...(name !== undefined ? { event: name } : {}), handlers, file, line: call.line, pack: rule.pack, fn: `${file}:${call.f}` });
      giveParam(handlers, rule.paramTypes, site, rule.pack);
    }
    for (const rule of forModule.hooks) {
      if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
      hooksOf(rule, site);
      out.registration = true;
    }
    for (const rule of forModule.writes) {
      if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
      writeHit(rule, undefined);
    }
  }
  return isEmpty(out) ? undefined : out;
}

/** Controllers and gateways: what a class's decorators (and its methods') register (undefined: nothing). */
export function scanClass(linker: Linker, rules: RegistrationRules, file: string, facts: FileFacts, cls: ClassFact): Registrations | undefined {
  const out = empty();
  for (const d of cls.decorators) {
    for (const v of linker.eval(file, d.callee).values()) {
      if (v.t !== 'ext' || v.p.length !== 1) continue;
      for (const rule of rules.decoratorRules) {
        if (rule.module !== v.m || rule.classDecorator !== v.p[0]) continue;
        const prefix = linker.strings(file, d.args[0])[0] ?? linker.optionString(file, d.args[0], 'path') ?? '';
        const methodNames = Object.entries(cls.methods);
        for (const [mname, f] of methodNames) {
          const fn = must(facts.fns[f]);
          for (const md of fn.decorators ?? []) {
            for (const mv of linker.eval(file, md.callee).values()) {
              if (mv.t !== 'ext' || mv.p.length !== 1 || mv.m !== rule.module) continue;
              const what = own(rule.methodDecorators, must(mv.p[0]));
              if (what === undefined) continue;
              const arg = linker.strings(file, md.args[0])[0] ?? linker.optionString(file, md.args[0], 'path');
              if (rule.events) {
                out.others.push({ kind: rule.kind, category: rule.category, event: arg ?? mname, handlers: [{ file, f }], file, line: md.line, pack: rule.pack, fn: `${file}:0` });
              } else {
                const full = joinPath(prefix, arg ?? '');
                out.routes.push({
                  router: { t: 'obj', type: '<decorated>', site: `${file}:${cls.line}:class`, pack: rule.pack, file, at: -cls.line, prefix: '' },
                  method: what.toUpperCase(), path: full, handlers: [{ file, f }], file, line: md.line, kind: rule.kind, pack: rule.pack, fn: 0,
                });
                out.categories.push([`${file}:${md.line}`, rule.category]);
              }
            }
          }
          if (rule.lifecycleMethods.includes(mname)) {
            out.others.push({ kind: rule.kind, category: rule.category, event: mname, handlers: [{ file, f }], file, line: fn.line, pack: rule.pack, fn: `${file}:0` });
          }
        }
      }
    }
  }
  return isEmpty(out) ? undefined : out;
}
