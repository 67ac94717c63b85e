import type * as z from 'zod';
import { describeIssues } from '../parse-result';
import { type SignedWorksheet } from '../worksheet';
import { type AllowedSigner } from './allowed-signers';
import { EnvelopeSchema, payloadBytes, type Envelope } from './dsse';
import { StatementSchema, subjectMismatches, type Statement } from './statement';
import { decodeUtf8, parseStrictJson } from './strict-json';
import { type Check, type RubricResolver } from './checks';
import { checkCommits, checkRubric, checkTrees } from './verify-run';
import { checkGrader, checkSignatures, type ValidSignature } from './verify-signatures';

export type { Check, CheckName, ResolvedRubric, RubricResolver } from './checks';

export interface VerifyOptions {
  allowedSigners: readonly AllowedSigner[];
  resolveRubric: RubricResolver;
  /** The actual trees of the run (baseline and head), to check the tree subjects against. */
  trees?: { baseline: string; run: string };
  /** The run's baseline and head commits, to check the worksheet's commit ids against. */
  commits?: { baseline: string; head: string };
  /** How many distinct allowed identities must have signed (default 1). */
  threshold?: number;
}

export interface Verdict {
  ok: boolean;
  checks: Check[];
  /** Identities whose signatures are valid, in signature order, each once (./identity equality). */
  signers: string[];
  /** Who graded: the allowed signer whose key the worksheet names as its grader's, when that key signed. */
  grader?: ValidSignature;
  envelope?: Envelope;
  statement?: Statement;
  worksheet?: SignedWorksheet;
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

/** The envelope's payload as text, or undefined when it is not UTF-8. */
export function decodeUtf8Payload(envelope: Envelope): string | undefined {
  const text = decodeUtf8(payloadBytes(envelope));
  return text.ok ? text.text : undefined;
}

/** Checks a signed worksheet: every check runs that can, and each failure names the check and the field. */
export function verifyEnvelope(text: string, options: VerifyOptions): Verdict {
  const threshold = options.threshold ?? 1;
  const parsed = parseEnvelope(text);
  if (!parsed.ok) return { ok: false, checks: parsed.checks, signers: [] };
  const envelope = parsed.value;
  const checks: Check[] = [{ check: 'json', ok: true, message: 'well-formed, no duplicate keys' }];
  const { valid, identities: signers } = checkSignatures(envelope, options.allowedSigners, checks);
  const enough = signers.length >= threshold;
  checks.push({ check: 'threshold', ok: enough,
    message: `${signers.length} of ${threshold} required signer${threshold === 1 ? '' : 's'}${signers.length > 0 ? ` (${signers.join(', ')})` : ''}` });
  const statement = parseStatement(envelope);
  if (!statement.ok) return { ok: false, checks: [...checks, ...statement.checks], signers, envelope };
  const st = statement.value;
  const ws = st.predicate;
  checks.push({ check: 'schema', ok: true, message: 'a DSSE envelope of an in-toto Statement v1 whose predicate is a seb-review/worksheet@1' });
  const grader = checkGrader(ws, valid, options.allowedSigners, checks);
  const mismatches = subjectMismatches(st);
  for (const m of mismatches) checks.push({ check: 'subjects', ok: false, field: m.field, message: m.message });
  if (mismatches.length === 0) checks.push({ check: 'subjects', ok: true, message: 'the baseline, run and rubric subjects are the worksheet\'s' });
  checkRubric(st, options.resolveRubric, checks);
  if (options.trees !== undefined) checkTrees(st, options.trees, checks);
  if (options.commits !== undefined) checkCommits(st, options.commits, checks);
  return { ok: checks.every(c => c.ok), checks, signers, envelope, statement: st, worksheet: ws, ...(grader !== undefined ? { grader } : {}) };
}
