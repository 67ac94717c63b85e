import { cosignEnvelope, cosignVerified, parseAllowedSigners, serializeEnvelope, type AllowedSigner, type RubricResolver } from '../core/attestation';
import { isAdjudicationEnvelope, verifyAdjudication } from '../core/adjudication/verify';
import { SebError } from '../core/errors';
import { readJsonText, readText, replaceFile, rubricResolver, writeNew } from './attestation-io';
import { refuseInsideRun } from './output-guard';
import { type Output } from './output';
import { refuse, summary, type SignContext } from './sign-report';
import { EXIT_OK } from './usage';

/**
 * `seb-review sign --cosign ENVELOPE --key KEY --allowed-signers FILE …`: the signed worksheet is verified first
 * (core/attestation/cosign: every signature on it valid and by an allowed signer, the grader's key among them, the
 * rubric, and with --run the trees and commits); only then is the signature added, in place or to --out, never inside
 * the tree of the run given with --run or of its baseline (exit 2). Nothing is written when a check fails (exit 1).
 */
export function cosignFile(file: string, signersFile: string, ctx: SignContext, io: Output): number {
  refuseInsideRun(ctx.out ?? file, ctx.trees, ctx.out !== undefined ? 'writing the co-signed worksheet' : 'co-signing it in place');
  const allowedSigners = parseAllowedSigners(readText(signersFile, 'allowed-signers'), signersFile);
  const given = ctx.given;
  const resolveRubric: RubricResolver = given !== undefined ? () => given : rubricResolver([]);
  const text = readJsonText(file);
  if (isAdjudicationEnvelope(text)) return cosignAdjudication(file, text, allowedSigners, resolveRubric, ctx, io);
  const result = cosignVerified(text, ctx.key, {
    allowedSigners, resolveRubric, ...(ctx.trees !== undefined ? { trees: ctx.trees, commits: ctx.trees.commits } : {}),
  });
  if (!result.ok) return refuse(io, `${file} was not co-signed:`, result.verdict.checks.filter(c => !c.ok));
  const signed = serializeEnvelope(result.envelope);
  if (ctx.out !== undefined) writeNew(ctx.out, signed);
  else replaceFile(file, signed);
  io.out(`co-signed ${ctx.out ?? file}: ${result.envelope.signatures.length} signatures, the last by ${ctx.key.keyId}`);
  const { worksheet, grader } = result.verdict;
  const rubric = worksheet !== undefined ? resolveRubric(worksheet.rubric.id, worksheet.rubric.version) : undefined;
  if (grader !== undefined) io.out(`  graded by ${grader.identity} (${grader.keyId})`);
  if (worksheet !== undefined && rubric !== undefined) io.out(...summary(worksheet, rubric));
  return EXIT_OK;
}

/**
 * Co-signing an adjudication record, as for a worksheet: every check of `verify` (threshold one) must pass first, then
 * the signature is added; a key signs a record once.
 */
function cosignAdjudication(file: string, text: string, allowedSigners: AllowedSigner[], resolveRubric: RubricResolver, ctx: SignContext, io: Output): number {
  const verdict = verifyAdjudication(text, { allowedSigners, resolveRubric, threshold: 1, ...(ctx.trees !== undefined ? { trees: ctx.trees } : {}) });
  if (!verdict.ok || verdict.envelope === undefined) return refuse(io, `${file} was not co-signed:`, verdict.checks.filter(c => !c.ok));
  if (verdict.envelope.signatures.some(s => s.keyid === ctx.key.keyId)) {
    throw new SebError('bad-manifest', `the record is already signed by ${ctx.key.keyId}; a key signs an envelope once`, file);
  }
  const envelope = cosignEnvelope(verdict.envelope, ctx.key);
  const signed = serializeEnvelope(envelope);
  if (ctx.out !== undefined) writeNew(ctx.out, signed);
  else replaceFile(file, signed);
  io.out(`co-signed ${ctx.out ?? file}: ${envelope.signatures.length} signatures, the last by ${ctx.key.keyId}`);
  const a = verdict.adjudication;
  if (a !== undefined) io.out(`  the adjudication of run ${a.run.runId} (${a.method}, total ${a.total}) by ${verdict.adjudicator?.identity ?? a.adjudicator.name}`);
  return EXIT_OK;
}
