import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, ROOT } from './env';

export interface DemoRun {
  dir: string;
  baseline: string;
  head: string;
}
export interface HostileRepo {
  dir: string;
  marker: string;
}

async function builder<T>(file: string, name: string): Promise<(...args: string[]) => Promise<T>> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', file)).href)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`test/fixtures/${file} does not export ${name}`);
  return fn as (...args: string[]) => Promise<T>;
}

/** Builds the demo run into .cache/fixtures/demo-run (deterministic: same commits every time). */
export async function buildDemoRun(dir = path.join(FIXTURES, 'demo-run')): Promise<DemoRun> {
  return (await builder<DemoRun>('build-demo-run.mjs', 'buildDemoRun'))(dir);
}

/** Builds the hostile repository; its configured programs would write `marker` if git ever ran them. */
export async function buildHostileRepo(dir = path.join(FIXTURES, 'hostile'), marker = path.join(FIXTURES, 'hostile-marker')): Promise<HostileRepo> {
  if (existsSync(marker)) rmSync(marker);
  const built = await (await builder<HostileRepo>('build-hostile.mjs', 'buildHostileRepo'))(dir, marker);
  return { dir: built.dir, marker };
}

/** Builds the rewritten Proof run into .cache/fixtures/proof-run (the public Proof source and the rewrite's steps). */
export async function buildProofRun(dir = path.join(FIXTURES, 'proof-run')): Promise<{ dir: string }> {
  return (await builder<{ dir: string }>('build-proof-run.mjs', 'buildProofRun'))(dir);
}
