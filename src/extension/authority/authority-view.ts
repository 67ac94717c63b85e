import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { Commands, Views } from '../ids';
import { type AuthorityStore } from './authority-store';
import { categoryTitle } from '../../core/authority/wiring';
import type { EntryItem, FateItem, MatrixRow, SideName, WiringKind, WitnessStep, WriteRef } from '../../protocol/server/authority';

/**
 * The Authority view: the run's entry points by category (each with its paths, whether it passes the declared
 * authority, the writes it reaches and, expanded, the witness path to each), the dead ones apart, and the baseline's
 * entry points by fate with links to the baseline code and its run counterpart. Strings from the reviewed repository
 * are shown as labels and plain-text tooltips, never as markup.
 */

export type AuthorityNode =
  | { kind: 'message'; text: string; icon: string; command?: vscode.Command }
  | { kind: 'section'; id: 'wiring' | 'entries' | 'dead' | 'fates'; label: string; count?: number }
  | { kind: 'matrix'; row: MatrixRow }
  | { kind: 'category'; side: SideName; category: string; count: number }
  | { kind: 'entry'; entry: EntryItem; parent: string }
  | { kind: 'write'; entry: EntryItem; write: WriteRef; parent: string }
  | { kind: 'step'; step: WitnessStep; index: number; side: SideName; last: boolean; bypass: boolean; parent: string; route: string }
  | { kind: 'fateGroup'; fate: string; count: number }
  | { kind: 'fate'; item: FateItem }
  | { kind: 'fateLink'; item: FateItem; side: SideName; file: string; line: number; label: string; description: string }
  | { kind: 'fateWrites'; item: FateItem; lost: boolean };

const FATE_ORDER = ['deleted', 'unreachable', 'hollowed', 'renamed', 'moved', 'kept'];
const FATE_TEXT: Record<string, string> = {
  deleted: 'Deleted', unreachable: 'Still in the code, unreachable', hollowed: 'Hollowed (kept, lost writes)', renamed: 'Renamed',
  moved: 'Moved', kept: 'Kept',
};

export function wiringIcon(w: WiringKind): vscode.ThemeIcon {
  switch (w) {
    case 'through': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'bypassing': return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'unchecked': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'no-write': return new vscode.ThemeIcon('circle-outline');
    case 'dead': return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  }
}

/** The entry point's wiring in words: what the icon says, for the description and screen readers. */
export function wiringText(e: EntryItem): string {
  const n = e.writes.length + (e.writesOmitted ?? 0);
  const writes = `${n} write${n === 1 ? '' : 's'}`;
  switch (e.wiring) {
    case 'through': return `reaches ${writes}${e.via.length > 0 ? ` · via ${e.via.join(', ')}` : ' · through the authority'}`;
    case 'bypassing': {
      const b = e.writes.filter(w => w.bypass).length;
      return `bypasses the authority · ${b} of ${writes}`;
    }
    case 'unchecked': return `reaches ${writes} · no authority declared`;
    case 'no-write': return 'no write';
    case 'dead': return `dead: ${e.why}`;
  }
}

function matrixText(r: MatrixRow): string {
  const c = r.counts;
  const parts = [`${c.through} through`, `${c.bypassing} bypassing`];
  if (c.unchecked > 0) parts.push(`${c.unchecked} unchecked`);
  parts.push(`${c['no-write']} no write`);
  if (c.dead > 0) parts.push(`${c.dead} dead`);
  return parts.join(' · ');
}

function matrixIcon(r: MatrixRow): vscode.ThemeIcon {
  const c = r.counts;
  if (c.bypassing > 0) return wiringIcon('bypassing');
  if (c.unchecked > 0) return wiringIcon('unchecked');
  if (c.through > 0) return wiringIcon('through');
  return wiringIcon('no-write');
}

export function openAt(side: SideName, file: string, line: number, endLine?: number): vscode.Command {
  return { command: Commands.openFindingLocation, title: 'Open', arguments: [{ side, path: file, line, ...(endLine !== undefined ? { endLine } : {}) }] };
}

