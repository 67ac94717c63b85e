import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Minimum, median and maximum of a series, for benchmark reports. */
export function summary(values: number[]): { min: number; median: number; max: number; n: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN, n: s.length };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/** The first file called `name` under `dir` (the extension's log under a code-server state folder). */
export function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    } else if (entry === name) return p;
  }
  return undefined;
}
