import * as vscode from 'vscode';
import { type RunSession } from '../run-session';
import { type DraftController } from '../drafts/draft-controller';
import { type Log } from '../log';
import { sideFileUri } from '../tree-content';
import { type AuthorityStore } from './authority-store';
import { wiringText, type AuthorityNode } from './authority-view';
import { categoryTitle } from '../../core/authority/wiring';
import { relativePathProblem } from '../../core/relative-path';
import { type Evidence } from '../../core/worksheet';
import type { EntryItem, SideName } from '../../protocol/server/authority';

/** A finding as evidence: which lines of which side, and the note generated for it (the reviewer edits it). */
export interface FindingEvidence {
  side: SideName;
  path: string;
  startLine: number;
  endLine: number;
  note: string;
}

function isSide(v: unknown): v is SideName {
  return v === 'baseline' || v === 'run';
}

const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** A finding passed as a plain object (hover links carry one): checked field by field; undefined when malformed. */
export function checkFindingArg(v: unknown): FindingEvidence | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (!isSide(o['side']) || typeof o['path'] !== 'string' || relativePathProblem(o['path']) !== undefined) return undefined;
  if (!posInt(o['startLine'])) return undefined;
  const endLine = posInt(o['endLine']) && o['endLine'] >= o['startLine'] ? o['endLine'] : o['startLine'];
  const note = typeof o['note'] === 'string' ? o['note'].slice(0, 2000) : '';
  return { side: o['side'], path: o['path'], startLine: o['startLine'], endLine, note };
}

/** An entry point as evidence: its registration and, when the handler is written there, the handler's lines. */
export function entryFinding(e: EntryItem): FindingEvidence {
  const sameFile = e.handler.file === e.file;
  const start = sameFile ? Math.min(e.line, e.handler.line) : e.line;
  const end = sameFile ? Math.max(e.line, e.handler.endLine ?? e.handler.line) : e.line;
  const bypass = e.writes.find(w => w.bypass);
  const detail = bypass ? `; for example it reaches ${bypass.kind} ${bypass.target} (${bypass.file}:${bypass.line}) without the declared authority` : '';
  return { side: e.side, path: e.file, startLine: start, endLine: end, note: `${e.label} (${categoryTitle(e.category)} entry point, ${e.side}): ${wiringText(e)}${detail}.` };
}

/** The evidence a node of the Authority view stands for; undefined for nodes that are not findings. */
export function findingOfNode(node: AuthorityNode): FindingEvidence | undefined {
  switch (node.kind) {
    case 'entry':
      return entryFinding(node.entry);
    case 'write': {
      const w = node.write;
      return { side: node.entry.side, path: w.file, startLine: w.line, endLine: w.line,
        note: `${w.kind} write to ${w.target} in ${w.function} (${node.entry.side}), reached from ${node.entry.label}${w.bypass ? ' without passing the declared authority' : ''}.` };
    }
    case 'step': {
      const s = node.step;
      return { side: node.side, path: s.file, startLine: s.line, endLine: s.line,
        note: `Step ${node.index + 1} (${s.name}) of the path ${node.route}${node.bypass ? ', which bypasses the declared authority' : ''}.` };
    }
    case 'fate': {
      const f = node.item;
      const lost = f.lostWrites.length > 0 ? `; writes lost: ${f.lostWrites.map(w => `${w.kind} ${w.target}`).join(', ')}` : '';
      return { side: 'baseline', path: f.baseline.file, startLine: f.baseline.line, endLine: f.baseline.line,
        note: `Baseline ${f.baseline.label} (${categoryTitle(f.baseline.category)}): ${f.fate} in the run (${f.note})${lost}.` };
    }
    case 'fateLink':
      return { side: node.side, path: node.file, startLine: node.line, endLine: node.line,
        note: `${node.side === 'baseline' ? 'Baseline' : 'Run counterpart of'} ${node.item.baseline.label}: ${node.item.fate} (${node.item.note}).` };
    default:
      return undefined;
  }
}

export async function openFindingLocation(session: RunSession, log: Log, arg: unknown): Promise<void> {
  const o = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>;
  const f = checkFindingArg({ ...o, startLine: o['line'], endLine: o['endLine'] ?? o['line'] });
  if (!f) return;
  const uri = sideFileUri(session, f.side, f.path);
  if (!uri) {
    log.showError('Open a run first: the finding belongs to a run.');
    return;
  }
  const range = new vscode.Range(f.startLine - 1, 0, f.endLine - 1, 0);
  try {
    await vscode.window.showTextDocument(uri, { selection: range, preview: true });
  } catch (e) {
    log.showError(`Could not open ${f.path} of the ${f.side}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/**
 * "Add as Evidence…" on a finding: choose the dimension, edit the generated note, and the lines go into the draft
 * with the analysis digest they came from. Returns the evidence added (for tests), undefined when cancelled.
 */
export async function addFindingAsEvidence(
  session: RunSession, drafts: DraftController, store: AuthorityStore, log: Log, arg: unknown,
  preset?: { dimension?: string; note?: string },
): Promise<Evidence | undefined> {
  const node = arg as AuthorityNode | undefined;
  const finding = node && typeof node === 'object' && 'kind' in node ? findingOfNode(node) : checkFindingArg(arg);
  if (!finding) {
    log.showError('That is not a finding the analysis can turn into evidence.');
    return undefined;
  }
  await drafts.whenLoaded();
  const rubric = drafts.rubric?.rubric;
  const draft = drafts.draft;
  if (!rubric || !draft || !session.review) {
    void vscode.window.showWarningMessage('Open a run first: evidence belongs to a run\'s worksheet.');
    return undefined;
  }
  const digest = store.status.digest;
  let dimension = preset?.dimension;
  if (dimension === undefined) {
    const picked = await vscode.window.showQuickPick(
      rubric.dimensions.map(d => ({ label: d.title, description: `${draft.entries[d.id]?.points || '–'} / ${d.ceiling}`, detail: d.description, id: d.id })),
      { title: `Add ${finding.path}:${finding.startLine}${finding.endLine > finding.startLine ? `-${finding.endLine}` : ''} (${finding.side}) as evidence for…`,
        placeHolder: 'Choose the dimension', matchOnDetail: true },
    );
    if (!picked) return undefined;
    dimension = picked.id;
  }
  const note = preset?.note ?? (await vscode.window.showInputBox({
    title: 'Evidence note', prompt: 'Generated from the analysis: edit it as you like', value: finding.note, ignoreFocusOut: true,
  }));
  if (note === undefined) return undefined;
  const evidence: Evidence = { side: finding.side, path: finding.path, startLine: finding.startLine, endLine: finding.endLine, ...(note.trim() ? { note: note.trim() } : {}) };
  if (!drafts.addEvidence(dimension, evidence)) {
    log.showError(`The rubric ${rubric.id} has no dimension "${dimension}".`);
    return undefined;
  }
  if (digest) {
    const { edited, ...inputs } = digest;
    drafts.noteAnalysis({ ...inputs, ...(edited.length > 0 ? { edited } : {}) });
  }
  return evidence;
}
