/** Minimum, median and maximum of a series, for benchmark reports. */
export function summary(values: number[]): { min: number; median: number; max: number; n: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN, n: s.length };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
