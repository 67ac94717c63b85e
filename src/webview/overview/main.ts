import { FIRST_PAGE_FILES, Overview, isOverviewLayout, type FilePageReply, type OverviewFile, type OverviewInit, type OverviewLayout, type OverviewTotals, type PatchReply } from '../../protocol/webview/overview';
import { h } from '../dom';
import { on, post, ready, request, viewState } from '../host';
import { LazyBodies } from './lazy';
import { MINUS, buildSection, formatCount } from './section';
import { SectionList } from './section-list';

/**
 * The Diff Overview page: the run's whole diff, one collapsible section per file, each diff drawn by diff2html only
 * while it is near the viewport. The layout, the collapsed files and the scroll position survive a reload of the page.
 */
interface SavedState {
  layout?: OverviewLayout;
  runId?: string;
  collapsed?: string[];
  /** Collapse all was the last of Collapse all / Expand all: files of pages still to come arrive collapsed. */
  collapseRest?: boolean;
  scrollY?: number;
}

const LAYOUTS: ReadonlyArray<{ value: OverviewLayout; label: string }> = [
  { value: 'side-by-side', label: 'Side by side' },
  { value: 'line-by-line', label: 'Line by line' },
];

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

let saved: SavedState = viewState.get<SavedState>() ?? {};
let layout: OverviewLayout | undefined = isOverviewLayout(saved.layout) ? saved.layout : undefined;
let collapsed = new Set<string>();
let files: OverviewFile[] = [];
let collapseRest = false;
let listId = -1;
/** The start of the page asked for and not had yet. */
let pending: number | undefined;
let firstInit = true;
let firstContentSent = false;

const bodies = new LazyBodies({
  request: id => request(Overview.patch, { id }).catch((e: unknown): PatchReply => ({ ok: false, error: errorText(e) })),
  openDiff: id => post(Overview.openDiff, { id }),
  contentShown: () => {
    if (firstContentSent) return;
    firstContentSent = true;
    post(Overview.firstContent, { ms: performance.now() });
  },
});

const list = new SectionList(bodies, {
  isExpanded: id => !collapsed.has(id),
  more: have => fetchPage(have),
  build: file => {
    const parts = buildSection(file, !collapsed.has(file.id), {
      toggle: () => {
        setExpanded(file.id, parts.toggle.getAttribute('aria-expanded') !== 'true');
        save({ collapsed: [...collapsed] });
      },
      openDiff: () => post(Overview.openDiff, { id: file.id }),
    });
    parts.root.classList.toggle('collapsed', collapsed.has(file.id));
    return parts;
  },
});

/** Asks for the files from `start` on; the reply is used only if it is still the next page of the same list. */
function fetchPage(start: number): void {
  if (pending !== undefined) return;
  pending = start;
  const asked = listId;
  void request(Overview.files, { listId: asked, start, count: FIRST_PAGE_FILES })
    .catch((e: unknown): FilePageReply => ({ ok: false, error: errorText(e) }))
    .then(reply => {
      if (asked !== listId || pending !== start) return;
      pending = undefined;
      if (!reply.ok) {
        list.failed(`Could not load the rest of the file list: ${reply.error}`);
        return;
      }
      if (reply.start !== start || list.loaded !== start) return;
      if (collapseRest) {
        for (const f of reply.files) collapsed.add(f.id);
        save({ collapsed: [...collapsed] });
      }
      files.push(...reply.files);
      list.append(reply.files);
    });
}

