/**
 * The authority analysis at benchmark scale, on the Proof fixture (test/fixtures/build-proof-run.mjs: the public Proof
 * source as the baseline, ~80k lines of analysed TS/JS per tree, and a rewrite of it as the run):
 *   (a) cold: a fresh process opens the review and analyses both trees (baseline from git objects, the run from its
 *       snapshot), with fates. Wall time from before the review is opened to the analysis in hand, and the process's
 *       peak memory (maxRSS).
 *   (b) the floor, side by side in the same kind of fresh process: opening the same review, reading every source file
 *       of both trees and parsing each with TypeScript's parser, nothing else. Any analysis built on this parser pays
 *       at least this. Rounds alternate (a) and (b) so machine noise hits both.
 *   (c) after one edit: in one process, with both trees analysed, a file of the run is changed in memory (as an
 *       editor's unsaved document) and the run's side analysed again; each round edits a different file of server/.
 *       Wall time from the overrides being handed to analyzeTree to the Side returned.
 *   (d) the edit's floor, side by side with (c) (alternating): parsing the edited file's text with TypeScript's
 *       parser, nothing else. Any analysis of the edit built on this parser pays at least this.
 *   (e) with --kinds: other kinds of edit, each to one file, in one process as (c): a line inserted at the top of a big
 *       file (every line below it moves), typing inside a function, renaming the declared authority; the first
 *       re-analysis after the file's committed text, then the median of the next ones (each a new text).
 * Targets (issue 9): (a) <= 10 s and <= 600 MB for both trees, (c) <= 300 ms, on the 2-core machine.
 * With --pair big, on the larger run of bench/big-run.ts (@carbon/icons-react 10.49.0 -> 11.53.0, ~27,000 files, 73 MB
 * of JavaScript) through the real language server (dist/server.js, its own process, JSON-RPC over stdio), N rounds:
 *   (f) cold: seb/review/open, then every seb/analysis/status the server sends (its progress) until "ready": wall time
 *       and the server process's peak memory (VmHWM, read from /proc while it runs);
 *   (g) cancellation: a fresh server opens the run, seb/review/cancel is sent --cancel-after seconds into the analysis,
 *       and the time to the "cancelled" status is taken; the server's CPU time is then sampled for 2 s to confirm the
 *       work stopped.
 * Usage: npm run bench -- analysis [--runs N] [--edits N] [--kinds]   (default 5 cold rounds, 15 edits)
 *        npm run bench -- analysis --pair big [--runs N] [--cancel-after S]   (default 1 round, cancel after 5 s)
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { analyzeSides, analyzeTree, AnalysisCache, excludedReason } from '../src/analysis/authority/analyze';
import { loadRulePacks } from '../src/analysis/authority/packs';
import { openTrees } from '../src/git/open-review';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ROOT } from '../test/harness/env';
import type { AnalysisStatus } from '../src/protocol/server/review';
import { BIG_LABEL, buildBigRun } from './big-run';
import { fmt, summary } from './stats';

const BENCH = path.join(ROOT, '.cache', 'bench');
const PACKS = path.join(ROOT, 'rubric', 'authority');

interface ChildResult { ms: number; maxRssMb: number; detail: string }

async function proofRun(): Promise<string> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-proof-run.mjs')).href)) as { buildProofRun(dir: string): Promise<{ dir: string }> };
  return (await mod.buildProofRun(path.join(BENCH, 'proof-run'))).dir;
}

/** In a child process: one cold measurement. */
async function child(kind: 'cold' | 'floor', dir: string): Promise<void> {
  const t0 = performance.now();
  const { run, workspace } = await openTrees(dir);
  let detail: string;
  try {
    if (kind === 'cold') {
      const packs = await loadRulePacks([], { builtInDir: PACKS });
      const authority = (run.manifest?.authority ?? []).map(a => `${a.path}#${a.symbol}`);
      const a = await analyzeSides({
        baseline: { reader: workspace.reader('baseline'), tree: workspace.baselineTree },
        run: { reader: workspace.reader('run'), tree: workspace.headTree },
        packs, authority, cache: new AnalysisCache(),
      });
      detail = `${a.baseline.entryPoints.length}+${a.run.entryPoints.length} entry points, ${a.fates.length} fates`;
    } else {
      let files = 0;
      let statements = 0;
      for (const side of ['baseline', 'run'] as const) {
        const reader = workspace.reader(side);
        const sources = (await reader.list()).filter(e => excludedReason(e) === undefined);
        const reads = await reader.readMany(sources.map(s => s.path));
        for (const r of reads) {
          if (!r.ok) continue;
          const sf = ts.createSourceFile(r.path, r.bytes.toString('utf8'), ts.ScriptTarget.Latest, true,
            r.path.endsWith('x') ? ts.ScriptKind.TSX : r.path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
          statements += sf.statements.length;
          files++;
        }
      }
      detail = `${files} files parsed, ${statements} top-level statements`;
    }
  } finally {
    await workspace.dispose();
  }
  const ms = performance.now() - t0;
  const result: ChildResult = { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail };
  process.stdout.write(JSON.stringify(result));
}

function spawnChild(kind: 'cold' | 'floor', dir: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [__filename, '--child', kind, '--dir', dir], { maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${kind}: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ChildResult);
    });
  });
}

