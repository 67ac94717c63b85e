import { type ReviewSide } from '../core/review';
import { type SizedFile } from '../core/size-summary';
import { type ReviewWorkspace } from './review-workspace';

/** git's well-known empty tree (SHA-1, and SHA-256): every file of a tree shows as added against it, with its line count. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const EMPTY_TREE_SHA256 = '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321';

/**
 * Every file (and link) of one side with its size, from the side's tree reader listing (the one every other read of
 * the side shares), and its line count from git's numstat against the empty tree (undefined for binary files).
 * Submodules are left out.
 */
export async function treeFiles(ws: ReviewWorkspace, side: ReviewSide): Promise<SizedFile[]> {
  const tree = side === 'baseline' ? ws.baselineTree : ws.headTree;
  const [listing, numstat] = await Promise.all([
    ws.reader(side).list(),
    ws.text(['diff-tree', '-r', '-z', '--numstat', '--no-renames', tree.length === 64 ? EMPTY_TREE_SHA256 : EMPTY_TREE, tree]),
  ]);
  const lines = new Map<string, number | undefined>();
  for (const rec of numstat.split('\0')) {
    const m = /^(-|\d+)\t(?:-|\d+)\t([\s\S]*)$/.exec(rec);
    if (m?.[1] !== undefined && m[2] !== undefined) lines.set(m[2], m[1] === '-' ? undefined : Number(m[1]));
  }
  return listing.filter(e => e.kind !== 'submodule').map(e => ({ path: e.path, bytes: e.size, lines: lines.get(e.path) }));
}
