import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGREEMENT_CSV_COLUMNS, CALIBRATION_CSV_COLUMNS, agreementCsv, calibrationCsv, csvField } from '../../../src/core/calibration/csv';
import { type AgreementReport, type AgreementStats, type CalibrationReport, type CalibrationStats, type Estimate, type IccForm } from '../../../src/core/calibration/types';

const est = (value: number | null, lower: number | null, upper: number | null, reason?: string): Estimate =>
  ({ value, lower, upper, ...(reason !== undefined ? { reason } : {}) });
const none = (reason: string): Estimate => est(null, null, null, reason);

function stats(over: Partial<CalibrationStats> & Pick<CalibrationStats, 'id' | 'title' | 'ceiling'>): CalibrationStats {
  return {
    n: 6, candidateMean: 10, referenceMean: 9, bias: est(1, -0.5, 2.5), sd: { value: 1.5 }, mae: { value: 1.25 }, rmse: { value: 1.75 },
    maeShare: { value: 0.0625 }, rmseShare: { value: 0.0875 }, loa: { lower: est(-1.94, -3.5, -0.4), upper: est(3.94, 2.4, 5.5) },
    ccc: { value: 0.8 }, icc: est(0.75, 0.2, 0.95), ...over,
  };
}

function calibration(): CalibrationReport {
  return {
    format: 'seb-review/calibration@1',
    rubric: { id: 'seb', version: '1.0', sha256: 'ab'.repeat(32) },
    candidate: { name: 'model-x', signed: true, worksheets: 6 },
    reference: { graders: [{ name: 'Ada', signed: true, worksheets: 6 }, { name: 'Bo, "the second"', signed: false, worksheets: 6 }], combined: 'mean', description: 'the mean of 2 graders' },
    sources: [], excluded: [], points: {}, disagreements: [], warnings: [],
    dimensions: [
      stats({ id: 'plan', title: 'Plan quality', ceiling: 20 }),
      stats({ id: 'wiring', title: '=HYPERLINK("http://x")', ceiling: 10, n: 6, candidateMean: 5, referenceMean: 5, bias: est(0, null, null, 'no variance in the differences'),
        sd: { value: 0 }, mae: { value: 0 }, rmse: { value: 0 }, maeShare: { value: 0 }, rmseShare: { value: 0 },
        loa: { lower: est(0, null, null, 'no variance'), upper: est(0, null, null, 'no variance') }, ccc: { value: null, reason: 'no variance' },
        icc: none('no variance between runs') }),
    ],
    total: stats({ id: 'total', title: 'Total', ceiling: 30, bias: est(-1.5, -3, 0), candidateMean: 15, referenceMean: 16.5 }),
  };
}

const lines = (text: string) => {
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  return text.slice(0, -2).split('\r\n');
};

test('csvField: numbers as printed, text quoted per RFC 4180, formula starts neutralised in text only', () => {
  assert.equal(csvField(1.5), '1.5');
  assert.equal(csvField(-2), '-2', 'a negative number is a number, not a formula');
  assert.equal(csvField(0), '0');
  assert.equal(csvField(null), '');
  assert.equal(csvField(Number.NaN), '');
  assert.equal(csvField(Infinity), '');
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField('=1+2'), "'=1+2");
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-1'), "'-1", 'text that looks like a negative number is still text');
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('\rx'), `"'\rx"`);
  assert.equal(csvField('=A1,B1'), `"'=A1,B1"`);
  assert.equal(csvField('a=b'), 'a=b', 'only the first character matters');
});

test('calibrationCsv: one header row, a row per dimension and the total, reasons for what is undefined', () => {
  const rows = lines(calibrationCsv(calibration()));
  assert.equal(rows.length, 4);
  assert.equal(rows[0], 'rubric,rubric_version,candidate,reference,dimension,title,ceiling,n,candidate_mean,reference_mean,' +
    'bias,bias_lower,bias_upper,bias_share,bias_share_lower,bias_share_upper,sd,mae,mae_share,rmse,rmse_share,' +
    'loa_lower,loa_lower_lower,loa_lower_upper,loa_upper,loa_upper_lower,loa_upper_upper,ccc,icc_a1,icc_a1_lower,icc_a1_upper,reasons');
  assert.equal(rows[0], CALIBRATION_CSV_COLUMNS.join(','));
  const ref = '"mean of Ada; Bo, ""the second"""';
  assert.equal(rows[1], `seb,1.0,model-x,${ref},plan,Plan quality,20,6,10,9,1,-0.5,2.5,0.05,-0.025,0.125,1.5,1.25,0.0625,1.75,0.0875,` +
    '-1.94,-3.5,-0.4,3.94,2.4,5.5,0.8,0.75,0.2,0.95,');
  assert.equal(rows[2], `seb,1.0,model-x,${ref},wiring,"'=HYPERLINK(""http://x"")",10,6,5,5,0,,,0,,,0,0,0,0,0,` +
    '0,,,0,,,,,,,' +
    'bias_interval: no variance in the differences; loa_lower_interval: no variance; loa_upper_interval: no variance; ' +
    'ccc: no variance; icc_a1: no variance between runs');
  assert.equal(rows[3], `seb,1.0,model-x,${ref},total,Total,30,6,15,16.5,-1.5,-3,0,-0.05,-0.1,0,1.5,1.25,0.0625,1.75,0.0875,` +
    '-1.94,-3.5,-0.4,3.94,2.4,5.5,0.8,0.75,0.2,0.95,');
  for (const r of rows) assert.ok(!/NaN|undefined|null/.test(r), r);
});

