import type { EntryPoint, Side, WitnessStep, Write } from '../../core/authority/analysis';
import { patternSteps, type RulePack } from '../../core/authority/rule-pack';
import { must, type CallFact, type Expr, type FileFacts, type Guard } from './facts';
import { Linker, nameMatches, own, RuleIndex, stepsMatch, valKey, type Val } from './linker';
import { normaliseExternal, type ModuleResolver } from './resolve';
import { sqlWriteTargets } from './sql';
import { minhashSignature } from '../../core/authority/similarity';

const TOKEN_RE = /[A-Za-z_$][\w$]*|'[^'\n]{0,80}'|"[^"\n]{0,80}"|`[^`]{0,80}`/g;
const MAX_SIG_TOKENS = 4000;
/** Witness paths kept per entry point (its writes are all listed). */
const MAX_WITNESSES = 64;

/**
 * From the linked program to the authority map of one tree: registrations (routes, mounts, events, hooks, timers,
 * decorators) and writes found by the rule packs, full mounted paths, then for each entry point the writes it reaches
 * (one witness path each), with string-dispatch guards applied, and whether every path to a write passes the
 * declared authority.
 */

type Obj = Extract<Val, { t: 'obj' }>;
type FnRef = { file: string; f: number };
const fnKey = (r: FnRef) => `${r.file}:${r.f}`;

