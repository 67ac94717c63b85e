/**
 * The Diff Overview in the real VS Code (code-server, the packaged .vsix installed, the workbench driven in Chromium),
 * on the ten-file run and on the rxjs 6.6.7 -> 7.8.1 run (bench/rxjs-run.ts; with --pair big, on bench/big-run.ts's
 * @carbon/icons-react 10.49.0 -> 11.53.0 run instead), N times each with a fresh code-server
 * and browser, the two sizes interleaved so machine noise hits both alike:
 *   - time to first content: the run opened with Open Run… and listed in the Changes view, the Run view's size
 *     summary done, the machine left to get quiet (whatever the workbench, or anything else on the machine, still
 *     does would land on the clock; at most 30 s) and at least --settle ms (default 10 s) gone since the workbench was
 *     opened (in its first seconds a fresh browser profile makes the first webview wait up to 2.5 s for its service
 *     worker, whatever the run: measured), then the clock starts when "SEB Review: Show Diff Overview" is
 *     chosen in the command palette (the Enter key) and stops when the first file section of the overview shows diff
 *     rows (.d2h-ins / .d2h-del) or its one-line summary. The moment is taken inside the webview page (an
 *     animation-frame watcher), so the polling from here adds nothing. Split with VS Code's own marks in the webview's
 *     outer frame and two of the page's: Enter -> the page's HTML reaches the webview (the command, the panel); the
 *     webview waiting for its service worker (VS Code's: the first webview of a fresh browser registers it; it has
 *     nothing to do with the run and varies from nothing to seconds, so the figure without it is reported too); the
 *     page's document start -> the file list drawn -> the first diff drawn. Also the extension host's CPU time, the
 *     workbench's main-thread long tasks and the CPU time of every process outside this benchmark, over the same span;
 *   - how long the run took to open and list, from the extension's log line "opened run … N changed files in X ms";
 *   - the extension host's memory (the code-server child with --type=extensionHost): VmHWM (peak resident set) and
 *     VmRSS from /proc/PID/status with the SEB Review container shown and no run open, when the Changes view shows
 *     rows, just before the overview (size summary done, machine quiet), at the overview's first content, and after
 *     scrolling the overview to its end (window.scrollTo the bottom, repeated until the last file's section shows its
 *     content; the sections in between are never built, as the page builds only what is near the viewport). VmHWM
 *     includes VS Code's own extension host.
 * Usage: npm run bench -- overview [--runs N] [--settle MS]   (defaults 5 and 10000; --settle 0 shows the service
 * worker's wait)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Frame, type Page } from 'playwright-core';
import { launchBrowser, newPage } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/code-server';
import { ROOT } from '../test/harness/env';
import { extensionLog } from '../test/harness/extension-log';
import { waitFor } from '../test/harness/wait';
import { Workbench } from '../test/ui/workbench';
import { buildBigRun } from './big-run';
import { type BenchRun, buildRxjsRun, buildSmallRun } from './rxjs-run';
import { fmt, summary } from './stats';

const BENCH = path.join(ROOT, '.cache', 'bench');
const VSIX = path.join(ROOT, 'out', 'seb-review.vsix');
const OVERVIEW_TITLE = 'Diff Overview';
/** Generous: the rxjs run opens and lists in well under a second on the development machine. */
const OPEN_TIMEOUT = 180_000;
const FIRST_CONTENT_TIMEOUT = 120_000;
const SCROLL_TIMEOUT = 300_000;

interface Size {
  key: 'ten-file' | 'rxjs' | 'big';
  run: BenchRun;
}

interface Memory {
  hwm: number;
  rss: number;
}

