import { type GitRunner, type RunnerOptions } from './git-runner';
import { openRepository, realFolder, type Repository } from './repository';
import { locateRepository } from './repository-location';
import { type ResolvedRun } from '../core/run';

/**
 * Both trees of a run, readable with one git, without writing anything into the run's repository or the baseline's:
 * git works in the run's owned git directory (./owned-git-dir.ts), reaching both repositories' objects as read-only
 * alternates. A working tree with uncommitted changes is snapshotted there as a tree object (`git add -A` into the
 * owned index, then `git write-tree`), so its digest is the tree as it is. Those two commands run without the
 * alternates: git writes every object they need into the owned folder instead of touching ("freshening") an existing
 * object file of the run.
 */
export class ReviewWorkspace {
  private constructor(
    readonly repo: Repository,
    readonly baselineTree: string,
    readonly headTree: string,
    private readonly git: GitRunner,
  ) {}

  /**
   * `repo`: the run's repository when the caller has it open already (resolveRunIn); the workspace then owns it and
   * disposes it.
   */
  static async open(run: ResolvedRun, options: RunnerOptions = {}, opened?: Repository): Promise<ReviewWorkspace> {
    const repo = opened?.root === run.root ? opened : await openRepository(run.root, options);
    try {
      let git = repo.git;
      if (run.baseline.repositoryRoot !== run.root) {
        const baseline = await locateRepository(await realFolder(run.baseline.repositoryRoot));
        git = git.withAlternates([baseline.objectsDir]);
      }
      let headTree = run.head.tree;
      if (run.head.source.kind === 'working-tree' && run.head.source.dirty) {
        const writer = repo.git.writer();
        await writer.text(['add', '-A', '--ignore-errors', '--', '.']);
        headTree = (await writer.text(['write-tree', '--missing-ok'])).trim();
      }
      return new ReviewWorkspace(repo, run.baseline.tree, headTree, git);
    } catch (e) {
      await repo.dispose();
      throw e;
    }
  }

  /** Runs a read-only git command that can see both trees. */
  text(args: readonly string[]): Promise<string> {
    return this.git.text(args);
  }

  /** Like text(), with git's warnings. */
  run(args: readonly string[]): Promise<{ stdout: Buffer; stderr: string }> {
    return this.git.run(args);
  }

  blob(spec: string): Promise<Buffer> {
    return this.git.blob(spec);
  }

  async dispose(): Promise<void> {
    await this.repo.dispose();
  }
}