interface RouteReg {
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

interface MountReg {
  parent: Obj;
  child: Obj;
  prefix: string;
  file: string;
  line: number;
}

interface OtherEntry {
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

interface WriteHit {
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

/** How many calls deep a callback's writes are looked for (a transaction's body -> a helper -> its helper). */
const CALLBACK_DEPTH = 3;

type ArgInfo = { lit: string } | { param: number } | undefined;

interface Edge {
  to: string;
  guards?: Guard[];
  args?: ArgInfo[];
  line: number;
  via: string;
}

/** Where the linker's fixpoint ended: the next analysis of the same tree after an edit starts from here. */
export interface LinkState {
  bindings: Map<string, { file: string; e: Expr | undefined }[]>;
  paramTypes: Map<string, Val[]>;
}

/** "file:f:i" -> file (a path may itself hold ':'). */
function keyFile(key: string): string {
  const last = key.lastIndexOf(':');
  return key.slice(0, key.lastIndexOf(':', last - 1));
}

export interface ModelInput {
  files: ReadonlyMap<string, FileFacts>;
  resolver: ModuleResolver;
  packs: readonly RulePack[];
  /** "symbol" or "path#symbol". */
  authority: readonly string[];
  tree: string;
  lines: number;
  skipped: { file: string; reason: string }[];
  signal?: AbortSignal;
  /** The state the last analysis of this tree ended in, and the files changed since (their facts are new). */
  warm?: { state: LinkState; changed: ReadonlySet<string> };
  /** The files' text, for handlers' signatures. */
  texts?: ReadonlyMap<string, string>;
  /** Receives the state this analysis ends in. */
  out?: { link?: LinkState };
}

function joinPath(...parts: string[]): string {
  const joined = parts.filter(p => p !== '' && p !== '/').map(p => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${joined}`;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

export function buildSide(input: ModelInput): Side {
  const { files, packs } = input;
  const rules = new RuleIndex(packs);
  const linker = new Linker(files, input.resolver, rules);

  let routes: RouteReg[] = [];
  let mounts: MountReg[] = [];
  let others: OtherEntry[] = [];
  let writes: WriteHit[] = [];
  const objects = new Map<string, Obj>();

  const fnsIn = (vals: Map<string, Val>): FnRef[] => linker.functionsOf(vals);
  const handlerFns = (file: string, args: readonly Expr[], from: number): FnRef[] => {
    for (let i = from; i < args.length; i++) {
      const fns = fnsIn(linker.eval(file, args[i]));
      if (fns.length > 0) return fns;
    }
    return [];
  };

  const routeRules = packs.flatMap(p => p.routes.map(r => ({ ...r, pack: p.id })));
  const mountRules = packs.flatMap(p => p.mounts.map(r => ({ ...r, pack: p.id })));
  const eventRules = packs.flatMap(p => p.events.map(r => ({ ...r, pack: p.id })));
  const callRules = packs.flatMap(p => p.calls.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
  const hookRules = packs.flatMap(p => p.hooks.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
  const writeRules = packs.flatMap(p => p.writes.map(r => ({ ...r, pack: p.id, steps: r.from ? patternSteps(r.from.path) : undefined })));
  const callbackRules = packs.flatMap(p => p.callbacks.map(r => ({ ...r, pack: p.id })));
  const dispatchRules = packs.flatMap(p => p.dispatch);
  // indexes: most calls are on values no rule is about (console, JSON, locals), so look rules up, never scan them
  const starWrites = new Map<string, (typeof writeRules)[number][]>();
  for (const rule of writeRules) {
    if (rule.on !== '*') continue;
    for (const m of rule.methods ?? []) starWrites.set(m, [...(starWrites.get(m) ?? []), rule]);
  }
  const byModule = new Map<string, { calls: typeof callRules; hooks: typeof hookRules; writes: typeof writeRules }>();
  const moduleRules = (m: string) => {
    let e = byModule.get(m);
    if (!e) byModule.set(m, (e = { calls: [], hooks: [], writes: [] }));
    return e;
  };
  for (const r of callRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).calls.push(r);
  for (const r of hookRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).hooks.push(r);
  for (const r of writeRules) if (r.from) moduleRules(normaliseExternal(r.from.module)).writes.push(r);
  const typedTypes = new Set<string>([
    ...routeRules.flatMap(r => r.on), ...mountRules.flatMap(r => r.on), ...eventRules.flatMap(r => r.on),
    ...callRules.flatMap(r => r.on ?? []), ...hookRules.flatMap(r => r.on ?? []), ...dispatchRules.flatMap(r => r.on),
    ...callbackRules.flatMap(r => r.on),
    ...writeRules.flatMap(r => (r.on === undefined || r.on === '*' ? [] : r.on)),
  ]);
  const decoratorRules = packs.flatMap(p => p.decorators.map(r => ({ ...r, pack: p.id })));

  const dispatchCalls: { file: string; call: CallFact; owner: string }[] = [];
  /** Calls that register a listener, a route or a hook: handing a function over is not calling it. */
  const registrationSites = new Set<string>();

  /** One pass over every call: registrations and writes, with the values known so far. */
  const scan = (): Map<string, Val[]> => {
    routes = [];
    mounts = [];
    others = [];
    writes = [];
    dispatchCalls.length = 0;
    registrationSites.clear();
    const paramTypes = new Map<string, Val[]>();
    scanParamTypes = paramTypes;
    const builders = new Set<string>();
    for (const [file, facts] of files) {
      facts.calls.forEach((call, index) => {
        const callee = call.callee;
        const site = `${file}:${call.line}:${index}`;
        const extPaths: { m: string; p: string[] }[] = [];
        if (callee.k === 'member') {
          const receivers = linker.eval(file, callee.o);
          // router[method](…): each name the key can be (a constant, a loop over literals)
          const computed = callee.n === '*' && callee.key ? linker.strings(file, callee.key) : [];
          for (const n of computed.length > 0 ? computed : [callee.n]) {
            for (const r of receivers.values()) {
              if (r.t === 'ext') extPaths.push({ m: r.m, p: [...r.p, n, '()'] });
              if (r.t !== 'obj') continue;
              objects.set(valKey(r), r);
              // a route builder (router.route('/x')) is mounted on the value it was made from, under its own path
              if (r.under?.t === 'obj' && !builders.has(valKey(r))) {
                builders.add(valKey(r));
                objects.set(valKey(r.under), r.under);
                mounts.push({ parent: r.under, child: r, prefix: '', file: r.file, line: r.line });
              }
              if (!typedTypes.has(r.type)) continue;
              for (const rule of callbackRules) {
                if (!rule.on.includes(r.type) || !rule.methods.includes(n)) continue;
                for (const fn of handlerFns(file, call.args, rule.fnArg)) {
                  const key = `${fn.file}:${fn.f}:${rule.param}`;
                  const given: Val = rule.type === 'self' ? r
                    : { t: 'obj', type: rule.type, site: `${site}:callback${rule.param}`, pack: rule.pack, file, line: call.line, ...(r.name !== undefined ? { name: r.name } : {}) };
                  paramTypes.set(key, [...(paramTypes.get(key) ?? []), given]);
                }
              }
              for (const rule of routeRules) {
                if (!rule.on.includes(r.type)) continue;
                if (rule.object) {
                  if (own(rule.methods, n) === undefined) continue;
                  for (const o of linker.eval(file, call.args[rule.object.arg]).values()) {
                    if (o.t !== 'olit') continue;
                    const method = linker.strings(o.file, own(o.e.props, rule.object.method))[0];
                    const p = linker.strings(o.file, own(o.e.props, rule.object.path))[0];
                    const h = fnsIn(linker.eval(o.file, own(o.e.props, rule.object.handler)));
                    if (p !== undefined && h.length > 0) {
                      routes.push({ router: r, method: (method ?? own(rule.methods, n) ?? '*').toUpperCase(), path: p, handlers: h, file, line: call.line, kind: rule.kind, pack: rule.pack, fn: call.f });
                      registrationSites.add(`${file}:${index}`);
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
                  routes.push({ router: r, method, path: p ?? '', handlers, file, line: call.line, kind: rule.kind, pack: rule.pack, fn: call.f });
                  registrationSites.add(`${file}:${index}`);
                }
              }
              for (const rule of mountRules) {
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
                      objects.set(valKey(c), c);
                      mounts.push({ parent: r, child: c, prefix: prefix ?? '', file, line: call.line });
                    }
                  }
                  const fns = fnsIn(vals);
                  if (fns.length === 0) continue;
                  if (rule.pluginParamType) {
                    for (const fn of fns) {
                      const child: Obj = { t: 'obj', type: rule.pluginParamType, site: `plugin:${fnKey(fn)}`, pack: rule.pack, file, line: call.line };
                      objects.set(valKey(child), child);
                      mounts.push({ parent: r, child, prefix: prefix ?? '', file, line: call.line });
                      const key = `${fn.file}:${fn.f}:0`;
                      paramTypes.set(key, [...(paramTypes.get(key) ?? []), child]);
                    }
                  } else {
                    routes.push({ router: r, method: '*', path: prefix ?? '', handlers: fns, file, line: call.line, kind: 'http-route', pack: rule.pack, fn: call.f });
                    registrationSites.add(`${file}:${index}`);
                  }
                }
              }
              for (const rule of eventRules) {
                if (!rule.on.includes(r.type) || !rule.methods.includes(n)) continue;
                const event = linker.strings(file, call.args[0])[0];
                if (rule.events && (event === undefined || !rule.events.includes(event))) continue;
                const handlers = handlerFns(file, call.args, rule.handlerArg);
                if (handlers.length === 0) continue;
                others.push({ kind: rule.kind, category: rule.category, ...(event !== undefined ? { event } : {}), ...(r.prefix ? { path: r.prefix } : {}),
                  handlers, file, line: call.line, pack: rule.pack, owner: valKey(r), fn: `${file}:${call.f}` });
                registrationSites.add(`${file}:${index}`);
                giveParam(handlers, rule.paramTypes, site, rule.pack, file, call.line);
              }
              for (const rule of callRules) {
                if (!rule.on?.includes(r.type) || !rule.methods?.includes(n)) continue;
                const handlers = handlerFns(file, call.args, rule.handlerArg);
                if (handlers.length === 0) continue;
                const name = rule.nameArg !== undefined ? linker.nameOf(file, call.args[rule.nameArg]) : undefined;
                others.push({ kind: rule.kind, category: rule.category, ...(name !== undefined ? { event: name } : {}), handlers, file, line: call.line, pack: rule.pack, owner: valKey(r), fn: `${file}:${call.f}` });
                giveParam(handlers, rule.paramTypes, site, rule.pack, file, call.line);
              }
              for (const rule of hookRules) {
                if (!rule.on?.includes(r.type) || !rule.methods?.includes(n)) continue;
                hooksOf(file, call, rule, site);
                registrationSites.add(`${file}:${index}`);
              }
              if (dispatchRules.some(d => d.on.includes(r.type) && d.methods.includes(n))) dispatchCalls.push({ file, call, owner: valKey(r) });
              for (const rule of writeRules) {
                if (!rule.on || rule.on === '*' || !rule.on.includes(r.type) || !rule.methods?.includes(n)) continue;
                writeHit(rule, file, call, index, r);
              }
            }
            for (const rule of starWrites.get(n) ?? []) writeHit(rule, file, call, index, undefined);
          }
        } else {
          for (const v of linker.eval(file, callee).values()) if (v.t === 'ext') extPaths.push({ m: v.m, p: [...v.p, '()'] });
        }
        for (const ep of extPaths) {
          const forModule = byModule.get(ep.m);
          if (!forModule) continue;
          for (const rule of forModule.calls) {
            if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
            const handlers = handlerFns(file, call.args, rule.handlerArg);
            if (handlers.length === 0) continue;
            const name = rule.nameArg !== undefined ? linker.nameOf(file, call.args[rule.nameArg]) : undefined;
            others.push({ kind: rule.kind, category: rule.category, ...(name !== undefined ? { event: name } : {}), handlers, file, line: call.line, pack: rule.pack, fn: `${file}:${call.f}` });
            giveParam(handlers, rule.paramTypes, site, rule.pack, file, call.line);
          }
          for (const rule of forModule.hooks) {
            if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
            hooksOf(file, call, rule, site);
            registrationSites.add(`${file}:${index}`);
          }
          for (const rule of forModule.writes) {
            if (!rule.from || !rule.steps || !stepsMatch(rule.steps, ep.p)) continue;
            writeHit(rule, file, call, index, undefined);
          }
        }
      });
      // decorators: controllers and gateways
      facts.classes.forEach(cls => {
        for (const d of cls.decorators) {
          for (const v of linker.eval(file, d.callee).values()) {
            if (v.t !== 'ext' || v.p.length !== 1) continue;
            for (const rule of decoratorRules) {
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
                      others.push({ kind: rule.kind, category: rule.category, event: arg ?? mname, handlers: [{ file, f }], file, line: md.line, pack: rule.pack, fn: `${file}:0` });
                    } else {
                      const full = joinPath(prefix, arg ?? '');
                      routes.push({
                        router: { t: 'obj', type: '<decorated>', site: `${file}:${cls.line}:class`, pack: rule.pack, file, line: cls.line, prefix: '' },
                        method: what.toUpperCase(), path: full, handlers: [{ file, f }], file, line: md.line, kind: rule.kind, pack: rule.pack, fn: 0,
                      });
                      decoratedCategory.set(`${file}:${md.line}`, rule.category);
                    }
                  }
                }
                if (rule.lifecycleMethods.includes(mname)) {
                  others.push({ kind: rule.kind, category: rule.category, event: mname, handlers: [{ file, f }], file, line: fn.line, pack: rule.pack, fn: `${file}:0` });
                }
              }
            }
          }
        }
      });
    }
    return paramTypes;
  };

  const decoratedCategory = new Map<string, string>();

  /** Types the packs give to parameters in the current scan (a connection handler's socket, a hook's document). */
  let scanParamTypes = new Map<string, Val[]>();
  function giveParam(fns: FnRef[], types: readonly (string | null)[] | undefined, site: string, pack: string, file: string, line: number): void {
    if (!types) return;
    for (const fn of fns) {
      types.forEach((type, i) => {
        if (!type) return;
        const key = `${fn.file}:${fn.f}:${i}`;
        const list = scanParamTypes.get(key) ?? [];
        list.push({ t: 'obj', type, site: `${site}:param${i}`, pack, file, line });
        scanParamTypes.set(key, list);
      });
    }
  }

  function hooksOf(file: string, call: CallFact, rule: { objectArg: number; keys?: string[] | undefined; kind: string; category: string; pack: string; paramTypes?: (string | null)[] | undefined }, site: string): void {
    for (const o of linker.eval(file, call.args[rule.objectArg]).values()) {
      if (o.t !== 'olit') continue;
      for (const [key, e] of Object.entries(o.e.props)) {
        if (rule.keys && !rule.keys.includes(key)) continue;
        const fns = fnsIn(linker.eval(o.file, e));
        if (fns.length === 0) continue;
        const first = must(fns[0]);
        const fact = must(files.get(first.file)?.fns[first.f]);
        others.push({ kind: rule.kind, category: rule.category, event: key, handlers: fns, file: first.file, line: fact.line, pack: rule.pack,
          owner: `hooks:${file}:${call.line}`, fn: `${file}:${call.f}` });
        giveParam(fns, rule.paramTypes, `${site}:${key}`, rule.pack, file, call.line);
      }
    }
  }

  function writeHit(rule: (typeof writeRules)[number], file: string, call: CallFact, _index: number, receiver: Obj | undefined): void {
    let targets: string[] = [];
    let viaParam: number | undefined;
    let generic = false;
    const paramOf = (e: Expr | undefined) => (e?.k === 'param' && e.f === call.f && !e.p ? e.i : undefined);
    if (rule.target && 'callback' in rule.target) {
      const fns = handlerFns(file, call.args, rule.target.callback);
      writes.push({ kind: rule.kind, target: rule.target.fixed, file, line: call.line, f: call.f, ...(call.guards ? { guards: call.guards } : {}), pack: rule.pack,
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
      writes.push({ kind: rule.kind, target, file, line: call.line, f: call.f, ...(call.guards ? { guards: call.guards } : {}), pack: rule.pack,
        ...(viaParam !== undefined ? { viaParam } : {}), ...(generic ? { generic: true as const } : {}), ...(call.init ? { init: true as const } : {}) });
    }
  }

  /**
   * A write whose target is what its callback writes (`doc.transact(() => …)`): the targets of the writes of the same
   * kind the callback makes, directly or through the functions it calls (CALLBACK_DEPTH calls deep). A write through
   * a parameter of a called function (`applyTextDiff(doc.getText('markdown'), …)` writing `target.insert`) is named
   * by the argument of this call.
   */
  function resolveCallbackWrites(): void {
    if (!writes.some(w => w.callback)) return;
    const hitsByFn = new Map<string, WriteHit[]>();
    for (const w of writes) {
      if (w.callback) continue;
      const k = `${w.file}:${w.f}`;
      hitsByFn.set(k, [...(hitsByFn.get(k) ?? []), w]);
    }
    const callsByFn = new Map<string, { file: string; call: CallFact }[]>();
    for (const [file, facts] of files) {
      for (const call of facts.calls) {
        const k = `${file}:${call.f}`;
        const list = callsByFn.get(k);
        if (list) list.push({ file, call });
        else callsByFn.set(k, [{ file, call }]);
      }
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
        for (const { file, call } of callsByFn.get(fnKey(v.fn)) ?? []) {
          const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
          const args = viaCall ? call.args.slice(1) : call.args;
          for (const t of targetsOf.get(call) ?? linker.callTargets(file, call)) {
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
    writes = resolved;
  }

  // ---- fixpoint: call targets -> parameter bindings -> more call targets ---------------------------------------
  type Bindings = Map<string, { file: string; e: Expr | undefined }[]>;
  const exprIds = new Map<object, number>();
  const idOf = (e: object | undefined) => {
    if (!e) return 0;
    let id = exprIds.get(e);
    if (id === undefined) exprIds.set(e, (id = exprIds.size + 1));
    return id;
  };
  /** The same bindings (as sets: which argument of which call binds which parameter)? */
  const sameBindings = (a: Bindings, b: Bindings) => {
    if (a.size !== b.size) return false;
    for (const [k, la] of a) {
      const lb = b.get(k);
      if (!lb || lb.length !== la.length) return false;
      const ids = new Set(la.map(x => `${x.file}\0${idOf(x.e)}`));
      for (const x of lb) if (!ids.has(`${x.file}\0${idOf(x.e)}`)) return false;
    }
    return true;
  };
  /** Which functions each call (of the given files, or all) may call, as bindings of their parameters. */
  const bindCalls = (into: Bindings, only?: ReadonlySet<string>) => {
    for (const [file, facts] of files) {
      if (only && !only.has(file)) continue;
      for (const call of facts.calls) {
        const targets = linker.callTargets(file, call);
        targetsOf.set(call, targets);
        for (const t of targets) {
          const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
          const args = viaCall ? call.args.slice(1) : call.args;
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
  };
  /** Each call's targets as the last binding pass found them (valid once the bindings stop changing). */
  let targetsOf = new Map<CallFact, FnRef[]>();
  let current: Bindings = new Map();
  if (input.warm) {
    // start where the last analysis of this tree ended: without what the changed files said or received, plus what
    // their calls bind now
    const changed = input.warm.changed;
    // (bindings to the changed files' functions stay: their indices hold unless functions were added before them, and
    // the exact comparison below notices when they moved)
    for (const [k, list] of input.warm.state.bindings) {
      const kept = list.filter(b => !changed.has(b.file));
      if (kept.length > 0) current.set(k, kept);
    }
    for (const [k, v] of input.warm.state.paramTypes) if (!changed.has(keyFile(k))) linker.paramTypes.set(k, v);
    linker.setParamBindings(current);
    bindCalls(current, changed);
    linker.setParamBindings(current);
  }
  let scannedWithCurrent = false;
  for (let iteration = 0; iteration < 8; iteration++) {
    checkAbort(input.signal);
    targetsOf = new Map();
    const bindings = bindCalls(new Map());
    // the same set as the one the values were computed with: what is known stays valid
    const same = sameBindings(bindings, current);
    linker.setParamBindings(bindings, same);
    current = bindings;
    const paramTypes = scan();
    let typed = 0;
    for (const v of paramTypes.values()) typed += v.length;
    let before = 0;
    for (const v of linker.paramTypes.values()) before += v.length;
    const typesChanged = typed !== before;
    if (typesChanged) {
      linker.paramTypes.clear();
      for (const [k, v] of paramTypes) linker.paramTypes.set(k, v);
      linker.resetMemo();
    }
    scannedWithCurrent = !typesChanged;
    if (same && !typesChanged) break;
  }
  if (!scannedWithCurrent) scan();
  resolveCallbackWrites();
  if (input.out) input.out.link = { bindings: current, paramTypes: new Map(linker.paramTypes) };

  // ---- mounted paths ------------------------------------------------------------------------------------------
  const mountsOf = new Map<string, MountReg[]>();
  for (const m of mounts) {
    const k = valKey(m.child);
    mountsOf.set(k, [...(mountsOf.get(k) ?? []), m]);
  }
  const pathMemo = new Map<string, { paths: string[]; chain: string }>();
  const describeObj = (o: Obj) => `${o.name ? `${o.name} ` : ''}${o.type} (${o.file}:${o.line})`;
  const prefixes = (o: Obj, seen: Set<string>): { paths: string[]; chain: string } => {
    const k = valKey(o);
    const hit = pathMemo.get(k);
    if (hit) return hit;
    if (seen.has(k) || seen.size > 256) return { paths: [], chain: '' };
    seen.add(k);
    const own = o.prefix ?? '';
    let result: { paths: string[]; chain: string };
    // a value typed only by its declaration (a parameter `app: FastifyInstance`) is not a program's root: only one
    // that is created is
    if (o.type === '<decorated>' || (rules.rootTypes.has(o.type) && !mountsOf.has(k) && !o.site.startsWith('annot:'))) {
      result = { paths: [joinPath(own)], chain: `${o.type} created at ${o.file}:${o.line}` };
    } else {
      const out = new Set<string>();
      let chain = '';
      for (const m of mountsOf.get(k) ?? []) {
        const parent = prefixes(m.parent, seen);
        for (const p of parent.paths) if (out.size < 32) out.add(joinPath(p, m.prefix, own));
        if (!chain && parent.paths.length > 0) chain = `mounted at '${m.prefix || '/'}' (${m.file}:${m.line}) on ${parent.chain}`;
      }
      result = { paths: [...out].sort(), chain };
    }
    seen.delete(k);
    pathMemo.set(k, result);
    return result;
  };

  // ---- categories ---------------------------------------------------------------------------------------------
  const categoryRules = packs.flatMap(p => p.categories.map(c => ({ category: c.category, path: c.path ? new RegExp(c.path, 'u') : undefined, file: c.file ? new RegExp(c.file, 'u') : undefined })));
  const categoryOf = (paths: readonly string[], file: string, handlerFile: string): string | undefined => {
    // (pack expressions are checked to match in linear time; text longer than any real path is not matched at all)
    const short = (t: string) => t.length <= 2048;
    for (const c of categoryRules) {
      const re = c.path;
      if (re && paths.some(p => short(p) && re.test(p))) return c.category;
      const fre = c.file;
      if (fre && ((short(file) && fre.test(file)) || (short(handlerFile) && fre.test(handlerFile)))) return c.category;
    }
    return undefined;
  };

  // ---- functions: names, authority --------------------------------------------------------------------------
  const isAnonymous = (name: string) => name === 'anonymous' || name.endsWith(' callback') || name === 'default';
  /** The nearest named function: a write in a callback is attributed to the function that passes the callback. */
  const ownerName = (r: FnRef): { name: string; line: number } => {
    const fns = must(files.get(r.file)).fns;
    let f = r.f;
    for (let fact = fns[f]; fact && f > 0 && isAnonymous(fact.name) && fact.parent > 0; fact = fns[f]) f = fact.parent;
    const fact = must(fns[f]);
    return { name: f === 0 ? '<module>' : fact.name, line: fact.line };
  };

  const authoritySpecs = input.authority.map(a => {
    const hash = a.lastIndexOf('#');
    return hash > 0 ? { name: a, file: a.slice(0, hash), symbol: a.slice(hash + 1) } : { name: a, file: undefined, symbol: a };
  });
  const authorityFns = new Set<string>();
  const authorityFound: NonNullable<Side['authority']> = [];
  for (const spec of authoritySpecs) {
    let found: { file: string; line: number } | undefined;
    for (const [file, facts] of files) {
      if (spec.file !== undefined && file !== spec.file) continue;
      facts.fns.forEach((fn, f) => {
        if (f === 0) return;
        if (fn.name === spec.symbol || fn.name.endsWith(`.${spec.symbol}`)) {
          authorityFns.add(`${file}:${f}`);
          found ??= { file, line: fn.line };
        }
      });
    }
    authorityFound.push(found ? { name: spec.name, file: found.file, line: found.line, found: true } : { name: spec.name, found: false });
  }

  // ---- writes -------------------------------------------------------------------------------------------------
  const writeList: Write[] = [];
  const writeIdsByFn = new Map<string, { id: string; guards?: Guard[]; init?: true }[]>();
  {
    const seen = new Map<string, number>();
    const sorted = [...writes].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.target.localeCompare(b.target));
    const dedupe = new Set<string>();
    for (const w of sorted) {
      const k = `${w.file}:${w.line}:${w.kind}:${w.target}`;
      if (dedupe.has(k)) continue;
      dedupe.add(k);
      const owner = ownerName({ file: w.file, f: w.f });
      const base = `${w.kind}:${w.target}@${w.file}#${owner.name}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const id = n === 1 ? base : `${base}#${n}`;
      writeList.push({ id, kind: w.kind, target: w.target, file: w.file, line: w.line, function: owner.name, functionLine: owner.line, pack: w.pack });
      const fk = `${w.file}:${w.f}`;
      writeIdsByFn.set(fk, [...(writeIdsByFn.get(fk) ?? []), { id, ...(w.guards ? { guards: w.guards } : {}), ...(w.init ? { init: true as const } : {}) }]);
    }
  }
  const writeById = new Map(writeList.map(w => [w.id, w]));

