import type { EntryPoint, Side } from '../../core/authority/analysis';
import type { RulePack } from '../../core/authority/rule-pack';
import { minhashSignature } from '../../core/authority/similarity';
import { resolveCallbackWrites } from './callback-writes';
import { CallGraph } from './call-graph';
import { must, type FileFacts } from './facts';
import { Node } from './deps';
import { Pass, Passes, runFixpoint } from './fixpoint';
import { Linker, nameMatches, RuleIndex, valKey } from './linker';
import { liveness, ModuleGraph } from './liveness';
import { categoryRules, MountPaths } from './mounts';
import { Reacher } from './reach';
import { joinPath, RegistrationRules, type FnRef, type WriteHit } from './registrations';
import type { ModuleResolver } from './resolve';
import { findAuthority, listWrites } from './writes';

const TOKEN_RE = /[A-Za-z_$][\w$]*|'[^'\n]{0,80}'|"[^"\n]{0,80}"|`[^`]{0,80}`/g;
const MAX_SIG_TOKENS = 4000;

/**
 * From the linked program to the authority map of one tree: registrations (routes, mounts, events, hooks, timers,
 * decorators) and writes found by the rule packs (./registrations.ts, ./fixpoint.ts), full mounted paths
 * (./mounts.ts), the call graph (./call-graph.ts), then for each entry point the writes it reaches (one witness path
 * each), with string-dispatch guards applied, and whether every path to a write passes the declared authority
 * (./reach.ts); which code runs at all (./liveness.ts).
 *
 * A SideModel keeps what its last analysis computed: analysing the tree again after an edit (some files' facts
 * changed) computes again only what those files fed into (./deps.ts), and gives what an analysis from scratch of the
 * edited tree gives.
 */

export interface ModelInput {
  /** The program's files, in the tree's order. */
  files: ReadonlyMap<string, FileFacts>;
  resolver: ModuleResolver;
  packs: readonly RulePack[];
  /** "symbol" or "path#symbol". */
  authority: readonly string[];
  /** The files' text, for handlers' signatures. */
  texts?: ReadonlyMap<string, string>;
}

export interface AnalyseInput {
  tree: string;
  lines: number;
  skipped: { file: string; reason: string }[];
  signal?: AbortSignal;
  /** Progress of the linking ("linking the baseline, round 2 (calls): 640 of 17542 modules"), about every progressIntervalMs. */
  progress?: (message: string) => void;
  progressIntervalMs?: number;
  /** The tree's name in progress messages. */
  name?: string;
}

export class SideModel {
  private readonly files: Map<string, FileFacts>;
  private readonly texts: Map<string, string>;
  private readonly linker: Linker;
  private readonly passes: Passes;
  private readonly graph: CallGraph;
  private readonly reacher = new Reacher();
  private readonly modules: ModuleGraph;
  private readonly categoryOf;
  private readonly rootTypes: ReadonlySet<string>;
  /** Handlers' signatures by file, for the text they were computed from. */
  private readonly signatures = new Map<string, { text: string; bySpan: Map<string, number[] | undefined> }>();
  /** Files changed since the last analysis, with their facts then (undefined: not analysed yet). */
  private changed: Map<string, FileFacts> | undefined = undefined;
  /** An analysis was interrupted: what is kept is not to be trusted. */
  private broken = false;
  /** The query the callback writes were resolved in (computed again each time). */
  private callbacks: Node | undefined = undefined;

  constructor(private readonly input: ModelInput) {
    this.files = new Map(input.files);
    this.texts = new Map(input.texts ?? []);
    const rules = new RuleIndex(input.packs);
    this.rootTypes = rules.rootTypes;
    this.linker = new Linker(this.files, input.resolver, rules);
    this.passes = new Passes(this.linker, new RegistrationRules(input.packs), this.files);
    this.graph = new CallGraph(this.passes);
    this.modules = new ModuleGraph(input.resolver);
    this.categoryOf = categoryRules(input.packs);
  }

