import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Test set-up: plain git with a fixed identity, never the user's config. Not the hardened runner under test. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_AUTHOR_DATE: '2026-03-17T12:00:00Z',
      GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid', GIT_COMMITTER_DATE: '2026-03-17T12:00:00Z',
    },
  }).trim();
}

export function scratch(prefix = 'seb-unit-'): { dir: string; done(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export function write(root: string, rel: string, content: string | Buffer): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** A repository with one commit per entry of `commits` (each a map of path -> content). Returns the commit hashes. */
export function repoWith(dir: string, commits: Array<Record<string, string>>): string[] {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  return commits.map((files, i) => {
    for (const [rel, content] of Object.entries(files)) write(dir, rel, content);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`);
    return git(dir, 'rev-parse', 'HEAD');
  });
}
