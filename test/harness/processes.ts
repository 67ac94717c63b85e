import { readFileSync, readdirSync } from 'node:fs';

/** Process ids under `root` (children, grandchildren, …), read from /proc. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) if (p === pid) { out.push(child); walk(child); }
  };
  walk(root);
  return out;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The extension host processes code-server started (`bootstrap-fork --type=extensionHost`). */
export function extensionHosts(serverPid: number): number[] {
  return descendants(serverPid).filter(pid => commandLine(pid).includes('--type=extensionHost'));
}

/** Whether any live (not zombie) process is left in process group `pgid`, read from /proc. */
export function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}
