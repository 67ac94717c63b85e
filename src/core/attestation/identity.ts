/**
 * Signer identities (the first word of an allowed-signers line): when two spellings are one identity, and which
 * identities are refused.
 *
 * Equality: two identities are one when their NFKC case-folded forms are equal (Unicode's NFKC_Casefold, approximated
 * by NFKC, then lower-, upper- and lower-casing, then NFKC again). The whole identity is folded, the local part before
 * "@" included: RFC 5321 lets a mail server tell "Alice@" from "alice@", but no one hands out both to two people, and
 * for a signature threshold the failure to avoid is counting one person twice. "Alice", "alice" and "ａｌｉｃｅ" are
 * one identity; so are "alice@Example.ORG" and "alice@example.org".
 *
 * Refused: control, format and other invisible characters (C0, C1, DEL, bidi embeddings, overrides, isolates and
 * marks, zero-width characters, soft hyphens, variation selectors, private-use, unassigned and surrogate code points),
 * and identities that mix scripts (Latin with Cyrillic or Greek, …), which is how a lookalike of another identity is
 * made. Latin may mix with Han and kana, or Han and Hangul, or Han and Bopomofo (Unicode TS #39, "highly restrictive").
 */

/** The form identities are compared in. */
export function identityKey(identity: string): string {
  return identity.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}

/** Whether two identities are one under identityKey. */
export function sameIdentity(a: string, b: string): boolean {
  return identityKey(a) === identityKey(b);
}

const INVISIBLE = /[\p{C}\p{Default_Ignorable_Code_Point}]/u;

function kindOf(ch: string): string {
  if (/\p{Cc}/u.test(ch)) return 'a control character';
  if (/\p{Cf}/u.test(ch)) return 'a format character (bidi control, zero-width character or soft hyphen)';
  if (/\p{Co}/u.test(ch)) return 'a private-use character';
  if (/\p{Cs}/u.test(ch)) return 'a lone surrogate';
  if (/\p{Cn}/u.test(ch)) return 'an unassigned code point';
  return 'an invisible character';
}

const SCRIPT_NAMES = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali',
  'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan',
  'Myanmar', 'Khmer', 'Mongolian', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Coptic', 'Han', 'Hiragana', 'Katakana',
  'Bopomofo', 'Hangul',
];

let scripts: Array<{ name: string; pattern: RegExp }> | undefined;
/** Built on first use: the command line's start-up does not pay for 34 Unicode property patterns an ASCII identity never needs. */
const scriptPatterns = () => (scripts ??= SCRIPT_NAMES.map(name => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, 'u') })));

const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** Mixtures of scripts that are one writing system, not a disguise (UTS #39 §5.2, highly restrictive). */
const ALLOWED_MIXES = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Hangul'],
  ['Latin', 'Han', 'Bopomofo'],
].map(set => new Set(set));

/** The scripts of the identity's letters and marks (characters common to all scripts, like digits and "@", aside). */
function scriptsOf(identity: string): string[] {
  const normalized = identity.normalize('NFKC');
  // in ASCII the letters are Latin and everything else (digits, punctuation, spaces) is common to all scripts
  if (isAscii(normalized)) return /[A-Za-z]/.test(normalized) ? ['Latin'] : [];
  const found = new Set<string>();
  for (const ch of normalized) {
    if (/\p{Script=Common}|\p{Script=Inherited}/u.test(ch)) continue;
    found.add(scriptPatterns().find(s => s.pattern.test(ch))?.name ?? `the script of U+${codePoint(ch)}`);
  }
  return [...found].sort();
}

const codePoint = (ch: string): string => (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');

/** Why an identity is refused for its characters, or undefined when they are fine. */
export function identityCharacterProblem(identity: string): string | undefined {
  for (const ch of identity) {
    if (INVISIBLE.test(ch)) return `contains U+${codePoint(ch)} (${kindOf(ch)})`;
  }
  const scripts = scriptsOf(identity);
  if (scripts.length > 1 && !ALLOWED_MIXES.some(mix => scripts.every(s => mix.has(s)))) {
    return `mixes scripts (${scripts.join(', ')}): one identity is written in one script, so that no lookalike of another can pass for it`;
  }
  return undefined;
}
