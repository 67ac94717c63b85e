/**
 * The same mocha suite as the code-server integration tier, in a desktop VS Code downloaded by @vscode/test-electron.
 * Needs internet access to download VS Code (not available in CI here; for desktop users). Run: npm run test:desktop
 */
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildDemoRun, buildHostileRepo } from '../harness/fixtures';
import { ROOT } from '../harness/env';

async function main(): Promise<void> {
  const demo = await buildDemoRun();
  await buildHostileRepo();
  await runTests({
    version: '1.139.1',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [demo.dir, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
