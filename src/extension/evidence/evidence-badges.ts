import * as vscode from 'vscode';
import path from 'node:path';
import { Disposable } from '../lifecycle';
import { type RunSession } from '../run-session';
import { type EvidenceStore } from './evidence-store';
import { relativePathProblem } from '../../core/relative-path';
import type { EvidenceFact } from '../../protocol/server/evidence';

/**
 * Badges for the evidence on the run's files (the Changes view, and the Explorer), beside the authority map's own:
 * "T" on a test file whose baseline tests were deleted or skipped, or whose new tests reach only test doubles (an
 * incident test among them colours it as a warning); "S" on a file holding stubs the run added, or named like a shim;
 * "TS" on a file with both. The tooltip says each in words. Facts at kept tests, plans and logs get no badge.
 */
export function evidenceBadge(facts: readonly EvidenceFact[]): vscode.FileDecoration | undefined {
  const tests = facts.filter(f => f.attention && (f.topic === 'incident-tests' || f.topic === 'tests' || f.topic === 'test-doubles'));
  const stubs = facts.filter(f => f.topic === 'stubs');
  if (tests.length === 0 && stubs.length === 0) return undefined;
  const parts: string[] = [];
  const incidents = tests.filter(f => f.topic === 'incident-tests').length;
  const count = (list: readonly EvidenceFact[], what: RegExp) => list.filter(f => what.test(f.text)).length;
  const say = (n: number, one: string, many: string) => (n > 0 ? [`${n} ${n === 1 ? one : many}`] : []);
  parts.push(...say(count(tests, /^Incident test deleted/), 'incident test deleted', 'incident tests deleted'));
  parts.push(...say(count(tests, /^Incident test skipped|^New incident test \(skipped/), 'incident test skipped', 'incident tests skipped'));
  parts.push(...say(count(tests, /^Baseline test deleted/), 'baseline test deleted', 'baseline tests deleted'));
  parts.push(...say(count(tests, /^Baseline test skipped|^New test skipped/), 'test skipped', 'tests skipped'));
  parts.push(...say(count(tests, /^Test file not read/), 'test file not read', 'test files not read'));
  parts.push(...say(tests.filter(f => f.topic === 'test-doubles').length, 'new test reaching only test doubles', 'new tests reaching only test doubles'));
  parts.push(...say(stubs.length, 'stub or shim', 'stubs or shims'));
  const badge = `${tests.length > 0 ? 'T' : ''}${stubs.length > 0 ? 'S' : ''}`;
  const color = incidents > 0 ? new vscode.ThemeColor('list.warningForeground') : undefined;
  const d = new vscode.FileDecoration(badge, `Evidence: ${parts.join('; ')}`, color);
  d.propagate = false;
  return d;
}

export class EvidenceBadges extends Disposable implements vscode.FileDecorationProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>());
  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly session: RunSession, private readonly store: EvidenceStore) {
    super();
    this._register(vscode.window.registerFileDecorationProvider(this));
    this._register(store.onDidChange(() => this.changed.fire(undefined)));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const review = this.session.review;
    if (uri.scheme !== 'file' || !review || this.store.state.kind !== 'ready') return undefined;
    const rel = path.relative(review.run.root, uri.fsPath).split(path.sep).join('/');
    if (relativePathProblem(rel) !== undefined) return undefined;
    const facts = this.store.byPath().get(rel);
    return facts ? evidenceBadge(facts) : undefined;
  }
}
