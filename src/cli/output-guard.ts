import { realpathSync } from 'node:fs';
import path from 'node:path';
import { isInsideTree } from '../core/attestation';
import { SebError } from '../core/errors';
import { type RunTrees } from './attestation-io';

/** The path with symbolic links resolved as far as it exists (a file about to be written does not exist yet). */
export function resolved(file: string): string {
  const tail: string[] = [];
  let dir = path.resolve(file);
  for (;;) {
    try {
      return path.join(realpathSync(dir), ...tail);
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return path.resolve(file);
      tail.unshift(path.basename(dir));
      dir = up;
    }
  }
}

/**
 * Refuses (a SebError, exit 2) to write `file` inside the tree of the run given with --run or of its baseline: that
 * would change the tree being scored. Paths are compared with symbolic links resolved. Without --run there is no run to
 * compare with.
 */
export function refuseInsideRun(file: string, trees: Pick<RunTrees, 'roots'> | undefined, what: string, option = '--out FILE'): void {
  if (trees === undefined) return;
  const target = resolved(file);
  for (const [name, root] of [['run', trees.roots.run], ['baseline', trees.roots.baseline]] as const) {
    if (isInsideTree(resolved(root), target)) {
      throw new SebError('bad-manifest',
        `${file} is inside the ${name}'s tree (${root}): ${what} there would change the tree being scored; write it outside (${option})`, file);
    }
  }
}

/** Whether `file` (links resolved) lies inside the run's or the baseline's tree. */
export function insideRun(file: string, roots: { run: string; baseline: string }): boolean {
  const target = resolved(file);
  return [roots.run, roots.baseline].some(root => isInsideTree(resolved(root), target));
}
