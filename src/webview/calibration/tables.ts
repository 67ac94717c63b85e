import type { CalibrationReport, CalibrationStats, Disagreement, GraderEntry } from '../../core/calibration/types';
import { Calibration } from '../../protocol/webview/calibration';
import { h } from '../dom';
import { post } from '../host';
import {
  FEW_RUNS, coefficient, estimateShare, estimateShown, fewRuns, fixed, lines, meanShown, pointsAndShare, pts, runs, signed, signedPct, signedPts,
  valueShown, type Shown,
} from './format';

/** The Calibration view's tables: one beside each chart with its numbers, the full table, the disagreements, the sources. */

/** A data cell: the value, its interval on a line below, and the reason when it has no number. */
function td(s: Shown, cls = ''): HTMLTableCellElement {
  return h('td', { class: [cls, s.reason ? 'undefined' : ''].filter(Boolean).join(' ') || undefined },
    h('span', { class: 'v' }, s.text),
    s.interval ? ' ' : undefined, s.interval ? h('span', { class: 'ci' }, s.interval) : undefined,
    s.reason ? ' ' : undefined, s.reason ? h('span', { class: 'reason' }, s.reason) : undefined);
}

/** The n cell: marked when there are too few runs to conclude from. */
function nCell(s: CalibrationStats): HTMLTableCellElement {
  return fewRuns(s)
    ? h('td', { class: 'few', title: `Fewer than ${FEW_RUNS} runs: the intervals are too wide to conclude.` }, String(s.n), ' ', h('span', { class: 'reason' }, `fewer than ${FEW_RUNS}`))
    : h('td', {}, String(s.n));
}

const rowHead = (s: CalibrationStats, total: boolean) => h('th', { scope: 'row', class: total ? 'total' : undefined }, s.title);
const colHeads = (...names: string[]) => h('thead', {}, h('tr', {}, ...names.map(n => h('th', { scope: 'col' }, n))));

function table(caption: string, cls: string, head: HTMLElement, rows: HTMLElement[]): HTMLTableElement {
  return h('table', { class: cls }, h('caption', {}, caption), head, h('tbody', {}, ...rows));
}

/** Beside the radar: each dimension's means in points and as a share of its ceiling. */
export function radarTable(r: CalibrationReport): HTMLTableElement {
  return table('Mean score per dimension: points (share of the ceiling)', 'chart-table radar-table',
    colHeads('Dimension', 'Ceiling', 'n', 'Candidate mean', 'Reference mean'),
    r.dimensions.map(d => h('tr', { 'data-dimension': d.id }, rowHead(d, false), h('td', {}, String(d.ceiling)), nCell(d),
      td(meanShown(d.candidateMean, d.ceiling)), td(meanShown(d.referenceMean, d.ceiling)))));
}

/** Beside the bias chart: each bias with its interval, as a share of the ceiling and in points. */
export function biasTable(r: CalibrationReport): HTMLTableElement {
  return table('Bias, candidate − reference, with its 95% interval', 'chart-table bias-table',
    colHeads('Dimension', 'n', 'Bias (% of ceiling)', 'Bias (points)'),
    [...r.dimensions, r.total].map(s => h('tr', { 'data-dimension': s.id, class: s === r.total ? 'total' : undefined }, rowHead(s, s === r.total), nCell(s),
      td(estimateShown(estimateShare(s.bias, s.ceiling), signedPct)), td(estimateShown(s.bias, signedPts)))));
}

/** Beside the Bland–Altman plot: each run's totals, then the bias and the limits. */
export function blandAltmanTable(r: CalibrationReport): HTMLTableElement {
  const points = r.points[r.total.id] ?? [];
  const s = r.total;
  return h('table', { class: 'chart-table ba-table' },
    h('caption', {}, `Totals per run (${runs(points.length)})`),
    colHeads('Run', 'Candidate', 'Reference', 'Mean', 'Difference'),
    h('tbody', {}, ...points.map(p => h('tr', { 'data-run': p.runId }, h('th', { scope: 'row' }, p.runId), h('td', {}, fixed(p.candidate)),
      h('td', {}, fixed(p.reference)), h('td', {}, fixed((p.candidate + p.reference) / 2)), h('td', {}, signed(p.candidate - p.reference))))),
    h('tfoot', {},
      h('tr', { 'data-line': 'bias' }, h('th', { scope: 'row', colspan: '4' }, 'Bias (mean difference) [95% interval]'), td(estimateShown(s.bias, signedPts))),
      h('tr', { 'data-line': 'upper' }, h('th', { scope: 'row', colspan: '4' }, 'Upper limit of agreement [95% interval]'), td(estimateShown(s.loa.upper, signedPts))),
      h('tr', { 'data-line': 'lower' }, h('th', { scope: 'row', colspan: '4' }, 'Lower limit of agreement [95% interval]'), td(estimateShown(s.loa.lower, signedPts)))));
}

