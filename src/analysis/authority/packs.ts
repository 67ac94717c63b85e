import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkWith, orThrow } from '../../core/rubric';
import { RulePackSchema, type RulePack } from '../../core/authority/rule-pack';
import { open } from 'node:fs/promises';
import { SebError } from '../../core/errors';

/** A rule pack as loaded: the pack, the sha256 of its file's bytes (results are keyed by it), and where it came from. */
export interface LoadedPack {
  pack: RulePack;
  sha256: string;
  source: string;
  builtIn: boolean;
}

const MAX_PACK_BYTES = 1024 * 1024;

/** The package's `rubric/authority/` folder: found by walking up from this bundle. */
export function builtInPackDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'rubric', 'authority');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Parses one pack's text; a bad pack is refused with a message naming the file and each bad field. */
export function parseRulePack(bytes: Buffer, file: string, builtIn = false): LoadedPack {
  const text = bytes.toString('utf8');
  const pack = orThrow(checkWith(RulePackSchema, text), file);
  return { pack, sha256: createHash('sha256').update(bytes).digest('hex'), source: file, builtIn };
}

async function readPack(file: string, builtIn: boolean): Promise<LoadedPack> {
  let bytes: Buffer;
  let handle;
  try {
    handle = await open(file, 'r');
    const st = await handle.stat();
    if (!st.isFile()) throw new SebError('bad-manifest', `${file}: a rule pack must be a regular file`, file);
    if (st.size > MAX_PACK_BYTES) throw new SebError('bad-manifest', `${file}: a rule pack is at most ${MAX_PACK_BYTES} bytes`, file);
    bytes = await handle.readFile();
  } catch (e) {
    if (e instanceof SebError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SebError('bad-manifest', `${file}: cannot read the rule pack${code ? ` (${code})` : ''}`, file);
  } finally {
    await handle?.close();
  }
  return parseRulePack(bytes, file, builtIn);
}

/**
 * The built-in packs (every `rubric/authority/*.json` of this package) and the reviewer's own, in that order. A pack
 * with the id of an earlier one replaces it (a reviewer can refine a built-in pack for a task).
 */
export async function loadRulePacks(extraFiles: readonly string[], options: { builtInDir?: string | null } = {}): Promise<LoadedPack[]> {
  const dir = options.builtInDir === null ? undefined : options.builtInDir ?? builtInPackDir();
  const builtIns = dir ? readdirSync(dir).filter(f => f.endsWith('.json')).sort().map(f => path.join(dir, f)) : [];
  const loaded = [
    ...(await Promise.all(builtIns.map(f => readPack(f, true)))),
    ...(await Promise.all(extraFiles.map(f => readPack(path.resolve(f), false)))),
  ];
  const byId = new Map<string, LoadedPack>();
  for (const p of loaded) {
    byId.delete(p.pack.id);
    byId.set(p.pack.id, p);
  }
  return [...byId.values()];
}
