/**
 * Reading one file of a reviewed tree (the baseline from git objects, the run from its working tree as it is). Every
 * read of a reviewed file goes through a TreeReader: a path that leaves the tree, a link out of it, anything that is
 * not a regular file (a FIFO, a device, a folder) and anything over the size limit is refused with a reason, and no
 * error ever quotes the file's content.
 */

export type TreeReadProblem =
  | 'bad-path' // absolute, "..", backslashes: not a path inside a tree
  | 'missing'
  | 'outside' // a symbolic link (or a link on the way) that leaves the tree
  | 'not-a-file' // a folder, FIFO, socket, device or submodule
  | 'too-large'
  | 'unreadable';

export type TreeRead =
  | { ok: true; path: string; bytes: Buffer; size: number; truncated: boolean }
  | { ok: false; path: string; problem: TreeReadProblem; message: string };

export interface TreeReadOptions {
  /** At most this many bytes (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** Over the limit: give the first maxBytes with truncated=true instead of refusing. */
  truncate?: boolean;
}

/** One entry of a tree's listing. */
export interface TreeEntry {
  path: string;
  /** Bytes (for a link: of the link's own text). */
  size: number;
  /** A regular file, a symbolic link (inside or leaving the tree), or a submodule (never read). */
  kind: 'file' | 'link' | 'submodule';
  /** A content address when the tree has one (the git blob id): what caches of per-file facts are keyed by. */
  id?: string;
}

export interface TreeReader {
  /** Which tree, for messages: "the run", "the baseline". */
  readonly name: string;
  read(rel: string, options?: TreeReadOptions): Promise<TreeRead>;
  /** Every entry of the tree (files, links, submodules), sorted by path, without reading any content. */
  list(): Promise<TreeEntry[]>;
  /** Reads many files at once (in the order given); each result as read() would give it. */
  readMany(rels: readonly string[], options?: TreeReadOptions): Promise<TreeRead[]>;
}

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** The text of a file, or undefined for any problem (for callers that only need "is it there and readable"). */
export async function readTreeText(tree: TreeReader, rel: string, options?: TreeReadOptions): Promise<string | undefined> {
  const r = await tree.read(rel, options);
  return r.ok ? r.bytes.toString('utf8') : undefined;
}

export function describeProblem(problem: TreeReadProblem, maxBytes: number): string {
  switch (problem) {
    case 'bad-path': return 'is not a path inside the tree';
    case 'missing': return 'does not exist';
    case 'outside': return 'is a link that leaves the tree (not followed)';
    case 'not-a-file': return 'is not a regular file';
    case 'too-large': return `is larger than ${maxBytes.toLocaleString('en-US')} bytes`;
    case 'unreadable': return 'cannot be read';
  }
}

/** A tree held in memory (path -> content): for tests and for documents open in an editor. */
export function memoryTreeReader(files: Readonly<Record<string, string | Buffer>>, name = 'the run'): TreeReader {
  const reader: TreeReader = {
    name,
    list() {
      return Promise.resolve(Object.keys(files).sort().map(p => {
        const content = files[p] as string | Buffer;
        return { path: p, size: Buffer.isBuffer(content) ? content.length : Buffer.byteLength(content), kind: 'file' as const };
      }));
    },
    readMany(rels, options) {
      return Promise.all(rels.map(r => reader.read(r, options)));
    },
    read(rel, options = {}) {
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      const content = Object.prototype.hasOwnProperty.call(files, rel) ? files[rel] : undefined;
      if (content === undefined) return Promise.resolve({ ok: false, path: rel, problem: 'missing', message: `${rel} in ${name} ${describeProblem('missing', max)}` });
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      if (bytes.length > max && !options.truncate) {
        return Promise.resolve({ ok: false, path: rel, problem: 'too-large', message: `${rel} in ${name} ${describeProblem('too-large', max)}` });
      }
      return Promise.resolve({ ok: true, path: rel, bytes: bytes.subarray(0, max), size: bytes.length, truncated: bytes.length > max });
    },
  };
  return reader;
}
