/**
 * One draft on disk, written so that no score is ever lost: atomically (temporary file, flush, rename), with the last
 * good copy kept beside it, a corrupt file set aside and reported, and a revision check so that two windows on the
 * same run never silently overwrite each other. Plain Node (no 'vscode'): tested in test/unit/draft-file.test.ts.
 */
import { copyFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkDraft, type Draft } from '../../core/worksheet';
import { formatProblems } from '../../core/rubric';

export interface Loaded {
  draft?: Draft;
  /** Why the draft file could not be used (names the file and the field); the file was moved aside. */
  problem?: string;
  /** The draft came from the last good copy because the file itself was unusable. */
  recoveredFrom?: string;
}

export type SaveResult = { ok: true; draft: Draft } | { ok: false; theirs: Draft };

const LOCK_STALE_MS = 5000;

export class DraftFile {
  readonly backup: string;
  private readonly lock: string;

  constructor(readonly file: string) {
    this.backup = `${file}.bak`;
    this.lock = `${file}.lock`;
  }

  private async read(file: string): Promise<{ draft?: Draft; problem?: string; missing?: boolean }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
      return { problem: `${file} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    const checked = checkDraft(text);
    return checked.ok ? { draft: checked.value } : { problem: `${file}: ${formatProblems(checked.problems)}` };
  }

  /** The draft, or the last good copy when the file is corrupt (the corrupt file is kept, renamed, for inspection). */
  async load(): Promise<Loaded> {
    const main = await this.read(this.file);
    if (main.draft) return { draft: main.draft };
    if (main.missing) {
      const bak = await this.read(this.backup);
      return bak.draft ? { draft: bak.draft, recoveredFrom: this.backup } : {};
    }
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, aside).catch(() => undefined);
    const bak = await this.read(this.backup);
    const problem = `${main.problem ?? this.file} (moved aside to ${path.basename(aside)})`;
    return bak.draft ? { draft: bak.draft, problem, recoveredFrom: this.backup } : { problem };
  }

  /** What is on disk now, if valid (used to notice another window's save). */
  async peek(): Promise<Draft | undefined> {
    return (await this.read(this.file)).draft;
  }

  /**
   * Writes `draft` as revision `basedOn + 1`, unless the file on disk has moved on from `basedOn` through another
   * writer: then nothing is written and their draft is returned. `force` writes over theirs (the user chose "keep mine").
   */
  async save(draft: Draft, basedOn: number, force = false): Promise<SaveResult> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const release = await this.acquire();
    try {
      const current = await this.read(this.file);
      const onDisk = current.draft;
      if (!force && onDisk && onDisk.revision !== basedOn && onDisk.writer !== draft.writer) return { ok: false, theirs: onDisk };
      const next: Draft = { ...draft, revision: Math.max(basedOn, onDisk?.revision ?? 0) + 1, updatedAt: new Date().toISOString() };
      if (onDisk) await copyFile(this.file, this.backup); // the last good copy
      await writeAtomically(this.file, JSON.stringify(next, null, 2) + '\n');
      return { ok: true, draft: next };
    } finally {
      await release();
    }
  }

  /** A lock file created exclusively; a lock older than LOCK_STALE_MS is taken as left behind by a crash. */
  private async acquire(): Promise<() => Promise<void>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const h = await open(this.lock, 'wx');
        await h.writeFile(String(process.pid));
        await h.close();
        return () => rm(this.lock, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const age = await stat(this.lock).then(s => Date.now() - s.mtimeMs, () => 0);
        if (age > LOCK_STALE_MS) await rm(this.lock, { force: true });
        else if (attempt > 200) throw new Error(`${this.lock} is held by another window`, { cause: e });
        else await new Promise(r => setTimeout(r, 10));
      }
    }
  }
}

/** temporary file in the same folder, write, flush to disk, rename over the target, flush the folder. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(content, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const dir = await open(path.dirname(file), 'r').catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}
