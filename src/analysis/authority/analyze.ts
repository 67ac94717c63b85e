import { createHash } from 'node:crypto';
import { ANALYSIS_FORMAT, type Analysis, type Side } from '../../core/authority/analysis';
import { classifyFates } from '../../core/authority/fates';
import type { TreeEntry, TreeRead, TreeReader } from '../../core/tree-read';
import { FACTS_VERSION, must, type FileFacts } from './facts';
import { buildSide, type LinkState } from './model';
import type { LoadedPack } from './packs';
import { extractFacts } from './parse';
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
  private readonly facts = new Map<string, FileFacts>();
  private readonly sides = new Map<string, Side>();
  maxFacts = 50_000;

  getFacts(key: string): FileFacts | undefined {
    return this.facts.get(key);
  }

  setFacts(key: string, facts: FileFacts): void {
    if (this.facts.size >= this.maxFacts) this.facts.delete(this.facts.keys().next().value as string);
    this.facts.set(key, facts);
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
    return this.facts.size;
  }
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


/** What one tree's analysis keeps for the next one (an edit): its files' facts, configs, and the linker's state. */
export interface TreeProgram {
  facts: Map<string, FileFacts>;
  texts: Map<string, string>;
  lines: Map<string, number>;
  skipped: { file: string; reason: string }[];
  tsconfigs: TsConfigInfo[];
  packages: PackageInfo[];
  link?: LinkState;
}

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
    if (!inExcluded && e.kind !== 'submodule' && e.size < 1024 * 1024 && (/^tsconfig.*\.json$/.test(base) || /^jsconfig\.json$/.test(base) || base === 'package.json')) configs.push(e);
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
  configs.forEach((c, i) => {
    const r = reads[sources.length + i];
    if (!r?.ok) return;
    const text = r.bytes.toString('utf8');
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
  const lines = new Map<string, number>();
  let parsed = 0;
  const take = async (batch: readonly TreeEntry[], batchReads: readonly TreeRead[]): Promise<void> => {
    for (let i = 0; i < batch.length; i++) {
      const entry = must(batch[i]);
      const r = must(batchReads[i]);
      if (!r.ok) {
        skipped.push({ file: entry.path, reason: r.message });
        continue;
      }
      if (i % 64 === 0) {
        signal?.throwIfAborted();
        await new Promise<void>(resolve => setImmediate(resolve));
      }
      const k = contentKey(entry, r.bytes);
      let f = cache.getFacts(k);
      const text = r.bytes.toString('utf8');
      if (!f) {
        f = extractFacts(entry.path, text);
        cache.setFacts(k, f);
        parsed++;
      }
      if (f.skipped) {
        skipped.push({ file: entry.path, reason: f.skipped });
        continue;
      }
      lines.set(entry.path, f.lines);
      facts.set(entry.path, f);
      texts.set(entry.path, text);
    }
  };
  await take(sources, reads);
  // what the program imports from where tests and builds usually are is part of the program: analysed too
  if (held.size > 0) {
    const resolver = new ModuleResolver(new Set([...facts.keys(), ...held.keys()]), tsconfigs, packages);
    let frontier = [...facts.keys()];
    for (let round = 0; round < 64 && frontier.length > 0; round++) {
      const wanted = new Map<string, string>();
      for (const from of frontier) {
        for (const spec of facts.get(from)?.imports ?? []) {
          const target = resolver.resolve(from, spec);
          if (target !== undefined && held.has(target) && !facts.has(target) && !wanted.has(target)) wanted.set(target, from);
        }
      }
      const batch: TreeEntry[] = [];
      for (const [target, from] of wanted) {
        const entry = must(held.get(target));
        held.delete(target);
        const why = readableReason(entry);
        if (heldBack(target) === 'node_modules/') skipped.push({ file: target, reason: `imported by ${from}, but inside node_modules/ (not analysed)` });
        else if (why) skipped.push({ file: target, reason: why });
        else batch.push(entry);
      }
      if (batch.length === 0) break;
      await take(batch, await input.reader.readMany(batch.map(b => b.path), { maxBytes: MAX_SOURCE_BYTES }));
      frontier = batch.map(b => b.path).filter(p => facts.has(p));
    }
  }
  input.progress?.(`parsed ${parsed} files of ${input.reader.name} (${sources.length - parsed} known already); linking ${facts.size} modules`);
  return { facts, texts, lines, skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)), tsconfigs, packages };
}

/**
 * One tree's authority map. `overrides` replaces files' text (documents open in an editor, not yet saved): the tree
 * as last read is reused (nothing is read again), the changed files are parsed, and the linker starts from where the
 * tree's last analysis ended. Such a result is not cached.
 */
export async function analyzeTree(input: SideInput & AnalyzeOptions & { overrides?: ReadonlyMap<string, string> }): Promise<Side> {
  const cache = input.cache ?? defaultCache;
  const key = sideKey(input.tree, input.packs, input.authority);
  const edited = input.overrides !== undefined && input.overrides.size > 0;
  if (!edited) {
    const hit = cache.getSide(key);
    if (hit) return hit;
  }
  let program = cache.getProgram(key);
  if (!program) {
    program = await readProgram(input, cache);
    cache.setProgram(key, program);
  }
  let facts = program.facts;
  let lines = program.lines;
  let texts = program.texts;
  const changed = new Set<string>();
  if (edited) {
    facts = new Map(program.facts);
    lines = new Map(program.lines);
    texts = new Map(program.texts);
    for (const [file, text] of input.overrides ?? []) {
      if (excludedReason({ path: file, size: Buffer.byteLength(text), kind: 'file' }) !== undefined) continue;
      const f = extractFacts(file, text);
      changed.add(file);
      if (f.skipped) {
        facts.delete(file);
        lines.delete(file);
      } else {
        facts.set(file, f);
        lines.set(file, f.lines);
        texts.set(file, text);
      }
    }
  }
  const resolver = new ModuleResolver(new Set(facts.keys()), program.tsconfigs, program.packages);
  let total = 0;
  for (const n of lines.values()) total += n;
  const out: { link?: LinkState } = {};
  const side = buildSide({
    files: facts, resolver, packs: input.packs.map(p => p.pack), authority: input.authority, tree: input.tree, lines: total,
    skipped: program.skipped, texts, ...(input.signal ? { signal: input.signal } : {}),
    ...(program.link ? { warm: { state: program.link, changed } } : {}), out,
  });
  if (!edited) {
    if (out.link) program.link = out.link;
    cache.setSide(key, side);
  }
  return side;
}

/** Both trees and the fates of the baseline's entry points: `seb-review/analysis@1`. */
export async function analyzeSides(input: { baseline: SideInput; run: SideInput } & AnalyzeOptions): Promise<Analysis> {
  const common: AnalyzeOptions = {
    packs: input.packs, authority: input.authority,
    ...(input.signal ? { signal: input.signal } : {}), ...(input.progress ? { progress: input.progress } : {}), ...(input.cache ? { cache: input.cache } : {}),
  };
  const baseline = await analyzeTree({ ...input.baseline, ...common });
  const run = await analyzeTree({ ...input.run, ...common });
  return {
    format: ANALYSIS_FORMAT,
    analyzer: { version: ANALYZER_VERSION, packs: input.packs.map(p => ({ id: p.pack.id, version: p.pack.version, sha256: p.sha256 })) },
    authority: [...input.authority],
    baseline, run, fates: classifyFates(baseline, run),
  };
}
