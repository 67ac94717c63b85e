/**
 * The authority map in the real workbench, on the demo run: the Authority view (reached and used with the keyboard),
 * the diff editor of a changed file with gutter marks, CodeLens and a hover on both sides, in dark, light and high
 * contrast. Screenshots land in test-results/ui-authority-*.png (look at them).
 */
import assert from 'node:assert/strict';
import { type Counts } from '../harness/counts';
import { waitFor } from '../harness/wait';
import { type DemoRun } from '../harness/fixtures';
import { workbenchSuite } from './workbench-suite';

const THEMES = [['Dark Modern', 'dark'], ['Light Modern', 'light'], ['Default High Contrast', 'hc']] as const;

export async function runAuthorityUi(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  return workbenchSuite('ui-authority', {}, async ({ server, page, wb, settingsFile, shot, test }) => {
    const authorityRow = (text: string) => wb.treeRow('Authority', text);
    /** The Authority view with the analysis in it: the wiring rows and the mark entry points shown. */
    const showAuthority = async () => {
      await wb.focusReviewView('Authority');
      await authorityRow('Wiring of the run').waitFor({ timeout: 120000 });
      await authorityRow('Mark writes').waitFor();
    };
    /** Whether an editor shows an inline hint (a decoration's ::after text) containing `text`. */
    const inlineHint = async (editor: ReturnType<typeof page.locator>, text: string) =>
      editor.locator('.view-line span').evaluateAll((els, want) => els.some(el => ((globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(el, '::after').content || '').includes(want)), text);
    /** Go to Line in the active editor (of a diff editor: its run side), which scrolls both sides there. */
    const goToLine = async (line: number) => {
      await wb.runCommand('Go to Line/Column...');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
    };
    /** Puts the cursor at the start of `line` on one side of the diff editor, by its line number. */
    const cursorOnLine = async (editor: ReturnType<typeof page.locator>, line: number) => {
      await editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first().click();
      await page.keyboard.press('ArrowLeft');
    };
    /** The hover at the cursor (Show or Focus Hover, by its keys: the palette would hand the focus back to the other side), once it shows `text`. */
    const hoverWith = async (text: string) => {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:visible', { hasText: text }).first();
      await hover.waitFor({ timeout: 30000 });
      return hover;
    };
    /**
     * The diff editor of server/marks/marks.ts: the baseline's POST …/accept (marks.ts:174 there, `git show
     * seb-baseline:server/marks/marks.ts`) and the run's (marks.ts:77) each get a gutter mark and a hover; the run's a
     * CodeLens. Screenshots of each side's hover.
     */
    const annotatedDiff = async (name: string) => {
      await wb.runCommand('View: Close All Editors');
      await wb.focusReviewView('Changes');
      await wb.treeRow('Changes', 'marks.ts').locator('.label-name').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'marks.ts' }).waitFor();
      const original = page.locator('.monaco-diff-editor .editor.original');
      const modified = page.locator('.monaco-diff-editor .editor.modified');
      await modified.locator('.view-line').first().waitFor();
      // run side line 77; the baseline's side scrolls along to its POST …/accept (line 174 there)
      await goToLine(77);
      await modified.locator('.cgmr').first().waitFor({ timeout: 60000 });
      await original.locator('.cgmr').first().waitFor({ timeout: 60000 });
      await waitFor('the baseline\'s inline hint', async () => ((await inlineHint(original, 'POST /api/documents/:id/marks/:markId/accept · reaches')) ? true : undefined), 60000);
      // the inline hint after the registration (a diff editor shows no CodeLens by default)
      await waitFor('the run\'s inline hint', async () => ((await inlineHint(modified, '✗ POST /api/documents/:id/marks/:markId/accept · bypasses the authority')) ? true : undefined), 60000);
      // the cursor on the baseline's registration: click its line number (which selects the line and focuses that side,
      // whatever the horizontal scroll), then Left puts the cursor at the line's start
      await cursorOnLine(original, 174);
      const base = await hoverWith('entry point (baseline)');
      // repository text in a hover keeps its spaces as no-break spaces
      const text0 = (await base.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text0, /In the run: /);
      assert.match(text0, /POST \/api\/documents\/:id\/marks\/:markId\/accept/);
      await shot(`diff-baseline-${name}`);
      await page.keyboard.press('Escape');
      await base.waitFor({ state: 'hidden' });
      await cursorOnLine(modified, 77);
      const run = await hoverWith('entry point (run)');
      const text = (await run.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /POST \/api\/documents\/:id\/marks\/:markId\/accept/);
      assert.match(text, /Add as Evidence/);
      await shot(`diff-run-${name}`);
      await page.keyboard.press('Escape');
      await run.waitFor({ state: 'hidden' });
    };

    /** The wiring matrix page, with the run's table drawn. */
    const showMatrix = async (name: string) => {
      await wb.runCommand('SEB Review: Show Wiring Matrix');
      const frame = await wb.webviewFrame('table[data-side="run"]', 60000);
      const mark = frame.locator('table[data-side="run"] tr[data-category="mark"]');
      await mark.waitFor();
      assert.equal((await mark.locator('th').textContent())?.trim(), 'Mark writes');
      // server/marks/marks.ts: every mark route reaches load()'s Yjs writes outside the authority (see the integration test)
      assert.match((await mark.locator('td[data-col="bypassing"]').innerText()).trim(), /^\d+$/);
      assert.ok(Number((await mark.locator('td[data-col="bypassing"]').innerText()).trim()) > 0);
      await frame.locator('.verdict.bad').waitFor();
      await shot(`matrix-${name}`);
      return frame;
    };

    await page.goto(server.urlFor(demo.dir));
    await wb.waitForActivityBarItem('SEB Review');

    await test('the Authority view: wiring per category, entry points by category, fates; icons say the wiring', async () => {
      await showAuthority();
      const row = authorityRow('Mark writes');
      assert.match(await row.innerText(), /bypassing/);
      assert.ok(await row.locator('.codicon-error, .codicon-pass, .codicon-warning').count() > 0, 'a codicon on the row');
      await authorityRow('Baseline entry points by fate').waitFor();
      await shot('view-dark');
    });

    await test('keyboard: focus the view, expand a category, open an entry point\'s registration with Enter', async () => {
      await wb.runCommand('SEB Review: Focus on Authority View');
      const focused = page.locator('.pane:has(.pane-header[aria-label^="Authority"]) .monaco-list-row.focused');
      await page.keyboard.press('Home');
      await waitFor('the Entry points section focused', async () => {
        if ((await focused.innerText().catch(() => '')).startsWith('Entry points of the run')) return true;
        await page.keyboard.press('ArrowDown');
        return undefined;
      }, 30000, 200);
      await page.keyboard.press('ArrowDown'); // the first category
      await page.keyboard.press('ArrowRight'); // expanded
      const index = Number(await focused.getAttribute('data-index'));
      const next = page.locator(`.pane:has(.pane-header[aria-label^="Authority"]) .monaco-list-row[data-index="${index + 1}"]`);
      await waitFor('the category\'s entry points below it', async () => ((await next.getAttribute('aria-level').catch(() => null)) === '3' ? true : undefined));
      await page.keyboard.press('ArrowDown');
      const label = await focused.innerText();
      assert.match(label, /^(GET|POST|PUT|PATCH|DELETE|\*) \//, `an entry point is focused: ${label}`);
      await page.keyboard.press('Enter');
      await waitFor('an editor opened at the registration', async () =>
        (/\.ts\b/.test(await page.locator('.tabs-container .tab.active').innerText().catch(() => '')) ? true : undefined));
      await shot('keyboard-dark');
    });

    await test('the diff editor: gutter marks on both sides, a CodeLens, and hovers with writes and fates (dark)', () => annotatedDiff('dark'));

    await test('the wiring matrix: a table per side; a cell, reached with the keyboard, lists its entry points (dark)', async () => {
      const frame = await showMatrix('dark');
      const cell = frame.locator('table[data-side="run"] tr[data-category="mark"] button.cell.bypassing');
      await cell.focus();
      await page.keyboard.press('Enter');
      const pick = page.locator('.quick-input-widget', { hasText: 'Mark writes · bypassing (run)' });
      await pick.waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'POST /api/documents/:id/marks/:markId/accept' }).first().waitFor();
      await shot('matrix-pick-dark');
      await page.keyboard.press('Escape');
      await pick.waitFor({ state: 'hidden' });
    });

    await test('the Diff Overview: a file\'s section carries the authority map\'s annotation, fetched with its patch (dark)', async () => {
      await wb.runCommand('SEB Review: Show Diff Overview');
      const frame = await wb.webviewFrame('section.file', 60000);
      const marks = frame.locator('section.file', { has: frame.locator('.path', { hasText: /^server\/marks\/marks\.ts$/ }) });
      await waitFor('the marks.ts section', async () => {
        if ((await marks.count()) > 0) return true;
        await frame.evaluate('window.scrollBy(0, window.innerHeight)');
        return undefined;
      }, 60000, 200);
      await marks.scrollIntoViewIfNeeded();
      const note = marks.locator('.authority-note');
      await note.waitFor({ timeout: 60000 });
      const text = (await note.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Run: 5 entry points/);
      assert.match(text, /bypassing the declared authority: .*POST \/api\/documents\/:id\/marks\/:markId\/accept/);
      await note.evaluate(el => (el as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: 'center' }));
      await shot('overview-dark');
    });

    await test('evidence: the rubric form lists what was found under its dimensions; Add as Evidence and Open (dark)', async () => {
      // The demo run rewrote the 2026-02 incident tests under new names (test/fixtures/demo-run/steps/05-…), and
      // server/authority/document-authority.ts gained a legacyMarkdown branch: the evidence the form shows (the Changes
      // view's badges for the same facts are checked through their provider in the integration test).
      await wb.focusReviewView('Rubric');
      const frame = await wb.webviewFrame('[data-testid="total"]', 60000);
      const card = frame.locator('section.dimension[data-dimension="correctness-incidents"]');
      const found = card.locator('details.found');
      await waitFor('the evidence found', async () => (/^Found by the analysis \(\d+, \d+ to look at\)$/.test((await found.locator('summary').textContent().catch(() => '')) ?? '') ? true : undefined), 120000);
      if ((await found.getAttribute('open')) === null) await found.locator('summary').click();
      const add = found.getByRole('button', { name: /^Add as evidence: Incident test deleted: incident 2026-02: .* > does not duplicate paragraphs when REST and reconcile both touch the live document/ });
      await add.click();
      const added = card.locator('.evidence-item .location', { hasText: /^test\/incident-2026-02-duplicate-paragraphs\.test\.ts:\d+-\d+$/ });
      await added.waitFor({ timeout: 30000 });
      assert.equal(await card.locator('.evidence-item .side').first().textContent(), 'baseline');
      await found.locator('.found-item', { hasText: 'Incident test deleted' }).first().scrollIntoViewIfNeeded();
      await shot('evidence-form-dark');
      // Open: the baseline's file, in the editor
      await found.locator('.found-item', { hasText: 'does not duplicate paragraphs when REST and reconcile' }).locator('button.found-open').click();
      await page.locator('.tabs-container .tab', { hasText: 'incident-2026-02-duplicate-paragraphs.test.ts' }).first().waitFor({ timeout: 30000 });
      await wb.runCommand('View: Close All Editors');
    });

    for (const [theme, name] of THEMES.slice(1)) {
      await test(`${theme}: the Authority view and the annotated diff editor`, async () => {
        await wb.setColorTheme(theme, settingsFile);
        await showAuthority();
        await shot(`view-${name}`);
        await annotatedDiff(name);
        await showMatrix(name);
      });
    }
  });
}
