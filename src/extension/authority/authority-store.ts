import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { ContextKeys } from '../ids';
import { type Log } from '../log';
import { type ReviewClient } from '../server/review-client';
import type { Page, PageParams, Reply, RequestDef } from '../../protocol/server/defs';
import {
  AuthoritySummaryRequest, EntryPointsRequest, FatesRequest, FileBadgesRequest, FileFindingsRequest, WitnessRequest,
  type AuthoritySummary, type EntryItem, type FateItem, type FileBadge, type FileFindings, type SideName, type WitnessStep,
} from '../../protocol/server/authority';
import { type AnalysisStatus } from '../../protocol/server/review';

/** Raised when the analysis moved on while a list was being read page by page: the caller asks again. */
export class StaleAnalysis extends Error {}

/**
 * The extension host's view of the server's authority map: what the views, the annotations and the Changes view read.
 * Lists are fetched page by page and kept until the next generation; nothing here analyses anything (the analysis
 * never loads into the extension host).
 */
export class AuthorityStore extends Disposable {
  private generation = -1;
  private summary_: AuthoritySummary | undefined;
  private readonly lists = new Map<string, Promise<unknown[]>>();
  private readonly findings = new Map<string, Promise<FileFindings | undefined>>();
  private badges_: Promise<Map<string, FileBadge[]>> | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** A new generation of results (or the analysis went away): everything shown from the store is to be read again. */
  readonly onDidChange = this.changed.event;

  constructor(readonly client: ReviewClient, private readonly log: Log) {
    super();
    this._register(client.onDidChangeStatus(s => void this.statusChanged(s)));
  }

  get status(): AnalysisStatus {
    return this.client.status;
  }

  get summary(): AuthoritySummary | undefined {
    return this.summary_;
  }

  get ready(): boolean {
    return this.summary_ !== undefined && this.status.state === 'ready';
  }

  private async statusChanged(s: AnalysisStatus): Promise<void> {
    if (s.state === 'ready' && s.generation !== this.generation) {
      this.reset(s.generation);
      try {
        const reply = await this.client.request(AuthoritySummaryRequest, { generation: s.generation });
        if (this.generation !== s.generation) return;
        if (reply.ok) this.summary_ = reply.summary;
        else this.log.warn(`authority summary: ${reply.reason}`);
      } catch (e) {
        this.log.error('could not read the authority summary', e);
      }
      void vscode.commands.executeCommand('setContext', ContextKeys.analysisReady, this.summary_ !== undefined);
      this.changed.fire();
      return;
    }
    if (s.state !== 'ready' && this.summary_ !== undefined && s.generation !== this.generation) {
      this.reset(-1);
      void vscode.commands.executeCommand('setContext', ContextKeys.analysisReady, false);
    }
    this.changed.fire();
  }

  private reset(generation: number): void {
    this.generation = generation;
    this.summary_ = undefined;
    this.lists.clear();
    this.findings.clear();
    this.badges_ = undefined;
  }

  /** Every page of a paged request, as one list; StaleAnalysis when a page comes from another generation. */
  private async all<T, P extends PageParams>(def: RequestDef<P, Reply<{ page: Page<T> }>>, params: Omit<P, keyof PageParams>): Promise<T[]> {
    const generation = this.generation;
    const out: T[] = [];
    let cursor: number | undefined = 0;
    while (cursor !== undefined) {
      const reply: Reply<{ page: Page<T> }> = await this.client.request(def, { ...params, generation, cursor, limit: 200 } as unknown as P);
      if (!reply.ok) throw new Error(reply.reason);
      if (reply.page.generation !== generation || this.generation !== generation) throw new StaleAnalysis('the analysis changed');
      out.push(...reply.page.items);
      cursor = reply.page.next;
    }
    return out;
  }

  private cached<T>(key: string, load: () => Promise<T[]>): Promise<T[]> {
    let p = this.lists.get(key) as Promise<T[]> | undefined;
    if (!p) {
      p = load();
      this.lists.set(key, p);
      p.catch(() => this.lists.delete(key));
    }
    return p;
  }

  entries(side: SideName, category: string): Promise<EntryItem[]> {
    return this.cached(`entries ${side} ${category}`, () => this.all(EntryPointsRequest, { side, category }));
  }

  fates(): Promise<FateItem[]> {
    return this.cached('fates', () => this.all(FatesRequest, {}));
  }

  /** Files holding entry points or writes, by path (one badge per side). */
  badges(): Promise<Map<string, FileBadge[]>> {
    this.badges_ ??= this.all(FileBadgesRequest, {}).then(list => {
      const m = new Map<string, FileBadge[]>();
      for (const b of list) m.set(b.path, [...(m.get(b.path) ?? []), b]);
      return m;
    });
    this.badges_.catch(() => (this.badges_ = undefined));
    return this.badges_;
  }

  /** What the analysis found in one file; undefined when no analysis is ready. */
  fileFindings(side: SideName, path: string): Promise<FileFindings | undefined> {
    if (!this.ready) return Promise.resolve(undefined);
    const key = `${side}\u0000${path}`;
    let p = this.findings.get(key);
    if (!p) {
      const generation = this.generation;
      p = this.client.request(FileFindingsRequest, { generation, side, path }).then(r => {
        if (!r.ok) {
          this.log.warn(`findings for ${path}: ${r.reason}`);
          return undefined;
        }
        return r.findings.generation === this.generation ? r.findings : undefined;
      });
      this.findings.set(key, p);
      p.catch(() => this.findings.delete(key));
    }
    return p;
  }

  async witness(side: SideName, entry: string, write: string): Promise<{ steps: WitnessStep[]; bypass: boolean } | { reason: string }> {
    const r = await this.client.request(WitnessRequest, { generation: this.generation, side, entry, write });
    return r.ok ? { steps: r.steps, bypass: r.bypass } : { reason: r.reason };
  }
}
