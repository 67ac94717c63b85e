/**
 * Agreement and calibration statistics, written out by hand: intraclass correlations (Shrout & Fleiss 1979; McGraw
 * & Wong 1996, computed as R's irr::icc does), Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's
 * alpha-reliability"), and the paired comparison of a candidate grader with a reference (Bland & Altman 1986; Lin
 * 1989). Only the F and t quantiles come from jstat.
 *
 * Nothing here throws or returns NaN/Infinity: a statistic that is undefined for the data (no variance, too few
 * values, a division by zero) is `null` with a short reason.
 */
import { jStat } from 'jstat';
import { ICC_FORMS, type CalibrationStats, type Estimate, type IccForm, type Value } from './types';

/** Two-sided 95% intervals. */
const Q = 0.975;
const fin = (x: number): boolean => Number.isFinite(x);
const none = (reason: string): Estimate => ({ value: null, lower: null, upper: null, reason });
const noValue = (reason: string): Value => ({ value: null, reason });
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]): number => sum(xs) / xs.length;
/** Σ(x − x̄)², two-pass. */
const squares = (xs: readonly number[]): number => { const m = mean(xs); return sum(xs.map(x => (x - m) ** 2)); };
const allSame = (xs: readonly number[]): boolean => xs.every(x => x === xs[0]);
/** The p quantile of F(df1, df2); NaN when the degrees of freedom are not positive and finite. */
const qf = (df1: number, df2: number): number => (df1 > 0 && df2 > 0 && fin(df1) && fin(df2) ? jStat.centralF.inv(Q, df1, df2) : NaN);
const qt = (df: number): number => (df > 0 && fin(df) ? jStat.studentt.inv(Q, df) : NaN);

/** An estimate, or null where it is not finite: the value with `reason`, the bounds with `boundsReason`. */
function estimate(value: number, lower: number, upper: number, reason: string, boundsReason: string): Estimate {
  if (!fin(value)) return none(reason);
  if (!fin(lower) || !fin(upper)) return { value, lower: null, upper: null, reason: boundsReason };
  return { value, lower, upper };
}

/**
 * The six intraclass correlations of a complete n × k matrix: rows are subjects (runs), columns raters (graders).
 * Two-way ANOVA mean squares MSR (rows), MSC (columns), MSE (residual) and MSW = (SSC + SSE) / (n(k − 1)) (within
 * rows); forms and 95% F-based intervals as Shrout & Fleiss (1979) and McGraw & Wong (1996) give them, computed as
 * R's irr::icc does ("1" one-way, "C" two-way consistency, "A" two-way absolute agreement).
 *
 * Perfect agreement (MSW, or MSE, or MSE and MSC for the A forms, exactly 0 while the runs differ): the value is 1
 * and both bounds are 1, the formulas' limit as F0 → ∞ (for A,1 the bounds are n·MSR / n·MSR at MSE = MSC = 0).
 * Mean squares below 1e-12 of the total sum of squares count as 0 (rounding, not variance).
 */
