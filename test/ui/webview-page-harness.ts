/**
 * Shared by the webview page tests: a loopback server for a built page (and its style sheets) and the loop that runs
 * each test on a fresh page, checks the page raised no script error, CSP violation or dialog, and counts.
 */
import { createServer } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { type Browser, type Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { type Counts } from '../harness/counts';
import { HOST, RESULTS } from '../harness/env';
import { WebviewReady, parsePageMessage } from '../../src/protocol/webview/messages';

export type Served = [body: string | Buffer, type: string];

/** Serves `route(url, origin)` on 127.0.0.1; `required` files must exist (they are built by scripts/build.mjs). */
export async function servePage(required: readonly string[], route: (url: URL, origin: string) => Served | undefined): Promise<{ url: string; close(): Promise<void> }> {
  for (const file of required) if (!existsSync(file)) throw new Error(`${file} is missing: run node scripts/build.mjs first`);
  let origin = '';
  const server = createServer((req, res) => {
    const served = route(new URL(req.url ?? '/', origin), origin);
    res.writeHead(served ? 200 : 404, { 'content-type': `${served?.[1] ?? 'text/plain'}; charset=utf-8` }).end(served?.[0] ?? 'not found');
  });
  await new Promise<void>(resolve => server.listen(0, HOST, resolve));
  origin = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/`, close: () => new Promise(resolve => server.close(() => resolve())) };
}

export interface CheckedPage {
  page: Page;
  errors: string[];
  dialogs: string[];
  violations(): Promise<string[]>;
  /** What the page posted that the host would drop (see invalidPageMessages). */
  invalidSent(): Promise<string[]>;
}

/**
 * The messages a page posted that its host would drop: not a command or request envelope, a method the protocol does not
 * have in that direction, or parameters that fail the message's guard. The real page must send none.
 */
export function invalidPageMessages(sent: readonly unknown[], protocol: Record<string, { kind: string; method: string; validate?: (v: unknown) => boolean }>): string[] {
  const types = [WebviewReady, ...Object.values(protocol)].filter(t => t.kind !== 'notification');
  return sent.flatMap(raw => {
    const m = parsePageMessage(raw);
    const type = m ? types.find(t => t.method === m.method && t.kind === m.kind) : undefined;
    return m && type?.validate?.(m.params) ? [] : [JSON.stringify(raw).slice(0, 300)];
  });
}

/** Runs each test on its own page; prints ✔/✘ lines and "N passed, N failed". */
export async function runPageTests<P extends CheckedPage, T extends { name: string }>(options: {
  label: string;
  tests: readonly T[];
  serve(): Promise<{ url: string; close(): Promise<void> }>;
  open(browser: Browser, url: string, test: T): Promise<P>;
  run(page: P, test: T, ctx: { browser: Browser; url: string }): Promise<void>;
}): Promise<Counts & { exitCode: number }> {
  mkdirSync(RESULTS, { recursive: true });
  const server = await options.serve();
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    for (const t of options.tests) {
      let p: P | undefined;
      try {
        p = await options.open(browser, server.url, t);
        await options.run(p, t, { browser, url: server.url });
        assert.deepEqual(p.errors, [], 'no script error on the page');
        assert.deepEqual(await p.violations(), [], 'no Content Security Policy violation');
        assert.deepEqual(p.dialogs, [], 'no dialog');
        assert.deepEqual(await p.invalidSent(), [], 'every message the page sent passes its guard');
        passed++;
        console.log(`  ✔ ${t.name}`);
      } catch (e) {
        failed++;
        console.log(`  ✘ ${t.name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        await p?.page.screenshot({ path: path.join(RESULTS, `${options.label}-failed-${passed + failed}.png`), fullPage: true }).catch(() => undefined);
      } finally {
        await p?.page.close();
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped: 0, exitCode: failed === 0 ? 0 : 1 };
}
