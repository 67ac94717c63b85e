import { type AuditDimension, type AuditGrader, type DecisionMode } from '../../protocol/webview/audit';
import { h } from '../dom';
import { codicon, isolated, num, setInvalid, setText, setValueUnlessFocused, srOnly } from './parts';

export interface DetailActions {
  mode(dimension: string, mode: DecisionMode): void;
  points(dimension: string, value: string): void;
  rationale(dimension: string, value: string): void;
  openEvidence(grader: number, dimension: string, index: number): void;
}

/** Each grader's points, rationale and evidence on one dimension, side by side. */
function graderCards(d: AuditDimension, graders: readonly AuditGrader[], actions: DetailActions): HTMLElement {
  if (!d.sheets) {
    return h('p', { class: 'note' }, 'The signed record keeps each grader\u2019s points, not their rationales or evidence: audit the worksheets to read them.');
  }
  return h('div', { class: 'graders', role: 'list' }, ...d.sheets.map((s, g) => {
    const grader = graders[g];
    const name = grader?.name ?? `grader ${g + 1}`;
    return h('section', { class: 'grader', role: 'listitem', 'data-grader': String(g), 'aria-label': `${name} on ${d.title}` },
      h('h3', {}, isolated(name), h('span', { class: 'grader-points' }, ` ${num(d.points[g])} / ${num(d.ceiling)}`)),
      s.rationale.trim() === '' ? h('p', { class: 'note' }, 'No rationale.') : h('p', { class: 'rationale-text', dir: 'auto' }, s.rationale),
      h('h4', {}, 'Evidence'),
      s.evidence.length === 0 ? h('p', { class: 'note' }, 'No evidence.') : h('ul', { class: 'evidence' }, ...s.evidence.map((e, i) => {
        const b = h('button', { type: 'button', class: 'evidence-link', 'data-index': String(i), title: `Open ${e.label} in the tree ${name} scored` },
          codicon(e.side === 'baseline' ? 'history' : 'go-to-file'), ' ', isolated(e.label), srOnly(`, from ${name}\u2019s worksheet`));
        b.addEventListener('click', () => actions.openEvidence(g, d.id, i));
        return h('li', {}, b, e.note ? h('p', { class: 'evidence-note', dir: 'auto' }, e.note) : null);
      })));
  }));
}

/** The adjudicator's decision on one dimension: accept the mean, or set points (kept as typed) with a rationale. */
export class DecisionField {
  readonly el: HTMLElement;
  private readonly mean: HTMLInputElement;
  private readonly set: HTMLInputElement;
  private readonly points: HTMLInputElement;
  private readonly reason: HTMLElement;
  private readonly rationale: HTMLTextAreaElement;
  private readonly rationaleHint: HTMLElement;

  constructor(private readonly d: AuditDimension, basis: string, actions: DetailActions) {
    const id = `decision-${d.id}`;
    this.mean = h('input', { type: 'radio', name: `${id}-mode`, id: `${id}-mean`, value: 'mean', class: 'mode-mean' });
    this.set = h('input', { type: 'radio', name: `${id}-mode`, id: `${id}-set`, value: 'set', class: 'mode-set' });
    for (const r of [this.mean, this.set]) r.addEventListener('change', () => { if (r.checked) actions.mode(d.id, r.value as DecisionMode); });
    this.points = h('input', { type: 'text', id: `${id}-points`, class: 'points', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': `${id}-reason`, 'aria-label': `Points for ${d.title}, out of ${num(d.ceiling)}` });
    this.points.addEventListener('input', () => {
      this.set.checked = true;
      actions.points(d.id, this.points.value);
    });
    this.reason = h('p', { id: `${id}-reason`, class: 'reason', 'aria-live': 'polite' });
    this.rationale = h('textarea', { id: `${id}-rationale`, class: 'rationale', rows: '3', 'aria-describedby': `${id}-rhint` });
    this.rationale.addEventListener('input', () => actions.rationale(d.id, this.rationale.value));
    this.rationaleHint = h('span', { id: `${id}-rhint`, class: 'hint' }, 'required when the points differ from the mean');
    this.el = h('fieldset', { class: 'decision', 'data-dimension': d.id },
      h('legend', {}, `Your decision on ${d.title}`),
      h('div', { class: 'choice' }, this.mean, h('label', { for: this.mean.id }, `Accept the ${basis} (${num(d.aggregate)})`)),
      h('div', { class: 'choice' }, this.set, h('label', { for: this.set.id }, 'Set points'), ' ', this.points, h('span', { class: 'of' }, ` / ${num(d.ceiling)}`)),
      this.reason,
      h('div', { class: 'field' }, h('label', { for: this.rationale.id }, 'Rationale ', this.rationaleHint), this.rationale));
  }

  update(d: AuditDimension, readOnly: boolean): void {
    this.mean.checked = d.decision.mode === 'mean';
    this.set.checked = d.decision.mode === 'set';
    setValueUnlessFocused(this.points, d.decision.points);
    setValueUnlessFocused(this.rationale, d.decision.rationale);
    this.mean.disabled = readOnly;
    this.set.disabled = readOnly;
    this.points.readOnly = readOnly;
    this.rationale.readOnly = readOnly;
    setInvalid(this.points, d.check.pointsInvalid);
    setInvalid(this.rationale, d.check.rationaleMissing);
    if (d.check.departs) this.rationale.setAttribute('aria-required', 'true');
    else this.rationale.removeAttribute('aria-required');
    this.rationaleHint.classList.toggle('required', d.check.departs);
    const reason = d.check.ok ? '' : (d.check.reason ?? '');
    setText(this.reason, reason);
    this.reason.hidden = reason === '';
    this.el.classList.toggle('invalid', !d.check.ok);
  }
}

/** The expanded part of a dimension's row: the graders side by side, then the decision. */
export function detailContent(d: AuditDimension, graders: readonly AuditGrader[], basis: string, actions: DetailActions): { el: HTMLElement; decision: DecisionField } {
  const decision = new DecisionField(d, basis, actions);
  return { el: h('div', { class: 'detail-body' }, graderCards(d, graders, actions), decision.el), decision };
}
