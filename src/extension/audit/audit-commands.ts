import * as vscode from 'vscode';
import path from 'node:path';
import { ADJUDICATION_SUFFIX, Commands, Settings } from '../ids';
import { type Log } from '../log';
import { type RunSession } from '../run-session';
import { type KeyStore } from '../signing/key-store';
import { readLimited } from '../signing/read-limited';
import { allowedSigners } from '../signing/verify-context';
import { openRunCommand } from '../commands/open-run';
import { AuditDraftStore } from './audit-draft';
import { AuditPanel, verdictOf, type AuditSource } from './audit-panel';
import { recordModel, showOthersAllowed, type MayShowOthers } from './audit-model';
import { chooseRun, noRunMessage, runIdsOf, worksheetCount } from './audit-inputs';
import { type AuditNotice } from '../../protocol/webview/audit';
import { aggregateReport } from '../../core/adjudication/aggregate';
import { isAdjudicationEnvelope, verifyAdjudication } from '../../core/adjudication/verify';
import { collectInputs, readGroups } from '../../core/calibration/files';
import { type SheetGroup } from '../../core/calibration/inputs';
import { rubricResolver } from '../../core/rubric-files';
import { allowedSignersLine, parseAllowedSigners, type AllowedSigner, type RubricResolver } from '../../core/attestation';
import { readInput } from '../../core/input-files';
import { errorMessage } from '../../core/errors';
import { type RegisterCommand } from '../commands/registry';

export { type MayShowOthers } from './audit-model';

export interface AuditServices {
  session: RunSession;
  log: Log;
  keys: KeyStore;
  /**
   * Blind grading: whether this reviewer may see the other graders' worksheets of a run (undefined: yes; a string: the
   * reason not, shown instead). The command and the panel both ask. Defaults to always allowed.
   */
  mayShowOthers?: MayShowOthers;
}

/**
 * "Audit Disputed Run…" and "Open Adjudication…" and the Audit panel they show (opening a `*.adjudication.json` in the
 * editor runs Open Adjudication: the shell, extension.ts, watches for it). Returns the panel.
 */
export function registerAuditCommands(register: RegisterCommand, context: vscode.ExtensionContext, s: AuditServices): AuditPanel {
  const mayShowOthers = s.mayShowOthers ?? showOthersAllowed;
  const store = new AuditDraftStore(vscode.Uri.joinPath(context.globalStorageUri, 'audits').fsPath);
  const panel = new AuditPanel(context.extensionUri, s.session, s.keys, store, s.log, mayShowOthers);
  const packaged = vscode.Uri.joinPath(context.extensionUri, 'rubric').fsPath;
  context.subscriptions.push(panel);
  register(Commands.auditDisputedRun, (arg?: vscode.Uri | vscode.Uri[] | string[]) => auditDisputedRun({ ...s, mayShowOthers }, panel, packaged, arg));
  register(Commands.openAdjudication, (uri?: vscode.Uri) => openAdjudication({ ...s, mayShowOthers }, panel, packaged, uri));
  return panel;
}

function pathsOf(arg: vscode.Uri | vscode.Uri[] | string[] | undefined): string[] | undefined {
  if (arg === undefined) return undefined;
  const list: Array<vscode.Uri | string> = Array.isArray(arg) ? arg : [arg];
  const paths = list.map(x => (typeof x === 'string' ? x : x.fsPath));
  return paths.length > 0 ? paths : undefined;
}

/** The allowed-signers file: the setting, else one picked now; undefined when the reviewer goes on without (signed worksheets are then left out). */
async function signersFile(): Promise<{ file?: string } | undefined> {
  const configured = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.allowedSignersFile)?.trim();
  if (configured) return { file: configured };
  const answer = await vscode.window.showWarningMessage(
    'Signed worksheets cannot be verified without an allowed-signers file (the setting sebReview.allowedSignersFile is empty): without one, every signed worksheet is left out.',
    { modal: true }, 'Pick a File…', 'Continue Without');
  if (answer === 'Continue Without') return {};
  if (answer !== 'Pick a File…') return undefined;
  const picked = await vscode.window.showOpenDialog({ title: 'The allowed-signers file: one "identity ssh-ed25519 AAAA…" line per grader', canSelectMany: false, openLabel: 'Use' });
  const file = picked?.[0]?.fsPath;
  return file ? { file } : undefined;
}

