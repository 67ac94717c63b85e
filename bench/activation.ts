/**
 * Activation time of SEB Review in the real VS Code (code-server), measured N times with fresh editor state:
 *   - "bundle + activate": from the first line of dist/extension.js being evaluated to the end of activate()
 *     (the extension's own log line), i.e. what the extension adds to the extension host;
 *   - "Run view ready": from opening the workbench on the demo run to the Run view naming the baseline commit,
 *     i.e. what a reviewer waits for (includes the workbench's own start-up).
 * Usage: npm run bench -- activation [--runs N]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, newPage } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/code-server';
import { ROOT } from '../test/harness/env';
import { extensionLog } from '../test/harness/extension-log';
import { waitFor } from '../test/harness/wait';
import { buildDemoRun } from '../test/harness/fixtures';
import { Workbench } from '../test/ui/workbench';
import { fmt, summary } from './stats';


async function once(demoDir: string, baseline: string): Promise<{ activate: number; inBundle: number; viewReady: number }> {
  const server = await startCodeServer({ vsix: path.join(ROOT, 'out', 'seb-review.vsix') });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const wb = new Workbench(page);
    const t0 = Date.now();
    await page.goto(server.urlFor(demoDir));
    await wb.waitForActivityBarItem('SEB Review');
    await wb.showContainer('SEB Review');
    await wb.treeRow('Run', `Baseline ${baseline.slice(0, 8)}`).waitFor({ timeout: 60000 });
    const viewReady = Date.now() - t0;
    const line = await waitFor('the activation log line', () => {
      return /activated in (\d+) ms, bundle loaded and activated in ([\d.]+) ms/.exec(extensionLog(server.stateDir)) ?? undefined;
    }, 30000);
    return { activate: Number(line[1]), inBundle: Number(line[2]), viewReady };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const demo = await buildDemoRun(path.join(ROOT, '.cache', 'bench', 'demo-run'));
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await once(demo.dir, demo.baseline);
    console.log(`run ${i + 1}/${runs}: bundle + activate ${fmt(r.inBundle)} (activate() ${r.activate} ms), Run view ready after ${r.viewReady} ms`);
    results.push(r);
  }
  const b = summary(results.map(r => r.inBundle));
  const a = summary(results.map(r => r.activate));
  const v = summary(results.map(r => r.viewReady));
  console.log(`\nactivation over ${runs} runs (min / median / max):`);
  console.log(`  bundle evaluated + activate(): ${fmt(b.min)} / ${fmt(b.median)} / ${fmt(b.max)}`);
  console.log(`  activate() alone:              ${fmt(a.min)} / ${fmt(a.median)} / ${fmt(a.max)}`);
  console.log(`  workbench opened -> Run view shows the baseline: ${fmt(v.min)} / ${fmt(v.median)} / ${fmt(v.max)}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
