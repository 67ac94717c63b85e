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

// eslint-disable-next-line no-control-regex -- as ACTIVE, without the line break that separates lines of JSON text
const ACTIVE_IN_JSON = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Indented JSON text (several lines) with every active character escaped but the line breaks between its lines: they
 * only separate lines, as JSON.stringify writes every line break inside a string as "\n" already.
 */
export function escapeJsonText(text: string): string {
  return text.replace(ACTIVE_IN_JSON, c => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
