/**
 * Large and small benchmark runs built from two npm releases of rxjs, deterministically (fixed identities, dates and
 * file contents, so the commit ids are the same on every machine):
 *   - buildRxjsRun: the root commit (tag seb-baseline) is rxjs 6.6.7's package, the run commit replaces the whole tree
 *     with rxjs 7.8.1's (about 3,600 -> 2,300 files, most of them deleted, added or renamed);
 *   - buildSmallRun: the same 6.6.7 baseline with exactly ten files edited in the run commit.
 * The tarballs come from `npm pack` into .cache/bench/tarballs/ (checked against their published sha512 integrity and
 * reused). A repository is reused when its stamp file (.git/seb-bench-rxjs) names the same build, its commits are
 * the ones the stamp records and its working tree is clean; otherwise it is rebuilt from scratch.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../test/harness/env';

export interface BenchRun {
  dir: string;
  /** Commit id of the baseline (tag seb-baseline). */
  baseline: string;
  /** Commit id of the run (HEAD, branch main). */
  head: string;
  /** Number of files in each tree. */
  files: { baseline: number; head: number };
}

export const BASELINE_VERSION = '6.6.7';
export const HEAD_VERSION = '7.8.1';
export const BASELINE_TAG = 'seb-baseline';
export const TARBALLS = path.join(ROOT, '.cache', 'bench', 'tarballs');

/** Published `dist.integrity` of each release (npm view rxjs@V dist.integrity). */
const INTEGRITY: Readonly<Record<string, string>> = {
  '6.6.7': 'sha512-hTdwr+7yYNIT5n4AMYp85KA6yw2Va0FLa3Rguvbpa4W3I5xynaBZo41cM3XM+4Q6fRMj3sBYIR1VAmZMXYJvRQ==',
  '7.8.1': 'sha512-AA3TVj+0A2iuIoQkWEK/tqFjBq2j+6PO6Y0zJcvzLAFhEFIO3HL0vls9hWLncZbAAbK0mar7oZ4V079I/qPMxg==',
};

/** The commit ids a correct build produces; anything else means the build is not deterministic here. */
const EXPECTED: Readonly<Record<'rxjs' | 'small', { baseline: string; head: string }>> = {
  rxjs: { baseline: '7510303465bde7ada6ee7a33d0685f19a59d1705', head: '4bd250f720cf92c5ae0de7de9efa278bcce8e341' },
  small: { baseline: '7510303465bde7ada6ee7a33d0685f19a59d1705', head: '384951959b07ea1c5ef0be2a05a719a462338b5c' },
};

const STAMP = 'seb-bench-rxjs';
const BUILDER = 'seb-bench-rxjs/1';
/** npm writes every tarball entry with this modification time; the builders keep it, so no index entry is racy. */
export const NPM_MTIME = new Date('1985-10-26T08:15:00Z');

const BASELINE_IDENTITY = { name: 'RxJS Maintainers', email: 'rxjs@bench.seb-review.invalid', date: '2021-03-22T12:00:00+00:00' };
const RUN_IDENTITY = { name: 'Bench Agent', email: 'bench-agent@seb-review.invalid', date: '2023-04-27T12:00:00+00:00' };

const GIT_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

