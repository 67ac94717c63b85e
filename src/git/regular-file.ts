import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Reads a file of a reviewed repository's git directory (HEAD, a ref, `commondir`, a `.git` link, an alternates list,
 * packed-refs, the index): only a regular file (a link, a FIFO, a device or a folder gives undefined), opened without
 * following a last-moment link and without blocking, and checked on the opened handle. A file over `max` bytes gives
 * undefined; `head` reads only its first bytes. Memory grows with what is read, never with `max`.
 */
export async function readRegularFile(file: string, max: number, head = max): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > max) return undefined;
    const want = Math.min(head, max);
    const chunks: Buffer[] = [];
    let got = 0;
    // one byte past `want` when reading the whole file: a size reported wrong (procfs-like) cannot slip through
    while (got <= want) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, want + 1 - got));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, got);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      got += bytesRead;
    }
    if (got > want) return head < max ? Buffer.concat(chunks).subarray(0, want) : undefined;
    return Buffer.concat(chunks);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
