import * as vscode from 'vscode';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { WebviewTypes } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { WebviewPanelBase } from '../webview-base';
import { type KeyStore } from '../signing/key-store';
import { formatCheck } from '../signing/verify-command';
import { writeAtomically } from '../drafts/draft-file';
import { sideFileUri } from '../tree-content';
import { openRunCommand } from '../commands/open-run';
import { type AuditDraftStore } from './audit-draft';
import { acceptMean, adjudicationDecisions, auditModel, evaluateDecisions, evidenceLabel, fmt, gated, showOthersAllowed, type MayShowOthers } from './audit-model';
import { Audit, AuditScope, type AuditModel, type AuditNotice, type AuditState, type AuditVerdict, type DecisionInput } from '../../protocol/webview/audit';
import { type RunAggregate } from '../../core/adjudication/aggregate';
import { buildAdjudication, signAdjudication } from '../../core/adjudication/record';
import { verifyAdjudication, type AdjudicationVerdict } from '../../core/adjudication/verify';
import { type ScoredSheet, type SheetGroup } from '../../core/calibration/inputs';
import { type Excluded } from '../../core/calibration/types';
import { allowedSignersLine, isInsideTree, parseAllowedSigners, serializeEnvelope, type AllowedSigner, type RubricResolver, type SigningKey } from '../../core/attestation';
import { readText } from '../../core/input-files';
import { relativePathProblem } from '../../core/relative-path';
import { errorMessage } from '../../core/errors';

/** One disputed run to audit: its aggregate, its worksheets (in the order of run.sources) and how they were read. */
export interface AuditSource {
  run: RunAggregate;
  group: SheetGroup;
  sheets: ScoredSheet[];
  excluded: readonly Excluded[];
  /** Why no adjudication can be signed from these worksheets (unsigned or failed ones). */
  blocked: string[];
  /** The allowed-signers file the worksheets were verified against (undefined: none was given). */
  allowedSignersFile?: string;
  resolveRubric: RubricResolver;
}

interface OpenAudit {
  source: AuditSource;
  decisions: Record<string, DecisionInput>;
  shas: string[];
  notices: AuditNotice[];
  status?: AuditModel['status'];
  verdict?: AuditVerdict;
  readOnly: boolean;
}

type Shown = { kind: 'audit'; audit: OpenAudit } | { kind: 'record'; runId: string; model: AuditModel } | { kind: 'refused'; runId: string; reason: string };

const short = (sha: string) => sha.slice(0, 12);

/** Every check of a verdict as the page lists it, and its one-line headline. */
export function verdictOf(file: string, v: AdjudicationVerdict, extra: { trees: boolean; sources: number }): AuditVerdict {
  const failed = v.checks.filter(c => !c.ok);
  const who = v.adjudicator ? `; the adjudicator is ${v.adjudicator.identity}` : '';
  const headline = v.ok
    ? `Verified: signed by ${v.signers.join(', ')}${who}${extra.sources > 0 ? `; ${extra.sources} source worksheets are the ones named` : ''}${extra.trees ? '; both trees match the open run' : ''}`
    : `Not verified: ${failed.map(formatCheck).join('; ')}`;
  return { ok: v.ok, file, headline, checks: v.checks.map(c => ({ ok: c.ok, text: formatCheck(c) })) };
}

/**
 * The Audit view: one disputed run's worksheets side by side, the adjudicator's decisions (autosaved as a draft),
 * signing and exporting the adjudication, and its verdict; or a signed adjudication opened on its own, read-only.
 * Blind grading decides, each time the page is sent its state, whether the other graders' worksheets may be shown.
 */
