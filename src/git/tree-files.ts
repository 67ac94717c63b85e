import { type ReviewSide } from '../core/review';
import { type FileChange } from '../core/file-change';
import { type SizedFile } from '../core/size-summary';
import { type TreeEntry } from '../core/tree-read';
import { type ReviewWorkspace } from './review-workspace';

/** git's well-known empty tree (SHA-1, and SHA-256): every file of a tree shows as added against it, with its line count. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const EMPTY_TREE_SHA256 = '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321';

/** Line counts by path from `git diff-tree --numstat` against the empty tree (undefined for binary files). */
function parseAddedLines(numstat: string): Map<string, number | undefined> {
  const lines = new Map<string, number | undefined>();
  for (const rec of numstat.split('\0')) {
    const m = /^(-|\d+)\t(?:-|\d+)\t([\s\S]*)$/.exec(rec);
    if (m?.[1] !== undefined && m[2] !== undefined) lines.set(m[2], m[1] === '-' ? undefined : Number(m[1]));
  }
  return lines;
}

function emptyTreeFor(tree: string): string {
  return tree.length === 64 ? EMPTY_TREE_SHA256 : EMPTY_TREE;
}

/**
 * Every file (and link) of one side with its size, from the side's tree reader listing (the one every other read of
 * the side shares), and its line count from git's numstat against the empty tree (undefined for binary files).
 * Submodules are left out.
 */
export async function treeFiles(ws: ReviewWorkspace, side: ReviewSide): Promise<SizedFile[]> {
  const tree = side === 'baseline' ? ws.baselineTree : ws.headTree;
  const [listing, numstat] = await Promise.all([
    ws.reader(side).list(),
    ws.text(['diff-tree', '-r', '-z', '--numstat', '--no-renames', emptyTreeFor(tree), tree]),
  ]);
  const lines = parseAddedLines(numstat);
  return listing.filter(e => e.kind !== 'submodule').map(e => ({ path: e.path, bytes: e.size, lines: lines.get(e.path) }));
}

const GITLINK = '160000';

/** Above this many bytes of paths, a count names no paths and takes the whole tree (a command line has a length limit). */
const MAX_PATHSPEC_BYTES = 64 * 1024;

/**
 * Line counts of some files of a tree, by path, from git's numstat against the empty tree: naming the files when they
 * are few, else the whole tree (git then reads every blob of it, which costs less than matching thousands of paths).
 */
async function countLines(ws: ReviewWorkspace, tree: string, paths: readonly string[], files: number): Promise<Map<string, number | undefined>> {
  if (paths.length === 0) return new Map();
  const args = ['diff-tree', '-r', '-z', '--numstat', '--no-renames', emptyTreeFor(tree), tree];
  const bytes = paths.reduce((n, p) => n + Buffer.byteLength(p) + 1, 0);
  if (paths.length * 2 <= files && bytes <= MAX_PATHSPEC_BYTES) args.push('--', ...paths);
  return parseAddedLines(await ws.text(args));
}

/** A blob's line count as git's numstat gives it, undefined for a binary blob; a blob id missing here is not known yet. */
type BlobLines = Map<string, number | undefined>;

/**
 * Both sides' files with sizes and line counts, as treeFiles gives them, from git's own numbers without reading every
 * blob of both trees again: sizes from each side's tree listing (`ls-tree -l`: object headers, not contents), and line
 * counts keyed by blob id from the change listing (`changes`, git's `diff-tree -M --numstat` of the two trees, already
 * made): an added file's lines are its additions, a deleted file's its deletions, an edited file's the old count plus
 * additions minus deletions, an unchanged file's those of the same blob on the other side. git counts the rest
 * (numstat against the empty tree): the baseline's files still in the run, and what an edit cannot tell (a binary
 * side, a type change). The answer is the same as treeFiles' for both sides (test/unit/tree-files.test.ts).
 */
export async function sizedSides(ws: ReviewWorkspace, changes: readonly FileChange[]): Promise<{ baseline: SizedFile[]; run: SizedFile[] }> {
  const [baseList, runList] = await Promise.all([ws.reader('baseline').list(), ws.reader('run').list()]);
  const base = baseList.filter(e => e.kind !== 'submodule');
  const run = runList.filter(e => e.kind !== 'submodule');
  const lines: BlobLines = new Map();
  for (const c of changes) {
    if (c.status === 'added') lines.set(c.newBlob, c.binary ? undefined : c.additions);
    else if (c.status === 'deleted') lines.set(c.oldBlob, c.binary ? undefined : c.deletions);
  }
  // an edit of text gives the new blob's count from the old one's, once the old one is counted
  const edits = changes.filter(c => (c.status === 'modified' || c.status === 'renamed' || c.status === 'copied') && !c.binary
    && c.oldMode !== GITLINK && c.newMode !== GITLINK);
  const derivable = new Set([...edits.map(c => c.newBlob), ...base.flatMap(e => (e.id !== undefined ? [e.id] : []))]);
  const known = (e: TreeEntry) => e.id !== undefined && lines.has(e.id);
  const baseToCount = base.filter(e => !known(e));
  const runToCount = run.filter(e => !known(e) && (e.id === undefined || !derivable.has(e.id)));
  const [baseCounted, runCounted] = await Promise.all([
    countLines(ws, ws.baselineTree, baseToCount.map(e => e.path), base.length),
    countLines(ws, ws.headTree, runToCount.map(e => e.path), run.length),
  ]);
  for (const e of baseToCount) if (e.id !== undefined) lines.set(e.id, baseCounted.get(e.path));
  for (const c of edits) {
    const old = lines.get(c.oldBlob);
    if (old !== undefined && !lines.has(c.newBlob)) lines.set(c.newBlob, old + c.additions - c.deletions);
  }
  // whatever the edits did not tell after all (an old side git did not count, such as a submodule's) is counted now
  const asked = new Set(runToCount.map(e => e.path));
  const left = run.filter(e => !asked.has(e.path) && !runCounted.has(e.path) && !known(e));
  for (const [p, n] of await countLines(ws, ws.headTree, left.map(e => e.path), run.length)) runCounted.set(p, n);
  const sized = (e: TreeEntry, counted: Map<string, number | undefined>): SizedFile => ({
    path: e.path, bytes: e.size, lines: counted.has(e.path) ? counted.get(e.path) : e.id !== undefined ? lines.get(e.id) : undefined,
  });
  return { baseline: base.map(e => sized(e, baseCounted)), run: run.map(e => sized(e, runCounted)) };
}
