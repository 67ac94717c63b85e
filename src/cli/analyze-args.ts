import { parseOrUsage } from './args';
import { UsageError } from './usage';

export interface AnalyzeArgs {
  target: string;
  baseline?: string;
  rules: string[];
  /** Given with --authority: replaces the manifest's list. */
  authority?: string[];
  json: boolean;
  sarif?: string;
  /** Use the cache of finished results (off with --no-cache). */
  cache: boolean;
}

/** A declared authority as the analysis takes it: "symbol" or "path#symbol", both parts non-empty, no spaces. */
const AUTHORITY = /^(?:[^\s#]+#)?[A-Za-z_$][\w$.]*$/u;

/** `analyze <run> [--baseline REF|DIR] [--rules FILE]... [--authority NAME]... [--json] [--sarif FILE] [--no-cache]`. */
export function analyzeArgs(argv: string[]): AnalyzeArgs {
  const parsed = parseOrUsage(argv, {
    json: { type: 'boolean' }, baseline: { type: 'string' }, rules: { type: 'string', multiple: true },
    authority: { type: 'string', multiple: true }, sarif: { type: 'string' }, 'no-cache': { type: 'boolean' },
  });
  const v = parsed.values;
  const [target, ...extra] = parsed.positionals;
  if (target === undefined) throw new UsageError('analyze needs a run folder or a seb-run.json');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  for (const name of v.authority ?? []) {
    if (!AUTHORITY.test(name)) throw new UsageError(`--authority ${name}: expected a function name ("saveDocument") or PATH#NAME ("server/db.ts#saveDocument")`);
  }
  if (v.sarif === '') throw new UsageError('--sarif needs a file name');
  return {
    target, json: v.json === true, rules: v.rules ?? [], cache: v['no-cache'] !== true,
    ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
    ...(v.authority !== undefined ? { authority: v.authority } : {}),
    ...(v.sarif !== undefined ? { sarif: v.sarif } : {}),
  };
}

export { declaredAuthority } from '../core/authority/declared';
