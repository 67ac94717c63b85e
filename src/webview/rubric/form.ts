import type { Edit, FoundEvidence, RubricFormState } from '../../protocol/webview/rubric';
import { FoundList } from './found-list';
import { h } from '../dom';
import { DimensionCard } from './dimension-card';
import { label, setReadOnly, setValueUnlessFocused } from './fields';
import { versionSuffix } from './format';
import { FormHeader, type HeaderActions } from './header';
import { GraderFields } from './grader';

export interface FormActions extends HeaderActions {
  edit(edit: Edit): void;
  openEvidence(dimension: string, index: number): void;
  removeEvidence(dimension: string, index: number): void;
  guidanceToggled(dimension: string, open: boolean): void;
  /** dimension undefined: a fact of a topic no dimension names (the host asks which). */
  addFact(id: string, dimension: string | undefined): void;
  openFact(id: string): void;
  retryFound(): void;
  /** key: a dimension id, or "" for the facts no dimension names. */
  foundToggled(key: string, open: boolean): void;
}

/** The key a form is built for: a state for another rubric (or another version of it) gets a new form. */
export function formKey(state: RubricFormState): string {
  return JSON.stringify([state.rubric.id, state.rubric.version, state.rubric.dimensions.map(d => d.id)]);
}

/** The whole form, built once per rubric and then patched in place, so focus and the caret survive every state. */
export class RubricFormView {
  readonly el: HTMLElement;
  readonly key: string;
  private readonly header: FormHeader;
  private readonly grader: GraderFields;
  private readonly cards: DimensionCard[];
  private readonly gaps: HTMLTextAreaElement;
  private readonly unplaced: FoundList;
  private found: FoundEvidence | undefined;
  private state: RubricFormState;

  constructor(state: RubricFormState, openGuidance: ReadonlySet<string>, openFound: ReadonlySet<string>, actions: FormActions) {
    this.state = state;
    this.key = formKey(state);
    this.header = new FormHeader(state, actions);
    this.grader = new GraderFields({
      name: value => actions.edit({ kind: 'graderName', value }),
      kind: value => actions.edit({ kind: 'graderKind', value }),
    });
    this.cards = state.rubric.dimensions.map(d => new DimensionCard(d, openGuidance.has(d.id), openFound.has(d.id), {
      points: value => actions.edit({ kind: 'points', dimension: d.id, value }),
      rationale: value => actions.edit({ kind: 'rationale', dimension: d.id, value }),
      open: index => actions.openEvidence(d.id, index),
      remove: index => actions.removeEvidence(d.id, index),
      guidanceToggled: open => actions.guidanceToggled(d.id, open),
      openFact: id => actions.openFact(id),
      addFact: id => actions.addFact(id, d.id),
      retryFound: () => actions.retryFound(),
      foundToggled: open => actions.foundToggled(d.id, open),
    }));
    this.unplaced = new FoundList('unplaced', 'Found by the analysis, under no dimension', openFound.has(''), {
      openFact: id => actions.openFact(id), addFact: id => actions.addFact(id, undefined),
      retry: () => actions.retryFound(), toggled: open => actions.foundToggled('', open),
    });
    this.gaps = h('textarea', { id: 'gaps', class: 'gaps', rows: '4' });
    this.gaps.addEventListener('input', () => actions.edit({ kind: 'gaps', value: this.gaps.value }));
    this.el = h('form', { class: 'rubric-form', 'aria-label': `${state.rubric.title} ${versionSuffix(state.rubric)}`.trim() },
      this.header.el,
      this.grader.el,
      h('div', { class: 'dimensions' }, ...this.cards.map(c => c.el)),
      h('div', { class: 'unplaced' }, this.unplaced.el),
      h('section', { class: 'gaps-section field' }, label(this.gaps.id, 'Gaps the run documented'), this.gaps));
    // Enter in a text field must not submit (and reload) the page.
    this.el.addEventListener('submit', e => e.preventDefault());
  }

  /** The evidence found for the run (sent apart from the state). */
  updateFound(found: FoundEvidence | undefined): void {
    this.found = found;
    this.update(this.state);
  }

  update(state: RubricFormState): void {
    this.state = state;
    const { draft, evaluation, readOnly } = state;
    this.el.classList.toggle('read-only', readOnly);
    this.header.update(state);
    this.grader.update(draft.grader, readOnly);
    for (const card of this.cards) {
      const id = card.dimension.id;
      card.update(draft.entries[id], evaluation.dimensions.find(d => d.id === id)?.check, readOnly, this.found);
    }
    // Facts no dimension names can go to any dimension: "Added" when one of them holds the lines.
    const all = Object.values(draft.entries).flatMap(e => e.evidence);
    this.unplaced.update(this.found, this.found?.unplaced ?? [], all, readOnly);
    setValueUnlessFocused(this.gaps, draft.gaps);
    setReadOnly(this.gaps, readOnly);
  }
}
