import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SebError } from '../core/errors';
import { type RubricResolver } from '../core/attestation';
import { rubricResolver as resolverOf } from '../core/rubric-files';
export { loadRubricFile } from '../core/rubric-files';
import { packagedRubricDir } from './args';

export { parseOrUsage } from './args';

export { readInput, readJsonText, readText } from './input';

/** Writes a file that must not exist yet (never overwrites a key or a signed worksheet). */
export function writeNew(file: string, text: string, mode = 0o644): void {
  try {
    writeFileSync(file, text, { flag: 'wx', mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SebError('bad-manifest', `${file} already exists; it is left as it is (remove it or choose another --out)`, file);
    throw new SebError('bad-manifest', `${file} cannot be written (${code ?? String(e)})`, file);
  }
}

/** Replaces a file atomically: a temporary file beside it, then a rename. */
export function replaceFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new SebError('bad-manifest', `${file} cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
}

/** Finds rubrics among `explicit` files, then the packaged ones (core/rubric-files.ts). */
export function rubricResolver(explicit: readonly string[], packagedDir: string | undefined = packagedRubricDir()): RubricResolver {
  return resolverOf(explicit, packagedDir);
}

export { packagedRubricDir } from './args';

export interface RunTrees {
  runId: string;
  /** The baseline's tree and the run's tree as it is now. */
  baseline: string;
  run: string;
  /** The baseline commit and the run's head commit. */
  commits: { baseline: string; head: string };
  /** The folders of the run's tree and of the baseline's (the run's own when the baseline is a commit of it). */
  roots: { run: string; baseline: string };
}

/**
 * The run's baseline tree and its tree as it is now (uncommitted changes included), and both commits, without writing
 * to it. git (and the run manifest's schema) is loaded only here, for --run: the packaged command line keeps it in
 * dist/cli-run-trees.js, so verifying or signing a worksheet alone never loads it (see scripts/build.mjs).
 */
export async function runTrees(dir: string, baseline: string | undefined): Promise<RunTrees> {
  return (await import('./run-trees.js')).openRunTrees(dir, baseline);
}