  /** Can the model take these files (the same set, in the same order) as an edit? */
  accepts(files: ReadonlyMap<string, FileFacts>): boolean {
    if (this.broken || files.size !== this.files.size) return false;
    const a = this.files.keys();
    for (const k of files.keys()) if (a.next().value !== k) return false;
    return true;
  }

  /** The facts the model holds for a file, and the text they came from. */
  current(file: string): { facts: FileFacts | undefined; text: string | undefined } {
    return { facts: this.files.get(file), text: this.texts.get(file) };
  }

  /** Takes the files' facts and texts (the same file set, see accepts): the next analysis computes again what changed. */
  update(files: ReadonlyMap<string, FileFacts>, texts: ReadonlyMap<string, string>): void {
    for (const [file, facts] of files) {
      const text = texts.get(file);
      if (text !== undefined) this.texts.set(file, text);
      const was = this.files.get(file);
      if (was === facts) continue;
      if (was !== undefined && this.changed !== undefined && !this.changed.has(file)) this.changed.set(file, was);
      this.files.set(file, facts);
      this.linker.setFile(file, facts);
    }
  }

  /** The authority map of the files as last given. */
  async analyse(input: AnalyseInput): Promise<Side> {
    if (this.broken) throw new Error('internal error in the authority analysis: an interrupted analysis is reused');
    const changed = this.changed;
    this.changed = new Map();
    this.broken = true;
    const report = input.progress;
    // with progress, the linking lets the event loop run between its rounds, so that its messages go out
    const pause = report ? () => new Promise<void>(resolve => setImmediate(resolve)) : undefined;
    if (report) {
      const every = input.progressIntervalMs ?? 1000;
      const total = this.files.size;
      let last = performance.now();
      this.passes.onFiles = (step, done) => {
        if (performance.now() - last < every) return;
        last = performance.now();
        report(`linking ${input.name ?? 'the tree'}, ${step}: ${done} of ${total} modules`);
      };
    }
    try {
      const side = await this.build(input, changed, pause);
      this.broken = false;
      return side;
    } finally {
      this.passes.onFiles = undefined;
    }
  }

