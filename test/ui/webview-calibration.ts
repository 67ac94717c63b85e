/**
 * The Calibration view's page in real Chromium: the BUILT bundle dist/webview/calibration.js (Chart.js bundled in) in a
 * page with the webview's CSP (script by nonce, styles and fonts from the page's origin only, no eval, no inline
 * styles), VS Code's host API stubbed, served from a loopback server. The test plays the host: it sends a report and
 * reads what the page posts. Themes are switched the way VS Code switches them: the body's class and the variables.
 * Usage (after `node scripts/build.mjs --tests`): runCalibrationPageTests() from out/test/ui/webview-calibration.js.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { newPage } from '../harness/browser';
import { type Counts } from '../harness/counts';
import { invalidPageMessages, runPageTests, servePage } from './webview-page-harness';
import { RESULTS, ROOT } from '../harness/env';
import { waitFor } from '../harness/wait';
import { type NotificationType, type PageMessage, WebviewReady } from '../../src/protocol/webview/messages';
import { Calibration, PNG_DATA_URL_PREFIX } from '../../src/protocol/webview/calibration';
import {
  type CalibrationPoint, type CalibrationReport, type CalibrationStats, type Disagreement, type Estimate, type GraderEntry, type SourceWorksheet,
} from '../../src/core/calibration/types';

/** The few page globals the tests touch (the Node tsconfig has no DOM lib). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  __sent: PageMessage[];
  __violations: string[];
  document: {
    body: { className: string; innerText: string };
    querySelector(selector: string): PageCanvas | null;
    querySelectorAll(selector: string): ArrayLike<{ tagName: string }>;
  };
}

type Theme = 'dark' | 'light' | 'high-contrast';
const THEMES: Record<Theme, string> = {
  dark: `--vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
    --vscode-panel-border: #2b2b2b; --vscode-focusBorder: #0078d4; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
    --vscode-inputValidation-warningBackground: #352a05; --vscode-inputValidation-warningBorder: #b89500;
    --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
    --vscode-button-border: #ffffff12; --vscode-textLink-foreground: #4daafc; --vscode-textLink-activeForeground: #4daafc;
    --vscode-testing-iconPassed: #73c991; --vscode-charts-foreground: #cccccc; --vscode-charts-lines: rgba(204, 204, 204, 0.5);
    --vscode-charts-red: #f14c4c; --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616;
    --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7;`,
  light: `--vscode-foreground: #3b3b3b; --vscode-editor-background: #ffffff; --vscode-descriptionForeground: #717171;
    --vscode-panel-border: #e5e5e5; --vscode-focusBorder: #005fb8; --vscode-errorForeground: #a1260d; --vscode-editorWarning-foreground: #bf8803;
    --vscode-inputValidation-warningBackground: #f6f5d2; --vscode-inputValidation-warningBorder: #bf8803;
    --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
    --vscode-button-border: #0000001a; --vscode-textLink-foreground: #005fb8; --vscode-textLink-activeForeground: #005fb8;
    --vscode-testing-iconPassed: #388a34; --vscode-charts-foreground: #616161; --vscode-charts-lines: rgba(97, 97, 97, 0.5);
    --vscode-charts-red: #e51400; --vscode-charts-blue: #1a85ff; --vscode-charts-yellow: #bf8803; --vscode-charts-orange: #d18616;
    --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90;`,
  'high-contrast': `--vscode-foreground: #ffffff; --vscode-editor-background: #000000; --vscode-descriptionForeground: #ffffffd0;
    --vscode-contrastBorder: #6fc3df; --vscode-focusBorder: #f38518; --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #ffd370;
    --vscode-inputValidation-warningBackground: #000000; --vscode-inputValidation-warningBorder: #ffd370;
    --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff; --vscode-button-border: #6fc3df;
    --vscode-textLink-foreground: #21a6ff; --vscode-textLink-activeForeground: #21a6ff; --vscode-testing-iconPassed: #73c991;
    --vscode-charts-foreground: #ffffff; --vscode-charts-lines: rgba(255, 255, 255, 0.5); --vscode-charts-red: #f14c4c;
    --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #ffd370; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
    --vscode-charts-purple: #b180d7;`,
};

/** As in VS Code: the body's class names the theme; here the variables follow the class, so switching it switches both. */
const THEME_CSS = `:root { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
    --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; --vscode-editor-font-size: 13px; }
  ${(Object.keys(THEMES) as Theme[]).map(t => `:root:has(> body.vscode-${t}) { ${THEMES[t]} }`).join('\n  ')}
  html { background: var(--vscode-editor-background); }`;

const HOSTILE = '<img src=x onerror=alert(1)>';

function pageHtml(origin: string, theme: Theme): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script nonce="${nonce}" id="host-stub">
  window.__sent = []; window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: m => window.__sent.push(JSON.parse(JSON.stringify(m))),
    getState: () => undefined,
    setState: () => undefined,
  });
