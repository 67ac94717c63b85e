import { createHash } from 'node:crypto';
import { ANALYSIS_FORMAT, type Analysis, type Side } from '../../core/authority/analysis';
import { classifyFates } from '../../core/authority/fates';
import type { TreeEntry, TreeRead, TreeReader } from '../../core/tree-read';
import { FACTS_VERSION, must, type FileFacts } from './facts';
import { SideModel } from './model';
import type { LoadedPack } from './packs';
import { shareUnchanged } from './facts-share';
import { extractFacts, Reparser } from './parse';
import { ModuleResolver, parsePackageJson, parseTsConfig, type PackageInfo, type TsConfigInfo } from './resolve';

/**
 * The authority analysis of a review: both trees read through their tree readers (the baseline from git objects, the
 * run as its snapshot), every source file parsed once per content (facts cached by content address), linked into a
 * project model per tree, then the baseline's entry points followed into the run.
 */

/** Bumped when what the analysis finds for the same input can change: cached results of another version are ignored. */
export const ANALYZER_VERSION = `1.0.0+facts${FACTS_VERSION}`;

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const EXCLUDED_DIRS = new Set(['node_modules', 'dist', '.git', 'bower_components']);

export interface SideInput {
  reader: TreeReader;
  /** The tree's content address (a git tree id). */
  tree: string;
}

export interface AnalyzeOptions {
  packs: readonly LoadedPack[];
  /** Declared authority: "symbol" or "path#symbol". */
  authority: readonly string[];
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /** How often the parse reports its count (default about once a second). */
  progressIntervalMs?: number;
  cache?: AnalysisCache;
}

/**
 * Tests are not part of the program: they create their own apps and call handlers directly, so their routes and
 * writes are not the program's entry points.
 */
export function isTestFile(p: string): boolean {
  return /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|e2e)\//.test(p) || /\.(?:test|spec|e2e)\.[cm]?[jt]sx?$/.test(p);
}

/**
 * Where a source file sits that keeps it out of the program unless the program imports it: tests, node_modules,
 * dist. Undefined for an ordinary source file.
 */
export function heldBack(p: string): string | undefined {
  const parts = p.split('/').slice(0, -1);
  const dir = parts.find(x => EXCLUDED_DIRS.has(x));
  if (dir !== undefined) return `${dir}/`;
  if (isTestFile(p)) return 'a test file';
  return undefined;
}

/** Why a file of a tree is not analysed, or undefined when it is ('not-source': not code, or held back). */
export function excludedReason(entry: TreeEntry): string | undefined {
  if (!SOURCE.test(entry.path)) return 'not-source';
  if (entry.path.endsWith('.d.ts') || entry.path.endsWith('.d.mts') || entry.path.endsWith('.d.cts')) return 'not-source';
  if (heldBack(entry.path) !== undefined) return 'not-source';
  return readableReason(entry);
}

function readableReason(entry: TreeEntry): string | undefined {
  if (/\.min\.[cm]?js$/.test(entry.path)) return 'minified bundle (*.min.js)';
  if (entry.kind === 'submodule') return 'submodule (not read)';
  if (entry.size > MAX_SOURCE_BYTES) return `larger than ${MAX_SOURCE_BYTES.toLocaleString('en-US')} bytes`;
  return undefined;
}

/**
 * Caches: per-file facts by content (shared by both trees and across edits), and whole results by analyzer
 * version, rule pack digests, declared authority and tree id. One per process (the CLI) or per language server.
 */
export class AnalysisCache {
  private readonly sides = new Map<string, Side>();
  maxFacts = 50_000;
  /**
   * The facts kept, in bytes of the source they came from (facts take some 2 to 4 times that): a large tree's facts
   * are not all kept once its analysis is done, only the last ones up to this size.
   */
  maxFactBytes = 48 * 1024 * 1024;

  constructor(private readonly facts = new FactStore()) {}

  /** A cache of its own for results, sharing this one's facts. */
  derived(): AnalysisCache {
    return new AnalysisCache(this.facts);
  }

  getFacts(key: string): FileFacts | undefined {
    return this.facts.map.get(key)?.facts;
  }

