/**
 * Limits on what is read: a file larger than its limit is refused from its size alone (stat, before it is opened), and
 * JSON nested deeper than MAX_JSON_DEPTH is refused before a parser recurses into it. Real worksheets, envelopes and
 * rubrics nest fewer than ten levels and weigh kilobytes; the limits leave room for long rationales and many signers.
 */

/** The deepest nesting of arrays and objects accepted in any JSON input. */
export const MAX_JSON_DEPTH = 64;

const KiB = 1024;
const MiB = 1024 * KiB;

export type InputKind = 'json' | 'allowed-signers' | 'key';

export const INPUT_LIMITS: Readonly<Record<InputKind, { bytes: number; what: string }>> = {
  /** Worksheets, signed worksheets (envelopes), rubrics. */
  json: { bytes: 16 * MiB, what: 'a JSON file' },
  'allowed-signers': { bytes: MiB, what: 'an allowed-signers file' },
  key: { bytes: 64 * KiB, what: 'a key file' },
};

/** "200 MiB", "16.5 MiB (17301504 bytes)", "64 KiB", "12 bytes". */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['MiB', MiB], ['KiB', KiB]] as const) {
    if (bytes >= size) return bytes % size === 0 ? `${bytes / size} ${unit}` : `${(bytes / size).toFixed(1)} ${unit} (${bytes} bytes)`;
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** Why a file of `size` bytes is refused as `kind`, or undefined when it is within the limit. */
export function sizeProblem(size: number, kind: InputKind): string | undefined {
  const limit = INPUT_LIMITS[kind];
  return size > limit.bytes ? `is ${formatSize(size)}; the limit for ${limit.what} is ${formatSize(limit.bytes)}` : undefined;
}

/** The message for input that outgrew its limit while it was read (a file still being written, a pipe). */
export function grewProblem(kind: InputKind): string {
  const limit = INPUT_LIMITS[kind];
  return `is larger than ${formatSize(limit.bytes)}, the limit for ${limit.what}`;
}

/**
 * Why `text` nests too deep, with where ("nests deeper than 64 levels (line 1, column 65)"), or undefined. One pass,
 * no recursion: brackets inside strings (escapes honoured) are text, not nesting. Syntax is the parser's business,
 * except a raw control character inside a string, where parsers disagree on where the string ends.
 */
export function jsonDepthProblem(text: string, max = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      else if (c < 0x20) {
        // JSON forbids a raw control character in a string; lenient parsers end the string there, so any count of
        // brackets past this point would be one parser's reading and not another's: refuse the text here
        return `is not valid JSON: a control character inside a string (line ${line}, column ${i - lineStart + 1})`;
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return `nests deeper than ${max} levels (line ${line}, column ${i - lineStart + 1})`;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}
