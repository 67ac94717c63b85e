import { notification } from './messages';
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

export const RubricForm = {
  /** host -> page: everything to show (no run open: `undefined`, and the page shows how to open one). */
  state: notification<RubricFormState | undefined>('rubric/state'),
  /** page -> host: one field changed (sent as the reviewer types). */
  edit: notification<Edit>('rubric/edit'),
  /** page -> host: open the location of one piece of evidence. */
  openEvidence: notification<{ dimension: string; index: number }>('rubric/openEvidence'),
  /** page -> host: remove one piece of evidence. */
  removeEvidence: notification<{ dimension: string; index: number }>('rubric/removeEvidence'),
  /** page -> host: run one of the form's commands (open a run, choose a rubric, resolve a conflict). */
  command: notification<{ command: 'openRun' | 'chooseRubric' | 'reloadDraft' | 'keepMine' }>('rubric/command'),
} as const;
