import { type ReviewWorkspace } from './review-workspace';
import { NO_MODE, type ChangeStatus, type FileChange } from '../core/file-change';

export type { FileChange, ChangeStatus } from '../core/file-change';

const STATUS: Record<string, ChangeStatus> = { A: 'added', D: 'deleted', M: 'modified', R: 'renamed', C: 'copied', T: 'type-changed' };

/**
 * Parses `git diff-tree -r -z -M --raw --numstat A B`: all raw records first (":om nm os ns S\0path\0[path2\0]"),
 * then one numstat record per raw record, in the same order ("a\td\tpath\0", or "a\td\t\0old\0new\0" for renames).
 */
export function parseRawNumstat(out: string): FileChange[] {
  const tok = out.split('\0');
  let i = 0;
  const changes: FileChange[] = [];
  while (i < tok.length && tok[i]?.startsWith(':')) {
    const meta = (tok[i++] ?? '').slice(1).split(' ');
    const [oldMode = NO_MODE, newMode = NO_MODE, oldBlob = '', newBlob = '', code = ''] = meta;
    const letter = code.charAt(0);
    const status = STATUS[letter];
    if (!status) throw new Error(`unexpected git status ${JSON.stringify(code)}`);
    const first = tok[i++] ?? '';
    const change: FileChange = { path: first, status, binary: false, additions: 0, deletions: 0, oldMode, newMode, oldBlob, newBlob };
    if (letter === 'R' || letter === 'C') {
      change.oldPath = first;
      change.path = tok[i++] ?? '';
      change.similarity = Number(code.slice(1));
    }
    changes.push(change);
  }
  for (const change of changes) {
    const rec = tok[i++] ?? '';
    const m = /^(-|\d+)\t(-|\d+)\t/.exec(rec);
    if (!m) throw new Error(`unexpected numstat record ${JSON.stringify(rec)}`);
    if (rec.length === m[0].length) i += 2; // rename/copy: the two paths follow as their own records
    if (m[1] === '-') change.binary = true;
    else {
      change.additions = Number(m[1]);
      change.deletions = Number(m[2]);
    }
  }
  return changes;
}

export interface ChangeList {
  changes: FileChange[];
  /** git skipped inexact rename detection (too many candidates for its rename limit): renames with edits show as a deletion and an addition. */
  renameLimitHit: boolean;
}

/** Every changed file between the workspace's baseline tree and head tree, renames detected (git's default -M). */
export async function listChangeList(ws: ReviewWorkspace): Promise<ChangeList> {
  if (ws.baselineTree === ws.headTree) return { changes: [], renameLimitHit: false };
  const { stdout, stderr } = await ws.run(['diff-tree', '-r', '-z', '-M', '--raw', '--numstat', '--no-abbrev', ws.baselineTree, ws.headTree]);
  return { changes: parseRawNumstat(stdout.toString('utf8')), renameLimitHit: /inexact rename detection was skipped/.test(stderr) };
}

export async function listChanges(ws: ReviewWorkspace): Promise<FileChange[]> {
  return (await listChangeList(ws)).changes;
}

/** The unified diff of one file (both paths given, so a rename stays a rename). */
export async function filePatch(ws: ReviewWorkspace, c: FileChange, context = 3): Promise<string> {
  const paths = [...new Set([c.oldPath, c.path].filter((p): p is string => p !== undefined))];
  return ws.text(['diff-tree', '-r', '-p', '-M', `-U${context}`, '--no-color', ws.baselineTree, ws.headTree, '--', ...paths]);
}
