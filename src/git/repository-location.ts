import { lstat, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';

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
  const st = await stat(file);
  if (st.size > 4096) throw new SebError('not-a-repository', `${root}: .git is a file too large to be a git link (${st.size} bytes)`, file);
  const text = await readFile(file, 'utf8');
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
  const common = await readFile(commonFile, 'utf8').catch(() => undefined);
  if (common !== undefined) {
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
    if (!(await stat(path.join(gitDir, 'HEAD'))).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new SebError('not-a-repository', `${root} is not a git repository: ${path.join(gitDir, 'HEAD')} cannot be read (${errorMessage(e)})`, root);
  }
  return { root, gitDir, commonDir, objectsDir };
}
