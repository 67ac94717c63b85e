/**
 * Activation time of SEB Review in the real VS Code (code-server), side by side with a floor: a minimal extension
 * (bench/fixtures/minimal-extension: a log channel and one command, activated on the same event), in the same
 * code-server. Each round starts it twice with fresh editor state on the demo run, once with SEB Review installed and
 * once with the floor installed instead, alternating which goes first. Measured:
 *   - "bundle + activate": from the first line of the extension's main file being evaluated to the end of activate()
 *     (each extension's own log line), i.e. what the extension adds to the extension host;
 *   - for SEB Review, "features loaded": from the start of activate() to its features bundle having loaded (start-up
 *     loads it at once when it reopens a run, as here);
 *   - for SEB Review, "Run view ready": from opening the workbench on the demo run to the Run view naming the baseline
 *     commit, i.e. what a reviewer waits for (includes the workbench's own start-up).
 * Usage: npm run bench -- activation [--runs N]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const FLOOR_CHANNEL = 'Activation floor';
const ACTIVATED = /activated in (\d+) ms, bundle loaded and activated in ([\d.]+) ms/;

interface Paths { seb: string; floor: string; demoDir: string; baseline: string }

/** Packages the floor extension into a scratch folder; returns its .vsix. */
function packageFloor(scratch: string): string {
  const dir = path.join(scratch, 'minimal-extension');
  cpSync(path.join(ROOT, 'bench', 'fixtures', 'minimal-extension'), dir, { recursive: true });
  const vsix = path.join(scratch, 'activation-floor.vsix');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, stdio: 'pipe' });
  return vsix;
}

async function sebReviewOnce(p: Paths): Promise<{ activate: number; inBundle: number; features?: number; viewReady: number }> {
  const server = await startCodeServer({ vsix: p.seb });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const wb = new Workbench(page);
    const t0 = Date.now();
    await page.goto(server.urlFor(p.demoDir));
    await wb.waitForActivityBarItem('SEB Review');
    await wb.showContainer('SEB Review');
    await wb.treeRow('Run', `Baseline ${p.baseline.slice(0, 8)}`).waitFor({ timeout: 60000 });
    const viewReady = Date.now() - t0;
    const line = await waitFor('the activation log line', () => ACTIVATED.exec(extensionLog(server.stateDir)) ?? undefined, 30000);
    const features = /features loaded in (\d+) ms/.exec(extensionLog(server.stateDir));
    return { activate: Number(line[1]), inBundle: Number(line[2]), ...(features ? { features: Number(features[1]) } : {}), viewReady };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

async function floorOnce(p: Paths): Promise<{ activate: number; inBundle: number }> {
  const server = await startCodeServer({ vsix: p.floor });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await page.goto(server.urlFor(p.demoDir));
    const line = await waitFor('the floor extension\'s activation log line',
      () => ACTIVATED.exec(extensionLog(server.stateDir, FLOOR_CHANNEL)) ?? undefined, 90000);
    return { activate: Number(line[1]), inBundle: Number(line[2]) };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

const row = (label: string, values: number[]) => {
  const s = summary(values);
  return `  ${label.padEnd(44)} ${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const demo = await buildDemoRun(path.join(ROOT, '.cache', 'bench', 'demo-run'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'seb-bench-activation-'));
  try {
    const p: Paths = { seb: path.join(ROOT, 'out', 'seb-review.vsix'), floor: packageFloor(scratch), demoDir: demo.dir, baseline: demo.baseline };
    const seb: Awaited<ReturnType<typeof sebReviewOnce>>[] = [];
    const floor: Awaited<ReturnType<typeof floorOnce>>[] = [];
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['seb', 'floor'] as const : ['floor', 'seb'] as const;
      for (const which of order) {
        if (which === 'seb') {
          const r = await sebReviewOnce(p);
          seb.push(r);
          console.log(`round ${i + 1}/${runs} SEB Review: bundle + activate ${fmt(r.inBundle)} (activate() ${r.activate} ms), ` +
            `features loaded ${r.features ?? '?'} ms after activation began, Run view ready after ${r.viewReady} ms`);
        } else {
          const r = await floorOnce(p);
          floor.push(r);
          console.log(`round ${i + 1}/${runs} floor:      bundle + activate ${fmt(r.inBundle)} (activate() ${r.activate} ms)`);
        }
      }
    }
    const ratio = summary(seb.map(r => r.inBundle)).median / summary(floor.map(r => r.inBundle)).median;
    console.log(`\nactivation over ${runs} alternating rounds (min / median / max):`);
    console.log(row('SEB Review: bundle evaluated + activate()', seb.map(r => r.inBundle)));
    console.log(row('floor (one command): bundle + activate()', floor.map(r => r.inBundle)));
    console.log(`  ratio of the medians: ${ratio.toFixed(2)} (target <= 1.5; and SEB Review's median <= 50 ms)`);
    console.log(row('SEB Review: activate() alone', seb.map(r => r.activate)));
    const features = seb.flatMap(r => (r.features === undefined ? [] : [r.features]));
    if (features.length) console.log(row('SEB Review: activation began -> features loaded', features));
    console.log(row('SEB Review: workbench opened -> Run view ready', seb.map(r => r.viewReady)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
