import { printParseErrorCode, visit } from 'jsonc-parser';
import { fieldPath } from '../parse-result';
import { jsonDepthProblem } from './input-limits';

export type StrictJson =
  | { ok: true; value: unknown }
  /** `field`: where the problem is ("(root)" for a syntax error, the duplicated key's path otherwise). */
  | { ok: false; field: string; message: string };

/**
 * Parses JSON strictly, for input that is signed or checks signatures: no comments, no trailing commas, and no key
 * twice in one object (JSON.parse silently keeps the last one, so the text someone read and the value checked could
 * differ). A syntax error, a truncated text included, says where: line, column and offset. Nesting deeper than
 * MAX_JSON_DEPTH is refused before the (recursive) parsers see it.
 */
export function parseStrictJson(text: string): StrictJson {
  const deep = jsonDepthProblem(text);
  if (deep !== undefined) return { ok: false, field: '(root)', message: deep };
  const problems: Array<{ field: string; message: string }> = [];
  const stack: Array<Set<string>> = [];
  visit(text, {
    onObjectBegin: () => {
      stack.push(new Set());
    },
    onObjectEnd: () => {
      stack.pop();
    },
    onObjectProperty: (property, offset, _length, line, column, pathSupplier) => {
      const keys = stack[stack.length - 1];
      if (keys === undefined) return;
      if (keys.has(property)) {
        problems.push({ field: fieldPath([...pathSupplier(), property]), message: `is a duplicate key (line ${line + 1}, column ${column + 1}, offset ${offset})` });
      }
      keys.add(property);
    },
    onError: (code, offset, _length, line, column) => {
      const atEnd = offset >= text.length;
      problems.push({
        field: '(root)',
        message: `is not valid JSON: ${printParseErrorCode(code)} at line ${line + 1}, column ${column + 1} (offset ${offset}${atEnd ? ', the end of the text: truncated?' : ''})`,
      });
    },
  }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (text.trim() === '') return { ok: false, field: '(root)', message: 'is empty' };
  const syntax = problems.find(p => p.field === '(root)');
  const first = syntax ?? problems[0];
  if (first !== undefined) return { ok: false, ...first };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, field: '(root)', message: `is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Decodes UTF-8 bytes, refusing invalid sequences (a replacement character would hide a changed byte). */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { ok: false, message: 'is not valid UTF-8' };
  }
}
