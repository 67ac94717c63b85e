/**
 * The larger benchmark run, built like bench/rxjs-run.ts from two npm releases of one package, deterministically (fixed
 * identities, dates and file contents, so the commit ids are the same on every machine):
 *   - buildBigRun: the root commit (tag seb-baseline) is @carbon/icons-react 10.49.0's package (IBM's Carbon design
 *     system icons as React components: 17,550 files, es/ + lib/ + next/, 57 MB of JavaScript), the run commit replaces
 *     the whole tree with 11.53.0's (9,736 files: es/ + lib/ with type declarations); some 27,000 files change.
 * Selected with `--pair big` in the diff-listing, overview and analysis benches (the default there stays rxjs).
 * The tarballs come from `npm pack` into .cache/bench/tarballs/ (checked against their published sha512 integrity and
 * reused). A repository is reused when its stamp file (.git/seb-bench-big) names the same build, its commits are the
 * ones the stamp records and its working tree is clean; otherwise it is rebuilt from scratch.
 * Like the rxjs runs, the run holds no seb-run.json: the extension and the server open it by its folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASELINE_TAG, type BenchRun, TARBALLS, commitAll, countFiles, failureText, git, integrityOf, replaceTree } from './rxjs-run';

export const BIG_PACKAGE = '@carbon/icons-react';
export const BIG_BASELINE_VERSION = '10.49.0';
export const BIG_HEAD_VERSION = '11.53.0';
/** For titles: "@carbon/icons-react 10.49.0 -> 11.53.0". */
export const BIG_LABEL = `${BIG_PACKAGE} ${BIG_BASELINE_VERSION} -> ${BIG_HEAD_VERSION}`;

/** Published `dist.integrity` of each release (npm view @carbon/icons-react@V dist.integrity). */
const INTEGRITY: Readonly<Record<string, string>> = {
  '10.49.0': 'sha512-Lzz0A/DfR0fBye0pyxA/7+EPr1e0GeA5qYlxoOwOVJrp/L2vFuKPOe7QLBHkNgKly/BAdqN9Uo1IHKbp6Zljeg==',
  '11.53.0': 'sha512-OAkUw7NZfBVWxnBL6wTGeOlyn65ieKGhIMJnwYSq5n2J2Ckj3dcKIjtZGib9v5dskjfthXnJngUqI1IlyeS3ew==',
};

/** The commit ids a correct build produces; anything else means the build is not deterministic here. */
const EXPECTED = { baseline: 'bd900662f4cc8292831502e52bf27c4b2781bc7c', head: 'e6dfc49e48eac8f4af1126c74c90455a900f4f9e' };

const STAMP = 'seb-bench-big';
const BUILDER = 'seb-bench-big/1';

const BASELINE_IDENTITY = { name: 'Carbon Maintainers', email: 'carbon@bench.seb-review.invalid', date: '2022-11-01T12:00:00+00:00' };
const RUN_IDENTITY = { name: 'Bench Agent', email: 'bench-agent@seb-review.invalid', date: '2024-11-01T12:00:00+00:00' };

/** The npm tarball of the package at `version`, from the cache folder or `npm pack`. */
export function bigTarball(version: string): string {
  const expected = INTEGRITY[version];
  if (!expected) throw new Error(`no pinned integrity for ${BIG_PACKAGE}@${version}`);
  const name = `${BIG_PACKAGE.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
  const file = path.join(TARBALLS, name);
  if (existsSync(file) && integrityOf(file) === expected) return file;
  mkdirSync(TARBALLS, { recursive: true });
  const tmp = path.join(TARBALLS, `.pack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    try {
      execFileSync('npm', ['pack', `${BIG_PACKAGE}@${version}`, '--pack-destination', tmp, '--silent'], {
        cwd: tmp,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      throw new Error(`npm pack ${BIG_PACKAGE}@${version} failed: ${failureText(e)}`, { cause: e });
    }
    const packed = path.join(tmp, name);
    if (!existsSync(packed)) throw new Error(`npm pack ${BIG_PACKAGE}@${version} did not write ${name}`);
    const got = integrityOf(packed);
    if (got !== expected) throw new Error(`${BIG_PACKAGE}@${version} from npm has integrity ${got}, expected ${expected}`);
    renameSync(packed, file);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return file;
}

interface Stamp {
  builder: string;
  baselineVersion: string;
  headVersion: string;
  baseline: string;
  head: string;
}

function stampFile(dir: string): string {
  return path.join(dir, '.git', STAMP);
}

function reuse(dir: string): BenchRun | undefined {
  const file = stampFile(dir);
  if (!existsSync(file)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.builder !== BUILDER || stamp.baselineVersion !== BIG_BASELINE_VERSION || stamp.headVersion !== BIG_HEAD_VERSION) return undefined;
  try {
    const [baseline, head] = git(dir, ['rev-parse', `${BASELINE_TAG}^{commit}`, 'HEAD']).trim().split('\n');
    if (baseline !== stamp.baseline || head !== stamp.head) return undefined;
    if (git(dir, ['status', '--porcelain', '--untracked-files=all']).length > 0) return undefined;
  } catch {
    return undefined;
  }
  return { dir, baseline: stamp.baseline, head: stamp.head, files: { baseline: countFiles(dir, stamp.baseline), head: countFiles(dir, stamp.head) } };
}

/** @carbon/icons-react 10.49.0 (baseline, tag seb-baseline) -> 11.53.0 (HEAD), working tree clean. */
export async function buildBigRun(dir: string): Promise<BenchRun> {
  const reused = reuse(dir);
  if (reused) return reused;
  const baseTarball = bigTarball(BIG_BASELINE_VERSION);
  const headTarball = bigTarball(BIG_HEAD_VERSION);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  replaceTree(dir, baseTarball);
  const baseline = commitAll(dir, `${BIG_PACKAGE} ${BIG_BASELINE_VERSION} (npm package)\n`, BASELINE_IDENTITY);
  git(dir, ['tag', BASELINE_TAG, baseline]);
  replaceTree(dir, headTarball);
  const head = commitAll(dir, `${BIG_PACKAGE} ${BIG_HEAD_VERSION} (npm package), replacing ${BIG_BASELINE_VERSION}\n`, RUN_IDENTITY);
  if (EXPECTED.baseline !== baseline || EXPECTED.head !== head) {
    console.warn(`[bench] the big run's commits are ${baseline.slice(0, 12)} -> ${head.slice(0, 12)}, expected `
      + `${EXPECTED.baseline.slice(0, 12)} -> ${EXPECTED.head.slice(0, 12)}: the build is not reproducing the same commits here`);
  }
  if (git(dir, ['status', '--porcelain', '--untracked-files=all']).length > 0) throw new Error(`${dir}: the working tree is not clean after the build`);
  const stamp: Stamp = { builder: BUILDER, baselineVersion: BIG_BASELINE_VERSION, headVersion: BIG_HEAD_VERSION, baseline, head };
  writeFileSync(stampFile(dir), `${JSON.stringify(stamp, null, 2)}\n`);
  return { dir, baseline, head, files: { baseline: countFiles(dir, baseline), head: countFiles(dir, head) } };
}
