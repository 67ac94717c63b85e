/**
 * The rubric form page in real Chromium: the BUILT bundle dist/webview/rubric.js in a page with the webview's CSP
 * (script by nonce, styles and fonts from the page's origin only), VS Code's host API stubbed, served from a loopback
 * server, at side-bar width. The test plays the host: it owns the draft, applies each edit the page posts, evaluates
 * the draft with the real src/core/scoring and posts the new state back, as the extension does.
 * Usage (after `node scripts/build.mjs --tests`): runRubricPageTests() from out/test/ui/webview-rubric.js.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { newPage } from '../harness/browser';
import { type Counts } from '../harness/counts';
import { invalidPageMessages, runPageTests, servePage } from './webview-page-harness';
import { RESULTS, ROOT } from '../harness/env';
import { waitFor } from '../harness/wait';
import { type CommandType, type NotificationType, type PageMessage, WebviewReady, parsePageMessage } from '../../src/protocol/webview/messages';
import { RubricForm, type AddFact, type EvidenceFact, type Edit, type FoundEvidence, type RubricFormState } from '../../src/protocol/webview/rubric';
import { parseRubric, type Rubric } from '../../src/core/rubric';
import { checkPoints, evaluate } from '../../src/core/scoring';
import { type Draft, type DraftEntry, type Evidence } from '../../src/core/worksheet';

/** The few page globals the tests touch (the Node tsconfig has no DOM lib). */
interface PageElement {
  id: string;
  value?: string;
  selectionStart?: number | null;
  selectionEnd?: number | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  blur(): void;
}
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  getComputedStyle(el: PageElement): { outlineStyle: string; outlineWidth: string; visibility: string; display: string };
  __sent: PageMessage[];
  __violations: string[];
  __arrivals: Array<{ focused: string; typed: string | null; points: Record<string, string> }>;
  document: {
    activeElement: PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement & { checkVisibility(): boolean; disabled?: boolean; labels?: ArrayLike<unknown> | null; textContent: string | null }>;
  };
}

type Theme = 'dark' | 'light' | 'high-contrast';
const HOSTILE = '<img src=x onerror=alert(1)>.ts';
const SIDE_BAR_WIDTH = 300;

const THEMES: Record<Theme, string> = {
  dark: `--vscode-sideBar-background: #181818; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
    --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
    --vscode-input-placeholderForeground: #989898; --vscode-focusBorder: #0078d4; --vscode-button-background: #0078d4;
    --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1; --vscode-button-border: #ffffff12;
    --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
    --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
    --vscode-progressBar-background: #0078d4; --vscode-textLink-foreground: #4daafc; --vscode-textLink-activeForeground: #4daafc;
    --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100;
    --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700; --vscode-icon-foreground: #cccccc;
    --vscode-toolbar-hoverBackground: #5a5d5e50; --vscode-sideBarSectionHeader-border: #2b2b2b; --vscode-widget-border: #313131;
    --vscode-list-hoverBackground: #2a2d2e; --vscode-testing-iconPassed: #73c991;`,
  light: `--vscode-sideBar-background: #f8f8f8; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171;
    --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece;
    --vscode-input-placeholderForeground: #767676; --vscode-focusBorder: #005fb8; --vscode-button-background: #005fb8;
    --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8; --vscode-button-border: #0000001a;
    --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b;
    --vscode-button-secondaryHoverBackground: #cccccc; --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b;
    --vscode-progressBar-background: #005fb8; --vscode-textLink-foreground: #005fb8; --vscode-textLink-activeForeground: #005fb8;
    --vscode-inputValidation-errorBackground: #f2dede; --vscode-inputValidation-errorBorder: #be1100;
    --vscode-errorForeground: #a1260d; --vscode-editorWarning-foreground: #bf8803; --vscode-icon-foreground: #3b3b3b;
    --vscode-toolbar-hoverBackground: #b8b8b850; --vscode-sideBarSectionHeader-border: #e5e5e5; --vscode-widget-border: #e5e5e5;
    --vscode-list-hoverBackground: #f2f2f2; --vscode-testing-iconPassed: #388a34;`,
  'high-contrast': `--vscode-sideBar-background: #000000; --vscode-foreground: #ffffff; --vscode-descriptionForeground: #ffffffd0;
    --vscode-input-background: #000000; --vscode-input-foreground: #ffffff; --vscode-input-border: #6fc3df;
    --vscode-input-placeholderForeground: #ffffffb3; --vscode-focusBorder: #f38518; --vscode-button-background: #000000;
    --vscode-button-foreground: #ffffff; --vscode-button-border: #6fc3df; --vscode-button-secondaryBackground: #000000;
    --vscode-button-secondaryForeground: #ffffff; --vscode-badge-background: #000000; --vscode-badge-foreground: #ffffff;
    --vscode-progressBar-background: #6fc3df; --vscode-textLink-foreground: #21a6ff; --vscode-textLink-activeForeground: #21a6ff;
    --vscode-inputValidation-errorBackground: #000000; --vscode-inputValidation-errorBorder: #f48771;
    --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #ffd370; --vscode-icon-foreground: #ffffff;
    --vscode-contrastBorder: #6fc3df; --vscode-contrastActiveBorder: #f38518; --vscode-testing-iconPassed: #73c991;`,
};

function themeCss(theme: Theme): string {
  return `:root { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
    --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; ${THEMES[theme]} }
  html { background: var(--vscode-sideBar-background); }`;
}

function pageHtml(origin: string, theme: Theme): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script nonce="${nonce}" id="host-stub">
  window.__sent = []; window.__violations = []; window.__arrivals = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  // Registered before the bundle's listener: what the focused field held when each state arrived.
  window.addEventListener('message', e => {
    const entries = e.data && e.data.method === 'rubric/state' && e.data.params ? e.data.params.draft.entries : undefined;
    if (entries) window.__arrivals.push({ focused: document.activeElement.id, typed: document.activeElement.value ?? null,
      points: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.points])) });
  });
  window.acquireVsCodeApi = () => ({
    postMessage: m => { const copy = JSON.parse(JSON.stringify(m)); window.__sent.push(copy); window.__host(copy); },
    getState: () => JSON.parse(sessionStorage.getItem('state') || 'null') ?? undefined,
    setState: s => sessionStorage.setItem('state', JSON.stringify(s)),
  });
