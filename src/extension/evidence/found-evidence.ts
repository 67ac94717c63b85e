import type { Dimension } from '../../core/rubric';
import { EVIDENCE_TOPICS, type EvidenceFact } from '../../protocol/server/evidence';
import type { FoundEvidence } from '../../protocol/webview/rubric';
import { dimensionsForTopics } from './dimension-topics';
import type { EvidenceState } from './evidence-store';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The evidence as the rubric form lists it: facts under the dimensions whose words name their topic (./dimension-topics). */
export function foundEvidence(dimensions: readonly Dimension[], state: EvidenceState): FoundEvidence {
  const empty = { byDimension: {}, unplaced: [], omitted: 0 };
  if (state.kind !== 'ready') return { status: state.kind, message: state.message, ...empty };
  const e = state.evidence;
  const placed = dimensionsForTopics(dimensions, EVIDENCE_TOPICS);
  const byDimension: Record<string, EvidenceFact[]> = {};
  const unplaced: EvidenceFact[] = [];
  for (const f of e.facts) {
    const ids = placed.get(f.topic) ?? [];
    if (ids.length === 0) unplaced.push(f);
    for (const id of ids) (byDimension[id] ??= []).push(f);
  }
  const omitted = Object.values(e.omitted).reduce((a, b) => a + (b ?? 0), 0);
  const c = e.counts;
  const message = `${plural(c.baselineTests, 'baseline test')} (${c.incidentTests} incident), ${plural(c.runTests, 'run test')}, `
    + `${plural(c.logs, 'test log')}, ${plural(c.stubs, 'stub')} the run added: facts, not scores`;
  return { status: 'ready', message, byDimension, unplaced, omitted };
}
