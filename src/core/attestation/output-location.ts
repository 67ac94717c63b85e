import path from 'node:path';

/**
 * Whether `file` is `root` or lies under it, by path (both absolute, and resolved through symbolic links by the caller
 * when the file system is at hand). A signed worksheet, like a draft, is never written into the run's or the
 * baseline's tree: that would change the tree being scored.
 */
export function isInsideTree(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
