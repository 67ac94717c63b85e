import path from 'node:path';
import ts from 'typescript';

/**
 * Module resolution inside one tree, the way TypeScript and bundlers resolve a project's own modules: relative
 * specifiers with or without extensions (`./x.js` -> `./x.ts`), folder index files, `compilerOptions.paths` and
 * `baseUrl` of the nearest tsconfig, and the tree's own workspace packages by their package.json name. Anything else
 * is an external module, known to the analysis only by its name. Nothing here reads outside the given file list.
 */

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface TsConfigInfo {
  dir: string;
  baseUrl?: string;
  paths?: Record<string, string[]>;
}

/** Reads a tsconfig's `baseUrl` and `paths` (comments and trailing commas allowed). `extends` is not followed. */
export function parseTsConfig(file: string, text: string): TsConfigInfo | undefined {
  const parsed = ts.parseConfigFileTextToJson(file, text);
  if (parsed.error || typeof parsed.config !== 'object' || parsed.config === null) return undefined;
  const options = (parsed.config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } }).compilerOptions ?? {};
  const dir = path.posix.dirname(file);
  const info: TsConfigInfo = { dir: dir === '.' ? '' : dir };
  if (typeof options.baseUrl === 'string') info.baseUrl = path.posix.normalize(path.posix.join(info.dir, options.baseUrl));
  if (options.paths && typeof options.paths === 'object') {
    const paths: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(options.paths as Record<string, unknown>)) {
      if (Array.isArray(v)) paths[k] = v.filter((x): x is string => typeof x === 'string');
    }
    info.paths = paths;
  }
  return info;
}

export interface PackageInfo {
  dir: string;
  name: string;
  entry?: string;
}

export function parsePackageJson(file: string, text: string): PackageInfo | undefined {
  try {
    const json = JSON.parse(text) as { name?: unknown; main?: unknown; module?: unknown; types?: unknown; source?: unknown };
    if (typeof json.name !== 'string') return undefined;
    const dir = path.posix.dirname(file);
    const entry = [json.source, json.module, json.main, json.types].find((x): x is string => typeof x === 'string');
    return { dir: dir === '.' ? '' : dir, name: json.name, ...(entry ? { entry } : {}) };
  } catch {
    return undefined;
  }
}

export class ModuleResolver {
  private readonly cache = new Map<string, string | null>();
  private readonly configs: TsConfigInfo[];
  private readonly packages = new Map<string, PackageInfo>();

  constructor(private readonly files: ReadonlySet<string>, configs: readonly TsConfigInfo[], packages: readonly PackageInfo[]) {
    // nearest first: the longest folder wins
    this.configs = [...configs].sort((a, b) => b.dir.length - a.dir.length);
    for (const p of packages) if (!this.packages.has(p.name)) this.packages.set(p.name, p);
  }

  /** The tree file a specifier names from `from`, or undefined for an external module. */
  resolve(from: string, spec: string): string | undefined {
    const key = `${from}\0${spec}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.compute(from, spec);
    this.cache.set(key, r ?? null);
    return r;
  }

  private compute(from: string, spec: string): string | undefined {
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
      return this.file(path.posix.join(path.posix.dirname(from), spec));
    }
    if (spec.startsWith('/') || spec.startsWith('node:')) return undefined;
    const config = this.configs.find(c => c.dir === '' || from.startsWith(`${c.dir}/`));
    if (config?.paths) {
      const base = config.baseUrl ?? config.dir;
      for (const [pattern, targets] of Object.entries(config.paths)) {
        const star = pattern.indexOf('*');
        let rest: string | undefined;
        if (star < 0) rest = pattern === spec ? '' : undefined;
        else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1) {
          rest = spec.slice(star, spec.length - (pattern.length - star - 1));
        }
        if (rest === undefined) continue;
        for (const t of targets) {
          const hit = this.file(path.posix.join(base, t.replace('*', rest)));
          if (hit) return hit;
        }
      }
    }
    if (config?.baseUrl !== undefined) {
      const hit = this.file(path.posix.join(config.baseUrl, spec));
      if (hit) return hit;
    }
    // the tree's own packages (a monorepo's workspaces)
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] ?? spec;
    const pkg = this.packages.get(name);
    if (pkg) {
      const sub = spec.slice(name.length + 1);
      if (sub) return this.file(path.posix.join(pkg.dir, sub)) ?? this.file(path.posix.join(pkg.dir, 'src', sub));
      return (pkg.entry ? this.file(path.posix.join(pkg.dir, pkg.entry)) : undefined)
        ?? this.file(path.posix.join(pkg.dir, 'src', 'index')) ?? this.file(path.posix.join(pkg.dir, 'index'));
    }
    return undefined;
  }

  private file(p: string): string | undefined {
    const n = path.posix.normalize(p);
    if (n.startsWith('../') || n === '..') return undefined;
    const clean = n.replace(/^\.\//, '');
    if (this.files.has(clean) && EXTENSIONS.some(e => clean.endsWith(e))) return clean;
    const stripped = clean.replace(/\.(?:[cm]?js|jsx)$/, '');
    for (const e of EXTENSIONS) if (this.files.has(stripped + e)) return stripped + e;
    for (const e of EXTENSIONS) if (this.files.has(`${clean}/index${e}`)) return `${clean}/index${e}`;
    return undefined;
  }
}

/** `node:fs` and `fs` are one module; `fs/promises` stays itself. */
export function normaliseExternal(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}