  /** `bytes`: the size of the source the facts came from. */
  setFacts(key: string, facts: FileFacts, bytes: number): void {
    const store = this.facts;
    const was = store.map.get(key);
    if (was) {
      store.bytes -= was.bytes;
      store.map.delete(key);
    }
    while (store.map.size > 0 && (store.map.size >= this.maxFacts || store.bytes + bytes > this.maxFactBytes)) {
      const [first, oldest] = store.map.entries().next().value as [string, { bytes: number }];
      store.map.delete(first);
      store.bytes -= oldest.bytes;
    }
    store.map.set(key, { facts, bytes });
    store.bytes += bytes;
  }

  private readonly programs = new Map<string, TreeProgram>();

  getProgram(key: string): TreeProgram | undefined {
    return this.programs.get(key);
  }

  setProgram(key: string, program: TreeProgram): void {
    if (this.programs.size >= 4) this.programs.delete(this.programs.keys().next().value as string);
    this.programs.set(key, program);
  }

  getSide(key: string): Side | undefined {
    return this.sides.get(key);
  }

  setSide(key: string, side: Side): void {
    if (this.sides.size >= 16) this.sides.delete(this.sides.keys().next().value as string);
    this.sides.set(key, side);
  }

  get factCount(): number {
    return this.facts.map.size;
  }
}

/** Facts by content key, oldest first, with the size of the sources they came from. */
class FactStore {
  readonly map = new Map<string, { facts: FileFacts; bytes: number }>();
  bytes = 0;
}

const defaultCache = new AnalysisCache();

/** The key a side's result is cached by. */
export function sideKey(tree: string, packs: readonly LoadedPack[], authority: readonly string[]): string {
  const h = createHash('sha256');
  h.update(ANALYZER_VERSION).update('\0').update(tree).update('\0');
  for (const p of packs) h.update(p.pack.id).update(':').update(p.sha256).update('\0');
  for (const a of authority) h.update(a).update('\0');
  return h.digest('hex');
}

function contentKey(entry: TreeEntry, bytes: Buffer): string {
  const ext = entry.path.slice(entry.path.lastIndexOf('.'));
  const id = entry.id ?? createHash('sha1').update(bytes).digest('hex');
  return `${FACTS_VERSION}:${ext}:${id}`;
}


/**
 * What one tree's analysis keeps for the next one (an edit): its listing, its files' facts and texts, configs, what
 * the program took from where tests and builds are, and the model of its last analysis.
 */
export interface TreeProgram {
  /** The program's files, in the order they were taken. */
  facts: Map<string, FileFacts>;
  texts: Map<string, string>;
  skipped: { file: string; reason: string }[];
  entries: Map<string, TreeEntry>;
  /** Configuration files read (tsconfig, jsconfig, package.json): their text. */
  configs: Map<string, string>;
  resolver: ModuleResolver;
  /** Source files held back (tests, dist/, node_modules/), and what the program took of them. */
  held: Map<string, TreeEntry>;
  closure: HeldClosure;
  /** Syntax trees of the files last edited, to parse their next edit incrementally. */
  reparser: Reparser;
  tsconfigs: TsConfigInfo[];
  packages: PackageInfo[];
  model?: SideModel;
}

/** The held-back files the program imports (taken, in order), and those it imports but cannot take (skipped, why). */
interface HeldClosure {
  taken: string[];
  skipped: { file: string; reason: string }[];
}

/**
 * What the program imports from the held-back files, round after round (what those import too): `take` is given each
 * round's files to add to `facts`, and answers false when it cannot (then undefined).
 */
async function closeOverHeld(facts: Map<string, FileFacts>, held: ReadonlyMap<string, TreeEntry>, tsconfigs: readonly TsConfigInfo[], packages: readonly PackageInfo[],
  take: (batch: TreeEntry[]) => Promise<boolean>): Promise<HeldClosure | undefined> {
  const closure: HeldClosure = { taken: [], skipped: [] };
  if (held.size === 0) return closure;
  const pending = new Map(held);
  const resolver = new ModuleResolver(new Set([...facts.keys(), ...held.keys()]), tsconfigs, packages);
  let frontier = [...facts.keys()];
  for (let round = 0; round < 64 && frontier.length > 0; round++) {
    const wanted = new Map<string, string>();
    for (const from of frontier) {
      for (const spec of facts.get(from)?.imports ?? []) {
        const target = resolver.resolve(from, spec);
        if (target !== undefined && pending.has(target) && !facts.has(target) && !wanted.has(target)) wanted.set(target, from);
      }
    }
    const batch: TreeEntry[] = [];
    for (const [target, from] of wanted) {
      const entry = must(pending.get(target));
      pending.delete(target);
      const why = readableReason(entry);
      if (heldBack(target) === 'node_modules/') closure.skipped.push({ file: target, reason: `imported by ${from}, but inside node_modules/ (not analysed)` });
      else if (why) closure.skipped.push({ file: target, reason: why });
      else batch.push(entry);
    }
    if (batch.length === 0) break;
    if (!(await take(batch))) return undefined;
    closure.taken.push(...batch.map(b => b.path).filter(p => facts.has(p)));
    frontier = batch.map(b => b.path).filter(p => facts.has(p));
  }
  return closure;
}

