import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The repository root: the nearest folder above the bundled script whose package.json is this project's. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'seb-review') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no seb-review package.json above ${from}`);
  }
}
export const ROOT = findRoot(__dirname);
export const RESULTS = path.join(ROOT, 'test-results');
export const FIXTURES = path.join(ROOT, '.cache', 'fixtures');
export const HOST = '127.0.0.1';

export interface Tools {
  node24: string;
  codeServer: string;
  chromium: string;
}

/** Set by scripts/setup.sh. */
export function tools(): Tools {
  const node24 = process.env.NODE24;
  const codeServer = process.env.CODE_SERVER;
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!node24 || !codeServer) {
    throw new Error('NODE24 and CODE_SERVER are not set: run through `npm test` or `npm start` (scripts/setup.sh sets them)');
  }
  return { node24, codeServer, chromium };
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function elapsedSince(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}
