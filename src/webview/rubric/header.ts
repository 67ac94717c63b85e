import type { RubricFormState } from '../../protocol/webview/rubric';
import { h } from '../dom';
import { codicon, iconButton, textButton } from './fields';
import { completenessText, totalText, versionSuffix } from './format';

export interface HeaderActions {
  chooseRubric(): void;
  reloadDraft(): void;
  keepMine(): void;
}

type StatusKind = NonNullable<RubricFormState['status']>['kind'];
const STATUS_ICON: Record<StatusKind, string> = { saved: 'check', saving: 'sync', error: 'error', conflict: 'warning' };

/**
 * The top of the form: the rubric and where it came from, Choose rubric, the live total, what is still missing, and
 * the save status (with the two ways out of a conflict).
 */
export class FormHeader {
  readonly el: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly source: HTMLElement;
  private readonly choose: HTMLButtonElement;
  private readonly total: HTMLElement;
  private readonly completeness: HTMLElement;
  private readonly completenessIcon: HTMLElement;
  private readonly completenessText: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusIcon: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly conflict: HTMLElement;

  constructor(state: RubricFormState, actions: HeaderActions) {
    const { rubric } = state;
    const version = versionSuffix(rubric);
    this.banner = h('p', { class: 'banner', role: 'note' }, codicon('lock'), ' Signed worksheet \u2014 read-only');
    this.source = h('p', { class: 'source', 'data-testid': 'rubric-source' });
    this.choose = iconButton('library', 'Choose rubric', actions.chooseRubric);
    this.total = h('span', { class: 'total-value', 'data-testid': 'total' });
    this.completenessIcon = h('span', { 'aria-hidden': 'true' });
    this.completenessText = h('span', { 'data-testid': 'completeness' });
    this.completeness = h('p', { class: 'completeness' }, this.completenessIcon, this.completenessText);
    this.statusIcon = h('span', { 'aria-hidden': 'true' });
    this.statusText = h('span', { 'data-testid': 'status' });
    this.conflict = h('span', { class: 'conflict-actions' },
      textButton('Load theirs', actions.reloadDraft, { title: 'Replace this form with the draft the other window saved' }),
      textButton('Keep mine', actions.keepMine, { class: 'secondary', title: 'Save this form over the other window\u2019s draft' }));
    this.status = h('div', { class: 'status' }, h('p', {}, this.statusIcon, this.statusText), this.conflict);
    this.el = h('header', { class: 'form-header' },
      this.banner,
      h('div', { class: 'title-row' },
        h('div', { class: 'titles' },
          h('h1', { 'data-testid': 'rubric-title' }, rubric.title, version ? ' ' : null, version ? h('span', { class: 'version' }, version) : null),
          this.source),
        this.choose),
      h('p', { class: 'total' }, this.total, h('span', { class: 'total-label' }, ' points')),
      this.completeness,
      this.status);
  }

  update(state: RubricFormState): void {
    this.banner.hidden = !state.readOnly;
    this.choose.hidden = state.readOnly;
    this.source.textContent = state.rubricSource;
    this.source.title = state.rubricSource;
    this.total.textContent = totalText(state.evaluation);
    const complete = state.evaluation.complete;
    this.completeness.classList.toggle('complete', complete);
    this.completenessIcon.className = `codicon codicon-${complete ? 'pass' : 'circle-large-outline'}`;
    this.completenessText.textContent = completenessText(state.rubric, state.evaluation);

    const s = state.status;
    this.status.hidden = s === undefined;
    this.status.className = `status status-${s?.kind ?? 'none'}`;
    this.statusIcon.className = s ? `codicon codicon-${STATUS_ICON[s.kind]}` : '';
    this.statusText.textContent = s?.text ?? '';
    // Errors and conflicts interrupt; "Saving…" / "Saved" on every keystroke would not be worth announcing.
    if (s?.kind === 'error' || s?.kind === 'conflict') this.status.setAttribute('role', 'alert');
    else this.status.removeAttribute('role');
    this.conflict.hidden = s?.kind !== 'conflict';
  }
}
