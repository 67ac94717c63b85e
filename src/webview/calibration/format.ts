import type { CalibrationStats, Estimate, Value } from '../../core/calibration/types';

/**
 * The text the Calibration view shows for its numbers. No DOM. Every number is rounded for reading (points to 2
 * decimals, shares of a ceiling to 1 decimal place of a percent, coefficients to 2 decimals); the CSV export has them
 * at full precision. An undefined statistic is "—" with its reason, never NaN.
 */

export const MINUS = '\u2212';
export const DASH = '\u2014';
/** Below this many runs the intervals are too wide to conclude anything. */
export const FEW_RUNS = 5;

/** What a cell shows: its text, and why it has no number when it has none. */
export interface Shown {
  text: string;
  /** The interval below the value, when there is one. */
  interval?: string;
  reason?: string;
}

export function isNumber(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** "1.25", "−0.50"; "—" for no number. */
export function fixed(v: number | null | undefined, digits = 2): string {
  if (!isNumber(v)) return DASH;
  const text = v.toFixed(digits);
  // -0.00 reads as a sign where there is none
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', MINUS);
}

/** "+1.25", "−0.50", "0.00": for differences, whose sign is the point. */
export function signed(v: number | null | undefined, digits = 2): string {
  const text = fixed(v, digits);
  return isNumber(v) && Number(v.toFixed(digits)) > 0 ? `+${text}` : text;
}

/** A share of the ceiling (0..1) as a percentage: "12.5%". */
export function percent(share: number | null | undefined, digits = 1, sign = false): string {
  if (!isNumber(share)) return DASH;
  return `${(sign ? signed : fixed)(share * 100, digits)}%`;
}

/** A points value as a share of a ceiling, or null. */
export function shareOf(v: number | null | undefined, ceiling: number): number | null {
  return isNumber(v) && ceiling > 0 ? v / ceiling : null;
}

export function intervalText(lower: number | null | undefined, upper: number | null | undefined, format: (v: number) => string): string | undefined {
  return isNumber(lower) && isNumber(upper) ? `[${format(lower)}, ${format(upper)}]` : undefined;
}

/** A value without an interval. */
export function valueShown(v: Value, format: (v: number) => string): Shown {
  return isNumber(v.value) ? { text: format(v.value) } : { text: DASH, reason: v.reason ?? 'undefined' };
}

/** A value and its 95% interval; the value without its interval says why the interval is missing. */
export function estimateShown(e: Estimate, format: (v: number) => string): Shown {
  if (!isNumber(e.value)) return { text: DASH, reason: e.reason ?? 'undefined' };
  const interval = intervalText(e.lower, e.upper, format);
  return interval ? { text: format(e.value), interval } : { text: format(e.value), reason: `no interval: ${e.reason ?? 'undefined'}` };
}

/** The same estimate in points, as a share of the ceiling. */
export function estimateShare(e: Estimate, ceiling: number): Estimate {
  return { value: shareOf(e.value, ceiling), lower: shareOf(e.lower, ceiling), upper: shareOf(e.upper, ceiling), ...(e.reason !== undefined ? { reason: e.reason } : {}) };
}

/** Points with their share of the ceiling: "1.25 (5.0%)". */
export function pointsAndShare(points: Value, share: Value): Shown {
  if (!isNumber(points.value)) return { text: DASH, reason: points.reason ?? 'undefined' };
  return { text: `${fixed(points.value)} (${percent(share.value)})` };
}

/** A mean in points: "12.50 (62.5%)". */
export function meanShown(v: number | null, ceiling: number): Shown {
  return isNumber(v) ? { text: `${fixed(v)} (${percent(shareOf(v, ceiling))})` } : { text: DASH, reason: 'no runs' };
}

export const pts = (v: number) => fixed(v);
export const signedPts = (v: number) => signed(v);
export const signedPct = (share: number) => percent(share, 1, true);
export const coefficient = (v: number) => fixed(v, 2);

/** "n = 8 runs", "n = 1 run". */
export function runs(n: number): string {
  return `n = ${n} run${n === 1 ? '' : 's'}`;
}

/** Whether a row's intervals are too wide to conclude from. */
export function fewRuns(s: Pick<CalibrationStats, 'n'>): boolean {
  return s.n < FEW_RUNS;
}

/** "12-30", or "12" for one line. */
export function lines(start: number, end: number): string {
  return start === end ? String(start) : `${start}-${end}`;
}

/** Splits a long title into lines of about `width` characters, for chart labels. */
export function wrapWords(text: string, width = 18): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out.length > 0 ? out : [text];
}
