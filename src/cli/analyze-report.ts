import { FATES, type Analysis, type EntryPoint, type FateRecord, type Side, type Write } from '../core/authority/analysis';
import { entryLabel } from '../core/authority/fates';
import { WIRINGS, WIRING_TITLES, wiringMatrix, type Wiring } from '../core/authority/wiring';

/**
 * The text report of `seb-review analyze`: pure, from an analysis and where it came from, to lines (the Output sink
 * escapes them on the way out). Sections: header, wiring tables (run, then baseline), bypasses with their witness paths,
 * fates by class, dead entry points, skipped files.
 */

export interface ReportContext {
  runId: string;
  runRoot: string;
  baseline: { commit: string; source: string };
  /** The run's head: a commit, or the working tree on it (dirty: with uncommitted changes, snapshotted). */
  head: { commit: string; workingTree: boolean; dirty: boolean };
}

export { wiringOf, type Wiring } from '../core/authority/wiring';

/** Reachable run entry points that reach a write without the declared authority: what makes `analyze` exit 1. */
export function bypassingEntries(analysis: Analysis): EntryPoint[] {
  return analysis.run.entryPoints.filter(e => e.reachable && e.viaAuthority === false);
}

const n = (x: number) => x.toLocaleString('en-US');
const at = (file: string, line: number) => `${file}:${line}`;
const COLUMNS: { key: Wiring; title: string }[] = WIRINGS.map(key => ({ key, title: WIRING_TITLES[key] }));

/** One side's table: a row per category (and a total), a column per wiring; the "no authority" column only when used. */
export function wiringTable(side: Side): string[] {
  const { rows, total } = wiringMatrix(side);
  const counts = new Map(rows.map(r => [r.category, r.counts]));
  const columns = COLUMNS.filter(c => c.key !== 'unchecked' || total.unchecked > 0);
  const categories = rows.map(r => r.category);
  const first = Math.max('category'.length, 'total'.length, ...categories.map(c => c.length));
  const widths = columns.map(c => Math.max(c.title.length, 5));
  const line = (name: string, cells: string[]) => `  ${name.padEnd(first)}  ${cells.map((c, i) => c.padStart(widths[i] ?? 5)).join('  ')}`.trimEnd();
  return [
    line('category', columns.map(c => c.title)),
    ...categories.map(cat => line(cat, columns.map(c => n(counts.get(cat)?.[c.key] ?? 0)))),
    line('total', columns.map(c => n(total[c.key]))),
  ];
}

/** Writes as their kinds and targets, each once ("sql documents, yjs marks"): what was lost or gained. */
function targetsText(ids: readonly string[], writes: ReadonlyMap<string, Write>): string {
  return [...new Set(ids.map(id => {
    const w = writes.get(id);
    return w ? `${w.kind} ${w.target}` : id;
  }))].join(', ');
}

function writeText(w: Write | undefined, id: string): string {
  return w ? `${w.kind} ${w.target} (${at(w.file, w.line)} in ${w.function})` : id;
}

function entryLine(e: EntryPoint): string {
  return `${entryLabel(e)}  ${at(e.file, e.line)}  handler ${e.handler.name} (${at(e.handler.file, e.handler.line)})`;
}

function header(a: Analysis, ctx: ReportContext): string[] {
  const packs = a.analyzer?.packs ?? [];
  const authority = a.authority ?? [];
  const found = new Map((a.run.authority ?? []).map(x => [x.name, x]));
  const authorityText = authority.length === 0 ? 'none declared (use --authority NAME or the manifest\'s "authority")' : authority.map(name => {
    const f = found.get(name);
    if (f === undefined) return name;
    return f.found ? `${name} (${f.file !== undefined ? at(f.file, f.line ?? 1) : 'found'})` : `${name} (not found in the run)`;
  }).join(', ');
  return [
    `run ${ctx.runId}: ${ctx.runRoot}`,
    `baseline: commit ${ctx.baseline.commit} (${ctx.baseline.source}), tree ${a.baseline.tree}; ${n(a.baseline.files)} files, ${n(a.baseline.lines)} lines`,
    `run:      ${ctx.head.workingTree ? 'working tree on ' : ''}commit ${ctx.head.commit}${ctx.head.dirty ? ' with uncommitted changes' : ''}, tree ${a.run.tree}; ` +
      `${n(a.run.files)} files, ${n(a.run.lines)} lines`,
    `packs:    ${packs.length === 0 ? '(not recorded)' : packs.map(p => `${p.id}@${p.version} (${p.sha256.slice(0, 12)})`).join(', ')}`,
    `authority: ${authorityText}`,
  ];
}