</script>
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/codicon.css"><link rel="stylesheet" href="/calibration.css">
<title>Calibration</title></head>
<body class="vscode-${theme}"><main id="app" aria-live="polite"></main><script nonce="${nonce}" src="/calibration.js"></script></body></html>`;
}

function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/calibration.js': [path.join(ROOT, 'dist', 'webview', 'calibration.js'), 'text/javascript'],
    '/codicon.css': [path.join(ROOT, 'dist', 'webview', 'codicon.css'), 'text/css'],
    '/codicon.ttf': [path.join(ROOT, 'dist', 'webview', 'codicon.ttf'), 'font/ttf'],
    '/calibration.css': [path.join(ROOT, 'media', 'calibration.css'), 'text/css'],
  };
  return servePage(Object.values(files).map(f => f[0]), (url, origin) => {
    const file = files[url.pathname];
    return url.pathname === '/' ? [pageHtml(origin, (url.searchParams.get('theme') ?? 'dark') as Theme), 'text/html']
      : url.pathname === '/theme.css' ? [THEME_CSS, 'text/css'] : file ? [readFileSync(file[0]), file[1]] : undefined;
  });
}

// ---- the report: 8 runs on the six dimensions of the SEB rubric, one candidate against the mean of two references ----

const RUNS = ['rw-001', 'rw-002', 'rw-003', 'rw-004', 'rw-005', 'rw-006', 'rw-007', 'rw-008'];
const DIMS: Array<[id: string, title: string, ceiling: number, candidate: number[], reference: number[]]> = [
  ['invariant-plan', 'Invariant clarity and plan quality', 20, [14, 16, 12, 18, 11, 15, 13, 17], [13, 15, 12.5, 16, 11.5, 14, 12, 16]],
  ['simplification', 'Simplification outcome', 25, [18, 20, 15, 22, 14, 19, 16, 21], [15, 17.5, 14, 19, 13, 16.5, 15, 18]],
  ['wiring', 'End-to-end wiring', 10, [7, 8, 6, 9, 5, 8, 7, 9], [7, 7.5, 6.5, 8, 5.5, 8, 6, 9]],
  ['no-parallel-authority', 'No stubs or parallel authority', 17, [12, 14, 9, 15, 8, 13, 11, 16], [12.5, 13, 10, 14.5, 9, 12, 11.5, 15]],
  ['correctness-incidents', 'Correctness proof and incident preservation', 25, [17, 19, 14, 21, 12, 18, 15, 22], [18, 18.5, 15, 20, 14, 17, 16.5, 21]],
  ['durability-lifecycle', 'Runtime durability and lifecycle', 3, [3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3]],
];
const TOTALS = { candidate: [71, 80, 59, 88, 53, 76, 65, 88], reference: [68.5, 74.5, 61, 80.5, 56, 70.5, 64, 82] };

const est = (value: number | null, lower: number | null, upper: number | null, reason?: string): Estimate =>
  ({ value, lower, upper, ...(reason !== undefined ? { reason } : {}) });

/** The statistics of each dimension, as the loader computes them from the points above (rounded to 4 decimals). */
const STATS: Record<string, Omit<CalibrationStats, 'id' | 'title' | 'ceiling' | 'n'>> = {
  'invariant-plan': { candidateMean: 14.5, referenceMean: 13.75, bias: est(0.75, 0.0434, 1.4566), sd: { value: 0.8452 }, mae: { value: 1 }, rmse: { value: 1.0897 },
    maeShare: { value: 0.05 }, rmseShare: { value: 0.0545 }, loa: { lower: est(-0.9065, -2.1303, 0.3173), upper: est(2.4065, 1.1827, 3.6303) },
    ccc: { value: 0.8613 }, icc: est(0.8765, 0.5265, 0.9965) },
  simplification: { candidateMean: 18.125, referenceMean: 16, bias: est(2.125, 1.3272, 2.9228), sd: { value: 0.9543 }, mae: { value: 2.125 }, rmse: { value: 2.3049 },
    maeShare: { value: 0.085 }, rmseShare: { value: 0.0922 }, loa: { lower: est(0.2545, -1.1273, 1.6364), upper: est(3.9955, 2.6136, 5.3773) },
    ccc: { value: 0.6614 }, icc: est(0.6906, 0.3406, 0.8106) },
  wiring: { candidateMean: 7.375, referenceMean: 7.1875, bias: est(0.1875, -0.309, 0.684), sd: { value: 0.5939 }, mae: { value: 0.4375 }, rmse: { value: 0.5863 },
    maeShare: { value: 0.0437 }, rmseShare: { value: 0.0586 }, loa: { lower: est(-0.9765, -1.8364, -0.1165), upper: est(1.3515, 0.4915, 2.2114) },
    ccc: { value: 0.8836 }, icc: est(0.8966, 0.5466, 1) },
  'no-parallel-authority': { candidateMean: 12.25, referenceMean: 12.1875, bias: est(0.0625, -0.6931, 0.8181), sd: { value: 0.9039 }, mae: { value: 0.8125 },
    rmse: { value: 0.8478 }, maeShare: { value: 0.0478 }, rmseShare: { value: 0.0499 }, loa: { lower: est(-1.7091, -3.0179, -0.4002), upper: est(1.8341, 0.5252, 3.1429) },
    ccc: { value: 0.9324 }, icc: est(0.9403, 0.5903, 1) },
  'correctness-incidents': { candidateMean: 17.25, referenceMean: 17.5, bias: est(-0.25, -1.298, 0.798), sd: { value: 1.2536 }, mae: { value: 1.125 }, rmse: { value: 1.199 },
    maeShare: { value: 0.045 }, rmseShare: { value: 0.048 }, loa: { lower: est(-2.707, -4.5222, -0.8918), upper: est(2.207, 0.3918, 4.0222) },
    ccc: { value: 0.9069 }, icc: est(0.9176, 0.5676, 1) },
  'durability-lifecycle': { candidateMean: 3, referenceMean: 3, bias: est(0, null, null, 'no variance in the differences'), sd: { value: 0 }, mae: { value: 0 },
    rmse: { value: 0 }, maeShare: { value: 0 }, rmseShare: { value: 0 },
    loa: { lower: est(0, null, null, 'no variance in the differences'), upper: est(0, null, null, 'no variance in the differences') },
    ccc: { value: null, reason: 'no variance: both graders gave every run the same score' }, icc: est(null, null, null, 'no variance between runs') },
  total: { candidateMean: 72.5, referenceMean: 69.625, bias: est(2.875, -0.3917, 6.1417), sd: { value: 3.9074 }, mae: { value: 4.125 }, rmse: { value: 4.6503 },
    maeShare: { value: 0.0413 }, rmseShare: { value: 0.0465 }, loa: { lower: est(-4.7835, -10.4416, 0.8745), upper: est(10.5335, 4.8755, 16.1916) },
    ccc: { value: 0.9052 }, icc: est(0.9161, 0.5661, 1) },
};

const TREES = { baseline: 'a1'.repeat(20), run: 'b2'.repeat(20) };
const CANDIDATE = 'Casey Lin';
const REFERENCES = ['Ada Reviewer', 'Bo Marsh'];
const wsFile = (grader: string, run: string) => `/reviews/${grader.split(' ')[0]?.toLowerCase() ?? 'x'}/${run}.seb-1.0.worksheet.json`;

function entry(grader: string, run: string, points: number, rationale: string, evidence: GraderEntry['evidence']): GraderEntry {
  return { grader, file: wsFile(grader, run), points, rationale, evidence, trees: TREES };
}

function disagreement(runId: string, dimension: string, candidate: GraderEntry, references: GraderEntry[]): Disagreement {
  const d = DIMS.find(x => x[0] === dimension);
  assert.ok(d);
  const reference = references.reduce((a, e) => a + e.points, 0) / references.length;
  return { runId, dimension, title: d[1], ceiling: d[2], difference: candidate.points - reference, candidate, references, reference };
}

function report(): CalibrationReport {
  const points: Record<string, CalibrationPoint[]> = Object.fromEntries(DIMS.map(([id, , , c, r]) =>
    [id, RUNS.map((runId, i) => ({ runId, candidate: c[i] ?? 0, reference: r[i] ?? 0 }))]));
  points.total = RUNS.map((runId, i) => ({ runId, candidate: TOTALS.candidate[i] ?? 0, reference: TOTALS.reference[i] ?? 0 }));
  const stats = (id: string, title: string, ceiling: number): CalibrationStats => {
    const s = STATS[id];
    assert.ok(s, id);
    return { id, title, ceiling, n: RUNS.length, ...structuredClone(s) };
  };
  const sources: SourceWorksheet[] = RUNS.flatMap((runId, i) => [
    { file: wsFile(CANDIDATE, runId), runId, grader: CANDIDATE, signed: true, kind: 'worksheet' as const, total: TOTALS.candidate[i] ?? 0 },
    { file: wsFile(REFERENCES[0] ?? '', runId), runId, grader: REFERENCES[0] ?? '', signed: true, kind: 'worksheet' as const, total: (TOTALS.reference[i] ?? 0) - 0.5 },
    { file: wsFile(REFERENCES[1] ?? '', runId), runId, grader: REFERENCES[1] ?? '', signed: false, kind: 'worksheet' as const, total: (TOTALS.reference[i] ?? 0) + 0.5 },
  ]);
  return {
    format: 'seb-review/calibration@1',
    rubric: { id: 'seb', version: '1.0', sha256: 'c3'.repeat(32) },
    candidate: { name: CANDIDATE, signed: true, worksheets: 8 },
    reference: { graders: [{ name: 'Ada Reviewer', signed: true, worksheets: 8 }, { name: 'Bo Marsh', signed: false, worksheets: 8 }], combined: 'mean',
      description: 'the mean of Ada Reviewer and Bo Marsh' },
    sources,
    excluded: [
      { file: '/reviews/late/rw-009.seb-1.0.worksheet.json', reason: 'signed, but its signature could not be verified: its key is not in the allowed-signers file' },
      { runId: 'rw-009', reason: 'only the candidate scored it' },
    ],
    points,
    dimensions: DIMS.map(([id, title, ceiling]) => stats(id, title, ceiling)),
    total: stats('total', 'Total', 100),
    disagreements: [
      disagreement('rw-004', 'simplification',
        entry(CANDIDATE, 'rw-004', 22, 'The sync layer is gone; one store remains and the adapters are deleted.',
          [{ side: 'run', path: 'src/store/index.ts', startLine: 1, endLine: 48, note: 'the single store' }, { side: 'baseline', path: 'src/sync/adapter.ts', startLine: 10, endLine: 90 }]),
        [entry('Ada Reviewer', 'rw-004', 18, 'Two caches still shadow the store; simplification is partial.',
          [{ side: 'run', path: 'src/cache/shadow.ts', startLine: 5, endLine: 5 }, { side: 'run', path: 'src/cache/lru.ts', startLine: 12, endLine: 40, note: 'a second copy of the state' }]),
        entry('Bo Marsh', 'rw-004', 20, 'Mostly simpler; the cache layer is questionable.', [])]),
      disagreement('rw-001', 'simplification',
        entry(CANDIDATE, 'rw-001', 18, 'Fewer modules than the baseline.', [{ side: 'run', path: 'src/app.ts', startLine: 3, endLine: 20 }]),
        [entry('Ada Reviewer', 'rw-001', 15, 'Fewer modules, but each is longer and the call graph is the same.', [{ side: 'run', path: 'src/app.ts', startLine: 3, endLine: 120 }]),
          entry('Bo Marsh', 'rw-001', 15, 'Module count fell; complexity did not.', [])]),
      disagreement('rw-005', 'correctness-incidents',
        entry(CANDIDATE, 'rw-005', 12, 'Tests were rewritten, not run against the incidents.', []),
        [entry('Ada Reviewer', 'rw-005', 13.5, 'The incident suite passes except INC-12.', [{ side: 'run', path: 'test/incidents/inc-12.test.ts', startLine: 1, endLine: 30 }]),
          entry('Bo Marsh', 'rw-005', 14.5, 'Incident tests pass; one is skipped.', [{ side: 'run', path: 'test/incidents/inc-12.test.ts', startLine: 2, endLine: 2, note: 'it.skip' }])]),
    ],
    warnings: [],
  };
}

/** The same report cut down to its first 3 runs (the statistics are only relabelled: what is tested is how n < 5 is shown). */
function fewRuns(warnings: string[]): CalibrationReport {
  const r = report();
  for (const s of [...r.dimensions, r.total]) s.n = 3;
  for (const k of Object.keys(r.points)) r.points[k] = (r.points[k] ?? []).slice(0, 3);
  r.sources = r.sources.slice(0, 9);
  r.candidate.worksheets = 3;
  for (const g of r.reference.graders) g.worksheets = 3;
  r.warnings = warnings;
  return r;
}

function hostile(): CalibrationReport {
  const r = report();
  r.candidate.name = `<b onmouseover=alert(3)>Eve</b>`;
  const d = r.disagreements[0];
  assert.ok(d);
  d.candidate.grader = r.candidate.name;
  d.candidate.rationale = `${HOSTILE} <script>alert(2)</script>`;
  d.candidate.evidence = [{ side: 'run', path: `src/${HOSTILE}.ts`, startLine: 1, endLine: 2, note: '<svg onload=alert(4)>' }];
  d.candidate.file = `/reviews/${HOSTILE}.worksheet.json`;
  d.title = '=HYPERLINK("x") <i>t</i>';
  r.excluded.push({ file: `/tmp/${HOSTILE}`, reason: '<iframe src=javascript:alert(5)>' });
  r.warnings = ['<marquee>warning</marquee>'];
  return r;
}

// ---- the page ----

class CalibrationPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  private constructor(readonly page: Page) {
    page.on('pageerror', e => this.errors.push(e.message));
    page.on('dialog', d => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  static async open(browser: Browser, url: string, theme: Theme = 'dark'): Promise<CalibrationPage> {
    const p = new CalibrationPage(await newPage(browser));
    await p.page.goto(`${url}?theme=${theme}`);
    await p.waitForSent('webview/ready', m => m.method === WebviewReady.method);
    return p;
  }

  async send<P>(type: NotificationType<P>, params: P): Promise<void> {
    await this.page.evaluate(m => (globalThis as unknown as PageWindow).postMessage(m, '*'), { kind: 'notification', method: type.method, params });
  }

  /** Sends a report and waits until its charts are drawn. */
  async show(r: CalibrationReport): Promise<void> {
    await this.send(Calibration.show, r);
    await this.page.locator('#blandAltman canvas[height]').waitFor({ state: 'attached' });
    await waitFor('the charts drawn', async () => ((await this.canvasSize('#blandAltman canvas')).height > 0 ? true : undefined));
  }

  sent(): Promise<PageMessage[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__sent);
  }

  async sentOf(method: string): Promise<unknown[]> {
    return (await this.sent()).filter(m => m.method === method).map(m => m.params);
  }

  waitForSent(what: string, match: (m: PageMessage) => boolean): Promise<PageMessage> {
    return waitFor(what, async () => (await this.sent()).find(match));
  }

  async invalidSent(): Promise<string[]> {
    return invalidPageMessages(await this.sent(), Calibration);
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__violations);
  }

  canvasSize(selector: string): Promise<{ width: number; height: number }> {
    return this.page.evaluate(s => {
      const c = (globalThis as unknown as PageWindow).document.querySelector(s);
      return { width: c?.width ?? 0, height: c?.height ?? 0 };
    }, selector);
  }

  /** How many of the canvas's pixels have exactly (±3 per channel) each of these colours. */
  countColours(selector: string, colours: Array<[number, number, number]>): Promise<number[]> {
    return this.page.evaluate(([s, list]) => {
      const c = (globalThis as unknown as PageWindow).document.querySelector(s);
      const data = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      return list.map(([r, g, b]) => {
        let n = 0;
        for (let i = 0; data && i < data.length; i += 4) {
          if (Math.abs((data[i] ?? 0) - r) <= 3 && Math.abs((data[i + 1] ?? 0) - g) <= 3 && Math.abs((data[i + 2] ?? 0) - b) <= 3 && (data[i + 3] ?? 0) > 250) n++;
        }
        return n;
      });
    }, [selector, colours] as const);
  }

  /** Cell texts of a table's rows: [row header, cell, cell, …] per row. */
  rows(selector: string): Promise<string[][]> {
    return this.page.locator(`${selector} tr`).evaluateAll(trs => trs.map(tr => Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells)
      .map(c => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
  }

  async row(selector: string, key: string): Promise<string[]> {
    const found = (await this.rows(selector)).find(r => r[0] === key);
    assert.ok(found, `${selector} has a row for ${key}`);
    return found;
  }
}

interface PageTest {
  name: string;
  theme?: Theme;
  run(p: CalibrationPage, ctx: { browser: Browser; url: string }): Promise<void>;
}

const tests: PageTest[] = [
  {
    name: 'the page says ready, and then shows the header with n, the graders and no warning for 8 runs',
    async run(p) {
      assert.deepEqual((await p.sent()).map(m => m.method), [WebviewReady.method]);
      await p.show(report());
      assert.equal(await p.page.locator('h1').textContent(), 'Calibration of Casey Lin');
      assert.equal(await p.page.getByTestId('n').textContent(), 'n = 8 runs scored by both');
      const sub = await p.page.locator('.sub').textContent();
      assert.ok(sub?.includes('the mean of Ada Reviewer and Bo Marsh') && sub.includes('rubric seb v1.0'), sub ?? '');
      const graders = (await p.page.locator('dl.graders').textContent()) ?? '';
      assert.ok(graders.includes('Casey Lin (8 worksheets, all signed and verified)'), graders);
      assert.ok(graders.includes('Bo Marsh (8 worksheets, not all signed)'), graders);
      assert.equal(await p.page.locator('.warnings').count(), 0);
      assert.equal(await p.page.locator('td.few').count(), 0);
      for (const word of ['good', 'excellent', 'poor', 'acceptable']) {
        assert.ok(!(await p.page.locator('#app').innerText()).toLowerCase().includes(word), `no verdict label "${word}"`);
      }
    },
  },
  {
    name: 'each chart is a canvas with role=img and a label, in a figure with a caption and a table of its numbers beside it',
    async run(p) {
      await p.show(report());
      for (const id of ['radar', 'bias', 'blandAltman']) {
        const fig = p.page.locator(`figure#${id}`);
        assert.ok(((await fig.locator('figcaption').textContent()) ?? '').length > 20, `${id} has a caption`);
        const canvas = fig.locator('canvas');
        assert.equal(await canvas.getAttribute('role'), 'img');
        assert.ok(((await canvas.getAttribute('aria-label')) ?? '').includes('The table beside it has the same numbers.'));
        const size = await p.canvasSize(`#${id} canvas`);
        assert.ok(size.width > 300 && size.height > 300, `${id} is drawn (${size.width}×${size.height})`);
        assert.equal(await fig.locator('.beside table').count(), 1, `${id} has a table beside it`);
      }
      assert.ok(((await p.page.locator('#bias figcaption').textContent()) ?? '').includes('as a share of the ceiling'));
      // radar: means in points and as a share of the ceiling
      assert.equal((await p.rows('#radar table')).length, 7);
      assert.deepEqual(await p.row('#radar table', 'Invariant clarity and plan quality'), ['Invariant clarity and plan quality', '20', '8', '14.50 (72.5%)', '13.75 (68.8%)']);
      assert.deepEqual(await p.row('#radar table', 'Runtime durability and lifecycle'), ['Runtime durability and lifecycle', '3', '8', '3.00 (100.0%)', '3.00 (100.0%)']);
      // bias: share of the ceiling and points, each with its interval; the total as the last row
      assert.deepEqual(await p.row('#bias table', 'Simplification outcome'), ['Simplification outcome', '8', '+8.5% [+5.3%, +11.7%]', '+2.13 [+1.33, +2.92]']);
      assert.deepEqual(await p.row('#bias table', 'Correctness proof and incident preservation'),
        ['Correctness proof and incident preservation', '8', '\u22121.0% [\u22125.2%, +3.2%]', '\u22120.25 [\u22121.30, +0.80]']);
      assert.equal((await p.rows('#bias table')).at(-1)?.[0], 'Total');
      // Bland–Altman: a row per run, then the bias and the limits
      const ba = await p.rows('#blandAltman table tbody');
      assert.equal(ba.length, 8);
      assert.deepEqual(ba[1], ['rw-002', '80.00', '74.50', '77.25', '+5.50']);
      assert.deepEqual(ba[2], ['rw-003', '59.00', '61.00', '60.00', '\u22122.00']);
      assert.equal(await p.page.locator('#blandAltman caption').textContent(), 'Totals per run (n = 8 runs)');
      assert.deepEqual(await p.rows('#blandAltman tfoot'), [
        ['Bias (mean difference) [95% interval]', '+2.88 [\u22120.39, +6.14]'],
        ['Upper limit of agreement [95% interval]', '+10.53 [+4.88, +16.19]'],
        ['Lower limit of agreement [95% interval]', '\u22124.78 [\u221210.44, +0.87]'],
      ]);
    },
  },
  {
    name: 'the full table has every statistic with its n and interval; an undefined one shows "—" and its reason, and no NaN anywhere',
    async run(p) {
      await p.show(report());
      const heads = await p.page.locator('table.numbers thead th').allTextContents();
      assert.deepEqual(heads, ['Dimension', 'Ceiling', 'n', 'Candidate mean', 'Reference mean', 'Bias', 'SD of differences', 'MAE (% of ceiling)',
        'RMSE (% of ceiling)', 'Lower limit of agreement', 'Upper limit of agreement', 'CCC', 'ICC(A,1)']);
      assert.equal((await p.rows('table.numbers tbody')).length, 7);
      assert.deepEqual(await p.row('table.numbers', 'Simplification outcome'), ['Simplification outcome', '25', '8', '18.13 (72.5%)', '16.00 (64.0%)',
        '+2.13 [+1.33, +2.92]', '0.95', '2.13 (8.5%)', '2.30 (9.2%)', '+0.25 [\u22121.13, +1.64]', '+4.00 [+2.61, +5.38]', '0.66', '0.69 [0.34, 0.81]']);
      assert.deepEqual(await p.row('table.numbers', 'Runtime durability and lifecycle'), ['Runtime durability and lifecycle', '3', '8', '3.00 (100.0%)', '3.00 (100.0%)',
        '0.00 no interval: no variance in the differences', '0.00', '0.00 (0.0%)', '0.00 (0.0%)',
        '0.00 no interval: no variance in the differences', '0.00 no interval: no variance in the differences',
        '\u2014 no variance: both graders gave every run the same score', '\u2014 no variance between runs']);
      assert.deepEqual(await p.row('table.numbers', 'Total'), ['Total', '100', '8', '72.50 (72.5%)', '69.63 (69.6%)', '+2.88 [\u22120.39, +6.14]', '3.91',
        '4.13 (4.1%)', '4.65 (4.7%)', '\u22124.78 [\u221210.44, +0.87]', '+10.53 [+4.88, +16.19]', '0.91', '0.92 [0.57, 1.00]']);
      const text = await p.page.locator('body').innerText();
      for (const bad of ['NaN', 'undefined', 'null', 'Infinity']) assert.ok(!text.includes(bad), `no "${bad}" in the page`);
      assert.equal(await p.page.locator('td.undefined .reason', { hasText: 'no variance between runs' }).count(), 1);
    },
  },
  {
    name: 'with fewer than 5 runs: the report\'s warning shows, each n is marked; without one the page says so itself',
    async run(p) {
      const warning = 'Only 3 runs: with fewer than 5 runs the intervals are too wide to conclude.';
      await p.show(report());
      await p.show(fewRuns([warning]));
      assert.equal(await p.page.getByTestId('n').textContent(), 'n = 3 runs scored by both');
      assert.deepEqual((await p.page.locator('.warnings li').allTextContents()).map(t => t.trim()), [warning]);
      assert.equal(await p.page.locator('table.numbers td.few').count(), 7);
      assert.equal(await p.page.locator('table.numbers td.few').first().getAttribute('title'), 'Fewer than 5 runs: the intervals are too wide to conclude.');
      assert.equal((await p.rows('#blandAltman table tbody')).length, 3);
      await p.show(fewRuns([]));
      assert.deepEqual((await p.page.locator('.warnings li').allTextContents()).map(t => t.trim()), [warning]);
      await p.show(report());
      assert.equal(await p.page.locator('.warnings').count(), 0);
    },
  },
  {
    name: 'the largest disagreements: each side\'s points and rationale; evidence and worksheet links post openEvidence',
    async run(p) {
      await p.show(report());
      const items = p.page.locator('li.disagreement');
      assert.equal(await items.count(), 3);
      const first = items.first();
      assert.equal((await first.locator('h3').textContent())?.replace(/\s+/g, ' '),
        'rw-004 · Simplification outcome: +3.00 pts (candidate 22.00, reference (mean of 2) 19.00, of 25)');
      assert.deepEqual(await first.locator('.entry h4').allTextContents(),
        ['Candidate: Casey Lin — 22.00 of 25 pts', 'Reference: Ada Reviewer — 18.00 of 25 pts', 'Reference: Bo Marsh — 20.00 of 25 pts']);
      assert.equal(await first.locator('.entry').nth(1).locator('.rationale').textContent(), 'Two caches still shadow the store; simplification is partial.');
      assert.deepEqual(await first.locator('.entry').nth(1).locator('button.evidence').allTextContents(), ['run src/cache/shadow.ts:5', 'run src/cache/lru.ts:12-40']);
      assert.equal(await first.locator('.entry').nth(2).locator('.no-evidence').textContent(), 'No evidence cited.');
      await first.locator('.entry').nth(1).getByRole('button', { name: 'run src/cache/lru.ts:12-40' }).click();
      await first.locator('.entry').first().getByRole('button', { name: 'baseline src/sync/adapter.ts:10-90' }).click();
      await first.locator('.entry').nth(2).locator('button.worksheet').click();
      await waitFor('three openEvidence', async () => ((await p.sentOf(Calibration.openEvidence.method)).length === 3 ? true : undefined));
      assert.deepEqual(await p.sentOf(Calibration.openEvidence.method), [
        { file: '/reviews/ada/rw-004.seb-1.0.worksheet.json', dimension: 'simplification', index: 1 },
        { file: '/reviews/casey/rw-004.seb-1.0.worksheet.json', dimension: 'simplification', index: 1 },
        { file: '/reviews/bo/rw-004.seb-1.0.worksheet.json', dimension: 'simplification' },
      ]);
      // and the rest of the page: the worksheets read (signed marked) and what was left out, with reasons
      assert.equal((await p.rows('table.sources tbody')).length, 24);
      assert.deepEqual(await p.row('table.sources', '/reviews/bo/rw-001.seb-1.0.worksheet.json'), ['/reviews/bo/rw-001.seb-1.0.worksheet.json', 'rw-001', 'Bo Marsh', 'worksheet', 'unsigned', '69.00']);
      assert.deepEqual(await p.row('table.sources', '/reviews/ada/rw-001.seb-1.0.worksheet.json'), ['/reviews/ada/rw-001.seb-1.0.worksheet.json', 'rw-001', 'Ada Reviewer', 'worksheet', 'signed, verified', '68.00']);
      assert.deepEqual(await p.page.locator('ul.excluded li').allTextContents(), [
        '/reviews/late/rw-009.seb-1.0.worksheet.json: signed, but its signature could not be verified: its key is not in the allowed-signers file',
        'run rw-009: only the candidate scored it']);
    },
  },
  {
    name: 'Export CSV… posts exportCsv; Export Image… posts one PNG of the three charts (test-results/webview-calibration-export.png)',
    async run(p) {
      await p.show(report());
      await p.page.getByRole('button', { name: 'Export CSV…' }).click();
      await p.page.getByRole('button', { name: 'Export Image…' }).click();
      const image = await p.waitForSent('exportImage', m => m.method === Calibration.exportImage.method);
      assert.deepEqual(await p.sentOf(Calibration.exportCsv.method), [undefined]);
      const { dataUrl } = image.params as { dataUrl: string };
      assert.ok(dataUrl.startsWith(PNG_DATA_URL_PREFIX));
      const png = Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      // three charts of 560 × 520 CSS pixels side by side under a heading, drawn at twice that, whatever the page's width
      assert.equal(width, 3584);
      assert.ok(height > 1300 && height < 1800, `height ${height}`);
      writeFileSync(path.join(RESULTS, 'webview-calibration-export.png'), png);
      // the charts are in it: the candidate's colour in the radar's third, the limits' red in the Bland–Altman's
      const [radarBlue, baRed] = await p.page.evaluate(`(async () => {
        const img = new Image();
        img.src = ${JSON.stringify(dataUrl)};
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const count = (x0, x1, [r, g, b]) => {
          const d = ctx.getImageData(x0, 0, x1 - x0, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) < 4 && Math.abs(d[i + 1] - g) < 4 && Math.abs(d[i + 2] - b) < 4) n++;
          return n;
        };
        return [count(0, c.width / 3, [0x37, 0x94, 0xff]), count(c.width * 2 / 3, c.width, [0xf1, 0x4c, 0x4c])];
      })()`) as [number, number];
      assert.ok(radarBlue > 1000 && baRed > 1000, `the charts are drawn in the image (${radarBlue}, ${baRed})`);
    },
  },
  {
    name: 'hostile strings in names, rationale, paths, titles, reasons and warnings render as text',
    async run(p) {
      await p.show(hostile());
      for (const tag of ['img', 'b', 'i', 'svg', 'iframe', 'marquee']) assert.equal(await p.page.locator(`#app ${tag}`).count(), 0, `no <${tag}>`);
      assert.equal(await p.page.locator('script').count(), 2, 'only the host stub and the bundle');
      assert.equal(await p.page.locator('[onerror],[onload],[onmouseover]').count(), 0);
      assert.equal(await p.page.locator('h1').textContent(), 'Calibration of <b onmouseover=alert(3)>Eve</b>');
      const first = p.page.locator('li.disagreement').first();
      assert.equal(await first.locator('.entry.candidate .rationale').textContent(), `${HOSTILE} <script>alert(2)</script>`);
      assert.equal(await first.locator('.entry.candidate button.evidence').textContent(), `run src/${HOSTILE}.ts:1-2`);
      assert.equal(await first.locator('.entry.candidate .note').textContent(), ' <svg onload=alert(4)>');
      assert.ok((await first.locator('h3').textContent())?.includes('=HYPERLINK("x") <i>t</i>'));
      assert.ok((await p.page.locator('ul.excluded').textContent())?.includes('<iframe src=javascript:alert(5)>'));
      assert.equal((await p.page.locator('.warnings li').textContent())?.trim(), '<marquee>warning</marquee>');
      await first.locator('.entry.candidate button.evidence').click();
      await p.waitForSent('openEvidence', m => m.method === Calibration.openEvidence.method);
      assert.deepEqual(await p.sentOf(Calibration.openEvidence.method), [{ file: `/reviews/${HOSTILE}.worksheet.json`, dimension: 'simplification', index: 0 }]);
    },
  },
  {
    name: 'no style attribute but the sizes Chart.js sets on its canvases (CSSOM), and no CSP violation',
    async run(p) {
      await p.show(report());
      const styled = await p.page.evaluate(() => Array.from((globalThis as unknown as PageWindow).document.querySelectorAll('[style]')).map(e => e.tagName));
      assert.ok(styled.length > 0 && styled.every(t => t === 'CANVAS'), styled.join(', '));
      await p.page.locator('#radar canvas').hover({ position: { x: 200, y: 150 } });
      await p.page.locator('#blandAltman canvas').hover();
      assert.deepEqual(await p.violations(), []);
    },
  },
  {
    name: 'a theme change (the body\'s class and the variables) draws the charts again in the new colours',
    async run(p) {
      await p.show(report());
      const dark: [number, number, number] = [0x37, 0x94, 0xff];
      const light: [number, number, number] = [0x1a, 0x85, 0xff];
      const [darkBefore, lightBefore] = await p.countColours('#radar canvas', [dark, light]);
      assert.ok((darkBefore ?? 0) > 50 && lightBefore === 0, `dark ${darkBefore}, light ${lightBefore} before`);
      await p.page.evaluate(() => { (globalThis as unknown as PageWindow).document.body.className = 'vscode-light'; });
      await waitFor('the radar redrawn in the light colours', async () => {
        const [d, l] = await p.countColours('#radar canvas', [dark, light]);
        return d === 0 && (l ?? 0) > 50 ? true : undefined;
      });
      const [ba] = await p.countColours('#blandAltman canvas', [[0xe5, 0x14, 0x00]]);
      assert.ok((ba ?? 0) > 50, 'the limits of agreement in the light theme\'s red');
    },
  },
  {
    name: 'a narrow panel stacks each chart above its table, and the exported image is the same (test-results/webview-calibration-narrow.png)',
    async run(p) {
      await p.page.setViewportSize({ width: 560, height: 900 });
      await p.show(report());
      const chart = await p.page.locator('#radar .chart-box').boundingBox();
      const table = await p.page.locator('#radar .beside').boundingBox();
      assert.ok(chart && table && table.y >= chart.y + chart.height, 'the table is below the chart');
      assert.ok(chart.width >= 380, `the chart keeps room for its labels (${chart.width})`);
      await p.page.screenshot({ path: path.join(RESULTS, 'webview-calibration-narrow.png'), fullPage: true });
      await p.page.getByRole('button', { name: 'Export Image…' }).click();
      const image = await p.waitForSent('exportImage', m => m.method === Calibration.exportImage.method);
      const png = Buffer.from((image.params as { dataUrl: string }).dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
      assert.equal(png.readUInt32BE(16), 3584);
    },
  },
  ...(['dark', 'light', 'high-contrast'] as const).map((theme): PageTest => ({
    name: `looks native in the ${theme} theme (screenshot test-results/webview-calibration-${theme}.png)`,
    theme,
    async run(p) {
      await p.page.setViewportSize({ width: 1280, height: 900 });
      await p.show(report());
      await p.page.screenshot({ path: path.join(RESULTS, `webview-calibration-${theme}.png`), fullPage: true });
    },
  })),
];

export function runCalibrationPageTests(): Promise<Counts & { exitCode: number }> {
  return runPageTests({
    label: 'webview-calibration', tests, serve,
    open: (browser, url, t) => CalibrationPage.open(browser, url, t.theme),
    run: (p, t, ctx) => t.run(p, ctx),
  });
}
