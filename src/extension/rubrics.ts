import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';
import { parseRubric, type Rubric } from '../core/rubric';
import { StorageKeys } from './ids';
import { type ResolvedRun } from '../git/resolve-run';

export const DEFAULT_RUBRIC = 'seb-v1.0.rubric.json';

export interface LoadedRubric {
  rubric: Rubric;
  file: string;
  /** sha256 of the file's bytes: what a worksheet binds to. */
  sha256: string;
  /** Where the choice came from, for the form's subtitle. */
  source: string;
}

/** Reads and checks a rubric file; a bad one is a SebError naming the file and the field. */
export async function loadRubric(file: string, source: string): Promise<LoadedRubric> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new SebError('bad-manifest', `${file} cannot be read: ${errorMessage(e)}`, file);
  }
  const rubric = parseRubric(bytes.toString('utf8'), file);
  return { rubric, file, sha256: createHash('sha256').update(bytes).digest('hex'), source };
}

export function packagedRubrics(extensionUri: vscode.Uri): Promise<string[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'rubric').fsPath;
  return readdir(dir).then(names => names.filter(n => n.endsWith('.rubric.json')).sort().map(n => path.join(dir, n)), () => []);
}

/**
 * The rubric for a run: the one its manifest names (a path relative to the run), else the one the reviewer chose for
 * this run, else the packaged SEB rubric.
 */
export async function rubricForRun(run: ResolvedRun, extensionUri: vscode.Uri, memento: vscode.Memento): Promise<LoadedRubric> {
  const named = run.manifest?.rubric;
  if (named !== undefined) {
    const file = path.isAbsolute(named) ? named : path.join(run.root, named);
    return loadRubric(file, `named by ${path.basename(run.manifestFile ?? 'seb-run.json')}`);
  }
  const chosen = memento.get<Record<string, string>>(StorageKeys.rubricChoice)?.[run.root];
  if (chosen) return loadRubric(chosen, 'chosen for this run');
  return loadRubric(vscode.Uri.joinPath(extensionUri, 'rubric', DEFAULT_RUBRIC).fsPath, 'default');
}

export async function rememberRubric(memento: vscode.Memento, run: ResolvedRun, file: string | undefined): Promise<void> {
  const all = { ...memento.get<Record<string, string>>(StorageKeys.rubricChoice) };
  const next = Object.fromEntries(Object.entries(all).filter(([k]) => k !== run.root));
  if (file) next[run.root] = file;
  await memento.update(StorageKeys.rubricChoice, next);
}
