import { stat } from 'node:fs/promises';
import { openReview, type OpenReviewOptions } from '../git/open-review';
import { type FileChange } from '../git/changes';
import { type SizeSummary } from '../core/size-summary';
import { statusLabel } from '../core/file-change';
import { EXIT_OK } from './usage';
import { runArgs } from './args';
import { type Output } from './output';

const n = (x: number) => x.toLocaleString('en-US');

function text(changes: readonly FileChange[], s: SizeSummary): string[] {
  const lines = changes.map(c => `${statusLabel(c).padEnd(22)} ${c.oldPath && c.oldPath !== c.path ? `${c.oldPath} -> ` : ''}${c.path}`);
  const adds = changes.reduce((a, c) => a + c.additions, 0);
  const dels = changes.reduce((a, c) => a + c.deletions, 0);
  lines.push('', `${n(changes.length)} files changed, +${n(adds)} −${n(dels)}`, '');
  lines.push(`size: ${n(s.baseline.files)} files, ${n(s.baseline.lines)} lines -> ${n(s.run.files)} files, ${n(s.run.lines)} lines ` +
    `(net ${s.netLines >= 0 ? '+' : ''}${n(s.netLines)}; ${n(s.filesAdded)} files added, ${n(s.filesDeleted)} deleted)`);
  for (const l of s.languages) lines.push(`  ${l.language.padEnd(12)} ${n(l.baselineLines).padStart(9)} -> ${n(l.runLines).padStart(9)} lines`);
  lines.push('largest in the baseline:', ...s.largestBaseline.map(f => `  ${String(f.lines ?? 'binary').padStart(7)}  ${f.path}`));
  lines.push('largest in the run:', ...s.largestRun.map(f => `  ${String(f.lines ?? 'binary').padStart(7)}  ${f.path}`));
  return lines;
}

/** `seb-review diff <run> [--baseline REF|DIR] [--json]`: the changed files and the size summary. */
export async function diffCommand(argv: string[], io: Output): Promise<number> {
  const { target, baseline: b, json } = runArgs('diff', argv);
  const options: OpenReviewOptions = { sizesAtOnce: true };
  if (b !== undefined) {
    const isDir = await stat(b).then(s => s.isDirectory(), () => false);
    if (isDir) options.baselinePath = b;
    else options.baseline = b;
  }
  const { run, workspace: ws, changes, sizes: summarise } = await openReview(target, options);
  try {
    const sizes = await summarise();
    if (json) {
      io.json({ runId: run.runId, baseline: { commit: run.baseline.commit, tree: ws.baselineTree },
        head: { commit: run.head.commit, tree: ws.headTree, workingTree: run.head.source.kind === 'working-tree' }, changes, sizes });
    } else {
      io.out(...text(changes, sizes));
    }
  } finally {
    await ws.dispose();
  }
  return EXIT_OK;
}