interface Sample {
  /** From the extension's log line. */
  openMs: number;
  changedFiles: number;
  /** Enter in the palette -> first section's content visible. */
  firstContent: number;
  /** Enter in the palette -> the overview page's document started loading. */
  pageStart: number;
  /** Enter in the palette -> the page drew the file list (the init message arrived and was rendered). */
  listDrawn: number;
  /** VS Code's marks in the webview's outer frame, ms after Enter ('frame': the outer frame's document). */
  marks: Record<string, number>;
  /** content/started -> content/workerReady: the webview waiting for its service worker. */
  serviceWorker: number;
  /** How long the machine took to get quiet before the clock started. */
  quiet: { ms: number; quiet: boolean; hostCpuMs: number };
  /** CPU time the extension host used from Enter to the first content. */
  hostCpuToFirst: number;
  /** CPU time the rest of the machine (not this benchmark's processes) used from Enter to the first content. */
  othersCpu: number;
  /** The workbench page's main-thread long tasks (over 50 ms) from Enter to the first content, their durations. */
  longTasks: number[];
  /** What the first section showed: diff rows or a summary line. */
  firstKind: string;
  /** Sections in the overview (its header's total). */
  sections: number;
  /** Scrolling to the end until the last section showed its content. */
  scrollMs: number;
  scrolls: number;
  /** no run open; the Changes view shows rows; the size summary done and the machine quiet (just before Enter); … */
  mem: { noRun: Memory; listed: Memory; beforeOverview: Memory; firstContent: Memory; scrolled: Memory };
  /** A second extension host process showed up during the sample: its memory figures are not comparable. */
  hostReplaced: boolean;
  /** Warning and error lines of the extension's log, and the workbench's console errors that name the extension. */
  logProblems: string[];
}

// ---------------------------------------------------------------- processes

interface ProcInfo {
  pid: number;
  ppid: number;
  start: number;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: the fields after it start after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(rest[1]), start: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Every live process below `root` (not `root` itself). */
function descendants(root: number): ProcInfo[] {
  const all: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = procInfo(Number(entry));
    if (info) all.push(info);
  }
  const below = new Set([root]);
  const found: ProcInfo[] = [];
  // parents are not always listed before their children: repeat until nothing new joins
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** CPU time `pid` has used so far, in ms (utime + stime; the kernel counts in 100 Hz ticks on Linux). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) * 10;
}

/** The extension host under code-server `serverPid`: the newest one if a reload left another behind. */
function extensionHostPid(serverPid: number): number | undefined {
  const hosts = descendants(serverPid).filter(p => cmdline(p.pid).includes('--type=extensionHost'));
  hosts.sort((a, b) => b.start - a.start);
  return hosts[0]?.pid;
}

/** VmHWM and VmRSS of `pid`, in MiB. */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]) / 1024;
  };
  return { hwm: kib('VmHWM'), rss: kib('VmRSS') };
}

/**
 * The extension host of one code-server, looked up again at every reading: the workbench may start a new one (a
 * reload, a crash), whose peak memory starts from nothing. Every process seen is kept, so a sample can say so.
 */
class ExtensionHost {
  readonly seen: number[] = [];

  constructor(private readonly serverPid: number) {}

  private read<T>(what: string, f: (pid: number) => T): Promise<T> {
    return waitFor(`the extension host process (${what})`, () => {
      const pid = extensionHostPid(this.serverPid);
      if (pid === undefined) return undefined;
      try {
        const value = f(pid);
        if (!this.seen.includes(pid)) this.seen.push(pid);
        return value;
      } catch {
        return undefined; // it ended between the lookup and the read
      }
    }, 30000, 50);
  }

  memory(): Promise<Memory> {
    return this.read('memory', memoryOf);
  }

  cpu(): Promise<number> {
    return this.read('CPU time', cpuMs);
  }
}

// ---------------------------------------------------------------- the webview page (no DOM types here: expressions)

/**
 * Installed in the overview page: records when the page drew the file list (its header) and when the first section
 * first shows diff rows or its summary, checked on every animation frame.
 */
const WATCH_FIRST_CONTENT = `(() => {
  if (window.__sebBench) return true;
  const bench = window.__sebBench = { first: 0, init: 0, origin: performance.timeOrigin, kind: '' };
  const shown = () => {
    const el = document.querySelector('section.file')?.querySelector('.d2h-ins, .d2h-del, .summary');
    if (!el) return undefined;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top < window.innerHeight && r.bottom > 0 ? el : undefined;
  };
  const check = () => {
    if (!bench.init && document.querySelector('header.run')) bench.init = performance.timeOrigin + performance.now();
    const el = shown();
    if (!el) return requestAnimationFrame(check);
    bench.first = performance.timeOrigin + performance.now();
    bench.kind = el.classList.contains('summary') ? 'a summary: ' + el.textContent.trim().slice(0, 60) : 'diff rows';
  };
  check();
  return true;
})()`;

