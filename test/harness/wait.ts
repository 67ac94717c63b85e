/**
 * The one way tests wait: poll a condition until it holds, with a generous timeout that only matters when something
 * is broken. Used by the harness, the UI tests, the integration tests (bundled into the extension host) and benchmarks.
 */

/** Polls `check` until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 30000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, every));
  }
}
