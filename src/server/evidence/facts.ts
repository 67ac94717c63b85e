import type { EvidenceReport } from '../../analysis/evidence/evidence';
import type { TestFate, TestRef } from '../../analysis/evidence/test-inventory';
import type { EvidenceFact, EvidenceFacts, EvidenceTopic, FactLocation } from '../../protocol/server/evidence';

/**
 * The evidence report (`seb-review evidence --json`) as the editor lists it: one fact per line a reviewer may want to
 * cite, each with its location and the note it carries as evidence. What is listed: every incident test of the
 * baseline, whatever its fate (a kept one is evidence too); every other baseline test not kept as it was; new tests that
 * are skipped or reach only test doubles; each log's totals, failures, unread logs and incident outcomes; every stub
 * and shim file; the plan's invariant and its check. Kept tests and passing ordinary tests are counted, not listed.
 */

/** Facts sent per topic at most (the command line lists them all). */
export const MAX_FACTS_PER_TOPIC = 400;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function at(side: FactLocation['side'], path: string, startLine: number, endLine = startLine): FactLocation {
  return { side, path, startLine: Math.max(1, startLine), endLine: Math.max(1, startLine, endLine) };
}

const refAt = (side: FactLocation['side'], t: TestRef) => at(side, t.file, t.line, t.endLine);

/** Where a baseline test's fate is best seen: its run counterpart when there is one, else the baseline test. */
function fateLocation(f: TestFate): FactLocation {
  return f.run ? refAt('run', f.run) : refAt('baseline', f.baseline);
}

function fateText(f: TestFate, incident: boolean): { text: string; note: string } {
  const what = incident ? 'Incident test' : 'Baseline test';
  const where = `${f.baseline.file}:${f.baseline.line}`;
  const detail = f.detail ? ` (${f.detail})` : '';
  // The list's line keeps the detail's first clause ("its file is still there"); the note keeps all of it.
  const short = f.detail ? ` (${f.detail.split(';')[0] ?? ''})` : '';
  switch (f.fate) {
    case 'kept':
      return { text: `${what} kept: ${f.baseline.fullName}`, note: `${what} "${f.baseline.fullName}" (${where}) is kept unchanged in the run.` };
    case 'modified':
      return { text: `${what} modified: ${f.baseline.fullName}`, note: `${what} "${f.baseline.fullName}" (${where}) is still in the run, with a changed body.` };
    case 'moved':
      return { text: `${what} moved to ${f.run?.file ?? '?'}: ${f.baseline.fullName}`, note: `${what} "${f.baseline.fullName}" (${where}) moved to ${f.run?.file ?? '?'}:${f.run?.line ?? '?'} with the same body.` };
    case 'renamed':
      return { text: `${what} renamed to "${f.run?.fullName ?? '?'}": ${f.baseline.fullName}${short}`, note: `${what} "${f.baseline.fullName}" (${where}) became "${f.run?.fullName ?? '?'}" (${f.run?.file ?? '?'}:${f.run?.line ?? '?'})${detail}.` };
    case 'skipped':
      return { text: `${what} skipped in the run: ${f.baseline.fullName}${short}`, note: `${what} "${f.baseline.fullName}" (${where}) is skipped in the run${detail}; the baseline ran it.` };
    case 'deleted':
      return { text: `${what} deleted: ${f.baseline.fullName}${short}`, note: `${what} "${f.baseline.fullName}" (${where}) is deleted in the run${detail}.` };
  }
}

class Facts {
  readonly list: EvidenceFact[] = [];
  readonly omitted: Partial<Record<EvidenceTopic, number>> = {};
  private readonly perTopic = new Map<EvidenceTopic, number>();

  add(topic: EvidenceTopic, attention: boolean, text: string, note: string, location?: FactLocation): void {
    const n = this.perTopic.get(topic) ?? 0;
    if (n >= MAX_FACTS_PER_TOPIC) {
      this.omitted[topic] = (this.omitted[topic] ?? 0) + 1;
      return;
    }
    this.perTopic.set(topic, n + 1);
    this.list.push({ id: `${topic}:${n}`, topic, attention, text, note, ...(location ? { location } : {}) });
  }
}

