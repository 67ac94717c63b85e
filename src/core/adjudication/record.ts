import { createHash } from 'node:crypto';
import * as z from 'zod';
import { SebError } from '../errors';
import { isMultiple, type Rubric } from '../rubric';
import { STATEMENT_TYPE, pointsProblem, signEnvelope, type Envelope, type Signer } from '../attestation';
import { aggregateOf, type RunAggregate } from './aggregate';

/**
 * The adjudication record: how a disputed run's score was settled, signed by the adjudicator. A DSSE envelope over an
 * in-toto Statement v1 whose subjects are the baseline and run trees, the rubric file and every source worksheet
 * envelope (sha256 of its bytes), and whose predicate (`seb-review/adjudication@1`) keeps every grader's points beside
 * the final ones.
 *
 * Methods: `mean` and `median` take the aggregate on every dimension; `adjudicated` sets the final points per dimension,
 * with a rationale wherever they depart from the mean.
 */

export const ADJUDICATION_PREDICATE_TYPE = 'https://seb-review.dev/adjudication/v1';
export const ADJUDICATION_FORMAT = 'seb-review/adjudication@1';

const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full git object id');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
const FileName = z.string().regex(/^[^/\\]+$/, 'must be a file name without folders').min(1);
const Points = z.number().finite();

export const AdjudicationMethodSchema = z.enum(['mean', 'median', 'adjudicated']);
export type AdjudicationMethod = z.infer<typeof AdjudicationMethodSchema>;

export const AdjudicationSchema = z.strictObject({
  format: z.literal(ADJUDICATION_FORMAT),
  rubric: z.strictObject({ id: z.string().min(1), version: z.string().min(1), sha256: Sha256 }),
  run: z.strictObject({ runId: z.string().min(1), baseline: z.strictObject({ tree: Sha }), head: z.strictObject({ tree: Sha }) }),
  method: AdjudicationMethodSchema,
  /** Every source worksheet: its file name and digest, its grader, and the points it gave (kept as they were). */
  sources: z.array(z.strictObject({
    name: FileName,
    sha256: Sha256,
    grader: z.string().min(1),
    keyId: z.string().min(1),
    points: z.record(z.string(), Points),
    total: Points,
  })).min(2, 'must name at least two source worksheets'),
  /** Per dimension: the aggregate of the sources' points (median for `median`, else mean), and the final points. */
  dimensions: z.array(z.strictObject({
    dimension: z.string().min(1),
    aggregate: Points,
    final: Points,
    /** Why the final points depart from the aggregate (required where they do). */
    rationale: z.string().optional(),
  })),
  total: Points,
  adjudicator: z.strictObject({ name: z.string().min(1), keyId: z.string().min(1) }),
  createdAt: z.string(),
});
export type Adjudication = z.infer<typeof AdjudicationSchema>;

const TreeSubject = <N extends string>(name: N) => z.strictObject({ name: z.literal(name), digest: z.strictObject({ gitTree: Sha }) });
const FileSubject = z.strictObject({ name: FileName, digest: z.strictObject({ sha256: Sha256 }) });

export const AdjudicationStatementSchema = z.strictObject({
  _type: z.literal(STATEMENT_TYPE),
  /** In this order: the baseline tree, the run's tree, the rubric file, then every source worksheet envelope. */
  subject: z.tuple([TreeSubject('baseline'), TreeSubject('run'), FileSubject]).rest(FileSubject),
  predicateType: z.literal(ADJUDICATION_PREDICATE_TYPE),
  predicate: AdjudicationSchema,
});
export type AdjudicationStatement = z.infer<typeof AdjudicationStatementSchema>;

