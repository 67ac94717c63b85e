/**
 * The Audit view in the real workbench (code-server, the packaged .vsix, Chromium), on the demo run and three graders'
 * signed worksheets (test/ui/calibration-fixture.ts): "Audit Disputed Run…" from the palette, the worksheets' folder
 * picked in VS Code's own dialog, the disagreement seen, a dimension expanded, one evidence item from each of two graders
 * followed into the code, decisions set, the adjudication signed with a key created through the UI, exported through
 * the save dialog and verified; the decisions restored when the same worksheets are audited again; "Open Adjudication…"
 * shows the record read-only. Screenshots in test-results/ui-audit-{dark,light,hc}.png (look at them).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { type Frame } from 'playwright-core';
import { type Counts } from '../harness/counts';
import { waitFor } from '../harness/wait';
import { type DemoRun } from '../harness/fixtures';
import { gradeDemoRun } from './calibration-fixture';
import { workbenchSuite } from './workbench-suite';

const RUN_ID = 'demo-authority-rewrite';
/** What the adjudicator decides: durability (the graders differ by 1) set to 3; the two means off the half-point step set to it. */
const DECISIONS: Array<[string, string, string]> = [
  ['durability-lifecycle', '3', 'The update log is flushed and the socket closed on SIGTERM (document-authority.ts:150-207): full marks.'],
  ['simplification', '21.5', 'The mean, 21.667, rounded to the rubric\'s half-point step.'],
  ['no-parallel-authority', '14.5', 'The mean, 14.667, rounded to the rubric\'s half-point step.'],
];

