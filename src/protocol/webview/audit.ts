import { webviewScope } from './messages';
import { isIndex, isString, object, oneOf, union, type Guard } from './guards';
import type { Evidence } from '../../core/worksheet';

/**
 * The Audit view (an editor panel): one disputed run's worksheets side by side, per dimension every grader's points,
 * the mean and the gap, each grader's rationale and evidence, the adjudicator's decision, and the signed record's
 * verdict. The host reads, verifies and evaluates; the page renders what it is sent and reports each edit. Grader
 * names, file names and paths arrive with their control characters already escaped; every string is shown as text.
 */

/** Accept the mean, or set the points. */
export type DecisionMode = 'mean' | 'set';

/** A decision as the adjudicator typed it: the points are kept as typed, never clamped. */
export interface DecisionInput {
  mode: DecisionMode;
  points: string;
  rationale: string;
}

/** What a decision comes to. */
export interface DecisionCheck {
  ok: boolean;
  /** The final points, when they are valid. */
  final?: number;
  /** Why the decision cannot be signed as it is. */
  reason?: string;
  /** The typed points are not valid points (shown on the field, aria-invalid). */
  pointsInvalid: boolean;
  /** The points depart from the mean and no rationale says why. */
  rationaleMissing: boolean;
  /** The final points differ from the mean. */
  departs: boolean;
}

export interface AuditGrader {
  /** The verified signer's identity, or the plain worksheet's grader name. */
  name: string;
  /** The worksheet's file name. */
  file: string;
  signed: boolean;
  total: number;
}

export interface AuditEvidence extends Evidence {
  /** "run server/marks/marks.ts:77–81". */
  label: string;
}

export interface AuditDimension {
  id: string;
  title: string;
  ceiling: number;
  /** By grader, in the order of `graders`. */
  points: number[];
  aggregate: number;
  spread: number;
  disagreement: boolean;
  /** Each grader's rationale and evidence, by grader; absent for a record opened on its own (it keeps points only). */
  sheets?: Array<{ rationale: string; evidence: AuditEvidence[] }>;
  decision: DecisionInput;
  check: DecisionCheck;
}

export interface AuditVerdict {
  ok: boolean;
  /** The record's file. */
  file: string;
  headline: string;
  checks: Array<{ ok: boolean; text: string }>;
}

export interface AuditNotice {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export interface AuditModel {
  kind: 'audit';
  runId: string;
  rubric: { id: string; version: string; title: string; step: number };
  /** A dimension's graders disagree when their points are more than this share of its ceiling apart. */
  gapShare: number;
  graders: AuditGrader[];
  dimensions: AuditDimension[];
  total: { ceiling: number; points: number[]; aggregate: number; spread: number; disagreement: boolean; final?: number };
  /** `mean` when every final equals the mean, else `adjudicated` (a record opened on its own may say `median`). */
  method: 'mean' | 'median' | 'adjudicated';
  /** What the aggregate column is: the mean, or (for a median record) the median. */
  basis: 'mean' | 'median';
  /** Why the adjudication cannot be signed now (empty: it can). */
  problems: string[];
  excluded: Array<{ file: string; reason: string }>;
  notices: AuditNotice[];
  /** Decisions cannot be changed (a signed record, or one opened). */
  readOnly: boolean;
  status?: { kind: 'saved' | 'saving' | 'error'; text: string };
  verdict?: AuditVerdict;
}

/** What the page shows instead of the other graders' worksheets when blind grading refuses them. */
export interface AuditRefused {
  kind: 'refused';
  runId: string;
  reason: string;
}

export type AuditState = AuditModel | AuditRefused;

export type AuditEdit =
  | { kind: 'mode'; dimension: string; mode: DecisionMode }
  | { kind: 'points'; dimension: string; value: string }
  | { kind: 'rationale'; dimension: string; value: string };

const isEdit: Guard<AuditEdit> = union(
  object({ kind: oneOf('mode'), dimension: isString, mode: oneOf('mean', 'set') }),
  object({ kind: oneOf('points'), dimension: isString, value: isString }),
  object({ kind: oneOf('rationale'), dimension: isString, value: isString }),
);

/** One evidence item of one grader's worksheet: the host looks it up (the page never sends a path). */
export interface AuditEvidenceRef {
  grader: number;
  dimension: string;
  index: number;
}

export const AUDIT_COMMANDS = ['sign', 'showLog'] as const;
export type AuditCommand = (typeof AUDIT_COMMANDS)[number];

export const AuditScope = 'audit';
const { command, notification } = webviewScope(AuditScope);

export const Audit = {
  /** host -> page: everything to show. */
  state: notification<AuditState>('state'),
  /** page -> host: a decision changed (sent as the adjudicator types). */
  edit: command<AuditEdit>('edit', isEdit),
  /** page -> host: open one evidence item's lines in the tree its worksheet was scored on. */
  openEvidence: command<AuditEvidenceRef>('openEvidence', object<AuditEvidenceRef>({ grader: isIndex, dimension: isString, index: isIndex })),
  /** page -> host: sign and export, or show the log. */
  command: command<{ command: AuditCommand }>('command', object({ command: oneOf(...AUDIT_COMMANDS) })),
} as const;