function parseOnly(file: string, text: string): number {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  return sf.statements.length;
}

async function edits(dir: string, count: number): Promise<{ edit: number[]; floor: number[] }> {
  const { run, workspace } = await openTrees(dir);
  try {
    const packs = await loadRulePacks([], { builtInDir: PACKS });
    const authority = (run.manifest?.authority ?? []).map(a => `${a.path}#${a.symbol}`);
    const cache = new AnalysisCache();
    const runSide = { reader: workspace.reader('run'), tree: workspace.headTree };
    await analyzeSides({ baseline: { reader: workspace.reader('baseline'), tree: workspace.baselineTree }, run: runSide, packs, authority, cache });
    const candidates = ['server/routes.ts', 'server/agent-routes.ts', 'server/db.ts', 'server/collab.ts', 'server/bridge.ts', 'server/document-engine.ts'];
    const texts = await runSide.reader.readMany(candidates);
    const edit: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = texts[i % texts.length];
      if (!r?.ok) throw new Error(`cannot read ${candidates[i % candidates.length]}`);
      // an edit a reviewer might make while reading: a new exported function that writes
      const edited = `${r.bytes.toString('utf8')}\nexport function benchEdit${i}(d: { exec(sql: string): void }) { d.exec('DELETE FROM bench_${i}'); }\n`;
      const timeFloor = () => {
        const t = performance.now();
        parseOnly(r.path, edited);
        floor.push(performance.now() - t);
      };
      if (i % 2 === 1) timeFloor();
      const t0 = performance.now();
      const side = await analyzeTree({ ...runSide, packs, authority, cache, overrides: new Map([[r.path, edited]]) });
      edit.push(performance.now() - t0);
      if (i % 2 === 0) timeFloor();
      if (!side.writes.some(w => w.target === `bench_${i}`)) throw new Error(`the edit to ${r.path} was not seen`);
    }
    return { edit, floor };
  } finally {
    await workspace.dispose();
  }
}

/** (e): for each kind, the first re-analysis after the committed text, and the median of the next `repeats`. */
async function kinds(dir: string, repeats: number): Promise<string[]> {
  const { run, workspace } = await openTrees(dir);
  try {
    const packs = await loadRulePacks([], { builtInDir: PACKS });
    const authority = (run.manifest?.authority ?? []).map(a => `${a.path}#${a.symbol}`);
    const cache = new AnalysisCache();
    const runSide = { reader: workspace.reader('run'), tree: workspace.headTree };
    await analyzeSides({ baseline: { reader: workspace.reader('baseline'), tree: workspace.baselineTree }, run: runSide, packs, authority, cache });
    const middle = (t: string) => t.indexOf('\n', t.length >> 1);
    const list: [string, string, (text: string, i: number) => string][] = [
      ['a line inserted at the top', 'server/db.ts', (t, i) => `// edit ${i}\n${t}`],
      ['a line inserted at the top', 'server/collab.ts', (t, i) => `// edit ${i}\n${t}`],
      ['a line inserted in the middle', 'server/collab.ts', (t, i) => `${t.slice(0, middle(t))}\n// edit ${i}${t.slice(middle(t))}`],
      ['typing inside a line', 'server/collab.ts', (t, i) => `${t.slice(0, middle(t))} /* ${i} */${t.slice(middle(t))}`],
      ['typing inside a line', 'server/routes.ts', (t, i) => `${t.slice(0, middle(t))} /* ${i} */${t.slice(middle(t))}`],
      ['the declared authority renamed', authority[0]?.split('#')[0] ?? 'server/authority/document-authority.ts',
        (t, i) => t.replace(`function ${authority[0]?.split('#')[1] ?? 'applyDocumentWrite'}(`, `function renamed${i}(`)],
    ];
    const lines: string[] = [];
    for (const [label, file, edit] of list) {
      const r = await runSide.reader.read(file);
      if (!r.ok) throw new Error(`cannot read ${file}`);
      const text = r.bytes.toString('utf8');
      const times: number[] = [];
      for (let i = 0; i <= repeats; i++) {
        const t0 = performance.now();
        await analyzeTree({ ...runSide, packs, authority, cache, overrides: new Map([[file, edit(text, i)]]) });
        times.push(performance.now() - t0);
      }
      await analyzeTree({ ...runSide, packs, authority, cache, overrides: new Map([[file, text]]) });
      lines.push(`${`${label}, ${file}:`.padEnd(62)} first ${fmt(times[0] ?? NaN)}, then ${fmt(summary(times.slice(1)).median)}`);
    }
    return lines;
  } finally {
    await workspace.dispose();
  }
}

