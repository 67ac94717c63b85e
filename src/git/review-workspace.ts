import { type GitRunner, type RunnerOptions } from './git-runner';
import { openRepository, realFolder, type Repository } from './repository';
import { locateRepository } from './repository-location';
import { snapshotWorkingTree } from './snapshot';
import { gitTreeReader } from './tree-reader';
import { type TreeReader } from '../core/tree-read';
import { type ReviewSide, type ReviewTrees } from '../core/review';
import { type ResolvedRun } from '../core/run';

/**
 * Both trees of a run, readable with one git, without writing anything into the run's repository or the baseline's:
 * git works in the run's owned git directory (./owned-git-dir.ts), reaching both repositories' objects as read-only
 * alternates. A working tree with uncommitted changes is snapshotted there as a tree object (./snapshot.ts), so its
 * digest is the tree as it is. Reads go through a runner with no working tree and no index, so the run's
 * `.gitattributes` cannot change how its trees are compared or counted.
 */
export class ReviewWorkspace implements ReviewTrees {
  private readonly readers = new Map<ReviewSide, TreeReader>();

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
      let git = repo.git.treeOnly();
      if (run.baseline.repositoryRoot !== run.root) {
        const baseline = await locateRepository(await realFolder(run.baseline.repositoryRoot));
        git = git.withAlternates([baseline.objectsDir]);
      }
      let headTree = run.head.tree;
      if (run.head.source.kind === 'working-tree' && run.head.source.dirty) headTree = await snapshotWorkingTree(repo);
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

  /**
   * One side of the review, read from git objects through the tree reader (the run as its snapshot): the same reader on
   * every call, so its listing is made once and serves every read of the side.
   */
  reader(side: ReviewSide): TreeReader {
    let reader = this.readers.get(side);
    if (!reader) {
      reader = side === 'baseline' ? gitTreeReader(this.git, this.baselineTree, 'the baseline') : gitTreeReader(this.git, this.headTree, 'the run');
      this.readers.set(side, reader);
    }
    return reader;
  }

  async dispose(): Promise<void> {
    await this.repo.dispose();
  }
}
