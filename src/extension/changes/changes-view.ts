import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from '../lifecycle';
import { Commands, ContextKeys, StorageKeys, Views } from '../ids';
import { type RunSession } from '../run-session';
import { type FileChange, type ChangeStatus } from '../../git/changes';
import { statusLabel } from '../../core/file-change';
import { buildTree, filesUnder, type ChangeFilter, type FolderNode, type SortOrder, type TreeNode } from '../../core/change-tree';
import { ViewedStore } from './viewed-store';

const STATUS_ICON: Record<ChangeStatus, string> = {
  added: 'diff-added', deleted: 'diff-removed', modified: 'diff-modified', renamed: 'diff-renamed', copied: 'diff-added',
  'type-changed': 'diff-modified',
};

/**
 * Up to this many changed files, every folder starts expanded. Above it they start collapsed: VS Code fetches the rows
 * of every expanded folder at once: on a run of 27,280 changed files the extension host's peak grew by 320 MiB with
 * them all expanded and by 128 MiB with them collapsed, and the workbench was busy for seconds, for rows no one reads
 * in one go.
 */
export const EXPAND_FOLDERS_UP_TO = 2000;

/** The Changes view: every changed file by folder, with viewed checkboxes kept per run and per file content. */
export class ChangesView extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;
  private root: FolderNode | undefined;
  private parents = new Map<string, FolderNode>();
  private viewed: ViewedStore | undefined;
  /** The file last opened from this view (next/previous unviewed start from it). */
  private cursor: string | undefined;
  /** Start-up work (reopening the last run) still running: the first fetch of the root waits for it. */
  private starting: Promise<unknown> | undefined;
  /** A fetch of the root that is waiting for start-up; it answers with the newest tree, so no change event is needed. */
  private rootPending = false;
  /**
   * Whether VS Code has had the root since the view was created. Before that no change event is sent: the first fetch
   * answers with the newest tree. An event then would make VS Code drop the elements it is resolving: after a window
   * reload it asks for the children of the folders it restores as expanded, and a refresh arriving meanwhile answers
   * them with nothing ("No tree item with id …") and leaves those folders expanded and empty.
   */
  private rootFetched = false;

  constructor(
    private readonly session: RunSession,
    private readonly memento: vscode.Memento,
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(Views.changes, {
      treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: true,
    }));
    this._register(this.view.onDidChangeCheckboxState(e => void this.onCheckboxes(e)));
    this._register(session.onDidChange(() => this.reload()));
    this.reload();
  }

  /**
   * The view answers its first fetch once `startup` settles. Without this the view shows an empty tree, then a full one
   * whose restored expanded folders VS Code asks children for while the start-up refresh is still on its way: on a loaded
   * machine that race now and then left folders expanded with no children after a window reload.
   */
  waitFor(startup: Promise<unknown>): void {
    const starting = startup.catch(() => undefined).finally(() => {
      if (this.starting === starting) this.starting = undefined;
    });
    this.starting = starting;
  }

  get filter(): ChangeFilter {
    return this.memento.get<ChangeFilter>(StorageKeys.changesFilter) ?? {};
  }

  get sort(): SortOrder {
    return this.memento.get<SortOrder>(StorageKeys.changesSort) ?? 'path';
  }

  async setFilter(filter: ChangeFilter): Promise<void> {
    await this.memento.update(StorageKeys.changesFilter, filter);
    this.reload();
  }

  async setSort(order: SortOrder): Promise<void> {
    await this.memento.update(StorageKeys.changesSort, order);
    this.reload();
  }

  /** The files as the view shows them (filtered, sorted), top to bottom. */
  visibleFiles(): FileChange[] {
    return this.root ? filesUnder(this.root) : [];
  }

  isViewed(c: FileChange): boolean {
    return this.viewed?.isViewed(c) ?? false;
  }

  async setViewed(changes: readonly FileChange[], viewed: boolean): Promise<void> {
    await this.viewed?.set(changes, viewed);
    this.refresh(this.affected(changes.map(c => c.path)));
  }

  /** The next (or previous) unviewed file after the last one opened, wrapping around; undefined when all are viewed. */
  nextUnviewed(direction: 1 | -1): FileChange | undefined {
    const files = this.visibleFiles();
    if (files.length === 0) return undefined;
    const at = this.cursor === undefined ? (direction === 1 ? -1 : files.length) : files.findIndex(f => f.path === this.cursor);
    for (let step = 1; step <= files.length; step++) {
      const i = (((at + direction * step) % files.length) + files.length) % files.length;
      const f = files[i];
      if (f && !this.isViewed(f)) return f;
    }
    return undefined;
  }

  async reveal(c: FileChange): Promise<void> {
    this.cursor = c.path;
    const node = this.findNode(c.path);
    if (node && this.view.visible) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  noteOpened(c: FileChange): void {
    this.cursor = c.path;
  }

  /**
   * The rows a change of these files' viewed marks redraws: each file's row and its folders' (their counts and boxes).
   * Undefined (the whole tree) when one of them is not in the tree shown.
   */
  private affected(paths: readonly string[]): TreeNode[] | undefined {
    const rows = new Map<string, TreeNode>();
    for (const p of paths) {
      let node = this.findNode(p);
      if (!node) return undefined;
      while (node && !rows.has(node.id)) {
        rows.set(node.id, node);
        node = this.getParent(node);
      }
    }
    return [...rows.values()];
  }

  private findNode(p: string): TreeNode | undefined {
    const walk = (n: FolderNode): TreeNode | undefined => {
      for (const c of n.children) {
        if (c.kind === 'file' && c.change.path === p) return c;
        if (c.kind === 'folder' && (p === c.path || p.startsWith(c.path + '/'))) return walk(c);
      }
      return undefined;
    };
    return this.root ? walk(this.root) : undefined;
  }

  private reload(): void {
    const review = this.session.review;
    this.viewed = review ? new ViewedStore(this.memento, `${review.run.root}#${review.run.runId}`) : undefined;
    this.root = review ? buildTree(review.changes, this.filter, this.sort) : undefined;
    this.parents = new Map();
    const index = (n: FolderNode) => {
      for (const c of n.children) {
        this.parents.set(c.id, n);
        if (c.kind === 'folder') index(c);
      }
    };
    if (this.root) index(this.root);
    this.refresh();
  }

  /** Sets the title's count and the message, and redraws `rows` (every row when undefined). */
  private refresh(rows?: TreeNode[]): void {
    const all = this.session.review?.changes ?? [];
    const viewed = this.viewed?.count(all) ?? 0;
    this.view.description = this.session.review ? `${viewed} of ${all.length} viewed` : undefined;
    const f = this.filter;
    const shown = this.root?.files ?? 0;
    const filtered = (f.statuses?.length ?? 0) > 0 || !!f.glob;
    const notes = [
      filtered ? `Showing ${shown} of ${all.length} files (${[f.statuses?.join(', '), f.glob].filter(Boolean).join('; ')}).` : '',
      this.session.review && all.length === 0 ? 'The run does not change any file.' : '',
      this.session.review?.renameLimitHit ? 'Too many files for git\'s rename detection: renamed files with edits show as deleted and added.' : '',
    ].filter(Boolean);
    this.view.message = notes.length > 0 ? notes.join(' ') : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.changesFiltered, filtered);
    if (!this.rootFetched || this.rootPending || rows?.length === 0) return;
    this.changed.fire(rows);
  }

  private async onCheckboxes(e: vscode.TreeCheckboxChangeEvent<TreeNode>): Promise<void> {
    const paths: string[] = [];
    for (const [node, state] of e.items) {
      const files = filesUnder(node);
      await this.viewed?.set(files, state === vscode.TreeItemCheckboxState.Checked);
      paths.push(...files.map(f => f.path));
    }
    this.refresh(this.affected(paths));
  }

  getChildren(element?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!element) this.rootFetched = true;
    if (!element && this.starting) {
      const starting = this.starting;
      this.rootPending = true;
      return starting.then(() => {
        this.rootPending = false;
        return this.root?.children ?? [];
      });
    }
    if (!this.root) return [];
    if (!element) return this.root.children;
    return element.kind === 'folder' ? element.children : [];
  }

  getParent(element: TreeNode): TreeNode | undefined {
    const p = this.parents.get(element.id);
    return p === this.root ? undefined : p;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const review = this.session.review;
    if (node.kind === 'folder') {
      const files = filesUnder(node);
      const seen = files.filter(f => this.isViewed(f)).length;
      const expanded = (review?.changes.length ?? 0) <= EXPAND_FOLDERS_UP_TO;
      const item = new vscode.TreeItem(node.name, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.description = `${node.files} ${node.files === 1 ? 'file' : 'files'}  +${node.additions} −${node.deletions}${seen ? `  ${seen}/${files.length} viewed` : ''}`;
      item.iconPath = vscode.ThemeIcon.Folder;
      if (review) item.resourceUri = vscode.Uri.file(path.join(review.run.root, node.path));
      item.checkboxState = { state: seen === files.length ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: `Mark all ${files.length} files in ${node.path} as viewed` };
      item.contextValue = 'folder';
      return item;
    }
    const c = node.change;
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `${statusLabel(c)}${c.oldPath && c.oldPath !== c.path ? `  ← ${c.oldPath}` : ''}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${c.path}\n${c.status}${c.oldPath ? ` from ${c.oldPath}` : ''}\n${statusLabel(c)}`);
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[c.status]);
    if (review) item.resourceUri = vscode.Uri.file(path.join(review.run.root, c.path));
    item.checkboxState = { state: this.isViewed(c) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
      tooltip: 'Viewed' };
    item.command = { command: Commands.openChange, title: 'Open Diff', arguments: [c] };
    item.contextValue = `file.${c.status}`;
    item.accessibilityInformation = { label: `${c.path}, ${c.status}, ${statusLabel(c)}${this.isViewed(c) ? ', viewed' : ''}` };
    return item;
  }
}