</script>
<link rel="stylesheet" href="/theme-${theme}.css"><link rel="stylesheet" href="/codicon.css"><link rel="stylesheet" href="/rubric.css">
<title>Rubric</title></head>
<body class="vscode-${theme}"><main id="app" aria-live="polite"></main><script nonce="${nonce}" src="/rubric.js"></script></body></html>`;
}

function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/rubric.js': [path.join(ROOT, 'dist', 'webview', 'rubric.js'), 'text/javascript'],
    '/codicon.css': [path.join(ROOT, 'dist', 'webview', 'codicon.css'), 'text/css'],
    '/codicon.ttf': [path.join(ROOT, 'dist', 'webview', 'codicon.ttf'), 'font/ttf'],
    '/rubric.css': [path.join(ROOT, 'media', 'rubric.css'), 'text/css'],
  };
  return servePage(Object.values(files).map(f => f[0]), (url, origin) => {
    const theme = /^\/theme-(dark|light|high-contrast)\.css$/.exec(url.pathname)?.[1] as Theme | undefined;
    const file = files[url.pathname];
    return url.pathname === '/' ? [pageHtml(origin, (url.searchParams.get('theme') ?? 'dark') as Theme), 'text/html']
      : theme ? [themeCss(theme), 'text/css'] : file ? [readFileSync(file[0]), file[1]] : undefined;
  });
}

/** The benchmark's rubric file, or (while it is being written) the same six dimensions literally. */
function sebRubric(): Rubric {
  const file = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
  if (existsSync(file)) return parseRubric(readFileSync(file, 'utf8'), file);
  const dim = (id: string, title: string, ceiling: number) => ({ id, title, ceiling, description: `${title}.`,
    guidance: { rewards: [`Rewarded on ${title}.`], penalises: [`Penalised on ${title}.`] } });
  return { id: 'seb', version: '1.0', title: 'Senior Engineer Benchmark, version 1.0', total: 100, step: 0.5, dimensions: [
    dim('invariant-plan', 'Invariant clarity and plan quality', 20), dim('simplification', 'Simplification outcome', 25),
    dim('wiring', 'End-to-end wiring', 10), dim('no-parallel-authority', 'No stubs or parallel authority', 17),
    dim('correctness-incidents', 'Correctness proof and incident preservation', 25),
    dim('durability-lifecycle', 'Runtime durability and lifecycle', 3)] };
}

const SEB = sebRubric();
const SMALL: Rubric = { id: 'pilot', version: '0.3', title: 'Pilot rubric', total: 20, step: 0.5, dimensions: [
  { id: 'plan', title: 'Plan', description: 'A plan exists.', ceiling: 5, guidance: { rewards: ['A written plan.'], penalises: [] } },
  { id: 'tests', title: 'Tests', description: 'Tests pass.', ceiling: 5, guidance: { rewards: [], penalises: ['Skipped tests.'] } },
  { id: 'design', title: 'Design', description: 'One authority.', ceiling: 10, guidance: { rewards: [], penalises: [] } }] };

const dimOf = (rubric: Rubric, index: number) => {
  const d = rubric.dimensions[index];
  assert.ok(d, `the rubric has a dimension ${index}`);
  return d;
};

function draftFor(rubric: Rubric, entries: Record<string, Partial<DraftEntry>> = {}): Draft {
  return {
    format: 'seb-review/draft@1', revision: 3, writer: 'window-1',
    rubric: { id: rubric.id, version: rubric.version, sha256: 'ab'.repeat(32) },
    run: { runId: 'demo-authority-rewrite', root: '/runs/demo-authority-rewrite', baseline: { commit: '01'.repeat(20), tree: '02'.repeat(20) },
      head: { tree: '03'.repeat(20) } },
    grader: { name: 'Ada Reviewer', kind: 'human' },
    entries: Object.fromEntries(rubric.dimensions.map(d => [d.id, { points: '', rationale: '', evidence: [], ...entries[d.id] }])),
    gaps: '', createdAt: '2026-06-20T10:00:00Z', updatedAt: '2026-06-20T10:30:00Z',
  };
}

/** What the stub host holds: the inputs of a RubricFormState (the evaluation is computed from them). */
interface HostModel {
  rubric: Rubric;
  rubricSource: string;
  draft: Draft;
  readOnly: boolean;
  status?: RubricFormState['status'];
  /** The evidence found for the run, sent after the state when the page is ready. */
  found?: FoundEvidence;
}

function model(rubric: Rubric, over: Partial<HostModel> = {}): HostModel {
  return { rubric, rubricSource: `rubric/${rubric.id}-v${rubric.version}.rubric.json (built in)`, draft: draftFor(rubric), readOnly: false,
    status: { kind: 'saved', text: 'Saved 10:32:01' }, ...over };
}

function stateOf(m: HostModel): RubricFormState {
  const draft = structuredClone(m.draft);
  return { rubric: m.rubric, rubricSource: m.rubricSource, draft, evaluation: evaluate(m.rubric, draft.entries), readOnly: m.readOnly,
    ...(m.status ? { status: m.status } : {}) };
}

function applyEdit(draft: Draft, e: Edit): void {
  const entry = (id: string) => {
    const found = draft.entries[id];
    assert.ok(found, `an edit for unknown dimension ${id}`);
    return found;
  };
  switch (e.kind) {
    case 'points': entry(e.dimension).points = e.value; break;
    case 'rationale': entry(e.dimension).rationale = e.value; break;
    case 'gaps': draft.gaps = e.value; break;
    case 'graderName': draft.grader.name = e.value; break;
    case 'graderKind': draft.grader.kind = e.value; break;
  }
}

/** One page with the bundle loaded; this object is its host. */
class RubricPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  /** What the page posted, in order (also kept page-side in window.__sent). */
  readonly received: PageMessage[] = [];
  /** While set, the states replying to edits and removals wait here in order (see holdReplies). */
  private held: Array<RubricFormState | undefined> | undefined;
  private readonly pending = new Set<Promise<void>>();

  private constructor(readonly page: Page, public host: HostModel | undefined) {
    page.on('pageerror', e => this.errors.push(e.message));
    page.on('dialog', d => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  static async open(browser: Browser, url: string, host: HostModel | undefined, theme: Theme = 'dark'): Promise<RubricPage> {
    const page = await newPage(browser);
    await page.setViewportSize({ width: SIDE_BAR_WIDTH, height: 900 });
    const p = new RubricPage(page, host);
    await page.exposeFunction('__host', (m: unknown) => p.receive(m));
    await page.goto(`${url}?theme=${theme}`);
    try {
      await p.rendered();
    } catch (e) {
      await page.close();
      throw new Error(`the page did not render its first state${p.errors.length ? `: ${p.errors.join('; ')}` : ''}`, { cause: e });
    }
    return p;
  }

  /** The page has shown the latest state (or the no-run text). */
  async rendered(): Promise<void> {
    await this.page.locator(this.host ? '[data-testid="total"]' : '.no-run').waitFor();
  }

  private receive(raw: unknown): void {
    const m = parsePageMessage(raw);
    if (!m) return;
    this.received.push(m);
    const host = this.host;
    if (m.method === WebviewReady.method) {
      this.deliver(this.host ? stateOf(this.host) : undefined);
      if (this.host?.found) void this.send(RubricForm.found, this.host.found);
    } else if (host && m.method === RubricForm.addFact.method) {
      // As the extension does: the fact's lines, with its note, into the dimension's evidence.
      const { id, dimension } = m.params as AddFact;
      const f = [...Object.values(host.found?.byDimension ?? {}).flat(), ...(host.found?.unplaced ?? [])].find(x => x.id === id);
      const l = f?.location;
      if (f && l && dimension !== undefined) {
        host.draft.entries[dimension]?.evidence.push({ side: l.side, path: l.path, startLine: l.startLine, endLine: l.endLine, note: f.note });
        this.postState();
      }
    } else if (host && m.method === RubricForm.edit.method) {
      applyEdit(host.draft, m.params as Edit);
      this.postState();
    } else if (host && m.method === RubricForm.removeEvidence.method) {
      const { dimension, index } = m.params as { dimension: string; index: number };
      host.draft.entries[dimension]?.evidence.splice(index, 1);
      this.postState();
    }
  }

  /**
   * From now on the states replying to edits wait until releaseReplies(): the real host answers as it evaluates, so
   * states for earlier keystrokes can arrive while the reviewer has typed more. Holding them makes that certain.
   */
  holdReplies(): void {
    this.held ??= [];
  }

  /** Sends the held states, oldest first, and replies at once again. */
  releaseReplies(): void {
    const states = this.held ?? [];
    this.held = undefined;
    for (const state of states) this.deliver(state);
  }

  /** Posts the state as it is now (a later edit does not change it: a held state is a stale one). */
  postState(): void {
    const state = this.host ? stateOf(this.host) : undefined;
    if (this.held) this.held.push(state);
    else this.deliver(state);
  }

  private deliver(state: RubricFormState | undefined): void {
    const sending = this.send(RubricForm.state, state).catch((e: unknown) => {
      if (!this.page.isClosed()) this.errors.push(`posting a state: ${String(e)}`);
    });
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Posts a notification to the page, as the host does. */
  async send<P>(type: NotificationType<P>, params: P): Promise<void> {
    await this.page.evaluate(m => (globalThis as unknown as PageWindow).postMessage(m, '*'), { kind: 'notification', method: type.method, params });
  }

  pageSent(): Promise<PageMessage[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__sent);
  }

  async invalidSent(): Promise<string[]> {
    return invalidPageMessages(await this.pageSent(), RubricForm);
  }

  /** The parameters of each `type` command the page posted, in order. */
  params<P>(type: CommandType<P>): P[] {
    return this.received.filter(m => m.kind === 'command' && m.method === type.method).map(m => m.params as P);
  }

  async violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__violations);
  }

  card(id: string): Locator {
    return this.page.locator(`section.dimension[data-dimension="${id}"]`);
  }

  points(rubric: Rubric, index: number): Locator {
    return this.page.getByLabel(`Points for ${dimOf(rubric, index).title}`, { exact: true });
  }

  text(testId: string): Promise<string | null> {
    return this.page.locator(`[data-testid="${testId}"]`).textContent();
  }

  /** Waits until `testId` shows `expected`. */
  async shows(testId: string, expected: string): Promise<void> {
    await waitFor(`${testId} to read "${expected}" (it reads "${await this.text(testId)}")`,
      async () => ((await this.text(testId)) === expected ? true : undefined));
  }

  /** Types into a field as the reviewer does: click, select what is there, type. */
  async typeInto(field: Locator, text: string): Promise<void> {
    await field.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }

  async focusedId(): Promise<string | undefined> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.id);
  }
}

const reasonOf = (p: RubricPage, id: string) => p.card(id).locator('.reason');
const barWidth = (p: RubricPage, id: string) => p.card(id).locator('.bar .fill').evaluate(el => (el as unknown as { style: { width: string } }).style.width);

interface PageTest {
  name: string;
  /** The state the host holds when the page opens (undefined: no run). */
  host?: () => HostModel | undefined;
  theme?: Theme;
  run(p: RubricPage, ctx: { browser: Browser; url: string }): Promise<void>;
}

const fact = (id: string, topic: EvidenceFact['topic'], text: string, attention: boolean, location?: EvidenceFact['location']): EvidenceFact =>
  ({ id, topic, text, attention, note: `note of ${id}`, ...(location ? { location } : {}) });

/** Evidence as the extension places it on the benchmark's rubric (src/extension/evidence/found-evidence.ts). */
function foundForSeb(): FoundEvidence {
  const deleted = fact('incident-tests:0', 'incident-tests', 'Incident test deleted: reconnect > keeps pending updates (its file was deleted)', true,
    { side: 'baseline', path: 'test/incident-2026-02-duplicate-paragraphs.test.ts', startLine: 12, endLine: 30 });
  const kept = fact('incident-tests:1', 'incident-tests', 'Incident test kept: crash on reconnect', false,
    { side: 'run', path: 'test/incident-2026-03-crash-on-reconnect.test.ts', startLine: 8, endLine: 20 });
  const hostile = fact('tests:0', 'tests', `Baseline test deleted: <img src=x onerror=alert(3)> (${HOSTILE})`, true, { side: 'baseline', path: HOSTILE, startLine: 3, endLine: 9 });
  const doubles = fact('test-doubles:0', 'test-doubles', 'New test imports only test doubles: mocks the database', true,
    { side: 'run', path: 'test/new-authority.test.ts', startLine: 5, endLine: 12 });
  const stub = fact('stubs:0', 'stubs', 'function migrate() has an empty body (server/migrate.ts:4)', true, { side: 'run', path: 'server/migrate.ts', startLine: 4, endLine: 6 });
  const plan = fact('plan:0', 'plan', 'Plan: the manifest names no plan, and the run added no markdown file under docs/', true);
  const byId = (i: number) => dimOf(SEB, i).id;
  return {
    status: 'ready', message: '41 baseline tests (6 incident), 39 run tests, 1 test log, 1 stub the run added: facts, not scores',
    byDimension: { [byId(0)]: [plan], [byId(2)]: [doubles], [byId(3)]: [stub], [byId(4)]: [deleted, kept, hostile, doubles] },
    unplaced: [], omitted: 0,
  };
}

const evidence = (over: Partial<Evidence> = {}): Evidence => ({ side: 'run', path: 'src/server/collab.ts', startLine: 40, endLine: 52, ...over });

/** A form half-way through a review, for the screenshots. */
function screenshotModel(): HostModel {
  const ids = SEB.dimensions.map(d => d.id);
  const entries: Record<string, Partial<DraftEntry>> = {
    [ids[0] ?? '']: { points: '17', rationale: 'One invariant: the live Yjs document is the content authority; the plan deletes the projection writers.',
      evidence: [evidence({ path: 'docs/plan.md', startLine: 1, endLine: 24, note: 'The invariant, stated first' })] },
    [ids[1] ?? '']: { points: '16.5', rationale: 'Repair and reconcile paths deleted; projections still written in two places.',
      evidence: [evidence({ side: 'baseline', path: 'src/db/reconcile.ts', startLine: 1, endLine: 310, note: 'Deleted in the run' }),
        evidence({ path: 'src/projections/markdown.ts', startLine: 88, endLine: 97 })] },
    [ids[2] ?? '']: { points: '11', rationale: 'REST and WebSocket reach applyDocumentWrite.' },
  };
  return model(SEB, { draft: { ...draftFor(SEB, entries), gaps: 'Mark writes are not yet routed through the authority (documented in PLAN.md).' },
    status: { kind: 'saved', text: 'Saved 10:32:01 to drafts/demo-authority-rewrite.json' } });
}

const tests: PageTest[] = [
  {
    name: 'the page says ready first, and rendering a state posts nothing',
    host: () => model(SEB),
    async run(p) {
      await p.shows('total', '0 / 100');
      await p.settle();
      assert.deepEqual((await p.pageSent()).map(m => m.method), [WebviewReady.method]);
    },
  },
  {
    name: 'an empty draft: "0 / 100", the rubric and its source, one card per dimension in order with its ceiling',
    host: () => model(SEB),
    async run(p) {
      await p.shows('total', '0 / 100');
      assert.equal(await p.text('rubric-title'), SEB.title.endsWith(` ${SEB.version}`) ? SEB.title : `${SEB.title} v${SEB.version}`);
      assert.equal(await p.text('rubric-source'), `rubric/seb-v${SEB.version}.rubric.json (built in)`);
      assert.deepEqual(await p.page.locator('section.dimension h2').allTextContents(), SEB.dimensions.map(d => d.title));
      assert.deepEqual(await p.page.locator('section.dimension .ceiling').allTextContents(), SEB.dimensions.map(d => `ceiling ${d.ceiling}`));
      assert.deepEqual(SEB.dimensions.map(d => d.ceiling), [20, 25, 10, 17, 25, 3]);
      for (const d of SEB.dimensions) {
        const input = p.card(d.id).locator('input.points');
        assert.equal(await input.getAttribute('type'), 'text');
        assert.equal(await input.getAttribute('inputmode'), 'decimal');
        assert.equal(await input.getAttribute('aria-describedby'), `dim-${d.id}-reason`);
        assert.equal(await input.getAttribute('aria-invalid'), null, 'an empty entry is missing, not invalid');
        assert.equal(await barWidth(p, d.id), '0%');
      }
      assert.equal(await p.text('completeness'), 'Missing: points for every dimension; rationale for every dimension');
      assert.equal(await p.text('status'), 'Saved 10:32:01');
    },
  },
  {
    name: 'typing the published top scores 17, 24, 10, 13, 24, 3 shows "91 / 100" and fills the bars',
    host: () => model(SEB),
    async run(p) {
      const scores = ['17', '24', '10', '13', '24', '3'];
      for (const [i, s] of scores.entries()) await p.typeInto(p.points(SEB, i), s);
      await p.shows('total', '91 / 100');
      const pointsEdits = p.params(RubricForm.edit).flatMap(e => (e.kind === 'points' ? [e] : []));
      assert.equal(pointsEdits.length, scores.join('').length, 'one points edit per keystroke');
      const last = new Map(pointsEdits.map(e => [e.dimension, e.value]));
      assert.deepEqual([...last.entries()], SEB.dimensions.map((d, i) => [d.id, scores[i]]), 'the last edit of each field is the whole entry');
      assert.equal(await barWidth(p, dimOf(SEB, 0).id), '85%');
      assert.equal(await barWidth(p, dimOf(SEB, 2).id), '100%');
      assert.equal(await p.text('completeness'), 'Missing: rationale for every dimension');
    },
  },
  {
    name: 'half points: 16.5, 20, 9, 8, 7, 2 shows "62.5 / 100"',
    host: () => model(SEB),
    async run(p) {
      for (const [i, s] of ['16.5', '20', '9', '8', '7', '2'].entries()) await p.typeInto(p.points(SEB, i), s);
      await p.shows('total', '62.5 / 100');
      assert.equal(await barWidth(p, dimOf(SEB, 0).id), '82.5%');
    },
  },
  {
    name: 'above the ceiling, below zero, off the step and not a number: each shows its reason, stays as typed, is aria-invalid and does not count',
    host: () => model(SEB),
    async run(p) {
      const cases: Array<{ index: number; typed: string; reason: string }> = [
        { index: 2, typed: '11', reason: '11 is above the ceiling of 10' },
        { index: 0, typed: '-1', reason: '-1 is below zero' },
        { index: 1, typed: '13.25', reason: '13.25 is not a multiple of 0.5' },
        { index: 3, typed: 'abc', reason: '"abc" is not a number' },
      ];
      for (const c of cases) await p.typeInto(p.points(SEB, c.index), c.typed);
      await p.typeInto(p.points(SEB, 5), '3');
      await p.page.getByLabel('Gaps the run documented').click();
      await p.shows('total', '3 / 100');
      for (const c of cases) {
        const d = dimOf(SEB, c.index);
        const check = checkPoints(c.typed, d, SEB.step);
        assert.ok(!check.ok && check.reason === c.reason, `core says ${JSON.stringify(check)}`);
        const input = p.points(SEB, c.index);
        assert.equal(await input.inputValue(), c.typed, 'kept exactly as typed');
        assert.equal(await input.getAttribute('aria-invalid'), 'true');
        assert.equal(await reasonOf(p, d.id).textContent(), c.reason);
        assert.ok(await reasonOf(p, d.id).isVisible());
        assert.equal(await barWidth(p, d.id), '0%', 'an invalid entry fills nothing');
        const border = await input.evaluate(el => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor);
        assert.equal(border, 'rgb(190, 17, 0)', 'the input takes inputValidation-errorBorder');
      }
      assert.match(await p.text('completeness') ?? '', new RegExp(`^Missing: points for ${SEB.dimensions.slice(0, 5).map(d => d.title).join(', ')};`));
      // Corrected, the entry counts and the error goes.
      await p.typeInto(p.points(SEB, 2), '10');
      await p.shows('total', '13 / 100');
      assert.equal(await p.points(SEB, 2).getAttribute('aria-invalid'), null);
      assert.ok(await reasonOf(p, dimOf(SEB, 2).id).isHidden());
      assert.equal(await barWidth(p, dimOf(SEB, 2).id), '100%');
    },
  },
  {
    name: 'states arriving while the reviewer types never overwrite the field, its focus or its caret',
    host: () => model(SEB),
    async run(p) {
      const wiring = dimOf(SEB, 2);
      p.holdReplies();
      const points = p.points(SEB, 2);
      await points.click();
      await p.page.keyboard.type('1');
      await p.page.keyboard.type('2');
      await waitFor('the page to post "1" and "12"', () => (p.params(RubricForm.edit).length === 2 ? true : undefined));
      // An unrelated state (say, a save finishing) that still has the field empty arrives while "12" is in it.
      p.host = { ...(p.host ?? model(SEB)), status: { kind: 'saving', text: 'Saving\u2026' } };
      const stale = structuredClone(p.host);
      const wiringEntry = stale.draft.entries[wiring.id];
      assert.ok(wiringEntry);
      wiringEntry.points = '';
      await p.send(RubricForm.state, stateOf(stale));
      await p.shows('status', 'Saving\u2026');
      // The held state for "1" arrives after "12" was typed, then the one for "12".
      p.releaseReplies();
      await waitFor('the state for "12"', async () => ((await reasonOf(p, wiring.id).textContent()) === '12 is above the ceiling of 10' ? true : undefined));
      await p.settle();
      assert.equal(await points.inputValue(), '12');
      assert.equal(await p.focusedId(), `dim-${wiring.id}-points`);
      assert.deepEqual(await points.evaluate(el => [(el as unknown as PageElement).selectionStart, (el as unknown as PageElement).selectionEnd]), [2, 2]);
      assert.deepEqual(p.params(RubricForm.edit).map(e => e.value), ['1', '12']);
      const arrivals = await p.page.evaluate(() => (globalThis as unknown as PageWindow).__arrivals);
      const behind = arrivals.filter(a => a.focused === `dim-${wiring.id}-points` && a.typed === '12' && a.points[wiring.id] !== '12');
      assert.deepEqual(behind.map(a => a.points[wiring.id]), ['', '1'], 'an unrelated state and the one for "1" arrived while "12" was in the field');

      // The caret stays where the reviewer put it while states for earlier keystrokes arrive.
      const rationale = p.card(wiring.id).getByLabel(`Rationale for ${wiring.title}`);
      p.holdReplies();
      const before = p.params(RubricForm.edit).length;
      await rationale.click();
      await p.page.keyboard.type('routes');
      await p.page.keyboard.press('Home');
      await p.page.keyboard.type('All ');
      await waitFor('the page to post "All routes"', () => (p.params(RubricForm.edit).at(-1)?.value === 'All routes' ? true : undefined));
      p.releaseReplies();
      await p.settle();
      assert.equal(await rationale.inputValue(), 'All routes');
      assert.equal(await p.focusedId(), `dim-${wiring.id}-rationale`);
      assert.deepEqual(await rationale.evaluate(el => [(el as unknown as PageElement).selectionStart, (el as unknown as PageElement).selectionEnd]), [4, 4]);
      const posted = p.params(RubricForm.edit).length - before;
      const whileTyped = (await p.page.evaluate(() => (globalThis as unknown as PageWindow).__arrivals))
        .filter(a => a.focused === `dim-${wiring.id}-rationale` && a.typed === 'All routes');
      assert.ok(posted > 1 && whileTyped.length === posted, `each keystroke's state (${posted}) arrived while "All routes" was in the field (${whileTyped.length})`);

      // A field nobody is in follows the host (another window's edit, a reloaded draft).
      const host = p.host;
      assert.ok(host);
      const entry = host.draft.entries[wiring.id];
      assert.ok(entry);
      entry.points = '9';
      p.postState();
      await p.shows('total', '9 / 100');
      assert.equal(await points.inputValue(), '9');
      assert.equal(await p.focusedId(), `dim-${wiring.id}-rationale`, 'focus stays where it was');
    },
  },
  {
    name: 'the completeness line names what is missing by dimension title, and says Complete when everything is there',
    host: () => model(SEB),
    async run(p) {
      const host = p.host;
      assert.ok(host);
      const [first, , third, , , last] = SEB.dimensions;
      assert.ok(first && third && last);
      for (const d of SEB.dimensions) {
        const e = host.draft.entries[d.id];
        assert.ok(e);
        e.points = d === last ? '' : d === first ? '25' : '1';
        e.rationale = d === third ? '   ' : `Why ${d.title}.`;
      }
      p.postState();
      await p.shows('completeness', `Missing: points for ${first.title}, ${last.title}; rationale for ${third.title}`);
      await p.typeInto(p.points(SEB, 0), '20');
      await p.typeInto(p.points(SEB, 5), '3');
      await p.shows('completeness', `Missing: rationale for ${third.title}`);
      await p.typeInto(p.card(third.id).getByLabel(`Rationale for ${third.title}`), 'Every write surface reaches the authority.');
      await p.shows('completeness', 'Complete');
      assert.ok(await p.page.locator('.completeness.complete').isVisible());
    },
  },
  {
    name: 'evidence renders as text, opens on click or Enter, and is removed with its remove button',
    host: () => {
      const id = dimOf(SEB, 3).id;
      return model(SEB, { draft: draftFor(SEB, { [id]: { evidence: [
        evidence({ path: HOSTILE, startLine: 3, endLine: 9, note: '<b onmouseover=alert(2)>old path</b>' }),
        evidence({ side: 'baseline', path: 'src/db/projections.ts', startLine: 12, endLine: 12 }),
      ] } }) });
    },
    async run(p) {
      const d = dimOf(SEB, 3);
      const items = p.card(d.id).locator('.evidence-item');
      assert.equal(await items.count(), 2);
      assert.equal(await items.nth(0).locator('.location').textContent(), `${HOSTILE}:3-9`);
      assert.equal(await items.nth(0).locator('.note').textContent(), '<b onmouseover=alert(2)>old path</b>');
      assert.equal(await items.nth(0).locator('.side').textContent(), 'run');
      assert.equal(await items.nth(1).locator('.location').textContent(), 'src/db/projections.ts:12');
      assert.equal(await items.nth(1).locator('.side').textContent(), 'baseline');
      assert.equal(await p.page.locator('img, b').count(), 0, 'no element from the path or the note');
      assert.equal(await p.page.evaluate(() => (globalThis as unknown as PageWindow).document.querySelectorAll('[onerror],[onmouseover]').length), 0);
      for (const other of SEB.dimensions.filter(x => x.id !== d.id)) {
        assert.equal(await p.card(other.id).locator('.hint').textContent(),
          'Select lines in an editor and run \u201cAdd Selection as Evidence\u2026\u201d (editor context menu)');
      }
      await items.nth(0).locator('button.evidence-open').click();
      await items.nth(1).locator('button.evidence-open').focus();
      await p.page.keyboard.press('Enter');
      await waitFor('two openEvidence', () => (p.params(RubricForm.openEvidence).length === 2 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.openEvidence), [{ dimension: d.id, index: 0 }, { dimension: d.id, index: 1 }]);
      const remove = p.page.getByRole('button', { name: `Remove evidence ${HOSTILE}:3-9`, exact: true });
      await remove.focus();
      await p.page.keyboard.press('Enter');
      await waitFor('one item left', async () => ((await items.count()) === 1 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.removeEvidence), [{ dimension: d.id, index: 0 }]);
      assert.equal(await items.nth(0).locator('.location').textContent(), 'src/db/projections.ts:12');
      assert.equal(await p.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.getAttribute('aria-label')), 'Remove evidence src/db/projections.ts:12',
        'focus moves to the item that took the removed one\'s place');
      assert.deepEqual(p.dialogs, []);
    },
  },
  {
    name: 'found evidence: under its dimensions as text, collapsed with counts; Open and Add as Evidence post the fact; an added fact shows Added',
    host: () => model(SEB, { found: foundForSeb() }),
    async run(p) {
      const correctness = p.card(dimOf(SEB, 4).id).locator('details.found');
      await waitFor('the found list', async () => ((await correctness.isVisible()) ? true : undefined));
      assert.equal(await correctness.getAttribute('open'), null, 'collapsed at first');
      assert.equal(await correctness.locator('summary').textContent(), 'Found by the analysis (4, 3 to look at)');
      assert.equal(await p.card(dimOf(SEB, 1).id).locator('details.found').isHidden(), true, 'a dimension with no fact has no list');
      assert.equal(await p.card(dimOf(SEB, 5).id).locator('details.found').isHidden(), true);
      assert.equal(await p.page.locator('.unplaced details.found').isHidden(), true, 'nothing unplaced: no list');
      await correctness.locator('summary').focus();
      await p.page.keyboard.press('Enter');
      const items = correctness.locator('.found-item');
      await waitFor('four facts', async () => ((await items.count()) === 4 && (await items.nth(0).isVisible()) ? true : undefined));
      assert.deepEqual(await items.locator('.found-text').allTextContents(), [
        'Incident test deleted: reconnect > keeps pending updates (its file was deleted)', 'Incident test kept: crash on reconnect',
        `Baseline test deleted: <img src=x onerror=alert(3)> (${HOSTILE})`, 'New test imports only test doubles: mocks the database']);
      assert.deepEqual(await items.locator('.location').allTextContents(), ['test/incident-2026-02-duplicate-paragraphs.test.ts:12',
        'test/incident-2026-03-crash-on-reconnect.test.ts:8', `${HOSTILE}:3`, 'test/new-authority.test.ts:5']);
      assert.equal(await items.locator('.codicon-warning').count(), 3);
      assert.equal(await p.page.locator('img').count(), 0, 'no element from a fact\'s text');
      await items.nth(1).locator('button.found-open').click();
      await waitFor('openFact', () => (p.params(RubricForm.openFact).length === 1 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.openFact), [{ id: 'incident-tests:1' }]);
      const add = correctness.getByRole('button', { name: 'Add as evidence: Incident test deleted: reconnect > keeps pending updates (its file was deleted)', exact: true });
      await add.focus();
      await p.page.keyboard.press('Enter');
      await waitFor('Added', async () => ((await items.nth(0).locator('.found-added').count()) === 1 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.addFact), [{ id: 'incident-tests:0', dimension: dimOf(SEB, 4).id }]);
      assert.equal(await p.card(dimOf(SEB, 4).id).locator('.evidence-item .location').textContent(), 'test/incident-2026-02-duplicate-paragraphs.test.ts:12-30');
      assert.equal(await p.focusedId().then(() => p.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.getAttribute('data-fact'))), 'incident-tests:0',
        'focus stays on the fact once its button is gone');
      // The same fact under wiring is another dimension's: still addable there.
      const wiring = p.card(dimOf(SEB, 2).id).locator('details.found');
      await wiring.locator('summary').click();
      assert.equal(await wiring.getByRole('button', { name: 'Add as evidence: New test imports only test doubles: mocks the database', exact: true }).count(), 1);
      // A fact without a location is text only.
      const plan = p.card(dimOf(SEB, 0).id).locator('details.found');
      await plan.locator('summary').click();
      assert.equal(await plan.locator('button').count(), 0);
      assert.equal(await plan.locator('.found-text').textContent(), 'Plan: the manifest names no plan, and the run added no markdown file under docs/');
      // Expanded lists stay expanded after a reload.
      await p.page.reload();
      await p.rendered();
      await waitFor('open after reload', async () => ((await correctness.getAttribute('open')) !== null ? true : undefined));
      assert.equal(await p.card(dimOf(SEB, 3).id).locator('details.found').getAttribute('open'), null);
      assert.deepEqual(await p.invalidSent(), []);
    },
  },
  {
    name: 'found evidence: "looking" while it is found, a failure with Try Again, facts no dimension names listed once, nothing when read-only',
    host: () => model(SMALL, { found: { status: 'finding', message: 'finding tests, test logs, stubs and the plan…', byDimension: {}, unplaced: [], omitted: 0 } }),
    async run(p) {
      const first = p.card(dimOf(SMALL, 0).id).locator('details.found');
      await waitFor('the list', async () => ((await first.isVisible()) ? true : undefined));
      assert.equal(await first.locator('summary').textContent(), 'Found by the analysis (looking…)');
      await first.locator('summary').click();
      assert.equal((await first.locator('.found-status').textContent())?.trim(), 'finding tests, test logs, stubs and the plan…');
      await p.send(RubricForm.found, { status: 'failed', message: 'finding the evidence failed: boom', byDimension: {}, unplaced: [], omitted: 0 });
      await first.getByRole('button', { name: 'Try Again' }).click();
      await waitFor('retryFound', () => (p.params(RubricForm.retryFound).length === 1 ? true : undefined));
      assert.equal((await first.locator('.found-status').textContent())?.replace('Try Again', '').trim(), 'finding the evidence failed: boom');
      // The pilot rubric's words: "Tests pass." names test results; nothing names stubs, so they are listed once, under no dimension.
      const stub = fact('stubs:0', 'stubs', 'function save() has an empty body (a.ts:1)', true, { side: 'run', path: 'a.ts', startLine: 1, endLine: 2 });
      const result = fact('test-results:0', 'test-results', 'Test log run.log (tap): 1 passed, 0 failed, 0 skipped', false, { side: 'run', path: 'run.log', startLine: 1, endLine: 1 });
      await p.send(RubricForm.found, { status: 'ready', message: 'ok', byDimension: { [dimOf(SMALL, 1).id]: [result] }, unplaced: [stub], omitted: 0 });
      const unplaced = p.page.locator('.unplaced details.found');
      await waitFor('unplaced list', async () => ((await unplaced.isVisible()) ? true : undefined));
      assert.equal(await unplaced.locator('summary').textContent(), 'Found by the analysis, under no dimension (1, 1 to look at)');
      assert.equal(await first.isHidden(), true, 'the plan dimension has nothing now');
      await unplaced.locator('summary').click();
      await unplaced.getByRole('button', { name: 'Add as evidence: function save() has an empty body (a.ts:1)' }).click();
      await waitFor('addFact', () => (p.params(RubricForm.addFact).length === 1 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.addFact), [{ id: 'stubs:0' }], 'no dimension: the host asks which');
      if (p.host) p.host.readOnly = true;
      p.postState();
      await waitFor('read-only hides the lists', async () => ((await unplaced.isHidden()) && (await p.card(dimOf(SMALL, 1).id).locator('details.found').isHidden()) ? true : undefined));
      assert.deepEqual(await p.invalidSent(), []);
    },
  },
  {
    name: 'grader: the name posts graderName; the kind radios are operated with the arrow keys and post graderKind',
    host: () => model(SEB),
    async run(p) {
      const name = p.page.getByRole('textbox', { name: 'Grader', exact: true });
      assert.equal(await name.inputValue(), 'Ada Reviewer');
      await p.typeInto(name, 'Grace');
      assert.equal(await p.page.getByRole('radiogroup', { name: 'Kind' }).count(), 1);
      const human = p.page.getByRole('radio', { name: 'Human' });
      const model = p.page.getByRole('radio', { name: 'Model' });
      assert.ok(await human.isChecked());
      await p.page.keyboard.press('Tab');
      assert.equal(await p.focusedId(), 'grader-kind-human', 'Tab goes from the name to the checked radio');
      await p.page.keyboard.press('ArrowRight');
      assert.ok(await model.isChecked());
      await p.page.keyboard.press('ArrowLeft');
      assert.ok(await human.isChecked());
      await waitFor('two kind edits', () => (p.params(RubricForm.edit).filter(e => e.kind === 'graderKind').length === 2 ? true : undefined));
      const edits = p.params(RubricForm.edit);
      assert.deepEqual(edits.filter(e => e.kind === 'graderKind').map(e => e.value), ['model', 'human']);
      assert.equal(edits.filter(e => e.kind === 'graderName').at(-1)?.value, 'Grace');
      await p.settle();
      assert.equal(p.host?.draft.grader.name, 'Grace');
    },
  },
  {
    name: 'a signed worksheet is read-only: banner, read-only fields, disabled radios, no remove or Choose rubric buttons',
    host: () => {
      const m = screenshotModel();
      return { ...m, readOnly: true, rubricSource: 'worksheets/demo.signed.json', status: undefined };
    },
    async run(p) {
      assert.equal((await p.page.locator('.banner').textContent())?.trim(), 'Signed worksheet \u2014 read-only');
      assert.ok(await p.page.locator('.banner').isVisible());
      for (const field of await p.page.locator('input[type="text"], textarea').all()) {
        assert.equal(await field.evaluate(el => (el as unknown as { readOnly: boolean }).readOnly), true);
      }
      for (const radio of await p.page.locator('input[type="radio"]').all()) assert.ok(await radio.isDisabled());
      assert.equal(await p.page.locator('button.remove').count(), 0);
      assert.ok(await p.page.getByRole('button', { name: 'Choose rubric' }).isHidden());
      await p.points(SEB, 0).click();
      await p.page.keyboard.type('9');
      assert.equal(await p.points(SEB, 0).inputValue(), '17');
      assert.deepEqual(p.params(RubricForm.edit), [], 'nothing is edited');
      await p.page.locator('button.evidence-open').first().click();
      await waitFor('openEvidence', () => (p.params(RubricForm.openEvidence).length === 1 ? true : undefined));
      assert.ok(await p.page.locator('.status').isHidden());
    },
  },
  {
    name: 'another rubric (three dimensions, ceilings 5, 5, 10) gets its own form: "0 / 20"',
    host: () => model(SEB),
    async run(p) {
      await p.shows('total', '0 / 100');
      p.host = model(SMALL);
      p.postState();
      await p.shows('total', '0 / 20');
      assert.deepEqual(await p.page.locator('section.dimension h2').allTextContents(), ['Plan', 'Tests', 'Design']);
      assert.deepEqual(await p.page.locator('section.dimension .ceiling').allTextContents(), ['ceiling 5', 'ceiling 5', 'ceiling 10']);
      assert.equal(await p.text('rubric-title'), 'Pilot rubric v0.3');
      await p.typeInto(p.points(SMALL, 2), '7.5');
      await p.typeInto(p.points(SMALL, 0), '5');
      await p.shows('total', '12.5 / 20');
      assert.deepEqual(p.params(RubricForm.edit).at(-1), { kind: 'points', dimension: 'plan', value: '5' });
    },
  },
  {
    name: 'no run open: a short text and an Open Run… button that posts openRun',
    host: () => undefined,
    async run(p) {
      assert.match(await p.page.locator('.no-run').textContent() ?? '', /No run is open/);
      const open = p.page.getByRole('button', { name: 'Open Run\u2026' });
      await open.focus();
      await p.page.keyboard.press('Enter');
      await waitFor('openRun', () => (p.params(RubricForm.command).length === 1 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.command), [{ command: 'openRun' }]);
      // Then a run opens.
      p.host = model(SEB);
      p.postState();
      await p.shows('total', '0 / 100');
      assert.equal(await p.page.locator('.no-run').count(), 0);
    },
  },
  {
    name: 'Choose rubric posts chooseRubric; a conflict shows its text with Load theirs and Keep mine; a save error is an alert',
    host: () => model(SEB, { status: { kind: 'conflict', text: 'Another window saved this draft at 10:33:12.' } }),
    async run(p) {
      assert.equal(await p.text('status'), 'Another window saved this draft at 10:33:12.');
      assert.equal(await p.page.locator('.status').getAttribute('role'), 'alert');
      await p.page.getByRole('button', { name: 'Choose rubric' }).click();
      await p.page.getByRole('button', { name: 'Load theirs' }).click();
      await p.page.getByRole('button', { name: 'Keep mine' }).click();
      await waitFor('three commands', () => (p.params(RubricForm.command).length === 3 ? true : undefined));
      assert.deepEqual(p.params(RubricForm.command).map(c => c.command), ['chooseRubric', 'reloadDraft', 'keepMine']);
      p.host = { ...(p.host ?? model(SEB)), status: { kind: 'error', text: 'Could not save the draft: EACCES /drafts/demo.json' } };
      p.postState();
      await p.shows('status', 'Could not save the draft: EACCES /drafts/demo.json');
      assert.ok(await p.page.getByRole('button', { name: 'Load theirs' }).isHidden());
      assert.equal(await p.page.locator('.status').getAttribute('role'), 'alert');
      p.host = { ...p.host, status: { kind: 'saved', text: 'Saved 10:34:00' } };
      p.postState();
      await p.shows('status', 'Saved 10:34:00');
      assert.equal(await p.page.locator('.status').getAttribute('role'), null);
    },
  },
  {
    name: 'guidance expands from the keyboard, lists Rewarded and Penalised, and stays expanded after a reload',
    host: () => model(SEB),
    async run(p) {
      const d = dimOf(SEB, 1);
      const details = p.card(d.id).locator('details.guidance');
      assert.equal(await details.getAttribute('open'), null, 'collapsed at first');
      await details.locator('summary').focus();
      await p.page.keyboard.press('Enter');
      await waitFor('open', async () => ((await details.getAttribute('open')) !== null ? true : undefined));
      assert.deepEqual(await details.locator('h3').allTextContents(), ['Rewarded', 'Penalised']);
      assert.deepEqual(await details.locator('li').allTextContents(), [...d.guidance.rewards, ...d.guidance.penalises]);
      await p.page.reload();
      await p.rendered();
      await waitFor('open after reload', async () => ((await details.getAttribute('open')) !== null ? true : undefined));
      assert.equal(await p.card(dimOf(SEB, 0).id).locator('details.guidance').getAttribute('open'), null);
    },
  },
  {
    name: 'Tab reaches every input and button in document order, each labelled, each with a visible focus outline',
    host: () => ({ ...screenshotModel(), status: { kind: 'conflict', text: 'Another window saved this draft.' } }),
    async run(p) {
      const expected = await p.page.evaluate(() => {
        const all = [...Array.from((globalThis as unknown as PageWindow).document.querySelectorAll('input, textarea, button, summary, select, a[href], [tabindex]'))];
        const reachable = all.filter(el => el.checkVisibility() && !el.disabled && el.getAttribute('tabindex') !== '-1'
          && !(el.matches('input[type="radio"]') && !el.matches(':checked')));
        return reachable.map((el, i) => {
          el.dataset.order = String(i);
          const named = (el.labels?.length ?? 0) > 0 || !!el.getAttribute('aria-label') || !!el.textContent?.trim();
          return { order: i, named, what: `${el.matches('button') ? 'button' : el.matches('summary') ? 'summary' : 'input'} ${el.id || el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 30)}` };
        });
      });
      // Choose rubric, Load theirs, Keep mine; the grader's name and kind; per dimension guidance, points and rationale;
      // open and remove for each of the three pieces of evidence; the gaps.
      assert.equal(expected.length, 3 + 2 + SEB.dimensions.length * 3 + 3 * 2 + 1, expected.map(e => e.what).join('\n'));
      assert.deepEqual(expected.filter(e => !e.named).map(e => e.what), [], 'every control has a name');
      await p.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.blur());
      const seen: Array<{ order: string | undefined; outline: boolean }> = [];
      for (let i = 0; i < expected.length; i++) {
        await p.page.keyboard.press('Tab');
        seen.push(await p.page.evaluate(() => {
          const el = (globalThis as unknown as PageWindow).document.activeElement;
          if (!el) return { order: undefined, outline: false };
          const s = (globalThis as unknown as PageWindow).getComputedStyle(el);
          return { order: el.dataset.order, outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px' };
        }));
      }
      assert.deepEqual(seen.map(s => s.order), expected.map(e => String(e.order)), 'Tab visits every control in order');
      assert.deepEqual(seen.map((s, i) => (s.outline ? '' : expected[i]?.what)).filter(Boolean), [], 'every focused control shows an outline');
      const kinds = new Set(expected.map(e => e.what.split(' ')[0]));
      assert.deepEqual([...kinds].sort(), ['button', 'input', 'summary']);
    },
  },
  ...(['dark', 'light', 'high-contrast'] as const).map((theme): PageTest => ({
    name: `a form half-way through looks native in the ${theme} theme (screenshot test-results/webview-rubric-${theme}.png)`,
    host: () => ({ ...screenshotModel(), found: foundForSeb() }),
    theme,
    async run(p) {
      await p.shows('total', '33.5 / 100');
      const correctness = p.card(dimOf(SEB, 4).id).locator('details.found');
      await waitFor('the found list', async () => ((await correctness.isVisible()) ? true : undefined));
      await correctness.locator('summary').click();
      await p.card(dimOf(SEB, 0).id).locator('details.guidance summary').click();
      await p.points(SEB, 2).focus();
      await reasonOf(p, dimOf(SEB, 2).id).waitFor();
      await p.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
      const iconFont = await p.page.evaluate(() => (globalThis as unknown as { document: { fonts: { check(f: string): boolean } } }).document.fonts.check('16px codicon'));
      assert.ok(iconFont, 'the codicon font loaded');
      await p.page.screenshot({ path: path.join(RESULTS, `webview-rubric-${theme}.png`), fullPage: true });
    },
  })),
];

export function runRubricPageTests(): Promise<Counts & { exitCode: number }> {
  return runPageTests({
    label: 'webview-rubric', tests, serve,
    open: (browser, url, t) => RubricPage.open(browser, url, t.host?.(), t.theme),
    run: async (p, t, ctx) => {
      await t.run(p, ctx);
      await p.settle();
    },
  });
}
