import type { Side, Write } from '../../core/authority/analysis';
import { must, type FileFacts, type Guard } from './facts';
import type { FnRef, WriteHit } from './registrations';

/** The declared authority's functions, and the writes as listed: ids, the function each is attributed to. */

export interface WriteRef { id: string; guards?: Guard[]; init?: true }

export interface WriteIndex {
  list: Write[];
  /** "file:f" -> the writes made in that function. */
  byFn: Map<string, WriteRef[]>;
  byId: Map<string, Write>;
}

const isAnonymous = (name: string) => name === 'anonymous' || name.endsWith(' callback') || name === 'default';

/** The nearest named function: a write in a callback is attributed to the function that passes the callback. */
function ownerName(files: ReadonlyMap<string, FileFacts>, r: FnRef): { name: string; line: number } {
  const fns = must(files.get(r.file)).fns;
  let f = r.f;
  for (let fact = fns[f]; fact && f > 0 && isAnonymous(fact.name) && fact.parent > 0; fact = fns[f]) f = fact.parent;
  const fact = must(fns[f]);
  return { name: f === 0 ? '<module>' : fact.name, line: fact.line };
}

export function listWrites(files: ReadonlyMap<string, FileFacts>, writes: readonly WriteHit[]): WriteIndex {
  const list: Write[] = [];
  const byFn = new Map<string, WriteRef[]>();
  const seen = new Map<string, number>();
  const sorted = [...writes].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.target.localeCompare(b.target));
  const dedupe = new Set<string>();
  for (const w of sorted) {
    const k = `${w.file}:${w.line}:${w.kind}:${w.target}`;
    if (dedupe.has(k)) continue;
    dedupe.add(k);
    const owner = ownerName(files, { file: w.file, f: w.f });
    const base = `${w.kind}:${w.target}@${w.file}#${owner.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}#${n}`;
    list.push({ id, kind: w.kind, target: w.target, file: w.file, line: w.line, function: owner.name, functionLine: owner.line, pack: w.pack });
    const fk = `${w.file}:${w.f}`;
    byFn.set(fk, [...(byFn.get(fk) ?? []), { id, ...(w.guards ? { guards: w.guards } : {}), ...(w.init ? { init: true as const } : {}) }]);
  }
  return { list, byFn, byId: new Map(list.map(w => [w.id, w])) };
}

/** The functions of the declared authority ("symbol" or "path#symbol"), and what was found of each. */
export function findAuthority(files: ReadonlyMap<string, FileFacts>, authority: readonly string[]): { fns: Set<string>; found: NonNullable<Side['authority']> } {
  const specs = authority.map(a => {
    const hash = a.lastIndexOf('#');
    return hash > 0 ? { name: a, file: a.slice(0, hash), symbol: a.slice(hash + 1) } : { name: a, file: undefined, symbol: a };
  });
  const fns = new Set<string>();
  const found: NonNullable<Side['authority']> = [];
  for (const spec of specs) {
    let at: { file: string; line: number } | undefined;
    for (const [file, facts] of files) {
      if (spec.file !== undefined && file !== spec.file) continue;
      facts.fns.forEach((fn, f) => {
        if (f === 0) return;
        if (fn.name === spec.symbol || fn.name.endsWith(`.${spec.symbol}`)) {
          fns.add(`${file}:${f}`);
          at ??= { file, line: fn.line };
        }
      });
    }
    found.push(at ? { name: spec.name, file: at.file, line: at.line, found: true } : { name: spec.name, found: false });
  }
  return { fns, found };
}