  // ---- call graph ---------------------------------------------------------------------------------------------
  const edges = new Map<string, Edge[]>();
  const guardParams = new Map<string, Set<number>>();
  const hookHandlers = new Map<string, FnRef[]>();
  for (const o of others) if (o.owner) hookHandlers.set(o.owner, [...(hookHandlers.get(o.owner) ?? []), ...o.handlers]);
  for (const [file, facts] of files) {
    facts.calls.forEach(call => {
      if (!call.guards) return;
      const k = `${file}:${call.f}`;
      const set = guardParams.get(k) ?? new Set<number>();
      for (const g of call.guards) set.add(g.p);
      guardParams.set(k, set);
    });
  }
  const addEdge = (from: string, e: Edge) => {
    const list = edges.get(from);
    if (list) list.push(e);
    else edges.set(from, [e]);
  };
  const argInfo = (file: string, e: Expr | undefined, fromFn: number): ArgInfo => {
    if (!e) return undefined;
    if (e.k === 'str') return { lit: e.v };
    if (e.k === 'param' && e.f === fromFn && !e.p) return { param: e.i };
    if (e.k === 'var') {
      const vals = linker.strings(file, e);
      if (vals.length === 1 && vals[0] !== undefined) return { lit: vals[0] };
    }
    return undefined;
  };
  const initCalls = new Map<string, { file: string; call: CallFact; targets: FnRef[] }[]>();
  for (const [file, facts] of files) {
    checkAbort(input.signal);
    facts.calls.forEach((call, ci) => {
      const from = `${file}:${call.f}`;
      const targets = (scannedWithCurrent ? targetsOf.get(call) : undefined) ?? linker.callTargets(file, call);
      if (call.init) {
        const list = initCalls.get(from) ?? [];
        list.push({ file, call, targets: [...targets, ...call.args.flatMap(a => (a.k === 'fn' ? fnsIn(linker.eval(file, a)) : []))] });
        initCalls.set(from, list);
        for (const t of targets) addEdge(from, { to: fnKey(t), line: call.line, via: 'init' });
        return;
      }
      if (registrationSites.has(`${file}:${ci}`)) {
        for (const t of targets) addEdge(from, { to: fnKey(t), line: call.line, via: 'call' });
        return;
      }
      const viaCall = call.callee.k === 'member' && (call.callee.n === 'call' || call.callee.n === 'apply');
      const args = viaCall ? call.args.slice(1) : call.args;
      for (const t of targets) {
        const tk = fnKey(t);
        const gp = guardParams.get(tk);
        const info = gp ? args.map(a => argInfo(file, a, call.f)) : undefined;
        addEdge(from, { to: tk, ...(call.guards ? { guards: call.guards } : {}), ...(info ? { args: info } : {}), line: call.line, via: 'call' });
      }
      const targetKeys = new Set(targets.map(fnKey));
      for (const a of call.args) {
        if (a.k !== 'fn' && a.k !== 'var' && a.k !== 'member' && a.k !== 'import') continue;
        for (const fn of fnsIn(linker.eval(file, a))) {
          if (targetKeys.has(fnKey(fn))) continue;
          addEdge(from, { to: fnKey(fn), ...(call.guards ? { guards: call.guards } : {}), line: call.line, via: 'callback' });
        }
      }
    });
  }
  for (const d of dispatchCalls) {
    const owners = new Set<string>([d.owner]);
    // the object a hooks configure() call returned: hooks registered through that call
    const obj = objects.get(d.owner);
    if (obj) owners.add(`hooks:${obj.file}:${obj.line}`);
    for (const owner of owners) {
      for (const h of hookHandlers.get(owner) ?? []) addEdge(`${d.file}:${d.call.f}`, { to: fnKey(h), line: d.call.line, via: 'dispatch' });
    }
  }

