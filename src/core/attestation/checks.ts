import { type Rubric } from '../rubric';

/**
 * What is checked. json: well-formed, no duplicate keys (envelope and payload); schema: no missing, wrong or unexpected
 * field at any level; signature: each signature by an allowed signer and valid, and the grader's key among them;
 * threshold: enough distinct signers; subjects: the statement's subjects are the worksheet's trees and rubric digest;
 * rubric-digest: the rubric the worksheet names has that digest and the subject's file name; ceilings: each entry
 * against the rubric (dimensions, ceiling, step, rationale); total: exactly the sum of the entries; tree: the subjects
 * against the actual trees of the run; commit: the worksheet's commit ids against the run's.
 */
export type CheckName = 'json' | 'schema' | 'signature' | 'threshold' | 'subjects' | 'rubric-digest' | 'ceilings' | 'total' | 'tree' | 'commit'
  /** An adjudication: its aggregates are the sources' (mean or median), its final points follow its method. */
  | 'aggregate'
  /** An adjudication: a source worksheet file given beside it has the digest it names. */
  | 'source-digest';

export interface Check {
  check: CheckName;
  ok: boolean;
  /** Where: "signatures[1].sig", "predicate.entries[2].points", "subject[1].digest.gitTree". */
  field?: string;
  message: string;
}

export interface ResolvedRubric {
  rubric: Rubric;
  /** sha256 (hex) of the rubric file's bytes. */
  sha256: string;
  file: string;
}

/** The rubric with this id and version, or undefined when there is none. */
export type RubricResolver = (id: string, version: string) => ResolvedRubric | undefined;
