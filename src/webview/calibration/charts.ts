import {
  BarController, BarElement, BasicPlatform, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, RadarController,
  RadialLinearScale, ScatterController, Tooltip, type ChartConfiguration, type ChartDataset, type ScriptableScaleContext,
} from 'chart.js';
import type { CalibrationReport, CalibrationStats } from '../../core/calibration/types';
import { estimateShare, fixed, isNumber, percent, shareOf, signed, signedPct, wrapWords } from './format';

/**
 * The Calibration view's three charts, drawn with Chart.js on canvases (no eval, no inline style attributes: Chart.js
 * sizes its canvas through the CSSOM, which the webview's CSP allows). Only the controllers, elements and scales used
 * here are registered, so the rest of Chart.js is left out of the bundle. Colours come from the VS Code theme's CSS
 * variables; main.ts draws the charts again when the theme changes. Animations are off: the charts are read, not watched.
 */
Chart.register(RadarController, RadialLinearScale, BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement,
  PointElement, ScatterController, Filler, Legend, Tooltip);

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  candidate: string;
  reference: string;
  interval: string;
  limits: string;
  fontFamily: string;
  fontSize: number;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, names: readonly string[], fallback: string): string {
  for (const name of names) {
    const v = style.getPropertyValue(name).trim();
    if (v) return v;
  }
  return fallback;
}

