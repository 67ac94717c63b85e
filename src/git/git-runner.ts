import { spawn } from 'node:child_process';
import path from 'node:path';
import { SebError } from '../core/errors';
import { gitExecutable } from './git-executable';
import { DROPPED_ENV, ENVIRONMENT, alternatesList, hardenArgs } from './hardening';
import { type OwnedGitDir } from './owned-git-dir';

export interface RunnerOptions {
  /** The git executable: a command name looked up on PATH's absolute entries, or an absolute path. */
  gitPath?: string;
  /** Cancels the running git process. */
  signal?: AbortSignal;
}

export interface GitOutput {
  stdout: Buffer;
  /** What git printed on stderr even though it succeeded (warnings such as a skipped rename detection). */
  stderr: string;
}

/** One git process as it was started: what tests check to prove no command could read a reviewed repository's config. */
export interface GitInvocation {
  executable: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

const observers = new Set<(i: GitInvocation) => void>();

/** Calls `fn` for every git process started from now on; returns the function that stops it. */
export function observeGitInvocations(fn: (i: GitInvocation) => void): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/**
 * Runs git against an owned git directory (./owned-git-dir.ts) with the hardening of ./hardening.ts: the only way SEB
 * Review runs git. `workTree` is the reviewed working tree (read, never written: git writes only into the owned
 * folder); `alternates` are the object folders git may read, never write: commands that write objects run through
 * writer(), which has none, so git cannot "freshen" (touch) an object file of the reviewed repository.
 *
 * git is spawned directly (no shell). An earlier version went through simple-git, which waits a fixed 50 ms after
 * any git command that prints nothing: measured 52.5 ms against 2.3 ms for the same call (bench/diff-listing.ts).
 */
export class GitRunner {
  private readonly executable: string;
  private readonly env: Record<string, string>;

  /**
   * `treeOnly`: no working tree and no index (GIT_INDEX_FILE names a file that does not exist), for commands that read
   * only objects (diff-tree, ls-tree, cat-file, log): the run's `.gitattributes` (`-diff`, `working-tree-encoding`) then
   * cannot change how its trees are compared or counted.
   */
  constructor(
    readonly owned: OwnedGitDir,
    readonly workTree: string,
    readonly alternates: readonly string[],
    private readonly options: RunnerOptions = {},
    private readonly treeOnlyMode = false,
  ) {
    this.executable = gitExecutable(options.gitPath);
    const inside = path.relative(workTree, this.executable);
    if (inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside)) {
      throw new SebError('unsafe-repository', `the git executable ${this.executable} lies inside the reviewed folder ${workTree}; SEB Review does not run it`, workTree);
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !DROPPED_ENV.test(k)) env[k] = v;
    Object.assign(env, ENVIRONMENT, { GIT_DIR: owned.gitDir });
    if (treeOnlyMode) env.GIT_INDEX_FILE = owned.noIndexFile;
    else Object.assign(env, { GIT_WORK_TREE: workTree, GIT_INDEX_FILE: owned.indexFile });
    if (alternates.length > 0) env.GIT_ALTERNATE_OBJECT_DIRECTORIES = alternatesList(alternates, path.delimiter);
    this.env = env;
  }

  /** The same repository with more object folders to read (the baseline's, when it is another repository). */
  withAlternates(more: readonly string[]): GitRunner {
    return new GitRunner(this.owned, this.workTree, [...this.alternates, ...more], this.options, this.treeOnlyMode);
  }

  /** For commands that write objects (update-index, write-tree --missing-ok): no alternates, so nothing outside is touched. */
  writer(): GitRunner {
    return new GitRunner(this.owned, this.workTree, [], this.options, this.treeOnlyMode);
  }

  /** For commands that read only objects: no working tree, no index (see the constructor). */
  treeOnly(): GitRunner {
    return new GitRunner(this.owned, this.workTree, this.alternates, this.options, true);
  }

  /**
   * Runs `git --no-pager --literal-pathspecs <args>`, with `input` on its standard input; rejects with a SebError naming
   * the folder when git fails.
   */
  async run(args: readonly string[], input?: Buffer): Promise<GitOutput> {
    const out: Buffer[] = [];
    const { stderr } = await this.stream(args, input, d => out.push(d));
    return { stdout: Buffer.concat(out), stderr };
  }

  /**
   * Like run(), but hands standard output to `onStdout` as it arrives instead of holding it, for output larger than
   * what the caller keeps (`git cat-file --batch`). When `onStdout` throws, git is stopped and the promise rejects with
   * that error.
   */
  stream(args: readonly string[], input: Buffer | undefined, onStdout: (chunk: Buffer) => void): Promise<{ stderr: string }> {
    const hardened = hardenArgs(args);
    const full = ['--no-pager', '--literal-pathspecs', ...hardened];
    const what = hardened[0] ?? '';
    const cwd = this.owned.scratch;
    for (const o of observers) o({ executable: this.executable, args: full, cwd, env: this.env });
    return new Promise((resolve, reject) => {
      if (this.options.signal?.aborted) {
        reject(new SebError('cancelled', 'cancelled', this.workTree));
        return;
      }
      const child = spawn(this.executable, full, {
        cwd, env: this.env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true, shell: false,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      if (input !== undefined) {
        child.stdin?.on('error', () => undefined); // git exiting early is reported by its exit code
        child.stdin?.end(input);
      }
      const err: Buffer[] = [];
      let failed: { error: unknown } | undefined;
      child.stdout?.on('data', (d: Buffer) => {
        if (failed) return;
        try {
          onStdout(d);
        } catch (e) {
          failed = { error: e };
          child.kill();
        }
      });
      child.stderr?.on('data', (d: Buffer) => err.push(d));
      child.on('error', e => {
        if (this.options.signal?.aborted) reject(new SebError('cancelled', 'cancelled', this.workTree));
        else reject(new SebError('git-failed', `git could not be started (${this.executable}): ${e.message}`, this.workTree));
      });
      child.on('close', code => {
        const stderr = Buffer.concat(err).toString('utf8');
        if (this.options.signal?.aborted) reject(new SebError('cancelled', 'cancelled', this.workTree));
        else if (failed) reject(failed.error);
        else if (code === 0) resolve({ stderr });
        else {
          const first = stderr.split('\n').find(l => l.trim().length > 0) ?? `exit code ${code}`;
          reject(new SebError('git-failed', `git ${what} failed in ${this.workTree}: ${first.trim()}`, this.workTree));
        }
      });
    });
  }

  /** stdout as UTF-8 text. */
  async text(args: readonly string[]): Promise<string> {
    return (await this.run(args)).stdout.toString('utf8');
  }

  /** `git cat-file blob <spec>` as bytes. */
  async blob(spec: string): Promise<Buffer> {
    return (await this.run(['cat-file', 'blob', spec])).stdout;
  }

  /** Like text(), but undefined when git exits non-zero (for probes such as rev-parse --verify). */
  async probe(args: readonly string[]): Promise<string | undefined> {
    try {
      return await this.text(args);
    } catch (e) {
      if (e instanceof SebError && e.kind === 'cancelled') throw e;
      return undefined;
    }
  }
}