  // ---- reachability -------------------------------------------------------------------------------------------
  const compatible = (guards: readonly Guard[] | undefined, ctx: Record<number, string> | undefined): boolean => {
    if (!guards || !ctx) return true;
    for (const g of guards) {
      const v = ctx[g.p];
      if (v !== undefined && !g.v.includes(v)) return false;
    }
    return true;
  };
  interface State { fn: string; ctx: Record<number, string> | undefined; parent: State | undefined; line: number; via: string }
  const stepOf = (s: State): WitnessStep => {
    const [file, f] = splitKey(s.fn);
    const fact = files.get(file)?.fns[f];
    return { file, line: fact?.line ?? 1, name: fact?.name ?? '?', via: s.via };
  };
  const witness = (s: State, w: Write): WitnessStep[] => {
    const steps: WitnessStep[] = [];
    for (let c: State | undefined = s; c; c = c.parent) steps.unshift(stepOf(c));
    steps.push({ file: w.file, line: w.line, name: `${w.kind} write to ${w.target}`, via: 'write' });
    return steps;
  };
  /**
   * The writes reachable from roots, one witness path each. One-time initialisation belongs to the initialisation's own
   * entry point (initFn: the function that sets up), not to everything that happens to use it first.
   */
  const reach = (roots: FnRef[], avoidAuthority: boolean, initFn?: string): Map<string, State> => {
    const found = new Map<string, State>();
    const visited = new Set<string>();
    const queue: State[] = [];
    for (const r of roots) {
      const k = fnKey(r);
      if (avoidAuthority && authorityFns.has(k)) continue;
      queue.push({ fn: k, ctx: undefined, parent: undefined, line: 0, via: 'handler' });
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = must(queue[qi]);
      const sk = s.ctx ? `${s.fn}|${JSON.stringify(s.ctx)}` : s.fn;
      if (visited.has(sk)) continue;
      visited.add(sk);
      const initStep = initFn !== undefined && s.parent === undefined && s.fn === initFn;
      for (const w of writeIdsByFn.get(s.fn) ?? []) {
        if ((w.init === true) !== initStep || found.has(w.id) || !compatible(w.guards, s.ctx)) continue;
        found.set(w.id, s);
      }
      for (const e of edges.get(s.fn) ?? []) {
        if ((e.via === 'init') !== initStep || !compatible(e.guards, s.ctx)) continue;
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
        queue.push({ fn: e.to, ctx, parent: s, line: e.line, via: e.via });
      }
    }
    return found;
  };

