import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, newPage } from './browser';
import { startCodeServer } from './code-server';
import { parseCounts, type Counts } from './counts';
import { HOST, RESULTS, ROOT, elapsedSince } from './env';
import { rejectionReport } from './unhandled-rejections';

/** The extension host loads the extension from the repository: its bundle (or sources, when source-mapped) and the tests. */
const OUR_CODE = ['dist', 'src', path.join('out', 'test')].map(d => path.join(ROOT, d) + path.sep);

/**
 * Runs the mocha suite (out/test/integration/index.js) inside the real VS Code extension host: code-server with the
 * smoke-test driver, the workbench opened in Chromium with ?payload=extensionDevelopmentPath/extensionTestsPath
 * (what @vscode/test-electron does on a desktop). The extension host's exit code comes back through
 * window.codeAutomationExit.
 */
export async function runIntegration(workspace: string, timeoutMs = 600000): Promise<Counts & { exitCode: number }> {
  const t0 = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const server = await startCodeServer({ smokeTestDriver: true });
  const browser = await launchBrowser();
  const output: string[] = [];
  try {
    console.log(`[integration] code-server on ${server.origin} (pid ${server.pid}) after ${elapsedSince(t0)}`);
    const page = await newPage(browser);
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>(resolve => { exited = resolve; });
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...args);
      output.push(line);
      (type === 'error' ? console.error : console.log)(line);
    });
    const remote = (p: string) => `vscode-remote://${HOST}:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'out', 'test', 'integration', 'index.js'))],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
    await page.goto(server.urlFor(workspace, `&payload=${encodeURIComponent(payload)}`));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>(resolve => { timer = setTimeout(() => resolve(124), timeoutMs); });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    await page.screenshot({ path: path.join(RESULTS, code === 0 ? 'integration-final.png' : 'integration-failed.png') }).catch(() => undefined);
    if (code === 124) console.error(`[integration] TIMEOUT after ${timeoutMs} ms\n${server.log()}`);
    console.log(`[integration] extension host exited with ${code} after ${elapsedSince(t0)}`);
    const log = output.join('\n');
    const counts = parseCounts(log) ?? { passed: 0, failed: 1, skipped: 0 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1; // the host failed outside any test
    // a promise of ours rejected with nobody handling it: a failure, even when every test passed
    const { failures, notes } = rejectionReport(log, OUR_CODE);
    for (const line of [...notes, ...failures]) console.log(line);
    counts.failed += failures.length;
    return { ...counts, exitCode: failures.length > 0 && code === 0 ? 1 : code };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
