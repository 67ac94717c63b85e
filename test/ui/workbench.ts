import { type ElementHandle, type Frame, type Locator, type Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { waitFor } from '../harness/wait';

/** The little of the page's DOM the focus checks below read (the tests are compiled without the DOM's types). */
interface PageElement {
  tagName: string;
  id: string;
  className: string;
  classList: { contains(name: string): boolean };
  contains(other: PageElement): boolean;
  blur?(): void;
}
type PageGlobal = { document: { activeElement: PageElement | null } };

/** Small helpers for driving the real workbench the way a user does: palette, activity bar, views, webviews. */
export class Workbench {
  constructor(readonly page: Page) {}

  async waitForActivityBarItem(label: string, timeout = 90000): Promise<void> {
    await this.page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first().waitFor({ timeout });
  }

  /**
   * Shows a view container of the side bar by its command ("View: Show SEB Review"), never by clicking its activity bar
   * item: a click on the item of a container that is already shown hides the side bar, and right after a reload the
   * workbench may still be restoring it. The command only ever shows. Waits until the side bar shows the container.
   * A container the side bar already shows is left as it is: the command would also move the focus into it, late
   * (see runFocusingCommand), and a command palette opened for the next step would lose the focus to it and close.
   */
  async showContainer(title: string): Promise<void> {
    // the side bar's title is the container's, or "SEB Review: Run" when only one of its views is there
    const sidebar = this.page.locator('.part.sidebar');
    const item = this.page.locator(`.activitybar .action-item:has(a[aria-label^="${title}"])`).first();
    const shown = async () =>
      ((await sidebar.isVisible()) && (await item.getAttribute('class'))?.split(/\s+/).includes('checked')
        && (await sidebar.locator('.composite.title h2').first().textContent())?.startsWith(title) ? true : undefined);
    if (await shown()) return;
    await this.runCommand(`View: Show ${title}`);
    await waitFor(`the side bar to show ${title}`, shown);
  }

  /**
   * Runs a command that moves the keyboard focus into `target` ("Focus on … View" focuses the view) and waits until
   * the focus is there. The workbench focuses after the command has returned, and after what the test can see has
   * already changed (a view already expanded): a webview view is focused last of all, once its frame has loaded. A
   * command palette opened before that loses the focus to the webview and closes at once (inert while it animates
   * closing, then hidden). The focus is moved out of the way first, so focus left there by an earlier step is not
   * taken for this command's.
   */
  private async runFocusingCommand(title: string, target: Locator, what: string): Promise<void> {
    // Under load a focus command now and then leaves the focus on the page's body (seen after Close All Editors, with
    // the view already expanded): the command is run again, up to four times, before the focus is given up on.
    for (let attempt = 1; ; attempt++) {
      await this.page.evaluate(() => { (globalThis as unknown as PageGlobal).document.activeElement?.blur?.(); });
      await this.runCommand(title);
      try {
        await this.waitForFocusIn(target, what, attempt < 4 ? 15000 : 60000);
        return;
      } catch (e) {
        if (attempt >= 4) throw e;
      }
    }
  }

  /**
   * The keyboard focus is in `target`: on an element inside it, or in a webview laid over it (a webview view's frame
   * is positioned over its pane, not inside it) whose content has the focus. VS Code hands the focus to a webview in
   * two steps: the workbench focuses the webview's frame, and the frame then focuses its content once it has loaded
   * and been told to (a message): until then the focus is still on its way.
   */
  private async waitForFocusIn(target: Locator, what: string, timeout = 60000): Promise<void> {
    let seen = 'nothing';
    await waitFor(`the focus in ${what}`, async () => {
      const area = await target.elementHandle({ timeout: 1000 }).catch(() => null);
      const active = (await this.page.evaluateHandle(() => (globalThis as unknown as PageGlobal).document.activeElement)).asElement() as ElementHandle | null;
      if (!area || !active) return undefined;
      const where = await active.evaluate((node, areaNode) => {
        const [e, t] = [node as unknown as PageElement, areaNode as unknown as PageElement];
        return t.contains(e) ? 'inside' : e.tagName === 'IFRAME' && e.classList.contains('webview') ? 'webview' : `${e.tagName} ${e.className}`;
      }, area);
      if (where === 'inside') return true;
      seen = where;
      if (where !== 'webview') return undefined;
      const [frame, box] = [await active.boundingBox(), await area.boundingBox()];
      const over = frame && box && frame.x >= box.x - 1 && frame.y >= box.y - 1
        && frame.x + frame.width <= box.x + box.width + 1 && frame.y + frame.height <= box.y + box.height + 1;
      const content = await this.webviewContentFocused(active);
      seen = `a webview at ${JSON.stringify(frame)} (${what} at ${JSON.stringify(box)}), its content ${content ? '' : 'not '}focused`;
      return over && content ? true : undefined;
    }, timeout).catch((e: unknown) => { throw new Error(`${e instanceof Error ? e.message : String(e)}: the focus was on ${seen}`, { cause: e }); });
  }

  /** Whether the webview whose frame is `iframe` has passed the focus on to its content (its page's frame). */
  private async webviewContentFocused(iframe: ElementHandle): Promise<boolean> {
    const host = await iframe.contentFrame();
    return (await host?.evaluate(() => (globalThis as unknown as PageGlobal).document.activeElement?.id === 'active-frame').catch(() => false)) ?? false;
  }

  /**
   * Waits while the focus is on its way into a webview (its frame focused, its content not yet): a palette opened
   * then would lose the focus to it and close.
   */
  private async waitForFocusSettled(): Promise<void> {
    await waitFor('the focus to settle in a webview', async () => {
      const active = (await this.page.evaluateHandle(() => (globalThis as unknown as PageGlobal).document.activeElement)).asElement() as ElementHandle | null;
      if (!active || !(await active.evaluate(node => { const e = node as unknown as PageElement; return e.tagName === 'IFRAME' && e.classList.contains('webview'); }))) return true;
      return (await this.webviewContentFocused(active)) ? true : undefined;
    }, 60000);
  }

  /** The header of a view in the side bar ("Changes - 3 of 40 viewed Section"). */
  private viewHeader(viewTitle: string) {
    return this.page.locator(`.part.sidebar .pane-header[aria-label^="${viewTitle}"]`).first();
  }

  /**
   * Opens a view by its focus command ("SEB Review: Focus on Changes View"), which shows its container and expands it.
   * The command is offered only while the view is (its when clause holds, e.g. a run is open): so the container is
   * shown first and the view's header waited for. Waits until the view is expanded and its body visible.
   */
  async focusView(container: string, viewTitle: string): Promise<void> {
    await this.showContainer(container);
    await this.viewHeader(viewTitle).waitFor();
    const pane = this.page.locator(`.part.sidebar .pane:has(.pane-header[aria-label^="${viewTitle}"])`).first();
    await this.runFocusingCommand(`${container}: Focus on ${viewTitle} View`, pane, `the ${viewTitle} view`);
    await this.waitForViewExpanded(viewTitle, true);
  }

  private async waitForViewExpanded(viewTitle: string, expanded: boolean): Promise<void> {
    const header = this.viewHeader(viewTitle);
    const body = this.page.locator(`.part.sidebar .pane:has(.pane-header[aria-label^="${viewTitle}"]) > .pane-body`).first();
    await waitFor(`${viewTitle} ${expanded ? 'expanded' : 'collapsed'}`, async () =>
      ((await header.getAttribute('aria-expanded')) === String(expanded) && (!expanded || (await body.isVisible())) ? true : undefined));
  }

  /**
   * Runs a command from the command palette by its full title ("Category: Title"). The palette lists the commands
   * there are when it opens: right after a reload an extension's commands may not be registered yet (the activity bar
   * shows the container from the last session before that), so when the row is not there, the palette is opened again.
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // the row whose label is exactly the title (another command's title may contain it)
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await waitFor(`"${title}" in the command palette`, async () => {
      await this.waitForFocusSettled();
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      // a palette that loses the focus closes (inert while it animates closing, then hidden): it is opened again
      // rather than waited on for the whole timeout
      const typed = await input.fill('>' + title, { timeout: 5000 }).then(() => true, () => false);
      if (!typed) return undefined;
      return row.waitFor({ timeout: 3000 }).then(() => true, () => undefined);
    }, 90000, 0);
    await row.click();
    // a click that lands while the list is being drawn again (under load) can select nothing: the palette stays open
    // with the command in it, and the command never runs. Clicked again when the palette is still open at the next look
    // (a click that is taken closes the palette, or hands its widget to the command's own input, at once).
    const widget = this.page.locator('.quick-input-widget');
    let stillOpen = 0;
    await waitFor(`"${title}" to be taken from the command palette`, async () => {
      // short timeouts: a command that reloads the window takes the palette away with the whole page, and a locator
      // that waits for an element of the old page would wait out the page's default timeout (a minute)
      const open = (await input.isVisible()) && (await input.inputValue({ timeout: 2000 }).catch(() => '')) === '>' + title
        && !(await widget.getAttribute('inert', { timeout: 2000 }).then(v => v !== null, () => true));
      if (!open) return true;
      if (++stillOpen > 1) await row.click({ timeout: 5000 }).catch(() => undefined);
      return undefined;
    }, 60000, 500);
  }

  /**
   * Types a path into VS Code's own file dialog (code-server's simple dialog) and accepts it with the dialog's button.
   * The dialog fills in its starting path asynchronously, possibly more than once, and a dialog that follows another
   * one reuses its widget (still showing the last path for a moment): type only once the dialog has listed its folder
   * and its value has stayed the same for a while, and check that the typed path stays before accepting it.
   */
  async fileDialog(file: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    /** The value unchanged over `reads` reads 300 ms apart (and `want` when given). */
    const settled = async (reads: number, want?: string) => {
      let last: string | undefined;
      let same = 0;
      await waitFor('the dialog\'s path to settle', async () => {
        const v = await input.inputValue();
        same = v !== '' && v === last ? same + 1 : 0;
        last = v;
        return same >= reads && (want === undefined || v === want) ? true : undefined;
      }, 30000, 300);
    };
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
    await settled(4);
    await waitFor('the typed path', async () => {
      await input.fill(file);
      await settled(4, file).catch(() => undefined);
      return (await input.inputValue()) === file ? true : undefined;
    }, 90000, 100);
    // the dialog's own button (Enter would pick the highlighted list entry instead when the file already exists)
    const label = await input.getAttribute('aria-label');
    await this.page.locator('.quick-input-widget .quick-input-action .monaco-button').first().click();
    // closed, or another dialog (a next step) in the same widget
    await waitFor('the dialog to close', async () =>
      (!(await input.isVisible()) || (await input.getAttribute('aria-label').catch(() => label)) !== label ? true : undefined), 60000, 100);
  }

  /**
   * Reloads the window (Developer: Reload Window) and waits for the new workbench: the old document is marked first,
   * so nothing of it (its activity bar, its views) is taken for the reloaded one.
   */
  async reload(): Promise<void> {
    await this.page.evaluate(() => { (globalThis as { sebBeforeReload?: boolean }).sebBeforeReload = true; });
    await this.runCommand('Developer: Reload Window');
    await waitFor('the window to reload', async () => {
      // mid-navigation an evaluation can fail, or wait for the new document: either counts as not reloaded yet
      const old = await Promise.race([
        this.page.evaluate(() => (globalThis as { sebBeforeReload?: boolean }).sebBeforeReload).catch(() => true),
        new Promise<boolean>(resolve => setTimeout(() => resolve(true), 2000)),
      ]);
      return old ? undefined : true;
    }, 60000);
    await this.waitForActivityBarItem('SEB Review');
  }

  /** The description next to a view's title (e.g. "3 of 40 viewed"). */
  async viewDescription(viewTitle: string): Promise<string> {
    const d = this.page.locator(`.pane-header[aria-label^="${viewTitle}"] .description`).first();
    await d.waitFor();
    return (await d.textContent()) ?? '';
  }

  async waitForViewDescription(viewTitle: string, expected: string | RegExp): Promise<void> {
    await waitFor(`${viewTitle} description ${String(expected)}`, async () => {
      const text = await this.viewDescription(viewTitle);
      return (typeof expected === 'string' ? text === expected : expected.test(text)) ? true : undefined;
    });
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
    await this.page.locator(`.monaco-workbench${cls}`).waitFor({ timeout: 60000 });
    await this.waitForActivityBarItem('SEB Review');
  }

  /**
   * Expands or collapses a view of the side bar from its header with the keyboard: Right arrow expands and Left arrow
   * collapses (VS Code's pane header), whatever the state was, where a click would toggle it.
   */
  async setViewExpanded(viewTitle: string, expanded: boolean): Promise<void> {
    const header = this.viewHeader(viewTitle);
    // the key only ever moves towards the wanted state, so pressing it again is safe: a press that lands while the
    // workbench is still laying the pane out (on a loaded machine) is simply repeated
    await waitFor(`${viewTitle} ${expanded ? 'expanded' : 'collapsed'}`, async () => {
      if ((await header.getAttribute('aria-expanded')) === String(expanded)) return true;
      await header.press(expanded ? 'ArrowRight' : 'ArrowLeft').catch(() => undefined);
      return undefined;
    }, 60000, 500);
    await this.waitForViewExpanded(viewTitle, expanded);
  }

  /** Shows one view of the SEB Review container with room: opened by its command, the others collapsed. */
  async focusReviewView(viewTitle: 'Run' | 'Changes' | 'Authority' | 'Rubric'): Promise<void> {
    await this.focusView('SEB Review', viewTitle);
    for (const other of ['Run', 'Changes', 'Authority', 'Rubric'] as const) {
      // Changes, Authority and Rubric are there only while a run is open
      if (other !== viewTitle && (await this.viewHeader(other).count()) > 0) await this.setViewExpanded(other, false);
    }
  }

  /** A row of a tree view, by the text it shows. */
  treeRow(viewTitle: string, text: string) {
    return this.page.locator(`.pane:has(.pane-header[aria-label^="${viewTitle}"]) .monaco-list-row`, { hasText: text }).first();
  }

  notification(text: string) {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  /** The webview frame whose document has an element matching `selector`. */
  async webviewFrame(selector: string, timeout = 60000): Promise<Frame> {
    return waitFor(`a webview with ${selector}`, async () => {
      for (const f of this.page.frames()) {
        if ((await f.locator(selector).count().catch(() => 0)) > 0) return f;
      }
      return undefined;
    }, timeout, 200);
  }
}
