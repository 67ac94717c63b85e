import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Reads a small file of a reviewed repository's git directory (HEAD, a ref, `commondir`, a `.git` link, an alternates
 * list): only a regular file (a link, a FIFO, a device or a folder gives undefined), without following a last-moment
 * link, without blocking, and never more than `max` bytes (more gives undefined too).
 */
export async function readSmallFile(file: string, max: number): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > max) return undefined;
    const buf = Buffer.alloc(max + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > max) return undefined;
    }
    return buf.subarray(0, got);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
