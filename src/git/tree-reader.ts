import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { relativePathProblem } from '../core/relative-path';
import { DEFAULT_MAX_BYTES, describeProblem, type TreeRead, type TreeReadOptions, type TreeReadProblem, type TreeReader } from '../core/tree-read';
import { type GitRunner } from './git-runner';

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
  return {
    name,
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
}

/** One entry of `git ls-tree -l -z`: "mode type oid size\tpath". */
function parseLsTree(out: string): { mode: string; type: string; oid: string; size: number } | undefined {
  const rec = out.split('\0')[0] ?? '';
  const tab = rec.indexOf('\t');
  if (tab < 0) return undefined;
  const [mode = '', type = '', oid = '', size = ''] = rec.slice(0, tab).split(/ +/);
  return { mode, type, oid, size: size === '-' ? 0 : Number(size) };
}

/**
 * A tree read from git objects (the baseline, or a run's committed head). A symbolic link is followed while its target
 * stays inside the tree; submodules and folders are not files.
 */
export function gitTreeReader(git: GitRunner, tree: string, name = 'the baseline'): TreeReader {
  return {
    name,
    async read(rel: string, options: TreeReadOptions = {}): Promise<TreeRead> {
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      if (relativePathProblem(rel)) return refusal(rel, 'bad-path', name, max);
      let current = rel;
      for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        const entry = parseLsTree(await git.text(['ls-tree', '-l', '-z', '--full-tree', tree, '--', current]));
        if (!entry) return refusal(rel, 'missing', name, max);
        if (entry.type !== 'blob') return refusal(rel, 'not-a-file', name, max);
        if (entry.mode === '120000') {
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
}
