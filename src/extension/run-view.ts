import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from './lifecycle';
import { type RunSession } from './run-session';
import { type ResolvedRun } from '../core/run';
import { type SizeSummary } from '../core/size-summary';
import { type Log } from './log';

const n = (x: number) => x.toLocaleString('en-US');
const signed = (x: number) => (x > 0 ? `+${n(x)}` : x < 0 ? `−${n(-x)}` : '±0');

/** The size summary as rows: the evidence behind "simplification outcome". */
export function sizeItems(s: SizeSummary): RunItem {
  const langs: RunItem[] = s.languages.map(l => ({
    id: `size:lang:${l.language}`, label: l.language, icon: 'symbol-file',
    description: `${n(l.baselineLines)} → ${n(l.runLines)} lines (${signed(l.runLines - l.baselineLines)}), ${l.baselineFiles} → ${l.runFiles} files`,
  }));
  const largest = (side: 'baseline' | 'run', files: SizeSummary['largestRun']): RunItem => ({
    id: `size:largest:${side}`, label: `Largest in the ${side}`, icon: 'list-ordered',
    children: files.map((f, i) => ({ id: `size:largest:${side}:${i}`, label: f.path, icon: 'file',
      description: f.lines === undefined ? `binary, ${n(f.bytes)} bytes` : `${n(f.lines)} lines` })),
  });
  return {
    id: 'size', label: 'Size', icon: 'graph',
    description: `${n(s.baseline.lines)} → ${n(s.run.lines)} lines (${signed(s.netLines)})`,
    tooltip: `Lines of text in every file of each tree (binary files excluded).\nBaseline: ${n(s.baseline.files)} files, ${n(s.baseline.lines)} lines\nRun: ${n(s.run.files)} files, ${n(s.run.lines)} lines`,
    children: [
      { id: 'size:lines', label: 'Lines', icon: 'symbol-number', description: `${n(s.baseline.lines)} → ${n(s.run.lines)} (${signed(s.netLines)})` },
      { id: 'size:files', label: 'Files', icon: 'files',
        description: `${n(s.baseline.files)} → ${n(s.run.files)}: ${n(s.filesAdded)} added, ${n(s.filesDeleted)} deleted` },
      { id: 'size:languages', label: 'By language', icon: 'symbol-namespace', children: langs },
      largest('baseline', s.largestBaseline),
      largest('run', s.largestRun),
    ],
  };
}

export type RunItem = {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  open?: vscode.Uri;
  children?: RunItem[];
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
  private sizes: SizeSummary | undefined;

  constructor(
    private readonly session: RunSession,
    private readonly log: Log,
  ) {
    super();
    this._register(session.onDidChange(() => this.reload()));
  }

  private reload(): void {
    this.sizes = undefined;
    this.changed.fire();
    const review = this.session.review;
    if (!review) return;
    const t0 = Date.now();
    review.sizes().then(s => {
      if (this.session.review !== review) return;
      this.sizes = s;
      this.log.info(`size summary of ${review.run.runId} in ${Date.now() - t0} ms`);
      this.changed.fire();
    }, (e: unknown) => this.log.error(`the size summary of ${review.run.runId} failed`, e));
  }

  getChildren(element?: RunItem): RunItem[] {
    if (element) return element.children ?? [];
    const run = this.session.current;
    if (!run) return [];
    const items = runItems(run);
    items.push(this.sizes ? sizeItems(this.sizes) : { id: 'size', label: 'Size', description: 'counting lines…', icon: 'loading~spin' });
    return items;
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    const state = item.children ? (item.id === 'size' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None;
    const t = new vscode.TreeItem(item.label, state);
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
