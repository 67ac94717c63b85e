/**
 * A small, bounded XML tokenizer for the subset JUnit reports use: elements, attributes, comments, CDATA,
 * processing instructions. A DOCTYPE (with any internal subset) is skipped and never interpreted: entity references
 * other than the five predefined ones and numeric character references are left as written, never expanded.
 * Text content is not reported. Work is linear in the input; nesting is capped.
 */

export interface XmlHandler {
  open(name: string, attrs: ReadonlyMap<string, string>, line: number): void;
  /**
   * Called for every opened element that ends: also for self-closing ones and for those a mismatched end tag
   * closes, but not for elements still open where the text ends (truncated).
   */
  close(name: string, line: number): void;
  comment?(text: string, line: number): void;
}

export interface XmlScan {
  /** complete: the first element closed; truncated: the text ended inside it; malformed: reading stopped early. */
  ended: 'complete' | 'truncated' | 'malformed' | 'empty';
  problem?: string;
  sawDoctype: boolean;
  /** Entity references left as written (not predefined, not numeric). */
  unknownEntities: number;
  /** End tags that did not match the open element. */
  mismatched: number;
}

const MAX_ATTRS = 256;
const MAX_ATTR_CHARS = 8192;
const MAX_COMMENT_CHARS = 1024;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: '\'' };
const ENTITY = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z_][A-Za-z0-9._-]{0,63});/g;

/** Decodes &lt; &gt; &amp; &quot; &apos; &#N; &#xN;; anything else stays as written (counted in `unknown`). */
export function decodeEntities(s: string, unknown: { count: number } = { count: 0 }): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
      return valid ? String.fromCodePoint(cp) : '\ufffd';
    }
    const known = PREDEFINED[ref];
    if (known !== undefined && Object.hasOwn(PREDEFINED, ref)) return known;
    unknown.count++;
    return whole;
  });
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/** Scans `text` from `start` through the end of its first element, calling `h` for elements and comments. */
export function scanXml(text: string, start: number, h: XmlHandler, maxDepth = 256): XmlScan {
  const out: XmlScan = { ended: 'empty', sawDoctype: false, unknownEntities: 0, mismatched: 0 };
  const unknown = { count: 0 };
  const stack: string[] = [];
  let pos = start;
  let line = 1;
  let counted = 0;
  const lineAt = (p: number): number => {
    for (; counted < p; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
  const stop = (ended: XmlScan['ended'], problem?: string): XmlScan => {
    out.ended = ended;
    if (problem !== undefined) out.problem = problem;
    out.unknownEntities = unknown.count;
    return out;
  };
  const truncated = (what: string): XmlScan => stop('truncated', `the XML ends inside ${what} (line ${lineAt(text.length)})`);
  let started = false;

  while (pos < text.length) {
    if (started && stack.length === 0) return stop('complete');
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) return truncated('a comment');
      h.comment?.(text.slice(pos + 4, Math.min(end, pos + 4 + MAX_COMMENT_CHARS)), lineAt(pos));
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) return truncated('a CDATA section');
      pos = end + 3;
    } else if (text.startsWith('<!', pos)) {
      if (/^<!DOCTYPE/i.test(text.slice(pos, pos + 9))) out.sawDoctype = true;
      const end = skipDeclaration(text, pos + 2);
      if (end < 0) return truncated('a declaration');
      pos = end;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) return truncated('a processing instruction');
      pos = end + 2;
    } else if (text.startsWith('</', pos)) {
      const end = text.indexOf('>', pos + 2);
      if (end < 0) return truncated('an end tag');
      const name = text.slice(pos + 2, end).trim();
      const at = stack.lastIndexOf(name);
      if (at < 0) out.mismatched++;
      else {
        if (at !== stack.length - 1) out.mismatched++;
        while (stack.length > at) h.close(stack.pop() ?? '', lineAt(pos));
      }
      pos = end + 1;
    } else {
      const tag = readStartTag(text, pos + 1, unknown);
      if (tag === 'truncated') return truncated('a start tag');
      if (tag === 'text') { pos++; continue; } // a stray "<" in text: not a tag
      if (tag === 'malformed') return stop('malformed', `malformed start tag at line ${lineAt(pos)}`);
      if (stack.length >= maxDepth) return stop('malformed', `elements nest deeper than ${maxDepth} (line ${lineAt(pos)})`);
      started = true;
      const l = lineAt(pos);
      h.open(tag.name, tag.attrs, l);
      if (tag.selfClosing) h.close(tag.name, l);
      else stack.push(tag.name);
      pos = tag.end;
    }
  }
  if (!started) return stop('empty');
  if (stack.length === 0) return stop('complete');
  // elements left open are not closed for the handler: what they held is unfinished
  return truncated(`<${stack[stack.length - 1] ?? ''}> (${stack.length} elements still open)`);
}

/** The index after a `<!…>` declaration (DOCTYPE with an internal subset, quoted strings, comments), or -1. */
function skipDeclaration(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '<' && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return -1;
      i = end + 2;
    } else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return i + 1;
  }
  return -1;
}

type StartTag = { name: string; attrs: Map<string, string>; selfClosing: boolean; end: number };

function readStartTag(text: string, from: number, unknown: { count: number }): StartTag | 'truncated' | 'malformed' | 'text' {
  let i = from;
  while (i < text.length && !isSpace(text[i]) && text[i] !== '>' && text[i] !== '/') i++;
  const name = text.slice(from, i);
  if (name.length === 0 || !/^[A-Za-z_:]/.test(name)) return i >= text.length ? 'truncated' : 'text';
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < text.length && isSpace(text[i])) i++;
    if (i >= text.length) return 'truncated';
    if (text[i] === '>') return { name, attrs, selfClosing: false, end: i + 1 };
    if (text[i] === '/') {
      if (i + 1 >= text.length) return 'truncated';
      return text[i + 1] === '>' ? { name, attrs, selfClosing: true, end: i + 2 } : 'malformed';
    }
    const nameStart = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
    const attr = text.slice(nameStart, i);
    while (i < text.length && isSpace(text[i])) i++;
    if (i >= text.length) return 'truncated';
    if (text[i] !== '=' || attr.length === 0) return 'malformed';
    i++;
    while (i < text.length && isSpace(text[i])) i++;
    if (i >= text.length) return 'truncated';
    const q = text[i];
    if (q !== '"' && q !== '\'') return 'malformed';
    const end = text.indexOf(q, i + 1);
    if (end < 0) return 'truncated';
    if (attrs.size < MAX_ATTRS && !attrs.has(attr)) {
      attrs.set(attr, decodeEntities(text.slice(i + 1, Math.min(end, i + 1 + MAX_ATTR_CHARS)), unknown));
    }
    i = end + 1;
  }
}
