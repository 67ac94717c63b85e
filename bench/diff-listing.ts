/**
 * Listing a large run's changes, against git's own time. On the rxjs 6.6.7 -> 7.8.1 run (bench/rxjs-run.ts), in one
 * process, interleaved so machine noise hits both sides equally (the order alternates every round):
 *   (a) what opening a run costs before the Changes view can show: resolveRun + ReviewWorkspace.open + listChanges
 *       (dispose, done when the run is closed, is timed apart), and listChanges alone;
 *   (b) `git diff --numstat -z -M seb-baseline` as a plain child process in the same repository (baseline against
 *       the working tree, as the listing does);
 * on the clean run, on a clone of it with a dirty working tree (20 tracked files edited, 5 untracked files added: the
 * working-tree snapshot path), and on a ten-file run for the fixed cost. Both sides must report the same changed
 * paths (a rename counted as its new path) with the same line counts; any difference is printed and the exit code is 1.
 * git diff cannot see untracked files, so on the dirty clone they are added to its side of the comparison (they are not
 * timed: the figure is git diff alone).
 * Also: where the listing's time goes (every git call it makes, timed by wrapping GitRunner), what one git call costs
 * through GitRunner and as a plain child process, what the workspace's scratch index and object directory
 * cost git diff-tree, and treeFiles for both trees + summariseSizes (the size summary).
 * With --pair big, the large run is bench/big-run.ts's (@carbon/icons-react 10.49.0 -> 11.53.0, some 27,000 changed files)
 * instead of rxjs; the ten-file run stays.
 * Usage: npm run bench -- diff-listing [--runs N] [--pair rxjs|big]   (default 7, after one warm-up round that is not counted)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { summariseSizes } from '../src/core/size-summary';
import { type FileChange, listChanges } from '../src/git/changes';
import { GitRunner } from '../src/git/git-runner';
import { openRepository } from '../src/git/repository';
import { resolveRun, resolveRunIn } from '../src/git/resolve-run';
import { ReviewWorkspace } from '../src/git/review-workspace';
import { treeFiles } from '../src/git/tree-files';
import { ROOT } from '../test/harness/env';
import { BIG_LABEL, buildBigRun } from './big-run';
import { BASELINE_TAG, BASELINE_VERSION, HEAD_VERSION, type BenchRun, buildRxjsRun, buildSmallRun, git, gitEnv, makeDirtyCopy } from './rxjs-run';
import { fmt, summary } from './stats';

const BENCH = path.join(ROOT, '.cache', 'bench');

// ---- every git call SEB Review makes, timed (the bench wraps GitRunner; nothing in src/ changes) ----

interface GitCall {
  command: string;
  ms: number;
}
let recording: GitCall[] | undefined;

function instrumentGitRunner(): void {
  const text = GitRunner.prototype.text;
  const blob = GitRunner.prototype.blob;
  const describe = (args: readonly string[]) => args.filter(a => !/^[0-9a-f]{40}$/.test(a)).slice(0, 3).join(' ');
  GitRunner.prototype.text = async function (this: GitRunner, args: readonly string[]): Promise<string> {
    const t0 = performance.now();
    try {
      return await text.call(this, args);
    } finally {
      recording?.push({ command: describe(args), ms: performance.now() - t0 });
    }
  };
  GitRunner.prototype.blob = async function (this: GitRunner, spec: string): Promise<Buffer> {
    const t0 = performance.now();
    try {
      return await blob.call(this, spec);
    } finally {
      recording?.push({ command: 'cat-file blob', ms: performance.now() - t0 });
    }
  };
}

// ---- the two sides ----

/** Changed path -> "additions\tdeletions" ("-\t-" for binary): what both sides are compared on. */
type Listing = Map<string, string>;

interface Phase {
  name: string;
  ms: number;
  calls: GitCall[];
}

interface OursResult {
  total: number;
  list: number;
  phases: Phase[];
  listing: Listing;
  /** Number of FileChange records (more than listing.size when a path is listed twice). */
  records: number;
  dirty: boolean;
  snapshot: boolean;
}

function listingOf(changes: readonly FileChange[]): Listing {
  const out: Listing = new Map();
  for (const c of changes) out.set(c.path, c.binary ? '-\t-' : `${c.additions}\t${c.deletions}`);
  return out;
}

