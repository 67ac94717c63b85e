/**
 * The Diff Overview page's own logic, in real Chromium: the BUILT bundle dist/webview/overview.js loaded into a page
 * with the webview's CSP (script by nonce, styles from the page's origin only) and VS Code's host API stubbed, served
 * from a loopback server. The tests play the host: they post init and patch messages and read what the page posted.
 * Usage (after `node scripts/build.mjs --tests`): runOverviewPageTests() from out/test/ui/webview-overview.js.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { html as diff2html } from 'diff2html';
import { type Browser, type Page } from 'playwright-core';
import { newPage } from '../harness/browser';
import { type Counts } from '../harness/counts';
import { invalidPageMessages, runPageTests, servePage } from './webview-page-harness';
import { RESULTS, ROOT } from '../harness/env';
import { waitFor } from '../harness/wait';
import { type HostMessage, type NotificationType, type PageMessage, WebviewReady } from '../../src/protocol/webview/messages';
import { FIRST_PAGE_FILES, MAX_PAGE_FILES, Overview, type FilePageQuery, type FilePageReply, type OverviewFile, type OverviewInit, type OverviewLayout, type PatchReply } from '../../src/protocol/webview/overview';

/** The few page globals the tests touch (the Node tsconfig has no DOM lib). */
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  scrollTo(x: number, y: number): void;
  __sent: PageMessage[];
  __violations: string[];
  document: { body: { scrollHeight: number }; querySelectorAll(selector: string): { length: number } };
}

const HOSTILE = '<img src=x onerror=alert(1)>.ts';
const THEME = `:root {
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-foreground: #cccccc;
  --vscode-editor-background: #1f1f1f; --vscode-editor-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
  --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; --vscode-editor-font-size: 13px; --vscode-errorForeground: #f85149;
  --vscode-panel-border: #2b2b2b; --vscode-focusBorder: #0078d4; --vscode-editorGroup-border: #ffffff17;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-button-border: #ffffff12;
  --vscode-diffEditor-insertedLineBackground: rgba(155, 185, 85, 0.2); --vscode-diffEditor-removedLineBackground: rgba(255, 0, 0, 0.2);
  --vscode-diffEditor-insertedTextBackground: rgba(156, 204, 44, 0.25); --vscode-diffEditor-removedTextBackground: rgba(255, 0, 0, 0.3);
  --vscode-diffEditor-diagonalFill: rgba(204, 204, 204, 0.2); --vscode-editorLineNumber-foreground: #6e7681;
  --vscode-sideBarSectionHeader-background: #181818; --vscode-editorGroupHeader-tabsBackground: #181818;
  --vscode-gitDecoration-addedResourceForeground: #81b88b; --vscode-gitDecoration-deletedResourceForeground: #c74e39;
  --vscode-gitDecoration-modifiedResourceForeground: #e2c08d; --vscode-gitDecoration-renamedResourceForeground: #73c991;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-list-hoverBackground: #2a2d2e;
}`;

function pageHtml(origin: string): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script nonce="${nonce}" id="host-stub">
  window.__sent = []; window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: m => window.__sent.push(JSON.parse(JSON.stringify(m))),
    getState: () => JSON.parse(sessionStorage.getItem('state') || 'null') ?? undefined,
    setState: s => sessionStorage.setItem('state', JSON.stringify(s)),
  });
