/**
 * The Audit page in real Chromium: the BUILT bundle dist/webview/audit.js in a page with the webview's CSP (script by
 * nonce, styles and fonts from the page's origin only), VS Code's host API stubbed, served from a loopback server, at
 * an editor's width. The test plays the host: it aggregates three graders' worksheets with the real
 * src/core/adjudication, applies each edit the page posts, and sends the state the real model computes back.
 * Usage (after `node scripts/build.mjs --tests`): runAuditPageTests() from out/test/ui/webview-audit.js.
 * Screenshots: test-results/webview-audit-{dark,light,high-contrast}.png.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { newPage } from '../harness/browser';
import { type Counts } from '../harness/counts';
import { invalidPageMessages, runPageTests, servePage } from './webview-page-harness';
import { RESULTS, ROOT } from '../harness/env';
import { waitFor } from '../harness/wait';
import { type NotificationType, type PageMessage, WebviewReady, parsePageMessage } from '../../src/protocol/webview/messages';
import { Audit, type AuditEdit, type AuditState, type AuditVerdict, type DecisionInput } from '../../src/protocol/webview/audit';
import { aggregateReport, type RunAggregate } from '../../src/core/adjudication/aggregate';
import { buildAdjudication } from '../../src/core/adjudication/record';
import { type ScoredSheet } from '../../src/core/calibration/inputs';
import { parseRubric } from '../../src/core/rubric';
import { type Evidence } from '../../src/core/worksheet';
import { acceptMean, auditModel, gated, recordModel, type MayShowOthers } from '../../src/extension/audit/audit-model';

interface PageWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  __sent: PageMessage[];
  __violations: string[];
  document: { activeElement: { id: string } | null; querySelectorAll(s: string): ArrayLike<unknown> };
}

type Theme = 'dark' | 'light' | 'high-contrast';

const THEMES: Record<Theme, string> = {
  dark: `--vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
    --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
    --vscode-focusBorder: #0078d4; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
    --vscode-button-hoverBackground: #026ec1; --vscode-button-border: #ffffff12; --vscode-button-secondaryBackground: #313131;
    --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
    --vscode-textLink-foreground: #4daafc; --vscode-textLink-activeForeground: #4daafc; --vscode-inputValidation-errorBackground: #5a1d1d;
    --vscode-inputValidation-errorBorder: #be1100; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
    --vscode-panel-border: #2b2b2b; --vscode-widget-border: #313131; --vscode-list-hoverBackground: #2a2d2e;
    --vscode-textBlockQuote-background: #2b2b2b; --vscode-testing-iconPassed: #73c991;`,
  light: `--vscode-editor-background: #ffffff; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171;
    --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece;
    --vscode-focusBorder: #005fb8; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
    --vscode-button-hoverBackground: #0258a8; --vscode-button-border: #0000001a; --vscode-button-secondaryBackground: #e5e5e5;
    --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
    --vscode-textLink-foreground: #005fb8; --vscode-textLink-activeForeground: #005fb8; --vscode-inputValidation-errorBackground: #f2dede;
    --vscode-inputValidation-errorBorder: #be1100; --vscode-errorForeground: #a1260d; --vscode-editorWarning-foreground: #bf8803;
    --vscode-panel-border: #e5e5e5; --vscode-widget-border: #e5e5e5; --vscode-list-hoverBackground: #f2f2f2;
    --vscode-textBlockQuote-background: #f8f8f8; --vscode-testing-iconPassed: #388a34;`,
  'high-contrast': `--vscode-editor-background: #000000; --vscode-foreground: #ffffff; --vscode-descriptionForeground: #ffffffd0;
    --vscode-input-background: #000000; --vscode-input-foreground: #ffffff; --vscode-input-border: #6fc3df;
    --vscode-focusBorder: #f38518; --vscode-button-background: #000000; --vscode-button-foreground: #ffffff;
    --vscode-button-border: #6fc3df; --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff;
    --vscode-textLink-foreground: #21a6ff; --vscode-textLink-activeForeground: #21a6ff; --vscode-inputValidation-errorBackground: #000000;
    --vscode-inputValidation-errorBorder: #f48771; --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #ffd370;
    --vscode-contrastBorder: #6fc3df; --vscode-contrastActiveBorder: #f38518; --vscode-testing-iconPassed: #73c991;`,
};

function pageHtml(origin: string, theme: Theme): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script nonce="${nonce}">
  window.__sent = []; window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: m => { const copy = JSON.parse(JSON.stringify(m)); window.__sent.push(copy); window.__host(copy); },
    getState: () => JSON.parse(sessionStorage.getItem('state') || 'null') ?? undefined,
    setState: s => sessionStorage.setItem('state', JSON.stringify(s)),
  });
</script>
<link rel="stylesheet" href="/theme-${theme}.css"><link rel="stylesheet" href="/codicon.css"><link rel="stylesheet" href="/audit.css">
<title>Audit</title></head>
<body class="vscode-${theme}"><main id="app" aria-live="polite"></main><script nonce="${nonce}" src="/audit.js"></script></body></html>`;
}

function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/audit.js': [path.join(ROOT, 'dist', 'webview', 'audit.js'), 'text/javascript'],
    '/codicon.css': [path.join(ROOT, 'dist', 'webview', 'codicon.css'), 'text/css'],
    '/codicon.ttf': [path.join(ROOT, 'dist', 'webview', 'codicon.ttf'), 'font/ttf'],
    '/audit.css': [path.join(ROOT, 'media', 'audit.css'), 'text/css'],
  };
  return servePage(Object.values(files).map(f => f[0]), (url, origin) => {
    const theme = /^\/theme-(dark|light|high-contrast)\.css$/.exec(url.pathname)?.[1] as Theme | undefined;
    const file = files[url.pathname];
    if (url.pathname === '/') return [pageHtml(origin, (url.searchParams.get('theme') ?? 'dark') as Theme), 'text/html'];
    if (theme) return [`:root { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; ${THEMES[theme]} }`, 'text/css'];
    return file ? [readFileSync(file[0]), file[1]] : undefined;
  });
}

const RUBRIC_FILE = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
const SEB = parseRubric(readFileSync(RUBRIC_FILE, 'utf8'), RUBRIC_FILE);
const ev = (p: string, startLine: number, endLine: number, note?: string, side: Evidence['side'] = 'run'): Evidence => ({ side, path: p, startLine, endLine, ...(note ? { note } : {}) });

/** The demo run's three graders (as test/ui/calibration-fixture.ts scores it), by dimension: points, rationale, evidence. */
const GRADERS: Record<string, Record<string, [number, string, Evidence[]]>> = {
  'ref-ana': {
    'invariant-plan': [17, 'The plan names one authority, applyDocumentWrite, and the writes it must own.', [ev('docs/AUTHORITY_PLAN.md', 1, 20)]],
    simplification: [20, 'The projection repair loop is gone; derived views replace it.', [ev('server/projection/repair.ts', 1, 30, undefined, 'baseline'), ev('server/authority/derive.ts', 1, 25)]],
    wiring: [8, 'REST, agent and mark routes call the authority; Y.Doc load still writes outside it.', [ev('server/marks/marks.ts', 77, 81), ev('server/authority/persistence.ts', 1, 30)]],
    'no-parallel-authority': [14, 'No second write path survives in the routes.', [ev('server/routes/documents.ts', 1, 40)]],
    'correctness-incidents': [20, 'Both incident tests kept and run against the authority.', [ev('test/incident-2026-02-duplicate-paragraphs.test.ts', 1, 30)]],
    'durability-lifecycle': [2, 'The update log is flushed on shutdown.', [ev('server/authority/document-authority.ts', 150, 207, 'flush() on SIGTERM')]],
  },
  'ref-ben': {
    'invariant-plan': [16, 'A clear invariant, stated before the code.', [ev('docs/AUTHORITY_PLAN.md', 1, 12)]],
    simplification: [21, 'Fewer moving parts: one write function, derived views.', [ev('server/authority/derive.ts', 1, 25)]],
    wiring: [9, 'Every route I traced reaches applyDocumentWrite.', [ev('server/marks/marks.ts', 77, 81)]],
    'no-parallel-authority': [13, 'The repair job is gone, but the persistence load writes to Yjs on its own.', [ev('server/authority/persistence.ts', 1, 30)]],
    'correctness-incidents': [19, 'Incident regressions kept; one test skips the WebSocket path.', [ev('test/incident-2026-03-crash-on-reconnect.test.ts', 1, 30)]],
    'durability-lifecycle': [3, 'Lifecycle handled: flush and close.', [ev('server/authority/document-authority.ts', 150, 207)]],
  },
  'model-cal': {
    'invariant-plan': [18, 'The plan is explicit and complete.', [ev('docs/AUTHORITY_PLAN.md', 1, 74)]],
    simplification: [24, 'A large simplification.', [ev('server/authority/document-authority.ts', 1, 60)]],
    wiring: [10, 'All writes go through the authority.', [ev('server/marks/marks.ts', 77, 81), ev('server/routes/agent.ts', 1, 30)]],
    'no-parallel-authority': [17, 'No parallel authority found.', [ev('server/authority/document-authority.ts', 1, 40)]],
    'correctness-incidents': [15, 'Tests pass, but I could not tell which replay the incidents.', [ev('test-results/final-run.log', 1, 20)]],
    'durability-lifecycle': [3, 'Shutdown flushes the log.', [ev('server/authority/document-authority.ts', 150, 207)]],
  },
};