  // ---- entry points -------------------------------------------------------------------------------------------
  const entries: EntryPoint[] = [];
  const ids = new Map<string, number>();
  const uniqueId = (base: string) => {
    const n = (ids.get(base) ?? 0) + 1;
    ids.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  };
  /** MinHash of a handler's tokens (identifiers and short strings): how renamed routes are matched across trees. */
  const signatureOf = (r: FnRef): number[] | undefined => {
    const span = files.get(r.file)?.fns[r.f]?.span;
    const text = input.texts?.get(r.file);
    if (!span || text === undefined) return undefined;
    const tokens = text.slice(span[0], span[1]).match(TOKEN_RE) ?? [];
    return tokens.length > 0 ? minhashSignature(tokens.slice(0, MAX_SIG_TOKENS)) : undefined;
  };
  const finish = (e: Omit<EntryPoint, 'writes' | 'viaAuthority' | 'witnesses' | 'bypasses' | 'signature'>, handlers: FnRef[], initFn?: string): EntryPoint => {
    const all = reach(handlers, false, initFn);
    const writesReached = [...all.keys()].sort();
    let viaAuthority: boolean | null = null;
    let bypasses: EntryPoint['bypasses'];
    let omitted = 0;
    // one-time set-up (creating tables, opening the store) is not a write path the authority governs: not checked
    // witness paths are built for the first MAX_WITNESSES writes (by id) only: a route reaching thousands of writes
    // keeps them all in `writes`, and the output stays proportional to the program, not to routes × writes
    const pathTo = (found: Map<string, State>, id: string) => witness(must(found.get(id)), must(writeById.get(id)));
    if (writesReached.length > 0 && authorityFns.size > 0 && initFn === undefined) {
      const avoiding = reach(handlers, true, initFn);
      bypasses = [...avoiding.keys()].sort().map((write, i) => ({ write, path: i < MAX_WITNESSES ? pathTo(avoiding, write) : [] }));
      viaAuthority = avoiding.size === 0;
      if (avoiding.size > MAX_WITNESSES) omitted = Math.max(omitted, avoiding.size - MAX_WITNESSES);
    }
    if (writesReached.length > MAX_WITNESSES) omitted = Math.max(omitted, writesReached.length - MAX_WITNESSES);
    const main = must(handlers[handlers.length - 1]);
    const sig = signatureOf(main);
    return {
      ...e, writes: writesReached, viaAuthority,
      ...(bypasses && bypasses.length > 0 ? { bypasses } : {}),
      witnesses: Object.fromEntries(writesReached.slice(0, MAX_WITNESSES).map(w => [w, pathTo(all, w)])),
      ...(omitted > 0 ? { witnessesOmitted: omitted } : {}),
      ...(sig ? { signature: sig } : {}),
    };
  };
  const handlerOf = (handlers: FnRef[]) => {
    const main = must(handlers[handlers.length - 1]);
    const fact = must(files.get(main.file)?.fns[main.f]);
    return { file: main.file, line: fact.line, name: fact.name, endLine: fact.endLine };
  };