/** Every number, per dimension and for the total. */
export function numbersTable(r: CalibrationReport): HTMLElement {
  const row = (s: CalibrationStats) => {
    const total = s === r.total;
    return h('tr', { 'data-dimension': s.id, class: total ? 'total' : undefined }, rowHead(s, total), h('td', {}, String(s.ceiling)), nCell(s),
      td(meanShown(s.candidateMean, s.ceiling)), td(meanShown(s.referenceMean, s.ceiling)),
      td(estimateShown(s.bias, signedPts)), td(valueShown(s.sd, pts)),
      td(pointsAndShare(s.mae, s.maeShare)), td(pointsAndShare(s.rmse, s.rmseShare)),
      td(estimateShown(s.loa.lower, signedPts)), td(estimateShown(s.loa.upper, signedPts)),
      td(valueShown(s.ccc, coefficient)), td(estimateShown(s.icc, coefficient)));
  };
  const t = table('Candidate against reference: every statistic, per dimension and for the total (points unless marked %; 95% intervals in brackets)',
    'numbers', colHeads('Dimension', 'Ceiling', 'n', 'Candidate mean', 'Reference mean', 'Bias', 'SD of differences', 'MAE (% of ceiling)',
      'RMSE (% of ceiling)', 'Lower limit of agreement', 'Upper limit of agreement', 'CCC', 'ICC(A,1)'),
    [...r.dimensions, r.total].map(row));
  return h('div', { class: 'scroll', role: 'region', 'aria-label': 'Every statistic (scrolls sideways)', tabindex: '0' }, t);
}

function evidenceButton(entry: GraderEntry, d: Disagreement, index: number): HTMLElement {
  const e = entry.evidence[index];
  if (!e) return h('li', {});
  const where = `${e.side} ${e.path}:${lines(e.startLine, e.endLine)}`;
  const b = h('button', { type: 'button', class: 'link evidence', title: `Open ${where} (${entry.file})` }, where);
  b.addEventListener('click', () => post(Calibration.openEvidence, { file: entry.file, dimension: d.dimension, index }));
  return h('li', {}, b, e.note ? h('span', { class: 'note' }, ` ${e.note}`) : undefined);
}

function entryCard(role: string, entry: GraderEntry, d: Disagreement): HTMLElement {
  const open = h('button', { type: 'button', class: 'link worksheet', title: `Open ${entry.file} at ${d.dimension}` }, entry.file);
  open.addEventListener('click', () => post(Calibration.openEvidence, { file: entry.file, dimension: d.dimension }));
  return h('section', { class: `entry ${role === 'Candidate' ? 'candidate' : 'reference'}`, 'aria-label': `${role}: ${entry.grader}` },
    h('h4', {}, `${role}: `, h('span', { class: 'grader' }, entry.grader), ` \u2014 ${fixed(entry.points)} of ${d.ceiling} pts`),
    h('p', { class: 'rationale' }, entry.rationale),
    entry.evidence.length > 0
      ? h('ul', { class: 'evidence-list', 'aria-label': 'Evidence' }, ...entry.evidence.map((_, i) => evidenceButton(entry, d, i)))
      : h('p', { class: 'no-evidence' }, 'No evidence cited.'),
    h('p', { class: 'file' }, 'Worksheet: ', open));
}

/** The largest disagreements: what each side gave and why, side by side, with links to the evidence. */
export function disagreements(r: CalibrationReport): HTMLElement {
  if (r.disagreements.length === 0) return h('p', { class: 'muted' }, 'No disagreements to show.');
  return h('ol', { class: 'disagreements' }, ...r.disagreements.map(d => {
    const combined = d.references.length > 1 ? ` (mean of ${d.references.length})` : '';
    return h('li', { class: 'disagreement', 'data-run': d.runId, 'data-dimension': d.dimension },
      h('h3', {}, h('span', { class: 'run' }, d.runId), ` \u00b7 ${d.title}: `,
        h('span', { class: 'difference' }, `${signed(d.difference)} pts`), ` (candidate ${fixed(d.candidate.points)}, reference${combined} ${fixed(d.reference)}, of ${d.ceiling})`),
      h('div', { class: 'entries' }, entryCard('Candidate', d.candidate, d), ...d.references.map(e => entryCard('Reference', e, d))));
  }));
}

/** The worksheets read: signed ones marked as verified, unsigned ones as such. */
export function sourcesTable(r: CalibrationReport): HTMLElement {
  return h('div', { class: 'scroll', role: 'region', 'aria-label': 'Worksheets read (scrolls sideways)', tabindex: '0' },
    table(`Worksheets read (${r.sources.length})`, 'sources', colHeads('Worksheet', 'Run', 'Grader', 'Kind', 'Signature', 'Total'),
      r.sources.map(s => h('tr', {}, h('th', { scope: 'row', class: 'path' }, s.file), h('td', {}, s.runId), h('td', {}, s.grader), h('td', {}, s.kind),
        h('td', { class: s.signed ? 'signed' : 'unsigned' }, s.signed ? 'signed, verified' : 'unsigned'), h('td', {}, fixed(s.total))))));
}

/** What was left out, and why. */
export function excludedList(r: CalibrationReport): HTMLElement {
  if (r.excluded.length === 0) return h('p', { class: 'muted' }, 'Nothing was left out.');
  return h('ul', { class: 'excluded' }, ...r.excluded.map(x => {
    const what = [x.file, x.runId !== undefined ? `run ${x.runId}` : undefined, x.dimension !== undefined ? `dimension ${x.dimension}` : undefined]
      .filter((p): p is string => p !== undefined);
    return h('li', {}, ...what.flatMap((p, i) => [i > 0 ? ', ' : '', h('span', { class: 'what' }, p)]), what.length > 0 ? ': ' : '',
      h('span', { class: 'why' }, x.reason));
  }));
}
