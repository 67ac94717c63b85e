import * as z from 'zod';
import { SignedWorksheetSchema, type SignedWorksheet } from '../worksheet';

/** in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The predicate type of a signed worksheet: the predicate is a `seb-review/worksheet@1` worksheet. */
export const WORKSHEET_PREDICATE_TYPE = 'https://seb-review.dev/worksheet/v1';

const GitObjectId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full git object id');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

const TreeSubject = <N extends string>(name: N) => z.strictObject({ name: z.literal(name), digest: z.strictObject({ gitTree: GitObjectId }) });

/** The rubric file, by its file name; a name without folders. */
const RubricSubject = z.strictObject({
  name: z.string().regex(/^[^/\\]+$/, 'must be a file name without folders'),
  digest: z.strictObject({ sha256: Sha256 }),
});

export const StatementSchema = z.strictObject({
  _type: z.literal(STATEMENT_TYPE),
  /** In this order: the baseline tree, the run's tree, the rubric file. */
  subject: z.tuple([TreeSubject('baseline'), TreeSubject('run'), RubricSubject]),
  predicateType: z.literal(WORKSHEET_PREDICATE_TYPE),
  /** The worksheet, its grader bound to a key (grader.keyId is required). */
  predicate: SignedWorksheetSchema,
});

export type Statement = z.infer<typeof StatementSchema>;

/** The statement for a worksheet: its subjects come from the worksheet's own trees and rubric digest. */
export function buildStatement(worksheet: SignedWorksheet, rubricFileName: string): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      { name: 'baseline', digest: { gitTree: worksheet.run.baseline.tree } },
      { name: 'run', digest: { gitTree: worksheet.run.head.tree } },
      { name: rubricFileName, digest: { sha256: worksheet.rubric.sha256 } },
    ],
    predicateType: WORKSHEET_PREDICATE_TYPE,
    predicate: worksheet,
  };
}

/** The payload bytes: the statement as UTF-8 JSON. */
export function encodeStatement(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

export interface SubjectMismatch {
  field: string;
  message: string;
}

/** Where the subjects disagree with the predicate they attest (the signed trees and rubric must be the worksheet's). */
export function subjectMismatches(statement: Statement): SubjectMismatch[] {
  const [baseline, run, rubric] = statement.subject;
  const ws = statement.predicate;
  const out: SubjectMismatch[] = [];
  if (baseline.digest.gitTree !== ws.run.baseline.tree) {
    out.push({ field: 'subject[0].digest.gitTree', message: `is ${baseline.digest.gitTree}, but the worksheet's baseline tree is ${ws.run.baseline.tree}` });
  }
  if (run.digest.gitTree !== ws.run.head.tree) {
    out.push({ field: 'subject[1].digest.gitTree', message: `is ${run.digest.gitTree}, but the worksheet's run tree is ${ws.run.head.tree}` });
  }
  if (rubric.digest.sha256 !== ws.rubric.sha256) {
    out.push({ field: 'subject[2].digest.sha256', message: `is ${rubric.digest.sha256}, but the worksheet's rubric digest is ${ws.rubric.sha256}` });
  }
  return out;
}
