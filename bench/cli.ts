/**
 * The command line end to end (process start to exit), each command beside its floor, every one a separate process:
 *   (a) `seb-review diff <run> --json` on the rxjs 6.6.7 -> 7.8.1 run (bench/rxjs-run.ts), against
 *       `git diff --numstat -M seb-baseline` in the same repository (git's own listing with line counts);
 *   (b) `seb-review verify <envelope> --allowed-signers F` of one signed worksheet (made here with the command line's
 *       own keygen and sign, against the packaged rubric), against a bare `node -e 0` (process start);
 *   (c) for reference, `seb-review --version`: process start plus loading the command line's dispatcher.
 * The binary is package.json's `bin` (dist/cli.js, as packaged: npm run bench builds the production bundles first).
 * Rounds interleave every process and alternate the order (floor first, then the command; then the other way), so
 * noise from other work on the machine hits both sides. Each output is checked: diff's JSON lists as many changed
 * files as git diff, verify exits 0 with the worksheet verified.
 * Targets (issue 14): (a) <= 2x git diff, (b) <= 1.5x node -e 0, ratios of medians.
 * Usage: npm run bench -- cli [--runs N] [--cli FILE]   (default 15 rounds, after one warm-up round that is not counted;
 *        --cli: another build's dist/cli.js instead of this package's, such as one built from an earlier commit)
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT } from '../test/harness/env';
import { BASELINE_TAG, BASELINE_VERSION, HEAD_VERSION, buildRxjsRun, gitEnv } from './rxjs-run';
import { fmt, summary } from './stats';

const BENCH = path.join(ROOT, '.cache', 'bench');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const PACKAGED_CLI = path.join(ROOT, PACKAGE.bin['seb-review'] ?? 'dist/cli.js');
/** The command line measured: the package's, or another build given with --cli (an older one, to compare). */
let CLI = PACKAGED_CLI;
const RUBRIC = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');

