import { type OverviewFile, type OverviewLayout } from '../../protocol/webview/overview';
import { h } from '../dom';
import { type LazyBodies } from './lazy';
import { type SectionParts } from './section';

/**
 * The list of file sections, built a chunk at a time: a chunk of files far from the viewport is one empty block as
 * tall as its sections would be, so a run with tens of thousands of changed files opens as fast as one with ten.
 * Inside a built chunk, LazyBodies decides which diffs are drawn.
 */
interface Chunk {
  readonly el: HTMLElement;
  readonly files: readonly OverviewFile[];
  built: boolean;
}

export interface SectionSource {
  build(file: OverviewFile): SectionParts;
  isExpanded(id: string): boolean;
}

const FILES_PER_CHUNK = 25;
/** A section's header, borders and margin. */
const SECTION_CHROME_PX = 43;

export class SectionList {
  readonly el = h('div', { class: 'files' });
  private chunks: Chunk[] = [];
  private readonly built = new Map<string, SectionParts>();
  private readonly byElement = new WeakMap<Element, Chunk>();
  private observer: IntersectionObserver | undefined;

  constructor(private readonly bodies: LazyBodies, private readonly source: SectionSource) {}

  reset(files: readonly OverviewFile[], layout: OverviewLayout): void {
    this.observer?.disconnect();
    this.built.clear();
    this.bodies.reset(layout);
    // Chunks are built a screen before they show, like the bodies inside them.
    this.observer = new IntersectionObserver(entries => this.onIntersect(entries), { root: document, rootMargin: '100% 0px 100% 0px' });
    this.chunks = [];
    for (let i = 0; i < files.length; i += FILES_PER_CHUNK) {
      const chunk: Chunk = { el: h('div', { class: 'chunk' }), files: files.slice(i, i + FILES_PER_CHUNK), built: false };
      this.chunks.push(chunk);
      this.byElement.set(chunk.el, chunk);
      this.observer.observe(chunk.el);
    }
    this.resizeUnbuilt();
    this.el.replaceChildren(...this.chunks.map(c => c.el));
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
  }

  private heightOf(chunk: Chunk): number {
    let height = 0;
    for (const f of chunk.files) height += SECTION_CHROME_PX + (this.source.isExpanded(f.id) ? this.bodies.heightOf(f) : 0);
    return height;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
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
