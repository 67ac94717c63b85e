import { escapeControls, escapeJsonText } from '../core/escape';

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
 * JSON text that a terminal shows as it is: JSON.stringify already escapes C0 controls and lone surrogates inside
 * strings; the rest (DEL, C1, marks, separators, bidi controls) only ever occur inside strings, where "\uXXXX" means the
 * same character, so `JSON.parse` gives back the same value.
 */
export function inertJson(value: unknown): string {
  // one string, not one per line: an analysis of a large tree is hundreds of megabytes of JSON
  return escapeJsonText(JSON.stringify(value, null, 2));
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
      raw.out(inertJson(value));
    },
  };
}

export { escapeControls };
