import type { Side } from '../../../src/core/authority/analysis';
import type { TreeEntry, TreeRead, TreeReader } from '../../../src/core/tree-read';

/**
 * Edits as an editor makes them (unsaved documents handed to analyzeTree as overrides), and the same edited tree as a
 * tree of its own (analysed cold, as if it had been committed): the two analyses must agree.
 */

/** A tree reader showing `overrides` instead of the files' committed text (no content address for those). */
export function editedReader(reader: TreeReader, overrides: ReadonlyMap<string, string>): TreeReader {
  const bytes = (p: string): Buffer | undefined => {
    const t = overrides.get(p);
    return t === undefined ? undefined : Buffer.from(t, 'utf8');
  };
  const edited: TreeReader = {
    name: reader.name,
    async list(): Promise<TreeEntry[]> {
      const entries = await reader.list();
      const known = new Set(entries.map(e => e.path));
      const out = entries.map(e => {
        const b = bytes(e.path);
        return b === undefined ? e : { path: e.path, size: b.length, kind: 'file' as const };
      });
      for (const p of overrides.keys()) if (!known.has(p)) out.push({ path: p, size: Buffer.byteLength(overrides.get(p) ?? ''), kind: 'file' });
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    async read(rel, options): Promise<TreeRead> {
      const b = bytes(rel);
      if (b === undefined) return reader.read(rel, options);
      return { ok: true, path: rel, bytes: b, size: b.length, truncated: false };
    },
    async readMany(rels, options): Promise<TreeRead[]> {
      return Promise.all(rels.map(r => edited.read(r, options)));
    },
  };
  return edited;
}

/** One way of editing a file's text. */
export type EditOp =
  | { op: 'append-write'; n: number } // a new exported function that writes table bench_<n>
  | { op: 'append-route'; n: number } // a new express app with one route that writes
  | { op: 'insert-top' } // a new function before everything else: every line and function index moves
  | { op: 'empty' } // the file's contents deleted
  | { op: 'replace'; find: string; replace: string; all?: true } // find must occur
  | { op: 'lines'; seed: number; count: number }; // `count` random line edits: deleted, copied, swapped, renamed, blank

export function applyEdit(text: string, e: EditOp): string {
  switch (e.op) {
    case 'append-write':
      return `${text}\nexport function benchEdit${e.n}(d: { exec(sql: string): void }) { d.exec('DELETE FROM bench_${e.n}'); }\n`;
    case 'append-route':
      return `${text}\nimport benchExpress${e.n} from 'express';\nconst benchApp${e.n} = benchExpress${e.n}();\n`
        + `benchApp${e.n}.post('/bench-added-${e.n}', (req: unknown, res: { end(): void }) => { benchWrite${e.n}(); res.end(); });\n`
        + `function benchWrite${e.n}() { const db = { exec(sql: string) { return sql; } }; db.exec('INSERT INTO added_${e.n} VALUES (1)'); }\n`
        + `benchApp${e.n}.listen(3000);\n`;
    case 'insert-top':
      return `function benchTop() { return 1; }\n${text}`;
    case 'empty':
      return '';
    case 'replace': {
      if (!text.includes(e.find)) throw new Error(`edit: "${e.find}" is not in the file`);
      return e.all ? text.split(e.find).join(e.replace) : text.replace(e.find, () => e.replace);
    }
    case 'lines': {
      const random = prng(e.seed);
      const lines = text.split('\n');
      for (let n = 0; n < e.count; n++) {
        const i = Math.floor(random() * lines.length);
        const j = Math.floor(random() * lines.length);
        const r = random();
        if (r < 0.3) lines.splice(i, 1);
        else if (r < 0.55) lines.splice(i, 0, lines[j] ?? '');
        else if (r < 0.7) [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        else if (r < 0.85) lines[i] = (lines[i] ?? '').replace(/\b[A-Za-z_]\w*\b/, m => `${m}X`);
        else lines.splice(i, 0, '');
      }
      return lines.join('\n');
    }
  }
}

/** A deterministic pseudo-random sequence in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/** `count` steps, each editing one of the sources at random lines (seeded: the same steps every run). */
export function randomLineSteps(sources: readonly string[], seed: number, count: number): Step[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const file = sources[Math.floor(random() * sources.length)] ?? '';
    const restore = random() < 0.1;
    return { label: `${file}: ${restore ? 'as committed' : `random line edits (seed ${seed}, step ${i})`}`,
      edits: { [file]: restore ? null : [{ op: 'lines', seed: Math.floor(random() * 2 ** 31), count: 1 + Math.floor(random() * 4) } as EditOp] } };
  });
}