  private async build(input: AnalyseInput, changed: ReadonlyMap<string, FileFacts> | undefined, pause: (() => Promise<void>) | undefined): Promise<Side> {
    const { files, passes } = this;
    const tracker = this.linker.tracker;
    tracker.dropStray();
    const scan = await runFixpoint(passes, changed, changed ? undefined : input.signal, pause);
    const { routes, mounts, others } = scan;
    if (this.callbacks) tracker.invalidate(this.callbacks);
    const callbacks = new Node<WriteHit[]>();
    this.callbacks = callbacks;
    const writes = tracker.within(callbacks, () => resolveCallbackWrites(scan.writes, passes), passes.position(Pass.Callbacks, '', 0));
    const mounted = new MountPaths(mounts, this.rootTypes, files);
    const authority = findAuthority(files, this.input.authority);
    const writeIndex = listWrites(files, writes);
    if (pause) {
      await pause();
      if (!changed) input.signal?.throwIfAborted();
    }
    const graph = this.graph.build(scan);
    this.reacher.begin(files, graph, writeIndex, authority.fns, changed);

    // ---- entry points -------------------------------------------------------------------------------------------
    const entries: EntryPoint[] = [];
    const ids = new Map<string, number>();
    const uniqueId = (base: string) => {
      const n = (ids.get(base) ?? 0) + 1;
      ids.set(base, n);
      return n === 1 ? base : `${base} #${n}`;
    };
    const finish = (e: Omit<EntryPoint, 'writes' | 'viaAuthority' | 'witnesses' | 'bypasses' | 'signature'>, handlers: FnRef[], initFn?: string): EntryPoint => {
      const reached = this.reacher.reached(handlers, initFn);
      const sig = this.signatureOf(must(handlers[handlers.length - 1]));
      return {
        ...e, writes: reached.writes, viaAuthority: reached.viaAuthority,
        ...(reached.bypasses ? { bypasses: reached.bypasses } : {}),
        ...(reached.witnesses ? { witnesses: reached.witnesses } : {}),
        ...(reached.witnessesOmitted !== undefined ? { witnessesOmitted: reached.witnessesOmitted } : {}),
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
      const paths0 = r.router.type === '<decorated>' ? { paths: [''], chain: 'decorated controller' } : mounted.prefixes(r.router);
      const paths = [...new Set(paths0.paths.map(p => joinPath(p, r.path)))].sort();
      const reachable = paths.length > 0;
      const handler = handlerOf(r.handlers);
      const category = this.categoryOf(paths.length > 0 ? paths : [r.path], r.file, handler.file)
        ?? scan.decoratedCategory.get(`${r.file}:${r.line}`) ?? 'rest';
      const routerName = r.router.type === '<decorated>' ? 'controller' : mounted.describe(r.router);
      const why = reachable ? `${r.router.type === '<decorated>' ? 'decorated route' : `router ${routerName} ${paths0.chain}`}`
        : `router ${routerName} is never mounted on an app`;
      const ownPath = joinPath(r.router.prefix ?? '', r.path);
      const id = uniqueId(reachable ? `${r.method} ${paths[0]}` : `${r.method} ${ownPath} (unmounted, ${r.file}:${r.line})`);
      entries.push(finish({
        id, kind: r.kind, category, file: r.file, line: r.line, method: r.method, path: paths[0] ?? ownPath, paths, handler, reachable, why, pack: r.pack,
      }, r.handlers));
    }
    const allOthers = [...others];
    for (const [from, list] of [...graph.initCalls.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const [file, f] = splitKey(from);
      const owner = must(files.get(file)?.fns[f]);
      // what runs once, from the function that sets it up: its own writes made there, and what its set-up calls reach
      allOthers.push({ kind: 'init', category: 'init', event: `first use of ${owner.name}`, handlers: [{ file, f }], file, line: must(list[0]).call.line,
        pack: 'core', fn: from, display: { file, f }, initFn: from });
    }

    const { live, parent: liveParent } = liveness(files, this.modules, graph.edges, routes, allOthers);
    const describeFn = (k: string) => {
      const [file, f] = splitKey(k);
      return f === 0 ? `the top level of ${file}` : `${files.get(file)?.fns[f]?.name ?? '?'} (${file}:${files.get(file)?.fns[f]?.line ?? 1})`;
    };
    const rootOf = (k: string) => {
      let c = k;
      for (let i = 0, p = liveParent.get(c); i < 1000 && p !== undefined; i++, p = liveParent.get(c)) c = p;
      return c;
    };

    const sortedOthers = [...allOthers].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
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

    let count = 0;
    for (const f of files.values()) if (!f.skipped) count++;
    return {
      tree: input.tree, files: count, lines: input.lines, skipped: input.skipped, entryPoints: entries, writes: writeIndex.list,
      ...(this.input.authority.length > 0 ? { authority: authority.found } : {}),
    };
  }

  /** MinHash of a handler's tokens (identifiers and short strings): how renamed routes are matched across trees. */
  private signatureOf(r: FnRef): number[] | undefined {
    const span = this.files.get(r.file)?.fns[r.f]?.span;
    const text = this.texts.get(r.file);
    if (!span || text === undefined) return undefined;
    let known = this.signatures.get(r.file);
    if (known?.text !== text) this.signatures.set(r.file, (known = { text, bySpan: new Map() }));
    const key = `${span[0]}:${span[1]}`;
    if (known.bySpan.has(key)) return known.bySpan.get(key);
    const tokens = text.slice(span[0], span[1]).match(TOKEN_RE) ?? [];
    const sig = tokens.length > 0 ? minhashSignature(tokens.slice(0, MAX_SIG_TOKENS)) : undefined;
    known.bySpan.set(key, sig);
    return sig;
  }
}

function splitKey(k: string): [string, number] {
  const i = k.lastIndexOf(':');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

export { nameMatches };
