import { parseAllowedSigners, verifyEnvelope, type Check, type Verdict } from '../core/attestation';
import { isAdjudicationEnvelope, verifyAdjudication, type AdjudicationVerdict } from '../core/adjudication/verify';
import { SebError } from '../core/errors';
import { parseOrUsage, readInput, readJsonText, readText, rubricResolver, runTrees } from './attestation-io';
import { type Output } from './output';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './usage';

/** "✔ signature signatures[0]: alice (SHA256:…)", "✘ ceilings predicate.entries[1].points: 11 is above the ceiling of 10 (wiring)". */
export function formatCheck(c: Check): string {
  return `${c.ok ? '✔' : '✘'} ${c.check}${c.field !== undefined ? ` ${c.field}` : ''}: ${c.message}`;
}

/** Who graded: the allowed signer the worksheet's grader key belongs to, or that no allowed signer is bound to it. */
function gradedLine(v: Verdict): string | undefined {
  const ws = v.worksheet;
  if (ws === undefined) return undefined;
  const named = `${JSON.stringify(ws.grader.name)} (${ws.grader.kind})`;
  return v.grader !== undefined
    ? `  graded by ${v.grader.identity} (${v.grader.keyId}), named ${named} in the worksheet`
    : `  graded by no allowed signer: the worksheet names the grader ${named} with the key ${ws.grader.keyId}, which has no valid signature by an allowed signer on it`;
}

interface FileResult {
  file: string;
  verdict?: Verdict;
  adjudication?: AdjudicationVerdict;
  /** Why the file could not be read. */
  error?: string;
}

/**
 * `seb-review verify FILE… --allowed-signers FILE [--run DIR [--baseline REF|DIR]] [--rubric FILE]… [--threshold N]
 * [--json]`: every check of every signed worksheet. Exit 0 when all verify, 1 when a check failed, 2 for bad usage or
 * input that cannot be read (an envelope, the allowed signers, a rubric, the run).
 */
export async function verifyCommand(argv: string[], io: Output): Promise<number> {
  const parsed = parseOrUsage(argv, {
    'allowed-signers': { type: 'string' }, run: { type: 'string' }, baseline: { type: 'string' },
    rubric: { type: 'string', multiple: true }, threshold: { type: 'string' }, json: { type: 'boolean' },
  });
  const v = parsed.values;
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('verify needs at least one signed worksheet file');
  const signersFile = v['allowed-signers'];
  if (signersFile === undefined) throw new UsageError('verify needs --allowed-signers FILE (lines of "identity ssh-ed25519 AAAA…")');
  if (v.baseline !== undefined && v.run === undefined) throw new UsageError('--baseline goes with --run DIR');
  const threshold = v.threshold === undefined ? 1 : Number(v.threshold);
  if (!Number.isSafeInteger(threshold) || threshold < 1 || !/^\d+$/.test(v.threshold ?? '1')) {
    throw new UsageError(`--threshold must be a whole number of signers, 1 or more (got ${JSON.stringify(v.threshold)})`);
  }
  const allowedSigners = parseAllowedSigners(readText(signersFile, 'allowed-signers'), signersFile);
  const resolveRubric = rubricResolver(v.rubric ?? []);
  const trees = v.run !== undefined ? await runTrees(v.run, v.baseline) : undefined;

  const texts = new Map<string, string>();
  for (const file of files) {
    try {
      texts.set(file, readJsonText(file));
    } catch (e) {
      if (!(e instanceof SebError)) throw e;
    }
  }
  // an adjudication is checked against the source worksheets given beside it
  const adjudications = new Set([...texts].filter(([, t]) => isAdjudicationEnvelope(t)).map(([f]) => f));
  const sources = [...texts.keys()].filter(f => !adjudications.has(f)).map(f => ({ file: f, bytes: readInput(f, 'json') }));
  const results: FileResult[] = files.map(file => {
    const text = texts.get(file);
    if (text === undefined) {
      try {
        readJsonText(file);
      } catch (e) {
        if (e instanceof SebError) return { file, error: e.message };
        throw e;
      }
      return { file, error: `${file}: cannot be read` };
    }
    try {
      if (adjudications.has(file)) {
        const a = verifyAdjudication(text, { allowedSigners, resolveRubric, threshold, sources, ...(trees !== undefined ? { trees } : {}) });
        return { file, adjudication: a };
      }
      return { file, verdict: verifyEnvelope(text, { allowedSigners, resolveRubric, threshold, ...(trees !== undefined ? { trees, commits: trees.commits } : {}) }) };
    } catch (e) {
      // one file that breaks the verifier (a bug, a parser's limit) is reported and the others are still checked
      return { file, error: `${file}: cannot be verified (${e instanceof Error ? e.message : String(e)})` };
    }
  });

  if (v.json) {
    io.json(results.map(r => r.adjudication !== undefined ? {
      file: r.file, ok: r.adjudication.ok, kind: 'adjudication', threshold, signers: r.adjudication.signers,
      ...(r.adjudication.adjudication !== undefined ? {
        runId: r.adjudication.adjudication.run.runId, method: r.adjudication.adjudication.method, total: r.adjudication.adjudication.total,
        adjudicator: { ...r.adjudication.adjudication.adjudicator, identity: r.adjudication.adjudicator?.identity ?? null },
      } : {}),
      checks: r.adjudication.checks,
    } : r.verdict === undefined ? { file: r.file, ok: false, error: r.error } : {
      file: r.file, ok: r.verdict.ok, threshold, signers: r.verdict.signers,
      ...(r.verdict.worksheet !== undefined ? {
        runId: r.verdict.worksheet.run.runId, grader: { ...r.verdict.worksheet.grader, identity: r.verdict.grader?.identity ?? null },
        total: r.verdict.worksheet.total,
      } : {}),
      checks: r.verdict.checks,
    }));
  } else {
    for (const r of results) {
      if (r.adjudication !== undefined) {
        const a = r.adjudication;
        io.out(`${r.file} (adjudication)`);
        for (const c of a.checks) io.out(`  ${formatCheck(c)}`);
        if (a.adjudication !== undefined) {
          io.out(`  run ${a.adjudication.run.runId}: ${a.adjudication.method}, total ${a.adjudication.total}; graders ${a.adjudication.sources.map(s => `${s.grader} ${s.total}`).join(', ')}`);
          io.out(`  adjudicated by ${a.adjudicator?.identity ?? `no allowed signer (the record names ${JSON.stringify(a.adjudication.adjudicator.name)})`}`);
        }
        io.out(a.ok ? `  VERIFIED by ${a.signers.join(', ')} (threshold ${threshold})` : '  FAILED');
        continue;
      }
      if (r.verdict === undefined) continue;
      io.out(r.file);
      for (const c of r.verdict.checks) io.out(`  ${formatCheck(c)}`);
      const graded = gradedLine(r.verdict);
      if (graded !== undefined) io.out(graded);
      io.out(r.verdict.ok ? `  VERIFIED by ${r.verdict.signers.join(', ')} (threshold ${threshold})` : '  FAILED');
    }
  }
  for (const r of results) if (r.error !== undefined) io.err(`seb-review: ${r.error}`);
  if (results.some(r => r.error !== undefined)) return EXIT_USAGE;
  return results.every(r => r.verdict?.ok === true || r.adjudication?.ok === true) ? EXIT_OK : EXIT_FINDINGS;
}
