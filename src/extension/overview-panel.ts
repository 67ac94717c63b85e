import * as vscode from 'vscode';
import { StorageKeys, WebviewTypes } from './ids';
import { type Log } from './log';
import { WebviewPanelBase } from './webview-base';
import { FIRST_PAGE_FILES, Overview, type SectionAuthority, OverviewScope, isOverviewLayout, type PatchReply } from '../protocol/webview/overview';
import { filePage, overviewFile, overviewTotals } from './overview-files';
import { type FileChange } from '../git/changes';
import { errorMessage } from '../core/errors';

export interface OverviewRun {
  runId: string;
  baselineCommit: string;
  headLabel: string;
  changes: readonly FileChange[];
}

/** What the Diff Overview shows: the open run's changed files, each file's patch, and a way to its diff editor. */
export interface OverviewSource {
  readonly onDidChange: vscode.Event<void>;
  current(): OverviewRun | undefined;
  patch(change: FileChange): Promise<string>;
  /** What the authority map says about the file, when the analysis is ready (fetched with the section's patch). */
  authority?(change: FileChange): Promise<SectionAuthority | undefined>;
  openDiff(change: FileChange): Promise<void>;
}

/** A patch text above this size is summarised too (long lines hide behind small line counts). */
export const LARGE_PATCH_BYTES = 2 * 1024 * 1024;
/** Patches read at once: the page asks for every section near the viewport together. */
const CONCURRENT_PATCHES = 4;

/** The Diff Overview editor page: the whole diff of the run against its baseline, drawn by diff2html as it scrolls. */
export class OverviewPanel extends WebviewPanelBase {
  private run: OverviewRun | undefined;
  private changes: readonly FileChange[] = [];
  /** Bumped on every new file list, so a patch read for the previous list is not sent for the new one. */
  private generation = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly firstContent = this._register(new vscode.EventEmitter<number>());
  /** The page drew its first section (ms since the page started loading). */
  readonly onDidShowFirstContent = this.firstContent.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly source: OverviewSource,
    private readonly memento: vscode.Memento,
    log: Log,
  ) {
    super(extensionUri, log, { viewType: WebviewTypes.overview, scope: OverviewScope, label: 'Diff Overview', script: 'overview', style: 'overview',
      libraryStyles: ['diff2html', 'codicon'] });
    this.on(Overview.files, q => filePage(this.changes, this.generation, q));
    this.on(Overview.patch, p => this.answerPatch(p.id));
    this.on(Overview.openDiff, p => this.openDiff(p.id));
    this.on(Overview.setLayout, p => this.memento.update(StorageKeys.overviewLayout, p.layout));
    this.on(Overview.firstContent, p => this.firstContent.fire(p.ms));
    this._register(source.onDidChange(() => this.update()));
  }

  /** Opens or reveals the page. Does nothing (but log) when no run is open. */
  async show(): Promise<void> {
    const run = this.source.current();
    if (!run) {
      this.log.warn('Diff Overview: no run is open');
      return;
    }
    this.openPanel('Diff Overview');
    this.apply(run);
  }

  /** The page starts again each time it is shown (its state lives in the page's view state): send it the list again. */
  protected onPageReady(): void {
    this.postInit();
  }

  private update(): void {
    if (!this.panel) return;
    const run = this.source.current();
    if (!run) {
      this.closePanel();
      return;
    }
    this.apply(run);
  }

  private apply(run: OverviewRun): void {
    this.run = run;
    if (this.panel) this.panel.title = `Diff Overview: ${run.runId}`;
    if (this.isPageReady) this.postInit();
  }

  /** Sends the first page of the file list; from now on page and patch requests are answered from this list. */
  private postInit(): void {
    const run = this.run;
    if (!run || !this.panel) return;
    this.changes = run.changes;
    this.generation++;
    const stored = this.memento.get<unknown>(StorageKeys.overviewLayout);
    this.notify(Overview.init, {
      runId: run.runId,
      baselineCommit: run.baselineCommit,
      headLabel: run.headLabel,
      files: run.changes.slice(0, FIRST_PAGE_FILES).map(overviewFile),
      totals: overviewTotals(run.changes),
      listId: this.generation,
      layout: isOverviewLayout(stored) ? stored : 'side-by-side',
    });
  }

  private change(id: string): FileChange | undefined {
    const change = /^\d+$/.test(id) ? this.changes[Number(id)] : undefined;
    if (!change) this.log.warn(`Diff Overview: the page asked for file ${JSON.stringify(id)}, which is not in the list`);
    return change;
  }

  private async answerPatch(id: string): Promise<PatchReply> {
    const change = this.change(id);
    if (!change) return { ok: false, error: `file ${id} is not in the list` };
    const generation = this.generation;
    const file = overviewFile(change, Number(id));
    // asked for beside the patch (the server answers from memory), never before the file list
    const annotation = this.authorityOf(change);
    const withAuthority = async () => {
      const authority = await annotation;
      return authority ? { authority } : {};
    };
    if (file.binary || file.large) return { ok: true, large: true, ...(await withAuthority()) };
    await this.slot();
    try {
      // a page that was hidden (and so unloaded) or given a new list asks again, and ignores the answer to this
      if (generation !== this.generation || !this.isPageReady) return { ok: false, error: 'the file list changed' };
      const patch = await this.source.patch(change);
      if (Buffer.byteLength(patch, 'utf8') > LARGE_PATCH_BYTES) return { ok: true, large: true, ...(await withAuthority()) };
      return { ok: true, large: false, patch, ...(await withAuthority()) };
    } catch (e) {
      this.log.error(`Diff Overview: could not read the diff of ${change.path}`, e);
      return { ok: false, error: errorMessage(e) };
    } finally {
      this.release();
    }
  }

  /** The section's annotation; a failure to get it never keeps the patch from the page. */
  private async authorityOf(change: FileChange): Promise<SectionAuthority | undefined> {
    try {
      return await this.source.authority?.(change);
    } catch (e) {
      this.log.warn(`Diff Overview: no authority annotation for ${change.path}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  private async slot(): Promise<void> {
    if (this.running < CONCURRENT_PATCHES) {
      this.running++;
      return;
    }
    await new Promise<void>(resolve => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting read, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async openDiff(id: string): Promise<void> {
    const change = this.change(id);
    if (!change) return;
    try {
      await this.source.openDiff(change);
    } catch (e) {
      this.log.showError(`Could not open the diff of ${change.path}`, e);
    }
  }
}
