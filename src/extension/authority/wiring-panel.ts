import * as vscode from 'vscode';
import { WebviewTypes } from '../ids';
import { type Log } from '../log';
import { WebviewPanelBase } from '../webview-base';
import { type AuthorityStore } from './authority-store';
import { openAt, wiringText } from './authority-view';
import { categoryTitle } from '../../core/authority/wiring';
import { Wiring, WiringScope, type WiringModel, type WiringSideModel } from '../../protocol/webview/wiring';
import type { SideSummary } from '../../protocol/server/authority';

function sideModel(s: SideSummary): WiringSideModel {
  return { rows: s.matrix.map(r => ({ category: r.category, title: categoryTitle(r.category), counts: r.counts })), total: s.total };
}

/** What the page shows, from the store's summary (pure apart from the store). */
export function wiringModel(store: AuthorityStore): WiringModel {
  const s = store.summary;
  const st = store.status;
  if (!s || !store.ready) return { message: st.message, authority: [] };
  return {
    ...(st.runId !== undefined ? { runId: st.runId } : {}),
    message: st.message,
    authority: s.run.authority.map(a => ({ name: a.name, found: a.found, ...(a.file !== undefined ? { where: `${a.file}:${a.line ?? 1}` } : {}) })),
    run: sideModel(s.run),
    baseline: sideModel(s.baseline),
  };
}

/**
 * The wiring matrix: the one-glance answer to "do REST, agent, WebSocket and mark writes all pass through the same
 * authority?". A cell opens a list of its entry points; choosing one opens its registration.
 */
export class WiringPanel extends WebviewPanelBase {
  constructor(extensionUri: vscode.Uri, private readonly store: AuthorityStore, log: Log) {
    super(extensionUri, log, { viewType: WebviewTypes.wiring, scope: WiringScope, label: 'Wiring Matrix', script: 'wiring', style: 'wiring', libraryStyles: ['codicon'] });
    this.on(Wiring.openCell, p => void this.openCell(p.side, p.category, p.wiring));
    this._register(store.onDidChange(() => this.update()));
  }

  show(): void {
    const title = this.store.status.runId ? `Wiring: ${this.store.status.runId}` : 'Wiring Matrix';
    if (!this.openPanel(title)) this.update();
  }

  protected onPageReady(): void {
    this.update();
  }

  private update(): void {
    if (!this.panel) return;
    if (this.store.status.runId) this.panel.title = `Wiring: ${this.store.status.runId}`;
    this.notify(Wiring.show, wiringModel(this.store));
  }

  private async openCell(side: 'run' | 'baseline', category: string, wiring: string): Promise<void> {
    if (!this.store.ready) return;
    const list = (await this.store.entries(side, wiring === 'dead' ? 'dead' : category)).filter(e => e.wiring === wiring && e.category === category);
    if (list.length === 0) return;
    const picked = await vscode.window.showQuickPick(
      list.map(e => ({ label: e.label, description: `${e.file}:${e.line}`, detail: wiringText(e), entry: e })),
      { title: `${categoryTitle(category)} · ${wiring} (${side})`, matchOnDescription: true },
    );
    if (!picked) return;
    const cmd = openAt(side, picked.entry.file, picked.entry.line);
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
  }
}
