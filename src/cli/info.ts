import { parseArgs } from 'node:util';
import { resolveRun, type ResolvedRun } from '../git/resolve-run';
import { EXIT_OK, UsageError } from './usage';

export interface Output {
  out(text: string): void;
}

function describe(run: ResolvedRun): string {
  const b = run.baseline;
  const h = run.head;
  const bFrom = b.source.kind === 'root-commit' ? 'root commit' : b.source.kind === 'manifest-path' ? `checkout ${b.source.path}` : b.source.ref;
  const hFrom = h.source.kind === 'manifest-ref' ? h.source.ref
    : `working tree${h.source.branch ? ` on ${h.source.branch}` : ''}${h.source.dirty ? ', uncommitted changes' : ''}`;
  return [
    `run       ${run.runId}`,
    `folder    ${run.root}`,
    `manifest  ${run.manifestFile ?? 'none'}`,
    `baseline  ${b.commit}  (${bFrom})  ${b.subject}`,
    `head      ${h.commit}  (${hFrom})  ${h.subject}`,
  ].join('\n');
}

export async function infoCommand(argv: string[], io: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, baseline: { type: 'string' } } });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined) throw new UsageError('info needs a run folder or a seb-run.json');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  const run = await resolveRun(target, parsed.values.baseline !== undefined ? { baseline: parsed.values.baseline } : {});
  io.out(parsed.values.json ? JSON.stringify(run, null, 2) : describe(run));
  return EXIT_OK;
}
