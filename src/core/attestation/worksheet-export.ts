import { type Rubric } from '../rubric';
import { checkPoints } from '../scoring';
import { type Draft, type Worksheet } from '../worksheet';
import { equalsDecimal, exactSum, fromUnits, unitsOf } from './step-units';

export type ExportResult = { ok: true; worksheet: Worksheet } | { ok: false; missing: string[] };

export interface ExportOptions {
  /** The signing key's id, recorded as the grader's key. */
  keyId?: string;
  /** The sha256 of the rubric file as it is now: a draft started on other bytes of the rubric is not exported. */
  rubricSha256?: string;
}

const hasContent = (e: { points: string; rationale: string; evidence: readonly unknown[] }): boolean =>
  e.points.trim() !== '' || e.rationale.trim() !== '' || e.evidence.length > 0;

/**
 * The finished worksheet of a draft, or what keeps it from being finished, one line each, by dimension title:
 * "Wiring: 11 is above the ceiling of 10", "Proof: no rationale", "grader: no name". Points are the numbers typed
 * (never clamped); the total is computed.
 */
export function worksheetFromDraft(draft: Draft, rubric: Rubric, options: ExportOptions = {}): ExportResult {
  const missing: string[] = [];
  if (draft.rubric.id !== rubric.id || draft.rubric.version !== rubric.version) {
    missing.push(`rubric: the draft is for ${draft.rubric.id} ${draft.rubric.version}, not ${rubric.id} ${rubric.version}`);
  } else if (options.rubricSha256 !== undefined && options.rubricSha256 !== draft.rubric.sha256) {
    missing.push(`rubric: the rubric file changed since the draft was started (sha256 ${draft.rubric.sha256}, now ${options.rubricSha256})`);
  }
  if (draft.grader.name.trim() === '') missing.push('grader: no name');
  const entries: Worksheet['entries'] = [];
  for (const d of rubric.dimensions) {
    const e = draft.entries[d.id] ?? { points: '', rationale: '', evidence: [] };
    const check = checkPoints(e.points, d, rubric.step);
    if (!check.ok) missing.push(`${d.title}: ${check.kind === 'empty' ? 'no points' : check.reason}`);
    // exactly on the step, not within rounding of it (what verify checks)
    else if (unitsOf(check.value, rubric.step) === undefined) missing.push(`${d.title}: ${e.points.trim()} is not a multiple of ${rubric.step}`);
    if (e.rationale.trim() === '') missing.push(`${d.title}: no rationale`);
    if (check.ok) entries.push({ dimension: d.id, points: check.value, rationale: e.rationale, evidence: e.evidence });
  }
  const known = new Set(rubric.dimensions.map(d => d.id));
  for (const [id, e] of Object.entries(draft.entries)) {
    if (!known.has(id) && hasContent(e)) missing.push(`"${id}": not a dimension of ${rubric.id} ${rubric.version}, but it holds a score, rationale or evidence`);
  }
  if (missing.length > 0) return { ok: false, missing };
  const keyId = options.keyId ?? draft.grader.keyId;
  return {
    ok: true,
    worksheet: {
      format: 'seb-review/worksheet@1',
      rubric: { ...draft.rubric },
      run: { runId: draft.run.runId, baseline: { ...draft.run.baseline }, head: { ...draft.run.head } },
      grader: { name: draft.grader.name.trim(), kind: draft.grader.kind, ...(keyId !== undefined ? { keyId } : {}) },
      entries,
      gaps: draft.gaps,
      ...(draft.analysis !== undefined ? { analysis: structuredClone(draft.analysis) } : {}),
      total: totalOf(entries, rubric.step),
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
    },
  };
}

/** The sum of the entries' points, counted in whole steps (./step-units): exact, without binary noise. */
export function totalOf(entries: readonly { points: number }[], step: number): number {
  let units = 0n;
  for (const e of entries) {
    const u = unitsOf(e.points, step);
    if (u === undefined) throw new RangeError(`${e.points} is not a multiple of the step ${step}`);
    units += u;
  }
  return fromUnits(units, step);
}

export type RubricProblemKind = 'rubric' | 'dimension' | 'points' | 'rationale' | 'total';

export interface RubricProblem {
  kind: RubricProblemKind;
  /** A path in the worksheet: "entries[1].points", "total". */
  field: string;
  message: string;
}

/**
 * A finished worksheet against its rubric: the same rubric id and version, one entry per dimension (none unknown,
 * none twice), points within 0…ceiling and exactly on the step, a rationale each, and the total exactly the sum
 * (counted in whole steps, ./step-units: no tolerance).
 */
export function checkWorksheetAgainstRubric(ws: Worksheet, rubric: Rubric): RubricProblem[] {
  const problems: RubricProblem[] = [];
  if (ws.rubric.id !== rubric.id) problems.push({ kind: 'rubric', field: 'rubric.id', message: `is ${JSON.stringify(ws.rubric.id)}, but the rubric is ${JSON.stringify(rubric.id)}` });
  if (ws.rubric.version !== rubric.version) {
    problems.push({ kind: 'rubric', field: 'rubric.version', message: `is ${JSON.stringify(ws.rubric.version)}, but the rubric is ${JSON.stringify(rubric.version)}` });
  }
  const dims = new Map(rubric.dimensions.map(d => [d.id, d]));
  const seen = new Set<string>();
  ws.entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    const d = dims.get(e.dimension);
    if (d === undefined) {
      problems.push({ kind: 'dimension', field: `${at}.dimension`, message: `"${e.dimension}" is not a dimension of ${rubric.id} ${rubric.version}` });
      return;
    }
    if (seen.has(e.dimension)) problems.push({ kind: 'dimension', field: `${at}.dimension`, message: `"${e.dimension}" is scored twice` });
    seen.add(e.dimension);
    const points = pointsProblem(e.points, d.ceiling, rubric.step);
    if (points !== undefined) problems.push({ kind: 'points', field: `${at}.points`, message: `${points} (${d.id})` });
    if (e.rationale.trim() === '') problems.push({ kind: 'rationale', field: `${at}.rationale`, message: `is blank (${d.id})` });
  });
  for (const d of rubric.dimensions) {
    if (!seen.has(d.id)) problems.push({ kind: 'dimension', field: 'entries', message: `has no entry for "${d.id}" (${d.title})` });
  }
  const total = totalProblem(ws, rubric.step);
  if (total !== undefined) problems.push({ kind: 'total', field: 'total', message: total });
  return problems;
}

/** The total against the exact sum of the entries; an off-step entry (reported on its own) is summed as it is. */
function totalProblem(ws: Worksheet, step: number): string | undefined {
  const sum = exactSum(ws.entries.map(e => e.points));
  if (!equalsDecimal(ws.total, sum)) return `is ${ws.total}, but the entries add up to ${sum}`;
  if (unitsOf(ws.total, step) === undefined) return `is ${ws.total}, not a multiple of the step ${step}`;
  return undefined;
}

/** Why points are not valid for a ceiling and step (below zero, above the ceiling, off the step), or undefined. */
export function pointsProblem(points: number, ceiling: number, step: number): string | undefined {
  if (points < 0) return `${points} is below zero`;
  if (points > ceiling) return `${points} is above the ceiling of ${ceiling}`;
  if (unitsOf(points, step) === undefined) return `${points} is not a multiple of the step ${step}`;
  return undefined;
}