export class AuditPanel extends WebviewPanelBase {
  private shown: Shown | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    extensionUri: vscode.Uri,
    private readonly session: RunSession,
    private readonly keys: KeyStore,
    private readonly store: AuditDraftStore,
    log: Log,
    private readonly mayShowOthers: MayShowOthers = showOthersAllowed,
  ) {
    super(extensionUri, log, { viewType: WebviewTypes.audit, scope: AuditScope, label: 'Audit', script: 'audit', style: 'audit', libraryStyles: ['codicon'],
      retainContextWhenHidden: true });
    this.on(Audit.edit, e => this.edit(e.dimension, d => {
      if (e.kind === 'mode') d.mode = e.mode;
      else if (e.kind === 'points') {
        d.mode = 'set';
        d.points = e.value;
      } else d.rationale = e.value;
    }));
    this.on(Audit.openEvidence, p => this.openEvidence(p.grader, p.dimension, p.index));
    this.on(Audit.command, p => (p.command === 'sign' ? this.sign() : this.log.channel.show(true)));
    this._register(session.onDidChange(() => this.update()));
  }

  /** The run being audited, when one is. */
  get audited(): AuditSource | undefined {
    return this.shown?.kind === 'audit' ? this.shown.audit.source : undefined;
  }

  /** Shows a run's worksheets; the decisions saved for the same worksheets come back. */
  async showAudit(source: AuditSource): Promise<void> {
    await this.flush();
    const shas = source.run.sources.map(s => s.sha256);
    const loaded = await this.store.load(source.run.runId, shas);
    const notices: AuditNotice[] = [];
    if (loaded.problem) {
      notices.push({ kind: 'error', text: loaded.problem });
      this.log.warn(loaded.problem);
    }
    if (loaded.draft?.exported) {
      notices.push({ kind: 'info', text: `You signed an adjudication of these worksheets on ${loaded.draft.exported.at.slice(0, 16).replace('T', ' ')} (${loaded.draft.exported.file}); signing again writes a new record.` });
    }
    const decisions: Record<string, DecisionInput> = {};
    for (const d of source.run.dimensions) decisions[d.id] = loaded.draft?.decisions[d.id] ?? acceptMean();
    this.shown = { kind: 'audit', audit: { source, decisions, shas, notices, readOnly: false,
      ...(loaded.draft ? { status: { kind: 'saved', text: `Decisions restored from ${path.basename(this.store.fileFor(source.run.runId, shas))}` } } : {}) } };
    this.reveal(`Audit: ${source.run.runId}`);
  }

  /** Shows a signed adjudication opened on its own: read-only, with its verdict. */
  showRecord(runId: string, model: AuditModel): void {
    void this.flush();
    this.shown = { kind: 'record', runId, model };
    this.reveal(`Adjudication: ${runId}`);
  }

  /** Shows why the other graders' worksheets of a run may not be seen. */
  showRefused(runId: string, reason: string): void {
    void this.flush();
    this.shown = { kind: 'refused', runId, reason };
    this.reveal(`Audit: ${runId}`);
  }

  private reveal(title: string): void {
    const opened = this.openPanel(title);
    if (this.panel) this.panel.title = title;
    if (!opened) this.update();
  }

  protected onPageReady(): void {
    this.update();
  }

  /** The state as the page shows it now. Blind grading is asked each time. */
  async state(): Promise<AuditState | undefined> {
    const s = this.shown;
    if (!s) return undefined;
    if (s.kind === 'refused') return { kind: 'refused', runId: s.runId, reason: s.reason };
    if (s.kind === 'record') return gated(s.runId, this.mayShowOthers, () => s.model);
    const a = s.audit;
    return gated(a.source.run.runId, this.mayShowOthers, () => auditModel({
      run: a.source.run, rubric: a.source.group.rubric.rubric, sheets: a.source.sheets, decisions: a.decisions, excluded: a.source.excluded,
      notices: [...this.runNotices(a.source), ...a.notices], blocked: a.source.blocked, readOnly: a.readOnly,
      ...(a.status ? { status: a.status } : {}), ...(a.verdict ? { verdict: a.verdict } : {}),
    }));
  }

  private update(): void {
    if (!this.panel) return;
    void this.state().then(state => {
      if (state) this.notify(Audit.state, state);
    }, (e: unknown) => this.log.error('Audit: the state could not be computed', e));
  }

  /** Whether the open run is the one the worksheets were scored on: only then does evidence open. */
  private runNotices(source: AuditSource): AuditNotice[] {
    const review = this.session.review;
    const { runId, trees } = source.run;
    if (!review) return [{ kind: 'info', text: `No run is open: open run ${runId} (Open Run…) to follow the graders' evidence into its code.` }];
    if (review.run.runId !== runId) return [{ kind: 'warning', text: `The open run is ${review.run.runId}, not ${runId}: the graders' evidence is not opened in it.` }];
    if (trees.baseline !== review.workspace.baselineTree || trees.run !== review.workspace.headTree) {
      return [{ kind: 'warning', text: `The worksheets were scored on other trees (baseline ${short(trees.baseline)}, run ${short(trees.run)}) than the open run's (baseline ${short(review.workspace.baselineTree)}, run ${short(review.workspace.headTree)}): their evidence is not opened in it.` }];
    }
    return [];
  }

  private edit(dimension: string, change: (d: DecisionInput) => void): void {
    const s = this.shown;
    if (s?.kind !== 'audit' || s.audit.readOnly) return;
    const a = s.audit;
    if (!a.source.run.dimensions.some(d => d.id === dimension)) return;
    const d = { ...(a.decisions[dimension] ?? acceptMean()) };
    change(d);
    a.decisions[dimension] = d;
    this.scheduleSave(a);
    this.update();
  }

  private scheduleSave(a: OpenAudit): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save(a);
    }, 200);
  }

  private save(a: OpenAudit, exported?: { file: string; at: string }): Promise<void> {
    const decisions = { ...a.decisions };
    this.saving = this.saving.then(async () => {
      try {
        const d = await this.store.save(a.source.run.runId, a.shas, decisions, exported);
        a.status = { kind: 'saved', text: `Decisions saved ${new Date(d.updatedAt).toLocaleTimeString()} to ${this.store.fileFor(a.source.run.runId, a.shas)}` };
      } catch (e) {
        a.status = { kind: 'error', text: `The decisions could not be saved: ${errorMessage(e)}` };
        this.log.error('Audit: saving the decisions failed', e);
      }
      this.update();
    });
    return this.saving;
  }

  /** Writes a pending save now. */
  async flush(): Promise<void> {
    const s = this.shown;
    if (this.saveTimer !== undefined && s?.kind === 'audit') {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.save(s.audit);
    }
    await this.saving;
  }

  private async openEvidence(grader: number, dimension: string, index: number): Promise<void> {
    const s = this.shown;
    if (s?.kind !== 'audit') return;
    const { run, sheets } = s.audit.source;
    const source = run.sources[grader];
    const sheet = sheets.find(x => x.file === source?.file);
    const e = sheet?.evidence.get(dimension)?.[index];
    if (!sheet || !e || relativePathProblem(e.path) !== undefined) return;
    const label = evidenceLabel(e);
    const review = this.session.review;
    if (!review || review.run.runId !== run.runId) {
      const answer = await vscode.window.showInformationMessage(
        `${label} is in run ${run.runId}, which is not open${review ? ` (the open run is ${review.run.runId})` : ''}: open it to follow the evidence.`, 'Open Run…');
      if (answer) await openRunCommand(this.session, this.log);
      return;
    }
    const trees = sheet.trees;
    if (!trees || trees.baseline !== review.workspace.baselineTree || trees.run !== review.workspace.headTree) {
      void vscode.window.showInformationMessage(`${sheet.grader}'s worksheet was scored on other trees (baseline ${short(trees?.baseline ?? '?')}, run ${short(trees?.run ?? '?')}) than the open run's (baseline ${short(review.workspace.baselineTree)}, run ${short(review.workspace.headTree)}): ${label} is not opened, as those lines would be another tree's.`);
      return;
    }
    const uri = sideFileUri(this.session, e.side, e.path);
    if (!uri) return;
    const range = new vscode.Range(e.startLine - 1, 0, e.endLine - 1, Number.MAX_SAFE_INTEGER);
    try {
      // beside the panel, in the same column each time (a preview editor: the next item replaces it)
      const column = this.panel?.viewColumn !== undefined ? this.panel.viewColumn + 1 : vscode.ViewColumn.Beside;
      await vscode.window.showTextDocument(uri, { selection: range, preview: true, viewColumn: column });
    } catch (err) {
      this.log.showError(`${label} (${sheet.grader}) could not be opened: ${errorMessage(err)}`, err);
    }
  }

  /** The signing key, or one created or imported now. */
  private async signingKey(): Promise<SigningKey | undefined> {
    const key = await this.keys.key();
    if (key) return key;
    const answer = await vscode.window.showWarningMessage('You have no signing key yet: the adjudication is signed with yours.', 'Create Signing Key', 'Import Signing Key…');
    return answer === 'Create Signing Key' ? this.keys.create() : answer ? this.keys.import() : undefined;
  }

  /** Where to write the record: never inside the run or its baseline, never over a source worksheet. */
  private async target(run: RunAggregate, sources: readonly string[]): Promise<string | undefined> {
    const review = this.session.review;
    const roots = review ? [review.run.root, review.run.baseline.repositoryRoot] : [];
    const safe = run.runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'run';
    const folder = path.dirname(sources[0] ?? path.join(process.cwd(), 'x'));
    for (;;) {
      const picked = await vscode.window.showSaveDialog({
        title: 'Export the signed adjudication', saveLabel: 'Sign and Export',
        defaultUri: vscode.Uri.file(path.join(folder, `${safe}.adjudication.json`)), filters: { 'Signed adjudication': ['json'] },
      });
      if (!picked) return undefined;
      const file = picked.fsPath;
      if (roots.some(r => isInsideTree(r, file))) {
        void vscode.window.showErrorMessage(`${file} is inside the run or its baseline: writing there would change the tree being scored. Choose another folder.`);
        continue;
      }
      if (sources.some(s => path.resolve(s) === path.resolve(file))) {
        void vscode.window.showErrorMessage(`${file} is one of the source worksheets: choose another file name.`);
        continue;
      }
      return file;
    }
  }

  /** Signs the adjudication, writes it where the adjudicator chooses, verifies what was written and shows the verdict. */
  async sign(target?: string): Promise<AuditVerdict | undefined> {
    const s = this.shown;
    if (s?.kind !== 'audit' || s.audit.readOnly) return undefined;
    const a = s.audit;
    const { run, group, sheets } = a.source;
    const rubric = group.rubric.rubric;
    const e = evaluateDecisions(run.dimensions, rubric.step, a.decisions);
    const problems = [...a.source.blocked, ...e.problems];
    if (problems.length > 0) {
      void vscode.window.showWarningMessage(`The adjudication cannot be signed yet: ${problems.join('; ')}`);
      return undefined;
    }
    const key = await this.signingKey();
    if (!key) return undefined;
    const decisions = adjudicationDecisions(a.decisions, e);
    let record;
    try {
      record = buildAdjudication({
        run, rubric, method: e.method, ...(decisions ? { decisions } : {}),
        keyIds: new Map(sheets.flatMap(x => (x.keyId !== undefined ? [[x.file, x.keyId] as const] : []))),
        adjudicator: { name: this.keys.identity ?? key.keyId, keyId: key.keyId },
      });
    } catch (err) {
      this.log.showError(`The adjudication cannot be signed: ${errorMessage(err)}`, err);
      return undefined;
    }
    const sources = run.sources.map(x => x.file);
    const file = target ?? (await this.target(run, sources));
    if (!file) return undefined;
    try {
      await writeAtomically(file, serializeEnvelope(signAdjudication(record, path.basename(group.rubric.file), key)));
    } catch (err) {
      this.log.showError(`${file} could not be written: ${errorMessage(err)}`, err);
      return undefined;
    }
    this.log.info(`signed the adjudication of ${run.runId} (${record.method}, total ${fmt(record.total)} of ${run.total.ceiling}) with ${key.keyId}: ${file}`);
    const verdict = await this.verifyWritten(file, a.source, key);
    a.verdict = verdict;
    a.readOnly = true;
    await this.save(a, { file, at: new Date().toISOString() });
    this.update();
    if (verdict.ok) void vscode.window.showInformationMessage(`Signed and verified: ${path.basename(file)} settles ${run.runId} at ${fmt(record.total)} / ${fmt(run.total.ceiling)} (${record.method}).`);
    else this.log.showError(`${path.basename(file)} was written but does not verify: ${verdict.headline}`);
    return verdict;
  }

  /** Verifies the record just written against the allowed signers (and the adjudicator's own key), its sources and the open run's trees. */
  private async verifyWritten(file: string, source: AuditSource, key: SigningKey): Promise<AuditVerdict> {
    const signers: AllowedSigner[] = [];
    if (source.allowedSignersFile !== undefined) {
      try {
        signers.push(...parseAllowedSigners(readText(source.allowedSignersFile, 'allowed-signers'), source.allowedSignersFile));
      } catch (err) {
        this.log.warn(`Audit: ${errorMessage(err)}`);
      }
    }
    if (!signers.some(x => x.keyId === key.keyId) && this.keys.identity) {
      try {
        signers.push(...parseAllowedSigners(allowedSignersLine(this.keys.identity, key.publicKey), 'your own key'));
      } catch (err) {
        this.log.warn(`Audit: your signing identity cannot be trusted as it is: ${errorMessage(err)}`);
      }
    }
    const review = this.session.review;
    const trees = review && review.run.runId === source.run.runId ? { baseline: review.workspace.baselineTree, run: review.workspace.headTree } : undefined;
    const bytes = await Promise.all(source.run.sources.map(async x => ({ file: x.file, bytes: await readFile(x.file) })));
    const text = await readFile(file, 'utf8');
    const v = verifyAdjudication(text, { allowedSigners: signers, resolveRubric: source.resolveRubric, sources: bytes, ...(trees ? { trees } : {}) });
    this.log.info(`verify ${file}:\n${v.checks.map(c => `  ${c.ok ? '✔' : '✘'} ${formatCheck(c)}`).join('\n')}`);
    return verdictOf(file, v, { trees: trees !== undefined, sources: bytes.length });
  }

  override dispose(): void {
    void this.flush();
    super.dispose();
  }
}
