/** One changed file between a baseline tree and a run's tree, and how to describe it. Pure data. */
export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'type-changed';

/** One changed file between the baseline tree and the run's tree. */
export interface FileChange {
  /** Path in the run; for a deleted file, its path in the baseline. */
  path: string;
  /** Path in the baseline when it differs (renamed, copied). */
  oldPath?: string;
  status: ChangeStatus;
  /** Rename or copy similarity, 0-100. */
  similarity?: number;
  binary: boolean;
  additions: number;
  deletions: number;
  /** Octal git modes: 100644, 100755, 120000 (symlink), 160000 (submodule); 000000 when the side does not exist. */
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
}

export const NO_MODE = '000000';
const SYMLINK = '120000';

export function isSymlink(c: FileChange): boolean {
  return c.oldMode === SYMLINK || c.newMode === SYMLINK;
}

export function modeChanged(c: FileChange): boolean {
  return c.oldMode !== NO_MODE && c.newMode !== NO_MODE && c.oldMode !== c.newMode;
}

/** The baseline-side path (undefined for an added file). */
export function baselinePath(c: FileChange): string | undefined {
  return c.status === 'added' ? undefined : (c.oldPath ?? c.path);
}

/** The run-side path (undefined for a deleted file). */
export function runPath(c: FileChange): string | undefined {
  return c.status === 'deleted' ? undefined : c.path;
}


/** "M", "A", "R 87%", plus binary / mode / symlink notes: the short status shown next to a file. */
export function statusLabel(c: FileChange): string {
  const letter = { added: 'A', deleted: 'D', modified: 'M', renamed: 'R', copied: 'C', 'type-changed': 'T' }[c.status];
  const parts = [c.similarity !== undefined ? `${letter} ${c.similarity}%` : letter];
  if (c.binary) parts.push('binary');
  else parts.push(`+${c.additions} −${c.deletions}`);
  if (modeChanged(c)) parts.push(`mode ${c.oldMode} → ${c.newMode}`);
  if (isSymlink(c)) parts.push('symlink');
  return parts.join('  ');
}
