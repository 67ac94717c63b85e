import { devNull } from 'node:os';

/**
 * How SEB Review runs git on a repository it does not trust.
 *
 * A reviewed repository can name programs in its configuration (fsmonitor, hooks, clean/smudge/process filters,
 * textconv and external diff drivers, a pager, gpg, ssh and remote helpers for a partial clone's lazy fetch), in files
 * its configuration includes, and in `.git/info/attributes`. Switching those off key by key always misses the next
 * one (a filter whose name has an upper-case letter, a per-protocol allow), so the mechanism is structural:
 *   1. git never reads the repository's git directory as a repository: every command runs with GIT_DIR set to a
 *      folder SEB Review owns (./owned-git-dir.ts), whose configuration is the text below and nothing else; the
 *      repository's objects are read-only alternates, its refs and index copied in as data;
 *   2. no system or global configuration, no transports at all (GIT_ALLOW_PROTOCOL empty, protocol.allow=never,
 *      GIT_NO_LAZY_FETCH), no optional locks, no prompts, no replace objects; none of the caller's GIT_* variables;
 *   3. git is an absolute path found once outside any run (./git-executable.ts), spawned in the scratch folder;
 *   4. diff-family commands still get `--no-ext-diff --no-textconv` (nothing could configure them, but the flags
 *      cost nothing).
 * test/unit/hostile*.test.ts arm every trap found so far and check that no program ran and the run's `.git` is
 * unchanged byte for byte and in its mtimes.
 */

/** The whole configuration git sees. Everything not written here is git's built-in default. */
export function ownConfig(o: { sha256: boolean; hooksPath: string }): string {
  const q = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [
    '[core]',
    `\trepositoryformatversion = ${o.sha256 ? 1 : 0}`,
    '\tbare = false',
    '\tfsmonitor = false',
    `\thooksPath = ${q(o.hooksPath)}`,
    '\tuntrackedCache = false',
    '\tsplitIndex = false',
    '\tquotePath = false',
    // the repository's commit-graph and multi-pack index are caches it could forge (a commit's parents or tree): read
    // history and objects from the objects themselves
    '\tcommitGraph = false',
    '\tmultiPackIndex = false',
    ...(o.sha256 ? ['[extensions]', '\tobjectFormat = sha256'] : []),
    '[protocol]',
    '\tallow = never',
    '[index]',
    '\tsparse = false',
    '[gc]',
    '\tauto = 0',
    '[maintenance]',
    '\tauto = false',
    '[log]',
    '\tshowSignature = false',
    '[diff]',
    '\tignoreSubmodules = all',
    '[submodule]',
    '\trecurse = false',
    '[status]',
    '\tsubmoduleSummary = false',
    '',
  ].join('\n');
}

/** The environment every git command gets on top of the caller's (whose GIT_* variables are dropped). */
export const ENVIRONMENT: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: devNull,
  GIT_ATTR_NOSYSTEM: '1',
  GIT_ALLOW_PROTOCOL: '',
  GIT_NO_LAZY_FETCH: '1',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  LC_ALL: 'C',
};

/** Variables of the caller's environment that could name a program git would run; never passed on. */
export const DROPPED_ENV = /^(GIT_|EDITOR$|VISUAL$|PAGER$|SSH_ASKPASS$|LESS$|PREFIX$)/i;

/**
 * GIT_ALTERNATE_OBJECT_DIRECTORIES for these folders: each entry C-quoted (git unquotes an entry that starts with a
 * double quote), so a path holding the list separator (":" or ";"), a quote or a newline stays one entry.
 */
export function alternatesList(dirs: readonly string[], delimiter: string): string {
  return dirs.map(quoteAlternate).join(delimiter);
}

export function quoteAlternate(dir: string): string {
  let out = '"';
  for (const byte of Buffer.from(dir, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte < 0x20 || byte === 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  // bytes >= 0x80 were copied one by one as Latin-1 code units: turn them back into the UTF-8 text
  return Buffer.from(out + '"', 'latin1').toString('utf8');
}

/** Porcelain commands that could start an external diff or a textconv program. */
const DIFF_FAMILY = new Set(['diff', 'log', 'show', 'format-patch', 'whatchanged']);

/** Adds the flags that keep a diff-family porcelain command from running configured programs. */
export function hardenArgs(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  if (command === undefined) return [];
  if (DIFF_FAMILY.has(command)) return [command, '--no-ext-diff', '--no-textconv', '--ignore-submodules=all', ...rest];
  if (command === 'status') return [command, '--ignore-submodules=all', ...rest];
  return [...args];
}
