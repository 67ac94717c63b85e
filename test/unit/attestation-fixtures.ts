import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  allowedSignersLine, checkAllowedSigners, generateSigningKey, signWorksheet, type AllowedSigner, type Envelope,
  type ResolvedRubric, type RubricResolver, type SigningKey,
} from '../../src/core/attestation';
import { parseRubric } from '../../src/core/rubric';
import { type Worksheet } from '../../src/core/worksheet';

/** The repository root (tests run from out/test/unit). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const MINI_FILE = path.join(ROOT, 'test', 'fixtures', 'rubrics', 'mini-v1.rubric.json');
export const MINI_BYTES = readFileSync(MINI_FILE);
export const MINI_SHA256 = createHash('sha256').update(MINI_BYTES).digest('hex');
export const MINI = parseRubric(MINI_BYTES.toString('utf8'), MINI_FILE);

export const BASELINE_TREE = 'a'.repeat(40);
export const RUN_TREE = 'b'.repeat(40);

/** A finished worksheet for the mini rubric (plan 5/5, wiring 4.5/5, proof 10/10: 19.5). */
export function miniWorksheet(over: Partial<Worksheet> = {}): Worksheet {
  return {
    format: 'seb-review/worksheet@1',
    rubric: { id: 'mini', version: '1.0', sha256: MINI_SHA256 },
    run: { runId: 'run-42', baseline: { tree: BASELINE_TREE }, head: { tree: RUN_TREE } },
    grader: { name: 'alice', kind: 'human' },
    entries: [
      { dimension: 'plan', points: 5, rationale: 'One invariant, stated up front.', evidence: [] },
      { dimension: 'wiring', points: 4.5, rationale: 'One write path bypasses the authority.', evidence: [{ side: 'run', path: 'src/a.ts', startLine: 3, endLine: 9 }] },
      { dimension: 'proof', points: 10, rationale: 'Tests drive the production path.', evidence: [] },
    ],
    gaps: '',
    total: 19.5,
    createdAt: '2026-03-17T12:00:00.000Z',
    updatedAt: '2026-03-17T12:30:00.000Z',
    ...over,
  };
}

export const miniResolver: RubricResolver = (id, version) =>
  id === MINI.id && version === MINI.version ? { rubric: MINI, sha256: MINI_SHA256, file: MINI_FILE } : undefined;

export function resolverWith(found: ResolvedRubric): RubricResolver {
  return (id, version) => (id === found.rubric.id && version === found.rubric.version ? found : undefined);
}

export interface Party {
  identity: string;
  key: SigningKey;
}

export function party(identity: string): Party {
  return { identity, key: generateSigningKey() };
}

export function signersOf(...parties: Party[]): AllowedSigner[] {
  const result = checkAllowedSigners(parties.map(p => allowedSignersLine(p.identity, p.key.publicKey)).join('\n'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.signers;
}

/** The worksheet signed by `who` (its grader key id set to theirs). */
export function signedBy(who: Party, ws: Worksheet = miniWorksheet()): Envelope {
  return signWorksheet({ ...ws, grader: { ...ws.grader, keyId: who.key.keyId } }, path.basename(MINI_FILE), who.key);
}

/** The envelope's payload decoded, changed by `edit`, and encoded again (signatures kept: a forgery). */
export function editPayload(env: Envelope, edit: (statement: { predicate: Worksheet } & Record<string, unknown>) => void): Envelope {
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicate: Worksheet } & Record<string, unknown>;
  edit(statement);
  return { ...env, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
}
