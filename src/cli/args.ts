import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage';

/** parseArgs, with its errors as usage errors. */
export function parseOrUsage<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** `<command> <run> [--baseline X] [--json]`: the arguments info and diff share. */
export function runArgs(command: string, argv: string[]): { target: string; baseline?: string; json: boolean } {
  const parsed = parseOrUsage(argv, { json: { type: 'boolean' }, baseline: { type: 'string' } });
  const [target, ...extra] = parsed.positionals;
  if (target === undefined) throw new UsageError(`${command} needs a run folder or a seb-run.json`);
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  return { target, json: parsed.values.json === true, ...(parsed.values.baseline !== undefined ? { baseline: parsed.values.baseline } : {}) };
}

/** The `rubric/` folder of this package: next to dist/ when bundled, found by walking up from the bundle. */
export function packagedRubricDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'rubric'))) return path.join(dir, 'rubric');
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
