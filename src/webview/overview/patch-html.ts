import { html } from 'diff2html';
import { type OverviewLayout } from '../../protocol/webview/overview';

/**
 * One file's unified diff as DOM, through diff2html. diff2html escapes patch lines and file names itself; on top of
 * that its markup is parsed in an inert <template> (nothing loads or runs there) and kept only if it is made of the
 * elements and attributes its templates produce. diff2html's own file header is dropped: the page draws its own.
 */
const ALLOWED_TAGS = new Set(['DIV', 'SPAN', 'TABLE', 'TBODY', 'TR', 'TD', 'INS', 'DEL', 'BR']);
const ALLOWED_ATTRIBUTES = new Set(['class']);

export function patchFragment(patch: string, layout: OverviewLayout): DocumentFragment {
  const markup = html(patch, { outputFormat: layout, drawFileList: false, matching: 'lines', diffStyle: 'word' });
  const template = document.createElement('template');
  template.innerHTML = markup;
  const content = template.content;
  for (const header of content.querySelectorAll('.d2h-file-header')) header.remove();
  sanitize(content);
  return content;
}

/** Removes every element and attribute outside the allowlist. Returns how many were removed. */
export function sanitize(root: DocumentFragment): number {
  let removed = 0;
  const doomed: Element[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node as Element;
    if (!ALLOWED_TAGS.has(el.tagName)) {
      doomed.push(el);
      continue;
    }
    for (const name of el.getAttributeNames()) {
      if (!ALLOWED_ATTRIBUTES.has(name)) {
        el.removeAttribute(name);
        removed++;
      }
    }
  }
  for (const el of doomed) el.remove();
  removed += doomed.length;
  return removed;
}
