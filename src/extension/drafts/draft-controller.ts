import * as vscode from 'vscode';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Disposable } from '../lifecycle';
import { Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { rubricForRun, type LoadedRubric } from '../rubrics';
import { DraftFile } from './draft-file';
import { evaluate, type Evaluation } from '../../core/scoring';
import { withAllDimensions, type AnalysisRef, type Draft, type Evidence } from '../../core/worksheet';
import { type Edit, type RubricFormState } from '../../protocol/webview/rubric';
import { errorMessage } from '../../core/errors';

/** Every change is on disk within half a second: a save starts at most this long after the first unsaved change. */
export const SAVE_DELAY_MS = 250;

type Status = NonNullable<RubricFormState['status']>;

interface Current {
  rubric: LoadedRubric;
  file: DraftFile;
  draft: Draft;
  /** The revision on disk this draft continues from. */
  basedOn: number;
  theirs?: Draft;
}

/**
 * The open run's draft worksheet: loaded (or started) when a run opens, changed by the rubric form and the evidence
 * command, saved on its own. Drafts live in the extension's storage (or the folder the reviewer set), never in the
 * run's or the baseline's tree, one per run, rubric and head tree.
 */
export class DraftController extends Disposable {
  private current: Current | undefined;
  /** A signed worksheet shown in the form instead of the draft, read-only. */
  private signed: RubricFormState | undefined;
  private status: Status | undefined;
  private problem: string | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;
  private loading: Promise<void> = Promise.resolve();
  private readonly writer = `${vscode.env.sessionId}:${randomUUID()}`;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly session: RunSession,
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    super();
    this._register(session.onDidChange(() => { this.loading = this.reload(); }));
    this._register({ dispose: () => this.watcher?.close() });
  }

  /** Settles when the draft for the current run is loaded (tests, commands that need it). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  get draftFile(): string | undefined {
    return this.current?.file.file;
  }

  get rubric(): LoadedRubric | undefined {
    return this.current?.rubric;
  }

  get draft(): Draft | undefined {
    return this.current?.draft;
  }

  evaluation(): Evaluation | undefined {
    return this.current ? evaluate(this.current.rubric.rubric, this.current.draft.entries) : undefined;
  }

  get showingSigned(): boolean {
    return this.signed !== undefined;
  }

  /** Shows a signed worksheet (read-only) in the form until closeSigned(); the draft stays as it is. */
  showSigned(state: RubricFormState): void {
    this.signed = { ...state, readOnly: true };
    void vscode.commands.executeCommand('setContext', 'sebReview.showingSigned', true);
    this.changed.fire();
  }

  closeSigned(): void {
    this.signed = undefined;
    void vscode.commands.executeCommand('setContext', 'sebReview.showingSigned', false);
    this.changed.fire();
  }

  state(): RubricFormState | undefined {
    if (this.signed) return this.signed;
    const c = this.current;
    if (!c) return undefined;
    const status = this.status ?? (this.problem ? { kind: 'error' as const, text: this.problem } : undefined);
    return {
      rubric: c.rubric.rubric, rubricSource: `${path.basename(c.rubric.file)} (${c.rubric.source})`, draft: c.draft,
      evaluation: evaluate(c.rubric.rubric, c.draft.entries), readOnly: false, ...(status ? { status } : {}),
    };
  }

  private folder(): string {
    const fallback = path.join(this.context.globalStorageUri.fsPath, 'drafts');
    const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.draftsFolder)?.trim();
    if (!configured) return fallback;
    const run = this.session.current;
    const inside = (root: string) => {
      const rel = path.relative(root, path.resolve(configured));
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    };
    if (run && (inside(run.root) || inside(run.baseline.repositoryRoot))) {
      this.log.warn(`sebReview.draftsFolder (${configured}) is inside the run or its baseline; drafts go to ${fallback} instead`);
      return fallback;
    }
    return configured;
  }

  /** (Re)loads the draft for the open run with its rubric; `rubric` replaces the run's usual choice. */
  async reload(rubric?: LoadedRubric): Promise<void> {
    await this.flush();
    this.watcher?.close();
    this.watcher = undefined;
    this.current = undefined;
    this.status = undefined;
    this.problem = undefined;
    const review = this.session.review;
    if (!review) {
      this.changed.fire();
      return;
    }
    const run = review.run;
    let loaded: LoadedRubric;
    try {
      loaded = rubric ?? (await rubricForRun(run, this.context.extensionUri, this.context.workspaceState));
    } catch (e) {
      this.log.showError(`The rubric for ${run.runId} could not be loaded: ${errorMessage(e)}`, e);
      this.changed.fire();
      return;
    }
    const safeRunId = run.runId.replace(/[^A-Za-z0-9._-]/g, '_');
    const name = `${safeRunId}.${loaded.rubric.id}-${loaded.rubric.version}.${review.workspace.headTree.slice(0, 12)}.draft.json`;
    const file = new DraftFile(path.join(this.folder(), name));
    const result = await file.load();
    let draft = result.draft;
    if (result.problem) {
      this.problem = `${result.problem}${result.recoveredFrom ? `; the last good copy was restored from ${path.basename(result.recoveredFrom)}` : ''}`;
      this.log.showError(`SEB Review draft: ${this.problem}`);
    }
    if (!draft) draft = await this.carryOver(safeRunId, loaded, run.runId);
    const ids = loaded.rubric.dimensions.map(d => d.id);
    const fresh: Draft = draft ?? this.emptyDraft(loaded);
    const headRef = { ...(run.head.source.kind === 'manifest-ref' || !run.head.source.dirty ? { commit: run.head.commit } : {}), tree: review.workspace.headTree };
    this.current = {
      rubric: loaded,
      file,
      draft: withAllDimensions({ ...fresh, run: { runId: run.runId, root: run.root, baseline: { commit: run.baseline.commit, tree: run.baseline.tree }, head: headRef },
        rubric: { id: loaded.rubric.id, version: loaded.rubric.version, sha256: loaded.sha256 } }, ids),
      basedOn: draft?.revision ?? 0,
    };
    this.log.info(`draft for ${run.runId}: ${file.file}${draft ? ` (revision ${draft.revision})` : ' (new)'}`);
    await mkdir(path.dirname(file.file), { recursive: true }).catch(() => undefined);
    this.watch(file);
    this.changed.fire();
  }

  /** A draft of the same run and rubric for another head tree (the run changed since): its scores carry over. */
  private async carryOver(safeRunId: string, loaded: LoadedRubric, runId: string): Promise<Draft | undefined> {
    const prefix = `${safeRunId}.${loaded.rubric.id}-${loaded.rubric.version}.`;
    const names = await readdir(this.folder()).catch(() => [] as string[]);
    const candidates = names.filter(n => n.startsWith(prefix) && n.endsWith('.draft.json'));
    let best: Draft | undefined;
    for (const n of candidates) {
      const d = (await new DraftFile(path.join(this.folder(), n)).load()).draft;
      if (d && (!best || d.updatedAt > best.updatedAt)) best = d;
    }
    if (best) {
      void vscode.window.showInformationMessage(`The run ${runId} changed since your last draft: your scores were carried over. Check them against the code as it is now.`);
      return { ...best, revision: 0 };
    }
    return undefined;
  }

  private emptyDraft(loaded: LoadedRubric): Draft {
    const now = new Date().toISOString();
    const name = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.graderName) ?? '';
    return {
      format: 'seb-review/draft@1', revision: 0, writer: this.writer,
      rubric: { id: loaded.rubric.id, version: loaded.rubric.version, sha256: loaded.sha256 },
      run: { runId: '', root: '', baseline: { tree: '0'.repeat(40) }, head: { tree: '0'.repeat(40) } },
      grader: { name, kind: 'human' }, entries: {}, gaps: '', createdAt: now, updatedAt: now,
    };
  }

  apply(edit: Edit): void {
    const c = this.current;
    if (!c || this.signed) return;
    const d = c.draft;
    switch (edit.kind) {
      case 'points':
      case 'rationale': {
        const entry = d.entries[edit.dimension];
        if (!entry) return;
        d.entries[edit.dimension] = { ...entry, [edit.kind]: edit.value };
        break;
      }
      case 'gaps': d.gaps = edit.value; break;
      case 'graderName': d.grader = { ...d.grader, name: edit.value }; break;
      case 'graderKind': d.grader = { ...d.grader, kind: edit.value }; break;
    }
    this.touch();
  }

  addEvidence(dimension: string, evidence: Evidence): boolean {
    const entry = this.current?.draft.entries[dimension];
    if (!entry) return false;
    entry.evidence = [...entry.evidence, evidence];
    this.touch();
    return true;
  }

  /** Records the analysis the draft's evidence drew from (the latest one evidence was taken from). */
  noteAnalysis(ref: AnalysisRef): void {
    const c = this.current;
    if (!c || this.signed) return;
    if (JSON.stringify(c.draft.analysis) === JSON.stringify(ref)) return;
    c.draft.analysis = ref;
    this.touch();
  }

  removeEvidence(dimension: string, index: number): void {
    const entry = this.current?.draft.entries[dimension];
    if (!entry || index < 0 || index >= entry.evidence.length) return;
    entry.evidence = entry.evidence.filter((_, i) => i !== index);
    this.touch();
  }

  private touch(): void {
    this.dirty = true;
    this.status = { kind: 'saving', text: 'Saving…' };
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
    this.changed.fire();
  }

  /** Saves now if anything is unsaved; resolves when it is on disk. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.saving;
    if (this.dirty) await this.save();
  }

  private save(force = false): Promise<void> {
    const run = async () => {
      await this.saving;
      const c = this.current;
      if (!c || (!this.dirty && !force)) return;
      this.dirty = false;
      const snapshot: Draft = { ...c.draft, writer: this.writer };
      try {
        const result = await c.file.save(snapshot, c.basedOn, force);
        if (this.current !== c) return;
        if (result.ok) {
          c.basedOn = result.draft.revision;
          c.draft.revision = result.draft.revision;
          c.draft.updatedAt = result.draft.updatedAt;
          c.theirs = undefined;
          if (!this.dirty) this.status = { kind: 'saved', text: `Saved ${new Date().toLocaleTimeString()}` };
        } else {
          c.theirs = result.theirs;
          this.dirty = true; // ours is still unsaved
          this.status = { kind: 'conflict', text: `Another window saved this draft (revision ${result.theirs.revision}). Load theirs, or keep yours and overwrite it.` };
          this.log.warn(`draft conflict on ${c.file.file}: on disk revision ${result.theirs.revision}, ours based on ${c.basedOn}`);
        }
      } catch (e) {
        this.dirty = true;
        this.status = { kind: 'error', text: `Not saved: ${errorMessage(e)}` };
        this.log.error(`saving ${c.file.file} failed`, e);
      }
      this.changed.fire();
    };
    this.saving = run();
    return this.saving;
  }

  /** After a conflict: take the other window's draft, or write ours over it. */
  async resolveConflict(choice: 'theirs' | 'mine'): Promise<void> {
    const c = this.current;
    if (!c) return;
    if (choice === 'mine') {
      this.dirty = true;
      await this.save(true);
      return;
    }
    const theirs = c.theirs ?? (await c.file.peek());
    if (theirs) {
      c.draft = withAllDimensions(theirs, c.rubric.rubric.dimensions.map(d => d.id));
      c.basedOn = theirs.revision;
      c.theirs = undefined;
      this.dirty = false;
      this.status = { kind: 'saved', text: `Loaded revision ${theirs.revision} from another window` };
      this.changed.fire();
    }
  }

  /** Another window saving the same draft: take it when we have nothing unsaved, else say there is a conflict. */
  private watch(file: DraftFile): void {
    try {
      this.watcher = watch(path.dirname(file.file), (_event, name) => {
        if (name !== path.basename(file.file)) return;
        void file.peek().then(onDisk => {
          const c = this.current;
          if (!c || c.file !== file || !onDisk || onDisk.revision <= c.basedOn || onDisk.writer === this.writer) return;
          if (this.dirty) {
            c.theirs = onDisk;
            this.status = { kind: 'conflict', text: `Another window saved this draft (revision ${onDisk.revision}). Load theirs, or keep yours and overwrite it.` };
            this.changed.fire();
          } else {
            void this.resolveConflict('theirs');
          }
        });
      });
    } catch (e) {
      this.log.warn(`cannot watch ${path.dirname(file.file)} for other windows' saves: ${errorMessage(e)}`);
    }
  }

  override dispose(): void {
    void this.flush();
    super.dispose();
  }
}
