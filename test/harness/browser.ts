import { chromium, type Browser, type Page } from 'playwright-core';
import { tools } from './env';

/** Debian's Chromium, headless, with nothing reaching outside the machine. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: tools().chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  // what tests wait for happens in well under a second on a quiet machine; the timeout only matters when it never does
  page.setDefaultTimeout(60000);
  page.on('pageerror', e => console.log('[page error]', e.message));
  if (process.env.VERBOSE) page.on('console', m => console.log('[console]', m.type(), m.text()));
  return page;
}