/** The environment for every git the builders run: none of the caller's GIT_* variables, no system or global config. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^GIT_/i.test(k)) env[k] = v;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...extra };
}

/** Runs git in `cwd` with the builders' fixed configuration; returns stdout. */
export function git(cwd: string, args: readonly string[], extraEnv: Record<string, string> = {}): string {
  try {
    return execFileSync('git', [...GIT_CONFIG, ...args], {
      cwd,
      env: gitEnv(extraEnv),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${failureText(e)}`, { cause: e });
  }
}

export function failureText(e: unknown): string {
  if (e instanceof Error) {
    const stderr = (e as Error & { stderr?: unknown }).stderr;
    const text = typeof stderr === 'string' ? stderr : Buffer.isBuffer(stderr) ? stderr.toString('utf8') : '';
    return (text.trim() || e.message).split('\n').slice(0, 5).join('\n');
  }
  return String(e);
}

export function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The npm tarball of rxjs@version, from the cache folder or `npm pack`. */
export function rxjsTarball(version: string): string {
  const expected = INTEGRITY[version];
  if (!expected) throw new Error(`no pinned integrity for rxjs@${version}`);
  const file = path.join(TARBALLS, `rxjs-${version}.tgz`);
  if (existsSync(file) && integrityOf(file) === expected) return file;
  mkdirSync(TARBALLS, { recursive: true });
  // packed into a private folder first, so an interrupted download never leaves a partial tarball under the final name
  const tmp = path.join(TARBALLS, `.pack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    try {
      execFileSync('npm', ['pack', `rxjs@${version}`, '--pack-destination', tmp, '--silent'], {
        cwd: tmp,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      throw new Error(`npm pack rxjs@${version} failed: ${failureText(e)}`, { cause: e });
    }
    const packed = path.join(tmp, `rxjs-${version}.tgz`);
    if (!existsSync(packed)) throw new Error(`npm pack rxjs@${version} did not write ${path.basename(packed)}`);
    const got = integrityOf(packed);
    if (got !== expected) throw new Error(`rxjs@${version} from npm has integrity ${got}, expected ${expected}`);
    renameSync(packed, file);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return file;
}

/** Empties `dir` except for its .git folder, then extracts the package's files (the tarball's package/ folder) into it. */
export function replaceTree(dir: string, tarball: string): void {
  for (const entry of readdirSync(dir)) {
    if (entry !== '.git') rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', '--no-same-owner', 'package/'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`tar -xzf ${tarball} failed: ${failureText(e)}`, { cause: e });
  }
}

export function commitAll(dir: string, message: string, who: { name: string; email: string; date: string }): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', message], {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_AUTHOR_DATE: who.date,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_COMMITTER_DATE: who.date,
  });
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export function countFiles(dir: string, rev: string): number {
  return git(dir, ['ls-tree', '-r', '-z', '--name-only', rev]).split('\0').filter(Boolean).length;
}

interface Stamp {
  builder: string;
  kind: 'rxjs' | 'small';
  baselineVersion: string;
  headVersion?: string;
  baseline: string;
  head: string;
}

function stampFile(dir: string): string {
  return path.join(dir, '.git', STAMP);
}

/** The run in `dir` when its stamp matches `want` and the repository is still as built; undefined otherwise. */
function reuse(dir: string, want: Omit<Stamp, 'baseline' | 'head'>): BenchRun | undefined {
  const file = stampFile(dir);
  if (!existsSync(file)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.builder !== want.builder || stamp.kind !== want.kind || stamp.baselineVersion !== want.baselineVersion
    || stamp.headVersion !== want.headVersion) return undefined;
  try {
    const [baseline, head] = git(dir, ['rev-parse', `${BASELINE_TAG}^{commit}`, 'HEAD']).trim().split('\n');
    if (baseline !== stamp.baseline || head !== stamp.head) return undefined;
    if (git(dir, ['status', '--porcelain', '--untracked-files=all']).length > 0) return undefined;
  } catch {
    return undefined;
  }
  return { dir, baseline: stamp.baseline, head: stamp.head, files: { baseline: countFiles(dir, stamp.baseline), head: countFiles(dir, stamp.head) } };
}

function checkDeterministic(kind: 'rxjs' | 'small', baseline: string, head: string): void {
  const want = EXPECTED[kind];
  if (want.baseline !== baseline || want.head !== head) {
    console.warn(`[bench] the ${kind} run's commits are ${baseline.slice(0, 12)} -> ${head.slice(0, 12)}, expected `
      + `${want.baseline.slice(0, 12)} -> ${want.head.slice(0, 12)}: the build is not reproducing the same commits here`);
  }
}

/** A fresh repository in `dir` whose root commit, tagged seb-baseline, holds rxjs 6.6.7's package. Returns its id. */
function initBaseline(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  replaceTree(dir, rxjsTarball(BASELINE_VERSION));
  const baseline = commitAll(dir, `rxjs ${BASELINE_VERSION} (npm package)\n`, BASELINE_IDENTITY);
  git(dir, ['tag', BASELINE_TAG, baseline]);
  return baseline;
}

function finish(dir: string, stamp: Stamp): BenchRun {
  checkDeterministic(stamp.kind, stamp.baseline, stamp.head);
  if (git(dir, ['status', '--porcelain', '--untracked-files=all']).length > 0) throw new Error(`${dir}: the working tree is not clean after the build`);
  writeFileSync(stampFile(dir), `${JSON.stringify(stamp, null, 2)}\n`);
  return { dir, baseline: stamp.baseline, head: stamp.head, files: { baseline: countFiles(dir, stamp.baseline), head: countFiles(dir, stamp.head) } };
}

/** rxjs 6.6.7 (baseline, tag seb-baseline) -> rxjs 7.8.1 (HEAD), working tree clean. */
export async function buildRxjsRun(dir: string): Promise<BenchRun> {
  const want = { builder: BUILDER, kind: 'rxjs' as const, baselineVersion: BASELINE_VERSION, headVersion: HEAD_VERSION };
  const reused = reuse(dir, want);
  if (reused) return reused;
  const headTarball = rxjsTarball(HEAD_VERSION);
  const baseline = initBaseline(dir);
  replaceTree(dir, headTarball);
  const head = commitAll(dir, `rxjs ${HEAD_VERSION} (npm package), replacing ${BASELINE_VERSION}\n`, RUN_IDENTITY);
  return finish(dir, { ...want, baseline, head });
}

/** The files buildSmallRun edits: ten of the baseline's operator modules, evenly spread in path order. */
export function smallRunEdits(files: readonly string[]): string[] {
  const candidates = files.filter(f => /^internal\/operators\/[^/]+\.js$/.test(f)).sort();
  if (candidates.length < 10) throw new Error(`only ${candidates.length} files under internal/operators/ to edit`);
  const step = candidates.length / 10;
  return Array.from({ length: 10 }, (_, k) => candidates[Math.floor(k * step)] ?? '');
}

/** rxjs 6.6.7 (baseline, tag seb-baseline) -> the same tree with exactly ten files edited (HEAD), working tree clean. */
export async function buildSmallRun(dir: string): Promise<BenchRun> {
  const want = { builder: BUILDER, kind: 'small' as const, baselineVersion: BASELINE_VERSION };
  const reused = reuse(dir, want);
  if (reused) return reused;
  const baseline = initBaseline(dir);
  const tracked = git(dir, ['ls-files', '-z']).split('\0').filter(Boolean);
  smallRunEdits(tracked).forEach((rel, k) => {
    const file = path.join(dir, ...rel.split('/'));
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `/* bench edit ${k + 1} of 10: ${rel} */\n${text.replace(/\n?$/, '\n')}exports.__benchEdit${k + 1} = ${k + 1};\n`);
    utimesSync(file, NPM_MTIME, NPM_MTIME);
  });
  const head = commitAll(dir, 'Edit ten operator modules\n', RUN_IDENTITY);
  return finish(dir, { ...want, baseline, head });
}

export interface DirtyCopy {
  dir: string;
  /** Tracked files changed in the working tree. */
  modified: string[];
  /** New files that git does not track. */
  untracked: string[];
}

/**
 * A clone of the run in `source` at `dir` (rebuilt every time; `source` is never touched) with a dirty working tree:
 * `modify` tracked files edited (evenly spread over the tracked files in path order) and `add` untracked files.
 * The clone's index is refreshed before the edits, so only the edited and the new files differ from it.
 */
export function makeDirtyCopy(source: string, dir: string, modify = 20, add = 5): DirtyCopy {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  // a copy of the object files, loose as in the source (a packed clone would read faster and skew the comparison)
  git(path.dirname(dir), ['clone', '-q', '--no-hardlinks', source, dir]);
  const tracked = git(dir, ['ls-files', '-z']).split('\0').filter(Boolean);
  // the checkout wrote every file in the same second as the index ("racily clean" entries git would re-read on
  // every diff): give them the tarballs' time back and refresh the index, as in the source repository
  for (const rel of tracked) utimesSync(path.join(dir, ...rel.split('/')), NPM_MTIME, NPM_MTIME);
  git(dir, ['update-index', '-q', '--refresh']);
  const text = tracked.filter(f => /\.(js|ts|json|md)$/.test(f));
  if (text.length < modify) throw new Error(`${source} has only ${text.length} text files`);
  const step = text.length / modify;
  const modified = Array.from({ length: modify }, (_, k) => text[Math.floor(k * step)] ?? '');
  modified.forEach((rel, k) => {
    const file = path.join(dir, ...rel.split('/'));
    writeFileSync(file, `${readFileSync(file, 'utf8').replace(/\n?$/, '\n')}// uncommitted edit ${k + 1}\n`);
  });
  const untracked = Array.from({ length: add }, (_, k) => `bench-notes/uncommitted-${k + 1}.txt`);
  mkdirSync(path.join(dir, 'bench-notes'), { recursive: true });
  untracked.forEach((rel, k) => {
    const lines = Array.from({ length: 12 }, (_, i) => `note ${k + 1}, line ${i + 1}: not committed yet`);
    writeFileSync(path.join(dir, ...rel.split('/')), `${lines.join('\n')}\n`);
  });
  return { dir, modified, untracked };
}