function save(change: Partial<SavedState>): void {
  saved = { ...saved, ...change };
  viewState.set(saved);
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Only built sections have DOM to update; the rest follow `collapsed` when their chunk is built. */
function setExpanded(id: string, expanded: boolean): void {
  if (expanded) collapsed.delete(id);
  else collapsed.add(id);
  const parts = list.section(id);
  if (!parts) return;
  parts.toggle.setAttribute('aria-expanded', String(expanded));
  parts.root.classList.toggle('collapsed', !expanded);
  bodies.setExpanded(id, expanded);
}

/**
 * Runs a change that resizes many sections (a layout switch, Expand all) and scrolls back so the section under the
 * top of the viewport stays where it was; otherwise the resized placeholders above it would carry the reader away.
 */
function keepPlace(change: () => void): void {
  const toolbarBottom = document.querySelector('.toolbar')?.getBoundingClientRect().bottom ?? 0;
  const anchor = document.elementFromPoint(document.documentElement.clientWidth / 2, toolbarBottom + 8)?.closest('section.file');
  const before = anchor?.getBoundingClientRect().top;
  change();
  if (anchor && before !== undefined) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
}

function setAll(expanded: boolean): void {
  keepPlace(() => {
    collapsed = new Set(expanded ? [] : files.map(f => f.id));
    collapseRest = !expanded;
    for (const [id] of list.builtSections()) setExpanded(id, expanded);
    list.resizeUnbuilt();
  });
  save({ collapsed: [...collapsed], collapseRest });
}

function setLayout(next: OverviewLayout): void {
  if (next === layout) return;
  layout = next;
  for (const b of document.querySelectorAll<HTMLButtonElement>('.layout button')) {
    b.setAttribute('aria-pressed', String(b.dataset.layout === next));
  }
  keepPlace(() => {
    bodies.setLayout(next);
    list.resizeUnbuilt();
  });
  save({ layout: next });
  post(Overview.setLayout, { layout: next });
}

function totals(t: OverviewTotals): string {
  const n = t.files;
  return `${formatCount(n)} ${n === 1 ? 'file' : 'files'}, +${formatCount(t.additions)} ${MINUS}${formatCount(t.deletions)}`;
}

function header(init: OverviewInit): HTMLElement {
  return h('header', { class: 'run' },
    h('h1', {}, 'Diff overview: ', h('span', { 'data-testid': 'run-id' }, init.runId)),
    h('p', { class: 'meta' },
      'Baseline ', h('code', { 'data-testid': 'baseline', title: init.baselineCommit }, init.baselineCommit.slice(0, 8)),
      ' \u2192 ', h('span', { 'data-testid': 'head' }, init.headLabel),
      h('span', { class: 'totals', 'data-testid': 'totals' }, totals(init.totals))));
}

function toolbar(current: OverviewLayout): HTMLElement {
  const group = h('div', { class: 'layout', role: 'group', 'aria-label': 'Diff layout' },
    ...LAYOUTS.map(l => button(l.label, () => setLayout(l.value), { 'data-layout': l.value, 'aria-pressed': String(l.value === current) })));
  return h('div', { class: 'toolbar' }, group,
    h('div', { class: 'expand', role: 'group', 'aria-label': 'Sections' },
      button('Expand all', () => setAll(true)),
      button('Collapse all', () => setAll(false))));
}

function render(init: OverviewInit): void {
  const app = document.getElementById('app');
  if (!app) return;
  // Diffs are drawn as they scroll into view: announcing each one would drown a screen reader.
  app.removeAttribute('aria-live');
  const current: OverviewLayout = layout ?? (isOverviewLayout(init.layout) ? init.layout : 'side-by-side');
  layout = current;
  const sameRun = saved.runId === init.runId;
  collapsed = new Set(sameRun ? saved.collapsed ?? [] : []);
  collapseRest = sameRun && saved.collapseRest === true;
  if (collapseRest) for (const f of init.files) collapsed.add(f.id);
  save({ runId: init.runId, layout: current, collapsed: [...collapsed], collapseRest });
  files = [...init.files];
  listId = init.listId;
  pending = undefined;
  list.reset(init.files, init.totals.files, current);
  const empty = init.totals.files === 0 ? h('p', { class: 'empty' }, 'No file differs between the baseline and the run.') : null;
  app.replaceChildren(header(init), toolbar(current), empty ?? list.el);
  if (!sameRun) window.scrollTo(0, 0);
  else if (firstInit && saved.scrollY) window.scrollTo(0, saved.scrollY);
  firstInit = false;
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => save({ scrollY: Math.round(window.scrollY) }), 250);
}, { passive: true });

on(Overview.init, render);
ready();
