/**
 * The Calibration view in the real workbench: three graders score the demo run (./calibration-fixture), the reviewer
 * runs "Calibrate Grader…" from the palette, picks the candidate's and the references' folders in VS Code's own file
 * dialog and the configured allowed-signers file, and reads the view: the charts with their tables, n and the warning
 * that one run is too few, the largest disagreement with both graders' evidence, which opens the cited lines in the
 * open run. Screenshots in dark, light and high contrast land in test-results/ui-calibration-*.png (look at them).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { type Counts } from '../harness/counts';
import { waitFor } from '../harness/wait';
import { type DemoRun } from '../harness/fixtures';
import { gradeDemoRun } from './calibration-fixture';
import { workbenchSuite } from './workbench-suite';

const THEMES = [['Light Modern', 'light'], ['Default High Contrast', 'hc']] as const;

export async function runCalibrationUi(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  const graded = await gradeDemoRun(demo.dir, mkdtempSync(path.join(tmpdir(), 'seb-calibration-ui-')));
  return workbenchSuite('ui-calibration', { machineSettings: { 'sebReview.allowedSignersFile': graded.allowedSigners } }, async ({ server, page, wb, settingsFile, shot, test }) => {
    /** Calibrate Grader… through the palette and VS Code's own dialogs; the view's frame once the report is drawn. */
    const calibrate = async () => {
      await wb.runCommand('SEB Review: Calibrate Grader…');
      await wb.fileDialog(graded.candidate);
      await wb.fileDialog(graded.reference);
      const trust = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use the configured allowed-signers file' }).first();
      await trust.waitFor();
      await trust.click();
      return wb.webviewFrame('[data-testid="n"]', 60000);
    };

    await page.goto(server.urlFor(demo.dir));
    await wb.waitForActivityBarItem('SEB Review');
    // the run the graders scored is open (its trees are the worksheets' trees)
    await wb.focusReviewView('Changes');
    await wb.treeRow('Changes', 'marks.ts').waitFor({ timeout: 60000 });

    await test('Calibrate Grader… from the palette: the candidate against the mean of two references, n and the warning (dark)', async () => {
      const frame = await calibrate();
      const body = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
      assert.match(body, /model-cal/);
      assert.match(body, /ref-ana/);
      assert.match(body, /ref-ben/);
      assert.match(await frame.locator('[data-testid="n"]').innerText(), /^n = 1 run scored by both$/);
      assert.match(body, /too wide to conclude/);
      assert.doesNotMatch(body, /NaN|Infinity|good|excellent/i);
      // every chart is a canvas with a label, and a table of its numbers beside it
      const canvases = frame.locator('canvas[role="img"]');
      assert.equal(await canvases.count(), 3);
      for (let i = 0; i < 3; i++) assert.ok(((await canvases.nth(i).getAttribute('aria-label')) ?? '').length > 10);
      assert.ok(await frame.locator('table.chart-table').count() >= 3);
      await shot('dark');
    });

    await test('the largest disagreement: both graders\' rationales, and their evidence opens the cited lines in the open run', async () => {
      const frame = await wb.webviewFrame('li.disagreement');
      const top = frame.locator('li.disagreement').first();
      assert.equal(await top.getAttribute('data-dimension'), 'no-parallel-authority');
      const text = (await top.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /\+3\.50 pts \(candidate 17\.00, reference \(mean of 2\) 13\.50, of 17\)/);
      assert.match(text, /No parallel authority found\./);
      assert.match(text, /No second write path survives in the routes\./);
      await top.scrollIntoViewIfNeeded();
      await shot('disagreement-dark');
      // the candidate's evidence: run server/authority/document-authority.ts:1-40
      await top.locator('button.link.evidence', { hasText: 'document-authority.ts' }).first().click();
      await waitFor('document-authority.ts open in an editor', async () =>
        ((await page.locator('.tabs-container .tab', { hasText: 'document-authority.ts' }).count()) > 0 ? true : undefined), 30000);
      // a reference's evidence: ref-ben cites server/authority/persistence.ts:1-30
      await top.locator('button.link.evidence', { hasText: 'persistence.ts' }).first().click();
      await waitFor('persistence.ts open in an editor', async () =>
        ((await page.locator('.tabs-container .tab', { hasText: 'persistence.ts' }).count()) > 0 ? true : undefined), 30000);
    });

    for (const [theme, name] of THEMES) {
      await test(`${theme}: the view follows the theme`, async () => {
        await wb.setColorTheme(theme, settingsFile);
        await calibrate();
        await shot(name);
      });
    }
  });
}