// ---- (f), (g): the larger pair through the real language server ----

/** VmHWM and CPU time (ms) of a process, from /proc. */
function procStats(pid: number): { hwmMb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const stat = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime (fields 14 and 15)
  return { hwmMb: (hwmKb * 1024) / 1e6, cpuMs: ticks * 10 };
}

interface ServerRound { ms: number; hwmMb: number; statuses: AnalysisStatus[]; cancelMs?: number; cpuAfterCancelMs?: number; final: AnalysisStatus | undefined }

async function serverRound(dir: string, cancelAfterMs: number | undefined): Promise<ServerRound> {
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  if (!server.stdout || !server.stdin || server.pid === undefined) throw new Error('the language server did not start');
  const pid = server.pid;
  const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const statuses: AnalysisStatus[] = [];
  let settled: ((s: AnalysisStatus) => void) | undefined;
  conn.onNotification('seb/analysis/status', (s: AnalysisStatus) => {
    statuses.push(s);
    if (s.state === 'ready' || s.state === 'failed' || s.state === 'cancelled') settled?.(s);
  });
  conn.onNotification(() => undefined);
  conn.onRequest(() => null);
  conn.listen();
  let hwmMb = 0;
  const sampler = setInterval(() => {
    try { hwmMb = Math.max(hwmMb, procStats(pid).hwmMb); } catch { /* gone */ }
  }, 100);
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { window: { workDoneProgress: true } } });
    await conn.sendNotification('initialized', {});
    const done = new Promise<AnalysisStatus>(resolve => { settled = resolve; });
    const t0 = performance.now();
    await conn.sendNotification('seb/review/open', { target: dir });
    let cancelMs: number | undefined;
    let cpuAfterCancelMs: number | undefined;
    let final: AnalysisStatus;
    if (cancelAfterMs === undefined) {
      final = await done;
    } else {
      const early = await Promise.race([done, new Promise<undefined>(r => setTimeout(() => r(undefined), cancelAfterMs))]);
      if (early) {
        final = early;
      } else {
        const tc = performance.now();
        await conn.sendNotification('seb/review/cancel', {});
        final = await done;
        cancelMs = performance.now() - tc;
        const before = procStats(pid).cpuMs;
        await new Promise(r => setTimeout(r, 2000));
        cpuAfterCancelMs = procStats(pid).cpuMs - before;
      }
    }
    const ms = performance.now() - t0;
    hwmMb = Math.max(hwmMb, procStats(pid).hwmMb);
    return { ms, hwmMb, statuses, cancelMs, cpuAfterCancelMs, final };
  } finally {
    clearInterval(sampler);
    conn.dispose();
    server.kill();
  }
}

