import { aggregateReport, DEFAULT_GAP_SHARE, type AggregateMethod, type AggregateReport, type DimensionAggregate } from '../core/adjudication/aggregate';
import { readGroups } from '../core/calibration/files';
import { parseOrUsage, rubricResolver } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage';

const num = (x: number) => String(Number(x.toFixed(3)));

function row(d: DimensionAggregate, method: AggregateMethod, gapShare: number): string {
  const each = d.points.map(p => `${p.grader} ${num(p.points)}`).join(', ');
  const flag = d.disagreement ? `  ← graders differ by ${num(d.spread)} (more than ${num(gapShare * d.ceiling)}, ${num(gapShare * 100)}% of ${d.ceiling})` : '';
  return `  ${d.title} (/${d.ceiling}): ${method} ${num(d.aggregate)}; ${each}; spread ${num(d.spread)}${flag}`;
}

function text(r: AggregateReport): string[] {
  const lines: string[] = [];
  for (const run of r.runs) {
    lines.push(`Run ${run.runId} (rubric ${run.rubric.id} ${run.rubric.version}; baseline tree ${run.trees.baseline.slice(0, 12)}, run tree ${run.trees.run.slice(0, 12)}): ` +
      `${r.method} total ${num(run.total.aggregate)} of ${run.total.ceiling}; graders' totals ${run.sources.map(s => `${s.grader} ${num(s.total)}${s.signed ? '' : ' (UNSIGNED)'}`).join(', ')}`);
    for (const d of [...run.dimensions, run.total]) lines.push(row(d, r.method, r.gapShare));
    if (r.method === 'median' && Math.abs(run.sumOfDimensions - run.total.aggregate) > 1e-9) {
      lines.push(`  (the sum of the dimensions' medians is ${num(run.sumOfDimensions)}; the median of the totals is ${num(run.total.aggregate)})`);
    }
    for (const s of run.sources) lines.push(`  ${s.grader}: ${s.file} (sha256 ${s.sha256.slice(0, 16)}…)`);
    lines.push('');
  }
  for (const f of r.findings) lines.push(`Finding: ${f.message}`);
  if (r.excluded.length > 0) lines.push('Left out:', ...r.excluded.map(e => `  ${e.file ?? e.runId ?? ''}: ${e.reason}`));
  if (r.runs.length === 0) lines.push('No run has two or more usable worksheets: nothing was aggregated.');
  return lines;
}

/**
 * `seb-review aggregate FILE|DIR... --allowed-signers F [--method mean|median] [--gap SHARE] [--rubric F]... [--json]`:
 * the disputed runs' worksheets side by side. Exit 1 when a worksheet failed verification or a run's worksheets were
 * scored on different trees; 2 for bad usage or unreadable input.
 */
export function aggregateCommand(argv: string[], io: Output): number {
  const { values: v, positionals } = parseOrUsage(argv, {
    'allowed-signers': { type: 'string' }, method: { type: 'string' }, gap: { type: 'string' }, rubric: { type: 'string', multiple: true }, json: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('aggregate needs worksheet files or folders');
  const signers = v['allowed-signers'];
  if (signers === undefined) throw new UsageError('aggregate needs --allowed-signers FILE: every signed worksheet is verified before it counts');
  const method = v.method ?? 'mean';
  if (method !== 'mean' && method !== 'median') throw new UsageError(`--method must be mean or median (got ${JSON.stringify(method)})`);
  const gap = v.gap === undefined ? DEFAULT_GAP_SHARE : Number(v.gap);
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(v.gap ?? '0.25') || !(gap > 0 && gap <= 1)) {
    throw new UsageError(`--gap must be a share of the ceiling above 0 and at most 1, such as 0.25 (got ${JSON.stringify(v.gap)})`);
  }
  const groups = readGroups(positionals, { resolveRubric: rubricResolver(v.rubric ?? []), allowedSigners: signers });
  const report = aggregateReport(groups, method, gap);
  if (v.json) io.json(report);
  else io.out(...text(report));
  const failed = groups.reduce((n, g) => n + g.set.failed, 0);
  return failed > 0 || report.findings.some(f => /different trees/.test(f.message)) ? EXIT_FINDINGS : EXIT_OK;
}
