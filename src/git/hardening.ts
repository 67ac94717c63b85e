/**
 * How SebReview runs git on a repository it does not trust.
 *
 * A reviewed repository can name programs in its own configuration: fsmonitor, hooks, clean/smudge/process filters,
 * textconv and external diff drivers, a pager, gpg for signatures, transports for lazy fetches. Reviewing must never
 * run any of them. Three layers:
 *   1. environment: no system or global config, no optional locks (so git never rewrites the index), no prompts;
 *   2. `-c` overrides that switch off every configured program a read-only command could reach, including each filter
 *      driver the repository defines (found by reading its configuration, which runs nothing);
 *   3. command flags: diff-family porcelain commands always get `--no-ext-diff --no-textconv`, submodules are ignored,
 *      and `--no-pager` is global.
 * The hostile fixture (test/fixtures/build-hostile.mjs) exercises every one of these.
 */

export const BASE_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.useBuiltinFSMonitor=false',
  'core.hooksPath=/dev/null',
  'core.untrackedCache=false',
  'protocol.allow=never', // no transport at all: a partial clone's lazy fetch cannot start ssh or a remote helper
  'log.showSignature=false', // would run gpg.program
  'diff.ignoreSubmodules=all',
  'submodule.recurse=false',
  'status.submoduleSummary=false',
  'core.quotePath=false',
];

export const ENVIRONMENT: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  LC_ALL: 'C',
};

/** Porcelain commands that could start an external diff or a textconv program. */
const DIFF_FAMILY = new Set(['diff', 'log', 'show', 'format-patch', 'whatchanged']);

/** Config keys read with `git config --list -z`: "key\nvalue" records separated by NUL. */
export function parseConfigList(output: string): Array<{ key: string; value: string }> {
  return output
    .split('\0')
    .filter(rec => rec.length > 0)
    .map(rec => {
      const nl = rec.indexOf('\n');
      return nl < 0 ? { key: rec.toLowerCase(), value: '' } : { key: rec.slice(0, nl).toLowerCase(), value: rec.slice(nl + 1) };
    });
}

export class UnsafeConfigError extends Error {}

/**
 * The `-c` overrides for one repository: the base set plus, for every filter driver its configuration defines,
 * empty clean/smudge/process commands and required=false (git then passes content through unchanged).
 * A driver name git could not take back through `-c` (it holds "=" or a newline) makes the repository unsafe to read.
 */
export function overridesFor(config: ReadonlyArray<{ key: string }>): string[] {
  const filters = new Set<string>();
  for (const { key } of config) {
    const m = /^filter\.(.+)\.(clean|smudge|process|required)$/s.exec(key);
    if (m?.[1] !== undefined) filters.add(m[1]);
  }
  const out = [...BASE_CONFIG];
  for (const name of [...filters].sort()) {
    if (/[=\n\0]/.test(name)) {
      throw new UnsafeConfigError(`the repository configures a filter driver whose name git cannot override (${JSON.stringify(name)})`);
    }
    out.push(`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`);
  }
  return out;
}

/** Adds the flags that keep a diff-family porcelain command from running configured programs. */
export function hardenArgs(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  if (command === undefined) return [];
  if (DIFF_FAMILY.has(command)) return [command, '--no-ext-diff', '--no-textconv', '--ignore-submodules=all', ...rest];
  if (command === 'status') return [command, '--ignore-submodules=all', ...rest];
  return [...args];
}
