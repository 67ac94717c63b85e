import { realpath, stat } from 'node:fs/promises';
import { SebError, errorMessage } from '../core/errors';
import { GitRunner, type RunnerOptions } from './git-runner';
import { createOwnedGitDir, type OwnedGitDir } from './owned-git-dir';
import { locateRepository, type RepositoryLocation } from './repository-location';

/**
 * A git working tree opened for reading. `git` runs against a git directory SEB Review owns, with this repository's
 * objects as read-only alternates (see ./hardening.ts); dispose() removes that folder.
 */
export interface Repository {
  readonly root: string;
  readonly location: RepositoryLocation;
  readonly git: GitRunner;
  readonly shallow: boolean;
  dispose(): Promise<void>;
}

/** The real path of a folder, or a SebError naming it. */
export async function realFolder(dir: string): Promise<string> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch (e) {
    throw new SebError('not-a-directory', `${dir} does not exist or cannot be read (${errorMessage(e)})`, dir);
  }
  if (!(await stat(root)).isDirectory()) throw new SebError('not-a-directory', `${dir} is not a folder`, dir);
  return root;
}

/**
 * Opens the repository whose working tree is exactly `dir`. A plain folder inside some other repository is reported as
 * "not a git repository": nothing looks above `dir`.
 */
export async function openRepository(dir: string, options: RunnerOptions = {}): Promise<Repository> {
  const root = await realFolder(dir);
  const location = await locateRepository(root);
  const owned: OwnedGitDir = await createOwnedGitDir(location);
  try {
    const git = new GitRunner(owned, root, [location.objectsDir], options);
    if (!owned.hasIndex && (await git.probe(['rev-parse', '--verify', '-q', 'HEAD^{tree}'])) !== undefined) {
      await git.text(['read-tree', 'HEAD']); // reads HEAD's trees, writes only the owned index
    }
    return { root, location, git, shallow: owned.shallow, dispose: () => owned.dispose() };
  } catch (e) {
    await owned.dispose();
    throw e;
  }
}
