import * as z from 'zod';
import { isMultiple, checkWith, type Rubric } from './rubric';
import { fieldPath, type FieldProblem, type ParseResult } from './parse-result';

/**
 * Reference score profiles (rubric/*.references.json): the published totals of a benchmark version, with
 * per-dimension scores where the benchmark published them and the individual graders' totals where several graded.
 * Used for calibration and as examples. The schema checks what a profile says about itself (its scores add up to its
 * total, its graders' mean is its total); checkReferencesAgainstRubric checks it against the rubric it names.
 */

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and "-" (at most 64), starting with a letter or digit');
const Score = z.number().finite().min(0, 'must not be below zero');

/** How a profile's per-dimension scores are known. */
export const DimensionScoresSchema = z.enum(['published', 'reconstructed', 'measured-unpublished', 'unpublished']).describe(
  'published: the benchmark published them; reconstructed: rebuilt from evidence so they sum to the official total; '
  + 'measured-unpublished: measured but not published; unpublished: not published',
);
const WITH_SCORES: ReadonlySet<string> = new Set(['published', 'reconstructed']);

export const GraderTotalSchema = z.strictObject({
  name: z.string().min(1).describe('The grader, as the benchmark names it'),
  total: Score.describe("The grader's own total"),
});

export const AggregationSchema = z.strictObject({
  method: z.literal('mean').describe('How the graders\' totals were combined into the profile\'s total'),
  graders: z.array(GraderTotalSchema).min(2, 'must list at least two graders').describe('Each grader\'s total, kept next to the aggregate'),
});

export const ProfileSchema = z
  .strictObject({
    id: Id.describe('A stable id for this profile'),
    label: z.string().min(1).describe('How the benchmark page names the run'),
    kind: z.enum(['model', 'human']),
    model: z.strictObject({
      name: z.string().min(1),
      config: z.string().min(1).optional().describe('Reasoning setting or effort, as published'),
      planBy: z.string().min(1).optional().describe('Who wrote the plan the run executed, when it was not the model itself'),
    }).optional(),
    total: Score.describe('The official total'),
    dimensionScores: DimensionScoresSchema,
    dimensions: z.record(Id, Score).optional().describe('Points per rubric dimension id; present only when dimensionScores is published or reconstructed'),
    aggregation: AggregationSchema.optional(),
    notes: z.array(z.string().min(1)).describe('What the benchmark page says about this profile'),
  })
  .superRefine((p, ctx) => {
    if (p.dimensions !== undefined && !WITH_SCORES.has(p.dimensionScores)) {
      ctx.addIssue({ code: 'custom', path: ['dimensions'], message: `are given, but "dimensionScores" is "${p.dimensionScores}"` });
    }
    if (p.dimensions === undefined && WITH_SCORES.has(p.dimensionScores)) {
      ctx.addIssue({ code: 'custom', path: ['dimensions'], message: `is missing, but "dimensionScores" is "${p.dimensionScores}"` });
    }
    if (p.dimensions !== undefined) {
      const scores = Object.values(p.dimensions);
      const sum = scores.reduce((n, s) => n + s, 0);
      if (!same(sum, p.total)) {
        ctx.addIssue({
          code: 'custom', path: ['total'],
          message: `is ${p.total}, but the dimension scores add up to ${round(sum)} (${scores.join(' + ') || 'none'})`,
        });
      }
    }
    if (p.aggregation !== undefined) {
      const totals = p.aggregation.graders.map(g => g.total);
      const mean = totals.reduce((n, t) => n + t, 0) / totals.length;
      if (!same(mean, p.total)) {
        ctx.addIssue({
          code: 'custom', path: ['total'],
          message: `is ${p.total}, but the mean of the graders' totals (${totals.join(', ')}) is ${round(mean)}`,
        });
      }
    }
    if (p.kind === 'human' && p.model !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: 'is only for model runs, but "kind" is "human"' });
    }
  });

export const ReferencesSchema = z
  .strictObject({
    $schema: z.string().optional(),
    rubric: z.strictObject(
      { id: Id, version: z.string().min(1) },
      { error: 'must be {"id": "<rubric id>", "version": "<rubric version>"}' },
    ).describe('The rubric these scores were given on'),
    source: z.string().min(1).describe('Where the scores were published'),
    notes: z.array(z.string().min(1)).describe('What the source says about all the profiles'),
    profiles: z.array(ProfileSchema).min(1, 'must list at least one profile'),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.profiles.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['profiles', i, 'id'], message: `"${p.id}" is used by two profiles` });
      seen.add(p.id);
    });
  });

export type References = z.infer<typeof ReferencesSchema>;
export type ReferenceProfile = z.infer<typeof ProfileSchema>;

export function checkReferences(text: string): ParseResult<References> {
  return checkWith(ReferencesSchema, text);
}

/**
 * Checks references against the rubric they were given on: the rubric is the one named, every dimension id is the
 * rubric's and none is missing, and every score and total is within its ceiling and a multiple of the step.
 */
export function checkReferencesAgainstRubric(refs: References, rubric: Rubric): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: PropertyKey[], message: string): void => { problems.push({ field: fieldPath(path), path, message }); };
  if (refs.rubric.id !== rubric.id || refs.rubric.version !== rubric.version) {
    add(['rubric'], `names rubric ${refs.rubric.id} ${refs.rubric.version}, but was checked against rubric ${rubric.id} ${rubric.version}`);
  }
  const ceilings = new Map(rubric.dimensions.map(d => [d.id, d.ceiling]));
  const checkScore = (path: PropertyKey[], value: number, ceiling: number, what: string): void => {
    if (value > ceiling) add(path, `is ${value}, above ${what} of ${ceiling}`);
    else if (!isMultiple(value, rubric.step)) add(path, `is ${value}, not a multiple of the rubric's step ${rubric.step}`);
  };
  refs.profiles.forEach((p, i) => {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['profiles', i, ...rest];
    checkScore(at('total'), p.total, rubric.total, "the rubric's total");
    p.aggregation?.graders.forEach((g, j) => checkScore(at('aggregation', 'graders', j, 'total'), g.total, rubric.total, "the rubric's total"));
    const dims = p.dimensions;
    if (dims === undefined) return;
    for (const [id, value] of Object.entries(dims)) {
      const ceiling = ceilings.get(id);
      if (ceiling === undefined) add(at('dimensions', id), `is not a dimension of rubric ${rubric.id} ${rubric.version} (${[...ceilings.keys()].join(', ')})`);
      else checkScore(at('dimensions', id), value, ceiling, 'the ceiling');
    }
    const missing = rubric.dimensions.filter(d => !Object.hasOwn(dims, d.id)).map(d => d.id);
    if (missing.length > 0) add(at('dimensions'), `lacks ${missing.map(m => `"${m}"`).join(', ')}`);
  });
  return problems;
}

function same(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9;
}

/** 62.49999999 -> 62.5 in messages. */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