export function icc(matrix: readonly (readonly number[])[]): Record<IccForm, Estimate> {
  const every = (reason: string): Record<IccForm, Estimate> =>
    Object.fromEntries(ICC_FORMS.map(f => [f, none(reason)])) as Record<IccForm, Estimate>;
  const n = matrix.length;
  const k = matrix[0]?.length ?? 0;
  if (n < 2) return every(`needs at least 2 runs (has ${n})`);
  if (matrix.some(r => r.length !== k)) return every('not a complete matrix: every run needs a score from every grader');
  if (k < 2) return every(`needs at least 2 graders (has ${k})`);
  const all = matrix.flat();
  if (!all.every(fin)) return every('a score is not a finite number');
  if (allSame(all)) return every('no variance: every score is the same');

  const grand = mean(all);
  const rowMeans = matrix.map(mean);
  const colMeans = Array.from({ length: k }, (_, j) => mean(matrix.map(r => r[j] ?? NaN)));
  const sst = squares(all);
  const snap = (ss: number): number => (ss <= sst * 1e-12 ? 0 : ss);
  const ssr = snap(k * sum(rowMeans.map(m => (m - grand) ** 2)));
  const ssc = snap(n * sum(colMeans.map(m => (m - grand) ** 2)));
  const sse = snap(sum(matrix.map((r, i) => sum(r.map((x, j) => (x - (rowMeans[i] ?? NaN) - (colMeans[j] ?? NaN) + grand) ** 2)))));
  const msr = ssr / (n - 1);
  const msc = ssc / (k - 1);
  const mse = sse / ((n - 1) * (k - 1));
  const msw = (ssc + sse) / (n * (k - 1));

  const noRows = 'no variance between runs: every run has the same mean score';
  const noBounds = 'the interval is undefined for these scores';
  const single = (f: number): number => (f === Infinity ? 1 : (f - 1) / (f + k - 1));
  const average = (f: number): number => 1 - 1 / f;
  /** One-way (msd = MSW, df2 = n(k − 1)) or consistency (msd = MSE, df2 = (n − 1)(k − 1)): F0 = MSR / msd. */
  const fForms = (msd: number, df2: number): [Estimate, Estimate] => {
    if (msr === 0 && msd === 0) return [none(noRows), none(noRows)];
    const f0 = msr / msd;
    const fl = f0 / qf(n - 1, df2);
    const fu = f0 * qf(df2, n - 1);
    return [
      estimate((msr - msd) / (msr + (k - 1) * msd), single(fl), single(fu), noRows, noBounds),
      estimate((msr - msd) / msr, average(fl), average(fu), noRows, noBounds),
    ];
  };
  const [o1, ok] = fForms(msw, n * (k - 1));
  const [c1, ck] = fForms(mse, (n - 1) * (k - 1));

  // Absolute agreement: McGraw & Wong's approximate interval (their table 7; irr::icc), with v Satterthwaite's df.
  const a1 = (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n);
  const ak = (msr - mse) / (msr + (msc - mse) / n);
  let lower = 1;
  let upper = 1;
  if (!(mse === 0 && msc === 0)) {
    const a = (k * a1) / (n * (1 - a1));
    const b = 1 + (k * a1 * (n - 1)) / (n * (1 - a1));
    const v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)));
    const fl = qf(n - 1, v);
    const fu = qf(v, n - 1);
    const base = k * msc + (k * n - k - n) * mse;
    lower = (n * (msr - fl * mse)) / (fl * base + n * msr);
    upper = (n * (fu * msr - mse)) / (base + n * fu * msr);
  }
  const brown = (l: number): number => (k * l) / (1 + (k - 1) * l);
  return {
    '1,1': o1, 'A,1': estimate(a1, lower, upper, noRows, noBounds), 'C,1': c1,
    '1,k': ok, 'A,k': estimate(ak, brown(lower), brown(upper), noRows, noBounds), 'C,k': ck,
  };
}

/** Σ over ordered pairs i ≠ j of δ(v_i, v_j): interval 2m·Σ(v − v̄)², nominal m² − Σ_c (count of c)². */
function pairSum(values: readonly number[], metric: 'interval' | 'nominal'): number {
  const m = values.length;
  if (metric === 'interval') return 2 * m * squares(values);
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return m * m - sum([...counts.values()].map(c => c * c));
}

/**
 * Krippendorff's alpha by the coincidence-matrix definition (Krippendorff 2011): rows are units (runs), entries the
 * coders' values, null when missing; rows may differ in length. Only units with at least 2 values are pairable;
 * n = the values in them. D_o = (1/n)·Σ_u Σ_{i≠j in u} δ / (m_u − 1), D_e = Σ_{i≠j over all n} δ / (n(n − 1)),
 * alpha = 1 − D_o / D_e; δ interval = (a − b)², nominal = [a ≠ b].
 */