const FIRST_CONTENT = '(() => { const b = window.__sebBench; return b && b.first ? { first: b.first, init: b.init || b.first, origin: b.origin, kind: b.kind } : null; })()';

/** The number of files in the overview's header ("5,642 files, +… −…"), or null before it is drawn. */
const SECTION_COUNT = `(() => {
  const t = document.querySelector('[data-testid="totals"]')?.textContent ?? '';
  const m = /^([\\d,]+) files?/.exec(t);
  return m ? Number(m[1].replace(/,/g, '')) : null;
})()`;

/** Scrolls to the bottom; true once the section of file `last` is built and its body shows content. */
function scrollToEnd(last: number): string {
  return `(() => {
  window.scrollTo(0, document.body.scrollHeight);
  const s = document.querySelector('section.file[data-id="${last}"]');
  const el = s?.querySelector('.d2h-ins, .d2h-del, .summary, .d2h-file-wrapper');
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.height > 0 && r.top < window.innerHeight;
})()`;
}

/** VS Code's own marks in the webview's outer frame (pre/index.html), as [name, ms since t0]. */
const OUTER_MARKS = `(() => [['frame', 0], ...performance.getEntriesByType('mark')
  .filter(m => m.name.startsWith('webview/index.html/'))
  .map(m => [m.name.slice('webview/index.html/'.length), m.startTime])].map(([n, t]) => [n, performance.timeOrigin + t]))()`;

async function webviewMarks(inner: Frame, t0: number): Promise<Record<string, number>> {
  const outer = inner.parentFrame();
  const marks = outer ? await outer.evaluate(OUTER_MARKS).catch(() => []) as Array<[string, number]> : [];
  return Object.fromEntries(marks.map(([n, t]) => [n, t - t0]));
}

/** Installed in the workbench page before Enter: its main thread's long tasks (over 50 ms), as [start, duration] wall-clock. */
const WATCH_LONG_TASKS = `(() => {
  window.__sebLongTasks = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__sebLongTasks.push([performance.timeOrigin + e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  return true;
})()`;

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** CPU time of this process and everything below it (code-server, the extension host, Chromium), in ms. */
function ourCpuMs(): number {
  let total = 0;
  for (const pid of [process.pid, ...descendants(process.pid).map(p => p.pid)]) {
    try {
      total += cpuMs(pid);
    } catch {
      // it ended while we looked
    }
  }
  return total;
}

/** Busy and total jiffies of all CPUs together (/proc/stat). */
function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet: the CPUs less than QUIET_BUSY busy for QUIET_WINDOWS windows of QUIET_WINDOW_MS in
 * a row (what the workbench does after opening a folder goes on in the background for a while: file watcher, language
 * servers). Gives up after QUIET_TIMEOUT. Returns how long it waited and whether the machine did get quiet.
 */
const QUIET_BUSY = 0.15;
const QUIET_WINDOWS = 4;
const QUIET_WINDOW_MS = 250;
const QUIET_TIMEOUT = 30_000;
async function waitForQuiet(): Promise<{ ms: number; quiet: boolean }> {
  const t0 = Date.now();
  let calm = 0;
  let prev = cpuTimes();
  while (Date.now() - t0 < QUIET_TIMEOUT) {
    await sleep(QUIET_WINDOW_MS);
    const now = cpuTimes();
    const busy = (now.busy - prev.busy) / Math.max(1, now.total - prev.total);
    prev = now;
    calm = busy < QUIET_BUSY ? calm + 1 : 0;
    if (calm >= QUIET_WINDOWS) return { ms: Date.now() - t0, quiet: true };
  }
  return { ms: Date.now() - t0, quiet: false };
}

