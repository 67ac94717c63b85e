/** Why an input was refused. Each kind maps to a specific message; the CLI maps them all to exit code 2. */
export type SebErrorKind =
  | 'not-a-directory'
  | 'not-a-repository'
  | 'not-repository-root'
  | 'no-commits'
  | 'several-roots'
  | 'unknown-ref'
  | 'shallow-clone'
  | 'bad-baseline-path'
  | 'bad-manifest'
  | 'unsafe-repository'
  | 'git-failed'
  | 'cancelled';

/** One way out of an error, for a picker: the value to retry with and how to show it. */
export interface Choice {
  value: string;
  label: string;
  detail?: string;
}

/**
 * An error the user can act on: it names the file or folder and what is wrong with it.
 * `file` is the path the message is about, when there is one.
 */
export class SebError extends Error {
  override readonly name = 'SebError';
  constructor(
    readonly kind: SebErrorKind,
    message: string,
    readonly file?: string,
    readonly choices?: readonly Choice[],
  ) {
    super(message);
  }
}

export function isSebError(e: unknown, kind?: SebErrorKind): e is SebError {
  return e instanceof SebError && (kind === undefined || e.kind === kind);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