/** A Side without its tree id (an edited tree analysed cold has an id of its own). */
export function comparable(side: Side): Omit<Side, 'tree'> {
  const { tree: _tree, ...rest } = side;
  return rest;
}

/** One step: the files whose unsaved text differs from the tree (each as edits of the committed text; null: as committed). */
export interface Step { label: string; edits: Record<string, EditOp[] | null> }

/** For a small tree: each source file in turn appended to, prefixed with a function, given a route, emptied; then all. */
export function everyFileSteps(sources: readonly string[]): Step[] {
  const steps: Step[] = [];
  sources.forEach((file, i) => {
    steps.push({ label: `${file}: a function that writes`, edits: { [file]: [{ op: 'append-write', n: i }] } });
    steps.push({ label: `${file}: a function before everything`, edits: { [file]: [{ op: 'insert-top' }, { op: 'append-write', n: i }] } });
    steps.push({ label: `${file}: a new app with a route`, edits: { [file]: [{ op: 'append-route', n: i }] } });
    steps.push({ label: `${file}: emptied`, edits: { [file]: [{ op: 'empty' }] } });
  });
  steps.push({ label: 'every file emptied', edits: Object.fromEntries(sources.map(f => [f, [{ op: 'empty' } as EditOp]])) });
  steps.push({ label: 'every file restored', edits: Object.fromEntries(sources.map(f => [f, null])) });
  return steps;
}

/** On the Proof run: a write removed, a route added, the authority renamed, an import broken, a file emptied, all restored. */
export const PROOF_RUN_STEPS: Step[] = [
  { label: 'a function that writes, in routes.ts', edits: { 'server/routes.ts': [{ op: 'append-write', n: 1 }] } },
  { label: 'a write removed from db.ts (and routes.ts as committed)', edits: {
    'server/routes.ts': null,
    'server/db.ts': [{ op: 'replace', find: '.run(key, value, now);', replace: '.get(key, value, now);' }],
  } },
  { label: 'a route added to routes.ts', edits: {
    'server/routes.ts': [{ op: 'replace', find: "apiRoutes.post('/documents', ",
      replace: "apiRoutes.post('/bench-added', (req: Request, res: Response) => { res.end(); });\napiRoutes.post('/documents', " }],
  } },
  { label: 'the authority renamed', edits: {
    'server/authority/document-authority.ts': [{ op: 'replace', find: 'export function applyDocumentWrite(', replace: 'export function applyDocumentWriteRenamed(' }],
  } },
  { label: 'the authority back; an import of routes.ts broken', edits: {
    'server/authority/document-authority.ts': null,
    'server/routes.ts': [{ op: 'replace', find: "from './authority/document-authority.js'", replace: "from './authority/no-such-module.js'" }],
  } },
  { label: 'collab.ts emptied', edits: { 'server/collab.ts': [{ op: 'empty' }] } },
  { label: 'a function before everything in db.ts, collab.ts back', edits: { 'server/collab.ts': null, 'server/db.ts': [{ op: 'insert-top' }] } },
  { label: 'a new app with a route in agent-routes.ts', edits: { 'server/agent-routes.ts': [{ op: 'append-route', n: 7 }] } },
  { label: 'everything as committed', edits: { 'server/db.ts': null, 'server/routes.ts': null, 'server/agent-routes.ts': null } },
];

/** Applies a step on top of the overrides so far (committed: each file's text in the tree, read once). */
export async function applyStep(step: Step, overrides: Map<string, string>, committed: Map<string, string>, reader: TreeReader): Promise<void> {
  for (const [file, ops] of Object.entries(step.edits)) {
    if (!committed.has(file)) {
      const r = await reader.read(file);
      committed.set(file, r.ok ? r.bytes.toString('utf8') : '');
    }
    let text = committed.get(file) ?? '';
    for (const op of ops ?? []) text = applyEdit(text, op);
    overrides.set(file, text);
  }
}
