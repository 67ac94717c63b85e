import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The first file called `name` under `dir`. */
function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    } else if (entry === name) return p;
  }
  return undefined;
}

/** What SEB Review (or the extension with log channel `channel`) wrote to its log so far, under a code-server state folder ('' before it wrote anything). */
export function extensionLog(stateDir: string, channel = 'SEB Review'): string {
  const log = findFile(stateDir, `${channel}.log`);
  return log ? readFileSync(log, 'utf8') : '';
}
