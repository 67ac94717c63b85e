import { ICC_FORMS, type AgreementReport, type AgreementStats, type CalibrationReport, type CalibrationStats, type Estimate, type Value } from './types';

/**
 * The numbers of a calibration or agreement report as CSV (RFC 4180): one header row, then one row per dimension and a
 * last row for the total (its `dimension` is the total's id). Lines end with CRLF; a field holding a comma, a double
 * quote, CR or LF is quoted, its quotes doubled.
 *
 * Numbers are written as JavaScript prints them (full precision, "-" for negatives, "." for decimals; the bias_share
 * columns, computed here, to 12 significant digits). A statistic that
 * is undefined is an empty cell, and the row's `reasons` cell says why ("bias_lower: fewer than 2 runs; ccc: …").
 *
 * Text cells (ids, titles, grader names, reasons) may come from worksheets anyone wrote: one that begins with =, +, -,
 * @, a tab or CR is prefixed with a single quote, so that a spreadsheet shows it as text instead of running it as a
 * formula. Number cells are never prefixed (a negative bias stays a number).
 *
 * calibrationCsv columns:
 *   rubric, rubric_version   the rubric's id and version
 *   candidate                the candidate grader's name
 *   reference                the reference graders' names, "; "-separated ("mean of" them when there are several)
 *   dimension, title, ceiling, n
 *   candidate_mean, reference_mean                       points
 *   bias, bias_lower, bias_upper                         mean of candidate − reference, points, with its 95% interval
 *   bias_share, bias_share_lower, bias_share_upper       the same as a share of the ceiling (0..1)
 *   sd                                                   SD of the differences, points
 *   mae, mae_share, rmse, rmse_share                     points, and as a share of the ceiling (0..1)
 *   loa_lower, loa_lower_lower, loa_lower_upper          lower limit of agreement (bias − 1.96 SD) with its 95% interval
 *   loa_upper, loa_upper_lower, loa_upper_upper          upper limit of agreement (bias + 1.96 SD) with its 95% interval
 *   ccc                                                  Lin's concordance correlation coefficient
 *   icc_a1, icc_a1_lower, icc_a1_upper                   ICC(A,1) of candidate and reference with its 95% interval
 *   reasons                                              why each empty statistic is undefined
 *
 * agreementCsv columns (wide: one row per dimension, every statistic a column):
 *   rubric, rubric_version, graders ("; "-separated)
 *   dimension, title, ceiling
 *   n, k                                                 runs and graders in the complete matrix ICC uses
 *   pairable                                             runs with at least two scores (what alpha uses)
 *   icc_1_1, icc_1_1_lower, icc_1_1_upper, then the same for a_1, c_1, 1_k, a_k, c_k (ICC forms, 95% intervals)
 *   alpha                                                Krippendorff's alpha, interval metric
 *   reasons                                              why each empty statistic is undefined
 */

type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: a number as printed (empty when null or not finite), text made safe and quoted as RFC 4180 requires. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows].map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Collects the reasons of a row's undefined statistics, by column name. */
class Reasons {
  private readonly list: string[] = [];

  value(name: string, v: Value): number | null {
    const value = finite(v.value);
    if (value === null) this.list.push(`${name}: ${v.reason ?? 'undefined'}`);
    return value;
  }

  /** The value and its interval; a bound missing while the value is there has its own reason. */
  estimate(name: string, e: Estimate): [number | null, number | null, number | null] {
    const value = finite(e.value);
    const lower = finite(e.lower);
    const upper = finite(e.upper);
    if (value === null) this.list.push(`${name}: ${e.reason ?? 'undefined'}`);
    else if (lower === null || upper === null) this.list.push(`${name}_interval: ${e.reason ?? 'undefined'}`);
    return [value, lower, upper];
  }

  plain(name: string, v: number | null, reason = 'no runs'): number | null {
    const value = finite(v);
    if (value === null) this.list.push(`${name}: ${reason}`);
    return value;
  }

  get text(): string {
    return this.list.join('; ');
  }
}

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A share computed here (bias / ceiling), to 12 significant digits: 0.07283, not 0.07282999999999999. */
const share = (v: number | null, ceiling: number): number | null => (v === null || !(ceiling > 0) ? null : Number((v / ceiling).toPrecision(12)));

export const CALIBRATION_CSV_COLUMNS = [
  'rubric', 'rubric_version', 'candidate', 'reference', 'dimension', 'title', 'ceiling', 'n', 'candidate_mean', 'reference_mean',
  'bias', 'bias_lower', 'bias_upper', 'bias_share', 'bias_share_lower', 'bias_share_upper', 'sd', 'mae', 'mae_share', 'rmse', 'rmse_share',
  'loa_lower', 'loa_lower_lower', 'loa_lower_upper', 'loa_upper', 'loa_upper_lower', 'loa_upper_upper', 'ccc',
  'icc_a1', 'icc_a1_lower', 'icc_a1_upper', 'reasons',
] as const;

export function calibrationCsv(report: CalibrationReport): string {
  const names = report.reference.graders.map(g => g.name).join('; ');
  const reference = report.reference.combined === 'mean' && report.reference.graders.length > 1 ? `mean of ${names}` : names;
  const row = (s: CalibrationStats): Cell[] => {
    const r = new Reasons();
    const candidateMean = r.plain('candidate_mean', s.candidateMean);
    const referenceMean = r.plain('reference_mean', s.referenceMean);
    const bias = r.estimate('bias', s.bias);
    const sd = r.value('sd', s.sd);
    const mae = r.value('mae', s.mae);
    const maeShare = r.value('mae_share', s.maeShare);
    const rmse = r.value('rmse', s.rmse);
    const rmseShare = r.value('rmse_share', s.rmseShare);
    const loaLower = r.estimate('loa_lower', s.loa.lower);
    const loaUpper = r.estimate('loa_upper', s.loa.upper);
    const ccc = r.value('ccc', s.ccc);
    const icc = r.estimate('icc_a1', s.icc);
    return [
      report.rubric.id, report.rubric.version, report.candidate.name, reference, s.id, s.title, s.ceiling, s.n, candidateMean, referenceMean,
      ...bias, ...bias.map(v => share(v, s.ceiling)), sd, mae, maeShare, rmse, rmseShare, ...loaLower, ...loaUpper, ccc, ...icc, r.text,
    ];
  };
  return csv(CALIBRATION_CSV_COLUMNS, [...report.dimensions, report.total].map(row));
}

const formColumn = (form: string) => `icc_${form.toLowerCase().replace(',', '_')}`;

export const AGREEMENT_CSV_COLUMNS = [
  'rubric', 'rubric_version', 'graders', 'dimension', 'title', 'ceiling', 'n', 'k', 'pairable',
  ...ICC_FORMS.flatMap(f => [formColumn(f), `${formColumn(f)}_lower`, `${formColumn(f)}_upper`]), 'alpha', 'reasons',
] as const;

export function agreementCsv(report: AgreementReport): string {
  const graders = report.graders.map(g => g.name).join('; ');
  const row = (s: AgreementStats): Cell[] => {
    const r = new Reasons();
    const icc = ICC_FORMS.flatMap(f => r.estimate(formColumn(f), s.icc[f]));
    const alpha = r.plain('alpha', s.alpha, s.alphaReason ?? 'undefined');
    return [report.rubric.id, report.rubric.version, graders, s.id, s.title, s.ceiling, s.n, s.k, s.pairable, ...icc, alpha, r.text];
  };
  return csv(AGREEMENT_CSV_COLUMNS, [...report.dimensions, report.total].map(row));
}
