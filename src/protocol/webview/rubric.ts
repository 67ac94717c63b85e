import { webviewScope } from './messages';
import { isIndex, isString, isUndefined, object, oneOf, optional, union, type Guard } from './guards';
import type { EvidenceFact } from '../server/evidence';

export type { EvidenceFact };
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

/**
 * Evidence the review server found for the open run (tests, logs, stubs, the plan), placed under the dimensions whose
 * words name it. Sent apart from the state (it changes once per run, the state on every keystroke). Facts, never scores.
 */
export interface FoundEvidence {
  status: 'none' | 'waiting' | 'finding' | 'ready' | 'failed';
  /** What is happening or went wrong, in words; for ready, what was found ("120 baseline tests, 2 logs…"). */
  message: string;
  /** Facts by dimension id (a fact can be under more than one dimension). */
  byDimension: Record<string, EvidenceFact[]>;
  /** Facts of topics that no dimension names: listed once, after the dimensions. */
  unplaced: EvidenceFact[];
  /** Facts the server left out (more than it sends per topic): `seb-review evidence` lists them all. */
  omitted: number;
}

/** A found fact to add to a dimension's evidence (no dimension: the reviewer is asked which). */
export interface AddFact {
  id: string;
  dimension?: string;
}

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
  /** host -> page: the evidence found for the open run (sent when it changes, and when the page loads). */
  found: notification<FoundEvidence>('found'),
  /** page -> host: open a found fact's location. */
  openFact: command<{ id: string }>('openFact', object({ id: isString })),
  /** page -> host: add a found fact to a dimension's evidence. */
  addFact: command<AddFact>('addFact', object<AddFact>({ id: isString, dimension: optional(isString) })),
  /** page -> host: look for the evidence again (after a failure). */
  retryFound: command<undefined>('retryFound', isUndefined),
  /** page -> host: run one of the form's commands (open a run, choose a rubric, resolve a conflict). */
  command: command<{ command: FormCommand }>('command', object({ command: oneOf(...FORM_COMMANDS) })),
} as const;
