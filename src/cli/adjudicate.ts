import * as z from 'zod';
import { importPrivateKey, parseAllowedSigners, parseStrictJson, serializeEnvelope } from '../core/attestation';
import { aggregateReport } from '../core/adjudication/aggregate';
import { AdjudicationMethodSchema, buildAdjudication, signAdjudication, type Decision } from '../core/adjudication/record';
import { readGroups } from '../core/calibration/files';
import { describeIssues } from '../core/manifest';
import { formatProblems } from '../core/rubric';
import { SebError } from '../core/errors';
import { parseOrUsage, readJsonText, readText, rubricResolver, writeNew } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage';

/** `--decisions FILE`: `{ "dimensions": { "<dimension id>": { "points": 8, "rationale": "why" } } }`. */
const DecisionsSchema = z.strictObject({
  dimensions: z.record(z.string(), z.strictObject({ points: z.number().finite(), rationale: z.string() })),
});

function readDecisions(file: string): Map<string, Decision> {
  const json = parseStrictJson(readJsonText(file));
  if (!json.ok) throw new SebError('bad-manifest', `${file}: field "${json.field}" ${json.message}`, file);
  const parsed = DecisionsSchema.safeParse(json.value);
  if (!parsed.success) throw new SebError('bad-manifest', `${file}: ${formatProblems(describeIssues(parsed.error))}`, file);
  return new Map(Object.entries(parsed.data.dimensions));
}

const num = (x: number) => String(Number(x.toFixed(3)));

/**
 * `seb-review adjudicate FILE|DIR... --key K --allowed-signers F [--method mean|median|adjudicated] [--decisions F]
 * [--name NAME] [--rubric F]... [--out F]`: settles one disputed run. Every source worksheet must verify; the record
 * (a signed `seb-review/adjudication@1`) names each by its digest and keeps every grader's points. Exit 1 when a source
 * fails verification or the run's worksheets were scored on different trees (nothing written); 2 for bad usage or input.
 */
export function adjudicateCommand(argv: string[], io: Output): number {
  const { values: v, positionals } = parseOrUsage(argv, {
    key: { type: 'string' }, 'allowed-signers': { type: 'string' }, method: { type: 'string' }, decisions: { type: 'string' },
    name: { type: 'string' }, rubric: { type: 'string', multiple: true }, out: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('adjudicate needs the signed worksheets of one run (files or folders)');
  if (v.key === undefined) throw new UsageError('adjudicate needs --key KEYFILE: the adjudicator signs the record');
  const signersFile = v['allowed-signers'];
  if (signersFile === undefined) throw new UsageError('adjudicate needs --allowed-signers FILE: every source worksheet is verified first');
  const method = AdjudicationMethodSchema.safeParse(v.method ?? 'mean');
  if (!method.success) throw new UsageError(`--method must be mean, median or adjudicated (got ${JSON.stringify(v.method)})`);
  if (v.decisions !== undefined && method.data !== 'adjudicated') throw new UsageError('--decisions goes with --method adjudicated');

  const key = importPrivateKey(readText(v.key, 'key'), v.key);
  const signers = parseAllowedSigners(readText(signersFile, 'allowed-signers'), signersFile);
  const name = v.name ?? signers.find(s => s.keyId === key.keyId)?.identity;
  if (name === undefined) throw new UsageError(`the key ${key.keyId} is not in ${signersFile}: name the adjudicator with --name NAME`);
  const resolveRubric = rubricResolver(v.rubric ?? []);
  const groups = readGroups(positionals, { resolveRubric, allowedSigners: signersFile });
  // every file given must count: a failed verification, a malformed worksheet or a grader's second worksheet for the
  // run would otherwise drop a grader from the record without a word
  const left = groups.flatMap(g => g.set.excluded).filter(e => e.file !== undefined);
  if (left.length > 0) {
    io.err('seb-review: an adjudication settles verified worksheets only; nothing was written:', ...left.map(e => `  ${e.file ?? ''}: ${e.reason}`));
    return EXIT_FINDINGS;
  }
  const report = aggregateReport(groups, method.data === 'median' ? 'median' : 'mean');
  const runIds = [...new Set([...report.runs.map(r => r.runId), ...report.findings.map(f => f.runId)])];
  if (runIds.length > 1) throw new SebError('bad-manifest', `the worksheets are for ${runIds.length} runs (${runIds.join(', ')}): adjudicate one run at a time`);
  const finding = report.findings[0];
  if (finding !== undefined) {
    io.err(`seb-review: ${finding.message}; nothing was written`);
    return /different trees/.test(finding.message) ? EXIT_FINDINGS : 2;
  }
  const run = report.runs[0];
  const group = groups.find(g => g.rubric.sha256 === run?.rubric.sha256);
  if (run === undefined || group === undefined) throw new SebError('bad-manifest', 'no run to adjudicate');
  const keyIds = new Map(group.set.sheets.flatMap(s => (s.keyId !== undefined ? [[s.file, s.keyId] as const] : [])));
  const adjudication = buildAdjudication({
    run, rubric: group.rubric.rubric, method: method.data, keyIds, adjudicator: { name, keyId: key.keyId },
    ...(v.decisions !== undefined ? { decisions: readDecisions(v.decisions) } : {}),
  });
  const out = v.out ?? `${run.runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'run'}.adjudication.json`;
  const rubricName = group.rubric.file.split(/[\\/]/).pop() ?? group.rubric.file;
  writeNew(out, serializeEnvelope(signAdjudication(adjudication, rubricName, key)));
  io.out(`signed ${out} with ${key.keyId}: run ${run.runId}, ${method.data}, total ${num(adjudication.total)} of ${run.total.ceiling}`);
  for (const s of adjudication.sources) io.out(`  ${s.grader}: ${num(s.total)} (${s.name}, sha256 ${s.sha256.slice(0, 16)}…)`);
  for (const d of adjudication.dimensions) {
    if (d.final !== d.aggregate) io.out(`  ${d.dimension}: ${num(d.final)} (the mean is ${num(d.aggregate)}): ${d.rationale ?? ''}`);
  }
  return EXIT_OK;
}
