import { FATES, type Analysis, type EntryPoint, type Side, type Write } from '../../core/authority/analysis';
import { entryLabel } from '../../core/authority/fates';
import { compareCategories, wiringMatrix, wiringOf } from '../../core/authority/wiring';
import { MAX_PAGE, type Page, type PageParams } from '../../protocol/server/defs';
import type {
  AuthoritySummary, EntryItem, EntryRef, FateItem, FileBadge, FileFindings, SideName, SideSummary, WitnessStep, WriteRef,
} from '../../protocol/server/authority';

/**
 * The authority map as the editor asks for it, computed from one analysis: pure functions over an index built once per
 * result, tested without a server. Lists come in pages (never one giant message).
 */

const MAX_WRITES_PER_ENTRY = 64;
const MAX_REACHED_BY = 32;
const DEFAULT_PAGE = 200;

interface SideIndex {
  side: Side;
  name: SideName;
  entries: Map<string, EntryPoint>;
  writes: Map<string, Write>;
  /** Reachable entry points by category, in reading order; the dead ones apart. */
  byCategory: Map<string, EntryPoint[]>;
  dead: EntryPoint[];
  entriesByFile: Map<string, EntryPoint[]>;
  writesByFile: Map<string, Write[]>;
  /** Write id -> the entry points reaching it. */
  reachers: Map<string, EntryPoint[]>;
  /** The declared authority's definitions in this tree ("file:line" -> name). */
  authorityAt: Map<string, string>;
  authorityNames: Set<string>;
}

