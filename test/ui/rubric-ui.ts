/**
 * The rubric form in the real workbench: type scores, see the total, reload and find them again; kill the extension
 * host mid-review and find the last typed score after reopening; dark, light and high-contrast screenshots.
 */
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { type Frame } from 'playwright-core';
import { launchBrowser, newPage } from '../harness/browser';
import { startCodeServer } from '../harness/code-server';
import { type Counts } from '../harness/counts';
import { RESULTS, ROOT, elapsedSince } from '../harness/env';
import { waitFor } from '../harness/wait';
import { watchExtensionHost } from '../harness/extension-host-console';
import { type DemoRun } from '../harness/fixtures';
import { extensionHosts } from '../harness/processes';
import { draftOnDisk } from './draft-on-disk';
import { Workbench } from './workbench';

const SCORES: Record<string, string> = {
  'invariant-plan': '17', simplification: '24', wiring: '10', 'no-parallel-authority': '13', 'correctness-incidents': '24', 'durability-lifecycle': '3',
};

async function form(wb: Workbench): Promise<Frame> {
  await wb.focusReviewView('Rubric');
  return wb.webviewFrame('[data-testid="total"]', 60000);
}

const points = (f: Frame, id: string) => f.locator(`section.dimension[data-dimension="${id}"] input.points`);

export async function runRubricUi(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  mkdirSync(RESULTS, { recursive: true });
  const server = await startCodeServer({ vsix: path.join(ROOT, 'out', 'seb-review.vsix') });
  const settingsFile = path.join(server.stateDir, 'user-data', 'User', 'settings.json');
  const browser = await launchBrowser();
  const page = await newPage(browser);
  const host = watchExtensionHost(page, server);
  const wb = new Workbench(page);
  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  const test = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      passed++;
      console.log(`  ✔ ${name} (${elapsedSince(t0)})`);
    } catch (e) {
      failed++;
      console.log(`  ✘ ${name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await page.screenshot({ path: path.join(RESULTS, `ui-rubric-failed-${passed + failed}.png`) }).catch(() => undefined);
    }
  };
  try {
    await page.goto(server.urlFor(demo.dir));
    await wb.waitForActivityBarItem('SEB Review');

    await test('typing scores updates the total; an entry above the ceiling is shown invalid, kept as typed, and left out', async () => {
      const f = await form(wb);
      assert.equal((await f.locator('[data-testid="total"]').textContent())?.trim(), '0 / 100');
      await points(f, 'invariant-plan').fill('21');
      await f.locator('section.dimension[data-dimension="invariant-plan"] .reason', { hasText: 'above the ceiling of 20' }).waitFor();
      assert.equal(await points(f, 'invariant-plan').getAttribute('aria-invalid'), 'true');
      assert.equal(await points(f, 'invariant-plan').inputValue(), '21');
      for (const [id, p] of Object.entries(SCORES)) await points(f, id).fill(p);
      await f.locator('section.dimension[data-dimension="invariant-plan"] textarea.rationale').fill('One load-bearing invariant; a focused plan.');
      await f.locator('[data-testid="total"]', { hasText: '91 / 100' }).waitFor();
      await f.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(RESULTS, 'ui-rubric-dark.png') });
    });

    await test('the scores are on disk and come back after a window reload', async () => {
      await waitFor('the draft on disk', () => {
        const e = draftOnDisk(server.stateDir)?.entries;
        return e && Object.entries(SCORES).every(([id, p]) => e[id]?.points === p) && e['invariant-plan']?.rationale ? true : undefined;
      });
      await wb.reload();
      const f = await form(wb);
      await f.locator('[data-testid="total"]', { hasText: '91 / 100' }).waitFor();
      for (const [id, p] of Object.entries(SCORES)) assert.equal(await points(f, id).inputValue(), p, id);
    });

    await test('after the extension host is killed mid-review, the last typed score is there when the window reopens', async () => {
      const f = await form(wb);
      await points(f, 'wiring').fill('9.5');
      await waitFor('the typed score on disk', () => (draftOnDisk(server.stateDir)?.entries?.wiring?.points === '9.5' ? true : undefined));
      const hosts = extensionHosts(server.pid);
      assert.ok(hosts.length > 0, 'found the extension host process');
      for (const pid of hosts) process.kill(pid, 'SIGKILL');
      await waitFor('the extension host to be gone', () => (extensionHosts(server.pid).every(p => !hosts.includes(p)) ? true : undefined));
      await page.reload();
      await wb.waitForActivityBarItem('SEB Review');
      const again = await form(wb);
      await again.locator('[data-testid="total"]', { hasText: '90.5 / 100' }).waitFor();
      assert.equal(await points(again, 'wiring').inputValue(), '9.5');
    });

    await test('create a key, complete the worksheet, export it signed, verify it: the form shows the verdict, read-only', async () => {
      await wb.runCommand('SEB Review: Create Signing Key');
      // the input box asking for the identity (not the palette the command was chosen from, which uses the same widget)
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Signer identity' }).waitFor();
      const input = page.locator('.quick-input-widget input');
      await input.fill('ada@example.invalid');
      await waitFor('the identity typed', async () => ((await input.inputValue()) === 'ada@example.invalid' ? true : undefined));
      await input.press('Enter');
      await wb.notification('Created signing key SHA256:').waitFor();
      const f = await form(wb);
      await f.locator('#grader-name').fill('Ada');
      for (const id of Object.keys(SCORES)) {
        await f.locator(`section.dimension[data-dimension="${id}"] textarea.rationale`).fill(`What the run shows for ${id}.`);
      }
      await f.locator('[data-testid="completeness"]', { hasText: 'Complete' }).waitFor();
      const target = path.join(server.stateDir, 'demo-authority-rewrite.Ada.worksheet.json');
      await wb.runCommand('SEB Review: Export Signed Worksheet…');
      await wb.fileDialog(target);
      await waitFor('the signed worksheet on disk', () => (existsSync(target) ? true : undefined));
      await wb.notification('Signed worksheet for demo-authority-rewrite: 90.5 / 100').waitFor();
      await wb.runCommand('SEB Review: Verify Signed Worksheet…');
      await wb.fileDialog(target);
      const signed = await form(wb);
      await signed.locator('[data-testid="status"]', { hasText: 'Verified: signed by ada@example.invalid; both trees match the open run' }).waitFor();
      await signed.locator('.banner', { hasText: 'read-only' }).waitFor();
      assert.equal(await points(signed, 'wiring').getAttribute('readonly') !== null || await points(signed, 'wiring').isDisabled(), true);
      await signed.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(RESULTS, 'ui-signed-verified.png') });
      await wb.runCommand('SEB Review: Back to My Draft');
      await (await form(wb)).locator('.banner', { hasText: 'read-only' }).waitFor({ state: 'hidden' });
    });

    await test('the form follows light and high-contrast themes', async () => {
      await wb.setColorTheme('Light Modern', settingsFile);
      const light = await form(wb);
      await light.locator('[data-testid="total"]', { hasText: '90.5 / 100' }).waitFor();
      await light.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(RESULTS, 'ui-rubric-light.png') });
      await wb.setColorTheme('Default High Contrast', settingsFile);
      const hc = await form(wb);
      await hc.locator('[data-testid="total"]', { hasText: '90.5 / 100' }).waitFor();
      await hc.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(RESULTS, 'ui-rubric-high-contrast.png') });
    });
    failed += host.report();
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped: 0, exitCode: failed === 0 ? 0 : 1 };
}