export function krippendorffAlpha(
  units: readonly (readonly (number | null)[])[],
  metric: 'interval' | 'nominal',
): { value: number | null; reason?: string; pairable: number } {
  const groups = units.map(u => u.filter((v): v is number => typeof v === 'number')).filter(g => g.length >= 2);
  const pairable = groups.length;
  const values = groups.flat();
  const n = values.length;
  if (pairable < 1 || n < 2) return { value: null, reason: 'no run has at least 2 scores', pairable };
  if (!values.every(fin)) return { value: null, reason: 'a score is not a finite number', pairable };
  if (allSame(values)) return { value: null, reason: 'no variance: every score is the same', pairable };
  const dO = sum(groups.map(g => pairSum(g, metric) / (g.length - 1))) / n;
  const dE = pairSum(values, metric) / (n * (n - 1));
  const value = 1 - dO / dE;
  return fin(value) ? { value, pairable } : { value: null, reason: 'expected disagreement is 0', pairable };
}

/** A candidate grader against a reference, paired by run: CalibrationStats without the labels and shares. */
export type PairedStats = Omit<CalibrationStats, 'id' | 'title' | 'ceiling' | 'maeShare' | 'rmseShare'>;

/**
 * The candidate against the reference, paired by index; d = candidate − reference.
 * - bias = mean(d), interval mean ± t(0.975, n − 1)·s/√n, s the sample SD of d (n − 1);
 * - MAE and RMSE of d;
 * - Bland–Altman limits of agreement bias ± 1.96·s, each with interval ± t(0.975, n − 1)·√(3s²/n), the approximate
 *   standard error of Bland & Altman (1986);
 * - Lin's (1989) concordance correlation 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²), moments with 1/n;
 * - ICC(A,1) of the n × 2 matrix [candidate, reference].
 * With 1 run the bias, MAE and RMSE are defined, nothing else; with s = 0 the intervals collapse onto their values.
 */
export function pairedStats(candidate: readonly number[], reference: readonly number[]): PairedStats {
  const n = candidate.length;
  const undefinedAll = (count: number, reason: string): PairedStats => ({
    n: count, candidateMean: null, referenceMean: null, bias: none(reason), sd: noValue(reason), mae: noValue(reason),
    rmse: noValue(reason), loa: { lower: none(reason), upper: none(reason) }, ccc: noValue(reason), icc: none(reason),
  });
  if (reference.length !== n) return undefinedAll(0, `candidate and reference differ in length (${n} and ${reference.length})`);
  if (n === 0) return undefinedAll(0, 'no runs');
  if (![...candidate, ...reference].every(fin)) return undefinedAll(n, 'a score is not a finite number');

  const d = candidate.map((c, i) => c - (reference[i] ?? NaN));
  const bias = mean(d);
  const mae: Value = { value: mean(d.map(Math.abs)) };
  const rmse: Value = { value: Math.sqrt(mean(d.map(x => x * x))) };
  const base = { n, candidateMean: mean(candidate), referenceMean: mean(reference), mae, rmse };
  if (n < 2) {
    const few = 'needs at least 2 runs';
    return {
      ...base, bias: { value: bias, lower: null, upper: null, reason: few }, sd: noValue(few),
      loa: { lower: none(few), upper: none(few) }, ccc: noValue(few), icc: icc([[candidate[0] ?? NaN, reference[0] ?? NaN]])['A,1'],
    };
  }

  const s = Math.sqrt(squares(d) / (n - 1));
  const t = qt(n - 1);
  const noT = 'the t quantile is undefined';
  const around = (value: number, se: number): Estimate => estimate(value, value - t * se, value + t * se, noT, noT);
  const loaSe = Math.sqrt((3 * s * s) / n);

  const mx = mean(candidate);
  const my = mean(reference);
  const sxy = mean(candidate.map((x, i) => (x - mx) * ((reference[i] ?? NaN) - my)));
  const cccDen = mean(candidate.map(x => (x - mx) ** 2)) + mean(reference.map(y => (y - my) ** 2)) + (mx - my) ** 2;
  const ccc: Value = cccDen > 0 && fin((2 * sxy) / cccDen) ? { value: (2 * sxy) / cccDen }
    : noValue('no variance: candidate and reference give one and the same score on every run');

  return {
    ...base,
    bias: around(bias, s / Math.sqrt(n)),
    sd: { value: s },
    loa: { lower: around(bias - 1.96 * s, loaSe), upper: around(bias + 1.96 * s, loaSe) },
    ccc,
    icc: icc(candidate.map((c, i) => [c, reference[i] ?? NaN]))['A,1'],
  };
}