function bypassSection(a: Analysis): string[] {
  const entries = bypassingEntries(a);
  if (entries.length === 0) return [`Bypasses of the declared authority: none`];
  const writes = new Map(a.run.writes.map(w => [w.id, w]));
  const out = [`Bypasses of the declared authority (${n(entries.length)} entry point${entries.length === 1 ? '' : 's'})`];
  for (const e of entries) {
    out.push(`  ${entryLine(e)}`);
    const bypasses = e.bypasses !== undefined && e.bypasses.length > 0 ? e.bypasses : e.writes.map(write => ({ write, path: e.witnesses?.[write] ?? [] }));
    // what it writes without the authority, once per kind and target; then the shortest witness path
    const targets = [...new Set(bypasses.map(b => {
      const w = writes.get(b.write);
      return w ? `${w.kind} ${w.target}` : b.write;
    }))];
    out.push(`    writes without the authority: ${targets.join(', ')}`);
    const shortest = [...bypasses].sort((x, y) => x.path.length - y.path.length || x.write.localeCompare(y.write))[0];
    if (shortest) {
      out.push(`    for example -> ${writeText(writes.get(shortest.write), shortest.write)}`);
      for (const s of shortest.path) out.push(`         ${at(s.file, s.line)} ${s.name}`);
    }
  }
  return out;
}

function fateSection(a: Analysis): string[] {
  const base = new Map(a.baseline.entryPoints.map(e => [e.id, e]));
  const run = new Map(a.run.entryPoints.map(e => [e.id, e]));
  const writes = new Map(a.baseline.writes.map(w => [w.id, w]));
  const gained = new Map(a.run.writes.map(w => [w.id, w]));
  const byFate = new Map<string, FateRecord[]>();
  for (const f of a.fates) byFate.set(f.fate, [...(byFate.get(f.fate) ?? []), f]);
  const out = [`Fates of the baseline's ${n(a.baseline.entryPoints.length)} entry points: ` +
    FATES.map(f => `${n(byFate.get(f)?.length ?? 0)} ${f}`).join(', ')];
  for (const fate of FATES) {
    const list = byFate.get(fate) ?? [];
    if (fate === 'kept' || list.length === 0) continue;
    out.push(`  ${fate} (${n(list.length)})`);
    for (const f of list) {
      const b = base.get(f.baseline);
      const targets = f.run.map(id => run.get(id)).filter((e): e is EntryPoint => e !== undefined).map(e => `${entryLabel(e)} ${at(e.file, e.line)}`);
      out.push(`    ${b ? `${entryLabel(b)}  ${at(b.file, b.line)}` : f.baseline}${targets.length > 0 ? `  ->  ${targets.join(', ')}` : ''}`);
      if (f.note !== '') out.push(`      ${f.note}`);
      if (f.lostWrites.length > 0) out.push(`      lost: ${targetsText(f.lostWrites, writes)}`);
      if ((f.gainedWrites ?? []).length > 0) out.push(`      gained: ${targetsText(f.gainedWrites ?? [], gained)}`);
    }
  }
  // kept with lost writes is worth a line too: the route survived, part of what it wrote did not
  const partial = (byFate.get('kept') ?? []).filter(f => f.lostWrites.length > 0);
  if (partial.length > 0) {
    out.push(`  kept, but reaching fewer writes (${n(partial.length)})`);
    for (const f of partial) {
      const b = base.get(f.baseline);
      out.push(`    ${b ? `${entryLabel(b)}  ${at(b.file, b.line)}` : f.baseline}`, `      lost: ${targetsText(f.lostWrites, writes)}`);
    }
  }
  return out;
}

function deadSection(a: Analysis): string[] {
  const dead = a.run.entryPoints.filter(e => !e.reachable);
  const baseDead = a.baseline.entryPoints.filter(e => !e.reachable).length;
  const out = [`Dead entry points in the run (${n(dead.length)}; ${n(baseDead)} in the baseline)`];
  for (const e of dead) out.push(`  ${entryLine(e)}`, `    ${e.why}`);
  return out;
}

function skippedSection(a: Analysis): string[] {
  const out: string[] = [];
  for (const [name, side] of [['baseline', a.baseline], ['run', a.run]] as const) {
    out.push(`Skipped files in the ${name} (${n(side.skipped.length)})`);
    for (const s of side.skipped) out.push(`  ${s.file}: ${s.reason}`);
  }
  return out;
}

/** The whole report. */
export function analysisReport(a: Analysis, ctx: ReportContext): string[] {
  return [
    ...header(a, ctx), '',
    'Wiring of the run (entry points by category)', ...wiringTable(a.run), '',
    'Wiring of the baseline', ...wiringTable(a.baseline), '',
    ...bypassSection(a), '',
    ...fateSection(a), '',
    ...deadSection(a), '',
    ...skippedSection(a),
  ];
}