/** The frame holding the overview page's document, polled often: the first-content watcher goes in as early as it can. */
async function overviewFrame(page: Page, timeout: number): Promise<Frame> {
  return waitFor('the Diff Overview page', async () => {
    for (const f of page.frames()) {
      const ok = await f.evaluate(`document.title.startsWith(${JSON.stringify(OVERVIEW_TITLE)}) && !!document.getElementById('app')`)
        .catch(() => false);
      if (ok === true) return f;
    }
    return undefined;
  }, timeout, 10);
}

/** Opens the palette and types the command; returns a function that presses Enter (the moment the clock starts). */
async function preparePaletteCommand(wb: Workbench, title: string): Promise<() => Promise<void>> {
  await wb.page.keyboard.press('Escape');
  await wb.page.keyboard.press('F1');
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + title);
  await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15000 });
  // the list highlights its first row asynchronously after the filter: make sure the command is the one Enter runs
  await wb.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 3000 })
    .catch(() => undefined);
  return () => wb.page.keyboard.press('Enter');
}

/** Open Run… from the Run view's welcome button, on `dir` typed into the workbench's own folder dialog. */
async function openRun(wb: Workbench, dir: string): Promise<void> {
  await wb.page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first().click({ timeout: 30000 });
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  // the dialog fills in its starting folder asynchronously: type only once it has, and check what stuck
  await waitFor('the dialog\'s starting folder', async () => ((await input.inputValue()).endsWith('/') ? true : undefined));
  await waitFor('the typed folder', async () => {
    await input.fill(dir + '/');
    return (await input.inputValue()) === dir + '/' ? true : undefined;
  }, 10000, 300);
  await wb.page.locator('.quick-input-widget .quick-input-action a, .quick-input-widget .monaco-button', { hasText: 'Open Run' })
    .first().click({ timeout: 10000 }).catch(async () => { await wb.page.keyboard.press('Enter'); });
}

// ---------------------------------------------------------------- one sample

