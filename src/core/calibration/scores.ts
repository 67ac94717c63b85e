import type { ResolvedRubric } from '../attestation';
import type { ScoredSheet } from './inputs';

/** The id of the total in reports, beside the rubric's dimension ids. */
export const TOTAL = 'total';

/** A sheet's points on a dimension, or its total; undefined when it has none (a reference profile's unpublished dimension). */
export function scoreOf(s: ScoredSheet, dimension: string): number | undefined {
  return dimension === TOTAL ? s.total : s.points.get(dimension);
}

/** Every dimension of the rubric, then the total: id, title and ceiling. */
export function dimensionsOf(rubric: ResolvedRubric): Array<{ id: string; title: string; ceiling: number }> {
  return [...rubric.rubric.dimensions.map(d => ({ id: d.id, title: d.title, ceiling: d.ceiling })),
    { id: TOTAL, title: 'Total', ceiling: rubric.rubric.total }];
}