const HOSTILE_NAME = '<script>alert(1)</script>\u202Egnp.exe';
const HOSTILE_RATIONALE = '<img src=x onerror=alert(2)> and \u202Etxt.exe <b>bold</b>';
const HOSTILE_PATH = 'server/<script>alert(3)</script>\u202E.ts';

function sheetsOf(graders: Record<string, Record<string, [number, string, Evidence[]]>>): ScoredSheet[] {
  return Object.entries(graders).map(([grader, dims], i) => {
    const points = new Map(Object.entries(dims).map(([d, s]) => [d, s[0]]));
    return {
      file: `/worksheets/demo-authority-rewrite.${grader}.worksheet.json`, sha256: String(i + 1).repeat(64), keyId: `SHA256:key-${i}`,
      kind: 'worksheet', signed: i !== 3, grader, runId: 'demo-authority-rewrite',
      points, total: [...points.values()].reduce((a, b) => a + b, 0),
      rationale: new Map(Object.entries(dims).map(([d, s]) => [d, s[1]])),
      evidence: new Map(Object.entries(dims).map(([d, s]) => [d, s[2]])),
      trees: { baseline: 'a'.repeat(40), run: 'b'.repeat(40) },
    };
  });
}

function aggregate(sheets: ScoredSheet[]): RunAggregate {
  const report = aggregateReport([{ set: { sheets, excluded: [], failed: 0 }, rubric: { rubric: SEB, sha256: 'c'.repeat(64), file: RUBRIC_FILE },
    ref: { id: SEB.id, version: SEB.version, sha256: 'c'.repeat(64) }, files: sheets.map(s => s.file) }], 'mean');
  const run = report.runs[0];
  assert.ok(run, 'the three worksheets aggregate');
  return run;
}