  const sortedRoutes = [...routes].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.method.localeCompare(b.method));
  const routeSeen = new Set<string>();
  for (const r of sortedRoutes) {
    const dedupe = `${r.file}:${r.line}:${r.method}:${r.path}:${valKey(r.router)}`;
    if (routeSeen.has(dedupe)) continue;
    routeSeen.add(dedupe);
    const mounted = r.router.type === '<decorated>' ? { paths: [''], chain: 'decorated controller' } : prefixes(r.router, new Set());
    const paths = [...new Set(mounted.paths.map(p => joinPath(p, r.path)))].sort();
    const reachable = paths.length > 0;
    const handler = handlerOf(r.handlers);
    const category = categoryOf(paths.length > 0 ? paths : [r.path], r.file, handler.file)
      ?? decoratedCategory.get(`${r.file}:${r.line}`) ?? 'rest';
    const routerName = r.router.type === '<decorated>' ? 'controller' : describeObj(r.router);
    const why = reachable ? `${r.router.type === '<decorated>' ? 'decorated route' : `router ${routerName} ${mounted.chain}`}`
      : `router ${routerName} is never mounted on an app`;
    const ownPath = joinPath(r.router.prefix ?? '', r.path);
    const id = uniqueId(reachable ? `${r.method} ${paths[0]}` : `${r.method} ${ownPath} (unmounted, ${r.file}:${r.line})`);
    entries.push(finish({
      id, kind: r.kind, category, file: r.file, line: r.line, method: r.method, path: paths[0] ?? ownPath, paths, handler, reachable, why, pack: r.pack,
    }, r.handlers));
  }
  for (const [from, list] of [...initCalls.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [file, f] = splitKey(from);
    const owner = must(files.get(file)?.fns[f]);
    // what runs once, from the function that sets it up: its own writes made there, and what its set-up calls reach
    others.push({ kind: 'init', category: 'init', event: `first use of ${owner.name}`, handlers: [{ file, f }], file, line: must(list[0]).call.line,
      pack: 'core', fn: from, display: { file, f }, initFn: from });
  }

  // ---- which code runs at all: from the modules nothing imports (the programs' entry modules) ----------------
  const live = new Set<string>();
  const liveParent = new Map<string, string>();
  {
    const imported = new Set<string>();
    const moduleEdges = new Map<string, string[]>();
    for (const [file, facts] of files) {
      const out: string[] = [];
      for (const spec of facts.imports) {
        const t = input.resolver.resolve(file, spec);
        if (t && t !== file && files.has(t)) {
          imported.add(t);
          out.push(t);
        }
      }
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
        liveParent.set(n, k);
        queue.push(n);
      }
    }
  }
  const describeFn = (k: string) => {
    const [file, f] = splitKey(k);
    return f === 0 ? `the top level of ${file}` : `${files.get(file)?.fns[f]?.name ?? '?'} (${file}:${files.get(file)?.fns[f]?.line ?? 1})`;
  };
  const rootOf = (k: string) => {
    let c = k;
    for (let i = 0, p = liveParent.get(c); i < 1000 && p !== undefined; i++, p = liveParent.get(c)) c = p;
    return c;
  };

