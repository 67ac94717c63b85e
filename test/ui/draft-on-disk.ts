import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DraftOnDisk {
  file: string;
  entries: Record<string, { points: string; rationale: string }>;
}

/** The rubric draft SEB Review keeps in its global storage under a code-server state folder, as it is on disk now. */
export function draftOnDisk(stateDir: string): DraftOnDisk | undefined {
  const dir = path.join(stateDir, 'user-data', 'User', 'globalStorage', 'seb-review.seb-review', 'drafts');
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find(n => n.endsWith('.draft.json'));
  if (!name) return undefined;
  const file = path.join(dir, name);
  try {
    return { file, entries: (JSON.parse(readFileSync(file, 'utf8')) as Pick<DraftOnDisk, 'entries'>).entries };
  } catch {
    return undefined; // written atomically (temporary file, rename), so only when it vanished between the two calls
  }
}
