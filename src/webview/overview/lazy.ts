import { type OverviewFile, type OverviewLayout, type PatchReply } from '../../protocol/webview/overview';
import { MINUS, authorityNote, formatCount, loadingContent, summaryContent } from './section';
import { patchFragment } from './patch-html';

/**
 * Fills file bodies only while they are near the viewport. A body far away is an empty block whose height is the
 * measured height of its diff, or an estimate from the line counts, so the scroll bar stays roughly right. Each
 * patch is requested at most once and kept, so a body that scrolls out and back is drawn again without a request.
 */
export interface BodyHost {
  /** Asks the host for a file's patch; never rejects (a failure is an `ok: false` reply). */
  request(id: string): Promise<PatchReply>;
  openDiff(id: string): void;
  /** A body now shows its content: a drawn diff or a summary. */
  contentShown(): void;
}

type BodyState = 'placeholder' | 'loading' | 'diff' | 'summary';

interface Body {
  readonly file: OverviewFile;
  readonly el: HTMLElement;
  near: boolean;
  state: BodyState;
}

type SummaryKind = 'large' | 'binary' | 'empty' | 'error';

const ROW_PX = 21;
const LINES_PER_HUNK = 12;
const ROWS_PER_HUNK = 7; // the hunk header and about six lines of context
const FRAME_PX = 4;
/** A summary line ("Binary file changed" and its button). */
const SUMMARY_PX = 38;

/** The height a diff will roughly take before it is drawn. */
export function estimateHeight(f: OverviewFile, layout: OverviewLayout): number {
  const changed = f.additions + f.deletions;
  const lines = layout === 'line-by-line' ? changed : Math.max(f.additions, f.deletions);
  return (lines + Math.ceil(changed / LINES_PER_HUNK) * ROWS_PER_HUNK) * ROW_PX + FRAME_PX;
}

function noContentText(f: OverviewFile): string {
  switch (f.status) {
    case 'added': return 'Empty file added';
    case 'deleted': return 'Empty file deleted';
    case 'renamed': return 'Renamed; the content is unchanged';
    case 'copied': return 'Copied; the content is unchanged';
    default: return 'The content is unchanged';
  }
}

/** What a body shows instead of a diff, if anything: binary, large, unreadable, or nothing to show. */
export function summaryOf(f: OverviewFile, result?: PatchReply): { kind: SummaryKind; text: string } | undefined {
  if (f.binary) return { kind: 'binary', text: 'Binary file changed' };
  if (f.large || (result?.ok && result.large)) {
    return { kind: 'large', text: `Large diff: +${formatCount(f.additions)} ${MINUS}${formatCount(f.deletions)} lines, not rendered inline` };
  }
  if (result?.ok === false) return { kind: 'error', text: `Could not read the diff: ${result.error}` };
  if (f.additions + f.deletions === 0 || (result?.ok && !result.large && !result.patch)) return { kind: 'empty', text: noContentText(f) };
  return undefined;
}

export class LazyBodies {
  private readonly bodies = new Map<string, Body>();
  private readonly byElement = new WeakMap<Element, Body>();
  private readonly requested = new Set<string>();
  private readonly results = new Map<string, PatchReply>();
  private readonly measured = new Map<string, number>();
  private layout: OverviewLayout = 'side-by-side';
  private observer: IntersectionObserver | undefined;
  /** Bumped by reset(): a reply to a request for the previous file list is not used for the new one. */
  private generation = 0;

  constructor(private readonly host: BodyHost) {}

  /** A new file list: forgets everything about the previous one. */
  reset(layout: OverviewLayout): void {
    this.observer?.disconnect();
    this.bodies.clear();
    this.requested.clear();
    this.results.clear();
    this.measured.clear();
    this.generation++;
    this.layout = layout;
    // The document as root (not the implicit root): inside the webview's cross-origin frame the implicit root would
    // ignore rootMargin. One screen above and below is "near".
    this.observer = new IntersectionObserver(entries => this.onIntersect(entries), { root: document, rootMargin: '100% 0px 100% 0px' });
  }

