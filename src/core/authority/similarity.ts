/**
 * How alike two handlers are, across trees: a MinHash signature of the handler's tokens, compared position by position.
 * The engine fills `EntryPoint.signature` with `minhashSignature(tokens)`; the fate classifier (./fates) matches a
 * renamed route to its baseline entry by `signatureSimilarity`.
 *
 * The signature estimates the Jaccard similarity of the two handlers' sets of 3-token shingles (three consecutive
 * tokens): k hash functions, and for each the smallest hash over the shingles; the fraction of positions where two
 * signatures agree estimates |A ∩ B| / |A ∪ B|. Hashes are 32-bit: FNV-1a over the shingle's UTF-16 code units, then
 * per position i the value XOR a seed derived from i, finished with MurmurHash3's fmix32 avalanche. Everything is
 * deterministic (no random seeds), so a tree analysed twice gives the same signatures.
 */

const SHINGLE = 3;
const SEPARATOR = '\u0001';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32-bit, over the string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed of position i (golden-ratio steps, mixed). */
function seed(i: number): number {
  return fmix32(Math.imul(i + 1, 0x9e3779b9));
}

/**
 * The shingles of a token list: every run of three consecutive tokens; a list shorter than three is one shingle of the
 * tokens there are (none for an empty list).
 */
export function shingles(tokens: readonly string[]): string[] {
  if (tokens.length === 0) return [];
  if (tokens.length < SHINGLE) return [tokens.join(SEPARATOR)];
  const out: string[] = [];
  for (let i = 0; i + SHINGLE <= tokens.length; i++) out.push(tokens.slice(i, i + SHINGLE).join(SEPARATOR));
  return out;
}

/**
 * The MinHash signature of a token list: k unsigned 32-bit integers. An empty list gives k times 0xffffffff (so two
 * empty handlers are alike, and unlike any other).
 */
export function minhashSignature(tokens: readonly string[], k = 32): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, not ${k}`);
  const seeds = Array.from({ length: k }, (_, i) => seed(i));
  const sig = new Array<number>(k).fill(0xffffffff);
  for (const s of new Set(shingles(tokens))) {
    const h = fnv1a(s);
    for (let i = 0; i < k; i++) {
      const v = fmix32(h ^ (seeds[i] ?? 0));
      if (v < (sig[i] ?? 0xffffffff)) sig[i] = v;
    }
  }
  return sig;
}

/**
 * The estimated Jaccard similarity of two signatures: the fraction of positions where they agree, in [0, 1].
 * Undefined when either is missing or empty, or their lengths differ (signatures made with different k).
 */
export function signatureSimilarity(a: readonly number[] | undefined, b: readonly number[] | undefined): number | undefined {
  if (a === undefined || b === undefined || a.length === 0 || a.length !== b.length) return undefined;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
