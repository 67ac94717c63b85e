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
import { type DemoRun } from '../harness/fixtures';
import { Workbench } from './workbench';

interface UiTest {
  name: string;
  run(wb: Workbench, demo: DemoRun): Promise<void>;
}

const shot = (wb: Workbench, name: string) => wb.page.screenshot({ path: path.join(RESULTS, `${name}.png`) });

const tests: UiTest[] = [
  {
    name: 'the SEB Review container shows the Run view naming the demo run and its baseline commit',
    async run(wb, demo) {
      await wb.waitForActivityBarItem('SEB Review');
      await wb.clickActivityBarItem('SEB Review');
      await wb.treeRow('Run', 'demo-authority-rewrite').waitFor({ timeout: 30000 });
      const baselineRow = wb.treeRow('Run', `Baseline ${demo.baseline.slice(0, 8)}`);
      await baselineRow.waitFor({ timeout: 30000 });
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
      await button.waitFor({ timeout: 15000 });
      await shot(wb, 'ui-welcome');
    },
  },
  {
    name: 'Open Run… on a folder that is not a git repository names the folder in the error',
    async run(wb) {
      const plain = mkdtempSync(path.join(tmpdir(), 'seb-not-a-repo-'));
      try {
        await wb.page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first().click();
        const input = wb.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(plain + '/');
        await wb.page.locator('.quick-input-widget .quick-input-action a, .quick-input-widget .monaco-button', { hasText: 'Open Run' })
          .first().click({ timeout: 10000 }).catch(async () => { await wb.page.keyboard.press('Enter'); });
        const toast = wb.notification('is not a git repository');
        await toast.waitFor({ timeout: 30000 });
        assert.ok((await toast.innerText()).includes(plain), 'the error names the folder');
        await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        await wb.notification('Opening run').waitFor({ state: 'detached', timeout: 15000 });
        await shot(wb, 'ui-open-run-error');
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
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
    await page.goto(server.urlFor(demo.dir));
    const wb = new Workbench(page);
    for (const t of tests) {
      try {
        await t.run(wb, demo);
        passed++;
        console.log(`  ✔ ${t.name} (${elapsedSince(t0)})`);
      } catch (e) {
        failed++;
        console.log(`  ✘ ${t.name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        await shot(wb, `ui-failed-${passed + failed}`).catch(() => undefined);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped: 0, exitCode: failed === 0 ? 0 : 1 };
}
