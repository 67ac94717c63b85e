import { open } from 'node:fs/promises';
import path from 'node:path';
import { relativePathProblem } from '../core/relative-path';
import { errorMessage } from '../core/errors';
import { type ResolvedRun } from '../git/resolve-run';
import { type CommitModel, type FileExcerpt, type RunDetailsModel } from '../protocol/run-details';

export const EXCERPT_BYTES = 64 * 1024;

/** Reads at most EXCERPT_BYTES of a file inside the run; never follows a path out of the tree. */
export async function readExcerpt(root: string, rel: string, limit = EXCERPT_BYTES): Promise<FileExcerpt> {
  const problem = relativePathProblem(rel);
  if (problem) return { path: rel, problem: `path ${problem}` };
  let handle;
  try {
    handle = await open(path.join(root, rel), 'r');
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, limit));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const slice = buf.subarray(0, bytesRead);
    if (slice.includes(0)) return { path: rel, bytes: size, problem: 'binary file' };
    return { path: rel, text: slice.toString('utf8'), truncated: size > limit, bytes: size };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { path: rel, problem: code === 'ENOENT' ? 'missing from the run' : errorMessage(e) };
  } finally {
    await handle?.close();
  }
}

function commitModel(c: ResolvedRun['baseline'] | ResolvedRun['head'], source: string): CommitModel {
  return { commit: c.commit, tree: c.tree, date: c.date, subject: c.subject, source };
}

export async function runDetailsModel(run: ResolvedRun): Promise<RunDetailsModel> {
  const m = run.manifest;
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
    ...(m?.plan ? { plan: await readExcerpt(run.root, m.plan) } : {}),
    testLogs: await Promise.all((m?.testLogs ?? []).map(l => readExcerpt(run.root, l, 16 * 1024))),
  };
}
