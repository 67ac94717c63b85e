import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';
import { MANIFEST_FILE, parseManifest, type RunManifest } from '../core/manifest';
import { type CommitInfo, type ResolvedRun } from '../core/run';
import { type RunnerOptions } from './git-runner';
import { openRepository, type Repository } from './repository';
import { workingTreeReader } from './tree-reader';
import { isDirty, workingTreeChanges } from './snapshot';

export type { CommitInfo, ResolvedRun } from '../core/run';

/** The largest seb-run.json read. */
const MANIFEST_MAX_BYTES = 1024 * 1024;

export interface ResolveOptions extends RunnerOptions {
  /** A baseline chosen by the user (a commit or ref in the run's repository), overriding the manifest and root commit. */
  baseline?: string;
  /** A separate checkout of the baseline, overriding the manifest and root commit. */
  baselinePath?: string;
}

const FORMAT = '%H%x00%T%x00%cI%x00%s';

export async function commitInfo(repo: Repository, rev: string): Promise<CommitInfo | undefined> {
  const out = await repo.git.probe(['log', '-1', '--no-walk', `--format=${FORMAT}`, '--end-of-options', `${rev}^{commit}`]);
  if (out === undefined) return undefined;
  const [commit = '', tree = '', date = '', subject = ''] = out.replace(/\n$/, '').split('\0');
  return commit ? { commit, tree, date, subject } : undefined;
}

/**
 * Reads `seb-run.json` from the run root through the tree reader (a link out of the tree, a FIFO or a huge file is
 * refused), or undefined when there is none. Errors name the file and never quote its content.
 */
export async function readManifest(root: string): Promise<{ manifest: RunManifest; file: string } | undefined> {
  const file = path.join(root, MANIFEST_FILE);
  const read = await workingTreeReader(root).read(MANIFEST_FILE, { maxBytes: MANIFEST_MAX_BYTES });
  if (!read.ok) {
    if (read.problem === 'missing') return undefined;
    throw new SebError('bad-manifest', `${file} cannot be read: ${read.message}`, file);
  }
  return { manifest: parseManifest(read.bytes.toString('utf8'), file), file };
}

/** `input` is a run folder or the path of its seb-run.json. */
export async function resolveRun(input: string, options: ResolveOptions = {}): Promise<ResolvedRun> {
  const { run, repo } = await resolveRunIn(input, options);
  await repo.dispose();
  return run;
}

/**
 * resolveRun, also handing back the opened repository (so a ReviewWorkspace need not open it again): the caller owns
 * it and disposes it (ReviewWorkspace.open takes it over).
 */
export async function resolveRunIn(input: string, options: ResolveOptions = {}): Promise<{ run: ResolvedRun; repo: Repository }> {
  let dir = input;
  try {
    if (path.basename(input) === MANIFEST_FILE && (await stat(input)).isFile()) dir = path.dirname(input);
  } catch {
    // reported by openRepository, which names the path
  }
  const repo = await openRepository(dir, options);
  try {
    return { run: await resolveIn(repo, options), repo };
  } catch (e) {
    await repo.dispose();
    throw e;
  }
}

async function resolveIn(repo: Repository, options: ResolveOptions): Promise<ResolvedRun> {
  const found = await readManifest(repo.root);
  const manifest = found?.manifest;

  const headCommit = await commitInfo(repo, 'HEAD');
  if (!headCommit) {
    throw new SebError('no-commits', `${repo.root} has no commits: a run needs at least its baseline commit`, repo.root);
  }

  // independent: the baseline reads history, the head the working tree
  const [b, h] = await Promise.allSettled([
    resolveBaseline(repo, manifest, found?.file, options),
    resolveHead(repo, manifest, found?.file, headCommit),
  ]);
  // the same error whichever finishes first: the baseline's, then the head's
  if (b.status === 'rejected') throw b.reason;
  if (h.status === 'rejected') throw h.reason;
  const baseline = b.value;
  const head = h.value;
  const run: ResolvedRun = {
    root: repo.root,
    runId: manifest?.runId ?? path.basename(repo.root),
    ...(manifest ? { manifest, manifestFile: found?.file } : {}),
    shallow: repo.shallow,
    baseline,
    head,
  };
  return run;
}