function testFacts(r: EvidenceReport, out: Facts): void {
  const t = r.tests;
  // Incident tests first (every fate), then the other baseline tests that were not kept as they were.
  for (const f of t.fates.filter(x => x.incident !== undefined)) {
    const { text, note } = fateText(f, true);
    out.add('incident-tests', f.fate === 'deleted' || f.fate === 'skipped', text, `${note} Flagged as an incident test: ${f.incident ?? ''}.`, fateLocation(f));
  }
  for (const x of t.run.filter(y => y.added && y.incident !== undefined)) {
    out.add('incident-tests', x.skipped !== undefined, `New incident test${x.skipped ? ` (skipped: ${x.skipped.how})` : ''}: ${x.fullName}`,
      `New incident test in the run: "${x.fullName}" (${x.file}:${x.line})${x.skipped ? `, skipped (${x.skipped.how})` : ''}; flagged: ${x.incident ?? ''}.`, refAt('run', x));
  }
  for (const f of t.fates.filter(x => x.incident === undefined && x.fate !== 'kept')) {
    const { text, note } = fateText(f, false);
    out.add('tests', f.fate === 'deleted' || f.fate === 'skipped', text, note, fateLocation(f));
  }
  for (const x of t.run.filter(y => y.added && y.incident === undefined && y.skipped !== undefined)) {
    out.add('tests', true, `New test skipped (${x.skipped?.how ?? ''}): ${x.fullName}`, `New test "${x.fullName}" (${x.file}:${x.line}) is skipped (${x.skipped?.how ?? ''}).`,
      at('run', x.file, x.skipped?.line ?? x.line, x.endLine));
  }
  for (const p of t.problems) out.add('tests', true, `Test file not read (${p.side}): ${p.file}: ${p.reason}`, `The ${p.side}'s test file ${p.file} could not be read: ${p.reason}.`, at(p.side, p.file, 1));
  for (const x of t.run.filter(y => y.added && y.reaches !== 'production')) {
    const doubles = x.reaches === 'doubles only';
    out.add('test-doubles', doubles,
      doubles ? `New test imports only test doubles: ${x.fullName}` : `New test imports nothing from the tree: ${x.fullName}`,
      doubles
        ? `New test "${x.fullName}" (${x.file}:${x.line}) imports only mocks, fakes, stubs or fixtures: it does not reach production code.`
        : `New test "${x.fullName}" (${x.file}:${x.line}) imports nothing from the tree.`,
      refAt('run', x));
  }
}

function logFacts(r: EvidenceReport, out: Facts): void {
  for (const l of r.logs) {
    const logAt = (line?: number) => at('run', l.file, line ?? 1);
    if (!l.ok) {
      const missing = /has no such file/.test(l.reason ?? '');
      out.add('test-results', true, `Test log not read: ${l.file}: ${l.reason ?? ''}`, `The test log ${l.file} could not be read as a test log: ${l.reason ?? ''}. It is not counted.`, missing ? undefined : logAt());
      continue;
    }
    const c = l.totals ?? { passed: 0, failed: 0, skipped: 0, todo: 0 };
    const counts = `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.todo ? `, ${c.todo} todo` : ''}`;
    const disagrees = l.summary?.agrees === false;
    out.add('test-results', c.failed > 0 || disagrees, `Test log ${l.file} (${l.format ?? '?'}): ${counts}${disagrees ? '; its summary disagrees' : ''}`,
      `The test log ${l.file} (${l.format ?? '?'}) records ${counts}${disagrees ? `; the runner's own summary disagrees: ${l.summary?.disagreements.join('; ') ?? ''}` : ''}${l.listsEveryTest === false ? '; this reporter names only failing tests' : ''}.`,
      logAt(l.summary?.line));
    for (const f of (l.files ?? []).filter(x => x.failed > 0 || x.didNotRun)) {
      const what = f.didNotRun ? 'did not run (the file failed to load)' : `${plural(f.failed, 'test')} failed`;
      out.add('test-results', true, `In ${l.file}: ${f.file} ${what}`, `The test log ${l.file} says ${f.file} ${what}.`, logAt());
    }
    for (const i of l.incidents) {
      const ended = i.status === 'passed' || i.status === 'failed' || i.status === 'skipped' || i.status === 'todo' ? i.status.toUpperCase() : i.status;
      out.add('test-results', i.status !== 'passed', `Incident test in ${l.file}: ${ended}: ${i.name}`,
        `Incident test "${i.name}"${i.test ? ` (${i.test.file}:${i.test.line})` : ''}: ${i.logLine !== undefined ? `${ended} in ${l.file} at line ${i.logLine}` : `${ended} (${l.file})`}${i.fileUnknown ? '; the log names no file for it, only its title matched' : ''}.`,
        i.logLine !== undefined ? logAt(i.logLine) : i.test ? refAt('run', i.test) : logAt());
    }
  }
}

