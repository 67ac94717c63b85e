import type { Dimension } from '../../core/rubric';
import type { DimensionEvaluation } from '../../core/scoring';
import type { DraftEntry } from '../../core/worksheet';
import { h } from '../dom';
import { EvidenceList, type EvidenceActions } from './evidence-list';
import { FoundList } from './found-list';
import type { FoundEvidence } from '../../protocol/webview/rubric';
import { barPercent } from './format';
import { label, setReadOnly, setValueUnlessFocused } from './fields';

export interface CardActions extends EvidenceActions {
  points(value: string): void;
  rationale(value: string): void;
  guidanceToggled(open: boolean): void;
  openFact(id: string): void;
  addFact(id: string): void;
  retryFound(): void;
  foundToggled(open: boolean): void;
}

function guidanceList(title: string, items: readonly string[]): HTMLElement[] {
  return items.length === 0 ? [] : [h('h3', {}, title), h('ul', {}, ...items.map(i => h('li', {}, i)))];
}

/** One dimension of the rubric: built once, then patched with each state the host sends. */
export class DimensionCard {
  readonly el: HTMLElement;
  private readonly points: HTMLInputElement;
  private readonly reason: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly rationale: HTMLTextAreaElement;
  private readonly evidence: EvidenceList;
  private readonly found: FoundList;

  constructor(readonly dimension: Dimension, guidanceOpen: boolean, foundOpen: boolean, actions: CardActions) {
    const id = `dim-${dimension.id}`;
    const titleId = `${id}-title`;
    const reasonId = `${id}-reason`;
    this.points = h('input', {
      id: `${id}-points`, class: 'points', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': reasonId,
    });
    this.points.addEventListener('input', () => actions.points(this.points.value));
    this.reason = h('p', { id: reasonId, class: 'reason', 'aria-live': 'polite' });
    this.fill = h('div', { class: 'fill' });
    this.rationale = h('textarea', { id: `${id}-rationale`, class: 'rationale', rows: '3' });
    this.rationale.addEventListener('input', () => actions.rationale(this.rationale.value));
    this.evidence = new EvidenceList(id, actions);
    this.found = new FoundList(id, 'Found by the analysis', foundOpen, {
      openFact: actions.openFact, addFact: actions.addFact, retry: actions.retryFound, toggled: actions.foundToggled,
    });

    const { rewards, penalises } = dimension.guidance;
    let guidance: HTMLDetailsElement | null = null;
    if (rewards.length + penalises.length > 0) {
      guidance = h('details', { class: 'guidance' },
        h('summary', {}, 'Guidance'),
        ...guidanceList('Rewarded', rewards),
        ...guidanceList('Penalised', penalises));
      guidance.open = guidanceOpen;
      const details = guidance;
      details.addEventListener('toggle', () => actions.guidanceToggled(details.open));
    }

    this.el = h('section', { class: 'dimension', 'aria-labelledby': titleId, 'data-dimension': dimension.id },
      h('div', { class: 'dimension-head' },
        h('h2', { id: titleId }, dimension.title),
        h('span', { class: 'badge ceiling' }, `ceiling ${dimension.ceiling}`)),
      h('div', { class: 'bar', 'aria-hidden': 'true' }, this.fill),
      h('p', { class: 'description' }, dimension.description),
      guidance,
      h('div', { class: 'points-row' },
        label(this.points.id, 'Points', dimension.title),
        this.points,
        h('span', { class: 'of' }, `/ ${dimension.ceiling}`)),
      this.reason,
      h('div', { class: 'field' }, label(this.rationale.id, 'Rationale', dimension.title), this.rationale),
      this.evidence.el,
      this.found.el);
  }

  update(entry: DraftEntry | undefined, check: DimensionEvaluation['check'] | undefined, readOnly: boolean, found: FoundEvidence | undefined): void {
    setValueUnlessFocused(this.points, entry?.points ?? '');
    setValueUnlessFocused(this.rationale, entry?.rationale ?? '');
    setReadOnly(this.points, readOnly);
    setReadOnly(this.rationale, readOnly);
    // An empty field is not an error: it is listed as missing in the header instead.
    const invalid = check !== undefined && !check.ok && check.kind !== 'empty';
    if (invalid) this.points.setAttribute('aria-invalid', 'true');
    else this.points.removeAttribute('aria-invalid');
    this.el.classList.toggle('invalid', invalid);
    const reason = invalid ? check.reason : '';
    if (this.reason.textContent !== reason) this.reason.textContent = reason;
    this.reason.hidden = !invalid;
    // Only a valid entry counts, so only a valid entry fills the bar (CSSOM: allowed by the page's CSP).
    this.fill.style.width = `${barPercent(check?.ok ? check.value : undefined, this.dimension.ceiling)}%`;
    this.evidence.update(entry?.evidence ?? [], readOnly);
    this.found.update(found, found?.byDimension[this.dimension.id] ?? [], entry?.evidence ?? [], readOnly);
  }
}
