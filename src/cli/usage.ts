/** Exit codes, as DESIGN.md fixes them for every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export const USAGE = `seb-review: score AI coding agents' rewrites on the Senior Engineer Benchmark, headless.

Usage:
  seb-review info <run> [--baseline REF] [--json]       resolve a run: its id, baseline commit and head
  seb-review diff <run> [--baseline REF|DIR] [--json]   every changed file, and the size summary
  seb-review rubric check FILE... [--json]              check rubric (*.rubric.json) and reference score
                                                        (*.references.json) files; references also against
                                                        the rubric they name, found next to them or packaged
  seb-review keygen --identity NAME --out FILE          a new Ed25519 signing key (PKCS#8 PEM, mode 0600);
                                                        prints its allowed-signers line
  seb-review sign WORKSHEET.json --key KEY [--rubric FILE] [--run DIR [--baseline REF|DIR]] [--out FILE]
                                                        check a finished worksheet and sign it: writes a DSSE
                                                        envelope (default <runId>.<grader>.worksheet.json)
  seb-review sign --cosign ENVELOPE --key KEY [--rubric FILE] [--run DIR] [--out FILE]
                                                        add a signature to a signed worksheet (in place)
  seb-review verify FILE... --allowed-signers FILE [--run DIR [--baseline REF|DIR]] [--rubric FILE]...
                    [--threshold N] [--json]            check signed worksheets: signatures, schema, rubric
                                                        digest, ceilings, total, and with --run the trees
  seb-review --version
  seb-review --help

<run> is a run folder (a git repository) or its seb-run.json.
Exit codes: 0 fine, 1 a check failed, 2 bad usage or unreadable input (the message names the file).`;
