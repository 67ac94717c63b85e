import { isMultiple, type Dimension, type Rubric } from './rubric';

export type PointsProblem = 'empty' | 'not-a-number' | 'negative' | 'above-ceiling' | 'off-step';

export type PointsCheck = { ok: true; value: number } | { ok: false; kind: PointsProblem; reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Checks points as the reviewer typed them. Nothing is clamped or rounded: an entry that is not a number, below zero,
 * above the ceiling or off the step is invalid, with the reason, and counts for nothing in the total.
 */
export function checkPoints(typed: string, dimension: Pick<Dimension, 'ceiling'>, step: number): PointsCheck {
  const text = typed.trim();
  if (text === '') return { ok: false, kind: 'empty', reason: 'no points yet' };
  if (!NUMBER.test(text)) return { ok: false, kind: 'not-a-number', reason: `"${typed}" is not a number` };
  const value = Number(text);
  if (value < 0) return { ok: false, kind: 'negative', reason: `${text} is below zero` };
  if (value > dimension.ceiling) return { ok: false, kind: 'above-ceiling', reason: `${text} is above the ceiling of ${dimension.ceiling}` };
  if (!isMultiple(value, step)) return { ok: false, kind: 'off-step', reason: `${text} is not a multiple of ${step}` };
  return { ok: true, value };
}

export interface DimensionEvaluation {
  id: string;
  ceiling: number;
  check: PointsCheck;
  hasRationale: boolean;
}

export interface Evaluation {
  /** Sum of the valid entries only. */
  total: number;
  max: number;
  dimensions: DimensionEvaluation[];
  /** Ids of dimensions whose points are missing or invalid. */
  unscored: string[];
  /** Ids of dimensions without a rationale. */
  withoutRationale: string[];
  complete: boolean;
}

export interface Entry {
  points: string;
  rationale: string;
}

/** Rounds away binary noise from adding halves (0.1 + 0.2 style): totals are multiples of the step. */
export function roundToStep(value: number, step: number): number {
  return Math.round(value / step) * step;
}

export function evaluate(rubric: Rubric, entries: Readonly<Record<string, Entry | undefined>>): Evaluation {
  const dims = rubric.dimensions.map(d => {
    const e = entries[d.id];
    return { id: d.id, ceiling: d.ceiling, check: checkPoints(e?.points ?? '', d, rubric.step), hasRationale: (e?.rationale ?? '').trim().length > 0 };
  });
  const total = roundToStep(dims.reduce((n, d) => n + (d.check.ok ? d.check.value : 0), 0), rubric.step);
  const unscored = dims.filter(d => !d.check.ok).map(d => d.id);
  const withoutRationale = dims.filter(d => !d.hasRationale).map(d => d.id);
  return { total, max: rubric.total, dimensions: dims, unscored, withoutRationale, complete: unscored.length === 0 && withoutRationale.length === 0 };
}

/** "63 / 100", "62.5 / 100". */
export function formatTotal(e: Pick<Evaluation, 'total' | 'max'>): string {
  return `${e.total} / ${e.max}`;
}
