import { type Frame, type Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { waitFor } from '../harness/wait';

/** Small helpers for driving the real workbench the way a user does: palette, activity bar, views, webviews. */
export class Workbench {
  constructor(readonly page: Page) {}

  async waitForActivityBarItem(label: string, timeout = 90000): Promise<void> {
    await this.page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first().waitFor({ timeout });
  }

  /**
   * Shows a view container from the activity bar. Clicking the item of a container that is already shown hides the
   * side bar, and right after a reload the workbench may still be restoring it: so first give the restored state a
   * moment to appear, and click only when the container is really not shown.
   */
  async showContainer(label: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item:has(a[aria-label^="${label}"])`).first();
    const shown = async () =>
      ((await item.getAttribute('class'))?.split(/\s+/).includes('checked') && (await this.page.locator('.part.sidebar').isVisible()) ? true : undefined);
    if (await waitFor(`${label} shown`, shown, 3000, 100).catch(() => undefined)) return;
    await item.locator('a').click();
    await waitFor(`${label} shown after a click`, shown, 10000);
  }

  /** Runs a command from the command palette by its full title ("Category: Title"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    // the row whose label is exactly the title (another command's title may contain it)
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: 15000 });
    await row.click();
  }

  /**
   * Types a path into VS Code's own file dialog (code-server's simple dialog) and accepts it with the dialog's button.
   * The dialog fills in its starting path asynchronously, possibly more than once: type only after its value has
   * settled, and check the typed path stuck.
   */
  async fileDialog(file: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    const settled = async (want?: string) => {
      let last: string | undefined;
      await waitFor('the dialog\'s path to settle', async () => {
        const v = await input.inputValue();
        const ok = v !== '' && v === last && (want === undefined || v === want);
        last = v;
        return ok ? true : undefined;
      }, 10000, 300);
    };
    await settled();
    await waitFor('the typed path', async () => {
      await input.fill(file);
      await settled(file).catch(() => undefined);
      return (await input.inputValue()) === file ? true : undefined;
    }, 15000, 100);
    // the dialog's own button (Enter would pick the highlighted list entry instead when the file already exists)
    await this.page.locator('.quick-input-widget .quick-input-action .monaco-button').first().click();
    await input.waitFor({ state: 'hidden', timeout: 15000 });
  }

  /** Reloads the window (Developer: Reload Window) and waits for the workbench to come back. */
  async reload(): Promise<void> {
    await this.runCommand('Developer: Reload Window');
    await this.page.waitForLoadState('load');
    await this.waitForActivityBarItem('SEB Review');
  }

  /** The description next to a view's title (e.g. "3 of 40 viewed"). */
  async viewDescription(viewTitle: string): Promise<string> {
    const d = this.page.locator(`.pane-header[aria-label^="${viewTitle}"] .description`).first();
    await d.waitFor({ timeout: 30000 });
    return (await d.textContent()) ?? '';
  }

  async waitForViewDescription(viewTitle: string, expected: string | RegExp): Promise<void> {
    await waitFor(`${viewTitle} description ${String(expected)}`, async () => {
      const text = await this.viewDescription(viewTitle);
      return (typeof expected === 'string' ? text === expected : expected.test(text)) ? true : undefined;
    }, 20000);
  }

  /**
   * Switches the colour theme: the user settings file (which code-server reads when the window loads), then a reload.
   * High contrast is otherwise overridden by the OS's setting (window.autoDetectHighContrast), so that is turned off.
   */
  async setColorTheme(name: 'Dark Modern' | 'Light Modern' | 'Default High Contrast', settingsFile: string): Promise<void> {
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': name, 'window.autoDetectHighContrast': false }, null, 2));
    await this.page.reload();
    const cls = name === 'Default High Contrast' ? '.hc-black' : name === 'Light Modern' ? '.vs' : '.vs-dark';
    await this.page.locator(`.monaco-workbench${cls}`).waitFor({ timeout: 30000 });
    await this.waitForActivityBarItem('SEB Review');
  }

  /** Expands or collapses a view of the side bar by clicking its header (views stack, and rows below the fold are not drawn). */
  async setViewExpanded(viewTitle: string, expanded: boolean): Promise<void> {
    const header = this.page.locator(`.pane-header[aria-label^="${viewTitle}"]`).first();
    await header.waitFor({ timeout: 30000 });
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
    await waitFor(`${viewTitle} ${expanded ? 'expanded' : 'collapsed'}`, async () =>
      ((await header.getAttribute('aria-expanded')) === String(expanded) ? true : undefined), 5000);
  }

  /** Shows one view of the SEB Review container with room: the others collapsed. */
  async focusReviewView(viewTitle: 'Run' | 'Changes' | 'Rubric'): Promise<void> {
    await this.showContainer('SEB Review');
    for (const other of ['Run', 'Changes', 'Rubric'] as const) {
      if (other !== viewTitle && other !== 'Run') await this.setViewExpanded(other, false);
    }
    if (viewTitle !== 'Run') await this.setViewExpanded('Run', false);
    await this.setViewExpanded(viewTitle, true);
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
