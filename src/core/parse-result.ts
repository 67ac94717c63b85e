import type * as z from 'zod';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import './zod-setup';

/**
 * Results of parsing a JSON document against a schema, and the problems as fields and messages: shared by every format
 * (manifest, rubric, references, worksheet, envelope), so reading one format loads no other's schema.
 */

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

