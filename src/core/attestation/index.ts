/**
 * Signed worksheets: a DSSE envelope whose payload is an in-toto Statement v1 (subjects: the baseline tree, the run
 * tree, the rubric file; predicate: the worksheet), signed with Ed25519. Pure: no files, no git.
 */
import { SebError } from '../errors';
import { signEnvelope, type Envelope, type Signer } from './dsse';
import { buildStatement, encodeStatement } from './statement';
import { type Worksheet } from '../worksheet';

export * from './allowed-signers';
export * from './dsse';
export * from './identity';
export * from './input-limits';
export * from './keys';
export * from './output-location';
export * from './statement';
export * from './verify';
export * from './cosign';
export * from './worksheet-export';
export { parseStrictJson } from './strict-json';

/**
 * The signed envelope of a finished worksheet; `rubricFileName` names the rubric subject ("seb-v1.0.rubric.json"). The
 * grader is bound to the signing key: its key id is filled in, and a worksheet naming another key is refused.
 */
export function signWorksheet(worksheet: Worksheet, rubricFileName: string, signer: Signer): Envelope {
  const keyId = worksheet.grader.keyId ?? signer.keyId;
  if (keyId !== signer.keyId) {
    throw new SebError('bad-manifest', `the worksheet's grader key is ${keyId}, but the signing key is ${signer.keyId}: the first signature is the grader's`);
  }
  return signEnvelope(encodeStatement(buildStatement({ ...worksheet, grader: { ...worksheet.grader, keyId } }, rubricFileName)), signer);
}

/** `<runId>.<grader>.worksheet.json`, with anything but letters, digits, ".", "_" and "-" replaced by "-". */
export function signedWorksheetFileName(worksheet: Pick<Worksheet, 'run' | 'grader'>): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'unnamed';
  return `${safe(worksheet.run.runId)}.${safe(worksheet.grader.name)}.worksheet.json`;
}