/** What the stub host holds. */
interface HostModel {
  sheets: ScoredSheet[];
  run: RunAggregate;
  decisions: Record<string, DecisionInput>;
  readOnly: boolean;
  verdict?: AuditVerdict;
  excluded: Array<{ file: string; reason: string }>;
  mayShowOthers: MayShowOthers;
  record?: boolean;
}

function host(graders = GRADERS, over: Partial<HostModel> = {}): HostModel {
  const sheets = sheetsOf(graders);
  return { sheets, run: aggregate(sheets), decisions: {}, readOnly: false, excluded: [], mayShowOthers: () => Promise.resolve(undefined), ...over };
}

async function stateOf(h: HostModel): Promise<AuditState> {
  return gated(h.run.runId, h.mayShowOthers, () => {
    if (h.record) {
      const a = buildAdjudication({ run: h.run, rubric: SEB, method: 'adjudicated',
        decisions: new Map(Object.entries(h.decisions).filter(([, d]) => d.mode === 'set').map(([k, d]) => [k, { points: Number(d.points), rationale: d.rationale }])),
        keyIds: new Map(h.sheets.map(s => [s.file, s.keyId ?? ''])), adjudicator: { name: 'judge', keyId: 'SHA256:judge' } });
      return recordModel(a, SEB, h.verdict ?? { ok: true, file: 'x', headline: '', checks: [] }, []);
    }
    return auditModel({ run: h.run, rubric: SEB, sheets: h.sheets, decisions: h.decisions, excluded: h.excluded, notices: [], blocked: [],
      readOnly: h.readOnly, status: { kind: 'saved', text: 'Decisions saved 10:32:01' }, ...(h.verdict ? { verdict: h.verdict } : {}) });
  });
}

