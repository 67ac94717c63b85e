import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SebError } from '../core/errors';
import { relativePathProblem } from '../core/relative-path';
import { DEFAULT_MAX_BYTES, describeProblem, type TreeEntry, type TreeRead, type TreeReadOptions, type TreeReadProblem, type TreeReader } from '../core/tree-read';
import { type GitRunner } from './git-runner';
import { mapLimit } from '../core/map-limit';

const MAX_LINK_HOPS = 8;

function refusal(rel: string, problem: TreeReadProblem, name: string, maxBytes: number, detail = ''): TreeRead {
  const why = problem === 'bad-path' ? relativePathProblem(rel) ?? describeProblem(problem, maxBytes) : describeProblem(problem, maxBytes);
  return { ok: false, path: rel, problem, message: `${rel} in ${name} ${why}${detail}` };
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * A working tree read from disk as it is. Links inside the tree are followed; a link that leaves it is refused. The
 * file is opened without following a last-moment link and without blocking (a FIFO does not hang), and checked to be
 * a regular file on the opened handle before a byte is read.
 */
export function workingTreeReader(root: string, name = 'the run'): TreeReader {
  let realRoot: Promise<string> | undefined;
  const reader: TreeReader = {
    name,
    async list(): Promise<TreeEntry[]> {
      realRoot ??= realpath(root);
      return listFolder(await realRoot);
    },
    readMany(rels: readonly string[], options?: TreeReadOptions): Promise<TreeRead[]> {
      return mapLimit(rels, READ_CONCURRENCY, rel => reader.read(rel, options));
    },
    async read(rel: string, options: TreeReadOptions = {}): Promise<TreeRead> {
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      if (relativePathProblem(rel)) return refusal(rel, 'bad-path', name, max);
      realRoot ??= realpath(root);
      let base: string;
      try {
        base = await realRoot;
      } catch {
        return refusal(rel, 'unreadable', name, max);
      }
      let real: string;
      try {
        real = await realpath(path.join(base, ...rel.split('/')));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return refusal(rel, 'missing', name, max);
        if (code === 'ELOOP') return refusal(rel, 'outside', name, max);
        return refusal(rel, 'unreadable', name, max, code ? ` (${code})` : '');
      }
      if (!inside(base, real)) return refusal(rel, 'outside', name, max);
      let handle;
      try {
        handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') return refusal(rel, 'outside', name, max);
        if (code === 'EISDIR') return refusal(rel, 'not-a-file', name, max);
        if (code === 'ENOENT') return refusal(rel, 'missing', name, max);
        return refusal(rel, 'unreadable', name, max, code ? ` (${code})` : '');
      }
      try {
        const st = await handle.stat();
        if (!st.isFile()) return refusal(rel, 'not-a-file', name, max);
        if (st.size > max && !options.truncate) return refusal(rel, 'too-large', name, max);
        // read until the end or one byte past the limit: a file whose reported size is wrong cannot slip through
        const chunks: Buffer[] = [];
        let got = 0;
        while (got <= max) {
          const chunk = Buffer.alloc(Math.min(256 * 1024, max + 1 - got));
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, got);
          if (bytesRead === 0) break;
          chunks.push(chunk.subarray(0, bytesRead));
          got += bytesRead;
        }
        const bytes = Buffer.concat(chunks);
        if (got > max) {
          if (!options.truncate) return refusal(rel, 'too-large', name, max);
          return { ok: true, path: rel, bytes: bytes.subarray(0, max), size: Math.max(st.size, got), truncated: true };
        }
        return { ok: true, path: rel, bytes, size: got, truncated: false };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return refusal(rel, 'unreadable', name, max, code ? ` (${code})` : '');
      } finally {
        await handle.close();
      }
    },
  };
  return reader;
}

/** Files read at once by a working tree's readMany(). */
const READ_CONCURRENCY = 16;


/**
 * Every file and link under a folder, as git would order them (by the bytes of the path), without following a link and
 * without entering `.git`. A folder holding a `.git` of its own is a nested repository: listed as a submodule, not
 * entered. FIFOs, sockets and devices are left out: they are not files of the tree.
 */
async function listFolder(base: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const dirents = await readdir(dir, { withFileTypes: true });
    await Promise.all(dirents.map(async d => {
      if (d.name === '.git') return;
      const rel = prefix + d.name;
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        const nested = await lstat(path.join(full, '.git')).then(() => true, () => false);
        if (nested) out.push({ path: rel, size: 0, kind: 'submodule' });
        else await walk(full, `${rel}/`);
      } else if (d.isSymbolicLink() || d.isFile()) {
        const st = await lstat(full).catch(() => undefined);
        if (st?.isSymbolicLink()) out.push({ path: rel, size: st.size, kind: 'link' });
        else if (st?.isFile()) out.push({ path: rel, size: st.size, kind: 'file' });
      }
    }));
  };
  await walk(base, '');
  return out.map(e => ({ e, key: Buffer.from(e.path, 'utf8') })).sort((a, b) => Buffer.compare(a.key, b.key)).map(k => k.e);
}

