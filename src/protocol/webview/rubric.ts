import { webviewScope } from './messages';
import { isIndex, isString, object, oneOf, union, type Guard } from './guards';
import type { Rubric } from '../../core/rubric';
import type { Draft } from '../../core/worksheet';
import type { Evaluation } from '../../core/scoring';

/**
 * The rubric form (a webview view in the SEB Review container). The host owns the draft and evaluates it with
 * src/core/scoring; the page renders what it is sent and reports each edit. Types only cross from core.
 */
export interface RubricFormState {
  rubric: Rubric;
  /** Where the rubric came from (shown under the form's title). */
  rubricSource: string;
  draft: Draft;
  evaluation: Evaluation;
  /** Signed worksheets are shown read-only. */
  readOnly: boolean;
  /** "Saved 10:32:01 to …", or why the draft could not be saved. */
  status?: { kind: 'saved' | 'saving' | 'error' | 'conflict'; text: string };
}

export type Edit =
  | { kind: 'points'; dimension: string; value: string }
  | { kind: 'rationale'; dimension: string; value: string }
  | { kind: 'gaps'; value: string }
  | { kind: 'graderName'; value: string }
  | { kind: 'graderKind'; value: 'human' | 'model' };

const isEdit: Guard<Edit> = union(
  object({ kind: oneOf('points'), dimension: isString, value: isString }),
  object({ kind: oneOf('rationale'), dimension: isString, value: isString }),
  object({ kind: oneOf('gaps'), value: isString }),
  object({ kind: oneOf('graderName'), value: isString }),
  object({ kind: oneOf('graderKind'), value: oneOf('human', 'model') }),
);

/** The form's buttons that run a command: open a run, choose a rubric, resolve a conflict between windows. */
export const FORM_COMMANDS = ['openRun', 'chooseRubric', 'reloadDraft', 'keepMine'] as const;
export type FormCommand = (typeof FORM_COMMANDS)[number];

/** One piece of evidence: its dimension and its place in that dimension's list. */
export interface EvidenceRef {
  dimension: string;
  index: number;
}
const isEvidenceRef = object<EvidenceRef>({ dimension: isString, index: isIndex });

/** The prefix of this webview's messages. */
export const RubricFormScope = 'rubric';
const { command, notification } = webviewScope(RubricFormScope);

export const RubricForm = {
  /** host -> page: everything to show (no run open: `undefined`, and the page shows how to open one). */
  state: notification<RubricFormState | undefined>('state'),
  /** page -> host: one field changed (sent as the reviewer types). */
  edit: command<Edit>('edit', isEdit),
  /** page -> host: open the location of one piece of evidence. */
  openEvidence: command<EvidenceRef>('openEvidence', isEvidenceRef),
  /** page -> host: remove one piece of evidence. */
  removeEvidence: command<EvidenceRef>('removeEvidence', isEvidenceRef),
  /** page -> host: run one of the form's commands (open a run, choose a rubric, resolve a conflict). */
  command: command<{ command: FormCommand }>('command', object({ command: oneOf(...FORM_COMMANDS) })),
} as const;
