import path from 'node:path';
import { classifyFates } from '../../core/authority/fates';
import { ANALYSIS_FORMAT, type Analysis } from '../../core/authority/analysis';
import { declaredAuthority } from '../../core/authority/declared';
import { analysisDigest } from '../../core/authority/digest';
import { errorMessage } from '../../core/errors';
import { relativePathProblem } from '../../core/relative-path';
import { type ResolvedRun } from '../../core/run';
import { ANALYZER_VERSION, AnalysisCache, analyzeTree, excludedReason, type AnalyzeOptions } from '../../analysis/authority/analyze';
import { loadRulePacks, type LoadedPack } from '../../analysis/authority/packs';
import { openTrees } from '../../git/open-review';
import { type ReviewWorkspace } from '../../git/review-workspace';
import { workingTreeReader } from '../../git/tree-reader';
import { readTreeText } from '../../core/tree-read';
import type { AnalysisDigest, AnalysisStatus, ReviewOpenParams } from '../../protocol/server/review';
import { indexAnalysis, type AuthorityIndex } from './queries';
import { collectEvidence } from '../../analysis/evidence/evidence';
import type { Reply } from '../../protocol/server/defs';
import type { EvidenceFacts } from '../../protocol/server/evidence';
import { evidenceFacts } from '../evidence/facts';

/** How the host reports: status to the client, progress of long work, and the log. */
export interface HostSink {
  status(s: AnalysisStatus): void;
  /** Long work begins: returns a reporter, and calls `cancel` when the user cancels it. */
  beginProgress(title: string, cancel: () => void): Promise<{ report(message: string): void; done(): void }>;
  log(message: string): void;
  error(message: string): void;
}

interface OpenState {
  params: ReviewOpenParams;
  run: ResolvedRun;
  workspace: ReviewWorkspace;
  packs: LoadedPack[];
  authority: string[];
  /** Edits apply only when the run under review is its working tree (a commit's files on disk are not what is reviewed). */
  editable: boolean;
  /** The snapshot's text of files an editor touched (read once: an edit is compared with it on every keystroke). */
  snapshotTexts: Map<string, Promise<string | undefined>>;
  analysis?: Analysis;
  /** The evidence, found the first time it is asked for; stopped when another run opens or the run closes. */
  evidence?: { promise: Promise<EvidenceFacts>; signal: AbortSignal };
  evidenceAbort: AbortController;
}

/**
 * The analysis of the open run's two trees, held by the language server: opened from the same target and through the
 * same tree readers as `seb-review analyze`, analysed with progress that can be cancelled, and updated when a file of
 * the run is edited (unsaved text replaces the snapshot's, only that file is parsed again). One piece of work at a
 * time: a new open cancels the one before; edits during an analysis are applied right after it.
 */