/** One record of `git ls-tree -l -z`: "mode type oid size\tpath" (size "-" for trees and submodules). */
interface GitEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
}

function parseRecord(rec: string): [string, GitEntry] | undefined {
  const tab = rec.indexOf('\t');
  if (tab < 0) return undefined;
  const [mode = '', type = '', oid = '', size = ''] = rec.slice(0, tab).split(/ +/);
  return [rec.slice(tab + 1), { mode, type, oid, size: size === '-' ? 0 : Number(size) }];
}

const LINK_MODE = '120000';
/** The longest link target followed: longer than any path the system resolves (PATH_MAX), so it cannot name a file of the tree. */
const MAX_LINK_TARGET = 4096;

/** Where a path of the tree leads: a file's entry, or why it is refused. */
type Resolved = { entry: GitEntry } | { problem: TreeReadProblem };
/** One path being followed through links. */
interface Walk {
  current: string;
  hops: number;
  done?: Resolved;
}

/** A blob as `git cat-file --batch` gave it: at most the bytes asked for, and its whole size. */
interface Blob {
  bytes: Buffer;
  size: number;
}

/**
 * Reads blobs through one `git cat-file --batch` process (ids on its standard input, "<oid> blob <size>\n<bytes>\n"
 * back for each, "<oid> missing\n" for one it does not have), keeping at most `keep` bytes of each: the rest streams
 * past without being held. undefined for an object git does not have or that is not a blob.
 */
async function readBlobs(git: GitRunner, oids: readonly string[], keep: number): Promise<Map<string, Blob | undefined>> {
  const wanted = [...new Set(oids)];
  const found = new Map<string, Blob | undefined>();
  if (wanted.length === 0) return found;
  let next = 0; // index in `wanted` of the object whose header comes next
  let header: Buffer[] = [];
  let headerLength = 0;
  let body: { oid: string; size: number; left: number; limit: number; kept: Buffer[]; keptLength: number } | undefined;
  let trailer = false;
  const fail = (what: string) => new SebError('git-failed', `git cat-file --batch ${what} in ${git.workTree}`, git.workTree);
  const onHeader = (line: string) => {
    const oid = wanted[next++];
    const [name = '', type = '', size = ''] = line.split(' ');
    if (oid === undefined || name !== oid) throw fail('answered for an object not asked for');
    if (type === 'missing' || type === 'ambiguous') {
      found.set(oid, undefined);
      return;
    }
    if (!/^\d+$/.test(size)) throw fail('printed an unexpected header');
    const n = Number(size);
    // anything but a blob is read past and reported as unreadable
    body = { oid, size: n, left: n, limit: type === 'blob' ? keep : -1, kept: [], keptLength: 0 };
    if (n === 0) trailer = true;
  };
  await git.stream(['cat-file', '--batch', '--buffer'], Buffer.from(wanted.map(o => `${o}\n`).join(''), 'utf8'), chunk => {
    let i = 0;
    while (i < chunk.length) {
      if (body && !trailer) {
        const n = Math.min(body.left, chunk.length - i);
        const take = Math.min(n, body.limit - body.keptLength);
        if (take > 0) {
          body.kept.push(chunk.subarray(i, i + take));
          body.keptLength += take;
        }
        body.left -= n;
        i += n;
        if (body.left === 0) trailer = true;
      } else if (body && trailer) {
        if (chunk[i] !== 0x0a) throw fail('printed an unexpected separator');
        i++;
        found.set(body.oid, body.limit < 0 ? undefined : { bytes: Buffer.concat(body.kept), size: body.size });
        body = undefined;
        trailer = false;
      } else {
        const end = chunk.indexOf(0x0a, i);
        const part = chunk.subarray(i, end < 0 ? chunk.length : end);
        headerLength += part.length;
        if (headerLength > 1024) throw fail('printed an unexpected header');
        header.push(part);
        if (end < 0) break;
        i = end + 1;
        const line = Buffer.concat(header).toString('utf8');
        header = [];
        headerLength = 0;
        onHeader(line);
      }
    }
  });
  if (next !== wanted.length || body || headerLength > 0) throw fail('ended early');
  return found;
}

/**
 * A tree read from git objects (the baseline, or a run's committed head). A symbolic link is followed while its target
 * stays inside the tree; submodules and folders are not files.
 *
 * list() is one `git ls-tree -r -t` of the whole tree, kept for the reader's life; once it is there, read() and
 * readMany() look paths up in it instead of asking git per file. readMany() reads every file through one
 * `git cat-file --batch` (and one more per level of links to resolve), whatever the number of files.
 */
