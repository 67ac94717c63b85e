import * as vscode from 'vscode';
import { Settings, StorageKeys } from '../ids';
import { type RunSession } from '../run-session';

type OwnSigned = Record<string, string[]>;

/**
 * Blind grading: while it is on for a run (the `sebReview.blindGrading` setting, which only user settings can set, or
 * `"blindGrading": true` in the run's seb-run.json), other graders' worksheets for that run are not shown in the rubric
 * form or the audit view until the reviewer's own worksheet for it is signed. "Own" means signed with the reviewer's
 * key: recorded when they export one, or when they verify one whose grader key is theirs (signed elsewhere).
 */
export class BlindGate {
  constructor(
    private readonly state: vscode.Memento,
    private readonly session: RunSession,
  ) {}

  /** Whether blind grading applies to `runId`. */
  isOn(runId: string): boolean {
    if (vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.blindGrading) === true) return true;
    const run = this.session.current;
    return run?.runId === runId && run.manifest?.blindGrading === true;
  }

  hasOwnSigned(runId: string): boolean {
    return (this.state.get<OwnSigned>(StorageKeys.ownSignedRuns)?.[runId]?.length ?? 0) > 0;
  }

  /** Records that the reviewer's key signed a worksheet for `runId`. */
  async recordOwn(runId: string, keyId: string): Promise<void> {
    const all = { ...(this.state.get<OwnSigned>(StorageKeys.ownSignedRuns) ?? {}) };
    const keys = new Set(all[runId] ?? []);
    if (keys.has(keyId)) return;
    keys.add(keyId);
    all[runId] = [...keys];
    await this.state.update(StorageKeys.ownSignedRuns, all);
  }

  /**
   * Undefined when another grader's worksheet for `runId` may be shown; else why not, in words for the reviewer. A
   * worksheet graded with the reviewer's own key (`graderKeyId === ownKeyId`) is always theirs to see.
   */
  mayShowOthers(runId: string, graderKeyId?: string, ownKeyId?: string): string | undefined {
    if (!this.isOn(runId)) return undefined;
    if (graderKeyId !== undefined && graderKeyId === ownKeyId) return undefined;
    if (this.hasOwnSigned(runId)) return undefined;
    return `Blind grading is on for run ${runId}: other graders' worksheets for it stay hidden until you sign your own (SEB Review: Export Signed Worksheet…).`;
  }
}