async function once(size: Size, settleMs: number): Promise<Sample> {
  const server = await startCodeServer({ vsix: VSIX });
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const page = await newPage(browser);
    const consoleErrors: string[] = [];
    const connection: string[] = [];
    page.on('console', m => {
      const text = m.text();
      if (m.type() === 'error' && /seb-review|sebReview|SEB Review/.test(text)) consoleErrors.push(text.split('\n').slice(0, 3).join(' | '));
      // what the workbench says about its extension host and its connection, kept in case the host is replaced
      if (/extension ?host|reconnect|websocket|socket .*(closed|timeout)/i.test(text)) connection.push(`${new Date().toISOString().slice(11, 23)} ${text.split('\n')[0] ?? ''}`);
    });
    const wb = new Workbench(page);
    const loadedAt = Date.now();
    await page.goto(server.urlFor(size.run.dir));
    await wb.waitForActivityBarItem('SEB Review');
    await wb.showContainer('SEB Review');
    // no seb-run.json in these runs: the extension activates for its view and shows the welcome view
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Open Run…' }).first().waitFor({ timeout: 60000 });
    const host = new ExtensionHost(server.pid);
    const noRun = await host.memory();

    await openRun(wb, size.run.dir);
    await wb.treeRow('Run', `Baseline ${size.run.baseline.slice(0, 8)}`).waitFor({ timeout: OPEN_TIMEOUT });
    await page.locator('.pane:has(.pane-header[aria-label^="Changes"]) .monaco-list-row').first().waitFor({ timeout: OPEN_TIMEOUT });
    const listed = await host.memory();
    const opened = await waitFor('the "opened run" log line', () => {
      const m = /opened run .* (\d+) changed files in (\d+) ms/.exec(extensionLog(server.stateDir));
      return m ? { files: Number(m[1]), ms: Number(m[2]) } : undefined;
    }, 30000);
    await wb.notification('Opening run').waitFor({ state: 'detached', timeout: 30000 }).catch(() => undefined);
    // the Run view's size summary reads every file of both trees once the run shows: let it finish first
    await waitFor('the size summary', () => (/size summary of .* in \d+ ms/.test(extensionLog(server.stateDir)) ? true : undefined), 60000)
      .catch(() => console.log('  (no size summary in the log after 60 s: measuring anyway)'));
    const cpuListed = await host.cpu();
    const quiet = { ...await waitForQuiet(), hostCpuMs: await host.cpu() - cpuListed };
    await sleep(Math.max(0, settleMs - (Date.now() - loadedAt)));

    const enter = await preparePaletteCommand(wb, 'SEB Review: Show Diff Overview');
    await page.evaluate(WATCH_LONG_TASKS);
    const beforeOverview = await host.memory();
    const cpuAtEnter = await host.cpu();
    const machineAtEnter = cpuTimes();
    const oursAtEnter = ourCpuMs();
    const t0 = Date.now();
    await enter();
    const frame = await overviewFrame(page, FIRST_CONTENT_TIMEOUT);
    await frame.evaluate(WATCH_FIRST_CONTENT);
    const { first, init, origin, kind } = await waitFor('the first section\'s content', async () => {
      const v = await frame.evaluate(FIRST_CONTENT) as { first: number; init: number; origin: number; kind: string } | null;
      return v ?? undefined;
    }, FIRST_CONTENT_TIMEOUT, 20);
    const atFirst = await host.memory();
    const machineCpu = (cpuTimes().busy - machineAtEnter.busy) * 10;
    const othersCpu = Math.max(0, machineCpu - (ourCpuMs() - oursAtEnter));
    const longTasks = (await page.evaluate('window.__sebLongTasks') as Array<[number, number]>)
      .filter(([t, d]) => t + d >= t0 && t <= first).map(([, d]) => d);
    const hostCpuToFirst = await host.cpu() - cpuAtEnter;
    const marks = await webviewMarks(frame, t0);
    const started = marks['content/started'];
    const workerReady = marks['content/workerReady'];
    const serviceWorker = started !== undefined && workerReady !== undefined ? workerReady - started : 0;

    const sections = await waitFor('the overview\'s file count', async () => (await frame.evaluate(SECTION_COUNT) as number | null) ?? undefined, 10000);
    const s0 = Date.now();
    let scrolls = 0;
    await waitFor('the last section\'s content after scrolling to the end', async () => {
      scrolls++;
      return (await frame.evaluate(scrollToEnd(sections - 1))) === true ? true : undefined;
    }, SCROLL_TIMEOUT, 250);
    const scrollMs = Date.now() - s0;
    // the patches near the end are read and drawn; give the host a moment to finish what the page asked for
    await sleep(1000);
    const scrolled = await host.memory();

    const logProblems = [
      ...extensionLog(server.stateDir).split('\n').filter(l => /\[(warning|error)\]/.test(l)),
      ...[...new Set(consoleErrors)].map(e => `workbench console: ${e}`),
    ];
    if (host.seen.length > 1) {
      logProblems.push(`the extension host was replaced during the sample (pids ${host.seen.join(', ')}; alive now: `
        + `${host.seen.filter(pid => procInfo(pid) !== undefined).join(', ') || 'none'}): its memory figures start again and are left out`);
      for (const line of connection.slice(-15)) logProblems.push(`workbench console: ${line.slice(0, 300)}`);
      for (const line of server.log().split('\n').filter(l => /exthost|extension ?host|exit|error|terminat/i.test(l)).slice(-15)) {
        logProblems.push(`code-server: ${line.slice(0, 300)}`);
      }
    }
    return {
      openMs: opened.ms, changedFiles: opened.files, firstContent: first - t0, pageStart: origin - t0, listDrawn: init - t0, marks, serviceWorker,
      quiet, hostCpuToFirst, othersCpu, longTasks, firstKind: kind, sections, scrollMs, scrolls, mem: { noRun, listed, beforeOverview, firstContent: atFirst, scrolled },
      hostReplaced: host.seen.length > 1, logProblems,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}

// ---------------------------------------------------------------- report

/** Other processes' CPU time over the measured span above which a sample is counted as disturbed in the report. */
const BUSY_OTHERS = 200;
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const ms0 = (v: number) => `${v.toFixed(0)} ms`;
const count = (n: number) => new Intl.NumberFormat('en-US').format(n);

function triple(values: number[], f: (v: number) => string = fmt): string {
  const s = summary(values);
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
}

function median(values: number[]): number {
  return summary(values).median;
}

function report(key: string, i: number, runs: number, r: Sample): void {
  const m = r.mem;
  const marks = Object.entries(r.marks).map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ');
  console.log(`${key} ${i + 1}/${runs}: opened and listed ${count(r.changedFiles)} files in ${r.openMs} ms; machine quiet after `
    + `${r.quiet.ms} ms${r.quiet.quiet ? '' : ' (it did not get quiet: measured anyway)'} (ext host CPU meanwhile ${r.quiet.hostCpuMs} ms)`);
  console.log(`  overview: first content ${ms0(r.firstContent)} (${r.firstKind}); service worker wait ${ms0(r.serviceWorker)}; `
    + `page document from ${ms0(r.pageStart)}, file list drawn at ${ms0(r.listDrawn)}; ext host CPU ${r.hostCpuToFirst} ms; workbench `
    + `long tasks ${r.longTasks.map(ms0).join(' + ') || 'none'}; other processes' CPU ${r.othersCpu} ms; last of ${count(r.sections)} sections `
    + `shown ${ms0(r.scrollMs)} after scrolling to the end (${r.scrolls} scrolls)`);
  console.log(`  webview marks (ms after Enter): ${marks}`);
  console.log(`  ext host VmHWM ${mib(m.noRun.hwm)} no run -> ${mib(m.listed.hwm)} listed -> ${mib(m.beforeOverview.hwm)} before the `
    + `overview -> ${mib(m.firstContent.hwm)} first content `
    + `-> ${mib(m.scrolled.hwm)} scrolled to the end; VmRSS then ${mib(m.scrolled.rss)}`);
  for (const line of r.logProblems) console.log(`  log: ${line}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, settle: { type: 'string', default: '10000' }, pair: { type: 'string', default: 'rxjs' } } });
  if (values.pair !== 'rxjs' && values.pair !== 'big') throw new Error(`--pair must be rxjs or big, not ${values.pair}`);
  const bigKey: Size['key'] = values.pair === 'big' ? 'big' : 'rxjs';
  const runs = Number(values.runs);
  const settle = Number(values.settle);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${values.runs}`);
  if (!Number.isFinite(settle) || settle < 0) throw new Error(`--settle must be a number of milliseconds, not ${values.settle}`);
  const sizes: Size[] = [
    { key: 'ten-file', run: await buildSmallRun(path.join(BENCH, 'rxjs-small-run')) },
    bigKey === 'big' ? { key: 'big', run: await buildBigRun(path.join(BENCH, 'big-run')) } : { key: 'rxjs', run: await buildRxjsRun(path.join(BENCH, 'rxjs-run')) },
  ];
  const results = new Map<Size['key'], Sample[]>(sizes.map(s => [s.key, []]));
  for (let i = 0; i < runs; i++) {
    // alternate which size goes first, so a slow start of the machine does not always land on the same one
    for (const size of i % 2 ? [...sizes].reverse() : sizes) {
      const r = await once(size, settle);
      results.get(size.key)?.push(r);
      report(size.key, i, runs, r);
    }
  }

  const of = (key: Size['key']) => results.get(key) ?? [];
  const noSw = (r: Sample) => r.firstContent - r.serviceWorker;
  console.log(`\nover ${runs} runs each, the clock started at least ${settle} ms after the workbench was opened (min / median / max):`);
  for (const size of sizes) {
    const rs = of(size.key);
    console.log(`  ${size.key} (${count(rs[0]?.changedFiles ?? 0)} changed files):`);
    console.log(`    run opened and listed (extension log):         ${triple(rs.map(r => r.openMs))}`);
    console.log(`    overview, Enter -> first content:              ${triple(rs.map(r => r.firstContent))}`);
    console.log(`      Enter -> the page's HTML reaches the webview: ${triple(rs.map(r => r.marks['content/started'] ?? NaN))}`);
    console.log(`      the webview's service worker (VS Code):     ${triple(rs.map(r => r.serviceWorker))}`);
    console.log(`      the page, document start -> first content:  ${triple(rs.map(r => r.firstContent - r.pageStart))}`);
    console.log(`        document start -> the file list drawn:    ${triple(rs.map(r => r.listDrawn - r.pageStart))}`);
    console.log(`        the file list -> the first diff drawn:    ${triple(rs.map(r => r.firstContent - r.listDrawn))}`);
    console.log(`      without the service worker's wait:          ${triple(rs.map(noSw))}`);
    console.log(`    ext host CPU, Enter -> first content:          ${triple(rs.map(r => r.hostCpuToFirst))}`);
    console.log(`    workbench long tasks, Enter -> first content:  ${triple(rs.map(r => r.longTasks.reduce((a, b) => a + b, 0)))}`);
    console.log(`    other processes' CPU, Enter -> first content:  ${triple(rs.map(r => r.othersCpu))} (over ${BUSY_OTHERS} ms in `
      + `${rs.filter(r => r.othersCpu > BUSY_OTHERS).length} of ${rs.length}; the machine quiet before the clock in ${rs.filter(r => r.quiet.quiet).length})`);
    console.log(`    scrolled to the end -> last section's content: ${triple(rs.map(r => r.scrollMs))}`);
    const ms = rs.filter(r => !r.hostReplaced);
    if (ms.length < rs.length) console.log(`    (memory over ${ms.length} runs: the extension host was replaced in ${rs.length - ms.length})`);
    console.log(`    ext host VmHWM, no run open:                   ${triple(ms.map(r => r.mem.noRun.hwm), mib)}`);
    console.log(`    ext host VmHWM, run listed:                    ${triple(ms.map(r => r.mem.listed.hwm), mib)}`);
    console.log(`    ext host VmHWM, size summary done, quiet:      ${triple(ms.map(r => r.mem.beforeOverview.hwm), mib)}`);
    console.log(`    ext host VmRSS, size summary done, quiet:      ${triple(ms.map(r => r.mem.beforeOverview.rss), mib)}`);
    console.log(`    ext host VmHWM, overview first content:        ${triple(ms.map(r => r.mem.firstContent.hwm), mib)}`);
    console.log(`    ext host VmHWM, overview scrolled to the end:  ${triple(ms.map(r => r.mem.scrolled.hwm), mib)}`);
    console.log(`    ext host VmRSS at the end:                     ${triple(ms.map(r => r.mem.scrolled.rss), mib)}`);
  }

  const ten = of('ten-file');
  const big = of(bigKey);
  const med = (rs: Sample[], pick: (r: Sample) => number) => median(rs.map(pick));
  const [tenFirst, bigFirst] = [med(ten, r => r.firstContent), med(big, r => r.firstContent)];
  const [tenNoSw, bigNoSw] = [med(ten, noSw), med(big, noSw)];
  const hwm = (rs: Sample[], pick: (s: Sample) => number) => mib(med(rs.filter(r => !r.hostReplaced), pick));
  console.log(`\noverview, time to first content (median of ${runs}): ten-file run ${ms0(tenFirst)}, ${bigKey} (${count(big[0]?.changedFiles ?? 0)} `
    + `files) ${ms0(bigFirst)} (ratio ${(bigFirst / tenFirst).toFixed(2)}); without VS Code's webview service-worker wait `
    + `${ms0(tenNoSw)} and ${ms0(bigNoSw)} (ratio ${(bigNoSw / tenNoSw).toFixed(2)})`);
  console.log(`run opened and listed (extension log): ten-file ${ms0(med(ten, r => r.openMs))}, ${bigKey} ${ms0(med(big, r => r.openMs))}`);
  console.log(`extension host peak memory (VmHWM): ten-file ${hwm(ten, r => r.mem.beforeOverview.hwm)} -> `
    + `${hwm(ten, r => r.mem.scrolled.hwm)} after the overview; ${bigKey} ${hwm(big, r => r.mem.beforeOverview.hwm)} -> `
    + `${hwm(big, r => r.mem.scrolled.hwm)} after scrolling the overview to its end (run open and listed, before the overview; `
    + `with no run open: ${hwm(ten, r => r.mem.noRun.hwm)} and ${hwm(big, r => r.mem.noRun.hwm)})`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
