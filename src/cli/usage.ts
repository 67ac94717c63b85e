/** Exit codes, as DESIGN.md fixes them for every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const USAGE_ERROR = Symbol.for('seb-review.UsageError');

export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;
}

/** A UsageError, also from another bundle of this package (see isSebError). */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError || (e instanceof Error && (e as unknown as Record<symbol, unknown>)[USAGE_ERROR] === true);
}

/** Each command's usage lines, in the order `seb-review --help` lists them. */
const COMMAND_USAGE = {
  info: [
    '  seb-review info <run> [--baseline REF] [--json]       resolve a run: its id, baseline commit and head',
  ],
  diff: [
    '  seb-review diff <run> [--baseline REF|DIR] [--json]   every changed file, and the size summary',
  ],
  analyze: [
    '  seb-review analyze <run> [--baseline REF|DIR] [--rules FILE]... [--authority NAME]... [--json] [--sarif FILE] [--no-cache]',
    '                                                        the authority map: every entry point, the writes it',
    '                                                        reaches and whether through the declared authority',
    '                                                        (NAME = symbol or path#symbol; default the manifest\'s',
    '                                                        "authority"), and the fate of each baseline entry point;',
    '                                                        --rules adds rule packs, --sarif FILE writes SARIF 2.1.0;',
    '                                                        exit 1 when a write bypasses the declared authority;',
    '                                                        results are cached by content in SEB_REVIEW_CACHE_DIR',
    '                                                        (default ~/.cache/seb-review/analysis; --no-cache: not)',
  ],
  evidence: [
    '  seb-review evidence <run> [--baseline REF|DIR] [--rules FILE]... [--json]',
    '                                                        facts for the other dimensions, never a score: each',
    '                                                        baseline test\'s fate (incident tests first), new tests',
    '                                                        that reach only test doubles, the test logs, stubs the',
    '                                                        run added, the plan\'s invariant against the code',
  ],
  rubric: [
    '  seb-review rubric check FILE... [--json]              check rubric (*.rubric.json) and reference score',
    '                                                        (*.references.json) files; references also against',
    '                                                        the rubric they name, found next to them or packaged',
  ],
  keygen: [
    '  seb-review keygen --identity NAME --out FILE          a new Ed25519 signing key (PKCS#8 PEM, mode 0600);',
    '                                                        prints its allowed-signers line',
  ],
  sign: [
    '  seb-review sign WORKSHEET.json --key KEY [--rubric FILE] [--run DIR [--baseline REF|DIR]] [--out FILE]',
    '                                                        check a finished worksheet and sign it: writes a DSSE',
    '                                                        envelope (default <runId>.<grader>.worksheet.json),',
    '                                                        never inside the --run tree or its baseline',
    '  seb-review sign --cosign ENVELOPE --key KEY --allowed-signers FILE [--rubric FILE] [--run DIR [--baseline REF|DIR]] [--out FILE]',
    '                                                        verify a signed worksheet, then add your signature (in',
    '                                                        place, or to --out)',
  ],
  verify: [
    '  seb-review verify FILE... --allowed-signers FILE [--run DIR [--baseline REF|DIR]] [--rubric FILE]...',
    '                    [--threshold N] [--json]            check signed worksheets: signatures, schema, rubric',
    '                                                        digest, ceilings, total, and with --run the trees;',
    '                                                        an adjudication: also its aggregates, its total and',
    '                                                        the digests of the source worksheets given beside it',
  ],
  agreement: [
    '  seb-review agreement FILE|DIR... [--allowed-signers FILE] [--rubric FILE]... [--json] [--csv FILE]',
    '                                                        agreement among graders per dimension and total: six',
    '                                                        ICC forms with 95% F intervals, Krippendorff\'s alpha;',
    '                                                        signed worksheets are verified (a failing one is left',
    '                                                        out, exit 1), *.predicate.json count as unsigned',
  ],
  calibrate: [
    '  seb-review calibrate --candidate FILE|DIR... --reference FILE|DIR... [--allowed-signers FILE] [--rubric FILE]...',
    '                    [--json] [--csv FILE]              one grader against the references (their mean per run):',
    '                                                        bias, MAE, RMSE, Bland-Altman limits, CCC, ICC(A,1),',
    '                                                        with n and 95% intervals; the largest disagreements',
  ],
  aggregate: [
    '  seb-review aggregate FILE|DIR... --allowed-signers FILE [--method mean|median] [--gap SHARE] [--rubric FILE]... [--json]',
    '                                                        a disputed run\'s worksheets side by side, per run: every',
    '                                                        grader\'s points, the mean (or median), the spread, and',
    '                                                        where graders differ by more than SHARE of the ceiling',
    '                                                        (default 0.25); exit 1 when a worksheet fails verification',
  ],
  adjudicate: [
    '  seb-review adjudicate FILE|DIR... --key KEY --allowed-signers FILE [--method mean|median|adjudicated]',
    '                    [--decisions FILE] [--name NAME] [--rubric FILE]... [--out FILE]',
    '                                                        settle one disputed run: a signed adjudication naming',
    '                                                        every source worksheet by digest, every grader\'s points',
    '                                                        kept; --decisions sets points per dimension with a',
    '                                                        rationale ({"dimensions": {"wiring": {"points": 8,',
    '                                                        "rationale": "…"}}}); `verify` checks it',
  ],
} satisfies Record<string, string[]>;

export type CommandName = keyof typeof COMMAND_USAGE;

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_USAGE, name);
}

const HEAD = 'seb-review: score AI coding agents\' rewrites on the Senior Engineer Benchmark, headless.';
const FOOT = [
  '<run> is a run folder (a git repository) or its seb-run.json.',
  'Exit codes: 0 fine, 1 a check failed, 2 bad usage or unreadable input (the message names the file).',
];

/** The whole usage, every command: `seb-review --help`. */
export const USAGE: readonly string[] = [
  HEAD, '', 'Usage:', ...Object.values(COMMAND_USAGE).flat(), '  seb-review --version', '  seb-review --help', '  seb-review <command> --help', '', ...FOOT,
];

/** One command's usage: `seb-review <command> --help`, and after a usage error in that command. */
export function usageOf(command: CommandName): string[] {
  return ['Usage:', ...COMMAND_USAGE[command], '', ...FOOT];
}

/** Whether the arguments ask for help: "--help" or "-h" anywhere before a "--" that ends the options. */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some(a => a === '--help' || a === '-h');
}
