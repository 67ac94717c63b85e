/**
 * Runs every test tier and closes with one line: "N passed, N failed".
 *   unit         plain Node (node --test) over out/test/unit/*.test.js and its sub-folders
 *   integration  mocha inside the real VS Code extension host (code-server)
 *   ui           webview pages in Chromium (host stubbed); the packaged .vsix in code-server, the workbench driven in Chromium
 * Usage: node out/test/harness/run-all.js [--tier unit,integration,ui]
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseCounts, type Counts } from './counts';
import { ROOT, elapsedSince } from './env';
import { buildDemoRun, buildHostileRepo, buildProofRun } from './fixtures';
import { runIntegration } from './run-integration';
import { runUi } from '../ui/run-ui';
import { runCalibrationUi } from '../ui/calibration-ui';
import { runOverviewPageTests } from '../ui/webview-overview';
import { runRubricPageTests } from '../ui/webview-rubric';
import { runCalibrationPageTests } from '../ui/webview-calibration';
import { runUntrustedTest } from '../ui/untrusted';
import { runRubricUi } from '../ui/rubric-ui';
import { runAuthorityUi } from '../ui/authority-ui';
import { runAuditPageTests } from '../ui/webview-audit';
import { runAuditUi } from '../ui/audit-ui';

type Tier = 'unit' | 'integration' | 'ui';
const ALL: Tier[] = ['unit', 'integration', 'ui'];

function runUnit(): Promise<Counts & { exitCode: number }> {
  const dir = path.join(ROOT, 'out', 'test', 'unit');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.test.js')).sort().map(f => path.join(dir, f));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      process.stdout.write(d);
    });
    child.on('error', reject);
    child.on('close', code => {
      const counts = parseCounts(out) ?? { passed: 0, failed: 1, skipped: 0 };
      resolve({ ...counts, exitCode: code ?? 1 });
    });
  });
}

/** The UI tier: the webview pages in Chromium with the host stubbed, then the workbench with the .vsix installed. */
async function runUiTier(demo: Awaited<ReturnType<typeof buildDemoRun>>): Promise<Counts & { exitCode: number }> {
  console.log('[ui] webview pages (built bundles, host API stubbed) in Chromium');
  const overviewPage = await runOverviewPageTests();
  const rubricPage = await runRubricPageTests();
  const calibrationPage = await runCalibrationPageTests();
  const auditPage = await runAuditPageTests();
  const workbench = await runUi(demo);
  console.log('[ui] Restricted Mode (workspace trust on)');
  const untrusted = await runUntrustedTest(demo);
  console.log('[ui] the rubric form in the workbench');
  const rubricForm = await runRubricUi(demo);
  console.log('[ui] the authority map in the workbench');
  const authority = await runAuthorityUi(demo);
  console.log('[ui] the Calibration view in the workbench');
  const calibration = await runCalibrationUi(demo);
  console.log('[ui] the Audit view in the workbench');
  const auditView = await runAuditUi(demo);
  const parts = [overviewPage, rubricPage, calibrationPage, auditPage, workbench, untrusted, rubricForm, authority, calibration, auditView];
  return {
    passed: parts.reduce((n, p) => n + p.passed, 0), failed: parts.reduce((n, p) => n + p.failed, 0),
    skipped: parts.reduce((n, p) => n + p.skipped, 0), exitCode: parts.some(p => p.exitCode !== 0) ? 1 : 0,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tier: { type: 'string' } } });
  const tiers = values.tier ? (values.tier.split(',') as Tier[]) : ALL;
  for (const t of tiers) if (!ALL.includes(t)) throw new Error(`unknown tier ${t}; choose from ${ALL.join(', ')}`);
  const t0 = Date.now();
  const demo = await buildDemoRun();
  await buildHostileRepo();
  if (tiers.includes('integration')) await buildProofRun();
  console.log(`[tests] fixtures built: demo run ${demo.dir} (baseline ${demo.baseline.slice(0, 8)}, head ${demo.head.slice(0, 8)})`);

  const results: Array<{ tier: Tier } & Counts & { exitCode: number }> = [];
  for (const tier of tiers) {
    const t1 = Date.now();
    console.log(`\n[tests] ===== ${tier} =====`);
    let r: Counts & { exitCode: number };
    try {
      r = tier === 'unit' ? await runUnit() : tier === 'integration' ? await runIntegration(demo.dir) : await runUiTier(demo);
    } catch (e) {
      console.error(`[tests] ${tier} tier crashed:`, e);
      r = { passed: 0, failed: 1, skipped: 0, exitCode: 1 };
    }
    if (r.exitCode !== 0 && r.failed === 0) r.failed = 1;
    results.push({ tier, ...r });
    console.log(`[tests] ${tier}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''} (${elapsedSince(t1)})`);
  }
  const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 });
  console.log(`\n[tests] ${results.map(r => `${r.tier} ${r.passed}/${r.passed + r.failed}`).join(', ')} in ${elapsedSince(t0)}`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  return total.failed === 0 && results.every(r => r.exitCode === 0) ? 0 : 1;
}

main().then(code => { process.exitCode = code; }, e => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
