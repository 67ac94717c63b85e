import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';
import { GitRunner, type RunnerOptions } from './git-runner';
import { BASE_CONFIG, UnsafeConfigError, overridesFor, parseConfigList } from './hardening';

/** A git working tree opened for reading. `git` carries the hardening for this repository's configuration. */
export interface Repository {
  readonly root: string;
  readonly git: GitRunner;
  readonly shallow: boolean;
}

/**
 * Opens the repository whose top level is exactly `dir`. Git is not allowed to look above `dir`
 * (GIT_CEILING_DIRECTORIES), so a plain folder inside some other repository is reported as "not a git repository".
 */
export async function openRepository(dir: string, options: RunnerOptions = {}): Promise<Repository> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new SebError('not-a-directory', `${dir} is not a folder`, dir);
  } catch (e) {
    if (e instanceof SebError) throw e;
    throw new SebError('not-a-directory', `${dir} does not exist or cannot be read (${errorMessage(e)})`, dir);
  }
  const probe = new GitRunner(root, BASE_CONFIG, options);
  let top: string;
  let shallow: boolean;
  try {
    const out = await probe.text(['rev-parse', '--show-toplevel', '--is-shallow-repository'], {
      GIT_CEILING_DIRECTORIES: path.dirname(root),
    });
    const lines = out.split('\n');
    top = lines[0] ?? '';
    shallow = lines[1] === 'true';
  } catch (e) {
    if (e instanceof SebError && e.kind === 'cancelled') throw e;
    const msg = errorMessage(e);
    if (/dubious ownership/.test(msg)) {
      throw new SebError('not-a-repository', `${dir} is a git repository owned by another user; git refuses to read it (${msg})`, dir);
    }
    if (/must be run in a work tree/.test(msg)) {
      throw new SebError('not-a-repository', `${dir} is a bare git repository; open a checkout with a working tree`, dir);
    }
    throw new SebError('not-a-repository', `${dir} is not a git repository (no .git in this folder)`, dir);
  }
  if (path.resolve(top) !== root) {
    throw new SebError('not-a-repository', `${dir} is not the top of a git repository (git reports ${top})`, dir);
  }
  let config: string[];
  try {
    const list = (await probe.probe(['config', '--list', '-z'])) ?? '';
    config = overridesFor(parseConfigList(list));
  } catch (e) {
    if (e instanceof UnsafeConfigError) throw new SebError('unsafe-repository', `${dir}: ${e.message}`, dir);
    throw e;
  }
  return { root, git: probe.withConfig(config), shallow };
}
