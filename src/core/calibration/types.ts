/**
 * The shapes of agreement and calibration reports (`seb-review agreement`, `seb-review calibrate`, the Calibration
 * view). Types only: the webview bundles them through src/protocol.
 *
 * Every statistic that cannot be computed (no variance, too few runs) is `null` with a `reason`, never NaN.
 */

/** A value with its 95% interval; `null` with the reason when undefined. */
export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  reason?: string;
}

/** A value without an interval; `null` with the reason when undefined. */
export interface Value {
  value: number | null;
  reason?: string;
}

export const ICC_FORMS = ['1,1', 'A,1', 'C,1', '1,k', 'A,k', 'C,k'] as const;
export type IccForm = (typeof ICC_FORMS)[number];

export interface RubricRef {
  id: string;
  version: string;
  sha256: string;
}

/** One worksheet that was read: who graded which run, and whether a verified signature backs it. */
export interface SourceWorksheet {
  file: string;
  runId: string;
  /** The verified signer's identity when signed, else the worksheet's grader.name. */
  grader: string;
  signed: boolean;
  /** "worksheet" (signed or plain), or "references" (a published reference profile). */
  kind: 'worksheet' | 'references';
  total: number;
}

/** A file or a run left out, and why (failed verification, a duplicate, a run without every grader's score). */
export interface Excluded {
  /** The file left out, when a file. */
  file?: string;
  /** The run left out of ICC, when a run. */
  runId?: string;
  /** The dimension it applies to, when only one ("total" for the total). */
  dimension?: string;
  reason: string;
}

export interface GraderInfo {
  name: string;
  /** Whether every one of this grader's worksheets carries a verified signature. */
  signed: boolean;
  worksheets: number;
}

/** Agreement among all graders on one dimension (or on the total). */
export interface AgreementStats {
  id: string;
  title: string;
  ceiling: number;
  /** Runs in the complete runs × graders matrix that ICC is computed on. */
  n: number;
  /** Graders in that matrix. */
  k: number;
  icc: Record<IccForm, Estimate>;
  /** Krippendorff's alpha with the interval metric, over every pairable run (missing values allowed). */
  alpha: number | null;
  alphaReason?: string;
  /** Runs with at least two scores (the runs alpha can use). */
  pairable: number;
}

export interface AgreementReport {
  format: 'seb-review/agreement@1';
  rubric: RubricRef;
  graders: GraderInfo[];
  runs: string[];
  sources: SourceWorksheet[];
  excluded: Excluded[];
  dimensions: AgreementStats[];
  total: AgreementStats;
  notes: string[];
}

/** The candidate against the reference on one dimension (or the total), over the runs both scored. */
export interface CalibrationStats {
  id: string;
  title: string;
  ceiling: number;
  n: number;
  candidateMean: number | null;
  referenceMean: number | null;
  /** Mean of candidate − reference, with its t interval. */
  bias: Estimate;
  /** Standard deviation of the differences (n − 1). */
  sd: Value;
  mae: Value;
  rmse: Value;
  /** MAE and RMSE as a share of the ceiling (0..1). */
  maeShare: Value;
  rmseShare: Value;
  /** Bland–Altman limits of agreement, bias ± 1.96 SD, each with its interval (Bland & Altman 1986). */
  loa: { lower: Estimate; upper: Estimate };
  /** Lin's concordance correlation coefficient. */
  ccc: Value;
  /** ICC(A,1) of candidate and reference (two raters). */
  icc: Estimate;
}

/** One run's scores on one dimension, for plots and tables. */
export interface CalibrationPoint {
  runId: string;
  candidate: number;
  reference: number;
}

/** What one grader wrote for one dimension of one run. */
export interface GraderEntry {
  grader: string;
  file: string;
  points: number;
  rationale: string;
  evidence: Array<{ side: 'baseline' | 'run'; path: string; startLine: number; endLine: number; note?: string }>;
  /** The trees the worksheet was scored on (none for a published reference profile). */
  trees?: { baseline: string; run: string };
}

export interface Disagreement {
  runId: string;
  dimension: string;
  title: string;
  ceiling: number;
  /** candidate − reference, in points. */
  difference: number;
  candidate: GraderEntry;
  /** The reference graders' entries (their mean is the reference when there are several). */
  references: GraderEntry[];
  reference: number;
}

export interface CalibrationReport {
  format: 'seb-review/calibration@1';
  rubric: RubricRef;
  candidate: GraderInfo;
  reference: {
    graders: GraderInfo[];
    /** "single": one reference grader; "mean": the mean of the reference graders' scores per run. */
    combined: 'single' | 'mean';
    description: string;
  };
  sources: SourceWorksheet[];
  excluded: Excluded[];
  /** Per dimension (and total), every run both scored. */
  points: Record<string, CalibrationPoint[]>;
  dimensions: CalibrationStats[];
  total: CalibrationStats;
  /** The largest absolute differences, largest first. */
  disagreements: Disagreement[];
  /** Always present when n < 5: the intervals are too wide to conclude. */
  warnings: string[];
}
