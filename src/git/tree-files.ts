import { type ReviewWorkspace } from './review-workspace';

/** A file of a tree with its size. `lines` is undefined for binary files. Submodules are left out. */
export interface TreeFile {
  path: string;
  bytes: number;
  lines: number | undefined;
}

/** git's well-known empty tree (SHA-1, and SHA-256): every file of a tree shows as added against it, with its line count. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const EMPTY_TREE_SHA256 = '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321';

export async function treeFiles(ws: ReviewWorkspace, tree: string): Promise<TreeFile[]> {
  const [listing, numstat] = await Promise.all([
    ws.text(['ls-tree', '-r', '-z', '-l', '--full-tree', tree]),
    ws.text(['diff-tree', '-r', '-z', '--numstat', '--no-renames', tree.length === 64 ? EMPTY_TREE_SHA256 : EMPTY_TREE, tree]),
  ]);
  const lines = new Map<string, number | undefined>();
  for (const rec of numstat.split('\0')) {
    const m = /^(-|\d+)\t(?:-|\d+)\t([\s\S]*)$/.exec(rec);
    if (m?.[1] !== undefined && m[2] !== undefined) lines.set(m[2], m[1] === '-' ? undefined : Number(m[1]));
  }
  const files: TreeFile[] = [];
  for (const rec of listing.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [, type, , size] = rec.slice(0, tab).split(/ +/);
    if (type !== 'blob') continue;
    const p = rec.slice(tab + 1);
    files.push({ path: p, bytes: Number(size), lines: lines.get(p) });
  }
  return files;
}