</script>
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/diff2html.css"><link rel="stylesheet" href="/overview.css">
<title>Diff Overview</title></head>
<body><main id="app" aria-live="polite"></main><script nonce="${nonce}" src="/overview.js"></script></body></html>`;
}

function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/overview.js': [path.join(ROOT, 'dist', 'webview', 'overview.js'), 'text/javascript'],
    '/diff2html.css': [path.join(ROOT, 'dist', 'webview', 'diff2html.css'), 'text/css'],
    '/overview.css': [path.join(ROOT, 'media', 'overview.css'), 'text/css'],
  };
  return servePage(Object.values(files).map(f => f[0]), (url, origin) => {
    const file = files[url.pathname];
    return url.pathname === '/' ? [pageHtml(origin), 'text/html'] : url.pathname === '/theme.css' ? [THEME, 'text/css']
      : file && existsSync(file[0]) ? [readFileSync(file[0]), file[1]] : undefined;
  });
}

function file(id: number, over: Partial<OverviewFile> = {}): OverviewFile {
  return { id: String(id), path: `src/module-${id}/file-${id}.ts`, status: 'modified', binary: false, additions: 10, deletions: 5,
    oldMode: '100644', newMode: '100644', large: false, ...over };
}

function patchOf(name: string, removed: string[], added: string[], hunkHeader = ''): string {
  const context = ['export function unchanged(): number {', '  return 1;', '}'];
  return [`diff --git a/${name} b/${name}`, 'index 1111111..2222222 100644', `--- a/${name}`, `+++ b/${name}`,
    `@@ -1,${context.length + removed.length} +1,${context.length + added.length} @@${hunkHeader}`,
    ...context.map(l => ` ${l}`), ...removed.map(l => `-${l}`), ...added.map(l => `+${l}`), ''].join('\n');
}

/** What the host sends: the first page of the list, the totals over all of it. */
function init(files: OverviewFile[], layout: OverviewLayout = 'side-by-side', listId = 1): OverviewInit {
  const totals = { files: files.length, additions: files.reduce((n, f) => n + f.additions, 0), deletions: files.reduce((n, f) => n + f.deletions, 0) };
  return { runId: 'demo-authority-rewrite', baselineCommit: '0123456789abcdef0123456789abcdef01234567', headLabel: 'working tree',
    files: files.slice(0, FIRST_PAGE_FILES), totals, listId, layout };
}

/** One page with the bundle loaded; the test is the host. */
class OverviewPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  private constructor(readonly page: Page) {
    page.on('pageerror', e => this.errors.push(e.message));
    page.on('dialog', d => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  static async open(browser: Browser, url: string): Promise<OverviewPage> {
    const p = new OverviewPage(await newPage(browser));
    await p.page.goto(url);
    await p.waitForSent('webview/ready', m => m.method === WebviewReady.method);
    return p;
  }

  /** Posts a notification to the page, as the host does. */
  async send<P>(type: NotificationType<P>, params: P): Promise<void> {
    await this.post({ kind: 'notification', method: type.method, params });
  }

  async post(message: HostMessage): Promise<void> {
    await this.page.evaluate(m => (globalThis as unknown as PageWindow).postMessage(m, '*'), message);
  }

  sent(): Promise<PageMessage[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__sent);
  }

  /** The patch requests the page sent, oldest first. */
  async patchRequests(): Promise<Array<{ id: number; file: string }>> {
    return (await this.sent()).flatMap(m => (m.kind === 'request' && m.method === Overview.patch.method ? [{ id: m.id, file: (m.params as { id: string }).id }] : []));
  }

  /** The files whose patch the page asked for, in order. */
  async requested(): Promise<string[]> {
    return (await this.patchRequests()).map(r => r.file);
  }

  /** Answers the page's latest request for this file's patch. */
  async reply(file: string, result: PatchReply): Promise<void> {
    const request = (await this.patchRequests()).findLast(r => r.file === file);
    assert.ok(request, `the page asked for the patch of file ${file}`);
    await this.post({ kind: 'response', id: request.id, method: Overview.patch.method, ok: true, result });
  }

  async invalidSent(): Promise<string[]> {
    return invalidPageMessages(await this.sent(), Overview);
  }

  waitForSent(what: string, match: (m: PageMessage) => boolean): Promise<PageMessage> {
    return waitFor(what, async () => (await this.sent()).find(match));
  }

  /** The requests for pages of the file list, oldest first. */
  async pageRequests(): Promise<Array<{ id: number; query: FilePageQuery }>> {
    return (await this.sent()).flatMap(m => (m.kind === 'request' && m.method === Overview.files.method ? [{ id: m.id, query: m.params as FilePageQuery }] : []));
  }

  /** Answers every page request not answered yet from `files`, as the host does for list `listId`. */
  async answerPages(files: OverviewFile[], answered: Set<number>, listId = 1): Promise<void> {
    for (const r of await this.pageRequests()) {
      if (answered.has(r.id)) continue;
      answered.add(r.id);
      const { start, count } = r.query;
      const result: FilePageReply = r.query.listId !== listId ? { ok: false, error: 'the file list changed' }
        : { ok: true, start, files: files.slice(start, start + count) };
      await this.post({ kind: 'response', id: r.id, method: Overview.files.method, ok: true, result });
    }
  }

  /** Scrolls to the bottom again and again, answering page requests, until the section of the last file is built. */
  async scrollToLast(files: OverviewFile[], pages: Set<number>, ms = 30000): Promise<void> {
    await waitFor('the last file\'s section', async () => {
      await this.answerPages(files, pages);
      await this.scrollTo('bottom');
      return (await this.count(`section.file[data-id="${files.length - 1}"]`)) > 0 ? true : undefined;
    }, ms, 50);
  }

  /** Answers every patch request not answered yet with a small patch of that file. */
  async answer(files: OverviewFile[], answered: Set<string>): Promise<void> {
    for (const id of await this.requested()) {
      if (answered.has(id)) continue;
      answered.add(id);
      const f = files[Number(id)];
      assert.ok(f, `the page asked for unknown file ${id}`);
      await this.reply(id, { ok: true, large: false, patch: patchOf(f.path, [`const old${id} = ${id};`], [`const new${id} = ${id} + 1;`, 'const extra = true;']) });
    }
  }

  async scrollTo(where: 'top' | 'bottom'): Promise<void> {
    await this.page.evaluate(w => {
      const win = globalThis as unknown as PageWindow;
      win.scrollTo(0, w === 'top' ? 0 : win.document.body.scrollHeight);
    }, where);
  }

  async count(selector: string): Promise<number> {
    return this.page.locator(selector).count();
  }

  async violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__violations);
  }
}

interface PageTest {
  name: string;
  run(p: OverviewPage, ctx: { browser: Browser; url: string }): Promise<void>;
}

const section = (p: OverviewPage, id: string) => p.page.locator(`section.file[data-id="${id}"]`);
const methods = async (p: OverviewPage, method: string) => (await p.sent()).filter(m => m.method === method);

const tests: PageTest[] = [
  {
    name: 'the page says ready before anything else, and nothing more until it has a file list',
    async run(p) {
      const sent = await p.sent();
      assert.equal(sent[0]?.method, WebviewReady.method);
      assert.equal(sent.length, 1);
    },
  },
  {
    name: 'init draws the header and one section per file, in order, with badges, notes and counts',
    async run(p) {
      const files = [
        file(0, { status: 'added', path: 'src/new.ts', oldMode: '000000', additions: 12, deletions: 0 }),
        file(1, { status: 'renamed', path: 'src/b.ts', oldPath: 'src/a.ts', similarity: 87, additions: 1, deletions: 1 }),
        file(2, { status: 'modified', path: 'bin/run.sh', oldMode: '100644', newMode: '100755', additions: 0, deletions: 0 }),
        file(3, { status: 'added', path: 'link', oldMode: '000000', newMode: '120000', additions: 1, deletions: 0 }),
        file(4, { status: 'deleted', path: 'logo.png', binary: true, additions: 0, deletions: 0, newMode: '000000' }),
        file(5, { status: 'type-changed', path: 'cfg', oldMode: '100644', newMode: '120000', additions: 1, deletions: 3 }),
      ];
      await p.send(Overview.init, init(files));
      await p.page.locator('section.file').nth(5).waitFor();
      assert.equal(await p.page.locator('[data-testid="run-id"]').textContent(), 'demo-authority-rewrite');
      assert.equal(await p.page.locator('[data-testid="baseline"]').textContent(), '01234567');
      assert.equal(await p.page.locator('[data-testid="head"]').textContent(), 'working tree');
      assert.equal(await p.page.locator('[data-testid="totals"]').textContent(), '6 files, +15 \u22124');
      assert.deepEqual(await p.page.locator('section.file .path').allTextContents(),
        ['src/new.ts', 'src/a.ts \u2192 src/b.ts', 'bin/run.sh', 'link', 'logo.png', 'cfg']);
      assert.deepEqual(await p.page.locator('section.file .badge').allTextContents(), ['A', 'R 87%', 'M', 'A', 'D', 'T']);
      assert.deepEqual(await section(p, '2').locator('.note').allTextContents(), ['100644 \u2192 100755']);
      assert.deepEqual(await section(p, '3').locator('.note').allTextContents(), ['symlink']);
      assert.deepEqual(await section(p, '4').locator('.note').allTextContents(), ['binary']);
      assert.deepEqual(await section(p, '5').locator('.note').allTextContents(), ['symlink', '100644 \u2192 120000']);
      assert.equal(await section(p, '0').locator('.counts').textContent(), '+12 \u22120');
      assert.equal(await section(p, '4').locator('.counts').count(), 0, 'a binary file has no line counts');
      assert.equal(await section(p, '2').locator('.summary span').textContent(), 'The content is unchanged');
    },
  },
  {
    name: 'with 2000 files only sections near the viewport ask for their patch, each at most once',
    async run(p) {
      const files = Array.from({ length: 2000 }, (_, i) => file(i));
      const answered = new Set<string>();
      await p.send(Overview.init, init(files));
      await waitFor('first requests', async () => ((await p.requested()).length > 0 ? true : undefined));
      const first = await p.requested();
      assert.ok(first.length < 50, `${first.length} requests before scrolling`);
      assert.equal(first[0], '0');
      await p.answer(files, answered);
      await p.page.locator('section.file[data-id="0"] .d2h-file-wrapper').waitFor();
      await p.scrollToLast(files, new Set());
      await waitFor('the last file requested', async () => ((await p.requested()).includes('1999') ? true : undefined));
      await p.answer(files, answered);
      await p.page.locator('section.file[data-id="1999"] .d2h-file-wrapper').waitFor();
      await p.scrollTo('top');
      await p.page.locator('section.file[data-id="0"] .d2h-file-wrapper').waitFor();
      const all = await p.requested();
      assert.equal(new Set(all).size, all.length, 'no id is requested twice');
      assert.ok(all.length < 100, `${all.length} requests for two screens`);
      const drawn = await p.count('.d2h-file-wrapper');
      assert.ok(drawn < 50, `${drawn} diffs in the DOM: far sections are placeholders again`);
      const built = await p.count('section.file');
      assert.ok(built < 200, `${built} of 2000 sections built: far ones are one block per chunk`);
    },
  },
  {
    name: 'a 6,000-file list: the first rows render from the first page alone; scrolling to the end fetches the rest in order, once each',
    async run(p) {
      const files = Array.from({ length: 6000 }, (_, i) => file(i));
      const sent = init(files);
      assert.equal(sent.files.length, FIRST_PAGE_FILES);
      await p.send(Overview.init, sent);
      assert.equal(await p.page.locator('[data-testid="totals"]').textContent(), '6,000 files, +60,000 \u221230,000', 'totals over the whole list');
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      const answered = new Set<string>();
      await p.answer(files, answered);
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      assert.deepEqual(await p.pageRequests(), [], 'no page asked for while the end of the first page is far away');
      const built = await p.count('section.file');
      assert.ok(built > 0 && built <= 100, `${built} sections built at first`);
      assert.ok(await p.count('.chunk') <= FIRST_PAGE_FILES / 25, 'only the first page is laid out');
      const height = await p.page.evaluate(() => (globalThis as unknown as PageWindow).document.body.scrollHeight);
      assert.ok(height > 6000 * 43, `the page is ${height}px tall: the rest of the list stands in for its sections`);
      const pages = new Set<number>();
      await p.scrollToLast(files, pages);
      await waitFor('the last file requested', async () => ((await p.requested()).includes('5999') ? true : undefined));
      await p.answer(files, answered);
      await section(p, '5999').locator('.d2h-file-wrapper').waitFor();
      const queries = (await p.pageRequests()).map(r => r.query);
      assert.deepEqual(queries.map(q => q.start), Array.from({ length: 6000 / FIRST_PAGE_FILES - 1 }, (_, i) => (i + 1) * FIRST_PAGE_FILES),
        'each page asked for once, in order');
      assert.ok(queries.every(q => q.listId === 1 && q.count >= 1 && q.count <= MAX_PAGE_FILES));
      assert.equal(await p.count('section.file[data-id]'), new Set(await p.page.locator('section.file').evaluateAll(els => els.map(e => e.getAttribute('data-id')))).size);
      const builtAtEnd = await p.count('section.file');
      assert.ok(builtAtEnd < 300, `${builtAtEnd} of 6000 sections built at the end: far chunks are blocks again`);
      await p.scrollTo('top');
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      assert.deepEqual(await p.invalidSent(), []);
      assert.deepEqual(p.errors, []);
    },
  },
  {
    name: 'a list taller than a browser lays out (30,000 deleted files of 36 lines): the end is reached with few sections built',
    async run(p) {
      // each section is estimated at about 1,250 px: 37 million px in all, past the tallest box Chromium lays out
      // (about 33.5 million px; Firefox about 17.9 million). Past that cap the blocks pile up at the end of the page,
      // and every one of them would be near the viewport at once.
      const files = Array.from({ length: 30000 }, (_, i) => file(i, { status: 'deleted', additions: 0, deletions: 36 }));
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      const tall = () => p.page.evaluate(() => (globalThis as unknown as PageWindow).document.body.scrollHeight);
      const first = await tall();
      assert.ok(first > 1_000_000 && first < 17_000_000, `the page is ${first}px tall: long, and under both browsers' caps`);
      const answered = new Set<string>();
      await p.answer(files, answered);
      await p.scrollToLast(files, new Set(), 180000);
      // the last chunk, once built, is as tall as its sections (its block was scaled down): to the bottom again
      await waitFor('the last file requested', async () => {
        await p.scrollTo('bottom');
        return (await p.requested()).includes('29999') ? true : undefined;
      });
      await p.answer(files, answered);
      await section(p, '29999').locator('.d2h-file-wrapper').waitFor();
      const end = await tall();
      assert.ok(end < 17_000_000, `the page is ${end}px tall at the end`);
      const built = await p.count('section.file');
      assert.ok(built < 300, `${built} of 30000 sections built at the end: far chunks are blocks`);
      const asked = (await p.requested()).length;
      assert.ok(asked < 400, `${asked} patches asked for on the way to the end`);
      assert.deepEqual(await p.invalidSent(), []);
      assert.deepEqual(p.errors, []);
    },
  },
  {
    name: 'a page of a previous list is not appended to the new one; a refused page says why, as text',
    async run(p) {
      const first = Array.from({ length: 1000 }, (_, i) => file(i, { path: `src/first-${i}.ts` }));
      const second = Array.from({ length: 1000 }, (_, i) => file(i, { path: `src/second-${i}.ts` }));
      await p.send(Overview.init, init(first));
      await waitFor('a page request', async () => {
        await p.scrollTo('bottom');
        return (await p.pageRequests()).length > 0 ? true : undefined;
      });
      const [stale] = await p.pageRequests();
      assert.ok(stale);
      await p.send(Overview.init, init(second, 'side-by-side', 2));
      await p.post({ kind: 'response', id: stale.id, method: Overview.files.method, ok: true,
        result: { ok: true, start: stale.query.start, files: first.slice(stale.query.start, stale.query.start + stale.query.count) } });
      await waitFor('a page request for the new list', async () => {
        await p.scrollTo('bottom');
        return (await p.pageRequests()).some(r => r.query.listId === 2) ? true : undefined;
      });
      assert.equal(await p.count('section.file .path >> text=/first-/'), 0, 'nothing of the first list is shown');
      const fresh = (await p.pageRequests()).find(r => r.query.listId === 2);
      assert.ok(fresh);
      assert.equal(fresh.query.start, FIRST_PAGE_FILES);
      await p.post({ kind: 'response', id: fresh.id, method: Overview.files.method, ok: true, result: { ok: false, error: `no file <b>${HOSTILE}</b>` } });
      const failed = p.page.locator('.rest.failed');
      await failed.waitFor();
      assert.equal(await failed.textContent(), `Could not load the rest of the file list: no file <b>${HOSTILE}</b>`);
      assert.equal(await p.count('img'), 0);
      assert.equal(await p.count('b'), 0);
    },
  },
  {
    name: 'Collapse all also collapses the files of pages not had yet',
    async run(p) {
      const files = Array.from({ length: 600 }, (_, i) => file(i));
      await p.send(Overview.init, init(files));
      await section(p, '0').waitFor();
      await p.page.getByRole('button', { name: 'Collapse all' }).click();
      await p.scrollToLast(files, new Set());
      assert.equal(await section(p, '599').locator('button.toggle').getAttribute('aria-expanded'), 'false');
      assert.equal(await p.count('.d2h-file-wrapper'), 0);
    },
  },
  {
    name: 'the authority annotation comes with the patch and is drawn above the diff, as text; none without it',
    async run(p) {
      const files = [file(0, { path: 'server/routes.ts' }), file(1, { path: 'server/plain.ts' })];
      await p.send(Overview.init, init(files));
      assert.equal(await p.count('.authority-note'), 0, 'nothing about the authority in the file list');
      await waitFor('requests 0 and 1', async () => ((await p.patchRequests()).length >= 2 ? true : undefined));
      await p.reply('0', { ok: true, large: false, patch: patchOf('server/routes.ts', ['a();'], ['b();']),
        authority: { run: { entries: 2, writes: 1, bypassing: [`POST /x/${HOSTILE}`] }, baseline: { entries: 3, writes: 0, lost: ['DELETE /admin (deleted)'] } } });
      await p.reply('1', { ok: true, large: false, patch: patchOf('server/plain.ts', ['c();'], ['d();']) });
      const note = section(p, '0').locator('.authority-note');
      await note.waitFor();
      const text = (await note.innerText()).replace(/\s+/g, ' ').trim();
      assert.equal(text, `Run: 2 entry points · 1 write; bypassing the declared authority: POST /x/${HOSTILE} Baseline: 3 entry points; write paths gone from the run: DELETE /admin (deleted)`);
      assert.equal(await p.count('img'), 0, 'the label is text, not markup');
      assert.equal(await section(p, '0').locator('.authority-line.bypass .codicon-error').count(), 1, 'an icon beside the words');
      await section(p, '1').locator('.d2h-file-wrapper').waitFor();
      assert.equal(await section(p, '1').locator('.authority-note').count(), 0);
    },
  },
  {
    name: 'a patch is drawn by diff2html with the changed lines, without diff2html\'s own file header',
    async run(p) {
      const files = [file(0, { path: 'src/authority.ts' })];
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      assert.equal(await section(p, '0').locator('.loading').textContent(), 'Loading\u2026');
      await p.reply('0', { ok: true, large: false, patch: patchOf('src/authority.ts', ['db.write(doc);'], ['applyDocumentWrite(doc);']) });
      const body = section(p, '0').locator('.file-body');
      await body.locator('.d2h-file-wrapper').waitFor();
      assert.ok((await body.locator('.d2h-del').allTextContents()).some(t => t.includes('db.write(doc);')));
      assert.ok((await body.locator('.d2h-ins').allTextContents()).some(t => t.includes('applyDocumentWrite(doc);')));
      assert.equal(await body.locator('.d2h-file-header').count(), 0);
      assert.equal(await body.locator('.d2h-file-side-diff').count(), 2, 'side by side by default');
    },
  },
  {
    name: 'patch requests carry distinct ids; replies are matched by id, in any order',
    async run(p) {
      const files = [file(0), file(1)];
      await p.send(Overview.init, init(files));
      await waitFor('both requested', async () => ((await p.requested()).length === 2 ? true : undefined));
      const requests = await p.patchRequests();
      assert.deepEqual(requests.map(r => r.file), ['0', '1']);
      assert.notEqual(requests[0]?.id, requests[1]?.id);
      await p.reply('1', { ok: true, large: false, patch: patchOf(files[1]?.path ?? '', ['one();'], ['uno();']) });
      await p.reply('0', { ok: true, large: false, patch: patchOf(files[0]?.path ?? '', ['zero();'], ['cero();']) });
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      await section(p, '1').locator('.d2h-file-wrapper').waitFor();
      assert.ok((await section(p, '0').locator('.d2h-ins').allTextContents()).some(t => t.includes('cero();')));
      assert.ok((await section(p, '1').locator('.d2h-ins').allTextContents()).some(t => t.includes('uno();')));
    },
  },
  {
    name: 'a response to no pending request, or naming another method, is ignored; an error response shows the error',
    async run(p) {
      const files = [file(0)];
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      const [request] = await p.patchRequests();
      assert.ok(request);
      const patch = patchOf(files[0]?.path ?? '', ['old();'], ['stray();']);
      await p.post({ kind: 'response', id: request.id + 1, method: Overview.patch.method, ok: true, result: { ok: true, large: false, patch } });
      await p.post({ kind: 'response', id: request.id, method: 'overview/other', ok: true, result: { ok: true, large: false, patch } });
      await p.post({ kind: 'notification', method: Overview.patch.method, params: { ok: true, large: false, patch } });
      // messages are handled in order: once the error shows, the strays before it were ignored (not drawn, not settling it)
      await p.post({ kind: 'response', id: request.id, method: Overview.patch.method, ok: false, error: 'refused: overview/patch with invalid parameters' });
      await section(p, '0').locator('.summary-error').waitFor();
      assert.equal(await section(p, '0').locator('.summary span').textContent(), 'Could not read the diff: refused: overview/patch with invalid parameters');
      assert.equal(await p.count('.d2h-file-wrapper'), 0);
    },
  },
  {
    name: 'a reply to a request for the previous file list is not drawn in the new one',
    async run(p) {
      await p.send(Overview.init, init([file(0, { path: 'src/first-list.ts' })]));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      const [first] = await p.patchRequests();
      assert.ok(first);
      await p.send(Overview.init, init([file(0, { path: 'src/second-list.ts' })]));
      await waitFor('request 0 for the new list', async () => ((await p.patchRequests()).length === 2 ? true : undefined));
      await p.post({ kind: 'response', id: first.id, method: Overview.patch.method, ok: true,
        result: { ok: true, large: false, patch: patchOf('src/first-list.ts', ['a();'], ['fromTheFirstList();']) } });
      await p.reply('0', { ok: true, large: false, patch: patchOf('src/second-list.ts', ['a();'], ['fromTheSecondList();']) });
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      const added = (await section(p, '0').locator('.d2h-ins').allTextContents()).join('\n');
      assert.ok(added.includes('fromTheSecondList();') && !added.includes('fromTheFirstList();'), added);
    },
  },
  {
    name: 'the layout buttons redraw line by line and side by side, post setLayout, and the choice survives a reload',
    async run(p, { browser, url }) {
      const only = file(0);
      const files = [only];
      const patch = patchOf(only.path, ['old();'], ['fresh();']);
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      await p.reply('0', { ok: true, large: false, patch });
      await section(p, '0').locator('.d2h-file-side-diff').first().waitFor();
      const lineByLine = p.page.getByRole('button', { name: 'Line by line' });
      assert.equal(await p.page.getByRole('group', { name: 'Diff layout' }).count(), 1);
      await lineByLine.focus();
      await p.page.keyboard.press('Enter');
      await p.waitForSent('setLayout', m => m.method === Overview.setLayout.method);
      assert.deepEqual((await methods(p, Overview.setLayout.method)).map(m => m.params), [{ layout: 'line-by-line' }]);
      assert.equal(await lineByLine.getAttribute('aria-pressed'), 'true');
      await section(p, '0').locator('.d2h-file-diff').waitFor();
      assert.equal(await section(p, '0').locator('.d2h-file-side-diff').count(), 0);
      await p.page.reload();
      await p.waitForSent('ready again', m => m.method === WebviewReady.method);
      await p.send(Overview.init, init(files, 'side-by-side'));
      await p.waitForSent('request 0 again', m => m.method === Overview.patch.method);
      await p.reply('0', { ok: true, large: false, patch });
      await section(p, '0').locator('.d2h-file-diff').waitFor();
      assert.equal(await p.page.getByRole('button', { name: 'Line by line' }).getAttribute('aria-pressed'), 'true');
      const fresh = await OverviewPage.open(browser, url);
      try {
        await fresh.send(Overview.init, init(files, 'line-by-line'));
        await fresh.page.getByRole('button', { name: 'Line by line', pressed: true }).waitFor();
      } finally {
        await fresh.page.close();
      }
    },
  },
  {
    name: 'large and binary files show a summary and an Open in diff editor button, and never ask for a patch',
    async run(p) {
      const files = [file(0, { additions: 12345, deletions: 6789, large: true }), file(1, { binary: true, additions: 0, deletions: 0 }),
        file(2), file(3)];
      await p.send(Overview.init, init(files));
      await waitFor('2 and 3 requested', async () => ((await p.requested()).length === 2 ? true : undefined));
      assert.equal(await section(p, '0').locator('.summary span').textContent(), 'Large diff: +12,345 \u22126,789 lines, not rendered inline');
      assert.equal(await section(p, '1').locator('.summary span').textContent(), 'Binary file changed');
      await section(p, '0').getByRole('button', { name: 'Open in diff editor' }).click();
      await section(p, '1').getByRole('button', { name: 'Open in diff editor' }).click();
      await p.reply('2', { ok: true, large: true });
      await p.reply('3', { ok: false, error: 'git diff-tree failed: <b>bad object</b>' });
      await section(p, '3').locator('.summary-error').waitFor();
      assert.equal(await section(p, '2').locator('.summary span').textContent(), 'Large diff: +10 \u22125 lines, not rendered inline');
      assert.equal(await section(p, '3').locator('.summary span').textContent(), 'Could not read the diff: git diff-tree failed: <b>bad object</b>');
      assert.deepEqual((await p.requested()).sort(), ['2', '3']);
      assert.deepEqual((await methods(p, Overview.openDiff.method)).map(m => m.params), [{ id: '0' }, { id: '1' }]);
    },
  },
  {
    name: 'Open diff in a section header posts that file\'s id',
    async run(p) {
      await p.send(Overview.init, init([file(0), file(1), file(2)]));
      await section(p, '2').getByRole('button', { name: 'Open diff' }).click();
      await p.waitForSent('openDiff', m => m.method === Overview.openDiff.method);
      assert.deepEqual((await methods(p, Overview.openDiff.method)).map(m => m.params), [{ id: '2' }]);
    },
  },
  {
    name: 'sections collapse and expand from the keyboard and with Collapse all / Expand all, without asking twice',
    async run(p) {
      const files = [file(0), file(1)];
      const answered = new Set<string>();
      await p.send(Overview.init, init(files));
      await waitFor('both requested', async () => ((await p.requested()).length === 2 ? true : undefined));
      await p.answer(files, answered);
      await section(p, '1').locator('.d2h-file-wrapper').waitFor();
      const toggle = section(p, '0').locator('button.toggle');
      await toggle.focus();
      await p.page.keyboard.press('Space');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await section(p, '0').locator('.file-body').isHidden(), true);
      await p.page.getByRole('button', { name: 'Collapse all' }).click();
      assert.equal(await section(p, '1').locator('button.toggle').getAttribute('aria-expanded'), 'false');
      await p.page.getByRole('button', { name: 'Expand all' }).click();
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      await section(p, '1').locator('.d2h-file-wrapper').waitFor();
      assert.deepEqual((await p.requested()).sort(), ['0', '1']);
      await section(p, '1').locator('button.toggle').click();
      await p.page.reload();
      await p.waitForSent('ready again', m => m.method === WebviewReady.method);
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      assert.equal(await section(p, '1').locator('button.toggle').getAttribute('aria-expanded'), 'false', 'kept across a reload');
      assert.deepEqual(await p.requested(), ['0'], 'a collapsed section asks for nothing');
    },
  },
  {
    name: 'firstContent is posted exactly once',
    async run(p) {
      const files = Array.from({ length: 40 }, (_, i) => file(i));
      const answered = new Set<string>();
      await p.send(Overview.init, init(files));
      await waitFor('requests', async () => ((await p.requested()).length > 0 ? true : undefined));
      await p.answer(files, answered);
      const first = await p.waitForSent('firstContent', m => m.method === Overview.firstContent.method);
      assert.ok(typeof (first.params as { ms: unknown }).ms === 'number' && (first.params as { ms: number }).ms > 0);
      await p.scrollTo('bottom');
      await waitFor('the last file requested', async () => ((await p.requested()).includes('39') ? true : undefined));
      await p.answer(files, answered);
      await section(p, '39').locator('.d2h-file-wrapper').waitFor();
      await p.page.getByRole('button', { name: 'Line by line' }).click();
      await section(p, '39').locator('.d2h-file-diff').waitFor();
      assert.equal((await methods(p, Overview.firstContent.method)).length, 1);
    },
  },
  {
    name: 'a hostile file name and patch render as text: no element, no script, no dialog (both layouts)',
    async run(p) {
      const files = [file(0, { path: HOSTILE, status: 'added', oldMode: '000000', additions: 2, deletions: 0 })];
      const patch = patchOf(HOSTILE, ['"<svg onload=alert(4)>"'], ['<script>alert(2)</script>', '<img src=y onerror=alert(3)>'],
        ' <b onmouseover=alert(5)>header</b>');
      await p.send(Overview.init, init(files));
      await p.waitForSent('request 0', m => m.method === Overview.patch.method);
      await p.reply('0', { ok: true, large: false, patch });
      for (const layout of ['Side by side', 'Line by line']) {
        await p.page.getByRole('button', { name: layout }).click();
        await section(p, '0').locator(layout === 'Side by side' ? '.d2h-file-side-diff' : '.d2h-file-diff').first().waitFor();
        assert.equal(await p.count('img'), 0, 'no <img> element');
        assert.equal(await p.count('svg'), 0, 'no <svg> element');
        assert.equal(await p.count('b'), 0, 'no <b> element from the hunk header');
        assert.equal(await p.count('script'), 2, 'only the host stub and the bundle');
        assert.equal(await p.count('script[src="/overview.js"]'), 1);
        assert.equal(await p.page.evaluate(() => (globalThis as unknown as PageWindow).document.querySelectorAll('[onerror],[onload],[onmouseover]').length), 0);
        assert.equal(await section(p, '0').locator('.file-header .path').textContent(), HOSTILE);
        assert.ok(await section(p, '0').locator('.file-header .path').isVisible());
        const lines = (await section(p, '0').locator('.d2h-ins').allTextContents()).join('\n');
        assert.ok(lines.includes('<script>alert(2)</script>'), 'the added line is shown as text');
        assert.ok((await section(p, '0').locator('.d2h-info').allTextContents()).join('').includes('<b onmouseover=alert(5)>header</b>'));
      }
      assert.deepEqual(p.dialogs, []);
    },
  },
  {
    name: 'diff2html itself escapes the file name, the hunk header and the lines of a hostile patch',
    async run() {
      const patch = patchOf(HOSTILE, [], ['<script>alert(2)</script>'], ' <b onmouseover=alert(5)>x</b>');
      for (const outputFormat of ['side-by-side', 'line-by-line'] as const) {
        const out = diff2html(patch, { outputFormat, drawFileList: true, matching: 'lines', diffStyle: 'word' });
        for (const raw of ['<img', '<script', '<b ']) assert.ok(!out.includes(raw), `${outputFormat}: ${raw} unescaped`);
        assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;.ts'), `${outputFormat}: the name is escaped`);
        assert.ok(!/\sstyle=/.test(out), `${outputFormat}: no inline style attribute (the CSP would block it)`);
      }
    },
  },
  {
    name: 'a mixed run looks native in a dark theme (screenshot test-results/webview-overview.png)',
    async run(p) {
      const files = [
        file(0, { path: 'src/server/collab.ts', additions: 3, deletions: 2 }),
        file(1, { status: 'renamed', path: 'src/authority/apply-write.ts', oldPath: 'src/legacy/write.ts', similarity: 87, additions: 2, deletions: 1 }),
        file(2, { path: 'scripts/deploy.sh', oldMode: '100644', newMode: '100755', additions: 0, deletions: 0 }),
        file(3, { path: 'assets/logo.png', binary: true, additions: 0, deletions: 0 }),
        file(4, { path: 'package-lock.json', additions: 12345, deletions: 6789, large: true }),
      ];
      await p.send(Overview.init, init(files));
      await waitFor('both diffs requested', async () => ((await p.requested()).length === 2 ? true : undefined));
      await p.reply('0', { ok: true, large: false, patch: patchOf('src/server/collab.ts',
        ['  db.documents.update(id, patch);', '  return ok();'],
        ['  applyDocumentWrite(id, patch, { actor });', '  audit.record(id);', '  return ok();']) });
      await p.reply('1', { ok: true, large: false, patch: patchOf('src/authority/apply-write.ts', ['export const write = legacyWrite;'],
        ['export const write = applyDocumentWrite;', 'export { applyDocumentWrite };']) });
      await section(p, '1').locator('.d2h-file-wrapper').waitFor();
      await section(p, '0').locator('.d2h-file-wrapper').waitFor();
      await p.page.screenshot({ path: path.join(RESULTS, 'webview-overview.png') });
    },
  },
];

export function runOverviewPageTests(): Promise<Counts & { exitCode: number }> {
  return runPageTests({
    label: 'webview-overview', tests, serve,
    open: (browser, url) => OverviewPage.open(browser, url),
    run: (p, t, ctx) => t.run(p, ctx),
  });
}