export async function runAuditUi(demo: DemoRun): Promise<Counts & { exitCode: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seb-audit-ui-'));
  const graded = await gradeDemoRun(demo.dir, dir);
  try {
    return await workbenchSuite('ui-audit', { machineSettings: { 'sebReview.allowedSignersFile': graded.allowedSigners } }, async ({ server, page, wb, settingsFile, shot, test }) => {
      const target = path.join(dir, `${RUN_ID}.adjudication.json`);
      /** Runs "Audit Disputed Run…" on the worksheets' folder and returns the Audit page once its table is there. */
      const audit = async (): Promise<Frame> => {
        await wb.runCommand('SEB Review: Audit Disputed Run…');
        await wb.fileDialog(dir);
        const frame = await wb.webviewFrame('[data-testid="scores"]', 120000);
        await frame.locator('tr.dimension[data-dimension="durability-lifecycle"]').waitFor();
        return frame;
      };
      const row = (f: Frame, id: string) => f.locator(`tr.dimension[data-dimension="${id}"]`);
      /** Expands a dimension from the keyboard: its button focused, Enter. */
      const expand = async (f: Frame, id: string) => {
        const b = row(f, id).locator('button.expand');
        if ((await b.getAttribute('aria-expanded')) === 'true') return;
        await b.focus();
        await page.keyboard.press('Enter');
        await f.locator(`tr.detail[data-dimension="${id}"]`).waitFor();
        assert.equal(await b.getAttribute('aria-expanded'), 'true');
      };
      /** The active editor group's active tab shows `name` and the line `line` is on screen. */
      const editorAt = async (name: string, line: number) => {
        const group = page.locator('.editor-group-container.active');
        await group.locator('.tab.active', { hasText: name }).waitFor({ timeout: 60000 });
        await group.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first().waitFor({ timeout: 60000 });
      };

      await page.goto(server.urlFor(demo.dir));
      await wb.waitForActivityBarItem('SEB Review');
      // the workspace is the demo run: it opens at start-up (the Changes view is there only while a run is open)
      await wb.focusReviewView('Changes');

      await test('create a signing key through the UI (the adjudicator signs with it)', async () => {
        await wb.runCommand('SEB Review: Create Signing Key');
        await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Signer identity' }).waitFor();
        const input = page.locator('.quick-input-widget input');
        await input.fill('judge@example.invalid');
        await waitFor('the identity typed', async () => ((await input.inputValue()) === 'judge@example.invalid' ? true : undefined));
        await input.press('Enter');
        await wb.notification('Created signing key SHA256:').waitFor();
      });

      let frame: Frame | undefined;
      await test('"Audit Disputed Run…" on the worksheets\' folder: three graders, the disagreement marked with the words "differ by 1"', async () => {
        await wb.runCommand('View: Close All Editors');
        frame = await audit();
        assert.deepEqual((await frame.locator('thead .grader-name').allInnerTexts()).sort(), ['model-cal', 'ref-ana', 'ref-ben']);
        assert.equal(await frame.locator('thead .signed').count(), 3);
        const gap = row(frame, 'durability-lifecycle').locator('td.gap');
        assert.equal((await gap.innerText()).trim(), 'differ by 1');
        assert.equal(await gap.locator('.codicon-warning').count(), 1);
        assert.match(await frame.locator('.gist').innerText(), /disagree on 1 dimension: Runtime durability and lifecycle \(differ by 1\)/);
        assert.equal((await row(frame, 'wiring').locator('td.aggregate').innerText()).trim(), '9');
        assert.equal((await frame.locator('tfoot td.aggregate').innerText()).trim(), '83');
        assert.equal(await frame.locator('.notice').count(), 0, 'the open run is the worksheets\' run, on their trees');
      });

      await test('a dimension expanded from the keyboard; evidence from two graders opens at its lines in the run', async () => {
        const f = frame;
        assert.ok(f);
        await expand(f, 'wiring');
        const card = (grader: string) => f.locator('tr.detail[data-dimension="wiring"] .grader', { has: f.locator('h3', { hasText: grader }) });
        assert.match(await card('ref-ana').innerText(), /Y\.Doc load still writes outside it/);
        await card('ref-ana').locator('button.evidence-link', { hasText: 'server/marks/marks.ts:77' }).click();
        await editorAt('marks.ts', 77);
        await card('model-cal').locator('button.evidence-link', { hasText: 'server/routes/agent.ts:1' }).click();
        await editorAt('agent.ts', 1);
        assert.equal(await page.locator('.editor-group-container').count(), 2, 'evidence opens beside the panel, in one column');
        await shot('evidence-dark');
      });

      await test('decisions: an invalid entry kept as typed with its reason; a departure needs a rationale; then every decision valid', async () => {
        const f = frame;
        assert.ok(f);
        await expand(f, 'durability-lifecycle');
        const d = (id: string) => f.locator(`fieldset.decision[data-dimension="${id}"]`);
        const sign = f.locator('[data-testid="sign"]');
        await d('durability-lifecycle').locator('input.points').fill('4');
        await d('durability-lifecycle').locator('.reason', { hasText: '4 is above the ceiling of 3' }).waitFor();
        assert.equal(await d('durability-lifecycle').locator('input.points').inputValue(), '4');
        assert.equal(await d('durability-lifecycle').locator('input.points').getAttribute('aria-invalid'), 'true');
        assert.equal(await sign.isDisabled(), true);
        await d('durability-lifecycle').locator('input.points').fill('3');
        await d('durability-lifecycle').locator('.reason', { hasText: 'a rationale is required: 3 departs from the mean 2.667' }).waitFor();
        for (const [id, points, rationale] of DECISIONS) {
          await expand(f, id);
          await d(id).locator('input.points').fill(points);
          await d(id).locator('textarea.rationale').fill(rationale);
        }
        await f.locator('[data-testid="summary"]', { hasText: 'Final total 83 / 100 (the mean is 83). Method: adjudicated: 3 dimensions depart from the mean.' }).waitFor();
        await waitFor('Sign and Export enabled', async () => ((await sign.isEnabled()) ? true : undefined));
        await f.locator('[data-testid="status"]', { hasText: 'Decisions saved' }).waitFor();
      });

      await test('sign and export through the save dialog: the record is verified and the page shows the verdict, read-only', async () => {
        assert.ok(frame);
        await frame.locator('[data-testid="sign"]').click();
        await wb.fileDialog(target);
        await waitFor('the adjudication on disk', () => (existsSync(target) ? true : undefined));
        const verdict = frame.locator('[data-testid="verdict"]');
        await verdict.waitFor({ timeout: 60000 });
        const text = await verdict.innerText();
        assert.match(text, /Verified/);
        assert.match(text, /signed by judge@example\.invalid; the adjudicator is judge@example\.invalid; 3 source worksheets are the ones named; both trees match the open run/);
        assert.equal(await verdict.locator('.checks li.bad').count(), 0);
        assert.ok(await verdict.locator('.checks li.ok').count() >= 8);
        await frame.locator('.banner', { hasText: 'Read-only' }).waitFor();
        assert.equal(await frame.locator('[data-testid="sign"]').count(), 0);
        await wb.notification('Signed and verified').waitFor();
        const env = JSON.parse(readFileSync(target, 'utf8')) as { payload: string };
        const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicate: { method: string; total: number; sources: unknown[] } };
        assert.equal(st.predicate.method, 'adjudicated');
        assert.equal(st.predicate.total, 83);
        assert.equal(st.predicate.sources.length, 3);
        await frame.evaluate('window.scrollTo(0, 0)');
        await shot('dark');
      });

      await test('"Open Adjudication…": the record, verified, read-only, with every check', async () => {
        await wb.runCommand('SEB Review: Open Adjudication…');
        await wb.fileDialog(target);
        const f = await wb.webviewFrame('[data-testid="verdict"]', 60000);
        await f.locator('[data-testid="verdict"]', { hasText: 'Verified' }).waitFor();
        // the record keeps points, not rationales: the page is built anew for it (not the audit's page patched)
        await f.locator('h1', { hasText: `Adjudication of ${RUN_ID}` }).waitFor();
        assert.match(await f.locator('[data-testid="verdict"]').innerText(), /3 source worksheets are the ones named; both trees match the open run/);
        assert.equal((await row(f, 'durability-lifecycle').locator('td.final').innerText()).trim(), '3 (set)');
        await shot('record-dark');
      });

      for (const [theme, name] of [['Light Modern', 'light'], ['Default High Contrast', 'hc']] as const) {
        await test(`${theme}: the same worksheets audited again find the decisions; the disagreement expanded`, async () => {
          await wb.setColorTheme(theme, settingsFile);
          await wb.focusReviewView('Changes');
          await wb.runCommand('View: Close All Editors');
          const f = await audit();
          assert.equal((await row(f, 'durability-lifecycle').locator('td.final').innerText()).trim(), '3 (set)');
          await f.locator('.notice', { hasText: 'You signed an adjudication of these worksheets' }).waitFor();
          await expand(f, 'durability-lifecycle');
          assert.equal(await f.locator('fieldset.decision[data-dimension="durability-lifecycle"] textarea.rationale').inputValue(), DECISIONS[0]?.[2]);
          await f.evaluate('window.scrollTo(0, 0)');
          await shot(name);
        });
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
