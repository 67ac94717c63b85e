import { createHash } from 'node:crypto';

export interface AnalysisInputs {
  analyzer: string;
  packs: ReadonlyArray<{ id: string; version: number; sha256: string }>;
  authority: readonly string[];
  baselineTree: string;
  runTree: string;
}

/**
 * What an analysis drew from, as one sha256: the analyzer version, each rule pack (id, version, sha256, in order), the
 * declared authority and both trees. The same inputs give the same digest on any machine; a worksheet records it with
 * the inputs so a reader can tell which analysis its evidence came from.
 */
export function analysisDigest(i: AnalysisInputs): string {
  const h = createHash('sha256');
  h.update(`seb-review/analysis-digest@1\0${i.analyzer}\0baseline ${i.baselineTree}\0run ${i.runTree}\0`);
  for (const p of i.packs) h.update(`pack ${p.id}@${p.version} ${p.sha256}\0`);
  for (const a of i.authority) h.update(`authority ${a}\0`);
  return h.digest('hex');
}
