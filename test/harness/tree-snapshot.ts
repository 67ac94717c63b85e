import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Every entry under `root` with its kind, size, mtime (nanoseconds) and content digest: two snapshots are equal only
 * when nothing was written, created, removed or touched (an object file "freshened" by git changes its mtime).
 */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = lstatSync(full, { bigint: true });
      const rel = path.relative(root, full);
      if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(full)} ${st.mtimeNs}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${st.mtimeNs}`);
        walk(full);
      } else if (st.isFile()) {
        out.set(rel, `file ${st.size} ${st.mtimeNs} ${st.mode} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
      } else out.set(rel, `other ${st.mode}`);
    }
  };
  walk(root);
  return out;
}

/** The differences between two snapshots, one line each ("+ new", "- gone", "~ changed"), for assertion messages. */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [k, v] of after) {
    const was = before.get(k);
    if (was === undefined) lines.push(`+ ${k}`);
    else if (was !== v) lines.push(`~ ${k}: ${was} -> ${v}`);
  }
  for (const k of before.keys()) if (!after.has(k)) lines.push(`- ${k}`);
  return lines;
}
