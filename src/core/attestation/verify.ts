import { type z } from 'zod';
import { describeIssues } from '../manifest';
import { type Worksheet } from '../worksheet';
import { type AllowedSigner } from './allowed-signers';
import { identityKey } from './identity';
import { EnvelopeSchema, payloadBytes, verifySignature, type Envelope } from './dsse';
import { StatementSchema, subjectMismatches, type Statement } from './statement';
import { decodeUtf8, parseStrictJson } from './strict-json';
import { type Check, type RubricResolver } from './checks';
import { checkCommits, checkRubric, checkTrees } from './verify-run';

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
  if (options.commits !== undefined) checkCommits(st, options.commits, checks);
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
