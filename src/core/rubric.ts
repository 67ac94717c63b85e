import * as z from 'zod';
import { SebError } from './errors';
import { describeIssues, parseJsonText, type FieldProblem, type ParseResult } from './parse-result';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and "-" (at most 64), starting with a letter or digit');

export const DimensionSchema = z.strictObject({
  id: Id,
  title: z.string().min(1),
  description: z.string().min(1),
  ceiling: z.number().positive('must be more than 0').finite(),
  /** What the benchmark says reviewers reward and penalise on this dimension. */
  guidance: z.strictObject({
    rewards: z.array(z.string().min(1)),
    penalises: z.array(z.string().min(1)),
  }),
});

export const RubricSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: Id,
    version: z.string().min(1),
    title: z.string().min(1),
    total: z.number().positive().finite(),
    /** Points are given in multiples of this (0.5: half points). */
    step: z.number().positive().finite(),
    dimensions: z.array(DimensionSchema).min(1, 'must list at least one dimension'),
  })
  .superRefine((r, ctx) => {
    const sum = r.dimensions.reduce((n, d) => n + d.ceiling, 0);
    if (Math.abs(sum - r.total) > 1e-9) {
      ctx.addIssue({
        code: 'custom', path: ['total'],
        message: `is ${r.total}, but the dimensions' ceilings add up to ${sum} (${r.dimensions.map(d => d.ceiling).join(' + ')})`,
      });
    }
    const seen = new Set<string>();
    r.dimensions.forEach((d, i) => {
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'id'], message: `"${d.id}" is used by two dimensions` });
      seen.add(d.id);
      if (!isMultiple(d.ceiling, r.step)) {
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'ceiling'], message: `${d.ceiling} is not a multiple of the step ${r.step}` });
      }
    });
  });

export type Rubric = z.infer<typeof RubricSchema>;
export type Dimension = z.infer<typeof DimensionSchema>;

export function isMultiple(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function checkWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  const json = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: describeIssues(parsed.error) };
}

export function checkRubric(text: string): ParseResult<Rubric> {
  return checkWith(RubricSchema, text);
}

/** Throws a SebError that names the file and each bad field. */
export function parseRubric(text: string, file: string): Rubric {
  return orThrow(checkRubric(text), file);
}

export function orThrow<T>(result: ParseResult<T>, file: string): T {
  if (result.ok) return result.value;
  throw new SebError('bad-manifest', `${file}: ${formatProblems(result.problems)}`, file);
}

export function formatProblems(problems: readonly FieldProblem[]): string {
  return problems.map(p => `field "${p.field}" ${p.message}`).join('; ');
}

export { checkWith };
