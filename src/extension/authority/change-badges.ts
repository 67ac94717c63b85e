import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from '../lifecycle';
import { type RunSession } from '../run-session';
import { type AuthorityStore } from './authority-store';
import { relativePathProblem } from '../../core/relative-path';
import type { FileBadge } from '../../protocol/server/authority';

/**
 * Badges on the run's files (the Changes view, and the Explorer): "E" on a file holding entry points, "W" on one holding
 * only writes, "L" on a file whose baseline entry points wrote and were deleted or left unreachable in the run (deleted
 * files included). Bypasses colour the badge as an error; the tooltip says it in words.
 */
export function badgeFor(badges: readonly FileBadge[]): vscode.FileDecoration | undefined {
  const run = badges.find(b => b.side === 'run');
  const base = badges.find(b => b.side === 'baseline');
  const parts: string[] = [];
  let badge: string | undefined;
  let color: vscode.ThemeColor | undefined;
  if (run && (run.entries > 0 || run.writes > 0)) {
    badge = run.entries > 0 ? 'E' : 'W';
    if (run.entries > 0) parts.push(`${run.entries} entry point${run.entries === 1 ? '' : 's'}${run.bypassing > 0 ? ` (${run.bypassing} bypassing the authority)` : ''}`);
    if (run.writes > 0) parts.push(`${run.writes} write${run.writes === 1 ? '' : 's'}`);
    if (run.bypassing > 0) color = new vscode.ThemeColor('list.errorForeground');
  }
  if (base && base.lostWritePaths > 0) {
    badge ??= 'L';
    parts.push(`${base.lostWritePaths} baseline write path${base.lostWritePaths === 1 ? '' : 's'} deleted or unreachable in the run`);
    color ??= new vscode.ThemeColor('list.warningForeground');
  }
  if (badge === undefined) return undefined;
  const d = new vscode.FileDecoration(badge, `Authority map: ${parts.join('; ')}`, color);
  d.propagate = false;
  return d;
}

export class ChangeBadges extends Disposable implements vscode.FileDecorationProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>());
  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly session: RunSession, private readonly store: AuthorityStore) {
    super();
    this._register(vscode.window.registerFileDecorationProvider(this));
    this._register(store.onDidChange(() => this.changed.fire(undefined)));
  }

  async provideFileDecoration(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined> {
    const review = this.session.review;
    if (uri.scheme !== 'file' || !review || !this.store.ready) return undefined;
    const rel = path.relative(review.run.root, uri.fsPath).split(path.sep).join('/');
    if (relativePathProblem(rel) !== undefined) return undefined;
    try {
      const badges = (await this.store.badges()).get(rel);
      return badges ? badgeFor(badges) : undefined;
    } catch {
      return undefined;
    }
  }
}
