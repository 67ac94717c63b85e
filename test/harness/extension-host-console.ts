import path from 'node:path';
import { readFileSync } from 'node:fs';
import { type Page } from 'playwright-core';
import { type CodeServer } from './code-server';
import { ROOT } from './env';
import { rejectionReport } from './unhandled-rejections';

/** The folder code-server installs the packaged extension into: <extensions>/<publisher>.<name>-<version>/. */
function installFolder(server: CodeServer): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  return path.join(server.stateDir, 'extensions', `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase()) + path.sep;
}

/**
 * Keeps the workbench page's console, where the extension host's console arrives ("[Extension Host] …"), across
 * reloads. `report()` prints one ✘ line per promise of the installed SEB Review that was rejected with nobody
 * handling it (see unhandled-rejections.ts) and returns how many: each counts as a failed test. Other extensions' and
 * VS Code's own are printed as notes, not counted.
 */
export function watchExtensionHost(page: Page, server: CodeServer): { report(): number } {
  const lines: string[] = [];
  page.on('console', m => { lines.push(m.text()); });
  const ours = [installFolder(server)];
  return {
    report: () => {
      const { failures, notes } = rejectionReport(lines.join('\n'), ours);
      for (const line of [...notes, ...failures]) console.log(line);
      return failures.length;
    },
  };
}
