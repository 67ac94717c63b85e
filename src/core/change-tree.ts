/**
 * The shape of a run's changes, as the Changes view and the overview show them: changed files grouped by folder, counts rolled up, filtered and sorted.
 * Imports no 'vscode', so it is tested in plain Node.
 */
import { type ChangeStatus, type FileChange } from './file-change';

export type SortOrder = 'path' | 'churn' | 'status';

export interface ChangeFilter {
  /** Only these statuses (all when empty or undefined). */
  statuses?: readonly ChangeStatus[];
  /** A path glob: `*` within a segment, `**` across segments, `?` one character; matched against the run-side path. */
  glob?: string;
}

export interface FileNode {
  kind: 'file';
  id: string;
  name: string;
  change: FileChange;
}

export interface FolderNode {
  kind: 'folder';
  id: string;
  /** Folder path in the run ('' for the root). */
  path: string;
  name: string;
  children: TreeNode[];
  files: number;
  additions: number;
  deletions: number;
}

export type TreeNode = FileNode | FolderNode;

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') {
      if (glob.charAt(i + 1) === '*') {
        i++;
        if (glob.charAt(i + 1) === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // a glob without a slash matches a file name anywhere, as in .gitignore
  return new RegExp(glob.includes('/') ? `^${re}$` : `(?:^|/)${re}$`);
}

export function matches(change: FileChange, filter: ChangeFilter): boolean {
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(change.status)) return false;
  if (filter.glob) {
    const re = globToRegExp(filter.glob);
    return re.test(change.path) || (change.oldPath !== undefined && re.test(change.oldPath));
  }
  return true;
}

const STATUS_ORDER: Record<ChangeStatus, number> = { added: 0, renamed: 1, copied: 2, modified: 3, 'type-changed': 4, deleted: 5 };

function compare(order: SortOrder): (a: TreeNode, b: TreeNode) => number {
  const byName = (a: TreeNode, b: TreeNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const churn = (n: TreeNode) => (n.kind === 'file' ? n.change.additions + n.change.deletions : n.additions + n.deletions);
  return (a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1; // folders first, as in the Explorer
    if (order === 'churn') return churn(b) - churn(a) || byName(a, b);
    if (order === 'status' && a.kind === 'file' && b.kind === 'file') {
      return STATUS_ORDER[a.change.status] - STATUS_ORDER[b.change.status] || byName(a, b);
    }
    return byName(a, b);
  };
}

/** Builds the folder tree of the changes that pass the filter. Returns the root folder. */
export function buildTree(changes: readonly FileChange[], filter: ChangeFilter = {}, order: SortOrder = 'path'): FolderNode {
  const root: FolderNode = { kind: 'folder', id: 'dir:', path: '', name: '', children: [], files: 0, additions: 0, deletions: 0 };
  const folders = new Map<string, FolderNode>([['', root]]);
  const folderOf = (dir: string): FolderNode => {
    const existing = folders.get(dir);
    if (existing) return existing;
    const slash = dir.lastIndexOf('/');
    const parent = folderOf(slash < 0 ? '' : dir.slice(0, slash));
    const node: FolderNode = { kind: 'folder', id: `dir:${dir}`, path: dir, name: dir.slice(slash + 1), children: [], files: 0, additions: 0, deletions: 0 };
    parent.children.push(node);
    folders.set(dir, node);
    return node;
  };
  for (const change of changes) {
    if (!matches(change, filter)) continue;
    const slash = change.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : change.path.slice(0, slash);
    folderOf(dir).children.push({ kind: 'file', id: `file:${change.path}`, name: change.path.slice(slash + 1), change });
    for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
      const f = folders.get(d);
      if (f) {
        f.files++;
        f.additions += change.additions;
        f.deletions += change.deletions;
      }
      if (d === '') break;
    }
  }
  const sortAll = (n: FolderNode) => {
    n.children.sort(compare(order));
    for (const c of n.children) if (c.kind === 'folder') sortAll(c);
  };
  sortAll(root);
  return root;
}

/** Files under a node, in display order. */
export function filesUnder(node: TreeNode): FileChange[] {
  return node.kind === 'file' ? [node.change] : node.children.flatMap(filesUnder);
}