function applyEdit(h: HostModel, e: AuditEdit): void {
  const d = h.decisions[e.dimension] ?? acceptMean();
  if (e.kind === 'mode') d.mode = e.mode;
  else if (e.kind === 'points') {
    d.mode = 'set';
    d.points = e.value;
  } else d.rationale = e.value;
  h.decisions[e.dimension] = d;
}

class AuditPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  readonly received: PageMessage[] = [];

  private constructor(readonly page: Page, readonly host: HostModel) {
    page.on('pageerror', e => this.errors.push(e.message));
    page.on('dialog', d => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  static async open(browser: Browser, url: string, h: HostModel, theme: Theme = 'dark'): Promise<AuditPage> {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 1200, height: 900 });
    const p = new AuditPage(page, h);
    await page.exposeFunction('__host', (m: unknown) => p.receive(m));
    await page.goto(`${url}?theme=${theme}`);
    await page.locator('.audit').waitFor();
    return p;
  }

  private receive(raw: unknown): void {
    const m = parsePageMessage(raw);
    if (!m) return;
    this.received.push(m);
    if (m.method === WebviewReady.method) void this.post();
    else if (m.method === Audit.edit.method) {
      applyEdit(this.host, m.params as AuditEdit);
      void this.post();
    }
  }

  async post(): Promise<void> {
    const state = await stateOf(this.host);
    await this.send(Audit.state, state).catch((e: unknown) => {
      if (!this.page.isClosed()) this.errors.push(`posting a state: ${String(e)}`);
    });
  }

  async send<P>(type: NotificationType<P>, params: P): Promise<void> {
    await this.page.evaluate(m => (globalThis as unknown as PageWindow).postMessage(m, '*'), { kind: 'notification', method: type.method, params });
  }

  async invalidSent(): Promise<string[]> {
    return invalidPageMessages(await this.page.evaluate(() => (globalThis as unknown as PageWindow).__sent), Audit);
  }

  async violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__violations);
  }

  commands<P>(type: { method: string }): P[] {
    return this.received.filter(m => m.kind === 'command' && m.method === type.method).map(m => m.params as P);
  }

  row(id: string): Locator {
    return this.page.locator(`tr.dimension[data-dimension="${id}"]`);
  }

  detail(id: string): Locator {
    return this.page.locator(`tr.detail[data-dimension="${id}"]`);
  }

  decision(id: string): Locator {
    return this.page.locator(`fieldset.decision[data-dimension="${id}"]`);
  }

  async expand(id: string): Promise<void> {
    const b = this.row(id).locator('button.expand');
    await b.focus();
    await this.page.keyboard.press('Enter');
    await this.detail(id).waitFor();
  }

  async typeInto(field: Locator, text: string): Promise<void> {
    await field.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }
}

