import type * as vscode from 'vscode';
import { type FileChange } from '../../git/changes';

/**
 * Per-file "viewed" marks, kept per run in the workspace state and keyed by the file's content: a mark holds the
 * content id it was given for, so a file whose content changed since is no longer viewed.
 */
export function contentKey(c: FileChange): string {
  return c.status === 'deleted' ? `deleted:${c.oldBlob}` : `${c.newMode}:${c.newBlob}`;
}

export class ViewedStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly runKey: string,
  ) {}

  private get key(): string {
    return `sebReview.viewed:${this.runKey}`;
  }

  private read(): Record<string, string> {
    return this.memento.get<Record<string, string>>(this.key) ?? {};
  }

  isViewed(c: FileChange): boolean {
    return this.read()[c.path] === contentKey(c);
  }

  count(changes: readonly FileChange[]): number {
    const marks = this.read();
    return changes.filter(c => marks[c.path] === contentKey(c)).length;
  }

  async set(changes: readonly FileChange[], viewed: boolean): Promise<void> {
    const marks = new Map(Object.entries(this.read()));
    for (const c of changes) {
      if (viewed) marks.set(c.path, contentKey(c));
      else marks.delete(c.path);
    }
    await this.memento.update(this.key, Object.fromEntries(marks));
  }
}
