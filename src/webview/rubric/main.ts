import { RubricForm, type FoundEvidence, type RubricFormState } from '../../protocol/webview/rubric';
import { h } from '../dom';
import { on, post, ready, viewState } from '../host';
import { RubricFormView, formKey } from './form';

/**
 * The rubric form (a webview view in the SEB Review side bar). The host owns the draft and sends the whole state
 * after every change; this page renders it and reports each edit as it is typed. The form is built once per rubric and
 * patched afterwards, so a state arriving while the reviewer types never takes the field, its text or its caret.
 */
interface SavedState {
  /** Dimensions whose guidance is expanded. */
  openGuidance?: string[];
  /** Dimensions whose "Found by the analysis" list is expanded ("" for the list under no dimension). */
  openFound?: string[];
  scrollY?: number;
}

let saved: SavedState = viewState.get<SavedState>() ?? {};
const openGuidance = new Set(saved.openGuidance ?? []);
const openFound = new Set(saved.openFound ?? []);
let view: RubricFormView | undefined;
let found: FoundEvidence | undefined;
let restoredScroll = false;

function save(change: Partial<SavedState>): void {
  saved = { ...saved, ...change };
  viewState.set(saved);
}

function noRun(): HTMLElement {
  const open = h('button', { type: 'button', class: 'primary' }, 'Open Run\u2026');
  open.addEventListener('click', () => post(RubricForm.command, { command: 'openRun' }));
  return h('div', { class: 'no-run' }, h('p', {}, 'No run is open. Open a run to score it on the rubric.'), open);
}

function render(state: RubricFormState | undefined): void {
  const app = document.getElementById('app');
  if (!app) return;
  if (state === undefined) {
    view = undefined;
    app.replaceChildren(noRun());
    return;
  }
  if (view?.key !== formKey(state)) {
    view = new RubricFormView(state, openGuidance, openFound, {
      edit: edit => post(RubricForm.edit, edit),
      openEvidence: (dimension, index) => post(RubricForm.openEvidence, { dimension, index }),
      removeEvidence: (dimension, index) => post(RubricForm.removeEvidence, { dimension, index }),
      guidanceToggled: (dimension, open) => {
        if (open) openGuidance.add(dimension);
        else openGuidance.delete(dimension);
        save({ openGuidance: [...openGuidance] });
      },
      openFact: id => post(RubricForm.openFact, { id }),
      addFact: (id, dimension) => post(RubricForm.addFact, dimension === undefined ? { id } : { id, dimension }),
      retryFound: () => post(RubricForm.retryFound, undefined),
      foundToggled: (key, open) => {
        if (open) openFound.add(key);
        else openFound.delete(key);
        save({ openFound: [...openFound] });
      },
      chooseRubric: () => post(RubricForm.command, { command: 'chooseRubric' }),
      reloadDraft: () => post(RubricForm.command, { command: 'reloadDraft' }),
      keepMine: () => post(RubricForm.command, { command: 'keepMine' }),
    });
    app.replaceChildren(view.el);
    view.updateFound(found);
  }
  view.update(state);
  if (!restoredScroll) {
    restoredScroll = true;
    if (saved.scrollY) window.scrollTo(0, saved.scrollY);
  }
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => save({ scrollY: Math.round(window.scrollY) }), 250);
}, { passive: true });

// The form changes on every keystroke: a live region around all of it would read the page out each time. Only a
// points field's reason and the save errors are announced.
document.getElementById('app')?.removeAttribute('aria-live');
on(RubricForm.state, render);
on(RubricForm.found, f => {
  found = f;
  view?.updateFound(f);
});
ready();
