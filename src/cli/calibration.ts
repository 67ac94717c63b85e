import { agreementFiles, calibrateFiles } from '../core/calibration/files';
import { agreementCsv, calibrationCsv } from '../core/calibration/csv';
import { ICC_FORMS, type AgreementReport, type AgreementStats, type CalibrationReport, type CalibrationStats, type Estimate, type Excluded, type Value } from '../core/calibration/types';
import { parseOrUsage, replaceFile, rubricResolver } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage';

const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;

/** A number for reading: up to `digits` decimals, trailing zeros dropped. */
function num(x: number, digits = 3): string {
  return String(Number(x.toFixed(digits)));
}

function est(e: Estimate, digits = 3): string {
  if (e.value === null) return `undefined (${e.reason ?? 'no value'})`;
  return e.lower === null || e.upper === null
    ? `${num(e.value, digits)} [interval undefined: ${e.reason ?? ''}]`
    : `${num(e.value, digits)} [${num(e.lower, digits)}, ${num(e.upper, digits)}]`;
}

function val(v: Value, digits = 3, unit = ''): string {
  return v.value === null ? `undefined (${v.reason ?? 'no value'})` : `${num(v.value, digits)}${unit}`;
}

function excludedLines(list: readonly Excluded[]): string[] {
  if (list.length === 0) return [];
  return ['Left out:', ...list.map(e => `  ${[e.file, e.runId !== undefined ? `run ${e.runId}` : undefined, e.dimension].filter(Boolean).join(' · ')}: ${e.reason}`)];
}

function agreementBlock(s: AgreementStats): string[] {
  return [
    `${s.title} (${s.id}, ceiling ${s.ceiling}): ICC on n = ${runs(s.n)} × k = ${s.k} graders; alpha over ${runs(s.pairable)} with two or more scores`,
    ...ICC_FORMS.map(f => `  ICC(${f})${' '.repeat(5 - f.length)} ${est(s.icc[f])}`),
    `  alpha (interval) ${s.alpha === null ? `undefined (${s.alphaReason ?? ''})` : num(s.alpha)}`,
  ];
}

function agreementText(r: AgreementReport): string[] {
  return [
    `Agreement on rubric ${r.rubric.id} ${r.rubric.version} (sha256 ${r.rubric.sha256.slice(0, 12)}…): ${r.graders.length} graders, ${runs(r.runs.length)}`,
    `Graders: ${r.graders.map(g => `${g.name} (${g.signed ? 'signed' : 'UNSIGNED'}, ${g.worksheets} worksheet${g.worksheets === 1 ? '' : 's'})`).join(', ')}`,
    ...r.notes.map(n => `Note: ${n}`),
    ...excludedLines(r.excluded),
    'ICC forms: Shrout & Fleiss (1979), McGraw & Wong (1996); 95% F-based intervals. Alpha: Krippendorff, interval metric.',
    '',
    ...[...r.dimensions, r.total].flatMap(s => [...agreementBlock(s), '']),
  ];
}

function calibrationBlock(s: CalibrationStats): string[] {
  const pct = (v: Value) => (v.value === null ? '' : ` (${num(v.value * 100, 1)}% of ${s.ceiling})`);
  return [
    `${s.title} (${s.id}, ceiling ${s.ceiling}): n ${runs(s.n)}; means candidate ${s.candidateMean === null ? '—' : num(s.candidateMean, 2)}, reference ${s.referenceMean === null ? '—' : num(s.referenceMean, 2)}`,
    `  bias (candidate − reference) ${est(s.bias, 2)} points`,
    `  MAE ${val(s.mae, 2)}${pct(s.maeShare)}; RMSE ${val(s.rmse, 2)}${pct(s.rmseShare)}; SD of differences ${val(s.sd, 2)}`,
    s.loa.lower.value === null
      ? `  limits of agreement undefined (${s.loa.lower.reason ?? ''})`
      : `  limits of agreement ${est(s.loa.lower, 2)} to ${est(s.loa.upper, 2)}`,
    `  Lin's CCC ${val(s.ccc)}; ICC(A,1) ${est(s.icc)}`,
  ];
}

function calibrationText(r: CalibrationReport): string[] {
  const lines = [
    `Calibration of ${r.candidate.name} (${r.candidate.signed ? 'signed' : 'UNSIGNED'}) on rubric ${r.rubric.id} ${r.rubric.version}: n ${runs(r.total.n)}`,
    `Reference: ${r.reference.description}`,
    ...r.warnings.map(w => `Warning: ${w}`),
    ...excludedLines(r.excluded),
    '',
    ...[...r.dimensions, r.total].flatMap(s => [...calibrationBlock(s), '']),
  ];
  if (r.disagreements.length > 0) {
    lines.push('Largest disagreements (by share of the ceiling):');
    for (const d of r.disagreements) {
      lines.push(`  ${d.runId} · ${d.title}: candidate ${num(d.candidate.points, 2)}, reference ${num(d.reference, 2)} (${d.difference > 0 ? '+' : ''}${num(d.difference, 2)} of ${d.ceiling})`);
      lines.push(`    ${d.candidate.grader}: ${d.candidate.rationale}`);
      for (const e of d.references) lines.push(`    ${e.grader} (${num(e.points, 2)}): ${e.rationale}`);
    }
  }
  return lines;
}

const COMMON = {
  'allowed-signers': { type: 'string' }, rubric: { type: 'string', multiple: true }, json: { type: 'boolean' }, csv: { type: 'string' },
} as const;

/**
 * `seb-review agreement FILE|DIR... [--allowed-signers F] [--rubric F]... [--json] [--csv F]`. Exit 0; 1 when a signed
 * worksheet failed verification (listed and left out); 2 for bad usage or input (a mixed rubric, one grader).
 */
export function agreementCommand(argv: string[], io: Output): number {
  const { values: v, positionals } = parseOrUsage(argv, COMMON);
  if (positionals.length === 0) throw new UsageError('agreement needs worksheet files or folders');
  const { report, failed } = agreementFiles(positionals, {
    resolveRubric: rubricResolver(v.rubric ?? []), ...(v['allowed-signers'] !== undefined ? { allowedSigners: v['allowed-signers'] } : {}),
  });
  if (v.csv !== undefined) replaceFile(v.csv, agreementCsv(report));
  if (v.json) io.json(report);
  else io.out(...agreementText(report));
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * `seb-review calibrate --candidate FILE|DIR... --reference FILE|DIR... [--allowed-signers F] [--rubric F]... [--json]
 * [--csv F]`. Exit codes as for agreement.
 */
export function calibrateCommand(argv: string[], io: Output): number {
  const { values: v, positionals } = parseOrUsage(argv, { ...COMMON, candidate: { type: 'string', multiple: true }, reference: { type: 'string', multiple: true } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0] ?? ''} (name files with --candidate or --reference)`);
  if (!v.candidate?.length) throw new UsageError('calibrate needs --candidate FILE|DIR (the grader being calibrated)');
  if (!v.reference?.length) throw new UsageError('calibrate needs --reference FILE|DIR (the reference worksheets or *.references.json)');
  const { report, failed } = calibrateFiles({ candidate: v.candidate, reference: v.reference }, {
    resolveRubric: rubricResolver(v.rubric ?? []), ...(v['allowed-signers'] !== undefined ? { allowedSigners: v['allowed-signers'] } : {}),
  });
  if (v.csv !== undefined) replaceFile(v.csv, calibrationCsv(report));
  if (v.json) io.json(report);
  else io.out(...calibrationText(report));
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}
