/** Turning a log's raw text into lines a reader can trust: no colours, no CRs, no endless lines. */
/* eslint-disable no-control-regex -- escapes and control characters are what these patterns find and remove */

/** Longer lines are cut to this many characters before the line readers see them (their patterns stay cheap). */
export const MAX_LINE_CHARS = 4096;

// CSI (colours, cursor moves), OSC (titles, hyperlinks; never across a line break) and other two-byte escapes
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OSC = /\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?/g;
const ESC = /\x1b[@-_]?/g;
// C0 controls other than tab and line feed, and DEL (CR is handled first)
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function stripAnsi(text: string): string {
  return text.replace(CSI, '').replace(OSC, '').replace(ESC, '');
}

/** Whether the start of the text looks like binary data rather than a log: NULs or many control characters. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 0xfffd) odd++;
  }
  return odd > head.length * 0.05;
}

/**
 * A log file's bytes as text: UTF-8 (a BOM dropped), or UTF-16 when it starts with a UTF-16 BOM or looks like
 * UTF-16LE without one (PowerShell's `>` writes UTF-16LE). Invalid sequences become U+FFFD; nothing is thrown.
 */
export function decodeLogBytes(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = bytes.subarray(0, 4096 - (Math.min(bytes.length, 4096) % 2));
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) { if (i % 2 === 1) zeroOdd++; else zeroEven++; }
  if (head.length >= 16 && zeroOdd > head.length * 0.4 && zeroEven === 0) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

export interface Lines {
  lines: string[];
  /** How many lines were cut to MAX_LINE_CHARS. */
  cut: number;
}

/**
 * The log as lines: BOM and ANSI escapes removed, CRLF read as LF, and a lone CR read as a terminal does (the text
 * after it overwrites the line) unless the log has no LF at all (then CR ends lines). Line i is line i + 1 of the log.
 */
export function toLines(text: string): Lines {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  t = stripAnsi(t);
  if (!t.includes('\n')) t = t.replace(/\r/g, '\n');
  const lines = t.split('\n');
  let cut = 0;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i] ?? '';
    if (l.endsWith('\r')) l = l.slice(0, -1);
    const cr = l.lastIndexOf('\r');
    if (cr >= 0) l = l.slice(cr + 1);
    if (l.length > MAX_LINE_CHARS) { l = l.slice(0, MAX_LINE_CHARS); cut++; }
    lines[i] = l.replace(CONTROL, '');
  }
  return { lines, cut };
}

/** Leading spaces (a tab counts as one). */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** A path a runner prints for a test file: ends in a script extension, is one line, holds no " > " path separator. */
export function looksLikeTestFile(s: string): boolean {
  return s.length > 0 && s.length < 1024 && !s.includes(' > ') && /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i.test(s);
}

/**
 * A duration at the end of `text`, "(12ms)" or "(1 ms)" (jest, mocha, node:test), or with `bare` "38ms" or "1.2s"
 * (vitest, which prints one after every test that ran): the text without it, and the duration in ms.
 */
export function trailingDuration(text: string, bare = false): { rest: string; ms?: number } {
  const m = (bare ? /\s(\d{1,9}(?:\.\d{1,9})?)(ms|s)$/ : /\s\((\d{1,9}(?:\.\d{1,9})?) ?(ms|s)\)$/).exec(text);
  if (!m) return { rest: text };
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  return { rest: text.slice(0, m.index).trimEnd(), ms: n };
}

/** A file path as printed, without "./" or a file:// scheme and without ":line:column". */
export function cleanFile(path: string, stripPosition = false): string {
  let p = path.trim();
  if (p.startsWith('file://')) p = decodeURIComponentSafe(p.slice('file://'.length));
  if (stripPosition) p = p.replace(/:\d+(?::\d+)?$/, '');
  if (p.startsWith('./')) p = p.slice(2);
  return p;
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** A short, printable preview of a line for messages: controls shown as escapes, at most `max` characters. */
export function preview(line: string, max = 80): string {
  const shown = line.replace(/[\x00-\x1f\x7f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}

/** "2 failed | 8 passed | 3 skipped" or "2 failed, 3 skipped, 8 passed, 14 total": each count by its word. */
export function countsByWord(text: string, separator: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(separator)) {
    const m = /^\s*(\d{1,12})\s+([a-z]+)/i.exec(part);
    if (m) out.set((m[2] ?? '').toLowerCase(), Number(m[1]));
  }
  return out;
}
