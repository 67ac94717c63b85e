/**
 * Paths inside a tree, as written in manifests and worksheets: relative, forward slashes, and never leaving the tree.
 * Returns the reason a path is not acceptable, or undefined when it is.
 */
export function relativePathProblem(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'uses backslashes; write paths with forward slashes';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute; write it relative to the run folder';
  const parts = p.split('/');
  if (parts.some(s => s === '..')) return 'leaves the tree (contains "..")';
  if (parts.some(s => s === '')) return 'has an empty segment';
  return undefined;
}
