import { SebError } from '../errors';
import { type ResolvedRubric } from '../attestation';
import { gradersOf, sourcesOf, type ScoredSheet, type WorksheetSet } from './inputs';
import { icc, krippendorffAlpha } from './stats';
import { type AgreementReport, type AgreementStats, type Excluded } from './types';
import { TOTAL, scoreOf, dimensionsOf } from './scores';

export { TOTAL, scoreOf, dimensionsOf };

/**
 * Agreement among all graders, per dimension and on the total, on the runs × graders matrix. ICC needs a complete
 * matrix: a run missing any grader's score is left out of ICC (listed in `excluded`, with the graders it lacks) but
 * still counts for Krippendorff's alpha, which allows missing values.
 */
export function agreementReport(set: WorksheetSet, rubric: ResolvedRubric): AgreementReport {
  const graders = gradersOf(set.sheets);
  if (graders.length < 2) {
    const only = graders[0];
    throw new SebError('bad-manifest', only === undefined
      ? `no worksheet could be used${set.excluded.length > 0 ? `: ${set.excluded.map(e => `${e.file ?? e.runId ?? ''} ${e.reason}`).join('; ')}` : ''}`
      : `agreement needs at least two graders, but every usable worksheet is by ${only.name} (${set.sheets.map(s => s.file).join(', ')})`);
  }
  const runs = [...new Set(set.sheets.map(s => s.runId))].sort();
  const cell = new Map<string, ScoredSheet>();
  for (const s of set.sheets) cell.set(JSON.stringify([s.runId, s.grader]), s);
  const at = (run: string, grader: string) => cell.get(JSON.stringify([run, grader]));
  const excluded: Excluded[] = [...set.excluded];
  const notes: string[] = [];

  for (const run of runs) {
    const missing = graders.filter(g => at(run, g.name) === undefined).map(g => g.name);
    if (missing.length > 0) excluded.push({ runId: run, reason: `no worksheet from ${missing.join(', ')}: left out of ICC (alpha uses its scores)` });
  }
  const statsFor = (d: { id: string; title: string; ceiling: number }): AgreementStats => {
    const complete: number[][] = [];
    const units: Array<Array<number | null>> = [];
    for (const run of runs) {
      const row = graders.map(g => {
        const s = at(run, g.name);
        return s === undefined ? undefined : scoreOf(s, d.id);
      });
      units.push(row.map(v => v ?? null));
      if (row.every((v): v is number => v !== undefined)) complete.push(row);
      else if (graders.every(g => at(run, g.name) !== undefined)) {
        // every grader scored the run, but one published no score on this dimension
        const lacking = graders.filter((_, i) => row[i] === undefined).map(g => g.name);
        excluded.push({ runId: run, dimension: d.id, reason: `${lacking.join(', ')} gave no score on ${d.id}: left out of ICC on it` });
      }
    }
    const alpha = krippendorffAlpha(units, 'interval');
    return {
      id: d.id, title: d.title, ceiling: d.ceiling, n: complete.length, k: graders.length,
      icc: icc(complete),
      alpha: alpha.value, ...(alpha.reason !== undefined ? { alphaReason: alpha.reason } : {}), pairable: alpha.pairable,
    };
  };
  const all = dimensionsOf(rubric).map(statsFor);
  const total = all.pop() as AgreementStats;

  if (runs.length < 2) notes.push(`only one run (${runs[0] ?? ''}): ICC and alpha need at least two runs to say anything`);
  const trees = new Map<string, Set<string>>();
  for (const s of set.sheets) if (s.trees) trees.set(s.runId, (trees.get(s.runId) ?? new Set()).add(`${s.trees.baseline}/${s.trees.run}`));
  for (const [run, t] of trees) if (t.size > 1) notes.push(`run ${run} was scored on ${t.size} different trees: its graders did not all see the same code`);
  if (graders.some(g => !g.signed)) notes.push(`unsigned: ${graders.filter(g => !g.signed).map(g => g.name).join(', ')} (plain worksheets or published references, not verified)`);

  return {
    format: 'seb-review/agreement@1',
    rubric: { id: rubric.rubric.id, version: rubric.rubric.version, sha256: rubric.sha256 },
    graders, runs, sources: sourcesOf(set.sheets), excluded, dimensions: all, total, notes,
  };
}
