import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SebError, errorMessage } from '../core/errors';
import { parseRubric, type Rubric } from '../core/rubric';
import { StorageKeys } from './ids';
import { type ResolvedRun } from '../core/run';
import { workingTreeReader } from '../git/tree-reader';

export const DEFAULT_RUBRIC = 'seb-v1.0.rubric.json';

export interface LoadedRubric {
  rubric: Rubric;
  file: string;
  /** sha256 of the file's bytes: what a worksheet binds to. */
  sha256: string;
  /** Where the choice came from, for the form's subtitle. */
  source: string;
}

/** The largest rubric file read. */
const RUBRIC_MAX_BYTES = 1024 * 1024;

/** Reads and checks a rubric file; a bad one is a SebError naming the file and the field. */
export async function loadRubric(file: string, source: string): Promise<LoadedRubric> {
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new SebError('bad-manifest', `${file} is not a regular file`, file);
    if (st.size > RUBRIC_MAX_BYTES) throw new SebError('bad-manifest', `${file} is larger than ${RUBRIC_MAX_BYTES} bytes; it is not a rubric`, file);
    bytes = await readFile(file);
  } catch (e) {
    if (e instanceof SebError) throw e;
    throw new SebError('bad-manifest', `${file} cannot be read: ${errorMessage(e)}`, file);
  }
  return checkedRubric(bytes, file, source);
}

function checkedRubric(bytes: Buffer, file: string, source: string): LoadedRubric {
  const rubric = parseRubric(bytes.toString('utf8'), file);
  return { rubric, file, sha256: createHash('sha256').update(bytes).digest('hex'), source };
}

export function packagedRubrics(extensionUri: vscode.Uri): Promise<string[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'rubric').fsPath;
  return readdir(dir).then(names => names.filter(n => n.endsWith('.rubric.json')).sort().map(n => path.join(dir, n)), () => []);
}

/**
 * The rubric a manifest names: a file inside the run (read through the tree reader: no link out of the tree, no FIFO,
 * no huge file), else, for a bare file name the run does not hold, the packaged rubric of that name.
 */
export async function manifestRubric(run: ResolvedRun, named: string, extensionUri: vscode.Uri): Promise<LoadedRubric> {
  const manifest = run.manifestFile ?? path.join(run.root, 'seb-run.json');
  const source = `named by ${path.basename(manifest)}`;
  const read = await workingTreeReader(run.root).read(named, { maxBytes: RUBRIC_MAX_BYTES });
  if (read.ok) return checkedRubric(read.bytes, path.join(run.root, ...named.split('/')), source);
  if (read.problem === 'missing' && !named.includes('/')) {
    const packaged = (await packagedRubrics(extensionUri)).find(f => path.basename(f) === named);
    if (packaged) return loadRubric(packaged, `${source} (packaged)`);
  }
  throw new SebError('bad-manifest', `${manifest}: field "rubric": ${read.message}`, manifest);
}

/**
 * The rubric for a run: the one its manifest names (a path inside the run, or a packaged rubric's file name), else the
 * one the reviewer chose for this run, else the packaged SEB rubric.
 */
export async function rubricForRun(run: ResolvedRun, extensionUri: vscode.Uri, memento: vscode.Memento): Promise<LoadedRubric> {
  const named = run.manifest?.rubric;
  if (named !== undefined) return manifestRubric(run, named, extensionUri);
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
