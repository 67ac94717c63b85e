import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { icc, krippendorffAlpha, pairedStats } from '../../../src/core/calibration/stats';
import { ICC_FORMS, type Estimate, type IccForm } from '../../../src/core/calibration/types';

/** R irr's `anxiety` data: 20 subjects × 3 raters. */
const ANXIETY = [
  [3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1], [3, 4, 6], [5, 3, 1], [2, 3, 1],
  [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3], [2, 2, 1], [2, 2, 1], [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2],
];

/** Wikipedia's "Krippendorff's alpha" example: 3 coders × 15 units, `*` missing; rows here are units. */
const coder = (s: string): (number | null)[] => s.split(' ').map(x => (x === '*' ? null : Number(x)));
const WA = coder('* * * * * 3 4 1 2 1 1 3 3 * 3');
const WB = coder('1 * 2 1 3 3 4 3 * * * * * * *');
const WC = coder('* * 2 1 3 4 4 * 2 1 1 3 3 * 4');
const WIKI = WA.map((_, i) => [WA[i] ?? null, WB[i] ?? null, WC[i] ?? null]);

const near = (actual: number | null | undefined, expected: number, tol: number, what = ''): void => {
  assert.ok(typeof actual === 'number', `${what}: expected ${expected}, got ${String(actual)}`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, got ${actual}`);
};
const nearEstimate = (e: Estimate, [v, l, u]: [number, number, number], tol: number, what: string): void => {
  near(e.value, v, tol, `${what} value`);
  near(e.lower, l, tol, `${what} lower`);
  near(e.upper, u, tol, `${what} upper`);
};

/** Every number anywhere in the result is finite; every null sits next to a non-empty reason. */
function assertClean(x: unknown, where = 'result'): void {
  if (typeof x === 'number') assert.ok(Number.isFinite(x), `${where} is ${x}`);
  else if (Array.isArray(x)) x.forEach((v, i) => assertClean(v, `${where}[${i}]`));
  else if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if ('value' in o && o.value === null) assert.ok(typeof o.reason === 'string' && o.reason.length > 0, `${where} null without a reason`);
    for (const [k, v] of Object.entries(o)) assertClean(v, `${where}.${k}`);
  }
}
const allNull = (r: Record<IccForm, Estimate>, reason: RegExp): void => {
  for (const f of ICC_FORMS) {
    assert.deepEqual([r[f].value, r[f].lower, r[f].upper], [null, null, null], f);
    assert.match(r[f].reason ?? '', reason, f);
  }
};

describe('icc', () => {
  test('all six forms and their 95% intervals match irr::icc on the anxiety data', () => {
    const r = icc(ANXIETY);
    const expected: Record<IccForm, [number, number, number]> = {
      '1,1': [0.17502238, -0.07744657, 0.48433609],
      'A,1': [0.19799826, -0.03891063, 0.49357395],
      'C,1': [0.21604938, -0.04625789, 0.52225908],
      '1,k': [0.38892573, -0.27492349, 0.73806512],
      'A,k': [0.42549875, -0.1265827, 0.74514929],
      'C,k': [0.45258621, -0.15292129, 0.7663308],
    };
    for (const f of ICC_FORMS) nearEstimate(r[f], expected[f], 1e-6, `ICC(${f})`);
    assertClean(r);
  });

  test('perfect agreement: every form is 1 and its bounds are the limit, 1', () => {
    const r = icc([[1, 1], [2, 2], [4, 4]]);
    for (const f of ICC_FORMS) assert.deepEqual(r[f], { value: 1, lower: 1, upper: 1 }, f);
  });

  test('identical scores everywhere: every form null with a reason', () => {
    const r = icc([[7, 7, 7], [7, 7, 7], [7, 7, 7]]);
    allNull(r, /no variance/);
    assertClean(r);
    // 0.1 is not exact in binary: the means are off by rounding, still no variance
    allNull(icc([[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]]), /no variance/);
  });

  test('one run, one grader, a ragged matrix, a non-finite score', () => {
    allNull(icc([[1, 2, 3]]), /at least 2 runs/);
    allNull(icc([]), /at least 2 runs/);
    allNull(icc([[1], [2], [3]]), /at least 2 graders/);
    allNull(icc([[1, 2], [3]]), /complete/);
    allNull(icc([[1, 2], [3, NaN]]), /finite/);
  });

  test('runs that all have the same mean: the forms that divide by MSR are null, none is NaN', () => {
    const r = icc([[1, 2], [1, 2], [1, 2]]);
    assertClean(r);
    assert.equal(r['C,1'].value, null);
    assert.equal(r['1,k'].value, null);
    // one-way: (0 − MSW) / (0 + MSW) = −1, and F0 = 0 puts both bounds there
    assert.deepEqual(r['1,1'], { value: -1, lower: -1, upper: -1 });
    // agreement: 0 / (k·MSC/n) = 0; Satterthwaite's df is 0/0, so no interval
    assert.equal(r['A,1'].value, 0);
    assert.equal(r['A,1'].lower, null);
    assert.match(r['A,1'].reason ?? '', /interval/);
  });

  test('n = 2 gives finite values', () => {
    const r = icc([[3, 2], [5, 5]]);
    assertClean(r);
    for (const f of ICC_FORMS) assert.equal(typeof r[f].value, 'number', f);
  });
});

describe('krippendorffAlpha', () => {
  test('anxiety data, interval metric', () => {
    const r = krippendorffAlpha(ANXIETY, 'interval');
    near(r.value, 0.17009861, 1e-6, 'alpha');
    assert.equal(r.pairable, 20);
  });

  test("Wikipedia's example with missing values, nominal and interval", () => {
    const nominal = krippendorffAlpha(WIKI, 'nominal');
    near(nominal.value, 0.69135802, 1e-6, 'nominal');
    near(krippendorffAlpha(WIKI, 'interval').value, 0.81084489, 1e-6, 'interval');
    // units 1, 2 and 14 have fewer than 2 values
    assert.equal(nominal.pairable, 12);
  });

  test('the same value whatever the order of coders or units, and whatever the rows\' lengths', () => {
    for (const metric of ['interval', 'nominal'] as const) {
      const base = krippendorffAlpha(WIKI, metric).value;
      const coders = WIKI.map(([a, b, c]) => [c ?? null, a ?? null, b ?? null]);
      near(krippendorffAlpha(coders, metric).value, base ?? NaN, 1e-12, `${metric} coders permuted`);
      const reversed = [...WIKI].reverse();
      near(krippendorffAlpha(reversed, metric).value, base ?? NaN, 1e-12, `${metric} units reversed`);
      // missing values dropped instead of written as null: rows of 0 to 3 entries, the first one short
      const compact = WIKI.map(u => u.filter(v => v !== null));
      assert.ok((compact[0]?.length ?? 0) < 3);
      near(krippendorffAlpha(compact, metric).value, base ?? NaN, 1e-12, `${metric} compact rows`);
      // a short first row followed by longer ones: nothing past the first row's length is lost
      const shortFirst = [[5], ...WIKI];
      near(krippendorffAlpha(shortFirst, metric).value, base ?? NaN, 1e-12, `${metric} short first row`);
      near(krippendorffAlpha([[2, 4], ...ANXIETY], metric).value,
        krippendorffAlpha([...ANXIETY, [2, 4]], metric).value ?? NaN, 1e-12, `${metric} two-value first row`);
    }
  });

  test('undefined: identical values, no pairable unit, one coder', () => {
    const same = krippendorffAlpha([[3, 3], [3, null, 3], [3]], 'interval');
    assert.equal(same.value, null);
    assert.match(same.reason ?? '', /no variance/);
    assert.equal(same.pairable, 2);
    assert.equal(krippendorffAlpha([[3, 3], [3, 3]], 'nominal').value, null);
    const lone = krippendorffAlpha([[1], [2], [null, 3]], 'interval');
    assert.deepEqual([lone.value, lone.pairable], [null, 0]);
    assert.match(lone.reason ?? '', /at least 2/);
    assert.equal(krippendorffAlpha([], 'nominal').value, null);
    assertClean([same, lone, krippendorffAlpha([[1, NaN]], 'interval')]);
  });

  test('one unit: observed and expected disagreement coincide, alpha = 0', () => {
    // D_o = (1/3)·Σδ/(3 − 1), D_e = Σδ/(3·2): the same number
    near(krippendorffAlpha([[1, 2, 4]], 'interval').value, 0, 1e-12, 'one unit');
  });
});

describe('pairedStats', () => {
  // t(0.975, 3) and t(0.975, 1) from a t table
  const T3 = 3.182446305;
  const T1 = 12.70620474;

  test('hand-computed: candidate [10, 12, 14, 9], reference [9, 12, 11, 10]', () => {
    const r = pairedStats([10, 12, 14, 9], [9, 12, 11, 10]);
    assert.equal(r.n, 4);
    // means: 45/4 = 11.25, 42/4 = 10.5
    assert.equal(r.candidateMean, 11.25);
    assert.equal(r.referenceMean, 10.5);
    // d = [1, 0, 3, −1]; bias = 3/4 = 0.75
    // d − 0.75 = [0.25, −0.75, 2.25, −1.75]; squares 0.0625 + 0.5625 + 5.0625 + 3.0625 = 8.75
    // s² = 8.75/3 = 35/12 = 2.916667, s = 1.707825128; s/√4 = 0.853912564
    const s = Math.sqrt(35 / 12);
    near(r.sd.value, 1.707825128, 1e-9, 'sd');
    // bias interval 0.75 ± 3.182446305 · 0.853912564 = 0.75 ± 2.717530884 → [−1.967530884, 3.467530884]
    nearEstimate(r.bias, [0.75, 0.75 - T3 * s / 2, 0.75 + T3 * s / 2], 1e-9, 'bias');
    nearEstimate(r.bias, [0.75, -1.967530884, 3.467530884], 1e-8, 'bias (decimal)');
    // MAE = (1 + 0 + 3 + 1)/4 = 1.25; RMSE = √((1 + 0 + 9 + 1)/4) = √2.75 = 1.658312395
    near(r.mae.value, 1.25, 1e-12, 'mae');
    near(r.rmse.value, 1.658312395, 1e-9, 'rmse');
    // limits 0.75 ± 1.96 · 1.707825128 = 0.75 ± 3.347337250 → −2.597337250, 4.097337250
    // their SE √(3s²/n) = √(3 · 35/12 / 4) = √(35/16) = 1.479019946; t · SE = 4.706901562
    const half = T3 * Math.sqrt(35 / 16);
    near(half, 4.706901562, 1e-8, 't·SE');
    nearEstimate(r.loa.lower, [-2.597337250, -2.597337250 - 4.706901562, -2.597337250 + 4.706901562], 1e-8, 'loa lower');
    nearEstimate(r.loa.upper, [4.097337250, 4.097337250 - 4.706901562, 4.097337250 + 4.706901562], 1e-8, 'loa upper');
    // CCC: x − 11.25 = [−1.25, 0.75, 2.75, −2.25], s_x² = (1.5625 + 0.5625 + 7.5625 + 5.0625)/4 = 3.6875
    //      y − 10.5 = [−1.5, 1.5, 0.5, −0.5],      s_y² = (2.25 + 2.25 + 0.25 + 0.25)/4 = 1.25
    //      s_xy = (1.875 + 1.125 + 1.375 + 1.125)/4 = 1.375; (x̄ − ȳ)² = 0.5625
    //      CCC = 2 · 1.375 / (3.6875 + 1.25 + 0.5625) = 2.75/5.5 = 0.5
    near(r.ccc.value, 0.5, 1e-12, 'ccc');
    // ICC(A,1) of [[10,9],[12,12],[14,11],[9,10]]: grand mean 10.875; SST = 20.875
    //   row means 9.5, 12, 12.5, 9.5 → SSR = 2 · 7.6875 = 15.375, MSR = 5.125
    //   column means 11.25, 10.5 → SSC = 4 · 0.28125 = 1.125, MSC = 1.125
    //   SSE = 20.875 − 15.375 − 1.125 = 4.375, MSE = 4.375/3
    //   (5.125 − MSE) / (5.125 + MSE + 2(1.125 − MSE)/4) = (11/3) / (77/12) = 4/7
    near(r.icc.value, 4 / 7, 1e-12, 'icc');
    assert.ok(r.icc.lower !== null && r.icc.upper !== null && r.icc.lower < 4 / 7 && 4 / 7 < r.icc.upper);
    assertClean(r);
  });

  test('n = 2, hand-computed: candidate [3, 5], reference [2, 5]', () => {
    const r = pairedStats([3, 5], [2, 5]);
    // d = [1, 0]; bias 0.5; s² = (0.25 + 0.25)/1 = 0.5; s/√2 = 0.5; interval 0.5 ± 12.70620474 · 0.5
    nearEstimate(r.bias, [0.5, 0.5 - T1 * 0.5, 0.5 + T1 * 0.5], 1e-8, 'bias');
    near(r.sd.value, Math.SQRT1_2, 1e-12, 'sd');
    // MAE 0.5, RMSE √(1/2)
    near(r.mae.value, 0.5, 1e-12, 'mae');
    near(r.rmse.value, Math.SQRT1_2, 1e-12, 'rmse');
    // limits 0.5 ± 1.96 · 0.7071068 = 0.5 ± 1.385929; SE √(3 · 0.5/2) = √0.75; t · SE = 11.003896
    const loaHalf = T1 * Math.sqrt(0.75);
    nearEstimate(r.loa.upper, [0.5 + 1.96 * Math.SQRT1_2, 0.5 + 1.96 * Math.SQRT1_2 - loaHalf, 0.5 + 1.96 * Math.SQRT1_2 + loaHalf], 1e-7, 'loa upper');
    // CCC: x̄ 4, ȳ 3.5; s_x² = 1, s_y² = 2.25, s_xy = (1.5 + 1.5)/2 = 1.5; 3/(1 + 2.25 + 0.25) = 6/7
    near(r.ccc.value, 6 / 7, 1e-12, 'ccc');
    assert.equal(typeof r.icc.value, 'number');
    assertClean(r);
  });

  test('one run: bias, MAE and RMSE only; the rest null with a reason', () => {
    const r = pairedStats([8], [6]);
    assert.equal(r.n, 1);
    assert.deepEqual(r.bias, { value: 2, lower: null, upper: null, reason: 'needs at least 2 runs' });
    assert.equal(r.mae.value, 2);
    assert.equal(r.rmse.value, 2);
    for (const v of [r.sd, r.loa.lower, r.loa.upper, r.ccc, r.icc]) {
      assert.equal(v.value, null);
      assert.match(v.reason ?? '', /at least 2 runs/);
    }
    assertClean(r);
  });

  test('identical scores everywhere: no NaN, the intervals collapse, CCC and ICC null with reasons', () => {
    const r = pairedStats([5, 5, 5], [5, 5, 5]);
    assertClean(r);
    assert.deepEqual(r.bias, { value: 0, lower: 0, upper: 0 });
    assert.deepEqual(r.loa.lower, { value: 0, lower: 0, upper: 0 });
    assert.deepEqual(r.sd, { value: 0 });
    assert.equal(r.ccc.value, null);
    assert.match(r.ccc.reason ?? '', /no variance/);
    assert.equal(r.icc.value, null);
    assert.match(r.icc.reason ?? '', /no variance/);
  });

  test('a constant offset: SD 0, the limits sit on the bias, CCC below 1', () => {
    const r = pairedStats([3, 4, 6], [2, 3, 5]);
    assert.deepEqual(r.bias, { value: 1, lower: 1, upper: 1 });
    assert.deepEqual(r.loa.upper, { value: 1, lower: 1, upper: 1 });
    // s_x² = s_y² = 14/9, s_xy = 14/9, (x̄ − ȳ)² = 1: CCC = (28/9)/(28/9 + 1) = 28/37
    near(r.ccc.value, 28 / 37, 1e-12, 'ccc');
    assertClean(r);
  });

  test('no runs, different lengths, a non-finite score: everything null with a reason', () => {
    for (const r of [pairedStats([], []), pairedStats([1, 2], [1]), pairedStats([1, Infinity], [1, 2])]) {
      assertClean(r);
      assert.equal(r.bias.value, null);
      assert.equal(r.ccc.value, null);
      assert.equal(r.candidateMean, null);
    }
    assert.match(pairedStats([1, 2], [1]).bias.reason ?? '', /differ in length/);
  });
});
