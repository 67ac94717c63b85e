import type { CalibrationReport } from '../../core/calibration/types';
import { Calibration, MAX_IMAGE_DATA_URL } from '../../protocol/webview/calibration';
import { h } from '../dom';
import { on, post, ready } from '../host';
import { Charts, composeImage, totalSummary } from './charts';
import { FEW_RUNS, runs } from './format';
import { biasTable, blandAltmanTable, disagreements, excludedList, numbersTable, radarTable, sourcesTable } from './tables';

/**
 * The Calibration view: a candidate grader against reference graders on one rubric. Three charts (canvas), each with a
 * visible table of the same numbers beside it, which is what a screen reader reads; the full table of statistics; the
 * largest disagreements with links that ask the host to open the evidence; the worksheets read and those left out.
 * The numbers are reported as they are: n always, the warnings when there are few runs, no verdict labels.
 */

let charts: Charts | undefined;
let report: CalibrationReport | undefined;

const CAPTIONS = {
  radar: 'Mean score per dimension, as a share of its ceiling',
  bias: 'Bias per dimension and total (candidate − reference), as a share of the ceiling, with its 95% interval',
  blandAltman: 'Bland–Altman plot of the totals (points): difference against mean, with the bias and the 95% limits of agreement',
} as const;

function figure(id: string, caption: string, label: string, beside: HTMLElement): { el: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${label} The table beside it has the same numbers.` });
  canvas.textContent = 'The table beside this chart has its numbers.';
  const el = h('figure', { class: 'chart', id },
    h('figcaption', {}, caption),
    h('div', { class: 'figure-body' }, h('div', { class: `chart-box ${id}` }, canvas), h('div', { class: 'beside' }, beside)));
  return { el, canvas };
}

function graderText(g: { name: string; signed: boolean; worksheets: number }): HTMLElement {
  return h('span', { class: 'grader-info' }, h('span', { class: 'grader' }, g.name),
    ` (${g.worksheets} worksheet${g.worksheets === 1 ? '' : 's'}, ${g.signed ? 'all signed and verified' : 'not all signed'})`);
}

function header(r: CalibrationReport): HTMLElement {
  return h('header', {},
    h('h1', {}, 'Calibration of ', h('span', { class: 'grader' }, r.candidate.name)),
    h('p', { class: 'sub' }, `Against ${r.reference.description} · rubric ${r.rubric.id} v${r.rubric.version} · `,
      h('strong', { class: 'n', 'data-testid': 'n' }, `${runs(r.total.n)} scored by both`), ' (total)'),
    h('dl', { class: 'graders' },
      h('dt', {}, 'Candidate'), h('dd', {}, graderText(r.candidate)),
      h('dt', {}, 'Reference'),
      h('dd', {}, r.reference.combined === 'mean' && r.reference.graders.length > 1 ? 'the mean of their scores per run: ' : '',
        ...r.reference.graders.flatMap((g, i) => [i > 0 ? '; ' : '', graderText(g)]))));
}

/** The warnings the report carries; with too few runs and none carried, the page says so itself. */
function warningTexts(r: CalibrationReport): string[] {
  if (r.warnings.length > 0) return r.warnings;
  const n = r.total.n;
  return n < FEW_RUNS ? [`Only ${n} run${n === 1 ? '' : 's'}: with fewer than ${FEW_RUNS} runs the intervals are too wide to conclude.`] : [];
}

function warnings(r: CalibrationReport): HTMLElement | undefined {
  const list = warningTexts(r);
  if (list.length === 0) return undefined;
  return h('section', { class: 'warnings', 'aria-label': 'Warnings' },
    h('ul', {}, ...list.map(w => h('li', {}, h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), ' ', w))));
}

function toolbar(): HTMLElement {
  const csv = h('button', { type: 'button', class: 'secondary' }, h('span', { class: 'codicon codicon-table', 'aria-hidden': 'true' }), ' Export CSV\u2026');
  const image = h('button', { type: 'button', class: 'secondary' }, h('span', { class: 'codicon codicon-file-media', 'aria-hidden': 'true' }), ' Export Image\u2026');
  csv.addEventListener('click', () => post(Calibration.exportCsv, undefined));
  image.addEventListener('click', exportImage);
  return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Export' }, csv, image);
}

function setStatus(text: string): void {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

function exportImage(): void {
  if (!report) return;
  const r = report;
  try {
    const dataUrl = composeImage(r, [CAPTIONS.radar, CAPTIONS.bias, CAPTIONS.blandAltman], `Calibration of ${r.candidate.name}`,
      [`Against ${r.reference.description} · rubric ${r.rubric.id} v${r.rubric.version} · ${runs(r.total.n)} scored by both (total).`, totalSummary(r), ...warningTexts(r)]);
    if (dataUrl.length > MAX_IMAGE_DATA_URL) {
      setStatus('The image is too large to export.');
      return;
    }
    setStatus('');
    post(Calibration.exportImage, { dataUrl });
  } catch (e) {
    setStatus(`The image could not be made: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function section(title: string, ...children: Array<HTMLElement | undefined>): HTMLElement {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

function render(r: CalibrationReport): void {
  const app = document.getElementById('app');
  if (!app) return;
  charts?.destroy();
  charts = undefined;
  report = r;
  const radar = figure('radar', CAPTIONS.radar,
    `Radar chart: each dimension's mean score as a share of its ceiling, the candidate (solid) against the reference (dashed).`, radarTable(r));
  const bias = figure('bias', CAPTIONS.bias,
    'Bias chart: per dimension and for the total, the bias as a share of the ceiling (a point) and its 95% interval (a bar), with the zero line.', biasTable(r));
  const ba = figure('blandAltman', CAPTIONS.blandAltman,
    `Bland–Altman plot of the totals, ${runs((r.points[r.total.id] ?? []).length)}: difference against mean per run, with the bias and both limits of agreement as lines.`,
    blandAltmanTable(r));
  app.replaceChildren(
    header(r),
    toolbar(),
    h('p', { id: 'status', class: 'status', role: 'status' }),
    warnings(r) ?? '',
    radar.el, bias.el, ba.el,
    section('Every statistic', numbersTable(r),
      h('p', { class: 'muted' }, 'Bias: mean of candidate − reference. Limits of agreement: bias ± 1.96 SD of the differences (Bland & Altman 1986). ' +
        'CCC: Lin\'s concordance correlation coefficient. ICC(A,1): absolute agreement of candidate and reference. Intervals are 95%.')),
    section('Largest disagreements', disagreements(r)),
    section('Worksheets read', sourcesTable(r)),
    section('Left out', excludedList(r)),
  );
  charts = new Charts(r, [radar.canvas, bias.canvas, ba.canvas]);
}

// VS Code changes the body's class (vscode-light, vscode-dark, vscode-high-contrast…) and the colour variables with the theme.
new MutationObserver(() => charts?.redraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

on(Calibration.show, render);
ready();
