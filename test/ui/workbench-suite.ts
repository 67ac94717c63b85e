/**
 * The frame every workbench UI suite shares: code-server with the packaged .vsix, Chromium on it, the extension
 * host's console watched for SEB Review's own unhandled rejections, numbered tests that screenshot their failure, and
 * everything stopped at the end. A suite writes only its steps.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { launchBrowser, newPage } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/code-server';
import { type Counts } from '../harness/counts';
import { RESULTS, ROOT, elapsedSince } from '../harness/env';
import { watchExtensionHost } from '../harness/extension-host-console';
import { Workbench } from './workbench';

export interface SuiteContext {
  server: CodeServer;
  page: Page;
  wb: Workbench;
  /** The user settings file (themes are switched through it). */
  settingsFile: string;
  /** A screenshot at test-results/<prefix>-<name>.png. */
  shot(name: string): Promise<unknown>;
  /** Runs one test: ✔ or ✘ with its error, and a screenshot when it fails. */
  test(name: string, fn: () => Promise<void>): Promise<void>;
}

export interface SuiteOptions {
  /**
   * Machine-scoped settings (sebReview.allowedSignersFile is one): code-server reads them from the machine's settings
   * file, not the user's.
   */
  machineSettings?: Record<string, unknown>;
}

export async function workbenchSuite(prefix: string, options: SuiteOptions, body: (s: SuiteContext) => Promise<void>): Promise<Counts & { exitCode: number }> {
  mkdirSync(RESULTS, { recursive: true });
  const server = await startCodeServer({ vsix: path.join(ROOT, 'out', 'seb-review.vsix') });
  const settingsFile = path.join(server.stateDir, 'user-data', 'User', 'settings.json');
  if (options.machineSettings !== undefined) {
    mkdirSync(path.join(server.stateDir, 'user-data', 'Machine'), { recursive: true });
    writeFileSync(path.join(server.stateDir, 'user-data', 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
  }
  const browser = await launchBrowser();
  const page = await newPage(browser);
  const host = watchExtensionHost(page, server);
  const wb = new Workbench(page);
  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  const shot = (name: string) => page.screenshot({ path: path.join(RESULTS, `${prefix}-${name}.png`) });
  const test = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      passed++;
      console.log(`  ✔ ${name} (${elapsedSince(t0)})`);
    } catch (e) {
      failed++;
      console.log(`  ✘ ${name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await shot(`failed-${passed + failed}`).catch(() => undefined);
    }
  };
  try {
    try {
      await body({ server, page, wb, settingsFile, shot, test });
    } catch (e) {
      // a step outside any test() that throws (the workbench never came up, say) fails this suite, not the whole tier
      failed++;
      console.log(`  ✘ a step between the tests failed: the rest of this suite did not run\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await shot(`failed-${passed + failed}`).catch(() => undefined);
    }
    failed += host.report();
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped: 0, exitCode: failed === 0 ? 0 : 1 };
}