export class ReviewHost {
  private state: OpenState | undefined;
  private index_: AuthorityIndex | undefined;
  /** Starts from the clock, so a restarted server never reuses a generation the client saw from the one before. */
  private generation = Date.now();
  private abort: AbortController | undefined;
  /** The open in progress or last finished: an open superseded by a newer one (or a close) reports nothing more. */
  private current: AbortController | undefined;
  /** The run's files whose current text (an editor's, or the disk's after an edit) differs from the snapshot. */
  private readonly overrides = new Map<string, string>();
  private editsPending = false;
  private reanalysing: Promise<void> | undefined;
  private readonly cache = new AnalysisCache();
  private status_: AnalysisStatus = { generation: 0, state: 'idle', message: 'no run open' };
  /** Settles when the current open (and any re-analysis) is done: for tests and orderly shutdown. */
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly sink: HostSink, private readonly packDirs: { builtInDir?: string | null } = {}) {}

  get index(): AuthorityIndex | undefined {
    return this.index_;
  }

  get status(): AnalysisStatus {
    return this.status_;
  }

  idle(): Promise<void> {
    return this.work;
  }

  private setStatus(s: Omit<AnalysisStatus, 'generation'>): void {
    this.status_ = { generation: this.generation, ...s };
    this.sink.status(this.status_);
  }

  open(params: ReviewOpenParams): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.current = abort;
    const previous = this.state;
    previous?.evidenceAbort.abort();
    this.state = undefined;
    this.index_ = undefined;
    this.overrides.clear();
    this.generation++;
    this.work = (async () => {
      await previous?.workspace.dispose();
      await this.doOpen(params, abort);
    })();
    return this.work;
  }

  async close(): Promise<void> {
    this.cancel();
    this.current = undefined;
    const previous = this.state;
    previous?.evidenceAbort.abort();
    this.state = undefined;
    this.index_ = undefined;
    this.overrides.clear();
    this.generation++;
    this.setStatus({ state: 'idle', message: 'no run open' });
    await previous?.workspace.dispose();
  }

  cancel(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  private async doOpen(params: ReviewOpenParams, abort: AbortController): Promise<void> {
    const t0 = performance.now();
    let progress: { report(message: string): void; done(): void } | undefined;
    const superseded = () => this.current !== abort;
    try {
      this.setStatus({ state: 'analysing', message: 'opening the run' });
      progress = await this.sink.beginProgress('SEB Review: analysing the authority map', () => abort.abort());
      const { run, workspace } = await openTrees(params.target, {
        ...(params.baseline !== undefined ? { baseline: params.baseline } : {}),
        ...(params.gitPath !== undefined ? { gitPath: params.gitPath } : {}),
        signal: abort.signal,
      });
      if (abort.signal.aborted) {
        await workspace.dispose();
        throw abort.signal.reason ?? new Error('cancelled');
      }
      const packs = await loadRulePacks([], this.packDirs);
      const authority = declaredAuthority(undefined, run.manifest);
      if (superseded()) {
        await workspace.dispose();
        return;
      }
      const state: OpenState = { params, run, workspace, packs, authority, editable: run.head.source.kind === 'working-tree', snapshotTexts: new Map(), evidenceAbort: new AbortController() };
      this.state = state;
      const mismatch = params.trees && (params.trees.baseline !== workspace.baselineTree || params.trees.run !== workspace.headTree)
        ? `the run changed on disk between the editor's reading (run tree ${params.trees.run.slice(0, 12)}) and the analysis's (${workspace.headTree.slice(0, 12)}): Refresh Run to read it again`
        : undefined;
      const options: AnalyzeOptions = {
        packs, authority, cache: this.cache, signal: abort.signal,
        progress: message => {
          if (superseded()) return;
          progress?.report(message);
          this.setStatus({ state: 'analysing', message, runId: run.runId });
        },
      };
      // The baseline is never re-analysed (its documents are read-only), so its model is not kept (some 80 MB on Proof).
      const baseline = await analyzeTree({ reader: workspace.reader('baseline'), tree: workspace.baselineTree, ...options, keepModel: false });
      const runSide = await analyzeTree({ reader: workspace.reader('run'), tree: workspace.headTree, ...options });
      if (superseded() || abort.signal.aborted) throw abort.signal.reason ?? new Error('superseded');
      state.analysis = this.compose(state, baseline, runSide);
      this.publish(state, performance.now() - t0, mismatch);
      this.sink.log(`analysed ${run.runId}: ${baseline.files + runSide.files} files in ${Math.round(performance.now() - t0)} ms`);
    } catch (e) {
      if (superseded()) {
        this.sink.log('an analysis was superseded by a newer one');
      } else if (abort.signal.aborted) {
        this.setStatus({ state: 'cancelled', message: 'analysis cancelled: use Analyse Again to start over' });
        this.sink.log('analysis cancelled');
      } else {
        this.setStatus({ state: 'failed', message: `analysis failed: ${errorMessage(e)}` });
        this.sink.error(`analysis failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
      }
    } finally {
      progress?.done();
      if (this.abort === abort) this.abort = undefined;
    }
    if (this.editsPending && !superseded()) this.scheduleReanalysis();
  }

  private compose(state: OpenState, baseline: Analysis['baseline'], run: Analysis['run']): Analysis {
    return {
      format: ANALYSIS_FORMAT,
      analyzer: { version: ANALYZER_VERSION, packs: state.packs.map(p => ({ id: p.pack.id, version: p.pack.version, sha256: p.sha256 })) },
      authority: [...state.authority],
      baseline, run, fates: classifyFates(baseline, run),
    };
  }

  private digest(state: OpenState): AnalysisDigest {
    const inputs = {
      analyzer: ANALYZER_VERSION,
      packs: state.packs.map(p => ({ id: p.pack.id, version: p.pack.version, sha256: p.sha256 })),
      authority: [...state.authority],
      baselineTree: state.workspace.baselineTree,
      runTree: state.workspace.headTree,
    };
    return { digest: analysisDigest(inputs), ...inputs, edited: [...this.overrides.keys()].sort() };
  }

  private publish(state: OpenState, elapsedMs: number, mismatch?: string): void {
    const a = state.analysis;
    if (!a) return;
    this.generation++;
    this.index_ = indexAnalysis(a, this.generation);
    const entries = a.run.entryPoints.length;
    const bypassing = a.run.entryPoints.filter(e => e.reachable && e.viaAuthority === false).length;
    const edited = this.overrides.size > 0 ? `, ${this.overrides.size} edited file${this.overrides.size === 1 ? '' : 's'}` : '';
    this.setStatus({
      state: 'ready', runId: state.run.runId, files: a.baseline.files + a.run.files, elapsedMs: Math.round(elapsedMs),
      message: `${entries} entry point${entries === 1 ? '' : 's'} in the run, ${bypassing} bypassing the authority${edited}`,
      digest: this.digest(state), ...(mismatch !== undefined ? { treeMismatch: mismatch } : {}),
    });
  }

  /**
   * A document of the run changed (opened, edited, closed: `text` undefined on close, when the disk is what counts).
   * `file` is an absolute path. Files outside the run, or not analysed (tests, node_modules…), are ignored.
   */
  async documentChanged(file: string, text: string | undefined): Promise<void> {
    const state = this.state;
    if (!state?.editable) return;
    const rel = path.relative(state.run.root, file).split(path.sep).join('/');
    if (relativePathProblem(rel) !== undefined) return;
    if (excludedReason({ path: rel, size: text === undefined ? 0 : Buffer.byteLength(text), kind: 'file' }) !== undefined) return;
    const current = text ?? (await readTreeText(workingTreeReader(state.run.root), rel));
    let snapshotText = state.snapshotTexts.get(rel);
    if (!snapshotText) state.snapshotTexts.set(rel, (snapshotText = readTreeText(state.workspace.reader('run'), rel)));
    const snapshot = await snapshotText;
    if (this.state !== state) return;
    const before = this.overrides.get(rel);
    if (current === undefined || current === snapshot) this.overrides.delete(rel);
    else this.overrides.set(rel, current);
    if (this.overrides.get(rel) === before) return;
    this.editsPending = true;
    if (state.analysis && !this.abort) this.scheduleReanalysis();
  }

  private scheduleReanalysis(): void {
    if (this.reanalysing) return;
    this.reanalysing = (async () => {
      while (this.editsPending) {
        this.editsPending = false;
        await this.reanalyse();
      }
    })().finally(() => {
      this.reanalysing = undefined;
    });
    this.work = this.work.then(() => this.reanalysing);
  }

  private async reanalyse(): Promise<void> {
    const state = this.state;
    if (!state?.analysis) return;
    const t0 = performance.now();
    try {
      const run = await analyzeTree({
        reader: state.workspace.reader('run'), tree: state.workspace.headTree, packs: state.packs, authority: state.authority, cache: this.cache,
        overrides: new Map(this.overrides),
      });
      if (this.state !== state) return;
      const t1 = performance.now();
      state.analysis = this.compose(state, state.analysis.baseline, run);
      const t2 = performance.now();
      this.publish(state, t2 - t0);
      this.sink.log(`re-analysed after an edit in ${Math.round(performance.now() - t0)} ms (run tree ${Math.round(t1 - t0)} ms, fates ${Math.round(t2 - t1)} ms, index ${Math.round(performance.now() - t2)} ms)`);
    } catch (e) {
      this.sink.error(`re-analysis after an edit failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
      this.setStatus({ state: 'failed', message: `re-analysis after an edit failed: ${errorMessage(e)}` });
    }
  }

  /**
   * The evidence of the open run (`trees`: the run the client means; another one open now is said so). Found once per
   * open, on the snapshots (unsaved edits do not change it), with progress that can be cancelled; a failure is said and
   * the next request tries again.
   */
  async evidence(trees?: { baseline: string; run: string }): Promise<Reply<{ evidence: EvidenceFacts }>> {
    const state = this.state;
    if (!state) return { ok: false, reason: this.abort ? 'the run is still being opened: ask again when the analysis is ready' : 'no run open' };
    const { baselineTree, headTree } = state.workspace;
    if (trees && (trees.baseline !== baselineTree || trees.run !== headTree)) {
      return { ok: false, reason: `another run is open in the review server now (run tree ${headTree.slice(0, 12)})` };
    }
    if (!state.evidence) {
      if (state.evidenceAbort.signal.aborted) state.evidenceAbort = new AbortController();
      const abort = state.evidenceAbort;
      const promise = (async () => {
        const progress = await this.sink.beginProgress('SEB Review: finding evidence (tests, logs, stubs, plan)', () => abort.abort());
        const t0 = performance.now();
        try {
          const report = await collectEvidence({
            runId: state.run.runId, baseline: state.workspace.reader('baseline'), run: state.workspace.reader('run'),
            trees: { baseline: baselineTree, run: headTree }, packs: state.packs, cache: this.cache, signal: abort.signal,
            ...(state.run.manifest ? { manifest: state.run.manifest } : {}),
          });
          abort.signal.throwIfAborted();
          this.sink.log(`found the evidence of ${state.run.runId} in ${Math.round(performance.now() - t0)} ms`);
          return evidenceFacts(report);
        } finally {
          progress.done();
        }
      })();
      const job = { promise, signal: abort.signal };
      state.evidence = job;
      // A failed or cancelled search is not kept: the next request starts it again.
      promise.catch(() => {
        if (state.evidence === job) delete state.evidence;
      });
    }
    const job = state.evidence;
    try {
      return { ok: true, evidence: await job.promise };
    } catch (e) {
      if (this.state !== state) return { ok: false, reason: 'the run was closed or another one opened' };
      if (job.signal.aborted) return { ok: false, reason: 'finding the evidence was cancelled: ask again to start over' };
      this.sink.error(`finding the evidence failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
      return { ok: false, reason: `finding the evidence failed: ${errorMessage(e)}` };
    }
  }

  async dispose(): Promise<void> {
    this.state?.evidenceAbort.abort();
    this.cancel();
    await this.work.catch(() => undefined);
    await this.state?.workspace.dispose();
    this.state = undefined;
  }
}
