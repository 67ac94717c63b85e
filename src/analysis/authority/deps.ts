/**
 * What each computed value of a tree's analysis read, so that after an edit only what the edit can change is computed
 * again. A value (one of the linker's memoised values, one call's targets, one call's registrations, one call's edges)
 * is a Node; reading a node or an input (a file's facts, a parameter's bindings, a parameter's pack types) while
 * computing another records the reader. When an input changes, every node that read it, directly or through other
 * nodes, is dropped and computed again when next asked for; everything else is kept.
 *
 * Order. The linker answers "nothing yet" for a value asked for while it is being computed (a cycle), so a value
 * computed inside a cycle depends on which of the cycle's values was asked for first. Such values, and every value that
 * read one, are volatile. The analysis asks for values in a fixed order of queries (each call's targets, then each
 * call's registrations, the callback writes, each call's edges): a query's position. A volatile value belongs to the
 * query it was computed in (its cluster), and is what an analysis from scratch computes as long as (1) that query is
 * not computed again (then its cluster is dropped with it), and (2) no earlier query reaches it (then, as from
 * scratch, it is computed there: its cluster is dropped first). With both rules every value kept equals the value an
 * analysis from scratch in the same order computes.
 */

/** A map a node is cached in (method syntax: any Map<K, Node<…>> is one). */
interface Home {
  get(key: unknown): unknown;
  delete(key: unknown): boolean;
}

export class Node<T = unknown> {
  value!: T;
  /** Nodes that read this one (some may be dead: readers computed again read the new node). */
  readers: Node[] | undefined = undefined;
  lastReader: Node | undefined = undefined;
  /** Readers length above which the dead are swept out. */
  sweepAt = 16;
  volatile = false;
  dead = false;
  /** A volatile node: the query it was computed in. */
  cluster: Node | undefined = undefined;
  /** A query: its position in the order of queries, and the volatile nodes computed in it. */
  position = -1;
  members: Node[] | undefined = undefined;
  /** Where this node is cached, to be removed from when it is dropped. */
  constructor(readonly home?: Home, readonly key?: unknown) {}
}

export class Tracker {
  private frame: Node | undefined = undefined;
  private query: Node | undefined = undefined;
  /** Volatile nodes computed outside any query: dropped at the next analysis. */
  private stray: Node[] = [];

  /** Is a node being computed (reads are recorded)? */
  get tracking(): boolean {
    return this.frame !== undefined;
  }

  /** The node being computed read `n`. */
  read(n: Node): void {
    const f = this.frame;
    if (f === undefined) return;
    if (n.volatile) f.volatile = true;
    if (n.lastReader === f) return;
    n.lastReader = f;
    const readers = n.readers ?? (n.readers = []);
    readers.push(f);
    if (readers.length > n.sweepAt) {
      n.readers = readers.filter(r => !r.dead);
      n.sweepAt = Math.max(16, n.readers.length * 2);
    }
  }

  /**
   * Is a cached node usable by the query being computed? A volatile node computed in a later query is not (rule 2):
   * that query's cluster is dropped, and the value is to be computed here.
   */
  usable(n: Node): boolean {
    if (!n.volatile || this.query === undefined) return true;
    const c = n.cluster;
    if (c === undefined || c === this.query || c.position < this.query.position) return true;
    this.invalidate(c);
    return false;
  }

  /** The node being computed got "nothing yet" for a value in the middle of its own computation. */
  cut(): void {
    if (this.frame) this.frame.volatile = true;
  }

  /**
   * Computes `node`'s value with reads recorded on it. A node computed outside any other is a query: `position` is
   * its place in the order of queries (its cluster, the volatile nodes computed in it, is dropped with it).
   */
  within<T>(node: Node<T>, compute: () => T, position?: number): T {
    const parent = this.frame;
    const query = this.query;
    if (parent === undefined) {
      node.position = position ?? -1;
      this.query = node;
    }
    this.frame = node;
    try {
      node.value = compute();
    } finally {
      this.frame = parent;
      this.query = query;
    }
    if (node.volatile && parent !== undefined) {
      const q = this.query;
      if (q) {
        node.cluster = q;
        (q.members ??= []).push(node);
      } else this.stray.push(node);
    } else if (node.volatile && node.position < 0) this.stray.push(node);
    return node.value;
  }

  /** Drops `n` and everything that read it, directly or not (and a query's cluster with it). */
  invalidate(n: Node): void {
    const stack = [n];
    for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
      if (x.dead) continue;
      x.dead = true;
      if (x.home !== undefined && x.home.get(x.key) === x) x.home.delete(x.key);
      if (x.readers) for (const r of x.readers) if (!r.dead) stack.push(r);
      if (x.members) for (const m of x.members) if (!m.dead) stack.push(m);
      x.readers = undefined;
      x.lastReader = undefined;
      x.members = undefined;
    }
  }

  /** Drops the volatile nodes computed outside any query. */
  dropStray(): void {
    const list = this.stray;
    this.stray = [];
    for (const n of list) this.invalidate(n);
  }
}

/** Inputs by key (a file, a parameter): a node per key that was read, dropped (with its readers) when the input changes. */
export class Inputs<K> {
  private readonly nodes = new Map<K, Node>();

  constructor(private readonly tracker: Tracker) {}

  read(key: K): void {
    if (!this.tracker.tracking) return;
    let n = this.nodes.get(key);
    if (n === undefined) this.nodes.set(key, (n = new Node()));
    this.tracker.read(n);
  }

  changed(key: K): void {
    const n = this.nodes.get(key);
    if (n === undefined) return;
    this.nodes.delete(key);
    this.tracker.invalidate(n);
  }
}
