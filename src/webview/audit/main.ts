import { Audit, type AuditRefused, type AuditState } from '../../protocol/webview/audit';
import { h } from '../dom';
import { on, post, ready, viewState } from '../host';
import { codicon, isolated } from './parts';
import { AuditView, structureKey } from './view';

/**
 * The Audit view (an editor panel): one disputed run's worksheets side by side and the adjudicator's decisions. The
 * host reads, verifies and evaluates, and sends the whole state after every change; this page renders it and reports
 * each edit as it is typed. Built once per run and patched afterwards, so a state arriving while the adjudicator types
 * never takes the field, its text or its caret.
 */
interface SavedState {
  runId?: string;
  /** Dimensions whose rows are expanded. */
  expanded?: string[];
}

let saved: SavedState = viewState.get<SavedState>() ?? {};
let view: AuditView | undefined;

function save(change: Partial<SavedState>): void {
  saved = { ...saved, ...change };
  viewState.set(saved);
}

function refused(s: AuditRefused): HTMLElement {
  return h('div', { class: 'audit refused', 'data-testid': 'refused' },
    h('header', {}, h('h1', {}, 'Audit of ', isolated(s.runId))),
    h('p', { class: 'notice warning', role: 'alert' }, codicon('eye-closed'), ' ', s.reason),
    h('p', { class: 'note' }, 'The other graders\u2019 worksheets are not shown.'));
}

function render(state: AuditState): void {
  const app = document.getElementById('app');
  if (!app) return;
  if (state.kind === 'refused') {
    view = undefined;
    app.replaceChildren(refused(state));
    return;
  }
  if (saved.runId !== state.runId) save({ runId: state.runId, expanded: [] });
  const expanded = new Set(saved.expanded ?? []);
  if (view?.key === structureKey(state)) {
    view.update(state);
    return;
  }
  view = new AuditView(state, expanded, {
    mode: (dimension, mode) => post(Audit.edit, { kind: 'mode', dimension, mode }),
    points: (dimension, value) => post(Audit.edit, { kind: 'points', dimension, value }),
    rationale: (dimension, value) => post(Audit.edit, { kind: 'rationale', dimension, value }),
    openEvidence: (grader, dimension, index) => post(Audit.openEvidence, { grader, dimension, index }),
    sign: () => post(Audit.command, { command: 'sign' }),
    showLog: () => post(Audit.command, { command: 'showLog' }),
    expanded: (dimension, open) => {
      const now = new Set(saved.expanded ?? []);
      if (open) now.add(dimension);
      else now.delete(dimension);
      save({ expanded: [...now] });
    },
  });
  app.replaceChildren(view.el);
  view.update(state);
}

// The page changes on every keystroke: a live region around all of it would read it out each time. Only a points
// field's reason and the status are announced.
document.getElementById('app')?.removeAttribute('aria-live');
on(Audit.state, render);
ready();