/** The worksheets read and grouped; a rubric that is neither packaged nor picked can be picked now. */
async function read(paths: readonly string[], signers: string | undefined, packaged: string, log: Log): Promise<{ groups: SheetGroup[]; resolveRubric: RubricResolver } | undefined> {
  const extra: string[] = [];
  for (;;) {
    try {
      const resolveRubric = rubricResolver(extra, packaged);
      return { groups: readGroups(paths, { resolveRubric, ...(signers !== undefined ? { allowedSigners: signers } : {}) }), resolveRubric };
    } catch (e) {
      const message = errorMessage(e);
      const rubricMissing = /is neither packaged nor given|give the rubric they were scored on/.test(message);
      if (!rubricMissing) {
        log.showError(`The worksheets cannot be audited: ${message}`, e);
        return undefined;
      }
      const answer = await vscode.window.showErrorMessage(`The worksheets cannot be audited: ${message.replace(/: (pass it|give the rubric they were scored on) with --rubric FILE$/, '')}.`, 'Pick the Rubric File…');
      if (!answer) return undefined;
      const picked = await vscode.window.showOpenDialog({ title: 'The rubric the worksheets were scored on', canSelectMany: false, filters: { Rubric: ['json'] } });
      const file = picked?.[0]?.fsPath;
      if (!file) return undefined;
      extra.push(file);
    }
  }
}

/** "Audit Disputed Run…": pick the worksheets, read and verify them, aggregate one run, show it in the Audit panel. */
export async function auditDisputedRun(s: AuditServices & { mayShowOthers: MayShowOthers }, panel: AuditPanel, packaged: string,
  arg?: vscode.Uri | vscode.Uri[] | string[]): Promise<AuditSource | undefined> {
  let paths = pathsOf(arg);
  if (!paths) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Audit a disputed run: its signed worksheets (files, or folders holding them)', openLabel: 'Audit',
      canSelectFiles: true, canSelectFolders: true, canSelectMany: true,
    });
    paths = picked?.map(u => u.fsPath);
    if (!paths || paths.length === 0) return undefined;
  }
  const signers = await signersFile();
  if (!signers) return undefined;
  const got = await read(paths, signers.file, packaged, s.log);
  if (!got) return undefined;
  const { groups, resolveRubric } = got;
  const report = aggregateReport(groups, 'mean');
  const ids = runIdsOf(report);
  if (ids.length === 0) {
    s.log.showError(noRunMessage(paths, report));
    return undefined;
  }
  let runId = ids[0] as string;
  if (ids.length > 1) {
    const picked = await vscode.window.showQuickPick(ids.map(id => {
      const n = worksheetCount(groups, id);
      return { label: id, description: `${n} worksheet${n === 1 ? '' : 's'}` };
    }), { title: `The worksheets are for ${ids.length} runs: audit which one?` });
    if (!picked) return undefined;
    runId = picked.label;
  }
  const chosen = chooseRun(report, groups, runId);
  if (!chosen.ok) {
    s.log.showError(chosen.message);
    return undefined;
  }
  const { run, group, sheets, blocked } = chosen;

  const refusal = await s.mayShowOthers(runId);
  if (refusal !== undefined) {
    panel.showRefused(runId, refusal);
    void vscode.window.showWarningMessage(refusal);
    return undefined;
  }
  const open = s.session.review?.run.runId;
  if (open !== runId) {
    const answer = await vscode.window.showInformationMessage(
      `The worksheets are for run ${runId}; ${open ? `the open run is ${open}` : 'no run is open'}. Open it to follow the graders' evidence into its code.`,
      'Open Run…', 'Audit Without It');
    if (answer === undefined) return undefined;
    if (answer === 'Open Run…') await openRunCommand(s.session, s.log);
  }

  const source: AuditSource = { run, group, sheets, excluded: report.excluded, blocked, resolveRubric, ...(signers.file !== undefined ? { allowedSignersFile: signers.file } : {}) };
  s.log.info(`audit of ${runId}: ${run.sources.length} worksheets (${run.sources.map(x => `${x.grader} ${x.total}`).join(', ')}), ${report.excluded.length} left out; disagreements: ${run.dimensions.filter(d => d.disagreement).map(d => d.id).join(', ') || 'none'}`);
  await panel.showAudit(source);
  return source;
}

