import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SebError } from '../errors';
import { parseAllowedSigners, type RubricResolver } from '../attestation';
import { readText, tryReadJsonText } from '../input-files';
import { agreementReport } from './agreement';
import { calibrationReport } from './calibrate';
import { readSheetGroups, readSheets, type InputText, type SheetGroup, type WorksheetSet } from './inputs';
import { type AgreementReport, type CalibrationReport, type Excluded } from './types';

/** The files a folder contributes: signed and plain worksheets and reference profiles, by name. */
const WANTED = /\.(worksheet|predicate|references)\.json$/;
/** How deep a folder is searched, and how many files at most (a folder of worksheets, not a disk). */
const MAX_DEPTH = 4;
const MAX_FILES = 10_000;

/**
 * The inputs named on the command line or picked in the editor: a file is read whatever its name; a folder
 * contributes its `*.worksheet.json`, `*.predicate.json` and `*.references.json` files, a few levels deep (hidden
 * folders and node_modules skipped, links not followed). A file that cannot be read is an error when named, and left
 * out with its reason when found in a folder.
 */
export function collectInputs(paths: readonly string[]): { inputs: InputText[]; excluded: Excluded[] } {
  const inputs: InputText[] = [];
  const excluded: Excluded[] = [];
  const seen = new Set<string>();
  const add = (file: string, named: boolean) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    if (inputs.length + excluded.length >= MAX_FILES) throw new SebError('bad-manifest', `more than ${MAX_FILES} worksheet files under ${paths.join(', ')}`);
    const read = tryReadJsonText(file);
    if (read.ok) inputs.push({ file, text: read.value, named, sha256: read.sha256 });
    else if (named) throw new SebError('bad-manifest', `${file}: ${read.why}`, file);
    else excluded.push({ file, reason: read.why });
  };
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new SebError('bad-manifest', `${dir}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, dir);
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isFile() && WANTED.test(e.name)) add(p, false);
      else if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p, depth + 1);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new SebError('bad-manifest', `${p}: no such file or folder`, p);
    }
    if (isDir) walk(p, 0);
    else add(p, true);
  }
  return { inputs, excluded };
}

export interface FileOptions {
  /** An allowed-signers file; without it signed worksheets cannot be verified and are left out. */
  allowedSigners?: string;
  resolveRubric: RubricResolver;
}

function inputsOf(paths: readonly string[], options: FileOptions, what: string) {
  if (paths.length === 0) throw new SebError('bad-manifest', `no ${what} given`);
  const allowedSigners = options.allowedSigners !== undefined ? parseAllowedSigners(readText(options.allowedSigners, 'allowed-signers'), options.allowedSigners) : undefined;
  const { inputs, excluded } = collectInputs(paths);
  if (inputs.length === 0) throw new SebError('bad-manifest', `no worksheet (*.worksheet.json, *.predicate.json, *.references.json) in ${paths.join(', ')}`);
  return { inputs, excluded, read: { resolveRubric: options.resolveRubric, ...(allowedSigners !== undefined ? { allowedSigners } : {}) } };
}

function readSet(paths: readonly string[], options: FileOptions, what: string) {
  const { inputs, excluded, read } = inputsOf(paths, options, what);
  const { set, rubric } = readSheets(inputs, read);
  const withFolders: WorksheetSet = { ...set, excluded: [...excluded, ...set.excluded] };
  return { set: withFolders, rubric };
}

/** The worksheets under `paths`, verified, grouped by rubric (aggregation and adjudication group by run and rubric). */
export function readGroups(paths: readonly string[], options: FileOptions): SheetGroup[] {
  const { inputs, excluded, read } = inputsOf(paths, options, 'worksheets');
  const groups = readSheetGroups(inputs, read);
  groups[0]?.set.excluded.unshift(...excluded);
  return groups;
}

/** `seb-review agreement` and its view: read, verify and compare. */
export function agreementFiles(paths: readonly string[], options: FileOptions): { report: AgreementReport; failed: number } {
  const { set, rubric } = readSet(paths, options, 'worksheets');
  return { report: agreementReport(set, rubric), failed: set.failed };
}

/** `seb-review calibrate` and the Calibration view: the candidate's worksheets against the references'. */
export function calibrateFiles(input: { candidate: readonly string[]; reference: readonly string[] }, options: FileOptions): { report: CalibrationReport; failed: number } {
  const c = readSet(input.candidate, options, 'candidate worksheets');
  const r = readSet(input.reference, options, 'reference worksheets');
  if (c.rubric.sha256 !== r.rubric.sha256) {
    throw new SebError('bad-manifest', `the candidate's worksheets are on rubric ${c.rubric.rubric.id} ${c.rubric.rubric.version} (sha256 ${c.rubric.sha256.slice(0, 12)}…), the references' on ${r.rubric.rubric.id} ${r.rubric.rubric.version} (sha256 ${r.rubric.sha256.slice(0, 12)}…): they cannot be compared`);
  }
  return { report: calibrationReport(c.set, r.set, c.rubric), failed: c.set.failed + r.set.failed };
}
