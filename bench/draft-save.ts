/**
 * How soon a score typed into the rubric form is on disk, in the real VS Code (code-server, the packaged .vsix
 * installed, the workbench driven in Chromium): the demo run opened, the Rubric view shown, then N times a new value
 * typed into one points box. The clock starts just before the value is typed and stops at the modification time of
 * the draft file that holds it (written atomically: a temporary file renamed over it), so the polling that finds
 * the file adds nothing. What it includes: the page posting the edit, the host evaluating it, the autosave's delay
 * (250 ms after the last edit) and the write. The README promises "within half a second".
 * Usage: npm run bench -- draft-save [--runs N]   (default 20)
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, newPage } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/code-server';
import { ROOT } from '../test/harness/env';
import { buildDemoRun } from '../test/harness/fixtures';
import { waitFor } from '../test/harness/wait';
import { draftOnDisk } from '../test/ui/draft-on-disk';
import { Workbench } from '../test/ui/workbench';
import { fmt, summary } from './stats';

const DIMENSION = 'wiring'; // ceiling 10, half points: 0, 0.5, … 10

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
  const demo = await buildDemoRun(path.join(ROOT, '.cache', 'bench', 'demo-run'));
  const server = await startCodeServer({ vsix: path.join(ROOT, 'out', 'seb-review.vsix') });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const wb = new Workbench(page);
    await page.goto(server.urlFor(demo.dir));
    await wb.waitForActivityBarItem('SEB Review');
    await wb.focusReviewView('Rubric');
    const form = await wb.webviewFrame('[data-testid="total"]', 60000);
    const box = form.locator(`section.dimension[data-dimension="${DIMENSION}"] input.points`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const value = String((i % 20) / 2 + 0.5); // 0.5 … 10, never the value already there
      const t0 = Date.now();
      await box.fill(value);
      const file = await waitFor(`${value} on disk`, () => {
        const d = draftOnDisk(server.stateDir);
        return d?.entries[DIMENSION]?.points === value ? d.file : undefined;
      }, 30000, 5);
      const ms = statSync(file).mtimeMs - t0;
      times.push(ms);
      console.log(`run ${i + 1}/${runs}: ${value} on disk after ${fmt(ms)}`);
    }
    const s = summary(times);
    console.log(`\nscore typed -> on disk over ${s.n} edits (min / median / max): ${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