/** resolveRun + ReviewWorkspace.open + listChanges (what opening a run costs), each phase timed with its git calls; dispose timed apart. */
async function ours(dir: string): Promise<OursResult> {
  const phases: Phase[] = [];
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const calls: GitCall[] = [];
    recording = calls;
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      phases.push({ name, ms: performance.now() - t0, calls });
      recording = undefined;
    }
  };
  const t0 = performance.now();
  const { run, repo } = await phase('resolveRun', () => resolveRunIn(dir));
  const ws = await phase('ReviewWorkspace.open', () => ReviewWorkspace.open(run, {}, repo));
  let changes: FileChange[];
  let total: number;
  try {
    changes = await phase('listChanges', () => listChanges(ws));
    total = performance.now() - t0; // the Changes view can show now; the scratch folder is removed when the run closes
  } finally {
    await phase('dispose (not counted: happens when the run is closed)', () => ws.dispose());
  }
  const dirty = run.head.source.kind === 'working-tree' && run.head.source.dirty;
  return { total, list: phases.find(p => p.name === 'listChanges')?.ms ?? NaN, phases, listing: listingOf(changes), records: changes.length, dirty, snapshot: ws.headTree !== run.head.tree };
}

interface Spawned {
  ms: number;
  stdout: string;
  stderr: string;
}

