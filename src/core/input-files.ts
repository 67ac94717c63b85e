import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { SebError } from './errors';
import { grewProblem, INPUT_LIMITS, jsonDepthProblem, sizeProblem, type InputKind } from './attestation';

/**
 * Every file the command line reads comes through here: its size checked with stat before it is opened, read with a
 * bound (a file that grows, or a pipe, cannot get past the limit either), and JSON checked for depth before any parser
 * sees it. Each refusal is a SebError (exit 2) naming the file.
 */

type Read<T> = { ok: true; value: T } | { ok: false; why: string };

function unreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(e)})`;
}

/** The bytes of `file`, or why they were not read: missing, a folder, larger than the limit for `kind`. */
export function tryReadInput(file: string, kind: InputKind): Read<Buffer> {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (e) {
    return { ok: false, why: unreadable(e) };
  }
  if (stats.isDirectory()) return { ok: false, why: 'is a folder, not a file' };
  const tooBig = stats.isFile() ? sizeProblem(stats.size, kind) : undefined;
  if (tooBig !== undefined) return { ok: false, why: tooBig };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return { ok: false, why: unreadable(e) };
  }
  try {
    return readBounded(fd, kind);
  } finally {
    closeSync(fd);
  }
}

function readBounded(fd: number, kind: InputKind): Read<Buffer> {
  const limit = INPUT_LIMITS[kind].bytes;
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      return { ok: false, why: unreadable(e) };
    }
    if (n === 0) return { ok: true, value: Buffer.concat(chunks, total) };
    total += n;
    if (total > limit) return { ok: false, why: grewProblem(kind) };
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
}

/**
 * The text of a JSON file (a leading byte order mark removed) with the sha256 of its bytes, or why not: unreadable, too
 * large, nested too deep.
 */
export function tryReadJsonText(file: string): Read<string> & { sha256?: string } {
  const bytes = tryReadInput(file, 'json');
  if (!bytes.ok) return bytes;
  const text = bytes.value.toString('utf8').replace(/^\uFEFF/, '');
  const deep = jsonDepthProblem(text);
  return deep !== undefined ? { ok: false, why: deep } : { ok: true, value: text, sha256: createHash('sha256').update(bytes.value).digest('hex') };
}

function orThrow<T>(file: string, read: Read<T>): T {
  if (read.ok) return read.value;
  throw new SebError('bad-manifest', `${file}: ${read.why}`, file);
}

/** The bytes of `file`; a SebError naming it when they cannot be read or are too many. */
export function readInput(file: string, kind: InputKind): Buffer {
  return orThrow(file, tryReadInput(file, kind));
}

/** The text of a UTF-8 file. */
export function readText(file: string, kind: InputKind): string {
  return readInput(file, kind).toString('utf8');
}

/** The text of a JSON file (a leading byte order mark removed); a SebError naming it when it nests too deep. */
export function readJsonText(file: string): string {
  return orThrow(file, tryReadJsonText(file));
}
