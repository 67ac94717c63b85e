import { type ResolvedRun } from '../core/run';
import { type TreeReader } from '../core/tree-read';
import { workingTreeReader } from '../git/tree-reader';
import { type CommitModel, type FileExcerpt, type RunDetailsModel } from '../protocol/webview/run-details';

export const EXCERPT_BYTES = 64 * 1024;

/**
 * Reads at most `limit` bytes of a file of the run through the tree reader: never a link out of the tree, a FIFO or a
 * device; a problem is said in words, never with the file's content.
 */
export async function readExcerpt(tree: TreeReader, rel: string, limit = EXCERPT_BYTES): Promise<FileExcerpt> {
  const r = await tree.read(rel, { maxBytes: limit, truncate: true });
  if (!r.ok) return { path: rel, problem: r.problem === 'missing' ? 'missing from the run' : r.message };
  if (r.bytes.includes(0)) return { path: rel, bytes: r.size, problem: 'binary file' };
  return { path: rel, text: r.bytes.toString('utf8'), truncated: r.truncated, bytes: r.size };
}

function commitModel(c: ResolvedRun['baseline'] | ResolvedRun['head'], source: string): CommitModel {
  return { commit: c.commit, tree: c.tree, date: c.date, subject: c.subject, source };
}

export async function runDetailsModel(run: ResolvedRun): Promise<RunDetailsModel> {
  const m = run.manifest;
  const tree = workingTreeReader(run.root);
  const b = run.baseline.source;
  const h = run.head.source;
  const baselineSource =
    b.kind === 'manifest-ref' ? `ref ${b.ref} from seb-run.json`
    : b.kind === 'manifest-path' ? `checkout ${b.path} from seb-run.json`
    : b.kind === 'chosen' ? `${b.ref}, chosen when opening`
    : 'the repository\'s root commit';
  const headSource =
    h.kind === 'manifest-ref' ? `ref ${h.ref} from seb-run.json`
    : `working tree${h.branch ? ` on ${h.branch}` : ''}${h.dirty ? ' with uncommitted changes' : ''}`;
  return {
    runId: run.runId,
    root: run.root,
    baseline: commitModel(run.baseline, baselineSource),
    head: commitModel(run.head, headSource),
    ...(run.manifestFile ? { manifestFile: run.manifestFile } : {}),
    ...(m?.model ? { model: m.model } : {}),
    ...(m?.benchmark ? { benchmark: m.benchmark } : {}),
    authority: m?.authority ?? [],
    ...(m?.plan ? { plan: await readExcerpt(tree, m.plan) } : {}),
    testLogs: await Promise.all((m?.testLogs ?? []).map(l => readExcerpt(tree, l, 16 * 1024))),
  };
}
