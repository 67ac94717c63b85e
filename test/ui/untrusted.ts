/**
 * Restricted Mode: the demo run opened in a workspace the user does not trust. SEB Review declares limited support:
 * it does not open the run by itself, but Open Run… works (reviewing never runs the reviewed code), and the git
 * executable cannot come from workspace settings.
 */
import path from 'node:path';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchBrowser, newPage } from '../harness/browser';
import { startCodeServer } from '../harness/code-server';
import { type Counts } from '../harness/counts';
import { RESULTS, ROOT } from '../harness/env';
import { extensionLog } from '../harness/extension-log';
import { watchExtensionHost } from '../harness/extension-host-console';
import { waitFor } from '../harness/wait';
import { type DemoRun } from '../harness/fixtures';
import { Workbench } from './workbench';

export async function runUntrustedTest(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  const name = 'in Restricted Mode the run is not opened by itself, and Open Run… still reads it';
  mkdirSync(RESULTS, { recursive: true });
  const server = await startCodeServer({ vsix: path.join(ROOT, 'out', 'seb-review.vsix'), workspaceTrust: true });
  const browser = await launchBrowser();
  const page = await newPage(browser);
  const host = watchExtensionHost(page, server);
  const wb = new Workbench(page);
  try {
    await page.goto(server.urlFor(demo.dir));
    const dontTrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust the authors/ }).first();
    await dontTrust.waitFor({ timeout: 60000 });
    await dontTrust.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await wb.waitForActivityBarItem('SEB Review');
    await wb.showContainer('SEB Review');
    // the extension has decided (its log says so), and no run was opened: the welcome view, no Changes view
    await waitFor('the start-up decision in the log', () => (extensionLog(server.stateDir).includes('workspace not trusted: not opening a run automatically') ? true : undefined));
    const openButton = page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first();
    await openButton.waitFor();
    assert.equal(await page.locator('.part.sidebar .pane-header[aria-label^="Changes"]').count(), 0, 'no Changes view: no run is open');
    await openButton.click();
    await wb.fileDialog(demo.dir + '/');
    await wb.treeRow('Run', `Baseline ${demo.baseline.slice(0, 8)}`).waitFor();
    await wb.focusReviewView('Changes');
    await wb.treeRow('Changes', 'document-authority.ts').waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'ui-restricted-mode.png') });
    console.log(`  ✔ ${name}`);
    const rejections = host.report();
    console.log(`1 passed, ${rejections} failed`);
    return { passed: 1, failed: rejections, skipped: 0, exitCode: rejections === 0 ? 0 : 1 };
  } catch (e) {
    console.log(`  ✘ ${name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await page.screenshot({ path: path.join(RESULTS, 'ui-restricted-mode-failed.png') }).catch(() => undefined);
    const rejections = host.report();
    console.log(`0 passed, ${1 + rejections} failed`);
    return { passed: 0, failed: 1 + rejections, skipped: 0, exitCode: 1 };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
