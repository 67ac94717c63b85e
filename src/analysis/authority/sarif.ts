import { escapeControls } from '../../core/escape';
import { pathToFileURL } from 'node:url';
import { type Analysis, type EntryPoint, type Side, type WitnessStep, type Write } from '../../core/authority/analysis';
import { entryLabel } from '../../core/authority/fates';

/**
 * The authority map's findings as SARIF 2.1.0 (one run), for GitHub code scanning and SARIF viewers:
 *
 * - `authority-bypass` (error): a reachable run entry point reaches a write without passing the declared authority;
 *   one result per (entry, write), with the witness path as a code flow and as related locations.
 * - `baseline-path-still-reachable` (warning): a baseline entry point's path survives in the run (the run entry its
 *   fate maps to) and still writes without the authority.
 * - `baseline-path-hollowed` (warning): the baseline entry is still reachable in the run but no longer reaches the
 *   writes it did; the baseline's witness path of a lost write is the code flow.
 * - `baseline-path-unreachable` (note): the baseline entry is still in the run's code, but dead.
 * - `dead-entry-point` (note): any other run entry point that nothing reachable registers.
 *
 * Locations are relative paths, as the analysis gives them, against two base ids: RUNROOT (the run's tree) and
 * BASELINEROOT (the baseline's), declared in `originalUriBaseIds` (absolute file URIs when the roots are given; the run
 * root defaults to %SRCROOT%, the checkout a code-scanning upload runs in). `partialFingerprints` are built from entry
 * ids and write (kind, target) pairs, never from lines, so a result keeps its identity across runs.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

export type SarifLevel = 'error' | 'warning' | 'note';

/** The SARIF objects this module writes: the subset of the 2.1.0 schema it uses, field names as the schema has them. */
export interface SarifMessage { text: string }
export interface SarifArtifactLocation { uri?: string; uriBaseId?: string; description?: SarifMessage }
export interface SarifPhysicalLocation { artifactLocation: SarifArtifactLocation; region: { startLine: number } }
export interface SarifLocation { id?: number; physicalLocation: SarifPhysicalLocation; message?: SarifMessage }
export interface SarifThreadFlowLocation { location: SarifLocation }
export interface SarifCodeFlow { message?: SarifMessage; threadFlows: { locations: SarifThreadFlowLocation[] }[] }
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  codeFlows?: SarifCodeFlow[];
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}
export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: [{
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, SarifArtifactLocation>;
    results: SarifResult[];
    properties: Record<string, unknown>;
  }];
}

export interface SarifOptions {
  toolVersion: string;
  /** The run's folder: RUNROOT becomes its file URI (else %SRCROOT%). */
  runRoot?: string;
  /** The baseline's checkout folder, when it has one. */
  baselineRoot?: string;
}

const RULES = [
  ['authority-bypass', 'AuthorityBypass', 'error', 'A write is reached without the declared authority',
    'An entry point of the run reaches a write by a path that does not pass through the declared authority (the functions through which all writes must go).'],
  ['baseline-path-hollowed', 'BaselinePathHollowed', 'warning', 'A baseline write path no longer writes',
    'A baseline entry point is still reachable in the run, but reaches none of the writes it reached in the baseline.'],
  ['baseline-path-still-reachable', 'BaselinePathStillReachable', 'warning', 'A baseline write path still writes without the authority',
    'A baseline entry point survives in the run and still reaches a write without passing the declared authority: the old path was not routed through the new authority.'],
  ['baseline-path-unreachable', 'BaselinePathUnreachable', 'note', 'A baseline entry point is dead code in the run',
    'A baseline entry point is still present in the run\'s code, but nothing reachable registers it.'],
  ['dead-entry-point', 'DeadEntryPoint', 'note', 'An entry point nothing reaches',
    'An entry point of the run is registered on something that is never mounted or started.'],
] as const;

export type SarifRuleId = (typeof RULES)[number][0];

const RUN = 'RUNROOT';
const BASELINE = 'BASELINEROOT';
const FINGERPRINT = 'sebReviewFinding/v1';
/** Code flows in one result at the most. */
const MAX_FLOWS = 10;

function rootUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * A tree path as a relative URI reference: each segment percent-encoded, so a file named "https:", "a#b", "%2e%2e" or
 * holding a space or a line break stays one relative path under its base, and means that file.
 */
export function pathUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function location(base: string, file: string, line: number, text?: string, id?: number): SarifLocation {
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: { uri: pathUri(file), uriBaseId: base }, region: { startLine: Math.max(1, line) } },
    ...(text !== undefined ? { message: { text } } : {}),
  };
}

const at = (file: string, line: number) => `${file}:${line}`;
const stepText = (s: WitnessStep) => `${s.name} (${at(s.file, s.line)})`;
const writeText = (w: Write | undefined, id: string) => (w ? `${w.kind} write to ${w.target} (${at(w.file, w.line)} in ${w.function})` : `write ${id}`);
const entryText = (e: EntryPoint) => `${entryLabel(e)} (handler ${e.handler.name}, ${at(e.file, e.line)})`;

