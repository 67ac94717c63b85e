import { type OverviewFile, type OverviewLayout } from '../../protocol/webview/overview';
import { h } from '../dom';
import { type LazyBodies } from './lazy';
import { type SectionParts } from './section';

/**
 * The list of file sections, built a chunk at a time: a chunk of files far from the viewport is one empty block as
 * tall as its sections would be. The page has only the first pages of the file list: the files it has not had yet are
 * one block at the end (the "rest"), as tall as that many average sections, so the scroll bar is about right; when the
 * rest comes near the viewport the list asks for the next page. So a run with tens of thousands of changed files opens
 * as fast as one with ten. Inside a built chunk, LazyBodies decides which diffs are drawn.
 */
interface Chunk {
  readonly el: HTMLElement;
  readonly files: readonly OverviewFile[];
  built: boolean;
}

export interface SectionSource {
  build(file: OverviewFile): SectionParts;
  isExpanded(id: string): boolean;
  /** The files the list has end near the viewport and `have` < the total: fetch the next page and append() it. */
  more(have: number): void;
}

const FILES_PER_CHUNK = 25;
/** A section's header, borders and margin. */
const SECTION_CHROME_PX = 43;
/**
 * Browsers cap how tall a box can be (Chromium about 33.5 million px, Firefox about 17.9 million): past the cap, blocks
 * pile up at the same place, and at the end of the page every one of them is "near the viewport" at once, so all their
 * sections are built and drawn (27,280 files of some 1,250 px each did that: gigabytes, minutes). The blocks that stand
 * for sections not built are scaled down together so the estimated page stays under this; the scroll bar then moves
 * faster over them than over the drawn sections, which keep their real height.
 */
export const MAX_ESTIMATED_PAGE_PX = 8_000_000;

export class SectionList {
  readonly el = h('div', { class: 'files' });
  private chunks: Chunk[] = [];
  /** Stands for the files not had yet. */
  private rest = h('div', { class: 'rest', 'aria-hidden': 'true' });
  private have = 0;
  private total = 0;
  /** What the blocks standing for unbuilt sections are scaled by (1 unless the page would be too tall). */
  private scale = 1;
  private readonly built = new Map<string, SectionParts>();
  private readonly byElement = new WeakMap<Element, Chunk>();
  private observer: IntersectionObserver | undefined;

  constructor(private readonly bodies: LazyBodies, private readonly source: SectionSource) {}

  /** A new list: its first files, and how many it has in all. */
  reset(files: readonly OverviewFile[], total: number, layout: OverviewLayout): void {
    this.observer?.disconnect();
    this.built.clear();
    this.bodies.reset(layout);
    // Chunks are built a screen before they show, like the bodies inside them.
    this.observer = new IntersectionObserver(entries => this.onIntersect(entries), { root: document, rootMargin: '100% 0px 100% 0px' });
    this.chunks = [];
    this.have = 0;
    this.total = total;
    this.scale = 1;
    this.rest = h('div', { class: 'rest', 'aria-hidden': 'true' });
    this.el.replaceChildren(this.rest);
    this.append(files);
  }

  /** The next page of the list arrived (files from index `have` on). */
  append(files: readonly OverviewFile[]): void {
    const added: HTMLElement[] = [];
    for (let i = 0; i < files.length; i += FILES_PER_CHUNK) {
      const chunk: Chunk = { el: h('div', { class: 'chunk' }), files: files.slice(i, i + FILES_PER_CHUNK), built: false };
      chunk.el.style.height = this.blockHeight(chunk);
      this.chunks.push(chunk);
      this.byElement.set(chunk.el, chunk);
      added.push(chunk.el);
    }
    this.have += files.length;
    this.rest.before(...added);
    for (const el of added) this.observer?.observe(el);
    this.sizeBlocks(false);
    // observing again reports where the rest is now: still near the viewport, the next page is asked for at once
    this.observer?.unobserve(this.rest);
    if (this.have < this.total) this.observer?.observe(this.rest);
  }

  /** How many files of the list the page has. */
  get loaded(): number {
    return this.have;
  }

  /** Why the rest of the list is missing, in its place. */
  failed(message: string): void {
    this.observer?.unobserve(this.rest);
    this.rest.style.height = '';
    this.rest.removeAttribute('aria-hidden');
    this.rest.classList.add('failed');
    this.rest.textContent = message;
  }

  /** The section of this file, if its chunk is built. */
  section(id: string): SectionParts | undefined {
    return this.built.get(id);
  }

  builtSections(): IterableIterator<[string, SectionParts]> {
    return this.built.entries();
  }

  /** After a layout switch or a change of what is expanded: the blocks that stand for unbuilt chunks follow. */
  resizeUnbuilt(): void {
    this.sizeBlocks(true);
  }

  /**
   * Sizes the blocks: the rest (the files not had yet, each as tall as the average of those the page has, as they
   * would be if unbuilt), and, when the scale changed or `all`, every unbuilt chunk's.
   */
  private sizeBlocks(all: boolean): void {
    let had = 0;
    for (const chunk of this.chunks) had += this.heightOf(chunk);
    const missing = Math.max(0, this.total - this.have);
    const rest = this.have === 0 ? missing * SECTION_CHROME_PX : had / this.have * missing;
    const scale = Math.min(1, MAX_ESTIMATED_PAGE_PX / Math.max(1, had + rest));
    // a new page moves the estimate a little: the blocks are sized again only when the scale moved by more than 2%
    if (all || Math.abs(scale / this.scale - 1) > 0.02) {
      this.scale = scale;
      for (const chunk of this.chunks) if (!chunk.built) chunk.el.style.height = this.blockHeight(chunk);
    }
    if (!this.rest.classList.contains('failed')) this.rest.style.height = `${Math.round(rest * this.scale)}px`;
  }

  /** The height of the block standing for an unbuilt chunk. */
  private blockHeight(chunk: Chunk): string {
    return `${Math.round(this.heightOf(chunk) * this.scale)}px`;
  }

  private heightOf(chunk: Chunk): number {
    let height = 0;
    for (const f of chunk.files) height += SECTION_CHROME_PX + (this.source.isExpanded(f.id) ? this.bodies.heightOf(f) : 0);
    return height;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.target === this.rest) {
        if (entry.isIntersecting && this.have < this.total) this.source.more(this.have);
        continue;
      }
      const chunk = this.byElement.get(entry.target);
      if (!chunk) continue;
      if (entry.isIntersecting) this.build(chunk);
      else this.takeDown(chunk);
    }
  }

  private build(chunk: Chunk): void {
    if (chunk.built) return;
    chunk.built = true;
    const sections = chunk.files.map(f => {
      const parts = this.source.build(f);
      this.built.set(f.id, parts);
      return parts;
    });
    chunk.el.style.height = '';
    chunk.el.replaceChildren(...sections.map(s => s.root));
    chunk.files.forEach((f, i) => {
      const parts = sections[i];
      if (parts) this.bodies.attach(f, parts.body);
    });
  }

  private takeDown(chunk: Chunk): void {
    if (!chunk.built) return;
    for (const f of chunk.files) {
      this.bodies.detach(f.id);
      this.built.delete(f.id);
    }
    chunk.built = false;
    chunk.el.style.height = this.blockHeight(chunk);
    chunk.el.replaceChildren();
  }
}