  const sortedOthers = [...others].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const otherSeen = new Set<string>();
  for (const o of sortedOthers) {
    const handler = handlerOf(o.handlers);
    const dedupe = `${o.file}:${o.line}:${o.kind}:${o.event ?? ''}:${handler.file}:${handler.line}`;
    if (otherSeen.has(dedupe)) continue;
    otherSeen.add(dedupe);
    const shown = o.display ? (() => {
      const fact = must(files.get(o.display.file)?.fns[o.display.f]);
      return { file: o.display.file, line: fact.line, name: fact.name, endLine: fact.endLine };
    })() : handler;
    const id = uniqueId(`${o.kind}${o.event !== undefined ? ` ${o.event}` : ''} @${shown.file}#${shown.name}`);
    const reachable = live.has(o.fn);
    const where = describeFn(o.fn);
    const why = reachable
      ? (o.fn.endsWith(':0') ? `registered at the top level of ${o.file}` : `registered in ${where}, which runs from ${describeFn(rootOf(o.fn))}`)
      : `registered in ${where}, which nothing runs (no entry module reaches it)`;
    entries.push(finish({
      id, kind: o.kind, category: o.category, file: o.file, line: o.line, ...(o.method ? { method: o.method } : {}), ...(o.path ? { path: o.path } : {}),
      paths: o.path ? [o.path] : [], ...(o.event !== undefined ? { event: o.event } : {}), handler: shown, reachable, why, pack: o.pack,
    }, o.handlers, o.initFn));
  }


  let files_ = 0;
  for (const f of files.values()) if (!f.skipped) files_++;
  return {
    tree: input.tree, files: files_, lines: input.lines, skipped: input.skipped, entryPoints: entries, writes: writeList,
    ...(input.authority.length > 0 ? { authority: authorityFound } : {}),
  };
}

function splitKey(k: string): [string, number] {
  const i = k.lastIndexOf(':');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

export { nameMatches };