export interface AuthorityIndex {
  generation: number;
  analysis: Analysis;
  baseline: SideIndex;
  run: SideIndex;
  /** Fates in the order kept → unreachable, then by baseline label. */
  fates: FateItem[];
  badges: FileBadge[];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function indexSide(side: Side, name: SideName): SideIndex {
  const entries = new Map(side.entryPoints.map(e => [e.id, e]));
  const writes = new Map(side.writes.map(w => [w.id, w]));
  const byCategory = new Map<string, EntryPoint[]>();
  const dead: EntryPoint[] = [];
  const entriesByFile = new Map<string, EntryPoint[]>();
  const writesByFile = new Map<string, Write[]>();
  const reachers = new Map<string, EntryPoint[]>();
  const sorted = [...side.entryPoints].sort((a, b) => compareCategories(a.category, b.category) || a.file.localeCompare(b.file) || a.line - b.line);
  for (const e of sorted) {
    if (e.reachable) push(byCategory, e.category, e);
    else dead.push(e);
    push(entriesByFile, e.file, e);
    if (e.handler.file !== e.file) push(entriesByFile, e.handler.file, e);
    for (const w of e.writes) push(reachers, w, e);
  }
  for (const w of side.writes) push(writesByFile, w.file, w);
  const authorityAt = new Map<string, string>();
  const authorityNames = new Set<string>();
  for (const a of side.authority ?? []) {
    const bare = a.name.includes('#') ? a.name.slice(a.name.indexOf('#') + 1) : a.name;
    authorityNames.add(bare);
    if (a.found && a.file !== undefined && a.line !== undefined) authorityAt.set(`${a.file}:${a.line}`, bare);
  }
  return { side, name, entries, writes, byCategory, dead, entriesByFile, writesByFile, reachers, authorityAt, authorityNames };
}

function writeRef(ix: SideIndex, e: EntryPoint, id: string): WriteRef {
  const w = ix.writes.get(id);
  const bypass = e.bypasses?.some(b => b.write === id) ?? false;
  return w
    ? { id, kind: w.kind, target: w.target, file: w.file, line: w.line, function: w.function, bypass }
    : { id, kind: 'write', target: id, file: e.file, line: e.line, function: '', bypass };
}

/** The declared authority names a witness path of this entry point passes ("via applyDocumentWrite"). */
function viaNames(ix: SideIndex, e: EntryPoint): string[] {
  const found = new Set<string>();
  for (const steps of Object.values(e.witnesses ?? {})) {
    for (const s of steps) {
      const at = ix.authorityAt.get(`${s.file}:${s.line}`);
      if (at !== undefined) found.add(at);
      else {
        const bare = s.name.split(/[ .>]+/).pop() ?? s.name;
        if (ix.authorityNames.has(bare)) found.add(bare);
      }
    }
  }
  return [...found].sort();
}

export function entryItem(ix: SideIndex, e: EntryPoint): EntryItem {
  const shown = e.writes.slice(0, MAX_WRITES_PER_ENTRY);
  return {
    side: ix.name, id: e.id, kind: e.kind, category: e.category, label: entryLabel(e), paths: e.paths, file: e.file, line: e.line,
    handler: { name: e.handler.name, file: e.handler.file, line: e.handler.line, ...(e.handler.endLine !== undefined ? { endLine: e.handler.endLine } : {}) },
    reachable: e.reachable, why: e.why, wiring: wiringOf(e), via: e.viaAuthority === true ? viaNames(ix, e) : [],
    writes: shown.map(id => writeRef(ix, e, id)),
    ...(e.writes.length > shown.length ? { writesOmitted: e.writes.length - shown.length } : {}),
  };
}

function entryRef(e: EntryPoint): EntryRef {
  return { id: e.id, label: entryLabel(e), file: e.file, line: e.line, handler: { name: e.handler.name, file: e.handler.file, line: e.handler.line } };
}

function summarySide(ix: SideIndex): SideSummary {
  const m = wiringMatrix(ix.side);
  return {
    tree: ix.side.tree, files: ix.side.files, lines: ix.side.lines, skipped: ix.side.skipped.length,
    entryPoints: ix.side.entryPoints.length, writes: ix.side.writes.length,
    matrix: m.rows, total: m.total,
    authority: (ix.side.authority ?? []).map(a => ({ name: a.name, found: a.found, ...(a.file !== undefined ? { file: a.file } : {}), ...(a.line !== undefined ? { line: a.line } : {}) })),
  };
}

function writeTargets(ix: SideIndex, ids: readonly string[]): Array<{ kind: string; target: string }> {
  const seen = new Map<string, { kind: string; target: string }>();
  for (const id of ids) {
    const w = ix.writes.get(id);
    const kt = w ? { kind: w.kind, target: w.target } : { kind: 'write', target: id };
    seen.set(`${kt.kind}\u0000${kt.target}`, kt);
  }
  return [...seen.values()];
}

function buildFates(a: Analysis, base: SideIndex, run: SideIndex): FateItem[] {
  const rank = (f: string) => (FATES as readonly string[]).indexOf(f);
  const items: FateItem[] = [];
  for (const f of a.fates) {
    const b = base.entries.get(f.baseline);
    if (!b) continue;
    items.push({
      fate: f.fate,
      baseline: { ...entryRef(b), category: b.category, writes: b.writes.length },
      run: f.run.map(id => run.entries.get(id)).filter((e): e is EntryPoint => e !== undefined).map(entryRef),
      note: f.note,
      lostWrites: writeTargets(base, f.lostWrites),
      gainedWrites: writeTargets(run, f.gainedWrites ?? []),
      wrote: b.writes.length > 0,
    });
  }
  return items.sort((x, y) => rank(x.fate) - rank(y.fate) || x.baseline.label.localeCompare(y.baseline.label) || x.baseline.file.localeCompare(y.baseline.file));
}

function buildBadges(base: SideIndex, run: SideIndex, fates: readonly FateItem[]): FileBadge[] {
  const badges = new Map<string, FileBadge>();
  const get = (side: SideName, path: string): FileBadge => {
    const key = `${side}\u0000${path}`;
    let b = badges.get(key);
    if (!b) badges.set(key, (b = { path, side, entries: 0, writes: 0, bypassing: 0, lostWritePaths: 0 }));
    return b;
  };
  for (const ix of [base, run]) {
    for (const e of ix.side.entryPoints) {
      const b = get(ix.name, e.file);
      b.entries++;
      if (e.reachable && e.viaAuthority === false) b.bypassing++;
    }
    for (const w of ix.side.writes) get(ix.name, w.file).writes++;
  }
  for (const f of fates) {
    if (f.wrote && (f.fate === 'deleted' || f.fate === 'unreachable')) get('baseline', f.baseline.file).lostWritePaths++;
  }
  return [...badges.values()].sort((a, b) => a.path.localeCompare(b.path) || a.side.localeCompare(b.side));
}

export function indexAnalysis(analysis: Analysis, generation: number): AuthorityIndex {
  const baseline = indexSide(analysis.baseline, 'baseline');
  const run = indexSide(analysis.run, 'run');
  const fates = buildFates(analysis, baseline, run);
  return { generation, analysis, baseline, run, fates, badges: buildBadges(baseline, run, fates) };
}

export function summary(ix: AuthorityIndex): AuthoritySummary {
  const fates: Record<string, number> = {};
  for (const f of ix.fates) fates[f.fate] = (fates[f.fate] ?? 0) + 1;
  return { generation: ix.generation, authority: ix.analysis.authority ?? [], baseline: summarySide(ix.baseline), run: summarySide(ix.run), fates };
}

/** Items [cursor, cursor + limit) of `all`, each through `map`; limits are clamped to 1..MAX_PAGE. */
export function page<T, U>(all: readonly T[], params: PageParams, generation: number, map: (t: T) => U): Page<U> {
  const cursor = Number.isFinite(params.cursor) ? Math.max(0, Math.floor(params.cursor ?? 0)) : 0;
  const limit = Number.isFinite(params.limit) ? Math.min(MAX_PAGE, Math.max(1, Math.floor(params.limit ?? DEFAULT_PAGE))) : DEFAULT_PAGE;
  const items = all.slice(cursor, cursor + limit).map(map);
  const next = cursor + limit < all.length ? cursor + limit : undefined;
  return { generation, items, total: all.length, ...(next !== undefined ? { next } : {}) };
}

export function entryPoints(ix: AuthorityIndex, side: SideName, category: string | undefined, params: PageParams): Page<EntryItem> {
  const s = ix[side];
  const list = category === 'dead' ? s.dead : category !== undefined ? (s.byCategory.get(category) ?? []) : [...s.byCategory.values()].flat();
  return page(list, params, ix.generation, e => entryItem(s, e));
}

export function fates(ix: AuthorityIndex, fate: string | undefined, params: PageParams): Page<FateItem> {
  return page(fate === undefined ? ix.fates : ix.fates.filter(f => f.fate === fate), params, ix.generation, f => f);
}

/** The witness path from an entry point to a write; undefined when the entry point does not reach it (or it was not kept). */
export function witness(ix: AuthorityIndex, side: SideName, entry: string, write: string): { steps: WitnessStep[]; bypass: boolean } | undefined {
  const e = ix[side].entries.get(entry);
  if (!e) return undefined;
  const bypass = e.bypasses?.find(b => b.write === write);
  const steps = bypass?.path ?? e.witnesses?.[write];
  if (!steps) return undefined;
  return { steps: steps.map(s => ({ file: s.file, line: s.line, name: s.name, ...(s.via !== undefined ? { via: s.via } : {}) })), bypass: bypass !== undefined };
}

export function fileFindings(ix: AuthorityIndex, side: SideName, path: string): FileFindings {
  const s = ix[side];
  const entries = (s.entriesByFile.get(path) ?? []).map(e => entryItem(s, e));
  const writes = (s.writesByFile.get(path) ?? []).map(w => {
    const reachers = s.reachers.get(w.id) ?? [];
    const shown = reachers.slice(0, MAX_REACHED_BY);
    return {
      id: w.id, kind: w.kind, target: w.target, file: w.file, line: w.line, function: w.function,
      bypass: reachers.some(e => e.reachable && (e.bypasses?.some(b => b.write === w.id) ?? false)),
      reachedBy: shown.map(e => ({ id: e.id, label: entryLabel(e), bypass: e.bypasses?.some(b => b.write === w.id) ?? false })),
      ...(reachers.length > shown.length ? { reachedByOmitted: reachers.length - shown.length } : {}),
    };
  });
  const out: FileFindings = { generation: ix.generation, side, path, entries, writes };
  if (side === 'baseline') {
    out.fates = ix.fates.filter(f => f.baseline.file === path).map(f => ({ id: f.baseline.id, fate: f.fate, note: f.note, line: f.baseline.line }));
  }
  return out;
}

export function fileBadges(ix: AuthorityIndex, params: PageParams): Page<FileBadge> {
  return page(ix.badges, params, ix.generation, b => b);
}
