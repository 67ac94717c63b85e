import { h } from '../dom';

/** Small pieces of the Audit page. */

export function codicon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export const srOnly = (text: string): HTMLSpanElement => h('span', { class: 'sr-only' }, text);

/** 2.5, 21.667: at most three decimals; NaN (no points) as a dash. */
export function num(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '\u2014' : String(Number(x.toFixed(3)));
}

/** "1 grader", "3 graders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A string from a worksheet, isolated so that its direction marks cannot reorder the text around it. */
export function isolated(text: string, cls?: string): HTMLElement {
  return h('bdi', { class: cls }, text);
}

/**
 * Sets a control's value from the host's state unless the adjudicator is typing in it: a state computed from an
 * older keystroke must never overwrite newer text, nor move the caret.
 */
export function setValueUnlessFocused(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (el === document.activeElement) return;
  if (el.value !== value) el.value = value;
}

export function setInvalid(el: HTMLElement, invalid: boolean): void {
  if (invalid) el.setAttribute('aria-invalid', 'true');
  else el.removeAttribute('aria-invalid');
}

export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
