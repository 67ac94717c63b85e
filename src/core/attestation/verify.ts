import { type z } from 'zod';
import { describeIssues } from '../manifest';
import { type Rubric } from '../rubric';
import { type Worksheet } from '../worksheet';
import { type AllowedSigner } from './allowed-signers';
import { identityKey } from './identity';
import { EnvelopeSchema, payloadBytes, verifySignature, type Envelope } from './dsse';
import { StatementSchema, subjectMismatches, type Statement } from './statement';
import { decodeUtf8, parseStrictJson } from './strict-json';
import { checkWorksheetAgainstRubric } from './worksheet-export';

/**
 * What is checked. json: well-formed, no duplicate keys (envelope and payload); schema: no missing, wrong or unexpected
 * field at any level; signature: each signature by an allowed signer and valid; threshold: enough distinct signers;
 * subjects: the statement's subjects are the worksheet's trees and rubric digest; rubric-digest: the rubric the
 * worksheet names has that digest; ceilings: each entry against the rubric (dimensions, ceiling, step, rationale);
 * total: the sum of the entries; tree: the subjects against the actual trees of the run.
 */
export type CheckName = 'json' | 'schema' | 'signature' | 'threshold' | 'subjects' | 'rubric-digest' | 'ceilings' | 'total' | 'tree';

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

export interface VerifyOptions {
  allowedSigners: readonly AllowedSigner[];
  resolveRubric: RubricResolver;
  /** The actual trees of the run (baseline and head), to check the tree subjects against. */
  trees?: { baseline: string; run: string };
  /** How many distinct allowed identities must have signed (default 1). */
  threshold?: number;
}

export interface Verdict {
  ok: boolean;
  checks: Check[];
  /** Identities whose signatures are valid, in signature order. */
  signers: string[];
  envelope?: Envelope;
  statement?: Statement;
  worksheet?: Worksheet;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; checks: Check[] };

function parseWith<T>(text: string, what: string, schema: z.ZodType<T>, jsonField?: string): Parsed<T> {
  const json = parseStrictJson(text);
  if (!json.ok) {
    // in the payload: "payload" for a syntax error, the statement's own path for a duplicate key
    const field = jsonField !== undefined && json.field === '(root)' ? jsonField : json.field;
    return { ok: false, checks: [{ check: 'json', ok: false, field, message: jsonField !== undefined ? `${json.message} (in the decoded ${jsonField})` : json.message }] };
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, checks: describeIssues(parsed.error).map(p => ({ check: 'schema', ok: false, field: p.field, message: `${p.message} (${what})` })) };
  }
  return { ok: true, value: parsed.data };
}

/** The envelope in a file's text: strict JSON, then the envelope schema. */
export function parseEnvelope(text: string): Parsed<Envelope> {
  return parseWith(text.replace(/^\uFEFF/, ''), 'envelope', EnvelopeSchema);
}

/** The statement in an envelope's payload: UTF-8, strict JSON, then the statement schema (predicate included). */
export function parseStatement(envelope: Envelope): Parsed<Statement> {
  const text = decodeUtf8(payloadBytes(envelope));
  if (!text.ok) return { ok: false, checks: [{ check: 'json', ok: false, field: 'payload', message: `the decoded payload ${text.message}` }] };
  return parseWith(text.text, 'statement', StatementSchema, 'payload');
}

/** Checks a signed worksheet: every check runs that can, and each failure names the check and the field. */
export function verifyEnvelope(text: string, options: VerifyOptions): Verdict {
  const threshold = options.threshold ?? 1;
  const parsed = parseEnvelope(text);
  if (!parsed.ok) return { ok: false, checks: parsed.checks, signers: [] };
  const envelope = parsed.value;
  const checks: Check[] = [{ check: 'json', ok: true, message: 'well-formed, no duplicate keys' }];
  const signers = checkSignatures(envelope, options.allowedSigners, checks);
  const enough = signers.length >= threshold;
  checks.push({ check: 'threshold', ok: enough,
    message: `${signers.length} of ${threshold} required signer${threshold === 1 ? '' : 's'}${signers.length > 0 ? ` (${signers.join(', ')})` : ''}` });
  const statement = parseStatement(envelope);
  if (!statement.ok) return { ok: false, checks: [...checks, ...statement.checks], signers, envelope };
  const st = statement.value;
  const ws = st.predicate;
  checks.push({ check: 'schema', ok: true, message: 'a DSSE envelope of an in-toto Statement v1 whose predicate is a seb-review/worksheet@1' });
  checkGraderKey(envelope, ws, options.allowedSigners, checks);
  const mismatches = subjectMismatches(st);
  for (const m of mismatches) checks.push({ check: 'subjects', ok: false, field: m.field, message: m.message });
  if (mismatches.length === 0) checks.push({ check: 'subjects', ok: true, message: 'the baseline, run and rubric subjects are the worksheet\'s' });
  checkRubric(st, options.resolveRubric, checks);
  if (options.trees !== undefined) checkTrees(st, options.trees, checks);
  return { ok: checks.every(c => c.ok), checks, signers, envelope, statement: st, worksheet: ws };
}

