import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';
import { readRegularFile } from './regular-file';

/**
 * Where a working tree's git data lives, found by reading files (no git process, so nothing the repository configures
 * can take part): `gitDir` holds HEAD and the index (the worktree's own folder for a linked worktree), `commonDir`
 * holds the refs, packed-refs, shallow and info/exclude, and `objectsDir` the objects.
 */
export interface RepositoryLocation {
  root: string;
  gitDir: string;
  commonDir: string;
  objectsDir: string;
}

const isDir = (p: string) => stat(p).then(s => s.isDirectory(), () => false);

/** `.git` as a file: "gitdir: <path>" (linked worktrees, submodules, --separate-git-dir). */
async function gitFileTarget(root: string, file: string): Promise<string> {
  const bytes = await readRegularFile(file, 4096);
  if (bytes === undefined) throw new SebError('not-a-repository', `${root}: .git is not a readable git link (a regular file of at most 4096 bytes)`, file);
  const text = bytes.toString('utf8');
  const m = /^gitdir: (.+?)\r?\n?$/.exec(text);
  if (!m?.[1]) throw new SebError('not-a-repository', `${root}: .git is a file that does not start with "gitdir: "`, file);
  return path.resolve(root, m[1]);
}

/**
 * Locates the repository whose working tree is exactly `root` (an absolute, real path). A folder inside some other
 * repository is not one: git is never asked to look upwards.
 */
export async function locateRepository(root: string): Promise<RepositoryLocation> {
  const dotGit = path.join(root, '.git');
  const st = await lstat(dotGit).catch(() => undefined);
  let gitDir: string;
  if (st?.isDirectory()) gitDir = dotGit;
  else if (st?.isFile()) gitDir = await gitFileTarget(root, dotGit);
  else if (st?.isSymbolicLink() && (await isDir(dotGit))) gitDir = dotGit;
  else {
    const bare = (await isDir(path.join(root, 'objects'))) && (await isDir(path.join(root, 'refs')))
      && (await stat(path.join(root, 'HEAD')).then(s => s.isFile(), () => false));
    if (bare) throw new SebError('not-a-repository', `${root} is a bare git repository; open a checkout with a working tree`, root);
    throw new SebError('not-a-repository', `${root} is not a git repository (no .git in this folder)`, root);
  }
  if (!(await isDir(gitDir))) {
    throw new SebError('not-a-repository', `${root} is not a git repository: its .git points to ${gitDir}, which is not a folder`, root);
  }
  let commonDir = gitDir;
  const commonFile = path.join(gitDir, 'commondir');
  const commonStat = await lstat(commonFile).catch(() => undefined);
  if (commonStat !== undefined) {
    const common = (await readRegularFile(commonFile, 4096))?.toString('utf8');
    if (common === undefined) throw new SebError('not-a-repository', `${root}: ${commonFile} is not a regular file of at most 4096 bytes`, commonFile);
    const line = common.split(/\r?\n/)[0] ?? '';
    commonDir = path.resolve(gitDir, line);
    if (line === '' || !(await isDir(commonDir))) {
      throw new SebError('not-a-repository', `${root}: ${commonFile} names ${line || 'nothing'}, which is not a folder`, commonFile);
    }
  }
  const objectsDir = path.join(commonDir, 'objects');
  if (!(await isDir(objectsDir))) {
    throw new SebError('not-a-repository', `${root} is not a git repository: ${objectsDir} is missing`, root);
  }
  try {
    if (!(await lstat(path.join(gitDir, 'HEAD'))).isFile()) throw new Error('not a regular file');
  } catch (e) {
    throw new SebError('not-a-repository', `${root} is not a git repository: ${path.join(gitDir, 'HEAD')} cannot be read (${errorMessage(e)})`, root);
  }
  await checkAlternates(root, objectsDir);
  return { root, gitDir, commonDir, objectsDir };
}

/**
 * git follows `objects/info/alternates` (and each alternate's own list, five deep) while it reads objects: a FIFO there
 * would hang it and a device would feed it without end. Every list on the chain must be a small regular file.
 */
async function checkAlternates(root: string, objectsDir: string, depth = 0): Promise<void> {
  if (depth > 5) return;
  const list = path.join(objectsDir, 'info', 'alternates');
  if ((await lstat(list).catch(() => undefined)) === undefined) return;
  const bytes = await readRegularFile(list, 64 * 1024);
  if (bytes === undefined) throw new SebError('unsafe-repository', `${root}: ${list} is not a regular file of at most 64 KiB; git would read it`, list);
  for (const line of bytes.toString('utf8').split('\n')) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#') || entry.startsWith('"')) continue; // a quoted entry: git checks it as it reads
    await checkAlternates(root, path.resolve(objectsDir, entry), depth + 1);
  }
}
