import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { type Log } from '../log';
import { type ReviewClient } from '../server/review-client';
import { EvidenceRequest, type EvidenceFact, type EvidenceFacts } from '../../protocol/server/evidence';
import type { AnalysisStatus } from '../../protocol/server/review';

export type EvidenceState =
  | { kind: 'none'; message: string }
  | { kind: 'waiting'; message: string }
  | { kind: 'finding'; message: string }
  | { kind: 'ready'; evidence: EvidenceFacts }
  | { kind: 'failed'; message: string };

/**
 * The extension host's copy of the open run's evidence (tests, logs, stubs, the plan), found by the review server once
 * the run's analysis is ready, and kept until another pair of trees is analysed. The rubric form and the Changes view's
 * badges read it; nothing here finds anything (the parsers never load into the extension host).
 */
export class EvidenceStore extends Disposable {
  private state_: EvidenceState = { kind: 'none', message: 'no run open' };
  /** The trees the evidence is for (or being found for): "baselineTree runTree". */
  private key: string | undefined;
  private byPath_: Map<string, EvidenceFact[]> | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: ReviewClient, private readonly log: Log) {
    super();
    this._register(client.onDidChangeStatus(s => this.statusChanged(s)));
    this.statusChanged(client.status);
  }

  get state(): EvidenceState {
    return this.state_;
  }

  /** The fact with this id in the evidence shown now. */
  fact(id: string): EvidenceFact | undefined {
    return this.state_.kind === 'ready' ? this.state_.evidence.facts.find(f => f.id === id) : undefined;
  }

  /** Facts with a location, by the path they are at (either side: a deleted test's baseline file is the run's deleted file). */
  byPath(): Map<string, EvidenceFact[]> {
    if (this.byPath_) return this.byPath_;
    const m = new Map<string, EvidenceFact[]>();
    if (this.state_.kind === 'ready') {
      for (const f of this.state_.evidence.facts) {
        if (!f.location) continue;
        const list = m.get(f.location.path) ?? [];
        list.push(f);
        m.set(f.location.path, list);
      }
    }
    return (this.byPath_ = m);
  }

  private set(state: EvidenceState): void {
    this.state_ = state;
    this.byPath_ = undefined;
    this.changed.fire();
  }

  private statusChanged(s: AnalysisStatus): void {
    if (s.state === 'idle') {
      this.key = undefined;
      if (this.state_.kind !== 'none') this.set({ kind: 'none', message: 'no run open' });
      return;
    }
    if (s.state !== 'ready' || !s.digest) {
      // The same run analysed again keeps its evidence (found on its snapshots) until new trees are ready; another run's
      // analysis, a failure or a cancel before any evidence says that the evidence waits for it.
      const sameRun = this.state_.kind === 'ready' && (s.runId === undefined || s.runId === this.state_.evidence.runId);
      if (!sameRun && this.state_.kind !== 'finding') {
        this.key = undefined;
        this.set({ kind: 'waiting', message: `the evidence waits for the analysis: ${s.message}` });
      }
      return;
    }
    const key = `${s.digest.baselineTree} ${s.digest.runTree}`;
    if (key === this.key) return; // the same trees (a re-analysis after an edit): the evidence is of the snapshots
    this.key = key;
    void this.find(key, { baseline: s.digest.baselineTree, run: s.digest.runTree });
  }

  /** Asks again (after a failure or a cancel). */
  retry(): void {
    const s = this.client.status;
    this.key = undefined;
    this.statusChanged(s);
  }

  private async find(key: string, trees: { baseline: string; run: string }): Promise<void> {
    this.set({ kind: 'finding', message: 'finding tests, test logs, stubs and the plan…' });
    try {
      const reply = await this.client.request(EvidenceRequest, { trees });
      if (this.key !== key) return;
      if (reply.ok) this.set({ kind: 'ready', evidence: reply.evidence });
      else {
        this.log.warn(`evidence: ${reply.reason}`);
        this.set({ kind: 'failed', message: reply.reason });
      }
    } catch (e) {
      if (this.key !== key) return;
      this.log.error('could not read the evidence', e);
      this.set({ kind: 'failed', message: `could not read the evidence: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}
