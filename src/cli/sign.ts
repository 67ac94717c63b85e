import path from 'node:path';
import {
  checkWorksheetAgainstRubric, importPrivateKey, parseStrictJson, serializeEnvelope, signWorksheet, signedWorksheetFileName,
  type Check, type ResolvedRubric, type SigningKey,
} from '../core/attestation';
import { SebError } from '../core/errors';
import { describeIssues } from '../core/manifest';
import { formatProblems } from '../core/rubric';
import { WorksheetSchema, type Worksheet } from '../core/worksheet';
import { loadRubricFile, parseOrUsage, readJsonText, readText, rubricResolver, runTrees, writeNew, type RunTrees } from './attestation-io';
import { cosignFile } from './cosign';
import { refuseInsideRun } from './output-guard';
import { type Output } from './output';
import { refuse, summary, type SignContext } from './sign-report';
import { EXIT_OK, UsageError } from './usage';

/**
 * `seb-review sign WORKSHEET.json --key KEY [--rubric FILE] [--run DIR [--baseline REF|DIR]] [--out FILE]`: a finished
 * worksheet (the predicate) in, a signed envelope out. `--cosign ENVELOPE --allowed-signers FILE` adds a signature to a
 * signed worksheet instead (./cosign). The worksheet is checked first (its rubric, and with --run the trees and
 * commits); nothing is written when a check fails (exit 1).
 */
export async function signCommand(argv: string[], io: Output): Promise<number> {
  const parsed = parseOrUsage(argv, {
    key: { type: 'string' }, rubric: { type: 'string' }, run: { type: 'string' }, baseline: { type: 'string' },
    out: { type: 'string' }, cosign: { type: 'string' }, 'allowed-signers': { type: 'string' },
  });
  const v = parsed.values;
  const [input, extra] = parsed.positionals;
  if (v.key === undefined) throw new UsageError('sign needs --key KEYFILE (an unencrypted OpenSSH ed25519 or PKCS#8 PEM private key)');
  if (v.cosign !== undefined && input !== undefined) throw new UsageError('sign --cosign ENVELOPE takes no worksheet file');
  if (v.cosign === undefined && input === undefined) throw new UsageError('sign needs a worksheet JSON file (or --cosign ENVELOPE)');
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  if (v.baseline !== undefined && v.run === undefined) throw new UsageError('--baseline goes with --run DIR');
  const signersFile = v['allowed-signers'];
  if (v.cosign !== undefined && signersFile === undefined) {
    throw new UsageError('sign --cosign needs --allowed-signers FILE: the signatures already on the envelope are verified against it before yours is added');
  }
  if (v.cosign === undefined && signersFile !== undefined) throw new UsageError('--allowed-signers goes with --cosign ENVELOPE');
  const ctx: SignContext = {
    key: importPrivateKey(readText(v.key, 'key'), v.key),
    keyFile: v.key,
    ...(v.rubric !== undefined ? { given: loadRubricFile(v.rubric) } : {}),
    ...(v.run !== undefined ? { trees: await runTrees(v.run, v.baseline) } : {}),
    ...(v.out !== undefined ? { out: v.out } : {}),
  };
  if (v.cosign !== undefined && signersFile !== undefined) return cosignFile(v.cosign, signersFile, ctx, io);
  return signFile(input ?? '', ctx, io);
}

function signFile(file: string, ctx: SignContext, io: Output): number {
  const { key } = ctx;
  const worksheet = withKeyId(readWorksheet(file), key);
  const out = ctx.out ?? signedWorksheetFileName(worksheet);
  refuseInsideRun(out, ctx.trees, 'writing the signed worksheet');
  const rubric = ctx.given ?? findRubric(worksheet, file);
  const failed = checksFor(worksheet, rubric, ctx.trees);
  if (worksheet.grader.keyId !== key.keyId) {
    failed.unshift({ check: 'signature', ok: false, field: 'grader.keyId', message: `is ${worksheet.grader.keyId ?? ''}, but --key ${ctx.keyFile} is ${key.keyId}` });
  }
  if (failed.length > 0) return refuse(io, `${file} was not signed:`, failed);
  writeNew(out, serializeEnvelope(signWorksheet(worksheet, path.basename(rubric.file), key)));
  io.out(`signed ${out} with ${key.keyId}`);
  io.out(...summary(worksheet, rubric));
  return EXIT_OK;
}

/** A worksheet file: strict JSON (no duplicate keys), the worksheet schema. Bad input is a SebError (exit 2). */
function readWorksheet(file: string): Worksheet {
  const json = parseStrictJson(readJsonText(file));
  if (!json.ok) throw new SebError('bad-manifest', `${file}: field "${json.field}" ${json.message}`, file);
  const ws = WorksheetSchema.safeParse(json.value);
  if (!ws.success) throw new SebError('bad-manifest', `${file}: ${formatProblems(describeIssues(ws.error))}`, file);
  return ws.data;
}

/** The grader's key is the signing key: filled in when the worksheet leaves it out. */
function withKeyId(ws: Worksheet, key: SigningKey): Worksheet {
  return ws.grader.keyId === undefined ? { ...ws, grader: { ...ws.grader, keyId: key.keyId } } : ws;
}

/** The packaged rubric the worksheet names; a SebError (exit 2) when there is none. */
function findRubric(ws: Worksheet, file: string): ResolvedRubric {
  const found = rubricResolver([])(ws.rubric.id, ws.rubric.version);
  if (found === undefined) {
    throw new SebError('bad-manifest', `${file}: rubric ${ws.rubric.id} ${ws.rubric.version} is not a packaged rubric; name its file with --rubric FILE`, file);
  }
  return found;
}

/** What keeps a worksheet from being signed: its rubric (digest, dimensions, ceilings, step, total) and its trees. */
function checksFor(ws: Worksheet, rubric: ResolvedRubric, trees: RunTrees | undefined): Check[] {
  const out: Check[] = [];
  if (ws.rubric.sha256 !== rubric.sha256) {
    out.push({ check: 'rubric-digest', ok: false, field: 'rubric.sha256', message: `is ${ws.rubric.sha256}, but ${rubric.file} has sha256 ${rubric.sha256}` });
  }
  for (const p of checkWorksheetAgainstRubric(ws, rubric.rubric)) {
    out.push({ check: p.kind === 'total' ? 'total' : p.kind === 'rubric' ? 'rubric-digest' : 'ceilings', ok: false, field: p.field, message: p.message });
  }
  if (trees !== undefined) {
    for (const [side, signed, actual] of [['baseline', ws.run.baseline.tree, trees.baseline], ['head', ws.run.head.tree, trees.run]] as const) {
      if (signed !== actual) out.push({ check: 'tree', ok: false, field: `run.${side}.tree`, message: `is ${signed}, but the run's ${side} tree is ${actual}` });
    }
    for (const side of ['baseline', 'head'] as const) {
      const signed = ws.run[side].commit;
      const actual = trees.commits[side];
      if (signed !== undefined && signed !== actual) out.push({ check: 'commit', ok: false, field: `run.${side}.commit`, message: `is ${signed}, but the run's ${side} commit is ${actual}` });
    }
  }
  return out;
}
