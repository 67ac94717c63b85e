import type { Grader } from '../../core/worksheet';
import { h } from '../dom';
import { label, setReadOnly, setValueUnlessFocused } from './fields';

export interface GraderActions {
  name(value: string): void;
  kind(value: Grader['kind']): void;
}

const KINDS: ReadonlyArray<{ value: Grader['kind']; label: string }> = [
  { value: 'human', label: 'Human' },
  { value: 'model', label: 'Model' },
];

/** Who is grading: a name, and whether a human or a model (native radios: arrow keys move the choice). */
export class GraderFields {
  readonly el: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly radios: HTMLInputElement[];

  constructor(actions: GraderActions) {
    this.name = h('input', { id: 'grader-name', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    this.name.addEventListener('input', () => actions.name(this.name.value));
    this.radios = KINDS.map(k => {
      const r = h('input', { type: 'radio', name: 'grader-kind', id: `grader-kind-${k.value}`, value: k.value });
      r.addEventListener('change', () => {
        if (r.checked) actions.kind(k.value);
      });
      return r;
    });
    this.el = h('section', { class: 'grader' },
      h('div', { class: 'field' }, label(this.name.id, 'Grader'), this.name),
      h('div', { class: 'kind', role: 'radiogroup', 'aria-labelledby': 'grader-kind-label' },
        h('span', { id: 'grader-kind-label', class: 'kind-label' }, 'Kind'),
        ...this.radios.map((r, i) => h('label', { class: 'radio' }, r, ` ${KINDS[i]?.label ?? ''}`))));
  }

  update(grader: Grader, readOnly: boolean): void {
    setValueUnlessFocused(this.name, grader.name);
    setReadOnly(this.name, readOnly);
    // While the reviewer is on the group, it keeps its own choice until the host has caught up.
    const onGroup = this.radios.some(r => r === document.activeElement);
    for (const r of this.radios) {
      if (!onGroup) r.checked = r.value === grader.kind;
      setReadOnly(r, readOnly);
    }
  }
}
