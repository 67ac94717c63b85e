import { type OverviewFile, type SectionAuthority } from '../../protocol/webview/overview';
import { h } from '../dom';

/** One file's <section>: a header row (toggle, path, badge, notes, counts, Open diff) and a body the page fills lazily. */
export interface SectionParts {
  root: HTMLElement;
  toggle: HTMLButtonElement;
  body: HTMLElement;
}

const SYMLINK = '120000';
const SUBMODULE = '160000';
const NO_MODE = '000000';
export const MINUS = '\u2212';

const numbers = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numbers.format(n);
}

/** The status letter, with the similarity for renames and copies ("R 87%"), and its long form for the tooltip. */
export function statusBadge(f: OverviewFile): { text: string; title: string } {
  const similarity = f.similarity !== undefined ? ` ${f.similarity}%` : '';
  switch (f.status) {
    case 'added': return { text: 'A', title: 'Added' };
    case 'deleted': return { text: 'D', title: 'Deleted' };
    case 'modified': return { text: 'M', title: 'Modified' };
    case 'renamed': return { text: `R${similarity}`, title: `Renamed${similarity ? `, ${f.similarity}% similar` : ''}` };
    case 'copied': return { text: `C${similarity}`, title: `Copied${similarity ? `, ${f.similarity}% similar` : ''}` };
    case 'type-changed': return { text: 'T', title: 'Type changed' };
  }
}

/** Short notes after the badge: binary, symlink, submodule, a mode change. */
export function fileNotes(f: OverviewFile): string[] {
  const notes: string[] = [];
  if (f.binary) notes.push('binary');
  if (f.oldMode === SYMLINK || f.newMode === SYMLINK) notes.push('symlink');
  if (f.oldMode === SUBMODULE || f.newMode === SUBMODULE) notes.push('submodule');
  if (f.oldMode !== NO_MODE && f.newMode !== NO_MODE && f.oldMode !== f.newMode) notes.push(`${f.oldMode} \u2192 ${f.newMode}`);
  return notes;
}

export function displayPath(f: OverviewFile): string {
  return f.oldPath !== undefined && f.oldPath !== f.path ? `${f.oldPath} \u2192 ${f.path}` : f.path;
}

/** Builds the section. Every repository-derived string goes in as a text node or an attribute value, never as markup. */
export function buildSection(f: OverviewFile, expanded: boolean, actions: { toggle(): void; openDiff(): void }): SectionParts {
  const bodyId = `body-${f.id}`;
  const label = displayPath(f);
  const toggle = h('button', { class: 'toggle', type: 'button', 'aria-expanded': String(expanded), 'aria-controls': bodyId, title: label },
    h('span', { class: 'chevron', 'aria-hidden': 'true' }),
    h('span', { class: 'path' }, label));
  toggle.addEventListener('click', actions.toggle);
  const badge = statusBadge(f);
  const open = h('button', { class: 'open-diff', type: 'button', title: `Open ${f.path} in the diff editor` }, 'Open diff');
  open.addEventListener('click', actions.openDiff);
  const counts = f.binary
    ? null
    : h('span', { class: 'counts', 'aria-label': `${f.additions} added, ${f.deletions} deleted lines` },
      h('span', { class: 'added' }, `+${formatCount(f.additions)}`), ' ',
      h('span', { class: 'deleted' }, `${MINUS}${formatCount(f.deletions)}`));
  // The accordion pattern: the toggle inside a heading, so a screen reader can jump from file to file.
  const header = h('div', { class: 'file-header' },
    h('h2', { class: 'file-title' }, toggle),
    h('span', { class: `badge status-${f.status}`, title: badge.title }, badge.text),
    ...fileNotes(f).map(n => h('span', { class: 'note' }, n)),
    counts,
    open);
  const body = h('div', { class: 'file-body', id: bodyId });
  body.hidden = !expanded;
  const root = h('section', { class: 'file', 'data-id': f.id }, header, body);
  return { root, toggle, body };
}

/** The body of a file whose diff is not drawn inline: why, and a way to the diff editor. */
export function summaryContent(text: string, kind: 'large' | 'binary' | 'empty' | 'error', openDiff: () => void): HTMLElement {
  const button = h('button', { class: 'open-editor', type: 'button' }, 'Open in diff editor');
  button.addEventListener('click', openDiff);
  return h('div', { class: `summary summary-${kind}` }, h('span', {}, text), button);
}

export function loadingContent(): HTMLElement {
  return h('div', { class: 'loading' }, 'Loading\u2026');
}

/**
 * The authority map's word on a file, above its diff: the run's entry points and writes here (those bypassing the
 * declared authority named), and the baseline's write paths here that the run deleted or left unreachable.
 */
export function authorityNote(a: SectionAuthority | undefined): HTMLElement | null {
  if (!a) return null;
  const lines: HTMLElement[] = [];
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (a.run) {
    const counts = [a.run.entries > 0 ? plural(a.run.entries, 'entry point') : '', a.run.writes > 0 ? plural(a.run.writes, 'write') : ''].filter(Boolean).join(' · ');
    if (a.run.bypassing.length > 0) {
      lines.push(h('p', { class: 'authority-line bypass' }, h('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
        ` Run: ${counts}; bypassing the declared authority: ${a.run.bypassing.join(', ')}`));
    } else {
      lines.push(h('p', { class: 'authority-line' }, h('span', { class: 'codicon codicon-shield', 'aria-hidden': 'true' }), ` Run: ${counts}`));
    }
  }
  if (a.baseline && (a.baseline.lost.length > 0 || !a.run)) {
    const counts = [a.baseline.entries > 0 ? plural(a.baseline.entries, 'entry point') : '', a.baseline.writes > 0 ? plural(a.baseline.writes, 'write') : ''].filter(Boolean).join(' · ');
    lines.push(h('p', { class: `authority-line${a.baseline.lost.length > 0 ? ' lost' : ''}` },
      h('span', { class: `codicon codicon-${a.baseline.lost.length > 0 ? 'warning' : 'history'}`, 'aria-hidden': 'true' }),
      ` Baseline: ${counts}${a.baseline.lost.length > 0 ? `; write paths gone from the run: ${a.baseline.lost.join(', ')}` : ''}`));
  }
  return lines.length > 0 ? h('div', { class: 'authority-note', role: 'note', 'aria-label': 'Authority map' }, ...lines) : null;
}
