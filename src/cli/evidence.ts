import { stat } from 'node:fs/promises';
import { type ResolveOptions } from '../git/resolve-run';
import { openTrees } from '../git/open-review';
import { loadRulePacks } from '../analysis/authority/packs';
import { collectEvidence, type EvidenceReport } from '../analysis/evidence/evidence';
import { parseOrUsage } from './args';
import { type Output } from './output';
import { EXIT_OK, UsageError } from './usage';

const FATE_ORDER = ['deleted', 'skipped', 'renamed', 'moved', 'modified', 'kept'] as const;

function text(r: EvidenceReport): string[] {
  const t = r.tests;
  const lines = [`Evidence for run ${r.runId} (baseline tree ${r.trees.baseline.slice(0, 12)}, run tree ${r.trees.run.slice(0, 12)}): facts, not scores`, ''];
  lines.push(`Tests: ${t.baselineTests} in the baseline, ${t.runTests} in the run`);
  const count = (k: string) => t.fates.filter(f => f.fate === k).length;
  lines.push(`  baseline tests: ${FATE_ORDER.map(k => `${count(k)} ${k}`).join(', ')}`);
  const incidents = t.fates.filter(f => f.incident !== undefined);
  if (incidents.length > 0) {
    lines.push('  Incident tests of the baseline (first):');
    for (const f of incidents) {
      lines.push(`    ${f.fate.toUpperCase().padEnd(8)} ${f.baseline.file}:${f.baseline.line} ${f.baseline.fullName}${f.run ? ` → ${f.run.file}:${f.run.line}` : ''}${f.detail ? ` (${f.detail})` : ''}`);
    }
  }
  const others = t.fates.filter(f => f.incident === undefined && f.fate !== 'kept');
  if (others.length > 0) {
    lines.push('  Other baseline tests not kept as they were:');
    for (const f of others) lines.push(`    ${f.fate.toUpperCase().padEnd(8)} ${f.baseline.file}:${f.baseline.line} ${f.baseline.fullName}${f.run ? ` → ${f.run.file}:${f.run.line}` : ''}${f.detail ? ` (${f.detail})` : ''}`);
  }
  const added = t.run.filter(x => x.added);
  if (added.length > 0) {
    lines.push(`  New in the run (${added.length}):`);
    for (const x of added) {
      const reach = x.reaches === 'production' ? `reaches ${x.via ?? 'production code'}` : x.reaches === 'doubles only' ? 'IMPORTS ONLY TEST DOUBLES' : 'imports nothing from the tree';
      lines.push(`    ${x.incident !== undefined ? '[incident] ' : ''}${x.skipped ? `[skipped: ${x.skipped.how}] ` : ''}${x.file}:${x.line} ${x.fullName} — ${reach}`);
    }
  }
  const skipped = t.run.filter(x => x.skipped !== undefined && !x.added);
  for (const x of skipped) lines.push(`  skipped in the run: ${x.file}:${x.skipped?.line ?? x.line} ${x.fullName} (${x.skipped?.how ?? ''})`);
  for (const p of t.problems) lines.push(`  ${p.side} ${p.file}: ${p.reason}`);
  lines.push('');

  lines.push(r.logs.length === 0 ? 'Test logs: the manifest names none' : 'Test logs:');
  for (const l of r.logs) {
    if (!l.ok) { lines.push(`  ${l.file}: NOT PARSED: ${l.reason ?? ''}`); continue; }
    lines.push(`  ${l.file} (${l.format ?? ''}): ${l.totals?.passed ?? 0} passed, ${l.totals?.failed ?? 0} failed, ${l.totals?.skipped ?? 0} skipped${l.totals?.todo ? `, ${l.totals.todo} todo` : ''}`);
    if (l.summary?.agrees === false) lines.push(`    the runner's own summary${l.summary.line !== undefined ? ` (log line ${l.summary.line})` : ''} disagrees: ${l.summary.disagreements.join('; ')}`);
    if (l.listsEveryTest === false) lines.push('    this reporter names only failing tests: passing ones are counted, not named');
    for (const f of l.files ?? []) lines.push(`    ${f.file}: ${f.passed} passed, ${f.failed} failed, ${f.skipped} skipped${f.didNotRun ? ' (did not run: the file failed to load)' : f.partial ? ' (only some of its tests are named)' : ''}`);
    for (const i of l.incidents) lines.push(`    incident: ${i.status.toUpperCase()} ${i.name}${i.logLine !== undefined ? ` (log line ${i.logLine})` : ''}${i.test ? ` = ${i.test.file}:${i.test.line}` : ''}`);
    for (const n of l.notes) lines.push(`    note: ${n}`);
  }
  lines.push('');

  lines.push(`Stubs and shims the run added: ${r.stubs.length}${r.shimFiles.length > 0 ? `; files named like shims: ${r.shimFiles.length}` : ''}`);
  for (const s of r.stubs) lines.push(`  ${s.file}:${s.line} ${s.kind}: ${s.message}`);
  for (const f of r.shimFiles) lines.push(`  ${f.file}: ${f.reason}${f.added ? ' (added by the run)' : ''}`);
  lines.push('');

  const p = r.plan;
  lines.push(`Plan: ${p.file !== undefined ? `${p.file} (${p.how === 'manifest' ? 'named by the manifest' : 'the likeliest markdown the run added under docs/'})` : 'none'}`);
  if (p.invariant) lines.push(`  invariant (line ${p.invariant.line}): ${p.invariant.text}`);
  if (p.problem) lines.push(`  ${p.problem}`);
  if (p.check) {
    lines.push(`  checked against the code: ${p.check.summary}`);
    for (const a of p.check.authority) lines.push(`    ${a.name}: ${a.found ? `defined at ${a.file ?? ''}:${a.line ?? ''}` : 'not found in the run'}`);
    for (const b of p.check.bypassing) {
      const shown = b.writes.slice(0, 4).join(', ');
      lines.push(`    bypasses it: ${b.label} (${b.file}:${b.line}) writes ${shown}${b.writes.length > 4 ? ` and ${b.writes.length - 4} more (--json lists them)` : ''}`);
    }
  }
  return lines;
}

/**
 * `seb-review evidence <run> [--baseline REF|DIR] [--rules FILE]... [--json]`: facts for the rubric's other dimensions
 * (test fates, incident tests, test logs, stubs, the plan against the code). Never a score. Exit 0; 2 for bad input.
 */
export async function evidenceCommand(argv: string[], io: Output): Promise<number> {
  const { values: v, positionals } = parseOrUsage(argv, { baseline: { type: 'string' }, rules: { type: 'string', multiple: true }, json: { type: 'boolean' } });
  const [target, extra] = positionals;
  if (target === undefined) throw new UsageError('evidence needs a run folder or a seb-run.json');
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  const options: ResolveOptions = {};
  if (v.baseline !== undefined) {
    if (await stat(v.baseline).then(s => s.isDirectory(), () => false)) options.baselinePath = v.baseline;
    else options.baseline = v.baseline;
  }
  const { run, workspace } = await openTrees(target, options);
  try {
    const report = await collectEvidence({
      runId: run.runId, baseline: workspace.reader('baseline'), run: workspace.reader('run'),
      trees: { baseline: workspace.baselineTree, run: workspace.headTree }, packs: await loadRulePacks(v.rules ?? []),
      ...(run.manifest ? { manifest: run.manifest } : {}),
    });
    if (v.json) io.json(report);
    else io.out(...text(report));
    return EXIT_OK;
  } finally {
    await workspace.dispose();
  }
}
