import { h } from '../dom';

/** Small helpers for the form's controls. */

/**
 * Sets a control's value from the host's state unless the reviewer is typing in it: a state computed from an older
 * keystroke must never overwrite newer text, nor move the caret.
 */
export function setValueUnlessFocused(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (el === document.activeElement) return;
  if (el.value !== value) el.value = value;
}

/** A label whose visible text is short ("Points") and whose accessible name says which dimension it belongs to. */
export function label(forId: string, text: string, context?: string): HTMLLabelElement {
  return h('label', { for: forId }, text, context ? h('span', { class: 'sr-only' }, ` for ${context}`) : null);
}

export function codicon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button showing only a codicon; its name comes from aria-label (and the tooltip from title). */
export function iconButton(icon: string, name: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'icon-button', 'aria-label': name, title: name, ...attrs }, codicon(icon));
  b.addEventListener('click', onClick);
  return b;
}

export function textButton(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Text inputs and text areas become read-only (still focusable and selectable); other controls are disabled. */
export function setReadOnly(el: HTMLInputElement | HTMLTextAreaElement, readOnly: boolean): void {
  if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) el.disabled = readOnly;
  else el.readOnly = readOnly;
}
