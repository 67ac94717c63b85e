/** Reads a runner's closing "N passed, N failed" line (or node --test's "# pass N" / "# fail N"). */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function parseCounts(output: string): Counts | undefined {
  const plain = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].pop();
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]), skipped: Number(plain[3] ?? 0) };
  const pass = /^(?:# |ℹ )pass (\d+)$/m.exec(output);
  const fail = /^(?:# |ℹ )fail (\d+)$/m.exec(output);
  const skip = /^(?:# |ℹ )skipped (\d+)$/m.exec(output);
  if (pass && fail) return { passed: Number(pass[1]), failed: Number(fail[1]), skipped: Number(skip?.[1] ?? 0) };
  return undefined;
}
