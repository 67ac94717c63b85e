import { type EntryPoint, type Fate, type FateRecord, type Side, type Write } from './analysis';
import { signatureSimilarity } from './similarity';

export { minhashSignature, signatureSimilarity } from './similarity';

/**
 * What became of each baseline entry point in the run (`Analysis.fates`): kept, moved, renamed, hollowed, unreachable
 * or deleted. Pure: two analysed sides in, one record per baseline entry out, in the baseline's entry order.
 *
 * - Entry points are matched by key, never by line. An HTTP route's keys are its method with each full mounted path
 *   (a route mounted at two prefixes has two keys, and matches a run entry when any key does). Paths are compared with
 *   repeated and trailing slashes dropped and parameter names erased (`/docs/:slug` = `/docs/:id`). Any other entry
 *   point's key is its handler identity: kind, event and handler name; when several entries share that key, the one
 *   registered in the same file wins (the file is a tie-breaker, not part of the key).
 * - Writes are compared across trees by (kind, target), not by id: ids name files, and a moved write is the same write.
 * - A baseline entry without a key match may have been renamed: a new run entry (one no baseline key matches) of the
 *   same kind and method whose handler's MinHash signature agrees in at least RENAME_THRESHOLD of its positions (without
 *   signatures: the same handler name in the same file). The most similar pair is taken first; ties go to the earlier
 *   baseline entry, then the earlier run entry; one run entry renames at most one baseline entry.
 * - A match is hollowed when the run entry is reachable, the baseline entry reached writes and the run reaches none of
 *   their targets; unreachable when every match is dead code.
 */

/** Handler similarity (fraction of equal MinHash positions) at or above which a new run entry is a rename. */
export const RENAME_THRESHOLD = 0.6;

/** The write ids an entry point reaches. The default is `entry.writes`; a caller may narrow or widen it. */
export type WritesOf = (entry: EntryPoint, side: 'baseline' | 'run') => readonly string[];

const defaultWritesOf: WritesOf = entry => entry.writes;

/** A route: an HTTP method with at least one path. */
function routePaths(e: EntryPoint): string[] {
  if (e.method === undefined) return [];
  if (e.paths.length > 0) return e.paths;
  return e.path !== undefined ? [e.path] : [];
}

/** A path as compared: no repeated or trailing slashes, parameter names erased. */
export function normaliseRoutePath(p: string): string {
  let s = p.replace(/\/{2,}/g, '/');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  if (s === '') s = '/';
  return s.replace(/(^|\/):[A-Za-z_$][\w$]*/g, '$1:');
}

/** The keys an entry point is matched by: one per mounted path for a route, else its handler identity. */
export function entryKeys(e: EntryPoint): string[] {
  const paths = routePaths(e);
  if (paths.length > 0) {
    const method = (e.method ?? '').toUpperCase();
    return [...new Set(paths.map(p => `route ${method} ${normaliseRoutePath(p)}`))];
  }
  return [`handler ${e.kind} ${e.event ?? ''} ${e.handler.name}`];
}

/** How an entry point is named in a note: "POST /api/docs" or "ws-handler message handler onMessage". */
export function entryLabel(e: EntryPoint): string {
  const paths = routePaths(e);
  if (paths.length > 0) {
    const more = paths.length > 1 ? ` (+${paths.length - 1} more path${paths.length > 2 ? 's' : ''})` : '';
    return `${(e.method ?? '').toUpperCase()} ${paths[0] ?? ''}${more}`;
  }
  return `${e.kind} ${e.event !== undefined ? `${e.event} ` : ''}handler ${e.handler.name}`;
}

interface WriteIndex {
  /** The (kind, target) key of a write id. */
  key(id: string): string;
  /** The target of a write id, for notes. */
  target(id: string): string;
}

function writeIndex(side: Side): WriteIndex {
  const byId = new Map<string, Write>(side.writes.map(w => [w.id, w]));
  return {
    key: id => {
      const w = byId.get(id);
      return w !== undefined ? `${w.kind}\u0000${w.target}` : `id\u0000${id}`;
    },
    target: id => byId.get(id)?.target ?? id,
  };
}

const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** For each baseline entry, the indices (in run order) of the run entries its keys match. */
function keyMatches(baseline: readonly EntryPoint[], run: readonly EntryPoint[]): number[][] {
  const runByKey = new Map<string, number[]>();
  run.forEach((r, i) => {
    for (const k of entryKeys(r)) {
      const list = runByKey.get(k);
      if (list) list.push(i);
      else runByKey.set(k, [i]);
    }
  });
  const handlerGroups = new Map<string, EntryPoint[]>();
  for (const b of baseline) {
    if (routePaths(b).length > 0) continue;
    const k = entryKeys(b)[0] ?? '';
    const group = handlerGroups.get(k);
    if (group) group.push(b);
    else handlerGroups.set(k, [b]);
  }
  return baseline.map(b => {
    const keys = entryKeys(b);
    const all = unique(keys.flatMap(k => runByKey.get(k) ?? [])).sort((x, y) => x - y);
    if (routePaths(b).length > 0) return all;
    // Handler identity: the same file wins; else any match not in the file of another baseline entry with this key.
    const same = all.filter(i => run[i]?.file === b.file);
    if (same.length > 0) return same;
    const otherFiles = new Set((handlerGroups.get(keys[0] ?? '') ?? []).filter(o => o !== b).map(o => o.file));
    return all.filter(i => !otherFiles.has(run[i]?.file ?? ''));
  });
}

