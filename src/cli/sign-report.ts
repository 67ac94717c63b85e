import path from 'node:path';
import { type Check, type ResolvedRubric, type SigningKey } from '../core/attestation';
import { type Worksheet } from '../core/worksheet';
import { type RunTrees } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS } from './usage';
import { formatCheck } from './verify';

/** What `sign` and `sign --cosign` share: the key, the rubric given with --rubric, the run given with --run, --out. */
export interface SignContext {
  key: SigningKey;
  keyFile: string;
  /** --rubric: the rubric, whatever the worksheet names (a different id or version is reported). */
  given?: ResolvedRubric;
  /** --run: the run's trees and commits. */
  trees?: RunTrees;
  out?: string;
}

/** Nothing written: the failed checks on stderr, exit 1. */
export function refuse(io: Output, headline: string, failed: readonly Check[]): number {
  io.err(`seb-review: ${headline}`);
  for (const c of failed) io.err(`  ${formatCheck(c)}`);
  return EXIT_FINDINGS;
}

/** The lines after "signed FILE" and "co-signed FILE". */
export function summary(ws: Worksheet, rubric: ResolvedRubric): string[] {
  return [
    `  run       ${ws.run.runId}`,
    `  grader    ${ws.grader.name} (${ws.grader.kind})`,
    `  total     ${ws.total} / ${rubric.rubric.total}`,
    `  baseline  tree ${ws.run.baseline.tree}`,
    `  run       tree ${ws.run.head.tree}`,
    `  rubric    ${path.basename(rubric.file)} (${ws.rubric.id} ${ws.rubric.version}) sha256 ${ws.rubric.sha256}`,
  ];
}
