import * as vscode from 'vscode';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { type SebReviewActivation, type SebReviewApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'seb-review.seb-review';
/** out/test/integration -> repository root */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, '.cache', 'fixtures');
export const DEMO = path.join(FIXTURES, 'demo-run');
export const HOSTILE = path.join(FIXTURES, 'hostile');
/** The rewritten Proof run (test/fixtures/build-proof-run.mjs), built by the test runner. */
export const PROOF = path.join(FIXTURES, 'proof-run');
export const HOSTILE_MARKER = path.join(FIXTURES, 'hostile-marker');

/** The extension's objects: activates it, and loads its features bundle (start-up may have already). */
export async function api(): Promise<SebReviewApi> {
  const ext = vscode.extensions.getExtension<SebReviewActivation>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return (await ext.activate()).api();
}

/** Test set-up only: plain git on the benign demo fixture, to know what the answers should be. */
export function gitFixture(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
}
