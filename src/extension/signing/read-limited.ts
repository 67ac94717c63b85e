import { open, stat } from 'node:fs/promises';
import { SebError } from '../../core/errors';
import { grewProblem, INPUT_LIMITS, sizeProblem, type InputKind } from '../../core/attestation';

function refused(file: string, why: string): SebError {
  return new SebError('bad-manifest', `${file}: ${why}`, file);
}

function unreadable(file: string, e: unknown): SebError {
  const code = (e as NodeJS.ErrnoException).code;
  return refused(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`);
}

/**
 * The text of a signed worksheet, an allowed-signers file or a key file, as the editor reads them: the size checked with
 * stat before the file is opened, then read with a bound. A SebError names the file and the problem. (JSON depth is
 * checked by the strict parser every signed worksheet goes through.)
 */
export async function readLimited(file: string, kind: InputKind): Promise<string> {
  const stats = await stat(file).catch((e: unknown) => {
    throw unreadable(file, e);
  });
  if (stats.isDirectory()) throw refused(file, 'is a folder, not a file');
  const tooBig = stats.isFile() ? sizeProblem(stats.size, kind) : undefined;
  if (tooBig !== undefined) throw refused(file, tooBig);
  const limit = INPUT_LIMITS[kind].bytes;
  const handle = await open(file, 'r').catch((e: unknown) => {
    throw unreadable(file, e);
  });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(64 * 1024) });
      if (bytesRead === 0) return Buffer.concat(chunks, total).toString('utf8');
      total += bytesRead;
      if (total > limit) throw refused(file, grewProblem(kind));
      chunks.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}
