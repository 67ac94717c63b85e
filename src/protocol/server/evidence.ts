import { clientRequest, type Reply } from './defs';

/**
 * The evidence for the rubric's other dimensions, as the editor shows it: facts found by the server on the open run's
 * two snapshots (test fates, incident tests, test logs, stubs and shims, the plan against the code), each in one line
 * with its location and the note it would carry as evidence. The same findings as `seb-review evidence`; facts, never a
 * score. All strings come from the reviewed repository: the client shows them as text, never as markup.
 */

/** What a fact is about; the rubric form shows each topic under the dimensions whose text names it. */
export type EvidenceTopic = 'incident-tests' | 'tests' | 'test-doubles' | 'test-results' | 'stubs' | 'plan';

export const EVIDENCE_TOPICS: readonly EvidenceTopic[] = ['incident-tests', 'tests', 'test-doubles', 'test-results', 'stubs', 'plan'];

export interface FactLocation {
  side: 'baseline' | 'run';
  path: string;
  startLine: number;
  endLine: number;
}

export interface EvidenceFact {
  /** Unique within one report. */
  id: string;
  topic: EvidenceTopic;
  /** Something reviewers look at twice (a deleted or skipped incident test, a failed test, a stub, a bypass): shown with a warning icon. Not a score. */
  attention: boolean;
  /** One line, for lists: "Incident test deleted: reconnect > keeps marks". */
  text: string;
  /** Where it is; absent for facts about the run as a whole ("the manifest names no test log"). */
  location?: FactLocation;
  /** The note it carries when added as evidence (the location is added beside it). */
  note: string;
}

export interface EvidenceFacts {
  runId: string;
  trees: { baseline: string; run: string };
  /** Counts for the headline: tests of each side, logs, stubs. */
  counts: { baselineTests: number; runTests: number; incidentTests: number; logs: number; stubs: number };
  facts: EvidenceFact[];
  /** Facts left out per topic when a topic has more than the server sends (`seb-review evidence` lists them all). */
  omitted: Partial<Record<EvidenceTopic, number>>;
}

/**
 * client → server: the evidence of the open run. Found once per opened run (on the trees as they were opened: unsaved
 * edits do not change it), the first time it is asked for; requests while it is being found wait for the same work.
 */
export const EvidenceRequest = clientRequest<{ trees?: { baseline: string; run: string } }, Reply<{ evidence: EvidenceFacts }>>('seb/evidence');