interface Spawned {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One process, timed from spawn to exit (its output read to the end); the same way for every command and floor. */
function timed(file: string, args: readonly string[], cwd: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(file, [...args], { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ ms, code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

interface Probe {
  label: string;
  run: () => Promise<Spawned>;
  /** Throws when the output is not what the command should print. */
  check: (r: Spawned) => void;
  ms: number[];
}

interface Pair {
  floor: Probe;
  command: Probe;
  target: number;
}

/** The number of paths `git diff --numstat -M` lists (a rename is one line). */
function gitDiffFiles(out: string): number {
  return out.split('\n').filter(l => l.length > 0).length;
}

/** A finished worksheet for the packaged rubric, every dimension scored within its ceiling. */
function worksheet(): unknown {
  const bytes = readFileSync(RUBRIC);
  const rubric = JSON.parse(bytes.toString('utf8')) as { id: string; version: string; dimensions: Array<{ id: string; ceiling: number }> };
  const entries = rubric.dimensions.map(d => ({ dimension: d.id, points: Math.floor(d.ceiling / 2), rationale: `bench: ${d.id}`, evidence: [] }));
  return {
    format: 'seb-review/worksheet@1',
    rubric: { id: rubric.id, version: rubric.version, sha256: createHash('sha256').update(bytes).digest('hex') },
    run: { runId: 'bench-run', baseline: { tree: 'a'.repeat(40) }, head: { tree: 'b'.repeat(40) } },
    grader: { name: 'bench', kind: 'human' },
    entries,
    gaps: '',
    total: entries.reduce((n, e) => n + e.points, 0),
    createdAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
}

/** A key (keygen), its allowed-signers line and the worksheet signed with it (sign), all through the command line. */
async function signedWorksheet(dir: string): Promise<{ envelope: string; signers: string }> {
  const key = path.join(dir, 'bench.key');
  const signers = path.join(dir, 'allowed_signers');
  const sheet = path.join(dir, 'bench.json');
  const envelope = path.join(dir, 'bench.worksheet.json');
  const keygen = await timed(process.execPath, [CLI, 'keygen', '--identity', 'bench@example.invalid', '--out', key], dir);
  if (keygen.code !== 0) throw new Error(`seb-review keygen failed: ${keygen.stderr}`);
  writeFileSync(signers, keygen.stdout);
  writeFileSync(sheet, `${JSON.stringify(worksheet(), null, 2)}\n`);
  const sign = await timed(process.execPath, [CLI, 'sign', sheet, '--key', key, '--out', envelope], dir);
  if (sign.code !== 0) throw new Error(`seb-review sign failed: ${sign.stdout}${sign.stderr}`);
  return { envelope, signers };
}

const mmm = (xs: number[]) => {
  const s = summary(xs);
  return `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
};
const med = (xs: number[]) => summary(xs).median;
const load = () => loadavg().map(x => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, cli: { type: 'string' } } });
  if (values.cli !== undefined) CLI = path.resolve(values.cli);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${values.runs}`);

  const rxjs = await buildRxjsRun(path.join(BENCH, 'rxjs-run'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'seb-bench-cli-'));
  try {
    const { envelope, signers } = await signedWorksheet(scratch);
    let gitFiles = -1;
    const pairs: Pair[] = [
      {
        floor: {
          label: `git diff --numstat -M ${BASELINE_TAG}`, ms: [],
          run: () => timed('git', ['diff', '--numstat', '-M', BASELINE_TAG], rxjs.dir),
          check: r => {
            if (r.code !== 0) throw new Error(`git diff failed: ${r.stderr}`);
            gitFiles = gitDiffFiles(r.stdout);
          },
        },
        command: {
          label: 'seb-review diff <run> --json', ms: [],
          run: () => timed(process.execPath, [CLI, 'diff', rxjs.dir, '--json'], scratch),
          check: r => {
            if (r.code !== 0) throw new Error(`seb-review diff failed (exit ${r.code}): ${r.stderr}`);
            const out = JSON.parse(r.stdout) as { changes: unknown[]; sizes: { baseline: { files: number }; run: { files: number } } };
            if (gitFiles >= 0 && out.changes.length !== gitFiles) throw new Error(`seb-review diff lists ${out.changes.length} changed files, git diff ${gitFiles}`);
            if (out.sizes.baseline.files !== rxjs.files.baseline || out.sizes.run.files !== rxjs.files.head) {
              throw new Error(`seb-review diff's size summary counts ${out.sizes.baseline.files} -> ${out.sizes.run.files} files, the trees hold ${rxjs.files.baseline} -> ${rxjs.files.head}`);
            }
          },
        },
        target: 2,
      },
      {
        floor: {
          label: 'node -e 0', ms: [],
          run: () => timed(process.execPath, ['-e', '0'], scratch),
          check: r => {
            if (r.code !== 0) throw new Error(`node -e 0 failed: ${r.stderr}`);
          },
        },
        command: {
          label: 'seb-review verify <envelope>', ms: [],
          run: () => timed(process.execPath, [CLI, 'verify', envelope, '--allowed-signers', signers], scratch),
          check: r => {
            if (r.code !== 0 || !/VERIFIED by bench@example\.invalid/.test(r.stdout)) throw new Error(`seb-review verify did not verify (exit ${r.code}): ${r.stdout}${r.stderr}`);
          },
        },
        target: 1.5,
      },
    ];
    const version: Probe = {
      label: 'seb-review --version', ms: [],
      run: () => timed(process.execPath, [CLI, '--version'], scratch),
      check: r => {
        if (r.code !== 0) throw new Error(`seb-review --version failed: ${r.stderr}`);
      },
    };

    const loadBefore = load();
    for (let i = 0; i <= runs; i++) {
      const order: Probe[] = [];
      for (const p of pairs) order.push(...(i % 2 === 0 ? [p.floor, p.command] : [p.command, p.floor]));
      order.push(version);
      for (const probe of order) {
        const r = await probe.run();
        probe.check(r);
        if (i > 0) probe.ms.push(r.ms);
      }
      if (i === 0) console.log('warm-up round done');
    }
    const loadAfter = load();

    console.log(`\n${CLI} on Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); load average ${loadBefore} before, ${loadAfter} after`);
    console.log(`rxjs ${BASELINE_VERSION} -> ${HEAD_VERSION}: ${rxjs.files.baseline} -> ${rxjs.files.head} files, ${gitFiles} changed`);
    console.log(`min / median / max over ${runs} rounds (after one warm-up), each a separate process:`);
    const width = Math.max(...pairs.flatMap(p => [p.floor.label, p.command.label]).map(l => l.length), version.label.length);
    for (const p of pairs) {
      const ratio = med(p.command.ms) / med(p.floor.ms);
      console.log(`  ${p.floor.label.padEnd(width)}  ${mmm(p.floor.ms)}`);
      console.log(`  ${p.command.label.padEnd(width)}  ${mmm(p.command.ms)}`);
      console.log(`  ${'ratio of medians'.padEnd(width)}  ${ratio.toFixed(2)}  (target <= ${p.target}: ${ratio <= p.target ? 'met' : 'MISSED'})`);
    }
    console.log(`  ${version.label.padEnd(width)}  ${mmm(version.ms)}  (process start + the dispatcher, for reference)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