const isConfigName = (base: string) => /^tsconfig.*\.json$/.test(base) || /^jsconfig\.json$/.test(base) || base === 'package.json';

async function readProgram(input: SideInput & AnalyzeOptions, cache: AnalysisCache): Promise<TreeProgram> {
  const signal = input.signal;
  const entries = await input.reader.list();
  signal?.throwIfAborted();
  const skipped: { file: string; reason: string }[] = [];
  const sources: TreeEntry[] = [];
  const configs: TreeEntry[] = [];
  /** Source files held back (tests, dist/, node_modules/): analysed only if the program imports them. */
  const held = new Map<string, TreeEntry>();
  for (const e of entries) {
    if (SOURCE.test(e.path) && !/\.d\.[cm]?ts$/.test(e.path) && heldBack(e.path) !== undefined) held.set(e.path, e);
    const base = e.path.slice(e.path.lastIndexOf('/') + 1);
    const inExcluded = e.path.split('/').slice(0, -1).some(p => EXCLUDED_DIRS.has(p));
    if (!inExcluded && e.kind !== 'submodule' && e.size < 1024 * 1024 && isConfigName(base)) configs.push(e);
    const why = excludedReason(e);
    if (why === 'not-source') continue;
    if (why) skipped.push({ file: e.path, reason: why });
    else sources.push(e);
  }
  input.progress?.(`reading ${sources.length} source files of ${input.reader.name}`);
  const reads = await input.reader.readMany([...sources.map(x => x.path), ...configs.map(c => c.path)], { maxBytes: MAX_SOURCE_BYTES });
  signal?.throwIfAborted();
  const tsconfigs: TsConfigInfo[] = [];
  const packages: PackageInfo[] = [];
  const configTexts = new Map<string, string>();
  configs.forEach((c, i) => {
    const r = reads[sources.length + i];
    if (!r?.ok) return;
    const text = r.bytes.toString('utf8');
    configTexts.set(c.path, text);
    if (c.path.endsWith('package.json')) {
      const p = parsePackageJson(c.path, text);
      if (p) packages.push(p);
    } else {
      const t = parseTsConfig(c.path, text);
      if (t) tsconfigs.push(t);
    }
  });
  const facts = new Map<string, FileFacts>();
  const texts = new Map<string, string>();
  let parsed = 0;
  let seen = 0;
  // On a large tree the parse takes minutes: the count is reported about once a second, not only at the end.
  let reported = performance.now();
  const take = async (batch: readonly TreeEntry[], batchReads: readonly TreeRead[]): Promise<void> => {
    for (let i = 0; i < batch.length; i++) {
      const entry = must(batch[i]);
      const r = must(batchReads[i]);
      seen++;
      if (!r.ok) {
        skipped.push({ file: entry.path, reason: r.message });
        continue;
      }
      if (i % 64 === 0) {
        signal?.throwIfAborted();
        await new Promise<void>(resolve => setImmediate(resolve));
        if (input.progress && performance.now() - reported >= (input.progressIntervalMs ?? 1000)) {
          reported = performance.now();
          input.progress(`parsing ${input.reader.name}: ${seen} of ${sources.length} source files`);
        }
      }
      const k = contentKey(entry, r.bytes);
      let f = cache.getFacts(k);
      const text = r.bytes.toString('utf8');
      if (!f) {
        f = extractFacts(entry.path, text);
        cache.setFacts(k, f, r.bytes.length);
        parsed++;
      }
      if (f.skipped) {
        skipped.push({ file: entry.path, reason: f.skipped });
        continue;
      }
      facts.set(entry.path, f);
      texts.set(entry.path, text);
    }
  };
  await take(sources, reads);
  // what the program imports from where tests and builds usually are is part of the program: analysed too
  const closure = must(await closeOverHeld(facts, held, tsconfigs, packages, async batch => {
    await take(batch, await input.reader.readMany(batch.map(b => b.path), { maxBytes: MAX_SOURCE_BYTES }));
    return true;
  }));
  skipped.push(...closure.skipped);
  input.progress?.(`parsed ${parsed} files of ${input.reader.name} (${sources.length - parsed} known already); linking ${facts.size} modules`);
  return {
    facts, texts, skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)), entries: new Map(entries.map(e => [e.path, e])), configs: configTexts,
    resolver: new ModuleResolver(new Set(facts.keys()), tsconfigs, packages), held, closure, reparser: new Reparser(), tsconfigs, packages,
  };
}

