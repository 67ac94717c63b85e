import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkRubric, formatProblems, type Rubric } from '../core/rubric';
import { checkReferences, checkReferencesAgainstRubric } from '../core/references';
import { parseJsonText, type FieldProblem } from '../core/manifest';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './usage';
import { packagedRubricDir } from './args';
import { tryReadJsonText } from './input';

export type CheckedKind = 'rubric' | 'references' | 'unknown' | 'unreadable';

export interface FileCheck {
  file: string;
  ok: boolean;
  kind: CheckedKind;
  problems: FieldProblem[];
  /** References only: the rubric file they were checked against, or null when none was found. */
  checkedAgainst?: string | null;
  /** The text after "ok FILE". */
  summary?: string;
}

export interface RubricCommandOptions {
  /** Where the packaged rubrics are (default: the `rubric/` folder of this package). */
  packagedRubricDir?: string;
}

/** `seb-review rubric check FILE… [--json]`. */
export function rubricCommand(argv: string[], io: Output, options: RubricCommandOptions = {}): number {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError('rubric needs a subcommand: check');
  if (sub !== 'check') throw new UsageError(`unknown rubric subcommand: ${sub}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('rubric check needs at least one file');
  const packaged = options.packagedRubricDir ?? packagedRubricDir();
  const results = files.map(f => checkFile(f, packaged));
  if (parsed.values.json) {
    io.json(results.map(r => ({
      file: r.file, ok: r.ok, kind: r.kind, problems: r.problems.map(p => ({ field: p.field, message: p.message })),
      ...(r.checkedAgainst !== undefined ? { checkedAgainst: r.checkedAgainst } : {}),
    })));
    for (const r of results) if (r.kind === 'unreadable') io.err(`seb-review: ${r.file}: ${r.problems[0]?.message ?? 'cannot be read'}`);
  } else {
    for (const r of results) {
      if (r.kind === 'unreadable') io.err(`seb-review: ${r.file}: ${r.problems[0]?.message ?? 'cannot be read'}`);
      else io.out(r.ok ? `ok ${r.file} (${r.summary ?? r.kind})` : `${r.file}: ${formatProblems(r.problems)}`);
    }
  }
  if (results.some(r => r.kind === 'unreadable')) return EXIT_USAGE;
  return results.every(r => r.ok) ? EXIT_OK : EXIT_FINDINGS;
}

function checkFile(file: string, packagedDir: string | undefined): FileCheck {
  const read = tryReadJsonText(file);
  if (!read.ok) return { file, ok: false, kind: 'unreadable', problems: [{ field: '(root)', path: [], message: read.why }] };
  const text = read.value;
  const kind = kindOf(file, text);
  if (kind === 'rubric') {
    const result = checkRubric(text);
    if (!result.ok) return failed(file, kind, result.problems);
    const r = result.value;
    return { file, ok: true, kind, problems: [], summary: `rubric ${r.id} ${r.version}: ${r.dimensions.length} dimension${r.dimensions.length === 1 ? '' : 's'}, total ${r.total}` };
  }
  if (kind === 'references') {
    const result = checkReferences(text);
    if (!result.ok) return failed(file, kind, result.problems);
    const refs = result.value;
    const found = findRubric(file, refs.rubric, packagedDir);
    const what = `references for rubric ${refs.rubric.id} ${refs.rubric.version}: ${refs.profiles.length} profile${refs.profiles.length === 1 ? '' : 's'}`;
    if (found === undefined) {
      return { file, ok: true, kind, problems: [], checkedAgainst: null,
        summary: `${what}; rubric ${refs.rubric.id} ${refs.rubric.version} not found next to it or among the packaged rubrics, so ceilings and dimension ids were not checked` };
    }
    const problems = checkReferencesAgainstRubric(refs, found.rubric);
    if (problems.length > 0) return { ...failed(file, kind, problems), checkedAgainst: found.file };
    return { file, ok: true, kind, problems: [], checkedAgainst: found.file, summary: `${what}, checked against ${found.file}` };
  }
  const json = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!json.ok) return failed(file, kind, json.problems);
  return failed(file, kind, [{ field: '(root)', path: [], message: 'is neither a rubric (with "dimensions") nor references (with "profiles"); name the file *.rubric.json or *.references.json' }]);
}

function failed(file: string, kind: CheckedKind, problems: readonly FieldProblem[]): FileCheck {
  return { file, ok: false, kind, problems: [...problems] };
}

/** By name first (*.rubric.json, *.references.json), then by content ("dimensions" or "profiles"). */
function kindOf(file: string, text: string): CheckedKind {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.rubric.json')) return 'rubric';
  if (base.endsWith('.references.json')) return 'references';
  const json = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) return 'unknown';
  if ('dimensions' in json.value) return 'rubric';
  if ('profiles' in json.value) return 'references';
  return 'unknown';
}

/** The valid rubric with the given id and version: first among the *.rubric.json next to `file`, then the packaged ones. */
function findRubric(file: string, want: { id: string; version: string }, packagedDir: string | undefined): { file: string; rubric: Rubric } | undefined {
  const dirs = [path.dirname(file)];
  if (packagedDir !== undefined && path.resolve(packagedDir) !== path.resolve(dirs[0] ?? '.')) dirs.push(packagedDir);
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter(n => n.endsWith('.rubric.json')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const candidate = path.join(dir, name);
      const read = tryReadJsonText(candidate);
      if (!read.ok) continue;
      const result = checkRubric(read.value);
      if (result.ok && result.value.id === want.id && result.value.version === want.version) return { file: candidate, rubric: result.value };
    }
  }
  return undefined;
}

