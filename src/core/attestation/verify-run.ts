import { type Statement } from './statement';
import { type Check, type RubricResolver } from './checks';
import { checkWorksheetAgainstRubric } from './worksheet-export';

/** The last part of a path, with either separator. */
const fileName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

/** The rubric the worksheet names: found, its digest and file name the subject's, and the entries and total against it. */
export function checkRubric(st: Statement, resolve: RubricResolver, checks: Check[]): void {
  const ws = st.predicate;
  const found = resolve(ws.rubric.id, ws.rubric.version);
  if (found === undefined) {
    checks.push({ check: 'rubric-digest', ok: false, field: 'predicate.rubric',
      message: `rubric ${ws.rubric.id} ${ws.rubric.version} not found, so its digest, the ceilings and the total were not checked` });
    return;
  }
  const subject = st.subject[2];
  checks.push(found.sha256 === subject.digest.sha256
    ? { check: 'rubric-digest', ok: true, field: 'subject[2].digest.sha256', message: `${found.file} (${ws.rubric.id} ${ws.rubric.version})` }
    : { check: 'rubric-digest', ok: false, field: 'subject[2].digest.sha256',
      message: `is ${subject.digest.sha256}, but ${found.file} (${ws.rubric.id} ${ws.rubric.version}) has sha256 ${found.sha256}: the rubric was changed` });
  if (subject.name !== fileName(found.file)) {
    checks.push({ check: 'rubric-digest', ok: false, field: 'subject[2].name', message: `is ${JSON.stringify(subject.name)}, but the rubric file is named ${fileName(found.file)}` });
  }
  const problems = checkWorksheetAgainstRubric(ws, found.rubric);
  for (const p of problems) {
    checks.push({ check: p.kind === 'total' ? 'total' : p.kind === 'rubric' ? 'rubric-digest' : 'ceilings', ok: false, field: `predicate.${p.field}`, message: p.message });
  }
  const rubric = found.rubric;
  if (!problems.some(p => p.kind !== 'total' && p.kind !== 'rubric')) {
    checks.push({ check: 'ceilings', ok: true, message: `${rubric.dimensions.length} dimensions, each scored within its ceiling on the step ${rubric.step}, with a rationale` });
  }
  if (!problems.some(p => p.kind === 'total')) checks.push({ check: 'total', ok: true, field: 'predicate.total', message: `${ws.total} / ${rubric.total}, exactly the sum of the entries` });
}

/** The tree subjects against the run's actual trees. */
export function checkTrees(st: Statement, trees: { baseline: string; run: string }, checks: Check[]): void {
  const pairs = [['baseline', 0, trees.baseline], ['run', 1, trees.run]] as const;
  for (const [name, i, actual] of pairs) {
    const signed = st.subject[i].digest.gitTree;
    checks.push(signed === actual
      ? { check: 'tree', ok: true, field: `subject[${i}].digest.gitTree`, message: `the ${name} tree is ${actual}` }
      : { check: 'tree', ok: false, field: `subject[${i}].digest.gitTree`, message: `is ${signed}, but the ${name} tree is now ${actual}: the code is not the code that was scored` });
  }
}

/** The worksheet's commit ids, where it records them, against the run's baseline and head commits. */
export function checkCommits(st: Statement, commits: { baseline: string; head: string }, checks: Check[]): void {
  for (const side of ['baseline', 'head'] as const) {
    const field = `predicate.run.${side}.commit`;
    const signed = st.predicate.run[side].commit;
    const actual = commits[side];
    checks.push(signed === undefined
      ? { check: 'commit', ok: true, field, message: `the worksheet records no ${side} commit (the ${side} tree is what binds it)` }
      : signed === actual
        ? { check: 'commit', ok: true, field, message: `the ${side} commit is ${actual}` }
        : { check: 'commit', ok: false, field, message: `is ${signed}, but the run's ${side} commit is ${actual}` });
  }
}
