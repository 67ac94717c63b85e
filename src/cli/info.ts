import { resolveRun } from '../git/resolve-run';
import { type ResolvedRun } from '../core/run';
import { EXIT_OK } from './usage';
import { runArgs } from './args';
import { type Output } from './output';

function describe(run: ResolvedRun): string[] {
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
  ];
}

export async function infoCommand(argv: string[], io: Output): Promise<number> {
  const { target, baseline, json } = runArgs('info', argv);
  const run = await resolveRun(target, baseline !== undefined ? { baseline } : {});
  if (json) io.json(run);
  else io.out(...describe(run));
  return EXIT_OK;
}
