import { type ResolvedRubric } from '../attestation';
import { dimensionsOf, scoreOf, TOTAL } from '../calibration/scores';
import { type ScoredSheet, type SheetGroup } from '../calibration/inputs';
import { type Excluded, type RubricRef } from '../calibration/types';

/**
 * Aggregating the worksheets of disputed runs: per run (and rubric), every grader's points per dimension and on the
 * total, the aggregate by the method (the mean, as the benchmark does, or the median), the spread, and the dimensions
 * where the graders differ by more than a threshold (by default a quarter of the ceiling). Worksheets for one run id
 * scored on different trees are a finding, never averaged.
 */

export type AggregateMethod = 'mean' | 'median';
/** The default threshold: graders differ on a dimension when their points are more than this share of its ceiling apart. */
export const DEFAULT_GAP_SHARE = 0.25;

export interface GraderPoints {
  grader: string;
  file: string;
  points: number;
}

export interface DimensionAggregate {
  id: string;
  title: string;
  ceiling: number;
  points: GraderPoints[];
  aggregate: number;
  /** Largest minus smallest. */
  spread: number;
  /** Whether the spread is above the threshold (share × ceiling). */
  disagreement: boolean;
}

export interface SourceSheet {
  file: string;
  grader: string;
  signed: boolean;
  /** sha256 of the file's bytes. */
  sha256: string;
  total: number;
}

export interface RunAggregate {
  runId: string;
  rubric: RubricRef;
  trees: { baseline: string; run: string };
  sources: SourceSheet[];
  dimensions: DimensionAggregate[];
  total: DimensionAggregate;
  /** The sum of the per-dimension aggregates (for the mean, the same as the total's aggregate). */
  sumOfDimensions: number;
}

export interface AggregateReport {
  format: 'seb-review/aggregate@1';
  method: AggregateMethod;
  /** The disagreement threshold, as a share of each ceiling. */
  gapShare: number;
  runs: RunAggregate[];
  /** Runs that were not aggregated, and why (trees differ, one worksheet). */
  findings: Array<{ runId: string; message: string; files: string[] }>;
  excluded: Excluded[];
}

export function aggregateOf(values: readonly number[], method: AggregateMethod): number {
  if (method === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function dimension(d: { id: string; title: string; ceiling: number }, sheets: readonly ScoredSheet[], method: AggregateMethod, gapShare: number): DimensionAggregate {
  const points = sheets.flatMap(s => {
    const p = scoreOf(s, d.id);
    return p === undefined ? [] : [{ grader: s.grader, file: s.file, points: p }];
  });
  const values = points.map(p => p.points);
  const spread = Math.max(...values) - Math.min(...values);
  return { ...d, points, aggregate: aggregateOf(values, method), spread, disagreement: spread > gapShare * d.ceiling + 1e-9 };
}

/** One run's worksheets (all on `rubric`, all for one run id): aggregated, or the finding that keeps them apart. */
function aggregateRun(runId: string, sheets: readonly ScoredSheet[], rubric: ResolvedRubric, method: AggregateMethod, gapShare: number):
  { run: RunAggregate } | { finding: AggregateReport['findings'][number] } {
  const files = sheets.map(s => s.file);
  const trees = new Map<string, string[]>();
  for (const s of sheets) {
    const k = s.trees ? `baseline ${s.trees.baseline.slice(0, 12)}, run ${s.trees.run.slice(0, 12)}` : 'no trees';
    trees.set(k, [...(trees.get(k) ?? []), s.file]);
  }
  if (trees.size > 1) {
    return { finding: { runId, files, message: `the worksheets for run ${runId} were scored on different trees (${[...trees].map(([k, f]) => `${k}: ${f.join(', ')}`).join('; ')}): not aggregated` } };
  }
  if (sheets.length < 2) return { finding: { runId, files, message: `run ${runId} has one worksheet (${files.join(', ')}): nothing to aggregate` } };
  const first = sheets[0] as ScoredSheet;
  const all = dimensionsOf(rubric).map(d => dimension(d, sheets, method, gapShare));
  const total = all.pop() as DimensionAggregate;
  return {
    run: {
      runId, rubric: { id: rubric.rubric.id, version: rubric.rubric.version, sha256: rubric.sha256 },
      trees: first.trees ?? { baseline: '', run: '' },
      sources: sheets.map(s => ({ file: s.file, grader: s.grader, signed: s.signed, sha256: s.sha256 ?? '', total: s.total })),
      dimensions: all, total, sumOfDimensions: all.reduce((n, d) => n + d.aggregate, 0),
    },
  };
}

/** Every run of every rubric group; reference profiles are not worksheets of a dispute and are left out. */
export function aggregateReport(groups: readonly SheetGroup[], method: AggregateMethod, gapShare = DEFAULT_GAP_SHARE): AggregateReport {
  const runs: RunAggregate[] = [];
  const findings: AggregateReport['findings'] = [];
  const excluded: Excluded[] = [];
  for (const g of groups) {
    excluded.push(...g.set.excluded);
    const byRun = new Map<string, ScoredSheet[]>();
    for (const s of g.set.sheets) {
      if (s.kind === 'references') {
        excluded.push({ file: s.file, runId: s.runId, reason: 'published reference profiles are not a grader\'s worksheet: not aggregated' });
        continue;
      }
      byRun.set(s.runId, [...(byRun.get(s.runId) ?? []), s]);
    }
    for (const [runId, sheets] of [...byRun].sort(([a], [b]) => a.localeCompare(b))) {
      const r = aggregateRun(runId, sheets, g.rubric, method, gapShare);
      if ('run' in r) runs.push(r.run);
      else findings.push(r.finding);
    }
  }
  return { format: 'seb-review/aggregate@1', method, gapShare, runs, findings, excluded };
}

export { TOTAL };
