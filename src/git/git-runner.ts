import { simpleGit, GitError, type SimpleGit } from 'simple-git';
import { SebError } from '../core/errors';
import { ENVIRONMENT, hardenArgs } from './hardening';

export interface RunnerOptions {
  /** The git executable; a plain path or command name. */
  gitPath?: string;
  /** Cancels the running git process. */
  signal?: AbortSignal;
}

/** The unsafe switches simple-git asks for: each is needed only to *disable* the feature it names. */
const UNSAFE_OVERRIDES = {
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafeFilter: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeConfigPaths: true, // GIT_CONFIG_GLOBAL=/dev/null
} as const;

/**
 * Runs git in one directory with the hardening of ./hardening.ts. The only way SebReview runs git.
 * `config` is the full `-c` list for this repository (see overridesFor).
 */
export class GitRunner {
  constructor(
    readonly cwd: string,
    private readonly config: readonly string[],
    private readonly options: RunnerOptions = {},
  ) {}

  withConfig(config: readonly string[]): GitRunner {
    return new GitRunner(this.cwd, config, this.options);
  }

  private client(extraEnv: Record<string, string> = {}): SimpleGit {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      // the reviewed repository's git needs none of these, and each could name a program
      if (v !== undefined && !/^(GIT_|EDITOR$|VISUAL$|PAGER$|SSH_ASKPASS$|PREFIX$)/i.test(k)) env[k] = v;
    }
    Object.assign(env, ENVIRONMENT, extraEnv);
    const git = simpleGit({
      baseDir: this.cwd,
      binary: this.options.gitPath ?? 'git',
      config: [...this.config],
      unsafe: UNSAFE_OVERRIDES,
      allowEnvironment: Object.keys(env).filter(k => /^GIT_/i.test(k)),
      maxConcurrentProcesses: 4,
      trimmed: false,
      ...(this.options.signal ? { abort: this.options.signal } : {}),
    });
    return git.env(env);
  }

  /** Runs `git --no-pager <args>` and returns stdout as UTF-8 text. */
  async text(args: readonly string[], extraEnv?: Record<string, string>): Promise<string> {
    const full = hardenArgs(args);
    try {
      return await this.client(extraEnv).raw(['--no-pager', '--literal-pathspecs', ...full]);
    } catch (e) {
      throw this.failure(full, e);
    }
  }

  /** `git cat-file blob <spec>` as bytes. */
  async blob(spec: string, extraEnv?: Record<string, string>): Promise<Buffer> {
    try {
      return await this.client(extraEnv).binaryCatFile(['blob', spec]);
    } catch (e) {
      throw this.failure(['cat-file', 'blob', spec], e);
    }
  }

  /** Like text(), but undefined when git exits non-zero (for probes such as rev-parse --verify). */
  async probe(args: readonly string[], extraEnv?: Record<string, string>): Promise<string | undefined> {
    try {
      return await this.text(args, extraEnv);
    } catch (e) {
      if (e instanceof SebError && e.kind === 'cancelled') throw e;
      return undefined;
    }
  }

  private failure(args: readonly string[], e: unknown): SebError {
    if (this.options.signal?.aborted) return new SebError('cancelled', 'cancelled', this.cwd);
    const detail = e instanceof GitError || e instanceof Error ? e.message.trim() : String(e);
    const first = detail.split('\n').find(l => l.trim().length > 0) ?? detail;
    return new SebError('git-failed', `git ${args[0] ?? ''} failed in ${this.cwd}: ${first}`, this.cwd);
  }
}