/**
 * The program with some files' text replaced (unsaved documents), when that changes only what those files say: their
 * facts (parsed again, or as last analysed when the text is the one the model holds). Undefined when the edit changes
 * what the program is made of (a file added, emptied into a skipped one, a configuration, what it takes from held-back
 * files): such an edit is analysed as a tree of its own.
 */
async function editedProgram(program: TreeProgram, overrides: ReadonlyMap<string, string>): Promise<{ facts: Map<string, FileFacts>; texts: Map<string, string> } | undefined> {
  const facts = new Map(program.facts);
  const texts = new Map(program.texts);
  for (const [file, text] of overrides) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const entry = program.entries.get(file);
    if (program.configs.has(file)) {
      if (program.configs.get(file) !== text) return undefined;
      continue;
    }
    if (program.facts.has(file)) {
      if (program.texts.get(file) === text) continue;
      if (Buffer.byteLength(text) > MAX_SOURCE_BYTES) return undefined;
      const known = program.model?.current(file);
      let f = known?.text === text ? known.facts : undefined;
      if (!f) {
        f = extractFacts(file, text, program.reparser);
        if (f.skipped) return undefined;
        // what did not change stays the same objects: what was computed from it is kept (./facts-share.ts)
        const was = known?.facts ?? program.facts.get(file);
        if (was) f = shareUnchanged(was, f);
      }
      facts.set(file, f);
      texts.set(file, text);
      continue;
    }
    const notSource = !SOURCE.test(file) || /\.d\.[cm]?ts$/.test(file);
    if (entry === undefined) {
      // a new file: unless it is neither source nor configuration, the program is not the same
      if (notSource && !(isConfigName(base) && !file.split('/').slice(0, -1).some(p => EXCLUDED_DIRS.has(p)))) continue;
      return undefined;
    }
    // a file of the tree the program does not read: not source, or held back (unless imported: below); else skipped
    if (notSource && !isConfigName(base)) continue;
    if (!notSource && heldBack(file) !== undefined) continue;
    if (isConfigName(base) && file.split('/').slice(0, -1).some(p => EXCLUDED_DIRS.has(p))) continue;
    return undefined;
  }
  if (program.held.size > 0) {
    // what the program takes from held-back files, again: only files it took before can be taken without reading
    const start = new Map([...facts].filter(([file]) => !program.held.has(file)));
    const closure = await closeOverHeld(start, program.held, program.tsconfigs, program.packages, batch => {
      for (const e of batch) {
        const f = facts.get(e.path);
        if (!f) return Promise.resolve(false);
        start.set(e.path, f);
      }
      return Promise.resolve(true);
    });
    if (closure === undefined || JSON.stringify(closure) !== JSON.stringify(program.closure)) return undefined;
  }
  return { facts, texts };
}