/** The record's sources found beside it (in its folder and a few levels below), by file name. */
function sourcesBeside(file: string, names: readonly string[], log: Log): Array<{ file: string; bytes: Uint8Array }> {
  let found: string[];
  try {
    found = collectInputs([path.dirname(file)]).inputs.map(i => i.file);
  } catch (e) {
    log.warn(`Audit: the folder of ${file} could not be searched for the source worksheets: ${errorMessage(e)}`);
    return [];
  }
  const out: Array<{ file: string; bytes: Uint8Array }> = [];
  for (const name of names) {
    const f = found.find(x => path.basename(x) === name);
    if (!f) continue;
    try {
      out.push({ file: f, bytes: readInput(f, 'json') });
    } catch (e) {
      log.warn(`Audit: ${errorMessage(e)}`);
    }
  }
  return out;
}

/** "Open Adjudication…": a signed adjudication verified and shown read-only in the Audit panel, with every check. */
export async function openAdjudication(s: AuditServices & { mayShowOthers: MayShowOthers }, panel: AuditPanel, packaged: string, uri?: vscode.Uri): Promise<boolean> {
  const active = vscode.window.activeTextEditor?.document.fileName;
  let file = uri?.fsPath ?? (active?.endsWith(ADJUDICATION_SUFFIX) ? active : undefined);
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: 'Open a signed adjudication (*.adjudication.json)', canSelectMany: false, filters: { 'Signed adjudication': ['json'] } });
    file = picked?.[0]?.fsPath;
    if (!file) return false;
  }
  let text: string;
  try {
    text = await readLimited(file, 'json');
  } catch (e) {
    s.log.showError(errorMessage(e), e);
    return false;
  }
  if (!isAdjudicationEnvelope(text)) {
    s.log.showError(`${path.basename(file)} is not a signed adjudication (a DSSE envelope whose payload is an in-toto statement of a seb-review/adjudication@1).`);
    return false;
  }
  const trusted = await allowedSigners(s.keys, s.log);
  const signers: AllowedSigner[] = [...trusted.signers];
  const own = await s.keys.key();
  if (own && s.keys.identity && !signers.some(x => x.keyId === own.keyId)) {
    try {
      signers.push(...parseAllowedSigners(allowedSignersLine(s.keys.identity, own.publicKey), 'your own key'));
    } catch {
      // an identity that cannot be trusted: verification says which key signed
    }
  }
  const resolveRubric = rubricResolver([], packaged);
  const first = verifyAdjudication(text, { allowedSigners: signers, resolveRubric });
  const a = first.adjudication;
  if (!a) {
    s.log.showError(`${path.basename(file)}: Not verified: ${first.checks.filter(c => !c.ok).map(c => `${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`).join('; ')}`);
    return false;
  }
  const refusal = await s.mayShowOthers(a.run.runId);
  if (refusal !== undefined) {
    panel.showRefused(a.run.runId, refusal);
    void vscode.window.showWarningMessage(refusal);
    return false;
  }
  const sources = sourcesBeside(file, a.sources.map(x => x.name), s.log);
  const review = s.session.review;
  const trees = review && review.run.runId === a.run.runId ? { baseline: review.workspace.baselineTree, run: review.workspace.headTree } : undefined;
  const v = verifyAdjudication(text, { allowedSigners: signers, resolveRubric, sources, ...(trees ? { trees } : {}) });
  s.log.info(`verify ${file} (allowed signers: ${trusted.source}; ${sources.length} of ${a.sources.length} source worksheets found beside it${trees ? '; trees of the open run' : ''}):\n` +
    v.checks.map(c => `  ${c.ok ? '✔' : '✘'} ${c.check}${c.field ? ` ${c.field}` : ''}: ${c.message}`).join('\n'));
  const notices: AuditNotice[] = [];
  const missing = a.sources.filter(x => !sources.some(y => path.basename(y.file) === x.name)).map(x => x.name);
  if (missing.length > 0) notices.push({ kind: 'info', text: `Not found beside the record, so their digests were not checked: ${missing.join(', ')}.` });
  if (!trees) notices.push({ kind: 'info', text: `Run ${a.run.runId} is not open: the trees were not checked against it.` });
  const rubric = resolveRubric(a.rubric.id, a.rubric.version);
  panel.showRecord(a.run.runId, recordModel(a, rubric?.rubric, verdictOf(file, v, { trees: trees !== undefined, sources: sources.length }), notices));
  const headline = verdictOf(file, v, { trees: trees !== undefined, sources: sources.length }).headline;
  if (v.ok) void vscode.window.showInformationMessage(`${path.basename(file)}: ${headline}`);
  else s.log.showError(`${path.basename(file)}: ${headline}`);
  return v.ok;
}
