import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { SebError } from '../core/errors';

/**
 * The git executable, as an absolute path resolved once per setting and never relative to a run.
 *
 * Spawning the bare name `git` lets the operating system search the current folder (Windows does so before PATH) and
 * any relative PATH entry (`.`, an empty entry): a run that commits its own `git.exe` or `git` script at its root would
 * then run instead of git. So the name is looked up here, only in PATH entries that are absolute, and the result is
 * what every GitRunner spawns.
 */

const cache = new Map<string, string>();

export interface LookupEnvironment {
  PATH?: string | undefined;
  PATHEXT?: string | undefined;
  platform?: NodeJS.Platform;
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Candidate file names for a command name on this platform (Windows tries each PATHEXT extension). */
function candidates(name: string, env: LookupEnvironment, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32' || path.extname(name) !== '') return [name];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(e => e.startsWith('.'));
  return exts.map(e => name + e.toLowerCase());
}

/**
 * Finds `setting` (an absolute path, or a command name such as "git") without looking at the current folder or at
 * relative PATH entries. Pure in its inputs so tests can give their own PATH.
 */
export function lookupGit(setting: string, env: LookupEnvironment = process.env, platform: NodeJS.Platform = env.platform ?? process.platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const name = setting.trim() === '' ? 'git' : setting.trim();
  if (p.isAbsolute(name)) {
    if (isExecutableFile(name, platform)) return p.normalize(name);
    throw new SebError('git-failed', `the git executable ${name} does not exist or cannot be run (setting sebReview.gitPath)`, name);
  }
  if (name.includes('/') || name.includes('\\')) {
    throw new SebError('git-failed', `the git executable must be a command name or an absolute path, not a relative path (${name})`, name);
  }
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const unquoted = dir.replace(/^"(.*)"$/, '$1');
    if (!p.isAbsolute(unquoted)) continue; // '.', '' and relative entries would make the current folder's programs win
    for (const file of candidates(name, env, platform)) {
      const full = p.join(unquoted, file);
      if (isExecutableFile(full, platform)) return full;
    }
  }
  throw new SebError('git-failed', `git was not found on PATH (only absolute PATH entries are searched); install git or set sebReview.gitPath to its absolute path`);
}

/** lookupGit for this process's PATH, cached per setting. */
export function gitExecutable(setting = 'git'): string {
  let found = cache.get(setting);
  if (found === undefined) {
    found = lookupGit(setting);
    cache.set(setting, found);
  }
  return found;
}