  /** A section was built: its body is filled when it comes near the viewport (at once for a one-line summary). */
  attach(file: OverviewFile, el: HTMLElement): void {
    const body: Body = { file, el, near: false, state: 'placeholder' };
    const summary = summaryOf(file, this.results.get(file.id));
    if (summary) {
      // a line of text: drawn at once, so its placeholder never takes the height of a diff that will not be drawn
      el.replaceChildren(summaryContent(summary.text, summary.kind, () => this.host.openDiff(file.id)));
      body.state = 'summary';
    } else {
      this.placeholder(body);
    }
    this.bodies.set(file.id, body);
    this.byElement.set(el, body);
    this.observer?.observe(el);
  }

  /** A section was taken down: remember how tall its body was, keep its patch. */
  detach(id: string): void {
    const body = this.bodies.get(id);
    if (!body) return;
    if (body.state === 'diff' || body.state === 'summary') this.measure(body);
    this.observer?.unobserve(body.el);
    this.bodies.delete(id);
  }

  /** How tall the body of this file is, or will roughly be, while expanded. */
  heightOf(file: OverviewFile): number {
    const measured = this.measured.get(file.id);
    if (measured !== undefined) return measured;
    return summaryOf(file, this.results.get(file.id)) ? SUMMARY_PX : estimateHeight(file, this.layout);
  }

  setLayout(layout: OverviewLayout): void {
    if (layout === this.layout) return;
    this.layout = layout;
    this.measured.clear();
    for (const body of this.bodies.values()) {
      if (body.state === 'diff') {
        body.state = 'placeholder';
        this.mount(body);
      } else if (body.state !== 'summary') {
        body.el.style.height = `${this.heightOf(body.file)}px`;
      }
    }
  }

  setExpanded(id: string, expanded: boolean): void {
    const body = this.bodies.get(id);
    if (!body || body.el.hidden === !expanded) return;
    if (!expanded) {
      this.unmount(body);
      body.near = false;
    }
    body.el.hidden = !expanded; // the observer reports the body again once it is shown
  }

  /** A patch (or why there is none) arrived. Ignored unless it was asked for this file list and not had yet. */
  private receive(id: string, result: PatchReply, generation: number): void {
    if (generation !== this.generation || !this.requested.has(id) || this.results.has(id)) return;
    this.results.set(id, result);
    const body = this.bodies.get(id);
    if (body?.near && !body.el.hidden) this.mount(body);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const body = this.byElement.get(entry.target);
      if (!body) continue;
      body.near = entry.isIntersecting;
      if (!body.near || body.el.hidden) this.unmount(body);
      else if (body.state === 'summary') this.host.contentShown();
      else this.mount(body);
    }
  }

  private mount(body: Body): void {
    if (body.state === 'diff' || body.state === 'summary') return;
    const id = body.file.id;
    const openDiff = () => this.host.openDiff(id);
    const result = this.results.get(id);
    const summary = summaryOf(body.file, result);
    if (summary) {
      this.show(body, summaryContent(summary.text, summary.kind, openDiff), 'summary');
    } else if (result?.ok && !result.large) {
      this.show(body, this.drawn(result.patch, openDiff), 'diff');
    } else {
      if (body.state !== 'loading') {
        body.el.replaceChildren(loadingContent());
        body.state = 'loading';
      }
      if (!this.requested.has(id)) {
        this.requested.add(id);
        const generation = this.generation;
        void this.host.request(id).then(result => this.receive(id, result, generation));
      }
    }
  }

  private drawn(patch: string, openDiff: () => void): Node {
    try {
      return patchFragment(patch, this.layout);
    } catch (e) {
      return summaryContent(`Could not draw the diff: ${e instanceof Error ? e.message : String(e)}`, 'error', openDiff);
    }
  }

  private show(body: Body, content: Node, state: BodyState): void {
    body.el.style.height = '';
    const result = this.results.get(body.file.id);
    const note = result?.ok ? authorityNote(result.authority) : null;
    body.el.replaceChildren(...(note ? [note] : []), content);
    body.state = state;
    this.host.contentShown();
  }

  /** Only drawn diffs are taken down: summaries and "Loading…" are a line each. */
  private unmount(body: Body): void {
    if (body.state !== 'diff') return;
    this.measure(body);
    this.placeholder(body);
  }

  private measure(body: Body): void {
    const height = body.el.getBoundingClientRect().height;
    if (height > 0) this.measured.set(body.file.id, height);
  }

  private placeholder(body: Body): void {
    body.el.replaceChildren();
    body.el.style.height = `${this.heightOf(body.file)}px`;
    body.state = 'placeholder';
  }
}
