import { type RunManifest } from '../manifest';

/** The declared authority: the names given (--authority) when any, else the manifest's `authority` entries as "path#symbol". */
export function declaredAuthority(given: readonly string[] | undefined, manifest: RunManifest | undefined): string[] {
  if (given !== undefined && given.length > 0) return [...given];
  return (manifest?.authority ?? []).map(a => `${a.path}#${a.symbol}`);
}