/** The theme's colours and font, as the page's CSS variables have them now. */
export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const foreground = cssVar(s, ['--vscode-charts-foreground', '--vscode-foreground'], '#888888');
  return {
    foreground,
    muted: cssVar(s, ['--vscode-descriptionForeground'], foreground),
    grid: cssVar(s, ['--vscode-charts-lines', '--vscode-panel-border'], withAlpha(foreground, 0.3)),
    background: cssVar(s, ['--vscode-editor-background'], '#ffffff'),
    candidate: cssVar(s, ['--vscode-charts-blue'], foreground),
    reference: cssVar(s, ['--vscode-charts-orange'], foreground),
    interval: cssVar(s, ['--vscode-charts-purple', '--vscode-charts-blue'], foreground),
    limits: cssVar(s, ['--vscode-charts-red', '--vscode-errorForeground'], foreground),
    fontFamily: cssVar(s, ['--vscode-font-family'], 'sans-serif'),
    fontSize: Number.parseFloat(cssVar(s, ['--vscode-font-size'], '13')) || 13,
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

let probe: CanvasRenderingContext2D | null | undefined;

/** The colour with its opacity multiplied by `alpha` (any CSS colour the canvas understands). */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${hex.slice(1).map(x => Number.parseInt(x, 16)).join(', ')}, ${alpha})`;
  const rgba = /^rgba?\(([^)]+)\)$/.exec(c)?.[1]?.split(',').map(x => Number.parseFloat(x));
  if (rgba && rgba.length >= 3) return `rgba(${rgba.slice(0, 3).join(', ')}, ${(rgba[3] ?? 1) * alpha})`;
  return color;
}

function common(t: Theme) {
  const font = { family: t.fontFamily, size: Math.round(t.fontSize * 0.92) };
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    font,
    plugins: {
      legend: { labels: { color: t.foreground, font, usePointStyle: true, boxHeight: 8 } },
      tooltip: { backgroundColor: withAlpha(t.background, 0.95), titleColor: t.foreground, bodyColor: t.foreground, borderColor: t.grid, borderWidth: 1,
        titleFont: font, bodyFont: font },
    },
  };
}

const axisTitle = (t: Theme, text: string) => ({ display: true, text, color: t.foreground, font: { family: t.fontFamily, size: Math.round(t.fontSize * 0.92) } });

/** Radar: each dimension's mean score as a share of its ceiling, the candidate's against the reference's. */
export function radarConfig(r: CalibrationReport, t: Theme): ChartConfiguration<'radar', Array<number | null>, string[]> {
  const share = (v: number | null, s: CalibrationStats) => { const x = shareOf(v, s.ceiling); return x === null ? null : x * 100; };
  const line = t.highContrast ? 3 : 2;
  const c = common(t);
  return {
    type: 'radar',
    data: {
      labels: r.dimensions.map(d => wrapWords(d.title)),
      datasets: [
        { label: `Candidate: ${r.candidate.name}`, data: r.dimensions.map(d => share(d.candidateMean, d)), borderColor: t.candidate, backgroundColor: withAlpha(t.candidate, 0.15),
          pointBackgroundColor: t.candidate, pointBorderColor: t.candidate, pointStyle: 'circle', pointRadius: 4, borderWidth: line, fill: true },
        { label: r.reference.combined === 'mean' ? `Reference: mean of ${r.reference.graders.map(g => g.name).join(', ')}` : `Reference: ${r.reference.graders[0]?.name ?? ''}`, data: r.dimensions.map(d => share(d.referenceMean, d)), borderColor: t.reference,
          backgroundColor: withAlpha(t.reference, 0.1), pointBackgroundColor: t.reference, pointBorderColor: t.reference, pointStyle: 'triangle', pointRadius: 5,
          borderWidth: line, borderDash: [6, 4], fill: true },
      ],
    },
    options: {
      ...c,
      scales: { r: { min: 0, max: 100, beginAtZero: true,
        ticks: { stepSize: 25, callback: v => `${v}%`, color: t.muted, showLabelBackdrop: true, backdropColor: withAlpha(t.background, 0.8), font: c.font },
        grid: { color: t.grid }, angleLines: { color: t.grid }, pointLabels: { color: t.foreground, font: c.font } } },
      plugins: { ...c.plugins, tooltip: { ...c.plugins.tooltip, callbacks: {
        title: items => r.dimensions[items[0]?.dataIndex ?? -1]?.title ?? '',
        label: item => {
          const d = r.dimensions[item.dataIndex];
          const mean = d ? (item.datasetIndex === 0 ? d.candidateMean : d.referenceMean) : null;
          return `${item.dataset.label ?? ''}: ${percent(d ? shareOf(mean, d.ceiling) : null)} (${fixed(mean)} of ${d?.ceiling ?? '?'} pts)`;
        },
      } } },
    },
  };
}

type BiasDatum = number | [number, number] | null;

/** Bias per dimension and for the total, as a share of the ceiling: the 95% interval as a floating bar, the bias as a point. */
export function biasConfig(r: CalibrationReport, t: Theme): ChartConfiguration<'bar' | 'line', BiasDatum[], string[]> {
  const rows = [...r.dimensions, r.total];
  const shares = rows.map(s => estimateShare(s.bias, s.ceiling));
  const zero = (ctx: ScriptableScaleContext) => ctx.tick.value === 0;
  const c = common(t);
  const interval: ChartDataset<'bar', BiasDatum[]> = {
    type: 'bar', label: '95% interval of the bias', data: shares.map(e => (isNumber(e.lower) && isNumber(e.upper) ? [e.lower * 100, e.upper * 100] : null)),
    backgroundColor: withAlpha(t.interval, 0.35), borderColor: t.interval, borderWidth: t.highContrast ? 2 : 1, borderSkipped: false, barPercentage: 0.55,
  };
  const bias: ChartDataset<'line', BiasDatum[]> = {
    type: 'line', label: 'Bias (candidate − reference)', data: shares.map(e => (isNumber(e.value) ? e.value * 100 : null)), showLine: false,
    pointStyle: 'rectRot', pointRadius: 6, pointHoverRadius: 7, backgroundColor: t.foreground, borderColor: t.foreground,
  };
  return {
    type: 'bar',
    data: { labels: rows.map(s => wrapWords(s.title, 24)), datasets: [interval, bias] },
    options: {
      ...c,
      indexAxis: 'y',
      scales: {
        x: { title: axisTitle(t, 'Bias, candidate − reference (% of the ceiling)'), ticks: { color: t.muted, callback: v => `${v}%`, font: c.font },
          grid: { color: ctx => (zero(ctx) ? t.foreground : t.grid), lineWidth: ctx => (zero(ctx) ? 2 : 1) } },
        y: { ticks: { color: t.foreground, font: c.font, autoSkip: false }, grid: { display: false } },
      },
      plugins: { ...c.plugins, tooltip: { ...c.plugins.tooltip, callbacks: {
        title: items => rows[items[0]?.dataIndex ?? -1]?.title ?? '',
        label: item => {
          const s = rows[item.dataIndex];
          const e = shares[item.dataIndex];
          if (!s || !e) return '';
          return item.datasetIndex === 0
            ? `95% interval: [${percent(e.lower, 1, true)}, ${percent(e.upper, 1, true)}] (${signed(s.bias.lower)} to ${signed(s.bias.upper)} pts)`
            : `Bias: ${percent(e.value, 1, true)} (${signed(s.bias.value)} pts), n = ${s.n}`;
        },
      } } },
    },
  };
}

interface BlandAltmanPoint {
  x: number;
  y: number;
  runId?: string;
}

/** Bland–Altman of the totals: per run, the mean of the two totals against their difference; the bias and both limits as lines. */
export function blandAltmanConfig(r: CalibrationReport, t: Theme): ChartConfiguration<'scatter', BlandAltmanPoint[]> {
  const points = (r.points[r.total.id] ?? []).map(p => ({ x: (p.candidate + p.reference) / 2, y: p.candidate - p.reference, runId: p.runId }));
  const xs = points.map(p => p.x);
  const span = xs.length > 0 ? Math.max(...xs) - Math.min(...xs) : 0;
  const pad = Math.max(1, span * 0.08);
  // the axis ends where the lines do, so that the bias and the limits run across the whole plot
  const x0 = xs.length > 0 ? Math.floor(Math.min(...xs) - pad) : 0;
  const x1 = xs.length > 0 ? Math.ceil(Math.max(...xs) + pad) : r.total.ceiling;
  const c = common(t);
  const line = (label: string, y: number | null, color: string, dash: number[]): Array<ChartDataset<'scatter', BlandAltmanPoint[]>> =>
    isNumber(y) ? [{ label, data: [{ x: x0, y }, { x: x1, y }], showLine: true, borderColor: color, backgroundColor: color, borderWidth: t.highContrast ? 3 : 2,
      borderDash: dash, pointRadius: 0, pointHoverRadius: 0, pointStyle: 'line' }] : [];
  return {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'Runs', data: points, backgroundColor: withAlpha(t.candidate, 0.8), borderColor: t.candidate, pointRadius: 5, pointHoverRadius: 7, pointStyle: 'circle' },
        ...line(`Bias ${signed(r.total.bias.value)}`, r.total.bias.value, t.foreground, []),
        ...line(`Upper limit ${signed(r.total.loa.upper.value)}`, r.total.loa.upper.value, t.limits, [7, 5]),
        ...line(`Lower limit ${signed(r.total.loa.lower.value)}`, r.total.loa.lower.value, t.limits, [7, 5]),
      ],
    },
    options: {
      ...c,
      scales: {
        x: { min: x0, max: x1, title: axisTitle(t, 'Mean of candidate and reference total (points)'), ticks: { color: t.muted, font: c.font }, grid: { color: t.grid } },
        y: { title: axisTitle(t, 'Candidate − reference (points)'), ticks: { color: t.muted, font: c.font },
          grid: { color: ctx => (ctx.tick.value === 0 ? withAlpha(t.foreground, 0.6) : t.grid) } },
      },
      plugins: { ...c.plugins, tooltip: { ...c.plugins.tooltip, callbacks: {
        label: item => {
          const p = item.raw as BlandAltmanPoint;
          return p.runId !== undefined ? `${p.runId}: mean ${fixed(p.x)}, difference ${signed(p.y)} pts` : `${item.dataset.label ?? ''} pts`;
        },
      } } },
    },
  };
}

type AnyConfig = ChartConfiguration<'radar', Array<number | null>, string[]> | ChartConfiguration<'bar' | 'line', BiasDatum[], string[]>
  | ChartConfiguration<'scatter', BlandAltmanPoint[]>;

function configs(r: CalibrationReport, t: Theme): AnyConfig[] {
  return [radarConfig(r, t), biasConfig(r, t), blandAltmanConfig(r, t)];
}

function useTheme(t: Theme): void {
  Chart.defaults.color = t.foreground;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.fontFamily;
}

/** The three charts of one report on their canvases; drawn again (new colours) by redraw(). */
export class Charts {
  private charts: Chart[] = [];

  constructor(private readonly report: CalibrationReport, private readonly canvases: readonly HTMLCanvasElement[]) {
    this.draw();
  }

  redraw(): void {
    this.destroy();
    this.draw();
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  private draw(): void {
    const t = readTheme();
    useTheme(t);
    this.charts = configs(this.report, t).flatMap((config, i) => {
      const canvas = this.canvases[i];
      return canvas ? [new Chart(canvas, config as ChartConfiguration)] : [];
    });
  }
}

/** Text wrapped to a width on a canvas. */
function wrapText(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      out.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) out.push(line);
  return out;
}

/** The size of each chart in the exported picture, in CSS pixels; it is drawn at twice that. */
const CELL = { width: 560, height: 520 };
const SCALE = 2;

/** One chart drawn off the page, at the export's size, whatever the panel's width: Chart.js's basic platform, no DOM. */
function renderOffPage(config: AnyConfig): Chart {
  const canvas = document.createElement('canvas');
  canvas.width = CELL.width;
  canvas.height = CELL.height;
  return new Chart(canvas, { ...config, platform: BasicPlatform,
    options: { ...config.options, responsive: false, maintainAspectRatio: false, devicePixelRatio: SCALE } } as ChartConfiguration);
}

/**
 * One PNG of the view: a heading, lines of text (who against whom, n, the total, the warnings), and the three charts
 * side by side with their captions, on the theme's background, at twice the CSS pixel size. Returns a data URL.
 */
export function composeImage(r: CalibrationReport, captions: readonly string[], heading: string, lines: readonly string[]): string {
  const t = readTheme();
  useTheme(t);
  const charts = configs(r, t).map(renderOffPage);
  try {
    return compose(charts.map(c => c.canvas), t, captions, heading, lines);
  } finally {
    // destroying a chart clears its canvas: only once the picture is made
    for (const c of charts) c.destroy();
  }
}

function compose(charts: readonly HTMLCanvasElement[], t: Theme, captions: readonly string[], heading: string, lines: readonly string[]): string {
  const gap = 28;
  const margin = 28;
  const width = margin * 2 + CELL.width * charts.length + gap * (charts.length - 1);
  const lineHeight = Math.round((t.fontSize + 1) * 1.5);
  const body = `${t.fontSize + 1}px ${t.fontFamily}`;
  const bold = `600 ${t.fontSize + 1}px ${t.fontFamily}`;
  const scratch = document.createElement('canvas').getContext('2d');
  if (!scratch) throw new Error('no 2D canvas');
  scratch.font = body;
  const textLines = lines.flatMap(l => wrapText(scratch, l, width - margin * 2));
  scratch.font = bold;
  const captionLines = captions.map(c => wrapText(scratch, c, CELL.width));
  const captionHeight = Math.max(...captionLines.map(c => c.length)) * lineHeight + 8;
  const chartsTop = margin + 34 + textLines.length * lineHeight + gap;
  const height = chartsTop + captionHeight + CELL.height + margin;

  const out = document.createElement('canvas');
  out.width = width * SCALE;
  out.height = height * SCALE;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = t.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = t.foreground;
  ctx.textBaseline = 'top';
  ctx.font = `600 ${Math.round(t.fontSize * 1.6)}px ${t.fontFamily}`;
  ctx.fillText(heading, margin, margin, width - margin * 2);
  ctx.font = body;
  textLines.forEach((l, i) => ctx.fillText(l, margin, margin + 34 + i * lineHeight));
  charts.forEach((canvas, i) => {
    const x = margin + i * (CELL.width + gap);
    ctx.font = bold;
    (captionLines[i] ?? []).forEach((l, j) => ctx.fillText(l, x, chartsTop + j * lineHeight));
    ctx.drawImage(canvas, x, chartsTop + captionHeight, CELL.width, CELL.height);
  });
  return out.toDataURL('image/png');
}

/** A summary of the total for the exported picture's text. */
export function totalSummary(r: CalibrationReport): string {
  const s = r.total;
  if (!isNumber(s.bias.value)) return `Total: bias undefined (${s.bias.reason ?? 'no reason given'}).`;
  const share = estimateShare(s.bias, s.ceiling);
  const limits = isNumber(s.loa.lower.value) && isNumber(s.loa.upper.value)
    ? `limits of agreement ${signed(s.loa.lower.value)} to ${signed(s.loa.upper.value)} pts`
    : `limits of agreement undefined (${s.loa.lower.reason ?? 'no reason given'})`;
  return `Total: bias ${signed(s.bias.value)} pts (${isNumber(share.value) ? signedPct(share.value) : '\u2014'} of the ceiling), ${limits}.`;
}
