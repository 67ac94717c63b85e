/**
 * Which run of the worksheets read is audited, and the message for each input that cannot be: no usable worksheet,
 * one worksheet, worksheets of one run on different trees or on different rubrics. Plain Node (no 'vscode'): tested in
 * test/unit/audit-inputs.test.ts.
 */
import path from 'node:path';
import { type AggregateReport, type RunAggregate } from '../../core/adjudication/aggregate';
import { type ScoredSheet, type SheetGroup } from '../../core/calibration/inputs';

const name = (f: string) => path.basename(f);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Every run id the worksheets are for (aggregated or not), sorted. */
export function runIdsOf(report: AggregateReport): string[] {
  return [...new Set([...report.runs.map(r => r.runId), ...report.findings.map(f => f.runId)])].sort();
}

/** How many of a run's worksheets were read (verified or plain), over every rubric. */
export function worksheetCount(groups: readonly SheetGroup[], runId: string): number {
  return groups.reduce((n, g) => n + g.set.sheets.filter(s => s.runId === runId && s.kind === 'worksheet').length, 0);
}

function leftOut(report: AggregateReport): string {
  const failed = report.excluded.filter(x => x.file !== undefined);
  return failed.length === 0 ? '' : ` Left out: ${failed.map(x => `${name(x.file ?? '')} ${x.reason}`).join('; ')}.`;
}

/** Why there is nothing to audit at all. */
export function noRunMessage(paths: readonly string[], report: AggregateReport): string {
  return `No run to audit in ${paths.join(', ')}: no worksheet could be used.${leftOut(report)}`;
}

export type Chosen =
  | { ok: true; run: RunAggregate; group: SheetGroup; sheets: ScoredSheet[]; blocked: string[] }
  | { ok: false; message: string };

/** The run to audit, its rubric group and its worksheets in the order of run.sources; or why it cannot be audited. */
export function chooseRun(report: AggregateReport, groups: readonly SheetGroup[], runId: string): Chosen {
  const rubrics = groups.filter(g => g.set.sheets.some(s => s.runId === runId && s.kind === 'worksheet'));
  if (rubrics.length > 1) {
    return { ok: false, message: `The worksheets for run ${runId} are on different rubrics (${rubrics.map(g =>
      `${g.ref.id} ${g.ref.version}, sha256 ${g.ref.sha256.slice(0, 12)}…: ${g.set.sheets.filter(s => s.runId === runId).map(s => name(s.file)).join(', ')}`).join('; ')}): they cannot be aggregated.` };
  }
  const finding = report.findings.find(f => f.runId === runId);
  if (finding) {
    return { ok: false, message: /one worksheet/.test(finding.message)
      ? `Nothing to audit: ${finding.message}. An audit compares two worksheets or more.${leftOut(report)}`
      : `The worksheets cannot be audited together: ${finding.message}.` };
  }
  const run = report.runs.find(r => r.runId === runId);
  const group = rubrics[0];
  if (!run || !group) return { ok: false, message: `No worksheet for run ${runId} could be used.${leftOut(report)}` };
  const sheets = run.sources.map(x => group.set.sheets.find(y => y.file === x.file)).filter((x): x is ScoredSheet => x !== undefined);
  const blocked: string[] = [];
  const failed = groups.reduce((n, g) => n + g.set.failed, 0);
  if (failed > 0) blocked.push(`${plural(failed, 'signed worksheet')} could not be verified (see Left out): an adjudication settles verified worksheets only`);
  // any other file left out (a malformed plain worksheet, a grader's second worksheet for the run) would silently drop
  // a grader from the record: settle that first
  const otherLeft = report.excluded.filter(x => x.file !== undefined).length - failed;
  if (otherLeft > 0) blocked.push(`${plural(otherLeft, 'other file')} left out (see Left out): remove or fix ${otherLeft === 1 ? 'it' : 'them'} first, so that no grader's worksheet is dropped from the record`);
  for (const x of run.sources) if (!x.signed) blocked.push(`${name(x.file)} is not signed: an adjudication settles signed worksheets only`);
  return { ok: true, run, group, sheets, blocked };
}
