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

export class SectionList {
  readonly el = h('div', { class: 'files' });
  private chunks: Chunk[] = [];
  /** Stands for the files not had yet. */
  private rest = h('div', { class: 'rest', 'aria-hidden': 'true' });
  private have = 0;
  private total = 0;
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
    this.rest = h('div', { class: 'rest', 'aria-hidden': 'true' });
    this.el.replaceChildren(this.rest);
    this.append(files);
  }

  /** The next page of the list arrived (files from index `have` on). */
  append(files: readonly OverviewFile[]): void {
    const added: HTMLElement[] = [];
    for (let i = 0; i < files.length; i += FILES_PER_CHUNK) {
      const chunk: Chunk = { el: h('div', { class: 'chunk' }), files: files.slice(i, i + FILES_PER_CHUNK), built: false };
      chunk.el.style.height = `${this.heightOf(chunk)}px`;
      this.chunks.push(chunk);
      this.byElement.set(chunk.el, chunk);
      added.push(chunk.el);
    }
    this.have += files.length;
    this.rest.before(...added);
    for (const el of added) this.observer?.observe(el);
    this.sizeRest();
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
    for (const chunk of this.chunks) if (!chunk.built) chunk.el.style.height = `${this.heightOf(chunk)}px`;
    this.sizeRest();
  }

  /** The files not had yet, each as tall as the average of those the page has (as they would be if unbuilt). */
  private sizeRest(): void {
    if (this.rest.classList.contains('failed')) return;
    const missing = this.total - this.have;
    if (missing <= 0 || this.have === 0) {
      this.rest.style.height = missing > 0 ? `${missing * SECTION_CHROME_PX}px` : '0px';
      return;
    }
    let height = 0;
    for (const chunk of this.chunks) height += this.heightOf(chunk);
    this.rest.style.height = `${Math.round(height / this.have * missing)}px`;
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
    chunk.el.style.height = `${this.heightOf(chunk)}px`;
    chunk.el.replaceChildren();
  }
}
