import { main } from '../../src/cli/main';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the command line in-process, collecting what it writes to stdout and stderr (one call, one line). */
export async function cli(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

/**
 * Characters a terminal acts on or reorders text by: C0 controls, DEL, C1 controls, the bidi embeddings and overrides
 * (U+202A–U+202E) and isolates (U+2066–U+2069). Written out here from their definitions (Unicode, ECMA-48), not taken
 * from the code under test.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
