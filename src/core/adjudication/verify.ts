import type * as z from 'zod';
import { describeIssues } from '../parse-result';
import { decodeUtf8Payload, parseEnvelope, pointsProblem, type AllowedSigner, type Check, type Envelope, type RubricResolver } from '../attestation';
import { checkSignatures, type ValidSignature } from '../attestation/verify-signatures';
import { parseStrictJson } from '../attestation/strict-json';
import { aggregateOf } from './aggregate';
import { ADJUDICATION_PREDICATE_TYPE, AdjudicationStatementSchema, sha256Hex, type Adjudication, type AdjudicationStatement } from './record';

export interface AdjudicationVerifyOptions {
  allowedSigners: readonly AllowedSigner[];
  resolveRubric: RubricResolver;
  threshold?: number;
  /** Source worksheet files given beside the record: their bytes must be the ones it names. */
  sources?: ReadonlyArray<{ file: string; bytes: Uint8Array }>;
  /** The run's actual trees. */
  trees?: { baseline: string; run: string };
}

export interface AdjudicationVerdict {
  ok: boolean;
  checks: Check[];
  signers: string[];
  /** The allowed signer whose key the record names as its adjudicator's, when that key signed. */
  adjudicator?: ValidSignature;
  envelope?: Envelope;
  statement?: AdjudicationStatement;
  adjudication?: Adjudication;
}

