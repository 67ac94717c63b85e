import { execFileSync } from 'node:child_process';

/**
 * Test oracle: what plain `git diff --numstat -M -z <args>` lists, by run-side path, as "added\tdeleted" ("-\t-" for
 * binaries). Only ever run on the tests' own benign repositories.
 */
export function gitNumstat(dir: string, ...args: string[]): Map<string, string> {
  const out = execFileSync('git', ['-C', dir, '-c', 'core.quotePath=false', 'diff', '--numstat', '-M', '-z', ...args], { encoding: 'utf8' });
  const map = new Map<string, string>();
  const tok = out.split('\0');
  for (let i = 0; i < tok.length; i++) {
    const m = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(tok[i] ?? '');
    if (!m) continue;
    let p = m[3] ?? '';
    if (p === '') {
      i += 2; // a rename: the old and the new path follow
      p = tok[i] ?? '';
    }
    map.set(p, `${m[1]}\t${m[2]}`);
  }
  return map;
}
