/**
 * The run's plan document: the one the manifest names, or else the likeliest markdown file the run added under docs/
 * (a name that says plan, design, authority, invariant, architecture or RFC first, then the largest). From it, the
 * invariant it states (the paragraph under an "invariant" heading, or the first sentence saying that all writes go
 * through something, or that there is a single authority) and the code names in it (`applyDocumentWrite(…)`), which
 * ./evidence.ts checks against the authority analysis.
 */

export interface PlanInvariant {
  text: string;
  line: number;
  /** Function-like names written as code in the invariant (`name` or `name(args)`), in order, each once. */
  symbols: string[];
}

const PLAN_NAME = /(plan|design|authority|invariant|architecture|rfc|adr|proposal)/i;

/** Which markdown file to read as the plan: the manifest's, else the likeliest added under docs/. */
export function choosePlan(manifestPlan: string | undefined, added: ReadonlyArray<{ path: string; size: number }>): { file: string; how: 'manifest' | 'guessed' } | undefined {
  if (manifestPlan !== undefined) return { file: manifestPlan, how: 'manifest' };
  const docs = added.filter(f => /\.(md|markdown)$/i.test(f.path) && /(^|\/)docs?\//i.test(f.path));
  const pick = [...docs].sort((a, b) => Number(PLAN_NAME.test(b.path.split('/').pop() ?? '')) - Number(PLAN_NAME.test(a.path.split('/').pop() ?? '')) || b.size - a.size)[0];
  return pick ? { file: pick.path, how: 'guessed' } : undefined;
}

const STATEMENT = [
  /\b(all|every|each)\b[^.\n]{0,120}\b(writes?|mutations?|changes?|updates?)\b[^.\n]{0,160}\b(through|via|by)\b/i,
  /\b(single|one|only)\b[^.\n]{0,40}\b(authority|writer|write path|source of truth)\b/i,
  /\bnever written by anyone else\b/i,
];

/** Code names in markdown: `applyDocumentWrite(docId)` → applyDocumentWrite; `Foo.bar` → Foo.bar; not tables or files. */
export function codeSymbols(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\n]{1,120})`/g)) {
    const code = (m[1] ?? '').trim();
    const name = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(\(.*\))?$/.exec(code);
    if (!name || name[1] === undefined) continue;
    // a snake_case or lower-case word without a call is more likely a table, a column or a file than a function
    if (name[2] === undefined && !/[a-z][A-Z]|^[A-Z]/.test(name[1])) continue;
    if (!out.includes(name[1])) out.push(name[1]);
  }
  return out;
}

/** The invariant the plan states, or undefined when it states none that can be found. */
export function findInvariant(markdown: string): PlanInvariant | undefined {
  const lines = markdown.split(/\r?\n/);
  // a heading that names the invariant: its first paragraph
  const heading = lines.findIndex(l => /^#{1,6}\s.*\binvariant\b/i.test(l));
  if (heading >= 0) {
    let i = heading + 1;
    while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
    const start = i;
    const para: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '' && !/^#{1,6}\s/.test(lines[i] ?? '')) para.push(lines[i++] ?? '');
    if (para.length > 0) {
      const text = para.join(' ').replace(/\s+/g, ' ').trim();
      return { text, line: start + 1, symbols: codeSymbols(text) };
    }
  }
  for (const [i, l] of lines.entries()) {
    if (/^\s*(\||```)/.test(l)) continue;
    if (STATEMENT.some(r => r.test(l))) {
      const text = [l, lines[i + 1] ?? ''].join(' ').replace(/\s+/g, ' ').trim();
      return { text, line: i + 1, symbols: codeSymbols(text) };
    }
  }
  return undefined;
}
