import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunnerOptions } from './git-runner';
import { openRepository, type Repository } from './repository';
import { type ResolvedRun } from './resolve-run';

/**
 * Both trees of a run, readable with one git, without writing anything into the run's repository or the baseline's:
 * git works in a scratch folder outside both (its own index file and object directory), and reaches the
 * repositories' objects as alternates, read-only. A working tree with uncommitted changes is snapshotted there as a
 * tree object (`git add -A` into the scratch index, then `git write-tree`), so its digest is the tree as it is.
 */
export class ReviewWorkspace {
  private constructor(
    readonly repo: Repository,
    readonly baselineTree: string,
    readonly headTree: string,
    private readonly env: Record<string, string>,
    private readonly scratch: string,
  ) {}

  /** `repo`: the run's repository when the caller has it open already (resolveRunIn). */
  static async open(run: ResolvedRun, options: RunnerOptions = {}, opened?: Repository): Promise<ReviewWorkspace> {
    const repo = opened?.root === run.root ? opened : await openRepository(run.root, options);
    const [objects = '', index = ''] = (await repo.git.text(['rev-parse', '--path-format=absolute', '--git-path', 'objects', '--git-path', 'index'])).split('\n');
    const objectDirs = [objects];
    if (run.baseline.repositoryRoot !== run.root) {
      objectDirs.push(await objectsDir(await openRepository(run.baseline.repositoryRoot, options)));
    }
    const scratch = await mkdtemp(path.join(tmpdir(), 'seb-review-'));
    const env = {
      GIT_INDEX_FILE: path.join(scratch, 'index'),
      GIT_OBJECT_DIRECTORY: path.join(scratch, 'objects'),
      GIT_ALTERNATE_OBJECT_DIRECTORIES: objectDirs.join(path.delimiter),
    };
    try {
      await mkdir(env.GIT_OBJECT_DIRECTORY); // git only takes it for a repository when the object directory exists
      let headTree = run.head.tree;
      // a copy of the real index: unchanged files need not be read again (their stat data is still valid), and git
      // compares trees faster with it. Copying only reads the run's index.
      await copyFile(index, env.GIT_INDEX_FILE).catch(() => undefined);
      if (run.head.source.kind === 'working-tree' && run.head.source.dirty) {
        await repo.git.text(['add', '-A', '--ignore-errors', '--', '.'], env);
        headTree = (await repo.git.text(['write-tree'], env)).trim();
      }
      return new ReviewWorkspace(repo, run.baseline.tree, headTree, env, scratch);
    } catch (e) {
      await rm(scratch, { recursive: true, force: true });
      throw e;
    }
  }

  /** Runs a read-only git command that can see both trees. */
  text(args: readonly string[]): Promise<string> {
    return this.repo.git.text(args, this.env);
  }

  /** Like text(), with git's warnings. */
  run(args: readonly string[]): Promise<{ stdout: Buffer; stderr: string }> {
    return this.repo.git.run(args, this.env);
  }

  blob(spec: string): Promise<Buffer> {
    return this.repo.git.blob(spec, this.env);
  }

  async dispose(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }
}

async function objectsDir(repo: Repository): Promise<string> {
  return (await repo.git.text(['rev-parse', '--path-format=absolute', '--git-path', 'objects'])).trim();
}