export class AuthorityView extends Disposable implements vscode.TreeDataProvider<AuthorityNode> {
  private readonly changed = this._register(new vscode.EventEmitter<AuthorityNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<AuthorityNode>;
  /** Whether VS Code has had the root: before that a refresh is not sent (see ChangesView.rootFetched). */
  private rootFetched = false;

  constructor(private readonly store: AuthorityStore) {
    super();
    this.view = this._register(vscode.window.createTreeView(Views.authority, { treeDataProvider: this, showCollapseAll: true }));
    this._register(store.onDidChange(() => this.refresh()));
    this.refresh();
  }

  private refresh(): void {
    const s = this.store.summary;
    const st = this.store.status;
    this.view.description = s ? `${s.run.entryPoints} entry points · ${s.run.total.bypassing} bypassing` : st.state === 'analysing' ? 'analysing…' : undefined;
    this.view.message = st.treeMismatch;
    if (this.rootFetched) this.changed.fire(undefined);
  }

  async getChildren(node?: AuthorityNode): Promise<AuthorityNode[]> {
    const s = this.store.summary;
    if (!node) {
      this.rootFetched = true;
      const st = this.store.status;
      if (!s || !this.store.ready) {
        if (st.state === 'failed') return [{ kind: 'message', text: st.message, icon: 'error', command: { command: Commands.showLog, title: 'Show Log' } }];
        if (st.state === 'analysing') return [{ kind: 'message', text: st.message, icon: 'sync~spin' }];
        if (st.state === 'cancelled') return [{ kind: 'message', text: st.message, icon: 'debug-stop', command: { command: Commands.refreshAuthority, title: 'Analyse Again' } }];
        return [];
      }
      const deadCount = s.run.total.dead;
      return [
        { kind: 'section', id: 'wiring', label: 'Wiring of the run' },
        { kind: 'section', id: 'entries', label: 'Entry points of the run', count: s.run.entryPoints - deadCount },
        ...(deadCount > 0 ? [{ kind: 'section' as const, id: 'dead' as const, label: 'Dead entry points of the run', count: deadCount }] : []),
        { kind: 'section', id: 'fates', label: 'Baseline entry points by fate', count: s.baseline.entryPoints },
      ];
    }
    switch (node.kind) {
      case 'section':
        if (!s) return [];
        if (node.id === 'wiring') return s.run.matrix.map(row => ({ kind: 'matrix', row }));
        if (node.id === 'entries') {
          return s.run.matrix.map(r => ({ kind: 'category' as const, side: 'run' as const, category: r.category, count: r.counts.through + r.counts.bypassing + r.counts.unchecked + r.counts['no-write'] }))
            .filter(c => c.count > 0);
        }
        if (node.id === 'dead') return (await this.store.entries('run', 'dead')).map(entry => ({ kind: 'entry', entry, parent: 'dead' }));
        return this.fateGroups();
      case 'category':
        return (await this.store.entries(node.side, node.category)).map(entry => ({ kind: 'entry', entry, parent: node.category }));
      case 'entry':
        return node.entry.writes.map(write => ({ kind: 'write', entry: node.entry, write, parent: `${node.parent}/${node.entry.id}` }));
      case 'write': {
        const w = await this.store.witness(node.entry.side, node.entry.id, node.write.id);
        if ('reason' in w) return [{ kind: 'message', text: w.reason, icon: 'info' }];
        const parent = `${node.parent}/${node.write.id}`;
        const route = `${node.entry.label} → ${node.write.kind} ${node.write.target}`;
        return w.steps.map((step, index) => ({ kind: 'step', step, index, side: node.entry.side, last: index === w.steps.length - 1, bypass: w.bypass, parent, route }));
      }
      case 'fateGroup':
        return (await this.store.fates()).filter(f => f.fate === node.fate).map(item => ({ kind: 'fate', item }));
      case 'fate': {
        const f = node.item;
        const out: AuthorityNode[] = [{ kind: 'fateLink', item: f, side: 'baseline', file: f.baseline.file, line: f.baseline.line, label: 'Baseline', description: `${f.baseline.file}:${f.baseline.line} · ${f.baseline.handler.name}` }];
        for (const r of f.run) out.push({ kind: 'fateLink', item: f, side: 'run', file: r.file, line: r.line, label: `Run: ${r.label}`, description: `${r.file}:${r.line} · ${r.handler.name}` });
        if (f.lostWrites.length > 0) out.push({ kind: 'fateWrites', item: f, lost: true });
        if (f.gainedWrites.length > 0) out.push({ kind: 'fateWrites', item: f, lost: false });
        return out;
      }
      default:
        return [];
    }
  }

  private async fateGroups(): Promise<AuthorityNode[]> {
    const fates = await this.store.fates();
    const counts = new Map<string, number>();
    for (const f of fates) counts.set(f.fate, (counts.get(f.fate) ?? 0) + 1);
    return [...counts.keys()].sort((a, b) => FATE_ORDER.indexOf(a) - FATE_ORDER.indexOf(b)).map(fate => ({ kind: 'fateGroup', fate, count: counts.get(fate) ?? 0 }));
  }

  getTreeItem(node: AuthorityNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.command) item.command = node.command;
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, node.id === 'dead' ? C.Collapsed : C.Expanded);
        item.id = `section/${node.id}`;
        if (node.count !== undefined) item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon({ wiring: 'shield', entries: 'symbol-event', dead: 'circle-slash', fates: 'history' }[node.id]);
        return item;
      }
      case 'matrix': {
        const item = new vscode.TreeItem(categoryTitle(node.row.category), C.None);
        item.id = `matrix/${node.row.category}`;
        item.description = matrixText(node.row);
        item.iconPath = matrixIcon(node.row);
        item.tooltip = `${categoryTitle(node.row.category)}: ${matrixText(node.row)}`;
        item.accessibilityInformation = { label: `${categoryTitle(node.row.category)}: ${matrixText(node.row)}` };
        item.command = { command: Commands.showWiringMatrix, title: 'Show Wiring Matrix' };
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(categoryTitle(node.category), C.Collapsed);
        item.id = `cat/${node.side}/${node.category}`;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        return item;
      }
      case 'entry': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.label, e.writes.length > 0 ? C.Collapsed : C.None);
        item.id = `entry/${node.parent}/${e.id}`;
        item.description = wiringText(e);
        item.iconPath = wiringIcon(e.wiring);
        const tip = [e.label, ...e.paths.slice(1).map(p => `also ${p}`), `registered at ${e.file}:${e.line}`, `handler ${e.handler.name} (${e.handler.file}:${e.handler.line})`, wiringText(e)];
        if (!e.reachable) tip.push(e.why);
        item.tooltip = tip.join('\n');
        item.accessibilityInformation = { label: `${e.label}, ${wiringText(e)}` };
        item.command = openAt(e.side, e.file, e.line);
        item.contextValue = 'finding.entry';
        return item;
      }
      case 'write': {
        const w = node.write;
        const item = new vscode.TreeItem(`${w.kind} ${w.target}`, C.Collapsed);
        item.id = `write/${node.parent}/${w.id}`;
        item.description = `${w.bypass ? 'without the authority · ' : ''}${w.file}:${w.line} in ${w.function}`;
        item.iconPath = w.bypass ? wiringIcon('bypassing') : new vscode.ThemeIcon('database');
        item.tooltip = `${w.kind} write to ${w.target}\n${w.file}:${w.line} in ${w.function}\n${w.bypass ? 'reached without passing the declared authority' : 'reached through the declared authority (or no authority declared)'}\nExpand for the witness path.`;
        item.command = openAt(node.entry.side, w.file, w.line);
        item.contextValue = 'finding.write';
        return item;
      }
      case 'step': {
        const st = node.step;
        const item = new vscode.TreeItem(`${node.index + 1}. ${st.name}`, C.None);
        item.id = `step/${node.parent}/${node.index}`;
        item.description = `${st.file}:${st.line}${st.via ? ` · ${st.via}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.last ? (node.bypass ? 'error' : 'database') : node.index === 0 ? 'symbol-event' : 'arrow-small-down');
        item.command = openAt(node.side, st.file, st.line);
        item.contextValue = 'finding.step';
        return item;
      }
      case 'fateGroup': {
        const item = new vscode.TreeItem(FATE_TEXT[node.fate] ?? node.fate, node.fate === 'kept' ? C.Collapsed : C.Expanded);
        item.id = `fate/${node.fate}`;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon(
          { deleted: 'trash', unreachable: 'circle-slash', hollowed: 'warning', renamed: 'symbol-key', moved: 'move', kept: 'check' }[node.fate] ?? 'circle-outline',
          node.fate === 'deleted' || node.fate === 'kept' ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'),
        );
        return item;
      }
      case 'fate': {
        const f = node.item;
        const item = new vscode.TreeItem(f.baseline.label, C.Collapsed);
        item.id = `fate/${f.fate}/${f.baseline.id}`;
        item.description = `${f.wrote ? `wrote ${f.baseline.writes} · ` : ''}${f.note}`;
        item.tooltip = `${f.baseline.label} (${f.baseline.category})\nbaseline ${f.baseline.file}:${f.baseline.line}\n${f.fate}: ${f.note}`;
        item.iconPath = new vscode.ThemeIcon(f.wrote ? 'database' : 'symbol-event');
        item.command = openAt('baseline', f.baseline.file, f.baseline.line);
        item.contextValue = 'finding.fate';
        return item;
      }
      case 'fateLink': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.id = `fatelink/${node.item.baseline.id}/${node.side}/${node.file}:${node.line}`;
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.side === 'baseline' ? 'history' : 'go-to-file');
        item.command = openAt(node.side, node.file, node.line);
        item.contextValue = `finding.fateLink.${node.side}`;
        return item;
      }
      case 'fateWrites': {
        const list = node.lost ? node.item.lostWrites : node.item.gainedWrites;
        const item = new vscode.TreeItem(node.lost ? 'Lost writes' : 'Gained writes', C.None);
        item.id = `fatewrites/${node.item.baseline.id}/${node.lost ? 'lost' : 'gained'}`;
        item.description = list.map(w => `${w.kind} ${w.target}`).join(', ');
        item.iconPath = new vscode.ThemeIcon(node.lost ? 'remove' : 'add');
        return item;
      }
    }
  }
}
