import { SebError } from '../errors';
import { type ResolvedRubric } from '../attestation';
import { dimensionsOf, scoreOf, TOTAL } from './scores';
import { gradersOf, PUBLISHED_GRADER, sourcesOf, type ScoredSheet, type WorksheetSet } from './inputs';
import { pairedStats } from './stats';
import { type CalibrationPoint, type CalibrationReport, type CalibrationStats, type Disagreement, type GraderEntry, type Value } from './types';

/** How many of the largest disagreements a report lists. */
export const DISAGREEMENTS = 10;
/** Below this many runs the report says the intervals are too wide to conclude. */
export const FEW_RUNS = 5;

function share(v: Value, ceiling: number): Value {
  return v.value === null ? v : { value: v.value / ceiling };
}

function entryOf(s: ScoredSheet, dimension: string, points: number): GraderEntry {
  const rationale = s.kind === 'references'
    ? 'A published reference profile: the benchmark published the score, not a rationale.'
    : s.rationale.get(dimension) ?? '';
  return {
    grader: s.grader, file: s.file, points, rationale, evidence: s.evidence.get(dimension) ?? [],
    ...(s.trees !== undefined ? { trees: s.trees } : {}),
  };
}

/**
 * The candidate grader against the reference graders, per dimension and on the total, over the runs both scored. With
 * several reference graders the reference is their mean per run (over the graders who scored that run); the report
 * says which. Nothing here labels a value good or bad.
 */
export function calibrationReport(candidate: WorksheetSet, reference: WorksheetSet, rubric: ResolvedRubric): CalibrationReport {
  const cands = gradersOf(candidate.sheets);
  const refs = gradersOf(reference.sheets);
  const cand = cands[0];
  if (cand === undefined) throw new SebError('bad-manifest', `no candidate worksheet could be used${reasons(candidate)}`);
  if (cands.length > 1) {
    throw new SebError('bad-manifest', `the candidate's worksheets are by ${cands.length} graders (${cands.map(g => `${g.name}: ${candidate.sheets.filter(s => s.grader === g.name).map(s => s.file).join(', ')}`).join('; ')}): give one grader's worksheets as --candidate`);
  }
  if (refs.length === 0) throw new SebError('bad-manifest', `no reference worksheet could be used${reasons(reference)}`);
  if (refs.some(g => g.name === cand.name)) {
    throw new SebError('bad-manifest', `${cand.name} is both the candidate and a reference grader: a grader is not compared with itself`);
  }
  const refRuns = new Map<string, ScoredSheet[]>();
  for (const s of reference.sheets) refRuns.set(s.runId, [...(refRuns.get(s.runId) ?? []), s]);
  const combined = refs.length === 1 ? 'single' : 'mean';
  const description = combined === 'single'
    ? `the reference is one grader: ${refs[0]?.name ?? ''}`
    : `the reference is the mean of the reference graders' scores per run (${refs.map(g => g.name).join(', ')}); each run's mean is over the graders who scored it`;

  const points: Record<string, CalibrationPoint[]> = {};
  const disagreements: Disagreement[] = [];
  const stats = dimensionsOf(rubric).map(d => {
    const list: CalibrationPoint[] = [];
    for (const s of [...candidate.sheets].sort((a, b) => a.runId.localeCompare(b.runId))) {
      const c = scoreOf(s, d.id);
      const scored = (refRuns.get(s.runId) ?? []).map(r => ({ r, v: scoreOf(r, d.id) })).filter((x): x is { r: ScoredSheet; v: number } => x.v !== undefined);
      if (c === undefined || scored.length === 0) continue;
      const ref = scored.reduce((n, x) => n + x.v, 0) / scored.length;
      list.push({ runId: s.runId, candidate: c, reference: ref });
      if (d.id !== TOTAL && c !== ref) {
        disagreements.push({
          runId: s.runId, dimension: d.id, title: d.title, ceiling: d.ceiling, difference: c - ref,
          candidate: entryOf(s, d.id, c), references: scored.map(x => entryOf(x.r, d.id, x.v)), reference: ref,
        });
      }
    }
    points[d.id] = list;
    const p = pairedStats(list.map(x => x.candidate), list.map(x => x.reference));
    const out: CalibrationStats = { id: d.id, title: d.title, ceiling: d.ceiling, ...p, maeShare: share(p.mae, d.ceiling), rmseShare: share(p.rmse, d.ceiling) };
    return out;
  });
  const total = stats.pop() as CalibrationStats;

  const warnings: string[] = [];
  if (total.n === 0) warnings.push(`the candidate and the reference scored no run in common (candidate: ${[...new Set(candidate.sheets.map(s => s.runId))].join(', ')}; reference: ${[...refRuns.keys()].join(', ')})`);
  else if (total.n < FEW_RUNS) warnings.push(`n = ${total.n} run${total.n === 1 ? '' : 's'}: with fewer than ${FEW_RUNS} runs the intervals are too wide to conclude anything`);
  for (const d of stats) {
    if (d.n < total.n) warnings.push(`${d.title}: n = ${d.n}, fewer than the total's ${total.n} (${refs.some(g => g.name === PUBLISHED_GRADER) ? 'published references give totals only for some runs' : 'some references lack this dimension'})`);
  }
  const unsigned = [...cands, ...refs].filter(g => !g.signed).map(g => g.name);
  if (unsigned.length > 0) warnings.push(`unsigned, not verified: ${unsigned.join(', ')}`);

  disagreements.sort((a, b) => Math.abs(b.difference) / b.ceiling - Math.abs(a.difference) / a.ceiling
    || Math.abs(b.difference) - Math.abs(a.difference) || a.runId.localeCompare(b.runId) || a.dimension.localeCompare(b.dimension));
  return {
    format: 'seb-review/calibration@1',
    rubric: { id: rubric.rubric.id, version: rubric.rubric.version, sha256: rubric.sha256 },
    candidate: cand,
    reference: { graders: refs, combined, description },
    sources: sourcesOf([...candidate.sheets, ...reference.sheets]),
    excluded: [...candidate.excluded, ...reference.excluded],
    points, dimensions: stats, total, disagreements: disagreements.slice(0, DISAGREEMENTS), warnings,
  };
}

function reasons(set: WorksheetSet): string {
  return set.excluded.length > 0 ? `: ${set.excluded.map(e => `${e.file ?? e.runId ?? ''} ${e.reason}`).join('; ')}` : '';
}