/** A plain child process; the time from spawn to exit. */
function spawnTimed(cwd: string, file: string, args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(file, [...args], { cwd, env: gitEnv(env), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`${file} ${args.join(' ')} failed in ${cwd}: ${stderr.trim() || err.message}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

const GIT_DIFF = ['-c', 'core.hooksPath=/dev/null', 'diff', '--numstat', '-z', '-M', BASELINE_TAG];

/** Parses `git diff --numstat -z`: "a\td\tpath\0", or "a\td\t\0old\0new\0" for a rename (counted as its new path). */
function parseNumstatZ(out: string): Listing {
  const tok = out.split('\0');
  const listing: Listing = new Map();
  for (let i = 0; i < tok.length;) {
    const rec = tok[i++] ?? '';
    if (rec === '') continue;
    const m = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(rec);
    if (!m) throw new Error(`unexpected numstat record ${JSON.stringify(rec)}`);
    let p = m[3] ?? '';
    if (p === '') {
      i++; // the old path
      p = tok[i++] ?? '';
    }
    listing.set(p, `${m[1]}\t${m[2]}`);
  }
  return listing;
}

interface GitDiffResult {
  ms: number;
  listing: Listing;
  /** git's warning when the run has too many added and deleted files for exhaustive rename detection. */
  renameWarning?: string;
}

async function gitDiff(dir: string): Promise<GitDiffResult> {
  const r = await spawnTimed(dir, 'git', GIT_DIFF);
  const warning = r.stderr.split('\n').filter(l => /rename/i.test(l)).join(' ').trim();
  return { ms: r.ms, listing: parseNumstatZ(r.stdout), ...(warning ? { renameWarning: warning } : {}) };
}

/** Differences between two listings, as printable lines (empty when they agree). */
function compare(oursListing: Listing, gitListing: Listing): string[] {
  const lines: string[] = [];
  for (const [p, v] of oursListing) {
    const g = gitListing.get(p);
    if (g === undefined) lines.push(`  only in SEB Review's listing: ${p}`);
    else if (g !== v) lines.push(`  line counts differ for ${p}: SEB Review ${v.replace('\t', ' +/- ')}, git ${g.replace('\t', ' +/- ')}`);
  }
  for (const p of gitListing.keys()) if (!oursListing.has(p)) lines.push(`  only in git diff: ${p}`);
  return lines;
}

// ---- one scenario: a run measured both ways, interleaved ----

interface Scenario {
  name: string;
  dir: string;
  /** Files git diff cannot see (untracked) but the listing must include, with their expected numstat. */
  untracked: Listing;
  ours: OursResult[];
  git: number[];
  /** Changed files SEB Review lists. */
  changed?: number;
  /** Changed files git diff lists (untracked files not included). */
  gitChanged?: number;
  mismatch?: string[];
  renameWarning?: string;
}

async function round(s: Scenario, index: number, keep: boolean): Promise<void> {
  let o: OursResult | undefined;
  let g: GitDiffResult | undefined;
  if (index % 2 === 0) {
    o = await ours(s.dir);
    g = await gitDiff(s.dir);
  } else {
    g = await gitDiff(s.dir);
    o = await ours(s.dir);
  }
  const expected = new Map([...g.listing, ...s.untracked]);
  const diff = compare(o.listing, expected);
  if (o.records !== o.listing.size) diff.push(`  SEB Review's listing names ${o.records - o.listing.size} path(s) more than once`);
  if (diff.length > 0 && s.mismatch === undefined) s.mismatch = diff;
  s.changed = o.listing.size;
  s.gitChanged = g.listing.size;
  s.renameWarning ??= g.renameWarning;
  if (keep) {
    s.ours.push(o);
    s.git.push(g.ms);
  }
}

const med = (xs: number[]) => summary(xs).median;
const mmm = (xs: number[]) => {
  const s = summary(xs);
  return `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
};
const n = (x: number) => x.toLocaleString('en-US');

function report(s: Scenario): void {
  const total = s.ours.map(o => o.total);
  console.log(`\n${s.name} (min / median / max over ${s.ours.length} runs)`);
  const plus = s.untracked.size > 0 ? ` + ${n(s.untracked.size)} untracked, which git diff does not show` : '';
  console.log(`  changed files: SEB Review ${n(s.changed ?? 0)}, git diff ${n(s.gitChanged ?? 0)}${plus}; ${s.mismatch ? 'the listings DIFFER' : 'same paths, same line counts'}`);
  console.log(`  SEB Review: resolveRun + open + listChanges           ${mmm(total)}`);
  console.log(`  SEB Review: listChanges alone                         ${mmm(s.ours.map(o => o.list))}`);
  console.log(`  git diff --numstat -z -M ${BASELINE_TAG}                ${mmm(s.git)}`);
  console.log(`  ratio of medians (SEB Review / git): ${(med(total) / med(s.git)).toFixed(2)}  (target <= 1.5)`);
  if (s.renameWarning) console.log(`  note: git says (the listing uses the same limit, so both list only exact renames): ${s.renameWarning}`);
}

/** Median time of each phase and of each git call in it (the calls come in the same order every round). */
function breakdown(s: Scenario): void {
  const first = s.ours[0];
  if (!first) return;
  console.log(`\nwhere the time goes: ${s.name} (medians)`);
  first.phases.forEach((p, pi) => {
    const phaseMs = med(s.ours.map(o => o.phases[pi]?.ms ?? NaN));
    const same = s.ours.every(o => o.phases[pi]?.calls.length === p.calls.length);
    console.log(`  ${p.name.padEnd(22)} ${fmt(phaseMs).padStart(10)}  (${p.calls.length} git call${p.calls.length === 1 ? '' : 's'})`);
    if (!same) return;
    let gitSum = 0;
    p.calls.forEach((c, ci) => {
      const ms = med(s.ours.map(o => o.phases[pi]?.calls[ci]?.ms ?? NaN));
      gitSum += ms;
      console.log(`      git ${c.command.padEnd(52)} ${fmt(ms).padStart(10)}`);
    });
    if (p.calls.length > 0) console.log(`      ${'outside git (fs, parsing, scheduling)'.padEnd(56)} ${fmt(Math.max(0, phaseMs - gitSum)).padStart(10)}`);
  });
}

// ---- what one git call costs: through GitRunner or a plain child process, and in which environment ----

interface Probe {
  label: string;
  run: () => Promise<number>;
  ms: number[];
}

async function timeProbes(title: string, probes: Probe[], rounds: number): Promise<void> {
  for (let i = 0; i <= rounds; i++) {
    for (const p of i % 2 ? [...probes].reverse() : probes) {
      const ms = await p.run();
      if (i > 0) p.ms.push(ms);
    }
  }
  console.log(`\n${title} (min / median / max of ${rounds})`);
  const width = Math.max(...probes.map(p => p.label.length));
  for (const p of probes) console.log(`  ${p.label.padEnd(width)}  ${mmm(p.ms)}`);
}

async function gitCosts(dir: string, baselineTree: string, headTree: string, rounds: number): Promise<void> {
  const repo = await openRepository(dir);
  const hardening = ['-c', 'core.hooksPath=/dev/null', '--no-pager', '--literal-pathspecs'];
  const viaRunner = (args: string[]) => async () => {
    const t0 = performance.now();
    await repo.git.text(args);
    return performance.now() - t0;
  };
  const plain = (args: string[], env: Record<string, string> = {}) => async () => (await spawnTimed(dir, 'git', [...hardening, ...args], env)).ms;
  const silent = ['cat-file', '-e', 'HEAD'];
  const small = ['rev-parse', '--git-path', 'objects'];
  const diffTree = ['diff-tree', '-r', '-z', '-M', '--raw', '--numstat', '--no-abbrev', baselineTree, headTree];
  await timeProbes('one git call through GitRunner and as a plain child process', [
    { label: 'git cat-file -e HEAD (prints nothing), GitRunner', run: viaRunner(silent), ms: [] },
    { label: 'git cat-file -e HEAD (prints nothing), plain', run: plain(silent), ms: [] },
    { label: 'git rev-parse --git-path objects, GitRunner', run: viaRunner(small), ms: [] },
    { label: 'git rev-parse --git-path objects, plain', run: plain(small), ms: [] },
    { label: 'git diff-tree -M --raw --numstat, GitRunner', run: viaRunner(diffTree), ms: [] },
    { label: 'git diff-tree -M --raw --numstat, plain', run: plain(diffTree), ms: [] },
  ], rounds);

  // the environment ReviewWorkspace gives git: a scratch index and object directory, the repository's objects as an alternate
  const scratch = await mkdtemp(path.join(tmpdir(), 'seb-bench-'));
  try {
    await mkdir(path.join(scratch, 'objects'));
    const objects = path.join(dir, '.git', 'objects');
    const index = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    const odb = { GIT_OBJECT_DIRECTORY: path.join(scratch, 'objects'), GIT_ALTERNATE_OBJECT_DIRECTORIES: objects };
    const copied = { GIT_INDEX_FILE: path.join(scratch, 'index-copy') };
    await copyFile(path.join(dir, '.git', 'index'), copied.GIT_INDEX_FILE);
    await timeProbes('git diff-tree -r -z -M --raw --numstat baseline head, plain, by environment', [
      { label: 'in the repository (its own index and objects)', run: plain(diffTree), ms: [] },
      { label: 'scratch index that does not exist (a clean run)', run: plain(diffTree, index), ms: [] },
      { label: 'scratch index copied from the repository\'s', run: plain(diffTree, copied), ms: [] },
      { label: 'scratch object directory first, repository as alternate', run: plain(diffTree, odb), ms: [] },
      { label: 'both, as ReviewWorkspace.open sets up a clean run', run: plain(diffTree, { ...index, ...odb }), ms: [] },
    ], rounds);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// ---- the size summary ----

/** A fresh workspace every round (opened outside the timing): its tree readers keep their listing, which would flatter later rounds. */
async function sizeSummary(dir: string, rounds: number): Promise<{ ms: number[]; text: string }> {
  const run = await resolveRun(dir);
  const ms: number[] = [];
  let text = '';
  for (let i = 0; i <= rounds; i++) {
    const ws = await ReviewWorkspace.open(run);
    try {
      const t0 = performance.now();
      const [base, head] = await Promise.all([treeFiles(ws, 'baseline'), treeFiles(ws, 'run')]);
      const s = summariseSizes(base, head);
      const t = performance.now() - t0;
      if (i > 0) ms.push(t);
      text = `${n(s.baseline.files)} files / ${n(s.baseline.lines)} lines -> ${n(s.run.files)} files / ${n(s.run.lines)} lines `
        + `(net ${s.netLines > 0 ? '+' : ''}${n(s.netLines)}), ${n(s.filesAdded)} paths added, ${n(s.filesDeleted)} deleted`;
    } finally {
      await ws.dispose();
    }
  }
  return { ms, text };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, pair: { type: 'string', default: 'rxjs' } } });
  if (values.pair !== 'rxjs' && values.pair !== 'big') throw new Error(`--pair must be rxjs or big, not ${values.pair}`);
  const label = values.pair === 'big' ? BIG_LABEL : `rxjs ${BASELINE_VERSION} -> ${HEAD_VERSION}`;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${values.runs}`);

  const t0 = performance.now();
  const big: BenchRun = values.pair === 'big' ? await buildBigRun(path.join(BENCH, 'big-run')) : await buildRxjsRun(path.join(BENCH, 'rxjs-run'));
  const small: BenchRun = await buildSmallRun(path.join(BENCH, 'rxjs-small-run'));
  const dirty = makeDirtyCopy(big.dir, path.join(BENCH, values.pair === 'big' ? 'big-run-dirty' : 'rxjs-run-dirty'));
  // what git reports as untracked, each counted as an added file of as many lines as it has
  const untracked: Listing = new Map(git(dirty.dir, ['ls-files', '-z', '--others', '--exclude-standard']).split('\0').filter(Boolean)
    .map(p => [p, `${readFileSync(path.join(dirty.dir, p), 'utf8').split('\n').length - 1}\t0`]));
  console.log(`runs ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${big.dir} (${big.baseline.slice(0, 12)} -> ${big.head.slice(0, 12)}), `
    + `${small.dir}, ${dirty.dir} (${dirty.modified.length} tracked files edited, ${untracked.size} untracked)`);

  instrumentGitRunner();
  const scenarios: Scenario[] = [
    { name: `${label}, clean working tree`, dir: big.dir, untracked: new Map(), ours: [], git: [] },
    { name: `${label}, dirty working tree (clone)`, dir: dirty.dir, untracked, ours: [], git: [] },
    { name: `ten-file run (rxjs ${BASELINE_VERSION}, 10 files edited)`, dir: small.dir, untracked: new Map(), ours: [], git: [] },
  ];
  for (let i = 0; i <= runs; i++) {
    for (const s of scenarios) await round(s, i, i > 0);
    if (i === 0) console.log('warm-up round done');
    else console.log(`round ${i}/${runs}: ${scenarios.map(s => {
      const o = s.ours[s.ours.length - 1];
      return `${s.name.split(',')[0]}${s.dir === dirty.dir ? ' (dirty)' : ''} ${o ? o.total.toFixed(0) : '?'} vs ${(s.git[s.git.length - 1] ?? NaN).toFixed(0)} ms`;
    }).join('; ')}`);
  }
  const [clean, dirtyS, tenFiles] = scenarios;
  if (!clean || !dirtyS || !tenFiles) throw new Error('unreachable');

  let failed = false;
  for (const s of scenarios) {
    if (s.mismatch) {
      failed = true;
      console.log(`\nMISMATCH on ${s.name}: SEB Review's listing and git diff (plus untracked files) differ:`);
      for (const line of s.mismatch.slice(0, 50)) console.log(line);
      if (s.mismatch.length > 50) console.log(`  ... and ${s.mismatch.length - 50} more`);
    }
  }
  if (!dirtyS.ours.every(o => o.dirty && o.snapshot)) {
    failed = true;
    console.log('\nthe dirty clone was not opened as a dirty working tree, so the snapshot path was not exercised');
  }

  for (const s of scenarios) report(s);
  for (const s of scenarios) breakdown(s);
  await gitCosts(big.dir, `${big.baseline}^{tree}`, `${big.head}^{tree}`, runs);
  const sizes = await sizeSummary(big.dir, runs);
  console.log(`\nsize summary (treeFiles for both trees + summariseSizes), min / median / max over ${runs} runs: ${mmm(sizes.ms)}`);
  console.log(`  ${sizes.text}`);

  const ratio = (s: Scenario) => (med(s.ours.map(o => o.total)) / med(s.git)).toFixed(2);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log('\n' + [
    `${label} (${n(big.files.baseline)} -> ${n(big.files.head)} files, ${n(clean.changed ?? 0)} changed): `
      + `list changes ${ms(med(clean.ours.map(o => o.total)))} median (listChanges alone ${ms(med(clean.ours.map(o => o.list)))}) `
      + `vs git diff --numstat -M ${ms(med(clean.git))} (ratio ${ratio(clean)}); `
      + `dirty tree (${dirty.modified.length} edited + ${untracked.size} untracked files, ${n(dirtyS.changed ?? 0)} changed): `
      + `${ms(med(dirtyS.ours.map(o => o.total)))} vs ${ms(med(dirtyS.git))} (ratio ${ratio(dirtyS)}); `
      + `ten-file run: ${ms(med(tenFiles.ours.map(o => o.total)))} vs ${ms(med(tenFiles.git))}; `
      + `size summary: ${ms(med(sizes.ms))}`,
  ].join('\n'));
  console.log(`(${runs} run${runs === 1 ? '' : 's'} after a warm-up, medians; ${failed ? 'LISTINGS DIFFER' : 'both sides list the same paths with the same line counts'})`);
  if (failed) process.exitCode = 1;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
