import type { Evidence } from '../../core/worksheet';
import { h } from '../dom';
import { evidenceLocation } from './format';
import { iconButton } from './fields';

export const EVIDENCE_HINT = 'Select lines in an editor and run \u201cAdd Selection as Evidence\u2026\u201d (editor context menu)';

export interface EvidenceActions {
  open(index: number): void;
  remove(index: number): void;
}

/**
 * One dimension's evidence: each item opens its location; a remove button beside it (not when read-only). The list is
 * rebuilt only when the evidence itself changes, and focus stays in the list when an item is removed.
 */
export class EvidenceList {
  readonly el: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly hint: HTMLElement;
  private key: string | undefined;

  constructor(idPrefix: string, private readonly actions: EvidenceActions) {
    const headingId = `${idPrefix}-evidence`;
    this.count = h('span', { class: 'count' });
    this.heading = h('h3', { id: headingId, tabindex: '-1' }, 'Evidence', this.count);
    this.list = h('ul', { class: 'evidence-items', 'aria-labelledby': headingId });
    this.hint = h('p', { class: 'hint' });
    this.el = h('div', { class: 'evidence' }, this.heading, this.list, this.hint);
  }

  update(evidence: readonly Evidence[], readOnly: boolean): void {
    const key = JSON.stringify([evidence, readOnly]);
    if (key === this.key) return;
    this.key = key;
    const focus = this.focusedItem();
    this.count.textContent = evidence.length > 0 ? ` (${evidence.length})` : '';
    this.list.replaceChildren(...evidence.map((e, i) => this.item(e, i, readOnly)));
    this.list.hidden = evidence.length === 0;
    this.hint.hidden = evidence.length > 0;
    this.hint.textContent = readOnly ? 'No evidence.' : EVIDENCE_HINT;
    if (focus) this.restoreFocus(focus, evidence.length);
  }

  private item(e: Evidence, index: number, readOnly: boolean): HTMLLIElement {
    const where = evidenceLocation(e);
    const open = h('button', { type: 'button', class: 'evidence-open', title: `Open ${where} (${e.side})`, 'data-index': String(index) },
      h('span', { class: `side side-${e.side}` }, e.side),
      h('span', { class: 'location' }, where),
      e.note ? h('span', { class: 'note' }, e.note) : null);
    open.addEventListener('click', () => this.actions.open(index));
    const remove = readOnly ? null : iconButton('close', `Remove evidence ${where}`, () => this.actions.remove(index), { class: 'icon-button remove' });
    return h('li', { class: 'evidence-item' }, open, remove);
  }

  private focusedItem(): { index: number; remove: boolean } | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.list.contains(active)) return undefined;
    const items = [...this.list.children];
    const index = items.findIndex(li => li.contains(active));
    return index < 0 ? undefined : { index, remove: active.classList.contains('remove') };
  }

  /** After a rebuild (typically a removal): the same control of the item now at that place, or the heading. */
  private restoreFocus(was: { index: number; remove: boolean }, length: number): void {
    const li = this.list.children[Math.min(was.index, length - 1)];
    const target = li?.querySelector<HTMLElement>(was.remove ? 'button.remove' : 'button.evidence-open')
      ?? li?.querySelector<HTMLElement>('button.evidence-open');
    (target ?? this.heading).focus();
  }
}