/** What the adjudicator decided on a dimension (method `adjudicated`): the points and why. */
export interface Decision {
  points: number;
  rationale: string;
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const baseName = (f: string) => f.split(/[\\/]/).pop() ?? f;

/**
 * The adjudication of one aggregated run. Every source must be a signed worksheet (its grader bound to a key); for
 * `adjudicated`, `decisions` set the final points of the dimensions they name (a rationale is required where they
 * depart from the mean; the others keep the mean). Bad decisions are a SebError naming the dimension.
 */
export function buildAdjudication(input: {
  run: RunAggregate; rubric: Rubric; method: AdjudicationMethod; decisions?: ReadonlyMap<string, Decision>;
  keyIds: ReadonlyMap<string, string>; adjudicator: { name: string; keyId: string }; now?: Date;
}): Adjudication {
  const { run, rubric, method } = input;
  const names = new Set<string>();
  const sources = run.sources.map(s => {
    const name = baseName(s.file);
    if (names.has(name)) throw new SebError('bad-manifest', `two source worksheets are named ${name}: rename one (the record names its sources by file name)`);
    names.add(name);
    if (!s.signed) throw new SebError('bad-manifest', `${s.file} is not signed: an adjudication settles signed worksheets only`, s.file);
    const keyId = input.keyIds.get(s.file);
    if (keyId === undefined) throw new SebError('bad-manifest', `${s.file}: its grader key is unknown`, s.file);
    const points = Object.fromEntries(run.dimensions.map(d => [d.id, d.points.find(p => p.file === s.file)?.points ?? NaN]));
    return { name, sha256: s.sha256, grader: s.grader, keyId, points, total: s.total };
  });
  const decisions = input.decisions ?? new Map<string, Decision>();
  if (method !== 'adjudicated' && decisions.size > 0) throw new SebError('bad-manifest', `decisions are for --method adjudicated; with ${method} every dimension takes the ${method}`);
  for (const id of decisions.keys()) {
    if (!rubric.dimensions.some(d => d.id === id)) throw new SebError('bad-manifest', `a decision names "${id}", which is not a dimension of ${rubric.id} ${rubric.version}`);
  }
  const dimensions = run.dimensions.map(d => {
    const values = sources.map(s => s.points[d.id] as number);
    const aggregate = aggregateOf(values, method === 'median' ? 'median' : 'mean');
    const decision = decisions.get(d.id);
    if (decision === undefined) {
      if (method === 'adjudicated' && !isMultiple(aggregate, rubric.step)) {
        throw new SebError('bad-manifest', `${d.id}: the mean ${aggregate} is not a multiple of the rubric's step ${rubric.step}; decide the points for it`);
      }
      return { dimension: d.id, aggregate, final: aggregate };
    }
    const problem = pointsProblem(decision.points, d.ceiling, rubric.step);
    if (problem !== undefined) throw new SebError('bad-manifest', `the decision on ${d.id}: ${problem}`);
    if (!same(decision.points, aggregate) && decision.rationale.trim() === '') {
      throw new SebError('bad-manifest', `the decision on ${d.id} departs from the mean ${aggregate} without a rationale`);
    }
    return { dimension: d.id, aggregate, final: decision.points, ...(decision.rationale.trim() !== '' ? { rationale: decision.rationale } : {}) };
  });
  return {
    format: ADJUDICATION_FORMAT,
    rubric: run.rubric,
    run: { runId: run.runId, baseline: { tree: run.trees.baseline }, head: { tree: run.trees.run } },
    method, sources, dimensions,
    total: dimensions.reduce((n, d) => n + d.final, 0),
    adjudicator: input.adjudicator,
    createdAt: (input.now ?? new Date()).toISOString(),
  };
}

export function adjudicationStatement(a: Adjudication, rubricFileName: string): AdjudicationStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      { name: 'baseline', digest: { gitTree: a.run.baseline.tree } },
      { name: 'run', digest: { gitTree: a.run.head.tree } },
      { name: rubricFileName, digest: { sha256: a.rubric.sha256 } },
      ...a.sources.map(s => ({ name: s.name, digest: { sha256: s.sha256 } })),
    ],
    predicateType: ADJUDICATION_PREDICATE_TYPE,
    predicate: a,
  };
}

export function signAdjudication(a: Adjudication, rubricFileName: string, signer: Signer): Envelope {
  if (a.adjudicator.keyId !== signer.keyId) throw new SebError('bad-manifest', `the adjudicator's key is ${a.adjudicator.keyId}, but the signing key is ${signer.keyId}`);
  return signEnvelope(Buffer.from(JSON.stringify(adjudicationStatement(a, rubricFileName)), 'utf8'), signer);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
