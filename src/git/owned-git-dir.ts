import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SebError } from '../core/errors';
import { ownConfig } from './hardening';
import { readRegularFile } from './regular-file';
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
  /** A path where no index is: for commands that must see no working tree and no index (see GitRunner.treeOnly). */
  readonly noIndexFile: string;
  /** The repository's objects are named by SHA-256 (else SHA-1). */
  readonly sha256: boolean;
  readonly hasIndex: boolean;
  readonly shallow: boolean;
  dispose(): Promise<void>;
}

const MAX_REF_BYTES = 4096;
const MAX_PACKED_REFS_BYTES = 256 * 1024 * 1024;
/** The index of a very large repository is tens of MB; nothing git wrote is near this. */
const MAX_COPY_BYTES = 2 * 1024 * 1024 * 1024;
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
    // the CLI interrupted (Ctrl-C, a kill): leave through 'exit' so the folders go too. Only where nobody else listens:
    // the extension host and the language server have their own shutdown.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
    }
  }
}

/** Copies a regular file of at most `max` bytes (see readRegularFile); false when it is not one. */
async function copyRegular(from: string, to: string, max = MAX_COPY_BYTES): Promise<boolean> {
  const bytes = await readRegularFile(from, max);
  if (bytes === undefined) return false;
  await mkdir(path.dirname(to), { recursive: true });
  await writeFile(to, bytes);
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

/**
 * Whether the repository uses SHA-256, read off HEAD as the repository stores it: a hash, or a symbolic ref resolved
 * through a loose ref file or packed-refs. SHA-1 when nothing tells.
 */
async function usesSha256(loc: RepositoryLocation): Promise<boolean> {
  const hashIn = (t: string | undefined) => /(?:^|\n| )([0-9a-f]{64}|[0-9a-f]{40})(?![0-9a-f])/.exec(t ?? '')?.[1];
  let text = (await readRegularFile(path.join(loc.gitDir, 'HEAD'), MAX_REF_BYTES))?.toString('latin1');
  for (let hop = 0; hop < 5 && text !== undefined; hop++) {
    const found = hashIn(text);
    if (found) return found.length === 64;
    const ref = /^ref: (refs\/[^\s]+)/.exec(text)?.[1];
    if (!ref || ref.split('/').includes('..')) break;
    text = (await readRegularFile(path.join(loc.commonDir, ...ref.split('/')), MAX_REF_BYTES))?.toString('latin1');
  }
  // the first record is enough: every hash of one repository has one length
  const packed = await readRegularFile(path.join(loc.commonDir, 'packed-refs'), MAX_PACKED_REFS_BYTES, 4096);
  const found = hashIn(packed?.toString('latin1'));
  return found?.length === 64;
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
    const sha256 = await usesSha256(loc);
    await writeFile(path.join(gitDir, 'config'), ownConfig({ sha256, hooksPath: path.join(gitDir, 'hooks') }));
    const head = await readRegularFile(path.join(loc.gitDir, 'HEAD'), MAX_REF_BYTES);
    if (head === undefined) {
      throw new SebError('not-a-repository', `${loc.root}: ${path.join(loc.gitDir, 'HEAD')} is not a regular file git could have written`, loc.root);
    }
    await writeFile(path.join(gitDir, 'HEAD'), head);
    await copyRegular(path.join(loc.commonDir, 'packed-refs'), path.join(gitDir, 'packed-refs'), MAX_PACKED_REFS_BYTES);
    await copyRefs(path.join(loc.commonDir, 'refs'), path.join(gitDir, 'refs'));
    await mkdir(path.join(gitDir, 'refs', 'heads'), { recursive: true });
    await mkdir(path.join(gitDir, 'refs', 'tags'), { recursive: true });
    const shallow = await copyRegular(path.join(loc.commonDir, 'shallow'), path.join(gitDir, 'shallow'));
    // not info/exclude: it is the repository's local list of files to hide, not part of the tree under review
    // the index, for its stat cache (unchanged files are not read again); a split index needs its shared part beside it
    const hasIndex = await copyRegular(path.join(loc.gitDir, 'index'), indexFile);
    if (hasIndex) {
      for (const name of await readdir(loc.gitDir).catch(() => [])) {
        if (/^sharedindex\.[0-9a-f]+$/.test(name)) await copyRegular(path.join(loc.gitDir, name), path.join(gitDir, name));
      }
    }
    const dispose = async () => {
      await rm(scratch, { recursive: true, force: true });
      live.delete(scratch); // only once it is gone: an exit while rm runs still finds it in the list
    };
    return { scratch, gitDir, indexFile, noIndexFile: path.join(scratch, 'no-index'), sha256, hasIndex, shallow, dispose };
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    live.delete(scratch);
    throw e;
  }
}