export function gitTreeReader(git: GitRunner, tree: string, name = 'the baseline'): TreeReader {
  let listing: Promise<Map<string, GitEntry>> | undefined;
  /** Link blob id -> its target (undefined: unreadable or too long to name a file). */
  const linkTargets = new Map<string, string | undefined>();

  const load = (): Promise<Map<string, GitEntry>> => {
    listing ??= git.text(['ls-tree', '-r', '-t', '-l', '-z', '--full-tree', tree]).then(out => {
      const entries = new Map<string, GitEntry>();
      for (const rec of out.split('\0')) {
        const parsed = parseRecord(rec);
        if (parsed) entries.set(parsed[0], parsed[1]);
      }
      return entries;
    }, (e: unknown) => {
      listing = undefined; // a later call may try again
      throw e;
    });
    return listing;
  };

  /** Where each path leads (the entry of a file, or a refusal), reading the targets of links on the way in batches. */
  const resolve = async (rels: readonly string[]): Promise<Resolved[]> => {
    const entries = await load();
    const walks: Walk[] = rels.map(rel => ({ current: rel, hops: 0, ...(relativePathProblem(rel) ? { done: { problem: 'bad-path' } } : {}) }));
    for (;;) {
      const unknownLinks: string[] = [];
      for (const w of walks) {
        while (!w.done) {
          const entry = entries.get(w.current);
          if (!entry) w.done = { problem: 'missing' };
          else if (entry.type !== 'blob') w.done = { problem: 'not-a-file' };
          else if (entry.mode !== LINK_MODE) w.done = { entry };
          else if (w.hops >= MAX_LINK_HOPS || entry.size > MAX_LINK_TARGET) w.done = { problem: 'outside' };
          else if (!linkTargets.has(entry.oid)) {
            unknownLinks.push(entry.oid); // this walk goes on once the batch below has read the link
            break;
          } else {
            const target = linkTargets.get(entry.oid);
            if (target === undefined) {
              w.done = { problem: 'unreadable' };
              continue;
            }
            const joined = path.posix.normalize(path.posix.join(path.posix.dirname(w.current), target));
            if (target.startsWith('/') || relativePathProblem(joined)) w.done = { problem: 'outside' };
            w.current = joined;
            w.hops++;
          }
        }
      }
      if (unknownLinks.length === 0) return walks.map(w => w.done ?? { problem: 'missing' });
      const blobs = await readBlobs(git, unknownLinks, MAX_LINK_TARGET);
      for (const oid of unknownLinks) linkTargets.set(oid, blobs.get(oid)?.bytes.toString('utf8')); // every one known now: no walk waits twice
    }
  };

  const reader: TreeReader = {
    name,
    async list(): Promise<TreeEntry[]> {
      const out: TreeEntry[] = [];
      for (const [p, e] of await load()) {
        if (e.type === 'commit') out.push({ path: p, size: 0, kind: 'submodule', id: e.oid });
        else if (e.type === 'blob') out.push({ path: p, size: e.size, kind: e.mode === LINK_MODE ? 'link' : 'file', id: e.oid });
      }
      return out;
    },

    async readMany(rels: readonly string[], options: TreeReadOptions = {}): Promise<TreeRead[]> {
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      if (rels.length === 0) return [];
      const resolved = await resolve(rels);
      const results: Array<TreeRead | undefined> = resolved.map((r, i) => {
        const rel = rels[i] ?? '';
        if ('problem' in r) return refusal(rel, r.problem, name, max);
        if (r.entry.size > max && !options.truncate) return refusal(rel, 'too-large', name, max);
        return undefined;
      });
      const oids = resolved.flatMap((r, i) => results[i] === undefined && 'entry' in r ? [r.entry.oid] : []);
      const blobs = await readBlobs(git, oids, max);
      return resolved.map((r, i) => {
        const rel = rels[i] ?? '';
        const done = results[i];
        if (done) return done;
        const blob = 'entry' in r ? blobs.get(r.entry.oid) : undefined;
        if (!blob) return refusal(rel, 'unreadable', name, max);
        const truncated = blob.size > max;
        if (truncated && !options.truncate) return refusal(rel, 'too-large', name, max);
        return { ok: true, path: rel, bytes: blob.bytes, size: blob.size, truncated };
      });
    },

    async read(rel: string, options: TreeReadOptions = {}): Promise<TreeRead> {
      if (listing) {
        const [r] = await reader.readMany([rel], options);
        if (r) return r;
      }
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      if (relativePathProblem(rel)) return refusal(rel, 'bad-path', name, max);
      let current = rel;
      for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        const parsed = parseRecord((await git.text(['ls-tree', '-l', '-z', '--full-tree', tree, '--', current])).split('\0')[0] ?? '');
        const entry = parsed?.[1];
        if (!entry) return refusal(rel, 'missing', name, max);
        if (entry.type !== 'blob') return refusal(rel, 'not-a-file', name, max);
        if (entry.mode === LINK_MODE) {
          const target = (await git.blob(entry.oid)).toString('utf8');
          const joined = path.posix.normalize(path.posix.join(path.posix.dirname(current), target));
          if (target.startsWith('/') || relativePathProblem(joined)) return refusal(rel, 'outside', name, max);
          current = joined;
          continue;
        }
        if (entry.size > max && !options.truncate) return refusal(rel, 'too-large', name, max);
        const bytes = await git.blob(entry.oid);
        const truncated = bytes.length > max;
        return { ok: true, path: rel, bytes: truncated ? bytes.subarray(0, max) : bytes, size: bytes.length, truncated };
      }
      return refusal(rel, 'outside', name, max);
    },
  };
  return reader;
}