/** A reader of the tree with some files' text replaced (and added). */
function overlayReader(reader: TreeReader, overrides: ReadonlyMap<string, string>): TreeReader {
  const bytes = (p: string) => (overrides.has(p) ? Buffer.from(overrides.get(p) ?? '', 'utf8') : undefined);
  const overlay: TreeReader = {
    name: reader.name,
    async list() {
      const entries = await reader.list();
      const listed = new Set(entries.map(e => e.path));
      const out: TreeEntry[] = entries.map(e => {
        const b = bytes(e.path);
        return b === undefined ? e : { path: e.path, size: b.length, kind: 'file' };
      });
      for (const [p, t] of overrides) if (!listed.has(p)) out.push({ path: p, size: Buffer.byteLength(t), kind: 'file' });
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    read(rel, options) {
      const b = bytes(rel);
      return b === undefined ? reader.read(rel, options) : Promise.resolve({ ok: true, path: rel, bytes: b, size: b.length, truncated: false });
    },
    readMany(rels, options) {
      return Promise.all(rels.map(r => overlay.read(r, options)));
    },
  };
  return overlay;
}

/**
 * One tree's authority map. `overrides` replaces files' text (documents open in an editor, not yet saved): the tree
 * as last read is reused (nothing is read again), the changed files are parsed, and the tree's model computes again
 * only what they feed into (./model.ts); the result is what a cold analysis of the edited tree gives. Such a result
 * is not cached. The model is kept for the next edit (some 80 MB for an 80k-line tree) unless `keepModel` is false.
 */
export async function analyzeTree(input: SideInput & AnalyzeOptions & { overrides?: ReadonlyMap<string, string>; keepModel?: boolean }): Promise<Side> {
  const cache = input.cache ?? defaultCache;
  const key = sideKey(input.tree, input.packs, input.authority);
  const overrides = input.overrides !== undefined && input.overrides.size > 0 ? input.overrides : undefined;
  if (!overrides) {
    const hit = cache.getSide(key);
    if (hit) return hit;
  }
  let program = cache.getProgram(key);
  if (!program) {
    program = await readProgram(input, cache);
    // kept for the next edit; a tree whose model is not kept is not edited (the baseline): its result is enough
    if (input.keepModel !== false) cache.setProgram(key, program);
  }
  const files = overrides ? await editedProgram(program, overrides) : { facts: program.facts, texts: program.texts };
  if (!files) {
    // the edit changes what the program is made of: the edited tree, analysed as a tree of its own
    const h = createHash('sha256');
    for (const [file, text] of [...(overrides ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(file).update('\0').update(text).update('\0');
    const { overrides: _o, ...rest } = input;
    const side = await analyzeTree({ ...rest, reader: overlayReader(input.reader, overrides ?? new Map()), tree: `${input.tree}+${h.digest('hex')}`, cache: cache.derived() });
    return { ...side, tree: input.tree };
  }
  let lines = 0;
  for (const f of files.facts.values()) lines += f.lines;
  const run = {
    tree: input.tree, lines, skipped: program.skipped, name: input.reader.name, ...(input.signal ? { signal: input.signal } : {}),
    ...(input.progress ? { progress: input.progress } : {}), ...(input.progressIntervalMs !== undefined ? { progressIntervalMs: input.progressIntervalMs } : {}),
  };
  let side: Side;
  const model = program.model;
  if (model?.accepts(files.facts)) {
    input.signal?.throwIfAborted();
    model.update(files.facts, files.texts);
    try {
      side = await model.analyse(run);
    } catch (e) {
      program.model = undefined;
      throw e;
    }
  } else {
    const fresh = new SideModel({ files: files.facts, resolver: program.resolver, packs: input.packs.map(p => p.pack), authority: input.authority, texts: files.texts });
    side = await fresh.analyse(run);
    program.model = fresh;
  }
  if (input.keepModel === false) program.model = undefined;
  if (!overrides) cache.setSide(key, side);
  return side;
}

/** Both trees and the fates of the baseline's entry points: `seb-review/analysis@1`. */
export async function analyzeSides(input: { baseline: SideInput; run: SideInput } & AnalyzeOptions): Promise<Analysis> {
  const common: AnalyzeOptions = {
    packs: input.packs, authority: input.authority,
    ...(input.signal ? { signal: input.signal } : {}), ...(input.progress ? { progress: input.progress } : {}), ...(input.progressIntervalMs !== undefined ? { progressIntervalMs: input.progressIntervalMs } : {}), ...(input.cache ? { cache: input.cache } : {}),
  };
  // the baseline is never edited (its documents are read-only): its model is not kept
  const baseline = await analyzeTree({ ...input.baseline, ...common, keepModel: false });
  const run = await analyzeTree({ ...input.run, ...common });
  return {
    format: ANALYSIS_FORMAT,
    analyzer: { version: ANALYZER_VERSION, packs: input.packs.map(p => ({ id: p.pack.id, version: p.pack.version, sha256: p.sha256 })) },
    authority: [...input.authority],
    baseline, run, fates: classifyFates(baseline, run),
  };
}
