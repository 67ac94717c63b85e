/**
 * The one way the command line writes. Every command writes lines of text and JSON values through an `Output`, and
 * every line passes through `escapeControls` on its way out: a repository file name, a key id or a worksheet's grader
 * name cannot move the cursor, erase a line, set a terminal title or reorder what is shown.
 */

/** Where the text goes: the process's stdout and stderr, or a test's buffers. Each call is one line. */
export interface RawIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Output {
  /** Lines for stdout; a line break inside a line is shown as "\n", never taken as one. */
  out(...lines: string[]): void;
  /** Lines for stderr, the same way. */
  err(...lines: string[]): void;
  /** A value as indented JSON on stdout. */
  json(value: unknown): void;
}

/**
 * What a terminal acts on or reorders text by: C0 controls (line breaks and tabs included), DEL, C1 controls, the
 * Arabic letter mark, the left-to-right and right-to-left marks, the line and paragraph separators, the bidi embeddings
 * and overrides (U+202A–U+202E) and isolates (U+2066–U+2069), and lone surrogates (no character at all).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The text with each of those characters written as an escape: "\n", "\r", "\t", else "\uXXXX" (JSON's spelling, so
 * in a JSON string the escape reads back as the character it replaced).
 */
export function escapeControls(text: string): string {
  return text.replace(ACTIVE, c => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON text that a terminal shows as it is: JSON.stringify already escapes C0 controls and lone surrogates inside
 * strings; the rest (DEL, C1, marks, separators, bidi controls) only ever occur inside strings, where "\uXXXX" means the
 * same character, so `JSON.parse` gives back the same value.
 */
export function inertJson(value: unknown): string[] {
  return JSON.stringify(value, null, 2).split('\n').map(escapeControls);
}

/** The output of a command: each line escaped on its way to `raw`. */
export function outputTo(raw: RawIo): Output {
  return {
    out: (...lines) => {
      for (const l of lines) raw.out(escapeControls(l));
    },
    err: (...lines) => {
      for (const l of lines) raw.err(escapeControls(l));
    },
    json: value => {
      for (const l of inertJson(value)) raw.out(l);
    },
  };
}
