/** Exit codes, as DESIGN.md fixes them for every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export const USAGE = `seb-review: score AI coding agents' rewrites on the Senior Engineer Benchmark, headless.

Usage:
  seb-review info <run> [--baseline REF] [--json]       resolve a run: its id, baseline commit and head
  seb-review diff <run> [--baseline REF|DIR] [--json]   every changed file, and the size summary
  seb-review --version
  seb-review --help

<run> is a run folder (a git repository) or its seb-run.json.
Exit codes: 0 fine, 1 a check failed, 2 bad usage or unreadable input (the message names the file).`;