function stubFacts(r: EvidenceReport, out: Facts): void {
  for (const s of r.stubs) {
    out.add('stubs', true, `${s.message} (${s.file}:${s.line})`, `${s.message}, in ${s.fileAdded ? 'a file the run added' : 'code the run added to this file'}.`, at('run', s.file, s.line, s.endLine));
  }
  for (const f of r.shimFiles) {
    out.add('stubs', f.added, `${f.file}: ${f.reason}${f.added ? ' (added by the run)' : ''}`, `${f.file}: ${f.reason}${f.added ? '; the run added it' : '; it was already in the baseline'}.`, at('run', f.file, 1));
  }
}

function planFacts(r: EvidenceReport, out: Facts): void {
  const p = r.plan;
  const planAt = (line: number) => (p.file !== undefined ? at('run', p.file, line) : undefined);
  const which = p.file !== undefined ? `${p.file} (${p.how === 'manifest' ? 'named by the manifest' : 'the likeliest markdown the run added under docs/'})` : '';
  if (p.invariant) {
    out.add('plan', false, `Plan's invariant: ${p.invariant.text}`, `The plan ${which} states the invariant: "${p.invariant.text}"`, planAt(p.invariant.line));
  }
  if (p.problem !== undefined) out.add('plan', true, `Plan: ${p.problem}`, `Plan${which ? ` ${which}` : ''}: ${p.problem}.`, p.file !== undefined && !/does not exist/.test(p.problem) ? planAt(p.invariant?.line ?? 1) : undefined);
  const c = p.check;
  if (c) {
    out.add('plan', c.agrees !== true, `Plan checked against the code: ${c.summary}`, `The plan's invariant checked against the code: ${c.summary}.`, planAt(p.invariant?.line ?? 1));
    for (const a of c.authority.filter(x => x.found && x.file !== undefined)) {
      out.add('plan', false, `The plan's authority ${a.name} is defined at ${a.file ?? ''}:${a.line ?? 1}`, `${a.name}, the authority the plan names, is defined here.`, at('run', a.file ?? '', a.line ?? 1));
    }
    for (const b of c.bypassing) {
      const shown = b.writes.slice(0, 4).join(', ');
      out.add('plan', true, `Bypasses the plan's authority: ${b.label} (${b.file}:${b.line})`,
        `${b.label} reaches ${shown}${b.writes.length > 4 ? ` and ${b.writes.length - 4} more writes` : ''} without passing the authority the plan names.`, at('run', b.file, b.line));
    }
  }
}

export function evidenceFacts(r: EvidenceReport): EvidenceFacts {
  const out = new Facts();
  testFacts(r, out);
  logFacts(r, out);
  stubFacts(r, out);
  planFacts(r, out);
  return {
    runId: r.runId,
    trees: r.trees,
    counts: {
      baselineTests: r.tests.baselineTests, runTests: r.tests.runTests,
      incidentTests: r.tests.fates.filter(f => f.incident !== undefined).length,
      logs: r.logs.length, stubs: r.stubs.length,
    },
    facts: out.list,
    omitted: out.omitted,
  };
}
