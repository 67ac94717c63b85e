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
const SEB_ERROR = Symbol.for('seb-review.SebError');

export class SebError extends Error {
  override readonly name = 'SebError';
  readonly [SEB_ERROR] = true;
  constructor(
    readonly kind: SebErrorKind,
    message: string,
    readonly file?: string,
    readonly choices?: readonly Choice[],
  ) {
    super(message);
  }
}

/**
 * A SebError, also when it comes from another bundle of this package (the command line loads `analyze` from a file
 * of its own, with its own copy of this class): recognised by a brand, not only by `instanceof`.
 */
export function isSebError(e: unknown, kind?: SebErrorKind): e is SebError {
  const branded = e instanceof SebError || (e instanceof Error && (e as unknown as Record<symbol, unknown>)[SEB_ERROR] === true);
  return branded && (kind === undefined || (e as SebError).kind === kind);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