test('calibrationCsv: a share computed from the bias has no floating-point noise', () => {
  const report = calibration();
  report.reference = { graders: [{ name: 'Ada', signed: true, worksheets: 6 }], combined: 'single', description: 'Ada' };
  report.dimensions = [stats({ id: 'plan', title: 'Plan', ceiling: 20, bias: est(1.4566, 0.0434, 1.4566) })];
  const row = lines(calibrationCsv(report))[1]?.split(',') ?? [];
  assert.equal(row.length, CALIBRATION_CSV_COLUMNS.length);
  const at = (name: (typeof CALIBRATION_CSV_COLUMNS)[number]) => row[CALIBRATION_CSV_COLUMNS.indexOf(name)];
  assert.equal(1.4566 / 20, 0.07282999999999999, 'the noise this is about');
  assert.equal(at('bias_share'), '0.07283');
  assert.equal(at('bias_share_lower'), '0.00217');
});

test('calibrationCsv: a single reference grader is named as is; a hostile grader name is text', () => {
  const report = calibration();
  report.reference = { graders: [{ name: '@evil', signed: false, worksheets: 1 }], combined: 'single', description: 'one grader' };
  report.candidate.name = '-cmd|calc';
  report.dimensions = [];
  report.total = stats({ id: 'total', title: 'Total', ceiling: 100, n: 1, candidateMean: 60, referenceMean: null, bias: none('fewer than 2 runs'),
    sd: { value: null, reason: 'fewer than 2 runs' }, mae: { value: 4 }, rmse: { value: 4 }, maeShare: { value: 0.04 }, rmseShare: { value: 0.04 },
    loa: { lower: none('fewer than 2 runs'), upper: none('fewer than 2 runs') }, ccc: { value: null }, icc: none('fewer than 2 runs') });
  const rows = lines(calibrationCsv(report));
  assert.equal(rows.length, 2);
  assert.equal(rows[1], "seb,1.0,'-cmd|calc,'@evil,total,Total,100,1,60,,,,,,,,,4,0.04,4,0.04,,,,,,,,,,," +
    'reference_mean: no runs; bias: fewer than 2 runs; sd: fewer than 2 runs; loa_lower: fewer than 2 runs; loa_upper: fewer than 2 runs; ' +
    'ccc: undefined; icc_a1: fewer than 2 runs');
});

function agreementStats(id: string, title: string, ceiling: number, icc: Partial<Record<IccForm, Estimate>>, alpha: number | null, alphaReason?: string): AgreementStats {
  const all: Record<IccForm, Estimate> = {
    '1,1': est(0.5, 0.1, 0.8), 'A,1': est(0.55, 0.15, 0.82), 'C,1': est(0.6, 0.2, 0.85),
    '1,k': est(0.67, 0.18, 0.89), 'A,k': est(0.71, 0.26, 0.9), 'C,k': est(0.75, 0.33, 0.92), ...icc,
  };
  return { id, title, ceiling, n: 5, k: 2, icc: all, alpha, ...(alphaReason !== undefined ? { alphaReason } : {}), pairable: 6 };
}

test('agreementCsv: wide, one row per dimension and the total, each ICC form with its interval, alpha and reasons', () => {
  const report: AgreementReport = {
    format: 'seb-review/agreement@1', rubric: { id: 'seb', version: '1.0', sha256: 'cd'.repeat(32) },
    graders: [{ name: 'Ada', signed: true, worksheets: 6 }, { name: '+Bo', signed: false, worksheets: 5 }],
    runs: [], sources: [], excluded: [], notes: [],
    dimensions: [agreementStats('plan', 'Plan', 20, {}, 0.52), agreementStats('durability', 'Durability', 3, { 'C,k': none('no variance') }, null, 'no variance')],
    total: agreementStats('total', 'Total', 23, { 'A,1': est(0.4, null, null, 'F is undefined') }, -0.1),
  };
  const rows = lines(agreementCsv(report));
  assert.equal(rows.length, 4);
  assert.equal(rows[0], 'rubric,rubric_version,graders,dimension,title,ceiling,n,k,pairable,' +
    'icc_1_1,icc_1_1_lower,icc_1_1_upper,icc_a_1,icc_a_1_lower,icc_a_1_upper,icc_c_1,icc_c_1_lower,icc_c_1_upper,' +
    'icc_1_k,icc_1_k_lower,icc_1_k_upper,icc_a_k,icc_a_k_lower,icc_a_k_upper,icc_c_k,icc_c_k_lower,icc_c_k_upper,alpha,reasons');
  assert.equal(rows[0], AGREEMENT_CSV_COLUMNS.join(','));
  assert.equal(rows[1], 'seb,1.0,Ada; +Bo,plan,Plan,20,5,2,6,0.5,0.1,0.8,0.55,0.15,0.82,0.6,0.2,0.85,0.67,0.18,0.89,0.71,0.26,0.9,0.75,0.33,0.92,0.52,');
  assert.equal(rows[2], 'seb,1.0,Ada; +Bo,durability,Durability,3,5,2,6,0.5,0.1,0.8,0.55,0.15,0.82,0.6,0.2,0.85,0.67,0.18,0.89,0.71,0.26,0.9,,,,,' +
    'icc_c_k: no variance; alpha: no variance');
  assert.equal(rows[3], 'seb,1.0,Ada; +Bo,total,Total,23,5,2,6,0.5,0.1,0.8,0.4,,,0.6,0.2,0.85,0.67,0.18,0.89,0.71,0.26,0.9,0.75,0.33,0.92,-0.1,' +
    'icc_a_1_interval: F is undefined');
});
