import * as z from 'zod';
import { describeIssues, parseJsonText, type ParseResult } from './parse-result';
import { SebError } from './errors';
import { relativePathProblem } from './relative-path';

export { MANIFEST_FILE } from './manifest-name';

const RelativePath = z.string().superRefine((p, ctx) => {
  const problem = relativePathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p)} ${problem}` });
});

const GitRef = z
  .string()
  .min(1, 'is empty')
  .regex(/^[^\s\0-][^\s\0]*$/, 'must be a git revision: no spaces, and not starting with "-"');

export const RunManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  runId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  benchmark: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }).optional(),
  model: z.strictObject({ name: z.string().min(1), config: z.string().optional() }).optional(),
  baseline: z
    .union([
      z.strictObject({ ref: GitRef }),
      z.strictObject({ path: z.string().min(1) }),
    ], { error: 'must be {"ref": "<git ref>"} or {"path": "<checkout folder>"}' })
    .optional(),
  head: z.strictObject({ ref: GitRef }).optional(),
  plan: RelativePath.optional(),
  testLogs: z.array(RelativePath).optional(),
  authority: z.array(z.strictObject({ path: RelativePath, symbol: z.string().min(1) })).optional(),
  /** A rubric file inside the run (a relative path), or the file name of a rubric packaged with SEB Review. */
  rubric: RelativePath.optional(),
  /**
   * Blind grading: other graders' worksheets for this run stay hidden in the rubric form and the audit view until the
   * reviewer's own worksheet for it is signed.
   */
  blindGrading: z.boolean().optional(),
});

export type RunManifest = z.infer<typeof RunManifestSchema>;

export { fieldPath, describeIssues, jsonSyntaxProblem, parseJsonText, type FieldProblem, type ParseResult } from './parse-result';

export function checkManifest(text: string): ParseResult<RunManifest> {
  const json = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!json.ok) return json;
  const parsed = RunManifestSchema.safeParse(json.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: describeIssues(parsed.error) };
}

/** Parses a manifest or throws a SebError that names the file and the first bad field. */
export function parseManifest(text: string, file: string): RunManifest {
  const result = checkManifest(text);
  if (result.ok) return result.value;
  const list = result.problems.map(p => `field "${p.field}" ${p.message}`).join('; ');
  throw new SebError('bad-manifest', `${file}: ${list}`, file);
}
