import * as z from 'zod';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import './zod-setup';
import { SebError } from './errors';
import { relativePathProblem } from './relative-path';

/** The optional run manifest at a run's root. */
export const MANIFEST_FILE = 'seb-run.json';

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

/** "baseline.ref", "testLogs[2]", or "(root)" for an issue about the whole document. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out ? '.' : '') + String(seg);
  }
  return out || '(root)';
}

export interface FieldProblem {
  field: string;
  path: readonly PropertyKey[];
  message: string;
  /** The problem is the key itself (a field that should not be there), not its value. */
  onKey?: boolean;
}

export function describeIssues(error: z.ZodError): FieldProblem[] {
  return error.issues.map(issue => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({ field: fieldPath([...path, key]), path: [...path, key], message: 'is not a known field', onKey: true }));
    }
    return [{ field: fieldPath(path), path, message: issue.message }];
  }).flat();
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/**
 * Where JSON text stops being JSON, as "line L, column C: <what>", without quoting the text (a manifest may be a link
 * to a secret; JSON.parse's own message repeats the content).
 */
export function jsonSyntaxProblem(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'is not valid JSON';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `is not valid JSON: ${printParseErrorCode(first.error)} at line ${line}, column ${column}`;
}

/** Parses JSON text; a syntax error becomes a problem on "(root)" that says where (never what the text says). */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problems: [{ field: '(root)', path: [], message: jsonSyntaxProblem(text) }] };
  }
}

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
