import { type Frame, type Page } from 'playwright-core';
import { waitFor } from '../harness/env';

/** Small helpers for driving the real workbench the way a user does: palette, activity bar, views, webviews. */
export class Workbench {
  constructor(readonly page: Page) {}

  async waitForActivityBarItem(label: string, timeout = 90000): Promise<void> {
    await this.page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first().waitFor({ timeout });
  }

  async clickActivityBarItem(label: string): Promise<void> {
    await this.page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first().click();
  }

  /** Runs a command from the command palette by its full title ("Category: Title"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 15000 });
    await this.page.keyboard.press('Enter');
  }

  /** A row of a tree view, by the text it shows. */
  treeRow(viewTitle: string, text: string) {
    return this.page.locator(`.pane:has(.pane-header[aria-label^="${viewTitle}"]) .monaco-list-row`, { hasText: text }).first();
  }

  notification(text: string) {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  /** The webview frame whose document has an element matching `selector`. */
  async webviewFrame(selector: string, timeout = 30000): Promise<Frame> {
    return waitFor(`a webview with ${selector}`, async () => {
      for (const f of this.page.frames()) {
        if ((await f.locator(selector).count().catch(() => 0)) > 0) return f;
      }
      return undefined;
    }, timeout, 200);
  }
}
