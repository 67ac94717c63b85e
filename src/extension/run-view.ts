import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from './lifecycle';
import { type RunSession } from './run-session';
import { type ResolvedRun } from '../git/resolve-run';

export type RunItem = {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  open?: vscode.Uri;
};

const short = (sha: string) => sha.slice(0, 8);

/** The rows of the Run view, derived from the resolved run. Pure apart from building file URIs. */
export function runItems(run: ResolvedRun): RunItem[] {
  const items: RunItem[] = [];
  const fileUri = (rel: string) => vscode.Uri.file(path.join(run.root, rel));
  items.push({
    id: 'run',
    label: run.runId,
    description: run.root,
    tooltip: `Run ${run.runId}\n${run.root}`,
    icon: 'repo',
  });
  const b = run.baseline;
  const bSource =
    b.source.kind === 'manifest-ref' ? `${b.source.ref} (seb-run.json)`
    : b.source.kind === 'manifest-path' ? `checkout ${b.source.path} (seb-run.json)`
    : b.source.kind === 'chosen' ? `${b.source.ref} (chosen)`
    : 'root commit';
  items.push({
    id: 'baseline',
    label: `Baseline ${short(b.commit)}`,
    description: bSource,
    tooltip: `Baseline commit ${b.commit}\ntree ${b.tree}\n${b.date}\n${b.subject}\nfrom ${bSource}`,
    icon: 'git-commit',
  });
  const h = run.head;
  const hDesc =
    h.source.kind === 'manifest-ref' ? `${h.source.ref} (seb-run.json)`
    : `working tree${h.source.branch ? ` on ${h.source.branch}` : ''} at ${short(h.commit)}${h.source.dirty ? ', uncommitted changes' : ''}`;
  items.push({
    id: 'head',
    label: h.source.kind === 'working-tree' ? 'Head: working tree' : `Head ${short(h.commit)}`,
    description: hDesc,
    tooltip: `Head commit ${h.commit}\n${h.date}\n${h.subject}\n${hDesc}`,
    icon: h.source.kind === 'working-tree' ? 'files' : 'git-commit',
  });
  const m = run.manifest;
  if (m && run.manifestFile) {
    items.push({ id: 'manifest', label: 'Manifest', description: path.basename(run.manifestFile), icon: 'file-code',
      tooltip: run.manifestFile, open: vscode.Uri.file(run.manifestFile) });
    if (m.model) items.push({ id: 'model', label: 'Model', description: m.model.name, tooltip: m.model.config ?? m.model.name, icon: 'hubot' });
    if (m.benchmark) items.push({ id: 'benchmark', label: 'Benchmark', description: `${m.benchmark.name} ${m.benchmark.version}`, icon: 'law' });
    if (m.plan) items.push({ id: 'plan', label: 'Plan', description: m.plan, icon: 'book', open: fileUri(m.plan) });
    for (const [i, log] of (m.testLogs ?? []).entries()) {
      items.push({ id: `testLog:${i}`, label: 'Test log', description: log, icon: 'beaker', open: fileUri(log) });
    }
    for (const [i, a] of (m.authority ?? []).entries()) {
      items.push({ id: `authority:${i}`, label: 'Declared authority', description: `${a.symbol} in ${a.path}`, icon: 'shield',
        open: fileUri(a.path) });
    }
  } else {
    items.push({ id: 'manifest', label: 'No manifest', description: 'baseline = root commit, run id = folder name', icon: 'info' });
  }
  return items;
}

export class RunViewProvider extends Disposable implements vscode.TreeDataProvider<RunItem> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly session: RunSession) {
    super();
    this._register(session.onDidChange(() => this.changed.fire()));
  }

  getChildren(element?: RunItem): RunItem[] {
    if (element) return [];
    const run = this.session.current;
    return run ? runItems(run) : [];
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    const t = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.None);
    t.id = item.id;
    if (item.description !== undefined) t.description = item.description;
    if (item.tooltip !== undefined) t.tooltip = item.tooltip;
    t.iconPath = new vscode.ThemeIcon(item.icon);
    if (item.open) {
      t.command = { command: 'vscode.open', title: 'Open', arguments: [item.open] };
      t.resourceUri = item.open;
    }
    return t;
  }
}
