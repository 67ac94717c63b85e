import { copyFile, lstat, mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SebError } from '../core/errors';
import { ownConfig } from './hardening';
import { type RepositoryLocation } from './repository-location';

/**
 * A git directory SEB Review owns, standing in for a reviewed repository's: every git command runs against it
 * (GIT_DIR), so git reads only the configuration written here, never the repository's `.git/config`, its includes,
 * `info/attributes`, hooks or promisor settings. The repository contributes data only, copied by plain file reads:
 * HEAD, packed-refs and loose refs, `shallow`, `info/exclude` and the index (for its stat cache). Its objects are
 * reached read-only as alternates (see GitRunner); objects git writes (a snapshot of a dirty working tree) land in
 * this folder's own object directory.
 */
export interface OwnedGitDir {
  /** The scratch folder (removed by dispose): git's working folder for every command. */
  readonly scratch: string;
  /** GIT_DIR. */
  readonly gitDir: string;
  /** GIT_INDEX_FILE: a copy of the repository's index, or none when it has none. */
  readonly indexFile: string;
  readonly hasIndex: boolean;
  readonly shallow: boolean;
  dispose(): Promise<void>;
}

const MAX_REF_BYTES = 4096;
const MAX_PACKED_REFS_BYTES = 256 * 1024 * 1024;
const live = new Set<string>();
let exitHook = false;

/** Leaves no scratch folder behind when the process exits without disposing (a crash, an early exit in the CLI). */
function track(dir: string): void {
  live.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of live) rmSync(d, { recursive: true, force: true });
    });
  }
}

/** Copies a regular file of at most `max` bytes; false when it is absent, a link, not a regular file or too large. */
async function copyRegular(from: string, to: string, max = Number.POSITIVE_INFINITY): Promise<boolean> {
  const st = await lstat(from).catch(() => undefined);
  if (!st?.isFile() || st.size > max) return false;
  await mkdir(path.dirname(to), { recursive: true });
  await copyFile(from, to);
  return true;
}

/** Copies the loose refs under `from` (regular files only; links and oversized files are not refs git would write). */
async function copyRefs(from: string, to: string, depth = 0): Promise<void> {
  if (depth > 64) return;
  const entries = await readdir(from, { withFileTypes: true }).catch(() => []);
  await mkdir(to, { recursive: true });
  for (const e of entries) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) await copyRefs(src, dst, depth + 1);
    else if (e.isFile()) await copyRegular(src, dst, MAX_REF_BYTES);
  }
}

/** The hash length the repository uses (40 for SHA-1, 64 for SHA-256), read off HEAD or the refs; 40 when unknown. */
async function hashLength(loc: RepositoryLocation): Promise<number> {
  const texts = [await readFile(path.join(loc.gitDir, 'HEAD'), 'latin1').catch(() => '')];
  const packed = await lstat(path.join(loc.commonDir, 'packed-refs')).catch(() => undefined);
  if (packed?.isFile()) {
    // the first record is enough: all hashes of one repository have one length
    const head = Buffer.alloc(Math.min(packed.size, 4096));
    const fh = await open(path.join(loc.commonDir, 'packed-refs'), 'r');
    try {
      await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
    texts.push(head.toString('latin1'));
  }
  for (const t of texts) {
    const m = /(?:^|\n)([0-9a-f]{40}(?:[0-9a-f]{24})?)(?![0-9a-f])/.exec(t);
    if (m?.[1]) return m[1].length;
  }
  return 40;
}

export async function createOwnedGitDir(loc: RepositoryLocation): Promise<OwnedGitDir> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'seb-review-'));
  track(scratch);
  const gitDir = path.join(scratch, 'git');
  const indexFile = path.join(scratch, 'index');
  try {
    await mkdir(path.join(gitDir, 'objects', 'info'), { recursive: true });
    await mkdir(path.join(gitDir, 'hooks'));
    await mkdir(path.join(gitDir, 'info'));
    await writeFile(path.join(gitDir, 'config'), ownConfig({ sha256: (await hashLength(loc)) === 64, hooksPath: path.join(gitDir, 'hooks') }));
    if (!(await copyRegular(path.join(loc.gitDir, 'HEAD'), path.join(gitDir, 'HEAD'), MAX_REF_BYTES))) {
      throw new SebError('not-a-repository', `${loc.root}: ${path.join(loc.gitDir, 'HEAD')} is not a regular file git could have written`, loc.root);
    }
    if (await lstat(path.join(loc.commonDir, 'packed-refs')).then(s => s.size > MAX_PACKED_REFS_BYTES, () => false)) {
      throw new SebError('unsafe-repository', `${loc.root}: packed-refs is larger than ${MAX_PACKED_REFS_BYTES} bytes`, loc.root);
    }
    await copyRegular(path.join(loc.commonDir, 'packed-refs'), path.join(gitDir, 'packed-refs'));
    await copyRefs(path.join(loc.commonDir, 'refs'), path.join(gitDir, 'refs'));
    await mkdir(path.join(gitDir, 'refs', 'heads'), { recursive: true });
    await mkdir(path.join(gitDir, 'refs', 'tags'), { recursive: true });
    const shallow = await copyRegular(path.join(loc.commonDir, 'shallow'), path.join(gitDir, 'shallow'));
    await copyRegular(path.join(loc.commonDir, 'info', 'exclude'), path.join(gitDir, 'info', 'exclude'));
    // the index, for its stat cache (unchanged files are not read again); a split index needs its shared part beside it
    const hasIndex = await copyRegular(path.join(loc.gitDir, 'index'), indexFile);
    if (hasIndex) {
      for (const name of await readdir(loc.gitDir).catch(() => [])) {
        if (/^sharedindex\.[0-9a-f]+$/.test(name)) await copyRegular(path.join(loc.gitDir, name), path.join(gitDir, name));
      }
    }
    const dispose = async () => {
      live.delete(scratch);
      await rm(scratch, { recursive: true, force: true });
    };
    return { scratch, gitDir, indexFile, hasIndex, shallow, dispose };
  } catch (e) {
    live.delete(scratch);
    await rm(scratch, { recursive: true, force: true });
    throw e;
  }
}