async function resolveBaseline(
  repo: Repository,
  manifest: RunManifest | undefined,
  manifestFile: string | undefined,
  options: ResolveOptions,
): Promise<ResolvedRun['baseline']> {
  if (options.baseline !== undefined) {
    const info = await commitInfo(repo, options.baseline);
    if (!info) throw missingRef(repo, options.baseline, 'the chosen baseline');
    return { ...info, source: { kind: 'chosen', ref: options.baseline }, repositoryRoot: repo.root };
  }
  const spec = options.baselinePath !== undefined ? { path: path.resolve(options.baselinePath) } : manifest?.baseline;
  if (spec && 'ref' in spec) {
    const info = await commitInfo(repo, spec.ref);
    if (!info) throw missingRef(repo, spec.ref, `baseline.ref in ${manifestFile}`);
    return { ...info, source: { kind: 'manifest-ref', ref: spec.ref }, repositoryRoot: repo.root };
  }
  if (spec && 'path' in spec) {
    const where = path.resolve(repo.root, spec.path);
    let other: Repository;
    try {
      other = await openRepository(where, options);
    } catch (e) {
      if (e instanceof SebError && e.kind === 'cancelled') throw e;
      const what = options.baselinePath !== undefined ? 'the baseline checkout' : `baseline.path in ${manifestFile}`;
      throw new SebError('bad-baseline-path', `${what}: ${spec.path} is not a git checkout (${errorMessage(e)})`, manifestFile ?? where);
    }
    try {
      const info = await commitInfo(other, 'HEAD');
      if (!info) throw new SebError('bad-baseline-path', `${spec.path} (the baseline checkout) is a git repository with no commits`, where);
      return { ...info, source: { kind: 'manifest-path', path: spec.path }, repositoryRoot: other.root };
    } finally {
      await other.dispose();
    }
  }
  if (repo.shallow) {
    throw new SebError('shallow-clone',
      `${repo.root} is a shallow clone, so its first commit is not the frozen baseline. Fetch the full history (git fetch --unshallow) or name the baseline in ${'seb-run.json'}.`,
      repo.root);
  }
  const roots = ((await repo.git.probe(['rev-list', '--max-parents=0', 'HEAD'])) ?? '').split('\n').filter(Boolean);
  if (roots.length > 1) {
    const choices = await Promise.all(roots.map(async sha => {
      const info = await commitInfo(repo, sha);
      return { value: sha, label: `${sha.slice(0, 12)} ${info?.subject ?? ''}`.trim(), ...(info ? { detail: info.date } : {}) };
    }));
    throw new SebError('several-roots',
      `${repo.root} has ${roots.length} root commits and no seb-run.json naming the baseline: choose one`,
      repo.root, choices);
  }
  const info = roots[0] ? await commitInfo(repo, roots[0]) : undefined;
  if (!info) throw new SebError('no-commits', `${repo.root} has no root commit`, repo.root);
  return { ...info, source: { kind: 'root-commit' }, repositoryRoot: repo.root };
}

function missingRef(repo: Repository, ref: string, what: string): SebError {
  if (repo.shallow) {
    return new SebError('shallow-clone',
      `${what}: "${ref}" is not in ${repo.root}, which is a shallow clone; fetch the full history (git fetch --unshallow)`,
      repo.root);
  }
  return new SebError('unknown-ref', `${what}: "${ref}" does not name a commit in ${repo.root}`, repo.root);
}

async function resolveHead(
  repo: Repository,
  manifest: RunManifest | undefined,
  manifestFile: string | undefined,
  headCommit: CommitInfo,
): Promise<ResolvedRun['head']> {
  const ref = manifest?.head?.ref;
  if (ref !== undefined) {
    const info = await commitInfo(repo, ref);
    if (!info) throw missingRef(repo, ref, `head.ref in ${manifestFile}`);
    return { ...info, source: { kind: 'manifest-ref', ref } };
  }
  const branch = (await repo.git.probe(['symbolic-ref', '--short', '-q', 'HEAD']))?.trim();
  const dirty = isDirty(await workingTreeChanges(repo));
  return { ...headCommit, source: { kind: 'working-tree', ...(branch ? { branch } : {}), dirty } };
}