/** The witness path as a code flow and as numbered related locations. */
function witness(base: string, steps: readonly WitnessStep[], what: string): { codeFlows?: SarifCodeFlow[]; relatedLocations?: SarifLocation[] } {
  if (steps.length === 0) return {};
  return {
    codeFlows: [{ message: { text: what }, threadFlows: [{ locations: steps.map(s => ({ location: location(base, s.file, s.line, s.via ? `${s.name} (${s.via})` : s.name) })) }] }],
    relatedLocations: steps.map((s, i) => location(base, s.file, s.line, `step ${i + 1}: ${s.name}`, i)),
  };
}

function writesById(side: Side): Map<string, Write> {
  return new Map(side.writes.map(w => [w.id, w]));
}

/** Each write a run entry reaches without the authority, with its witness path (none when the engine gave none). */
function bypassesOf(e: EntryPoint): { write: string; path: WitnessStep[] }[] {
  if (e.bypasses !== undefined && e.bypasses.length > 0) return e.bypasses;
  return e.writes.map(write => ({ write, path: e.witnesses?.[write] ?? [] }));
}

/** The analysis as a SARIF 2.1.0 log. */
export function toSarif(analysis: Analysis, options: SarifOptions): SarifLog {
  const rules: SarifRule[] = RULES.map(([id, name, level, short, full]) => ({
    id, name, shortDescription: { text: short }, fullDescription: { text: full }, defaultConfiguration: { level },
  }));
  const ruleIndex = new Map<string, number>(RULES.map(([id], i) => [id, i]));
  const results: SarifResult[] = [];
  const add = (ruleId: SarifRuleId, r: Omit<SarifResult, 'ruleId' | 'ruleIndex' | 'level'>) => {
    const i = ruleIndex.get(ruleId) ?? 0;
    results.push({ ruleId, ruleIndex: i, level: RULES[i]?.[2] ?? 'note', ...r });
  };
  const authority = analysis.authority ?? analysis.run.authority?.map(a => a.name) ?? [];
  const authorityText = authority.length > 0 ? `the declared authority (${authority.join(', ')})` : 'the declared authority';
  const runWrites = writesById(analysis.run);
  const baseWrites = writesById(analysis.baseline);
  const runEntries = new Map(analysis.run.entryPoints.map(e => [e.id, e]));
  const baseEntries = new Map(analysis.baseline.entryPoints.map(e => [e.id, e]));
  const fingerprint = (...parts: string[]) => ({ [FINGERPRINT]: parts.join('|') });
  const writeKey = (w: Write | undefined, id: string) => (w ? `${w.kind}:${w.target}` : id);

  // one result per entry point (not per write: a route that bypasses reaches many), naming every kind and target it
  // writes without the authority; a code flow for each target (its shortest witness), at most MAX_FLOWS
  const bypassing = analysis.run.entryPoints.filter(e => e.reachable && e.viaAuthority === false);
  for (const e of bypassing) {
    const byTarget = new Map<string, { write: string; path: WitnessStep[] }>();
    for (const b of bypassesOf(e)) {
      const k = writeKey(runWrites.get(b.write), b.write);
      const known = byTarget.get(k);
      if (!known || b.path.length < known.path.length) byTarget.set(k, b);
    }
    const chosen = [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b));
    const first = [...chosen].sort(([, a], [, b]) => a.path.length - b.path.length)[0]?.[1];
    if (!first) continue;
    const w = runWrites.get(first.write);
    const path = first.path.length > 0 ? ` Witness path: ${first.path.map(stepText).join(' -> ')}.` : '';
    const flows = chosen.slice(0, MAX_FLOWS).flatMap(([k, b]) => witness(RUN, b.path, `${entryLabel(e)} -> ${k}`).codeFlows ?? []);
    add('authority-bypass', {
      message: { text: `${entryText(e)} writes ${chosen.map(([k]) => k.replace(':', ' ')).join(', ')} without passing ${authorityText}; ` +
        `for example the ${writeText(w, first.write)}.${path}` },
      locations: [location(RUN, e.file, e.line)],
      ...(flows.length > 0 ? { codeFlows: flows } : {}),
      ...(witness(RUN, first.path, '').relatedLocations ? { relatedLocations: witness(RUN, first.path, '').relatedLocations } : {}),
      partialFingerprints: fingerprint('authority-bypass', e.id),
      properties: { entry: e.id, writes: chosen.map(([, b]) => b.write) },
    });
  }

  const reportedDead = new Set<string>();
  for (const fate of analysis.fates) {
    const b = baseEntries.get(fate.baseline);
    if (b === undefined) continue;
    const mapped = fate.run.map(id => runEntries.get(id)).filter((e): e is EntryPoint => e !== undefined);
    const first = mapped.find(e => e.reachable) ?? mapped[0];
    const baseRelated = location(BASELINE, b.file, b.line, `in the baseline: ${entryText(b)}`, 0);
    if (fate.fate === 'hollowed' && first !== undefined) {
      const lost = fate.lostWrites.map(id => writeText(baseWrites.get(id), id));
      const steps = fate.lostWrites.map(id => b.witnesses?.[id]).find(s => s !== undefined && s.length > 0) ?? [];
      const flow = witness(BASELINE, steps, `the baseline path of ${entryLabel(b)}`);
      add('baseline-path-hollowed', {
        message: { text: `${entryText(first)} is still reachable but no longer reaches what the baseline's ${entryText(b)} wrote: ${lost.join('; ')}.` },
        locations: [location(RUN, first.file, first.line)],
        relatedLocations: [baseRelated, ...fate.lostWrites.flatMap((id, i) => {
          const w = baseWrites.get(id);
          return w ? [location(BASELINE, w.file, w.line, `lost in the run: ${writeText(w, id)}`, i + 1)] : [];
        })],
        ...(flow.codeFlows ? { codeFlows: flow.codeFlows } : {}),
        partialFingerprints: fingerprint('baseline-path-hollowed', b.id, first.id),
        properties: { baseline: b.id, run: fate.run, lostWrites: fate.lostWrites },
      });
    }
    if (fate.fate === 'unreachable' && mapped.length > 0) {
      for (const e of mapped) reportedDead.add(e.id);
      const dead = mapped[0] as EntryPoint;
      add('baseline-path-unreachable', {
        message: { text: `The baseline's ${entryText(b)} is still in the run as ${entryText(dead)}, but unreachable: ${dead.why || fate.note}` },
        locations: [location(RUN, dead.file, dead.line)],
        relatedLocations: [baseRelated],
        partialFingerprints: fingerprint('baseline-path-unreachable', b.id, dead.id),
        properties: { baseline: b.id, run: fate.run },
      });
    }
    if (fate.fate === 'kept' || fate.fate === 'moved' || fate.fate === 'renamed' || fate.fate === 'hollowed') {
      for (const e of mapped.filter(m => m.reachable && m.viaAuthority === false)) {
        const [firstBypass] = bypassesOf(e);
        const targets = [...new Set(bypassesOf(e).map(x => runWrites.get(x.write)?.target ?? x.write))];
        const flow = firstBypass !== undefined ? witness(RUN, firstBypass.path, `${entryLabel(e)} -> ${runWrites.get(firstBypass.write)?.target ?? firstBypass.write}`) : {};
        add('baseline-path-still-reachable', {
          message: { text: `The baseline's ${entryText(b)} survives in the run (${fate.fate}) as ${entryText(e)} and still writes ${targets.join(', ')} without passing ${authorityText}.` +
            (firstBypass !== undefined && firstBypass.path.length > 0 ? ` Witness path: ${firstBypass.path.map(stepText).join(' -> ')}.` : '') },
          locations: [location(RUN, e.file, e.line)],
          relatedLocations: [baseRelated, ...(flow.relatedLocations ?? []).map((l, i) => ({ ...l, id: i + 1 }))],
          ...(flow.codeFlows ? { codeFlows: flow.codeFlows } : {}),
          partialFingerprints: fingerprint('baseline-path-still-reachable', b.id, e.id),
          properties: { baseline: b.id, run: e.id, fate: fate.fate },
        });
      }
    }
  }

  for (const e of analysis.run.entryPoints) {
    if (e.reachable || reportedDead.has(e.id)) continue;
    add('dead-entry-point', {
      message: { text: `${entryText(e)} is never reachable: ${e.why}` },
      locations: [location(RUN, e.file, e.line)],
      partialFingerprints: fingerprint('dead-entry-point', e.id),
      properties: { entry: e.id },
    });
  }

  return inert({
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{
      tool: { driver: { name: 'seb-review', version: options.toolVersion, rules } },
      originalUriBaseIds: {
        [RUN]: options.runRoot !== undefined
          ? { uri: rootUri(options.runRoot), description: { text: `the run's tree ${analysis.run.tree}` } }
          : { uriBaseId: '%SRCROOT%', description: { text: `the run's tree ${analysis.run.tree}` } },
        [BASELINE]: options.baselineRoot !== undefined
          ? { uri: rootUri(options.baselineRoot), description: { text: `the baseline's tree ${analysis.baseline.tree}` } }
          : { description: { text: `the baseline's tree ${analysis.baseline.tree} (read from git objects)` } },
      },
      results,
      properties: { format: analysis.format, baselineTree: analysis.baseline.tree, runTree: analysis.run.tree, authority },
    }],
  });
}

/**
 * Every message text with control, bidi and separator characters escaped (file names, routes and function names come
 * from the reviewed tree; SARIF viewers show messages as they are).
 */
function inert<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === 'text' && typeof x === 'string' ? escapeControls(x) : walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
