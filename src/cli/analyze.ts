import { stat } from 'node:fs/promises';
import { analyzeSides } from '../analysis/authority/analyze';
import { loadRulePacks } from '../analysis/authority/packs';
import { toSarif } from '../analysis/authority/sarif';
import { type BaselineSource } from '../core/run';
import { openTrees } from '../git/open-review';
import { analysisKey, defaultCacheDir, readCachedAnalysis, writeCachedAnalysis } from '../analysis/authority/result-cache';
import { type ResolveOptions } from '../git/resolve-run';
import { version } from '../../package.json';
import { analysisReport, bypassingEntries, type ReportContext } from './analyze-report';
import { analyzeArgs, declaredAuthority } from './analyze-args';
import { replaceFile } from './attestation-io';
import { type Output } from './output';
import { insideRun, refuseInsideRun } from './output-guard';
import { EXIT_FINDINGS, EXIT_OK } from './usage';

/** Progress lines on stderr, at most one a second, and only to a terminal (never into a log or a pipe). */
function progressTo(io: Output): ((message: string) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let last = 0;
  return message => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    io.err(`analyze: ${message}`);
  };
}

/**
 * `seb-review analyze`: the authority map of a run and its baseline (where writes enter, what they write, whether
 * they pass the declared authority, what became of the baseline's entry points). Text report, or exactly the analysis
 * with --json; --sarif FILE also writes SARIF 2.1.0 (never inside the run's or the baseline's tree). Exit 1 when a
 * reachable entry point of the run writes without passing the declared authority.
 */
export async function analyzeCommand(argv: string[], io: Output): Promise<number> {
  const args = analyzeArgs(argv);
  const options: ResolveOptions = {};
  if (args.baseline !== undefined) {
    const isDir = await stat(args.baseline).then(s => s.isDirectory(), () => false);
    if (isDir) options.baselinePath = args.baseline;
    else options.baseline = args.baseline;
  }
  const { run, workspace } = await openTrees(args.target, options);
  try {
    const roots = { run: run.root, baseline: run.baseline.repositoryRoot };
    if (args.sarif !== undefined) refuseInsideRun(args.sarif, { roots }, 'writing the SARIF log', '--sarif FILE');
    const packs = await loadRulePacks(args.rules);
    const progress = progressTo(io);
    const authority = declaredAuthority(args.authority, run.manifest);
    // finished results are kept by content (trees, packs, authority, analyzer): never in the run's or the baseline's tree
    const cacheDir = args.cache ? defaultCacheDir() : undefined;
    const usable = cacheDir !== undefined && !insideRun(cacheDir, roots);
    const key = analysisKey({ baselineTree: workspace.baselineTree, runTree: workspace.headTree, packs, authority });
    let analysis = usable ? await readCachedAnalysis(cacheDir, key) : undefined;
    if (!analysis) {
      analysis = await analyzeSides({
        baseline: { reader: workspace.reader('baseline'), tree: workspace.baselineTree },
        run: { reader: workspace.reader('run'), tree: workspace.headTree },
        packs, authority,
        ...(progress !== undefined ? { progress } : {}),
      });
      if (usable) await writeCachedAnalysis(cacheDir, key, analysis);
    }
    if (args.sarif !== undefined) {
      const baselineRoot = run.baseline.source.kind === 'manifest-path' ? { baselineRoot: run.baseline.repositoryRoot } : {};
      replaceFile(args.sarif, `${JSON.stringify(toSarif(analysis, { toolVersion: version, runRoot: run.root, ...baselineRoot }), null, 2)}\n`);
    }
    if (args.json) {
      io.json(analysis);
    } else {
      const ctx: ReportContext = {
        runId: run.runId, runRoot: run.root,
        baseline: { commit: run.baseline.commit, source: baselineSource(run.baseline.source) },
        head: { commit: run.head.commit, workingTree: run.head.source.kind === 'working-tree', dirty: run.head.source.kind === 'working-tree' && run.head.source.dirty },
      };
      io.out(...analysisReport(analysis, ctx));
      if (args.sarif !== undefined) io.out('', `SARIF written to ${args.sarif}`);
    }
    return bypassingEntries(analysis).length > 0 ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    await workspace.dispose();
  }
}

function baselineSource(s: BaselineSource): string {
  switch (s.kind) {
    case 'root-commit': return 'the root commit';
    case 'manifest-ref': return `baseline.ref ${s.ref} in the manifest`;
    case 'manifest-path': return `the checkout ${s.path}`;
    case 'chosen': return `--baseline ${s.ref}`;
  }
}