async function bigPair(runs: number, cancelAfterS: number): Promise<void> {
  const run = await buildBigRun(path.join(BENCH, 'big-run'));
  console.log(`${BIG_LABEL} at ${run.dir}: ${run.files.baseline} -> ${run.files.head} files; ${runs} round(s) of (f) cold analysis and (g) cancel after ${cancelAfterS} s`);
  const cold: ServerRound[] = [];
  const cancels: ServerRound[] = [];
  for (let i = 0; i < runs; i++) {
    const f = await serverRound(run.dir, undefined);
    cold.push(f);
    const progress = f.statuses.filter(s => s.state === 'analysing').map(s => s.message);
    console.log(`round ${i + 1} cold: ${f.final?.state} in ${fmt(f.ms)}, server peak ${f.hwmMb.toFixed(0)} MB; ${f.final?.message}; `
      + `${progress.length} progress statuses (${[...new Set(progress)].slice(0, 4).join(' | ')}${progress.length > 4 ? ' | ...' : ''})`);
    const g = await serverRound(run.dir, cancelAfterS * 1000);
    cancels.push(g);
    console.log(`round ${i + 1} cancel: ${g.final?.state}${g.cancelMs === undefined ? ' before the cancel was sent' : ` ${fmt(g.cancelMs)} after seb/review/cancel`}; `
      + `server CPU in the 2 s after: ${g.cpuAfterCancelMs ?? NaN} ms; peak ${g.hwmMb.toFixed(0)} MB; ${g.final?.message}`);
  }
  const t = summary(cold.map(r => r.ms));
  const m = summary(cold.map(r => r.hwmMb));
  const c = summary(cancels.map(r => r.cancelMs ?? NaN));
  console.log('');
  console.log(`(f) cold, both trees, real server (min / median / max): ${fmt(t.min)} / ${fmt(t.median)} / ${fmt(t.max)}; peak ${m.min.toFixed(0)} / ${m.median.toFixed(0)} / ${m.max.toFixed(0)} MB`);
  console.log(`(g) cancel -> "cancelled" status: ${fmt(c.min)} / ${fmt(c.median)} / ${fmt(c.max)}; all cancelled: ${cancels.every(r => r.final?.state === 'cancelled')}`);
  console.log('targets: the language server <= 600 MB for both trees; progress shown and the analysis can be cancelled');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, edits: { type: 'string', default: '15' }, kinds: { type: 'boolean', default: false },
    child: { type: 'string' }, dir: { type: 'string' }, pair: { type: 'string', default: 'proof' }, 'cancel-after': { type: 'string', default: '5' } } });
  if (values.child === 'cold' || values.child === 'floor') return child(values.child, values.dir ?? '');
  if (values.pair === 'big') return bigPair(Number(process.argv.includes('--runs') ? values.runs : '1'), Number(values['cancel-after']));
  if (values.pair !== 'proof') throw new Error(`--pair must be big (or proof, the default), not ${values.pair}`);
  const runs = Number(values.runs);
  const dir = await proofRun();
  console.log(`Proof fixture at ${dir}; ${runs} cold rounds (alternating with the floor), then ${values.edits} edits`);
  const cold: ChildResult[] = [];
  const floor: ChildResult[] = [];
  await spawnChild('cold', dir); // warm-up: file system caches
  for (let i = 0; i < runs; i++) {
    const order: ('cold' | 'floor')[] = i % 2 === 0 ? ['cold', 'floor'] : ['floor', 'cold'];
    for (const kind of order) {
      const r = await spawnChild(kind, dir);
      (kind === 'cold' ? cold : floor).push(r);
      console.log(`round ${i + 1} ${kind.padEnd(5)} ${fmt(r.ms).padStart(10)}  peak ${r.maxRssMb.toFixed(0)} MB  (${r.detail})`);
    }
  }
  const c = summary(cold.map(r => r.ms));
  const f = summary(floor.map(r => r.ms));
  const cm = summary(cold.map(r => r.maxRssMb));
  const fm = summary(floor.map(r => r.maxRssMb));
  const measured = await edits(dir, Number(values.edits));
  const e = summary(measured.edit);
  const ef = summary(measured.floor);
  console.log('');
  console.log(`cold, both trees + fates (min / median / max): ${fmt(c.min)} / ${fmt(c.median)} / ${fmt(c.max)}; peak ${cm.min.toFixed(0)} / ${cm.median.toFixed(0)} / ${cm.max.toFixed(0)} MB`);
  console.log(`floor (open + read + parse both trees):      ${fmt(f.min)} / ${fmt(f.median)} / ${fmt(f.max)}; peak ${fm.min.toFixed(0)} / ${fm.median.toFixed(0)} / ${fm.max.toFixed(0)} MB`);
  console.log(`ratio of medians: ${(c.median / f.median).toFixed(2)}x the floor`);
  console.log(`re-analysis of the run after one edit (${e.n} edits): ${fmt(e.min)} / ${fmt(e.median)} / ${fmt(e.max)}`);
  console.log(`floor (parse the edited file):              ${fmt(ef.min)} / ${fmt(ef.median)} / ${fmt(ef.max)}`);
  console.log(`ratio of medians: ${(e.median / ef.median).toFixed(2)}x the floor`);
  if (values.kinds) {
    console.log('other kinds of edit (first re-analysis after the committed text, then the median of 4):');
    for (const line of await kinds(dir, 4)) console.log(`  ${line}`);
  }
  console.log(`targets: cold <= 10000 ms and <= 600 MB; after an edit <= 300 ms`);
}

main().catch(err => {
  console.error(err);
  process.exitCode = 1;
});
