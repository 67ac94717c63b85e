/**
 * UI tests: the packaged .vsix installed into code-server, the real workbench opened on the demo run in Chromium,
 * driven as a user would. Screenshots land in test-results/ (look at them).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { launchBrowser, newPage } from '../harness/browser';
import { startCodeServer } from '../harness/code-server';
import { type Counts } from '../harness/counts';
import { RESULTS, ROOT, elapsedSince } from '../harness/env';
import { waitFor } from '../harness/wait';
import { watchExtensionHost } from '../harness/extension-host-console';
import { type DemoRun } from '../harness/fixtures';
import { Workbench } from './workbench';

interface UiTest {
  name: string;
  run(wb: Workbench, demo: DemoRun, settingsFile: string): Promise<void>;
}

const shot = (wb: Workbench, name: string) => wb.page.screenshot({ path: path.join(RESULTS, `${name}.png`) });

const tests: UiTest[] = [
  {
    name: 'the SEB Review container shows the Run view naming the demo run and its baseline commit',
    async run(wb, demo) {
      await wb.waitForActivityBarItem('SEB Review');
      await wb.showContainer('SEB Review');
      await wb.treeRow('Run', 'demo-authority-rewrite').waitFor();
      const baselineRow = wb.treeRow('Run', `Baseline ${demo.baseline.slice(0, 8)}`);
      await baselineRow.waitFor();
      assert.match(await baselineRow.innerText(), /seb-baseline \(seb-run\.json\)/);
      await wb.treeRow('Run', 'Head: working tree').waitFor();
      await shot(wb, 'ui-run-view');
    },
  },
  {
    name: 'Show Run Details renders the run, both commits and the plan as text',
    async run(wb, demo) {
      await wb.runCommand('SEB Review: Show Run Details');
      const frame = await wb.webviewFrame('[data-testid="baseline-commit"]');
      assert.equal((await frame.locator('[data-testid="run-id"]').textContent())?.trim(), 'demo-authority-rewrite');
      assert.equal((await frame.locator('[data-testid="baseline-commit"]').textContent())?.trim(), demo.baseline);
      assert.equal((await frame.locator('[data-testid="head-commit"]').textContent())?.trim(), demo.head);
      assert.ok((await frame.locator('pre').first().textContent())?.includes('applyDocumentWrite'), 'the plan names the authority');
      await shot(wb, 'ui-run-details');
    },
  },
  {
    name: 'Close Run brings back the welcome view, whose Open Run… button asks for a folder',
    async run(wb) {
      await wb.page.keyboard.press('Escape');
      await wb.runCommand('SEB Review: Close Run');
      const button = wb.page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first();
      await button.waitFor();
      await shot(wb, 'ui-welcome');
    },
  },
  {
    name: 'Open Run… on a folder that is not a git repository names the folder in the error',
    async run(wb) {
      const plain = mkdtempSync(path.join(tmpdir(), 'seb-not-a-repo-'));
      try {
        await wb.page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first().click();
        await wb.fileDialog(plain + '/');
        const toast = wb.notification('is not a git repository');
        await toast.waitFor();
        assert.ok((await toast.innerText()).includes(plain), 'the error names the folder');
        await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        await wb.notification('Opening run').waitFor({ state: 'detached' });
        await shot(wb, 'ui-open-run-error');
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'after a reload the workspace run reopens; the Changes view lists the files; a viewed box counts (dark theme)',
    async run(wb) {
      await wb.reload();
      await wb.focusReviewView('Changes');
      const row = wb.treeRow('Changes', 'document-authority.ts');
      await row.waitFor();
      const total = Number(/0 of (\d+) viewed/.exec(await wb.viewDescription('Changes'))?.[1]);
      assert.ok(total > 20, `the Changes view counts the demo run's files (${total})`);
      assert.equal(await row.locator('[role="checkbox"]').getAttribute('aria-checked'), 'false');
      await row.locator('[role="checkbox"]').click();
      await wb.waitForViewDescription('Changes', `1 of ${total} viewed`);
      assert.equal(await row.locator('[role="checkbox"]').getAttribute('aria-checked'), 'true');
      await shot(wb, 'ui-changes-dark');
    },
  },
  {
    name: 'viewed marks survive a window reload',
    async run(wb) {
      await wb.reload();
      await wb.focusReviewView('Changes');
      const row = wb.treeRow('Changes', 'document-authority.ts');
      await row.waitFor();
      await wb.waitForViewDescription('Changes', /^1 of \d+ viewed$/);
      assert.equal(await row.locator('[role="checkbox"]').getAttribute('aria-checked'), 'true');
    },
  },
  {
    name: 'clicking a changed file opens the diff editor with the baseline on the left',
    async run(wb) {
      await wb.treeRow('Changes', 'markdown.ts').locator('.label-name').click();
      const tab = wb.page.locator('.tabs-container .tab.active', { hasText: 'server/markdown/convert.ts → server/authority/markdown.ts' });
      await tab.waitFor();
      await wb.page.locator('.monaco-diff-editor .editor.original .view-line').first().waitFor();
      await wb.page.locator('.monaco-diff-editor .editor.modified .view-line').first().waitFor();
      await shot(wb, 'ui-diff-editor');
    },
  },
  {
    name: 'the diff overview shows every changed file, rendered as it scrolls into view (dark theme)',
    async run(wb) {
      const total = Number(/of (\d+) viewed/.exec(await wb.viewDescription('Changes'))?.[1]);
      await wb.runCommand('SEB Review: Show Diff Overview');
      const frame = await wb.webviewFrame('section.file');
      await frame.locator('.d2h-ins, .d2h-del').first().waitFor();
      await shot(wb, 'ui-overview-dark');
      // sections are built in chunks as they come near the viewport: scroll down and collect every section's file
      const seen = new Set<string>();
      await waitFor('a section for every changed file', async () => {
        for (const id of await frame.locator('section.file').evaluateAll(els => els.map(e => e.getAttribute('data-id') ?? ''))) seen.add(id);
        await frame.evaluate('window.scrollBy(0, window.innerHeight * 2)');
        return seen.size >= total ? true : undefined;
      }, 30000, 150);
      assert.equal(seen.size, total, 'one section per changed file');
      const last = frame.locator(`section.file[data-id="${total - 1}"]`);
      await last.scrollIntoViewIfNeeded();
      await last.locator('.d2h-ins, .d2h-del, .summary, .note').first().waitFor();
      await frame.evaluate('window.scrollTo(0, 0)');
    },
  },
  {
    name: 'light theme: the Changes view and the overview follow the theme',
    async run(wb, _demo, settingsFile) {
      await wb.setColorTheme('Light Modern', settingsFile);
      await wb.focusReviewView('Changes');
      await wb.treeRow('Changes', 'document-authority.ts').waitFor();
      await shot(wb, 'ui-changes-light');
      await wb.runCommand('SEB Review: Show Diff Overview');
      const frame = await wb.webviewFrame('section.file');
      await frame.locator('.d2h-ins, .d2h-del').first().waitFor();
      await shot(wb, 'ui-overview-light');
    },
  },
];

export async function runUi(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  const t0 = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const vsix = path.join(ROOT, 'out', 'seb-review.vsix');
  const server = await startCodeServer({ vsix });
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    console.log(`[ui] code-server with ${path.basename(vsix)} on ${server.origin} (pid ${server.pid}) after ${elapsedSince(t0)}`);
    const page = await newPage(browser);
    const host = watchExtensionHost(page, server);
    await page.goto(server.urlFor(demo.dir));
    const wb = new Workbench(page);
    for (const t of tests) {
      try {
        await t.run(wb, demo, path.join(server.stateDir, 'user-data', 'User', 'settings.json'));
        passed++;
        console.log(`  ✔ ${t.name} (${elapsedSince(t0)})`);
      } catch (e) {
        failed++;
        console.log(`  ✘ ${t.name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        await shot(wb, `ui-failed-${passed + failed}`).catch(() => undefined);
      }
    }
    failed += host.report();
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped: 0, exitCode: failed === 0 ? 0 : 1 };
}