/** One check per signature; returns the distinct identities (./identity equality) with a valid signature. */
function checkSignatures(envelope: Envelope, allowed: readonly AllowedSigner[], checks: Check[]): string[] {
  const identities = new Map<string, string>();
  const seen = new Set<string>();
  envelope.signatures.forEach((s, i) => {
    const at = `signatures[${i}]`;
    if (seen.has(s.keyid)) {
      checks.push({ check: 'signature', ok: false, field: `${at}.keyid`, message: `${s.keyid} signed twice` });
      return;
    }
    seen.add(s.keyid);
    const signer = allowed.find(a => a.keyId === s.keyid);
    if (signer === undefined) {
      checks.push({ check: 'signature', ok: false, field: `${at}.keyid`, message: `unknown signer: ${s.keyid} is not in the allowed signers` });
      return;
    }
    if (!verifySignature(envelope, s, signer.publicKey)) {
      checks.push({ check: 'signature', ok: false, field: `${at}.sig`,
        message: `does not verify with ${signer.identity}'s key ${s.keyid}: the payload or the signature was changed, or another key signed` });
      return;
    }
    checks.push({ check: 'signature', ok: true, field: at, message: `${signer.identity} (${s.keyid})` });
    const key = identityKey(signer.identity);
    if (!identities.has(key)) identities.set(key, signer.identity);
  });
  return [...identities.values()];
}

/** A worksheet that names its grader's key must carry a valid signature by that key. */
function checkGraderKey(envelope: Envelope, ws: Worksheet, allowed: readonly AllowedSigner[], checks: Check[]): void {
  const keyId = ws.grader.keyId;
  if (keyId === undefined) return;
  const signer = allowed.find(a => a.keyId === keyId);
  const signed = signer !== undefined && envelope.signatures.some(s => s.keyid === keyId && verifySignature(envelope, s, signer.publicKey));
  checks.push(signed
    ? { check: 'signature', ok: true, field: 'predicate.grader.keyId', message: `the grader ${ws.grader.name} signed with ${signer.identity}'s key` }
    : { check: 'signature', ok: false, field: 'predicate.grader.keyId',
      message: `the grader's key ${keyId} has no valid signature on this envelope${signer === undefined ? ' (and it is not in the allowed signers)' : ''}` });
}

function checkRubric(st: Statement, resolve: RubricResolver, checks: Check[]): void {
  const ws = st.predicate;
  const found = resolve(ws.rubric.id, ws.rubric.version);
  if (found === undefined) {
    checks.push({ check: 'rubric-digest', ok: false, field: 'predicate.rubric',
      message: `rubric ${ws.rubric.id} ${ws.rubric.version} not found, so its digest, the ceilings and the total were not checked` });
    return;
  }
  const subject = st.subject[2].digest.sha256;
  checks.push(found.sha256 === subject
    ? { check: 'rubric-digest', ok: true, field: 'subject[2].digest.sha256', message: `${found.file} (${ws.rubric.id} ${ws.rubric.version})` }
    : { check: 'rubric-digest', ok: false, field: 'subject[2].digest.sha256',
      message: `is ${subject}, but ${found.file} (${ws.rubric.id} ${ws.rubric.version}) has sha256 ${found.sha256}: the rubric was changed` });
  const problems = checkWorksheetAgainstRubric(ws, found.rubric);
  for (const p of problems) {
    checks.push({ check: p.kind === 'total' ? 'total' : p.kind === 'rubric' ? 'rubric-digest' : 'ceilings', ok: false, field: `predicate.${p.field}`, message: p.message });
  }
  const rubric = found.rubric;
  if (!problems.some(p => p.kind !== 'total' && p.kind !== 'rubric')) {
    checks.push({ check: 'ceilings', ok: true, message: `${rubric.dimensions.length} dimensions, each scored within its ceiling on the step ${rubric.step}, with a rationale` });
  }
  if (!problems.some(p => p.kind === 'total')) checks.push({ check: 'total', ok: true, field: 'predicate.total', message: `${ws.total} / ${rubric.total}, the sum of the entries` });
}

function checkTrees(st: Statement, trees: { baseline: string; run: string }, checks: Check[]): void {
  const pairs = [['baseline', 0, trees.baseline], ['run', 1, trees.run]] as const;
  for (const [name, i, actual] of pairs) {
    const signed = st.subject[i].digest.gitTree;
    checks.push(signed === actual
      ? { check: 'tree', ok: true, field: `subject[${i}].digest.gitTree`, message: `the ${name} tree is ${actual}` }
      : { check: 'tree', ok: false, field: `subject[${i}].digest.gitTree`, message: `is ${signed}, but the ${name} tree is now ${actual}: the code is not the code that was scored` });
  }
}
