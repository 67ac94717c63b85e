import path from 'node:path';
import {
  checkWorksheetAgainstRubric, cosignEnvelope, importPrivateKey, parseEnvelope, parseStatement, parseStrictJson, serializeEnvelope,
  signWorksheet, signedWorksheetFileName, subjectMismatches, type Check, type Envelope, type ResolvedRubric, type SigningKey,
} from '../core/attestation';
import { SebError } from '../core/errors';
import { describeIssues } from '../core/manifest';
import { formatProblems } from '../core/rubric';
import { WorksheetSchema, type Worksheet } from '../core/worksheet';
import { loadRubricFile, parseOrUsage, readJsonText, readText, replaceFile, rubricResolver, runTrees, writeNew, type RunTrees } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage';
import { formatCheck } from './verify';

/**
 * `seb-review sign WORKSHEET.json --key KEY [--rubric FILE] [--run DIR [--baseline REF|DIR]] [--out FILE]`: a finished
 * worksheet (the predicate) in, a signed envelope out. `--cosign ENVELOPE` adds a signature to a signed worksheet
 * instead (in place, or to --out). The worksheet is checked first (its rubric, and with --run the trees); nothing is
 * written when a check fails (exit 1).
 */
export async function signCommand(argv: string[], io: Output): Promise<number> {
  const parsed = parseOrUsage(argv, {
    key: { type: 'string' }, rubric: { type: 'string' }, run: { type: 'string' }, baseline: { type: 'string' },
    out: { type: 'string' }, cosign: { type: 'string' },
  });
  const v = parsed.values;
  const [input, extra] = parsed.positionals;
  if (v.key === undefined) throw new UsageError('sign needs --key KEYFILE (an unencrypted OpenSSH ed25519 or PKCS#8 PEM private key)');
  if (v.cosign !== undefined && input !== undefined) throw new UsageError('sign --cosign ENVELOPE takes no worksheet file');
  if (v.cosign === undefined && input === undefined) throw new UsageError('sign needs a worksheet JSON file (or --cosign ENVELOPE)');
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  if (v.baseline !== undefined && v.run === undefined) throw new UsageError('--baseline goes with --run DIR');
  const key = importPrivateKey(readText(v.key, 'key'), v.key);
  // --rubric is the rubric, whatever it names (a different id or version is reported); else the packaged one
  const given = v.rubric !== undefined ? loadRubricFile(v.rubric) : undefined;
  const resolve = rubricResolver([]);
  const rubricOf = (ws: Worksheet, file: string) => given ?? findRubric(resolve, ws, file);
  const trees = v.run !== undefined ? await runTrees(v.run, v.baseline) : undefined;

  if (v.cosign !== undefined) {
    const file = v.cosign;
    const { envelope, worksheet, rubricSubject } = readSignedWorksheet(file);
    const rubric = rubricOf(worksheet, file);
    const failed = [...checksFor(worksheet, rubric, trees), ...rubricSubject];
    if (failed.length > 0) return refuse(io, file, failed);
    const cosigned = cosignEnvelope(envelope, key);
    if (v.out !== undefined) writeNew(v.out, serializeEnvelope(cosigned));
    else replaceFile(file, serializeEnvelope(cosigned));
    io.out(`co-signed ${v.out ?? file}: ${cosigned.signatures.length} signatures, the last by ${key.keyId}`);
    io.out(...summary(worksheet, rubric));
    return EXIT_OK;
  }

  const file = input ?? '';
  const worksheet = withKeyId(readWorksheet(file), key);
  const rubric = rubricOf(worksheet, file);
  const failed = checksFor(worksheet, rubric, trees);
  if (worksheet.grader.keyId !== key.keyId) {
    failed.unshift({ check: 'signature', ok: false, field: 'grader.keyId', message: `is ${worksheet.grader.keyId ?? ''}, but --key ${v.key} is ${key.keyId}` });
  }
  if (failed.length > 0) return refuse(io, file, failed);
  const out = v.out ?? signedWorksheetFileName(worksheet);
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

function readSignedWorksheet(file: string): { envelope: Envelope; worksheet: Worksheet; rubricSubject: Check[] } {
  const envelope = parseEnvelope(readJsonText(file));
  if (!envelope.ok) throw new SebError('bad-manifest', `${file}: ${envelope.checks.map(formatCheck).join('; ')}`, file);
  const statement = parseStatement(envelope.value);
  if (!statement.ok) throw new SebError('bad-manifest', `${file}: ${statement.checks.map(formatCheck).join('; ')}`, file);
  const rubricSubject: Check[] = subjectMismatches(statement.value).map(m => ({ check: 'subjects', ok: false, field: m.field, message: m.message }));
  return { envelope: envelope.value, worksheet: statement.value.predicate, rubricSubject };
}

function findRubric(resolve: ReturnType<typeof rubricResolver>, ws: Worksheet, file: string): ResolvedRubric {
  const found = resolve(ws.rubric.id, ws.rubric.version);
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

function refuse(io: Output, file: string, failed: readonly Check[]): number {
  io.err(`seb-review: ${file} was not signed:`);
  for (const c of failed) io.err(`  ${formatCheck(c)}`);
  return EXIT_FINDINGS;
}

function summary(ws: Worksheet, rubric: ResolvedRubric): string[] {
  return [
    `  run       ${ws.run.runId}`,
    `  grader    ${ws.grader.name} (${ws.grader.kind})`,
    `  total     ${ws.total} / ${rubric.rubric.total}`,
    `  baseline  tree ${ws.run.baseline.tree}`,
    `  run       tree ${ws.run.head.tree}`,
    `  rubric    ${path.basename(rubric.file)} (${ws.rubric.id} ${ws.rubric.version}) sha256 ${ws.rubric.sha256}`,
  ];
}
