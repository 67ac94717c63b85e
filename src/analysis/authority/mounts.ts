import type { RulePack } from '../../core/authority/rule-pack';
import type { FileFacts } from './facts';
import { valKey } from './linker';
import { joinPath, type MountReg, type Obj } from './registrations';

/** Full mounted paths of routers (a router mounted under '/api' on an app), and the categories the packs give routes. */

/** The line of an Obj's (or a mount's) `at`: a call's line as the file is now, or the line it holds. */
export function lineAt(files: ReadonlyMap<string, FileFacts>, file: string, at: number): number {
  return at >= 0 ? files.get(file)?.calls[at]?.line ?? 1 : -at;
}

export class MountPaths {
  private readonly mountsOf = new Map<string, MountReg[]>();
  private readonly memo = new Map<string, { paths: string[]; chain: string }>();

  constructor(mounts: readonly MountReg[], private readonly rootTypes: ReadonlySet<string>, private readonly files: ReadonlyMap<string, FileFacts>) {
    for (const m of mounts) {
      const k = valKey(m.child);
      this.mountsOf.set(k, [...(this.mountsOf.get(k) ?? []), m]);
    }
  }

  describe(o: Obj): string {
    return `${o.name ? `${o.name} ` : ''}${o.type} (${o.file}:${lineAt(this.files, o.file, o.at)})`;
  }

  /** Every full path an object is mounted at, and how (the first chain found). */
  prefixes(o: Obj, seen = new Set<string>()): { paths: string[]; chain: string } {
    const k = valKey(o);
    const hit = this.memo.get(k);
    if (hit) return hit;
    if (seen.has(k) || seen.size > 256) return { paths: [], chain: '' };
    seen.add(k);
    const own = o.prefix ?? '';
    let result: { paths: string[]; chain: string };
    // a value typed only by its declaration (a parameter `app: FastifyInstance`) is not a program's root: only one
    // that is created is
    if (o.type === '<decorated>' || (this.rootTypes.has(o.type) && !this.mountsOf.has(k) && !o.site.startsWith('annot:'))) {
      result = { paths: [joinPath(own)], chain: `${o.type} created at ${o.file}:${lineAt(this.files, o.file, o.at)}` };
    } else {
      const out = new Set<string>();
      let chain = '';
      for (const m of this.mountsOf.get(k) ?? []) {
        const parent = this.prefixes(m.parent, seen);
        for (const p of parent.paths) if (out.size < 32) out.add(joinPath(p, m.prefix, own));
        if (!chain && parent.paths.length > 0) chain = `mounted at '${m.prefix || '/'}' (${m.file}:${lineAt(this.files, m.file, m.at)}) on ${parent.chain}`;
      }
      result = { paths: [...out].sort(), chain };
    }
    seen.delete(k);
    this.memo.set(k, result);
    return result;
  }
}

/** The category the first matching pack rule gives a route (by its paths, or by its or its handler's file). */
export function categoryRules(packs: readonly RulePack[]): (paths: readonly string[], file: string, handlerFile: string) => string | undefined {
  const rules = packs.flatMap(p => p.categories.map(c => ({ category: c.category, path: c.path ? new RegExp(c.path, 'u') : undefined, file: c.file ? new RegExp(c.file, 'u') : undefined })));
  return (paths, file, handlerFile) => {
    // (pack expressions are checked to match in linear time; text longer than any real path is not matched at all)
    const short = (t: string) => t.length <= 2048;
    for (const c of rules) {
      const re = c.path;
      if (re && paths.some(p => short(p) && re.test(p))) return c.category;
      const fre = c.file;
      if (fre && ((short(file) && fre.test(file)) || (short(handlerFile) && fre.test(handlerFile)))) return c.category;
    }
    return undefined;
  };
}