/** Whether an envelope's payload claims to be an adjudication (decides which verifier a file goes to). */
export function isAdjudicationEnvelope(text: string): boolean {
  const env = parseEnvelope(text);
  if (!env.ok) return false;
  const payload = decodeUtf8Payload(env.value);
  if (payload === undefined) return false;
  const json = parseStrictJson(payload);
  return json.ok && typeof json.value === 'object' && json.value !== null && (json.value as { predicateType?: unknown }).predicateType === ADJUDICATION_PREDICATE_TYPE;
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const fmt = (x: number) => String(Number(x.toFixed(6)));

/**
 * Checks a signed adjudication: signatures and threshold, the adjudicator's key among them, the schema, the subjects
 * against the predicate, the rubric, that each aggregate is the mean (or median) of the sources' points, that mean and
 * median records take the aggregate everywhere and an adjudicated one gives a rationale wherever it departs, that the
 * total is the sum of the final points, and, for every source file given, that its digest is the one named.
 */
export function verifyAdjudication(text: string, options: AdjudicationVerifyOptions): AdjudicationVerdict {
  const threshold = options.threshold ?? 1;
  const parsed = parseEnvelope(text);
  if (!parsed.ok) return { ok: false, checks: parsed.checks, signers: [] };
  const envelope = parsed.value;
  const checks: Check[] = [{ check: 'json', ok: true, message: 'well-formed, no duplicate keys' }];
  const { valid, identities: signers } = checkSignatures(envelope, options.allowedSigners, checks);
  checks.push({ check: 'threshold', ok: signers.length >= threshold,
    message: `${signers.length} of ${threshold} required signer${threshold === 1 ? '' : 's'}${signers.length > 0 ? ` (${signers.join(', ')})` : ''}` });
  const payload = decodeUtf8Payload(envelope);
  if (payload === undefined) return fail(checks, signers, envelope, { check: 'json', ok: false, field: 'payload', message: 'the decoded payload is not UTF-8' });
  const json = parseStrictJson(payload);
  if (!json.ok) return fail(checks, signers, envelope, { check: 'json', ok: false, field: json.field === '(root)' ? 'payload' : json.field, message: `${json.message} (in the decoded payload)` });
  const st = (AdjudicationStatementSchema as z.ZodType<AdjudicationStatement>).safeParse(json.value);
  if (!st.success) {
    return { ok: false, checks: [...checks, ...describeIssues(st.error).map(p => ({ check: 'schema' as const, ok: false, field: p.field, message: `${p.message} (adjudication statement)` }))], signers, envelope };
  }
  const statement = st.data;
  const a = statement.predicate;
  checks.push({ check: 'schema', ok: true, message: 'a DSSE envelope of an in-toto Statement v1 whose predicate is a seb-review/adjudication@1' });

  const bound = valid.find(v => v.keyId === a.adjudicator.keyId);
  checks.push(bound !== undefined
    ? { check: 'signature', ok: true, field: 'predicate.adjudicator.keyId', message: `the adjudicator ${JSON.stringify(a.adjudicator.name)} is ${bound.identity}, whose key signed` }
    : { check: 'signature', ok: false, field: 'predicate.adjudicator.keyId', message: `the adjudicator's key ${a.adjudicator.keyId} has no valid signature on this record` });

  // subjects: the trees, the rubric, then the sources in order
  const subjects: Check[] = [];
  const [baseline, run, rubricSubject, ...sourceSubjects] = statement.subject;
  if (baseline.digest.gitTree !== a.run.baseline.tree) subjects.push({ check: 'subjects', ok: false, field: 'subject[0].digest.gitTree', message: `is ${baseline.digest.gitTree}, but the record's baseline tree is ${a.run.baseline.tree}` });
  if (run.digest.gitTree !== a.run.head.tree) subjects.push({ check: 'subjects', ok: false, field: 'subject[1].digest.gitTree', message: `is ${run.digest.gitTree}, but the record's run tree is ${a.run.head.tree}` });
  if (rubricSubject.digest.sha256 !== a.rubric.sha256) subjects.push({ check: 'subjects', ok: false, field: 'subject[2].digest.sha256', message: `is ${rubricSubject.digest.sha256}, but the record's rubric digest is ${a.rubric.sha256}` });
  if (sourceSubjects.length !== a.sources.length) subjects.push({ check: 'subjects', ok: false, field: 'subject', message: `names ${sourceSubjects.length} source worksheets, the predicate ${a.sources.length}` });
  a.sources.forEach((s, i) => {
    const sub = sourceSubjects[i];
    if (sub !== undefined && (sub.name !== s.name || sub.digest.sha256 !== s.sha256)) {
      subjects.push({ check: 'subjects', ok: false, field: `subject[${i + 3}]`, message: `is ${sub.name} (sha256 ${sub.digest.sha256}), but source ${i} is ${s.name} (sha256 ${s.sha256})` });
    }
  });
  checks.push(...(subjects.length > 0 ? subjects : [{ check: 'subjects' as const, ok: true, message: `the trees, the rubric and the ${a.sources.length} source worksheets named in the subjects are the record's` }]));

  // the rubric, the dimensions and the final points
  const found = options.resolveRubric(a.rubric.id, a.rubric.version);
  if (found === undefined) {
    checks.push({ check: 'rubric-digest', ok: false, field: 'predicate.rubric', message: `rubric ${a.rubric.id} ${a.rubric.version} not found, so the dimensions and ceilings were not checked` });
  } else {
    checks.push(found.sha256 === a.rubric.sha256
      ? { check: 'rubric-digest', ok: true, field: 'predicate.rubric.sha256', message: `${found.file} (${a.rubric.id} ${a.rubric.version})` }
      : { check: 'rubric-digest', ok: false, field: 'predicate.rubric.sha256', message: `is ${a.rubric.sha256}, but ${found.file} has sha256 ${found.sha256}: the rubric was changed` });
    const r = found.rubric;
    const ids = a.dimensions.map(d => d.dimension);
    const bad: Check[] = [];
    for (const d of r.dimensions) if (ids.filter(x => x === d.id).length !== 1) bad.push({ check: 'ceilings', ok: false, field: 'predicate.dimensions', message: `has ${ids.filter(x => x === d.id).length} entries for "${d.id}"` });
    for (const id of ids) if (!r.dimensions.some(d => d.id === id)) bad.push({ check: 'ceilings', ok: false, field: 'predicate.dimensions', message: `"${id}" is not a dimension of ${r.id} ${r.version}` });
    a.dimensions.forEach((d, i) => {
      const dim = r.dimensions.find(x => x.id === d.dimension);
      if (dim === undefined) return;
      const problem = a.method === 'adjudicated' ? pointsProblem(d.final, dim.ceiling, r.step) : d.final < 0 || d.final > dim.ceiling ? `${d.final} is outside 0–${dim.ceiling}` : undefined;
      if (problem !== undefined) bad.push({ check: 'ceilings', ok: false, field: `predicate.dimensions[${i}].final`, message: `${problem} (${d.dimension})` });
    });
    a.sources.forEach((s, i) => {
      for (const d of r.dimensions) if (typeof s.points[d.id] !== 'number') bad.push({ check: 'ceilings', ok: false, field: `predicate.sources[${i}].points`, message: `has no points for "${d.id}"` });
    });
    checks.push(...(bad.length > 0 ? bad : [{ check: 'ceilings' as const, ok: true, message: `${r.dimensions.length} dimensions, each with its final points within its ceiling` }]));
  }

  // the aggregate is what the method says of the sources' points; the final points follow the method
  const agg: Check[] = [];
  const basis = a.method === 'median' ? 'median' : 'mean';
  a.dimensions.forEach((d, i) => {
    const values = a.sources.map(s => s.points[d.dimension]).filter((v): v is number => typeof v === 'number');
    if (values.length !== a.sources.length) return;
    const expected = aggregateOf(values, basis);
    if (!same(expected, d.aggregate)) {
      agg.push({ check: 'aggregate', ok: false, field: `predicate.dimensions[${i}].aggregate`, message: `is ${fmt(d.aggregate)}, but the ${basis} of the sources' points (${values.map(fmt).join(', ')}) on ${d.dimension} is ${fmt(expected)}` });
    }
    if (a.method !== 'adjudicated' && !same(d.final, d.aggregate)) {
      agg.push({ check: 'aggregate', ok: false, field: `predicate.dimensions[${i}].final`, message: `is ${fmt(d.final)}, but a ${a.method} record takes the ${a.method}, ${fmt(expected)}, on ${d.dimension}` });
    }
    if (a.method === 'adjudicated' && !same(d.final, d.aggregate) && (d.rationale ?? '').trim() === '') {
      agg.push({ check: 'aggregate', ok: false, field: `predicate.dimensions[${i}].rationale`, message: `is missing: the final ${fmt(d.final)} on ${d.dimension} departs from the mean ${fmt(d.aggregate)}` });
    }
  });
  a.sources.forEach((s, i) => {
    const sum = Object.values(s.points).reduce((n, p) => n + p, 0);
    if (!same(sum, s.total)) agg.push({ check: 'aggregate', ok: false, field: `predicate.sources[${i}].total`, message: `is ${fmt(s.total)}, but ${s.name}'s points add up to ${fmt(sum)}` });
  });
  checks.push(...(agg.length > 0 ? agg : [{ check: 'aggregate' as const, ok: true, message: `each dimension's ${basis} is that of the ${a.sources.length} sources' points${a.method === 'adjudicated' ? '; every departure has a rationale' : `, and the final points are the ${a.method}`}` }]));

  const total = a.dimensions.reduce((n, d) => n + d.final, 0);
  checks.push(same(total, a.total)
    ? { check: 'total', ok: true, field: 'predicate.total', message: `${fmt(a.total)}, the sum of the final points` }
    : { check: 'total', ok: false, field: 'predicate.total', message: `is ${fmt(a.total)}, but the final points add up to ${fmt(total)}` });

  for (const given of options.sources ?? []) {
    const name = given.file.split(/[\\/]/).pop() ?? given.file;
    const digest = sha256Hex(given.bytes);
    const named = a.sources.find(s => s.name === name);
    checks.push(named === undefined
      ? { check: 'source-digest', ok: false, field: 'predicate.sources', message: `${given.file} is not among the record's sources (${a.sources.map(s => s.name).join(', ')})` }
      : named.sha256 === digest
        ? { check: 'source-digest', ok: true, field: `predicate.sources[${a.sources.indexOf(named)}].sha256`, message: `${given.file} is the worksheet named (sha256 ${digest.slice(0, 16)}…)` }
        : { check: 'source-digest', ok: false, field: `predicate.sources[${a.sources.indexOf(named)}].sha256`, message: `is ${named.sha256}, but ${given.file} has sha256 ${digest}: the source worksheet was changed` });
  }
  if (options.trees !== undefined) {
    for (const [name, i, actual] of [['baseline', 0, options.trees.baseline], ['run', 1, options.trees.run]] as const) {
      const signed = statement.subject[i].digest.gitTree;
      checks.push(signed === actual
        ? { check: 'tree', ok: true, field: `subject[${i}].digest.gitTree`, message: `the ${name} tree is ${actual}` }
        : { check: 'tree', ok: false, field: `subject[${i}].digest.gitTree`, message: `is ${signed}, but the ${name} tree is now ${actual}` });
    }
  }
  return { ok: checks.every(c => c.ok), checks, signers, envelope, statement, adjudication: a, ...(bound !== undefined ? { adjudicator: bound } : {}) };
}

function fail(checks: Check[], signers: string[], envelope: Envelope, c: Check): AdjudicationVerdict {
  return { ok: false, checks: [...checks, c], signers, envelope };
}
