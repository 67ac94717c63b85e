import { createHash, randomBytes } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { AnalysisSchema, type Analysis } from '../../core/authority/analysis';
import { ANALYZER_VERSION } from './analyze';
import type { LoadedPack } from './packs';

/**
 * Finished analyses on disk, so that a grader calling the command line again on the same trees gets the answer at
 * once. A result is keyed by everything it depends on: the analyzer (its version and the exact code that runs), the
 * rule packs' digests, the declared authority and both tree ids (content addresses). A file that is not a valid
 * analysis is ignored and replaced; writing is atomic (a temporary file renamed over), and a cache that cannot be
 * written is not an error.
 */

const MAX_CACHED_BYTES = 256 * 1024 * 1024;

let codeDigest: string | undefined;

/** The digest of the code running now (this bundle): a changed analyzer never reads an older one's results. */
function runningCode(): string {
  if (codeDigest === undefined) {
    try {
      codeDigest = createHash('sha256').update(readFileSync(__filename)).digest('hex');
    } catch {
      codeDigest = `unknown-${process.pid}-${Date.now()}`;
    }
  }
  return codeDigest;
}

export function analysisKey(input: { baselineTree: string; runTree: string; packs: readonly LoadedPack[]; authority: readonly string[] }): string {
  const h = createHash('sha256');
  h.update(`${ANALYZER_VERSION}\0${runningCode()}\0${input.baselineTree}\0${input.runTree}\0`);
  for (const p of input.packs) h.update(`${p.pack.id}:${p.sha256}\0`);
  h.update('authority\0');
  for (const a of input.authority) h.update(`${a}\0`);
  return h.digest('hex');
}

/** SEB_REVIEW_CACHE_DIR, else $XDG_CACHE_HOME/seb-review/analysis, else ~/.cache/seb-review/analysis. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['SEB_REVIEW_CACHE_DIR']) return path.resolve(env['SEB_REVIEW_CACHE_DIR']);
  const base = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : (() => {
    try {
      return path.join(homedir(), '.cache');
    } catch {
      return undefined;
    }
  })();
  return base ? path.join(base, 'seb-review', 'analysis') : undefined;
}

/**
 * The result stored under `key`, or undefined. The file must be a regular file (opened without following a link and
 * without blocking: a FIFO is a miss, not a hang), a valid analysis, and say it is the answer to this key (a file
 * copied under another result's name is not used).
 */
export async function readCachedAnalysis(dir: string, key: string): Promise<Analysis | undefined> {
  let handle;
  try {
    handle = await open(path.join(dir, `${key}.json`), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_CACHED_BYTES) return undefined;
    const stored = JSON.parse(await handle.readFile('utf8')) as { key?: unknown; analysis?: unknown };
    if (stored.key !== key) return undefined;
    // checked, then used as stored (the schema's parse would reorder keys: the output must be the same bytes)
    return AnalysisSchema.safeParse(stored.analysis).success ? (stored.analysis as Analysis) : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** Stores a result; false when the cache could not be written (never an error for the caller). */
export async function writeCachedAnalysis(dir: string, key: string, analysis: Analysis): Promise<boolean> {
  const tmp = path.join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(tmp, JSON.stringify({ key, analysis }), { mode: 0o600, flag: 'wx' });
    await rename(tmp, path.join(dir, `${key}.json`));
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