interface Rename {
  run: number;
  similarity: number;
  byName: boolean;
}

/** One-to-one renames for the baseline entries without a key match, most similar pair first. */
function findRenames(baseline: readonly EntryPoint[], run: readonly EntryPoint[], matches: readonly number[][]): Map<number, Rename> {
  const claimed = new Set(matches.flat());
  const pairs: (Rename & { base: number })[] = [];
  baseline.forEach((b, bi) => {
    if ((matches[bi] ?? []).length > 0) return;
    run.forEach((r, ri) => {
      if (claimed.has(ri) || r.kind !== b.kind || r.method?.toUpperCase() !== b.method?.toUpperCase()) return;
      const sim = signatureSimilarity(b.signature, r.signature);
      if (sim !== undefined) {
        if (sim >= RENAME_THRESHOLD) pairs.push({ base: bi, run: ri, similarity: sim, byName: false });
      } else if (b.handler.name === r.handler.name && (b.file === r.file || b.handler.file === r.handler.file)) {
        pairs.push({ base: bi, run: ri, similarity: 1, byName: true });
      }
    });
  });
  pairs.sort((x, y) => y.similarity - x.similarity || x.base - y.base || x.run - y.run);
  const out = new Map<number, Rename>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (out.has(p.base) || used.has(p.run)) continue;
    out.set(p.base, { run: p.run, similarity: p.similarity, byName: p.byName });
    used.add(p.run);
  }
  return out;
}

const list = (xs: readonly string[]) => xs.join(', ');

/** Classifies every baseline entry point's fate in the run (see the module comment). */
export function classifyFates(baseline: Side, run: Side, writesOf: WritesOf = defaultWritesOf): FateRecord[] {
  const bw = writeIndex(baseline);
  const rw = writeIndex(run);
  const matches = keyMatches(baseline.entryPoints, run.entryPoints);
  const renames = findRenames(baseline.entryPoints, run.entryPoints, matches);

  return baseline.entryPoints.map((b, bi) => {
    const baseWrites = unique(writesOf(b, 'baseline'));
    const rename = renames.get(bi);
    const matched = (rename !== undefined ? [rename.run] : (matches[bi] ?? []))
      .map(i => run.entryPoints[i])
      .filter((r): r is EntryPoint => r !== undefined);
    const record = (fate: Fate, note: string, lost: readonly string[], gained: readonly string[]): FateRecord =>
      ({ baseline: b.id, fate, run: matched.map(r => r.id), lostWrites: [...lost], gainedWrites: [...gained], note });

    if (matched.length === 0) return record('deleted', `no ${entryLabel(b)} in the run`, baseWrites, []);

    const renamedTo = (r: EntryPoint) => rename === undefined ? '' :
      `renamed from ${entryLabel(b)} to ${entryLabel(r)}${r.file !== b.file ? ` in ${r.file}` : ''} (${rename.byName
        ? `same handler ${r.handler.name}` : `similarity ${rename.similarity.toFixed(2)}`})`;

    const live = matched.filter(r => r.reachable);
    if (live.length === 0) {
      const first = matched[0] as EntryPoint;
      const why = first.why.trim() !== '' ? first.why : `${entryLabel(first)} in ${first.file} is not reachable`;
      return record('unreachable', rename !== undefined ? `${renamedTo(first)}, which is unreachable: ${why}` : why, baseWrites, []);
    }

    const baseKeys = new Set(baseWrites.map(id => bw.key(id)));
    const runWrites = unique(live.flatMap(r => writesOf(r, 'run')));
    const runKeys = new Set(runWrites.map(id => rw.key(id)));
    const lost = baseWrites.filter(id => !runKeys.has(bw.key(id)));
    const gained = runWrites.filter(id => !baseKeys.has(rw.key(id)));
    const lostTargets = unique(lost.map(id => bw.target(id)));
    const runFiles = unique(live.map(r => r.file));
    const sameFile = live.some(r => r.file === b.file);
    const where = sameFile ? '' : `moved from ${b.file} to ${list(runFiles)}`;
    const lostNote = lostTargets.length > 0 ? `no longer reaches ${list(lostTargets)}` : '';
    const join = (...parts: string[]) => parts.filter(p => p !== '').join('; ');

    if (baseKeys.size > 0 && lost.length === baseWrites.length) {
      return record('hollowed', join(lostNote, rename !== undefined ? renamedTo(live[0] as EntryPoint) : where), lost, gained);
    }
    if (rename !== undefined) return record('renamed', join(renamedTo(live[0] as EntryPoint), lostNote), lost, gained);
    if (sameFile) return record('kept', join(`kept in ${b.file}`, lostNote), lost, gained);
    return record('moved', join(where, lostNote), lost, gained);
  });
}
