import { createHash, randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { createDeflate, deflateSync } from 'node:zlib';
import { SebError } from '../core/errors';
import { type Repository } from './repository';
import { mapLimit } from '../core/map-limit';

/**
 * The working tree as it is, as a git tree, without git ever opening a file of the working tree on its own account.
 *
 * `git add -A` would do it in one command, but it asks every submodule for its status (running `git status` inside
 * it, which reads that repository's configuration and runs its fsmonitor), applies the run's `.gitattributes` to file
 * contents (a `working-tree-encoding` that does not fit stops it) and trusts flags in the run's index that hide edits
 * (`assume-unchanged`, `skip-worktree`). So:
 *   1. in the owned copy of the index, the run's hiding flags are cleared, and submodules (gitlinks) are marked
 *      assume-unchanged, so no git command below opens them: a submodule is reviewed by the commit the tree records;
 *   2. git lists what differs (diff-files) and what is new (ls-files --others, honouring the tree's own .gitignore);
 *      a nested repository that is not a submodule is left out, as git add would;
 *   3. SEB Review reads each such file itself (no link followed out of the tree, no FIFO, no device), hashes it as a
 *      blob of its bytes exactly as they are on disk, and writes the object into the owned folder;
 *   4. git records the entries (update-index --index-info) and writes the tree (write-tree --missing-ok), both without
 *      the repository's objects reachable, so no object file of the run is touched.
 */

export interface WorkingTreeChanges {
  /** Tracked files whose content or mode differs, and untracked files (not ignored). */
  changed: string[];
  /** Tracked files gone from the working tree. */
  deleted: string[];
  /** Untracked folders that are repositories of their own: left out, as git add leaves them out. */
  nested: string[];
  /** The index records content that HEAD does not (staged, uncommitted). */
  staged: boolean;
}

const memo = new WeakMap<Repository, Promise<WorkingTreeChanges>>();

const records = (out: string) => out.split('\0').filter(r => r.length > 0);

/** What differs between the run's HEAD and its working tree; computed once per opened repository. */
export function workingTreeChanges(repo: Repository): Promise<WorkingTreeChanges> {
  let found = memo.get(repo);
  if (found === undefined) {
    found = findChanges(repo);
    memo.set(repo, found);
  }
  return found;
}

export function isDirty(c: WorkingTreeChanges): boolean {
  return c.changed.length > 0 || c.deleted.length > 0 || c.staged;
}

async function findChanges(repo: Repository): Promise<WorkingTreeChanges> {
  const git = repo.git;
  const writer = git.writer();
  // "<tag> <mode> <oid> <stage>\t<path>": a lower-case tag is assume-unchanged, S or s skip-worktree
  const hidden: string[] = [];
  const skipWorktree = new Set<string>();
  const gitlinks: string[] = [];
  for (const rec of records(await git.text(['ls-files', '-v', '-s', '-z']))) {
    const tab = rec.indexOf('\t');
    const [tag = '', mode = ''] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    if (mode === '160000') gitlinks.push(p);
    else if (tag !== tag.toUpperCase() || tag === 'S') {
      hidden.push(p);
      if (tag === 'S' || tag === 's') skipWorktree.add(p);
    }
  }
  // one flag per command: update-index applies only one of them to paths read from --stdin
  if (hidden.length > 0) await writer.run(['update-index', '-z', '--no-assume-unchanged', '--stdin'], nulList(hidden));
  if (skipWorktree.size > 0) await writer.run(['update-index', '-z', '--no-skip-worktree', '--stdin'], nulList([...skipWorktree]));
  if (gitlinks.length > 0) await writer.run(['update-index', '-z', '--assume-unchanged', '--stdin'], nulList(gitlinks));

  // three independent reads of the (now honest) index and the working tree, run at once
  const [diffOut, othersOut, stagedOut] = await Promise.all([
    git.text(['diff-files', '-z', '--name-status', '--no-renames', '--ignore-submodules=all']),
    git.text(['ls-files', '-z', '--others', '--exclude-standard']),
    git.text(['diff-index', '--cached', '-z', '--name-only', '--ignore-submodules=all', 'HEAD']),
  ]);
  const changed: string[] = [];
  const deleted: string[] = [];
  const diff = records(diffOut);
  for (let i = 0; i + 1 < diff.length; i += 2) {
    const status = diff[i] ?? '';
    const p = diff[i + 1] ?? '';
    if (status === 'D') {
      if (!skipWorktree.has(p)) deleted.push(p); // a sparse checkout's absent file is not a deletion
    } else changed.push(p);
  }
  const nested: string[] = [];
  for (const p of records(othersOut)) {
    if (p.endsWith('/')) nested.push(p.slice(0, -1));
    else changed.push(p);
  }
  const staged = stagedOut.length > 0;
  return { changed, deleted, nested, staged };
}

function nulList(paths: readonly string[]): Buffer {
  return Buffer.from(paths.map(p => `${p}\0`).join(''), 'utf8');
}

/** The working tree as a tree object in the owned folder (see the header comment). */
export async function snapshotWorkingTree(repo: Repository): Promise<string> {
  const changes = await workingTreeChanges(repo);
  const writer = repo.git.writer();
  const objects = path.join(repo.git.owned.gitDir, 'objects');
  const algorithm = repo.git.owned.sha256 ? 'sha256' : 'sha1';
  const zero = '0'.repeat(repo.git.owned.sha256 ? 64 : 40);
  const root = await realpath(repo.root);
  const lines: string[] = changes.deleted.map(p => `0 ${zero}\t${p}\0`);
  const entries = await mapLimit(changes.changed, 8, p => blobEntry(root, p, objects, algorithm));
  changes.changed.forEach((p, i) => {
    const e = entries[i];
    lines.push(e === undefined ? `0 ${zero}\t${p}\0` : `${e.mode} ${e.oid}\t${p}\0`);
  });
  if (lines.length > 0) await writer.run(['update-index', '-z', '--index-info'], Buffer.from(lines.join(''), 'utf8'));
  return (await writer.text(['write-tree', '--missing-ok'])).trim();
}


/**
 * The index entry for one working-tree path: a symbolic link as the blob of its target text (never followed), a
 * regular file as the blob of its bytes; undefined for anything git would not record (a FIFO, a socket, a device,
 * a path whose folder is a link out of the tree).
 */
async function blobEntry(root: string, rel: string, objects: string, algorithm: string): Promise<{ mode: string; oid: string } | undefined> {
  const full = path.join(root, ...rel.split('/'));
  const parent = await realpath(path.dirname(full)).catch(() => undefined);
  const up = parent === undefined ? '..' : path.relative(root, parent);
  if (up.startsWith('..') || path.isAbsolute(up)) return undefined;
  const st = await lstat(full).catch(() => undefined);
  if (st?.isSymbolicLink()) {
    const target = await readlink(full, { encoding: 'buffer' });
    return { mode: '120000', oid: await writeObject(objects, algorithm, target) };
  }
  if (!st?.isFile()) return undefined;
  const oid = await writeFileObject(objects, algorithm, full, rel);
  return oid === undefined ? undefined : { mode: st.mode & 0o111 ? '100755' : '100644', oid };
}

function header(size: number): Buffer {
  return Buffer.from(`blob ${size}\0`, 'latin1');
}

async function place(objects: string, tmp: string, oid: string): Promise<string> {
  const dir = path.join(objects, oid.slice(0, 2));
  await mkdir(dir, { recursive: true });
  await rename(tmp, path.join(dir, oid.slice(2)));
  return oid;
}

async function writeObject(objects: string, algorithm: string, content: Buffer): Promise<string> {
  const oid = createHash(algorithm).update(header(content.length)).update(content).digest('hex');
  const tmp = path.join(objects, `tmp-${randomBytes(8).toString('hex')}`);
  await writeFile(tmp, deflateSync(Buffer.concat([header(content.length), content])));
  return place(objects, tmp, oid);
}

/** Streams a regular file into a loose object: hashed and deflated as it is read, never held whole in memory. */
async function writeFileObject(objects: string, algorithm: string, file: string, rel: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined; // gone or replaced by a link since it was listed
  }
  const tmp = path.join(objects, `tmp-${randomBytes(8).toString('hex')}`);
  try {
    const st = await handle.stat();
    if (!st.isFile()) return undefined;
    const hash = createHash(algorithm).update(header(st.size));
    const deflate = createDeflate();
    const out = createWriteStream(tmp);
    deflate.pipe(out);
    deflate.write(header(st.size));
    const buf = Buffer.alloc(1024 * 1024);
    let pos = 0;
    while (pos < st.size) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, st.size - pos), pos);
      if (bytesRead === 0) break;
      const chunk = Buffer.from(buf.subarray(0, bytesRead));
      hash.update(chunk);
      if (!deflate.write(chunk)) await once(deflate, 'drain');
      pos += bytesRead;
    }
    deflate.end();
    await finished(out);
    if (pos !== st.size) throw new SebError('git-failed', `${rel} changed size while it was being read; refresh the run`, file);
    return await place(objects, tmp, hash.digest('hex'));
  } finally {
    await handle.close();
    await rm(tmp, { force: true });
  }
}
