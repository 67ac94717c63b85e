import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SebError } from './errors';
import { checkRubric, formatProblems } from './rubric';
import { jsonDepthProblem, type ResolvedRubric, type RubricResolver } from './attestation';
import { readInput } from './input-files';

/** Rubric files read from disk: checked, with the sha256 of their bytes, found by id and version. */

/** A rubric file, checked, with the sha256 of its bytes; a bad one is a SebError naming the file. */
export function loadRubricFile(file: string): ResolvedRubric {
  const bytes = readInput(file, 'json');
  const text = bytes.toString('utf8');
  const deep = jsonDepthProblem(text);
  if (deep !== undefined) throw new SebError('bad-manifest', `${file}: ${deep}`, file);
  const result = checkRubric(text);
  if (!result.ok) throw new SebError('bad-manifest', `${file}: ${formatProblems(result.problems)}`, file);
  return { rubric: result.value, sha256: createHash('sha256').update(bytes).digest('hex'), file };
}

/**
 * Finds rubrics by id and version: first among `explicit` (--rubric files, all read and checked up front, so a changed
 * copy given on purpose is the one checked), then among the packaged rubrics (rubric/*.rubric.json of this package).
 */
export function rubricResolver(explicit: readonly string[], packagedDir: string | undefined): RubricResolver {
  const given = explicit.map(loadRubricFile);
  let packaged: ResolvedRubric[] | undefined;
  return (id, version) => {
    const match = (r: ResolvedRubric) => r.rubric.id === id && r.rubric.version === version;
    const hit = given.find(match);
    if (hit !== undefined) return hit;
    packaged ??= loadPackaged(packagedDir);
    return packaged.find(match);
  };
}

function loadPackaged(dir: string | undefined): ResolvedRubric[] {
  if (dir === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter(n => n.endsWith('.rubric.json')).sort();
  } catch {
    return [];
  }
  return names.flatMap(n => {
    try {
      return [loadRubricFile(path.join(dir, n))];
    } catch {
      return [];
    }
  });
}