const cells = (row: Locator) => row.locator('td').allInnerTexts().then(t => t.map(s => s.trim()));

interface PageTest {
  name: string;
  host: () => HostModel;
  theme?: Theme;
  run(p: AuditPage): Promise<void>;
}

const SIGNED: Record<string, DecisionInput> = {
  wiring: { mode: 'set', points: '8', rationale: 'why' }, simplification: { mode: 'set', points: '21.5', rationale: 'step' },
  'no-parallel-authority': { mode: 'set', points: '14.5', rationale: 'step' }, 'durability-lifecycle': { mode: 'set', points: '2.5', rationale: 'step' },
};
const VERDICT: AuditVerdict = { ok: true, file: 'demo.adjudication.json', headline: 'Verified', checks: [{ ok: true, text: 'signature: ok' }] };

const tests: PageTest[] = [
  {
    name: 'the table: each grader\'s points, the mean and the gap per dimension and on the total; signed marks',
    host: () => host(),
    async run(p) {
      assert.deepEqual((await p.page.locator('thead th.grader-col .grader-name').allInnerTexts()), ['ref-ana', 'ref-ben', 'model-cal']);
      assert.equal(await p.page.locator('thead th.grader-col .signed').count(), 3);
      assert.deepEqual(await cells(p.row('invariant-plan')), ['17', '16', '18', '17', '2', '17']);
      assert.deepEqual(await cells(p.row('simplification')), ['20', '21', '24', '21.667', '4', '21.667']);
      assert.deepEqual(await cells(p.page.locator('tfoot tr')), ['81', '81', '87', '83', '6', '83']);
      assert.equal(await p.page.locator('tr.dimension').count(), 6);
      assert.match(await p.page.locator('[data-testid="summary"]').innerText(), /^Final total 83 \/ 100 \(the mean is 83\)\. Method: mean: every dimension takes the mean\.$/);
    },
  },
  {
    name: 'a disagreement is highlighted by more than colour: an icon and "differ by N", and named above the table',
    host: () => host(),
    async run(p) {
      // durability-lifecycle: 2, 3, 3 on a ceiling of 3 differ by 1, more than 0.75
      const gap = p.row('durability-lifecycle').locator('td.gap');
      assert.equal((await gap.innerText()).trim(), 'differ by 1');
      assert.equal(await gap.locator('.codicon-warning').count(), 1);
      assert.match(await gap.getAttribute('title') ?? '', /more than 0\.75 \(25% of 3\)/);
      assert.equal(await p.page.locator('tr.dimension.disagree').count(), 1);
      assert.equal((await p.row('wiring').locator('td.gap').innerText()).trim(), '2');
      assert.match(await p.page.locator('.gist').innerText(), /disagree on 1 dimension: Runtime durability and lifecycle \(differ by 1\)/);
    },
  },
  {
    name: 'a dimension expands and collapses from the keyboard (Enter, Space); the graders side by side with rationale and evidence',
    host: () => host(),
    async run(p) {
      const b = p.row('wiring').locator('button.expand');
      assert.equal(await b.getAttribute('aria-expanded'), 'false');
      assert.equal(await p.detail('wiring').isVisible(), false);
      await p.expand('wiring');
      assert.equal(await b.getAttribute('aria-expanded'), 'true');
      assert.equal(await b.getAttribute('aria-controls'), 'detail-wiring');
      const cards = p.detail('wiring').locator('.grader');
      assert.equal(await cards.count(), 3);
      const tops = await cards.evaluateAll(els => els.map(e => Math.round((e as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top)));
      assert.equal(new Set(tops).size, 1, `side by side (tops ${tops.join(', ')})`);
      assert.match(await cards.nth(0).innerText(), /REST, agent and mark routes call the authority/);
      assert.deepEqual(await cards.nth(0).locator('button.evidence-link bdi').allInnerTexts(), ['run server/marks/marks.ts:77\u201381', 'run server/authority/persistence.ts:1\u201330']);
      await b.focus();
      await p.page.keyboard.press('Space');
      await p.detail('wiring').waitFor({ state: 'hidden' });
      assert.equal(await b.getAttribute('aria-expanded'), 'false');
    },
  },
  {
    name: 'each evidence item posts which grader, dimension and item to open (never a path)',
    host: () => host(),
    async run(p) {
      await p.expand('wiring');
      await p.detail('wiring').locator('.grader[data-grader="0"] button.evidence-link').nth(1).click();
      await p.detail('wiring').locator('.grader[data-grader="2"] button.evidence-link').nth(1).focus();
      await p.page.keyboard.press('Enter');
      await waitFor('two openEvidence commands', async () => (p.commands(Audit.openEvidence).length === 2 ? true : undefined));
      assert.deepEqual(p.commands(Audit.openEvidence), [{ grader: 0, dimension: 'wiring', index: 1 }, { grader: 2, dimension: 'wiring', index: 1 }]);
    },
  },
  {
    name: 'invalid points keep their text and show the reason (aria-invalid); departing points need a rationale; sign only when valid',
    host: () => host(),
    async run(p) {
      const sign = p.page.locator('[data-testid="sign"]');
      assert.equal(await sign.isEnabled(), true, 'accepting every mean can be signed');
      await p.expand('wiring');
      const points = p.decision('wiring').locator('input.points');
      await p.typeInto(points, '12');
      const reason = p.decision('wiring').locator('.reason');
      await reason.filter({ hasText: '12 is above the ceiling of 10' }).waitFor();
      assert.equal(await points.inputValue(), '12', 'kept as typed, not clamped');
      assert.equal(await points.getAttribute('aria-invalid'), 'true');
      assert.equal(await p.decision('wiring').locator('input.mode-set').isChecked(), true, 'typing points chooses "Set points"');
      assert.equal(await sign.isDisabled(), true);
      assert.match(await p.row('wiring').locator('td.final').innerText(), /to fix/);
      await p.typeInto(points, '7.5');
      await reason.filter({ hasText: 'a rationale is required: 7.5 departs from the mean 9' }).waitFor();
      assert.equal(await points.getAttribute('aria-invalid'), null);
      assert.equal(await p.decision('wiring').locator('textarea.rationale').getAttribute('aria-invalid'), 'true');
      assert.equal(await p.decision('wiring').locator('textarea.rationale').getAttribute('aria-required'), 'true');
      await p.typeInto(p.decision('wiring').locator('textarea.rationale'), 'Y.Doc load writes outside the authority.');
      await reason.waitFor({ state: 'hidden' });
      // adjudicated now: the means off the step must be set too
      const problems = p.page.locator('[data-testid="problems"]');
      await problems.filter({ hasText: 'Simplification outcome: the mean 21.667 is not a multiple of the rubric\'s step 0.5' }).waitFor();
      assert.equal(await sign.isDisabled(), true);
      for (const [id, pts] of [['simplification', '21.5'], ['no-parallel-authority', '14.5'], ['durability-lifecycle', '2.5']] as const) {
        await p.expand(id);
        await p.typeInto(p.decision(id).locator('input.points'), pts);
        await p.typeInto(p.decision(id).locator('textarea.rationale'), 'Rounded to the step.');
      }
      await problems.waitFor({ state: 'hidden' });
      assert.equal(await sign.isEnabled(), true);
      assert.match(await p.page.locator('[data-testid="summary"]').innerText(), /^Final total 81 \/ 100 \(the mean is 83\)\. Method: adjudicated: 4 dimensions depart from the mean\.$/);
      await sign.click();
      await waitFor('the sign command', async () => (p.commands(Audit.command).length === 1 ? true : undefined));
      assert.deepEqual(p.commands(Audit.command), [{ command: 'sign' }]);
      // back to the mean: the radio, and its decision is valid again
      await p.decision('wiring').locator('input.mode-mean').check();
      await waitFor('the mean accepted', async () => ((await p.row('wiring').locator('td.final').innerText()).trim() === '9' ? true : undefined));
      assert.equal(await points.inputValue(), '7.5', 'the typed points are kept');
    },
  },
  {
    name: 'a signed adjudication: read-only, the verdict with every check, no sign button',
    host: () => host(GRADERS, { readOnly: true, decisions: { wiring: { mode: 'set', points: '8', rationale: 'Y.Doc load writes outside it.' } },
      verdict: { ok: true, file: '/worksheets/demo-authority-rewrite.adjudication.json', headline: 'Verified: signed by judge@example.invalid; both trees match the open run',
        checks: [{ ok: true, text: 'signature: 1 valid signature' }, { ok: true, text: 'aggregate: each dimension\u2019s mean is that of the 3 sources\u2019 points' }] } }),
    async run(p) {
      const v = p.page.locator('[data-testid="verdict"]');
      assert.match(await v.innerText(), /Verified/);
      assert.deepEqual(await v.locator('.checks li .mark').allInnerTexts(), ['\u2714', '\u2714']);
      assert.equal(await p.page.locator('[data-testid="sign"]').count(), 0);
      await p.expand('wiring');
      assert.equal(await p.decision('wiring').locator('input.points').getAttribute('readonly'), '');
      assert.equal(await p.decision('wiring').locator('input.mode-mean').isDisabled(), true);
      assert.equal(await p.decision('wiring').locator('textarea.rationale').getAttribute('readonly'), '');
      assert.match(await p.page.locator('.banner').innerText(), /Read-only/);
    },
  },
  {
    name: 'a record opened on its own: its points and final points, a failed check marked ✘ with Show Log',
    host: () => host(GRADERS, { record: true, decisions: { wiring: { mode: 'set', points: '8', rationale: 'why' }, simplification: { mode: 'set', points: '21.5', rationale: 'step' },
      'no-parallel-authority': { mode: 'set', points: '14.5', rationale: 'step' }, 'durability-lifecycle': { mode: 'set', points: '2.5', rationale: 'step' } },
    verdict: { ok: false, file: 'demo.adjudication.json', headline: 'Not verified: source-digest', checks: [{ ok: true, text: 'signature: ok' }, { ok: false, text: 'source-digest: the source worksheet was changed' }] } }),
    async run(p) {
      assert.equal(await p.page.locator('h1').innerText(), 'Adjudication of demo-authority-rewrite');
      const v = p.page.locator('[data-testid="verdict"]');
      assert.match(await v.innerText(), /Not verified/);
      assert.match(await v.locator('.checks li.bad').innerText(), /\u2718[\s\S]*source-digest: the source worksheet was changed/);
      assert.equal(await v.locator('.checks li.bad').count(), 1);
      await v.getByRole('button', { name: 'Show Log' }).click();
      await waitFor('showLog', async () => (p.commands(Audit.command).some(c => (c as { command: string }).command === 'showLog') ? true : undefined));
      assert.deepEqual(await cells(p.row('wiring')), ['8', '9', '10', '9', '2', '8 (set)']);
      await p.expand('wiring');
      assert.match(await p.detail('wiring').innerText(), /keeps each grader\u2019s points, not their rationales/);
    },
  },
  {
    name: 'the signed audit, then the same record opened on its own: the page is built anew (its title, no rationales)',
    host: () => host(GRADERS, { readOnly: true, decisions: SIGNED, verdict: VERDICT }),
    async run(p) {
      assert.equal(await p.page.locator('h1').innerText(), 'Audit of demo-authority-rewrite');
      await p.expand('wiring');
      assert.equal(await p.detail('wiring').locator('.grader').count(), 3);
      p.host.record = true;
      await p.post();
      await p.page.locator('h1', { hasText: 'Adjudication of demo-authority-rewrite' }).waitFor();
      assert.equal(await p.page.locator('.grader').count(), 0);
    },
  },
  {
    name: 'hostile grader names, rationales and paths render as text; direction marks are escaped or isolated',
    host: () => {
      const g = structuredClone(GRADERS);
      const ana = g['ref-ana'];
      assert.ok(ana);
      ana.wiring = [8, HOSTILE_RATIONALE, [ev(HOSTILE_PATH, 1, 2, '<script>alert(4)</script>')]];
      return host({ [HOSTILE_NAME]: ana, 'ref-ben': g['ref-ben'] ?? {}, 'model-cal': g['model-cal'] ?? {} });
    },
    async run(p) {
      await p.expand('wiring');
      assert.equal(await p.page.locator('#app script, #app img, #app b').count(), 0, 'no element from a string');
      assert.equal(await p.page.locator('thead .grader-name').first().innerText(), '<script>alert(1)</script>\\u202egnp.exe');
      const card = p.detail('wiring').locator('.grader').first();
      assert.match(await card.locator('.rationale-text').innerText(), /<img src=x onerror=alert\(2\)>/);
      assert.equal(await card.locator('button.evidence-link bdi').innerText(), 'run server/<script>alert(3)</script>\\u202e.ts:1\u20132');
      assert.equal(await card.locator('.evidence-note').innerText(), '<script>alert(4)</script>');
      assert.equal(await p.page.evaluate(() => (globalThis as unknown as { __xss?: boolean }).__xss), undefined);
    },
  },
  {
    name: 'blind grading refuses: the reason is shown instead of the other graders\' worksheets',
    host: () => host(GRADERS, { mayShowOthers: runId => Promise.resolve(`Blind grading: submit your own worksheet for ${runId} first.`) }),
    async run(p) {
      await p.page.locator('[data-testid="refused"]').waitFor();
      assert.match(await p.page.locator('[data-testid="refused"]').innerText(), /Blind grading: submit your own worksheet for demo-authority-rewrite first\./);
      const text = await p.page.locator('#app').innerText();
      for (const name of Object.keys(GRADERS)) assert.ok(!text.includes(name), `${name} is not shown`);
      assert.equal(await p.page.locator('table').count(), 0);
    },
  },
];

/** One screenshot per theme: a disagreement expanded, a decision in progress with its reason. */
async function screenshot(browser: Browser, url: string, theme: Theme): Promise<void> {
  const h = host(GRADERS, { decisions: { 'durability-lifecycle': { mode: 'set', points: '3', rationale: 'The update log is flushed and the socket closed on SIGTERM (document-authority.ts:150–207).' },
    simplification: { mode: 'set', points: '26', rationale: '' } } });
  const p = await AuditPage.open(browser, url, h, theme);
  try {
    await p.expand('durability-lifecycle');
    await p.page.locator('[data-testid="problems"] li').first().waitFor();
    await p.page.screenshot({ path: path.join(RESULTS, `webview-audit-${theme}.png`), fullPage: true });
    assert.deepEqual(p.errors, []);
    assert.deepEqual(await p.violations(), []);
  } finally {
    await p.page.close();
  }
}

export async function runAuditPageTests(): Promise<Counts & { exitCode: number }> {
  const r = await runPageTests({
    label: 'webview-audit',
    tests: [...tests, ...(['dark', 'light', 'high-contrast'] as const).map(theme => ({ name: `screenshot: ${theme}`, host: () => host(), theme, screenshot: true }))],
    serve,
    open: (browser, url, t) => AuditPage.open(browser, url, t.host(), t.theme),
    run: async (p, t, ctx) => {
      if ('screenshot' in t) {
        await screenshot(ctx.browser, ctx.url, t.theme);
        return;
      }
      await (t as PageTest).run(p);
    },
  });
  return r;
}
