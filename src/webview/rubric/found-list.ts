import type { EvidenceFact, FoundEvidence } from '../../protocol/webview/rubric';
import type { Evidence } from '../../core/worksheet';
import { h } from '../dom';
import { codicon, iconButton, textButton } from './fields';

export interface FoundActions {
  openFact(id: string): void;
  /** Add the fact to this list's dimension (undefined: the host asks which). */
  addFact(id: string): void;
  retry(): void;
  toggled(open: boolean): void;
}

const locationText = (f: EvidenceFact) => (f.location ? `${f.location.path}:${f.location.startLine}` : '');

/** Whether a dimension's evidence already holds the fact's lines (then the fact shows "Added" instead of the button). */
export function isAdded(f: EvidenceFact, evidence: readonly Evidence[]): boolean {
  const l = f.location;
  return l !== undefined && evidence.some(e => e.side === l.side && e.path === l.path && e.startLine === l.startLine && e.endLine === l.endLine);
}

/**
 * Evidence the review server found, under one dimension (or, for topics no dimension names, once after them): each
 * fact in one line, which opens its location, with Add as Evidence beside it. Facts are text from the reviewed
 * repository, rendered as text. Collapsed by default; the summary counts them and those marked for attention.
 */
export class FoundList {
  readonly el: HTMLDetailsElement;
  private readonly summaryCount: HTMLElement;
  private readonly status: HTMLElement;
  private readonly list: HTMLUListElement;
  private key: string | undefined;

  constructor(private readonly idPrefix: string, title: string, open: boolean, private readonly actions: FoundActions) {
    this.summaryCount = h('span', { class: 'count' });
    this.status = h('p', { class: 'found-status', 'aria-live': 'polite' });
    this.list = h('ul', { class: 'found-items', 'aria-label': title });
    this.el = h('details', { class: 'found', id: `${idPrefix}-found` },
      h('summary', {}, title, this.summaryCount), this.status, this.list);
    this.el.open = open;
    this.el.addEventListener('toggle', () => actions.toggled(this.el.open));
  }

  update(found: FoundEvidence | undefined, facts: readonly EvidenceFact[], evidence: readonly Evidence[], readOnly: boolean): void {
    const show = found !== undefined && found.status !== 'none' && !readOnly && (found.status !== 'ready' || facts.length > 0);
    this.el.hidden = !show;
    if (!show || !found) return;
    const key = JSON.stringify([found.status, found.message, facts.map(f => f.id), facts.map(f => isAdded(f, evidence))]);
    if (key === this.key) return;
    this.key = key;
    const focused = this.focusedFact();
    const attention = facts.filter(f => f.attention).length;
    this.summaryCount.textContent = found.status === 'ready'
      ? ` (${facts.length}${attention > 0 ? `, ${attention} to look at` : ''})`
      : found.status === 'failed' ? ' (not found)' : ' (looking…)';
    const status: Array<Node | string> = found.status === 'ready' ? [] : [codicon(found.status === 'failed' ? 'error' : 'loading'), ` ${found.message}`];
    if (found.status === 'failed') status.push(textButton('Try Again', () => this.actions.retry(), { class: 'secondary retry' }));
    this.status.replaceChildren(...status);
    this.status.hidden = found.status === 'ready';
    this.status.classList.toggle('failed', found.status === 'failed');
    this.list.replaceChildren(...facts.map(f => this.item(f, isAdded(f, evidence))));
    this.list.hidden = found.status !== 'ready';
    if (focused) this.list.querySelector<HTMLElement>(`[data-fact="${CSS.escape(focused.id)}"].${focused.cls}`)?.focus();
  }

  private item(f: EvidenceFact, added: boolean): HTMLLIElement {
    const where = locationText(f);
    const icon = codicon(f.attention ? 'warning' : 'info');
    icon.classList.add(f.attention ? 'attention' : 'plain');
    const body = [icon, h('span', { class: 'found-text' }, f.text), where ? h('span', { class: 'location' }, where) : null];
    let main: HTMLElement;
    if (f.location) {
      main = h('button', { type: 'button', class: 'found-open', title: `Open ${where} (${f.location.side})`, 'data-fact': f.id }, ...body);
      main.addEventListener('click', () => this.actions.openFact(f.id));
    } else {
      main = h('span', { class: 'found-open no-location' }, ...body);
    }
    let add: HTMLElement | null = null;
    if (f.location) {
      add = added
        ? h('span', { class: 'found-added', title: 'Added to this dimension\'s evidence', role: 'img', 'aria-label': 'Added to this dimension\'s evidence' }, codicon('check'))
        : iconButton('add', `Add as evidence: ${f.text}`, () => this.actions.addFact(f.id), { class: 'icon-button found-add', 'data-fact': f.id, title: 'Add as Evidence' });
    }
    return h('li', { class: `found-item${f.attention ? ' attention' : ''}` }, main, add);
  }

  private focusedFact(): { id: string; cls: string } | undefined {
    const a = document.activeElement;
    if (!(a instanceof HTMLElement) || !this.list.contains(a)) return undefined;
    const id = a.getAttribute('data-fact');
    if (id === null) return undefined;
    // After Add, the button becomes "Added": focus goes to the fact's open button.
    return { id, cls: 'found-open' };
  }
}
