import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedSignersLine, serializeEnvelope, signWorksheet } from '../../src/core/attestation';
import { aggregateReport } from '../../src/core/adjudication/aggregate';
import { readGroups } from '../../src/core/calibration/files';
import { rubricResolver } from '../../src/core/rubric-files';
import { type Worksheet } from '../../src/core/worksheet';
import { chooseRun, noRunMessage, runIdsOf } from '../../src/extension/audit/audit-inputs';
import { MINI_FILE, ROOT, miniWorksheet, party, type Party } from './attestation-fixtures';
import { scratch } from './helpers';

/** The inputs the Audit view cannot audit, each with a message that names what is wrong and the files. */

const SEB_FILE = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
const SEB_SHA = createHash('sha256').update(readFileSync(SEB_FILE)).digest('hex');
const SEB_DIMS = ['invariant-plan', 'simplification', 'wiring', 'no-parallel-authority', 'correctness-incidents', 'durability-lifecycle'];

describe('which run the Audit view audits, and the message for each input it cannot', () => {
  const s = scratch('seb-audit-inputs-');
  after(() => s.done());
  const graders = [party('ana'), party('ben'), party('cal')];
  const signers = path.join(s.dir, 'allowed_signers');
  writeFileSync(signers, graders.map(p => allowedSignersLine(p.identity, p.key.publicKey)).join('\n') + '\n');
  const resolveRubric = rubricResolver([MINI_FILE], path.join(ROOT, 'rubric'));
  let n = 0;
  const write = (folder: string, who: Party, ws: Worksheet) => {
    const file = path.join(s.dir, folder, `${ws.run.runId}.${who.identity}.${n++}.worksheet.json`);
    writeFileSync(file, serializeEnvelope(signWorksheet({ ...ws, grader: { ...ws.grader, name: who.identity, keyId: who.key.keyId } }, ws.rubric.id === 'seb' ? 'seb-v1.0.rubric.json' : 'mini-v1.rubric.json', who.key)), { flag: 'w' });
    return file;
  };
  const mkdir = (folder: string) => {
    mkdirSync(path.join(s.dir, folder), { recursive: true });
    return path.join(s.dir, folder);
  };
  const read = (folder: string, allowedSigners = signers) => {
    const groups = readGroups([folder], { resolveRubric, allowedSigners });
    return { groups, report: aggregateReport(groups, 'mean') };
  };
  const [ana, ben, cal] = graders as [Party, Party, Party];

  test('two verified worksheets of one run: that run, its worksheets in the order of its sources, nothing blocked', () => {
    const dir = mkdir('ok');
    write('ok', ana, miniWorksheet());
    write('ok', ben, miniWorksheet({ entries: miniWorksheet().entries.map(e => ({ ...e, points: e.dimension === 'wiring' ? 2 : e.points })), total: 17 }));
    const { groups, report } = read(dir);
    assert.deepEqual(runIdsOf(report), ['run-42']);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(c.ok);
    assert.deepEqual(c.sheets.map(x => x.file), c.run.sources.map(x => x.file));
    assert.deepEqual(c.blocked, []);
    assert.equal(c.run.dimensions.find(d => d.id === 'wiring')?.disagreement, true);
  });

  test('one worksheet: nothing to audit', () => {
    const dir = mkdir('one');
    write('one', ana, miniWorksheet());
    const { groups, report } = read(dir);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(!c.ok);
    assert.match(c.message, /^Nothing to audit: run run-42 has one worksheet \(.*run-42\.ana\.\d+\.worksheet\.json\): nothing to aggregate\. An audit compares two worksheets or more\.$/);
  });

  test('one run scored on different trees: refused, naming the trees and files', () => {
    const dir = mkdir('trees');
    write('trees', ana, miniWorksheet());
    write('trees', ben, miniWorksheet({ run: { runId: 'run-42', baseline: { tree: 'a'.repeat(40) }, head: { tree: 'c'.repeat(40) } } }));
    const { groups, report } = read(dir);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(!c.ok);
    assert.match(c.message, /^The worksheets cannot be audited together: the worksheets for run run-42 were scored on different trees \(baseline aaaaaaaaaaaa, run bbbbbbbbbbbb: .*ana.*; baseline aaaaaaaaaaaa, run cccccccccccc: .*ben.*\): not aggregated\.$/);
  });

  test('one run on two rubrics: refused, naming each rubric and its files', () => {
    const dir = mkdir('rubrics');
    write('rubrics', ana, miniWorksheet());
    write('rubrics', ben, miniWorksheet());
    const seb: Worksheet = {
      ...miniWorksheet(), rubric: { id: 'seb', version: '1.0', sha256: SEB_SHA },
      entries: SEB_DIMS.map(d => ({ dimension: d, points: 1, rationale: 'why', evidence: [] })), total: 6,
    };
    write('rubrics', cal, seb);
    const { groups, report } = read(dir);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(!c.ok);
    assert.match(c.message, /^The worksheets for run run-42 are on different rubrics \(mini 1\.0, sha256 [0-9a-f]{12}…: .*ana.*ben.*; seb 1\.0, sha256 [0-9a-f]{12}…: .*cal.*\): they cannot be aggregated\.$/);
  });

  test('worksheets of several runs: each run offered; each audited on its own', () => {
    const dir = mkdir('runs');
    for (const runId of ['run-a', 'run-b']) {
      write('runs', ana, miniWorksheet({ run: { ...miniWorksheet().run, runId } }));
      write('runs', ben, miniWorksheet({ run: { ...miniWorksheet().run, runId } }));
    }
    const { groups, report } = read(dir);
    assert.deepEqual(runIdsOf(report), ['run-a', 'run-b']);
    const b = chooseRun(report, groups, 'run-b');
    assert.ok(b.ok && b.run.runId === 'run-b' && b.sheets.length === 2);
  });

  test('a worksheet that does not verify is left out with its reason, and blocks signing', () => {
    const dir = mkdir('unverified');
    write('unverified', ana, miniWorksheet());
    write('unverified', ben, miniWorksheet());
    const stranger = party('mallory');
    write('unverified', stranger, miniWorksheet());
    const { groups, report } = read(dir);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(c.ok);
    assert.equal(c.run.sources.length, 2);
    assert.deepEqual(c.blocked, ['1 signed worksheet could not be verified (see Left out): an adjudication settles verified worksheets only']);
    assert.match(report.excluded.map(x => `${x.file ?? ''} ${x.reason}`).join('\n'), /mallory.*failed verification/);
  });

  test('a grader\'s second worksheet for the run: both left out, and signing blocked (no grader dropped silently)', () => {
    const dir = mkdir('twice');
    write('twice', ana, miniWorksheet());
    write('twice', ben, miniWorksheet());
    write('twice', cal, miniWorksheet());
    write('twice', cal, miniWorksheet({ entries: miniWorksheet().entries.map(e => ({ ...e, points: e.dimension === 'plan' ? 4 : e.points })), total: 18.5 }));
    const { groups, report } = read(dir);
    const c = chooseRun(report, groups, 'run-42');
    assert.ok(c.ok);
    assert.equal(c.run.sources.length, 2, 'ana and ben');
    assert.deepEqual(c.blocked, ['2 other files left out (see Left out): remove or fix them first, so that no grader\'s worksheet is dropped from the record']);
  });

  test('no worksheet verifies: no run, and the message lists each file with its reason', () => {
    const dir = mkdir('none');
    write('none', ana, miniWorksheet());
    write('none', ben, miniWorksheet());
    const other = path.join(s.dir, 'other_signers');
    writeFileSync(other, allowedSignersLine('someone', party('someone').key.publicKey) + '\n');
    const { report } = read(dir, other);
    assert.deepEqual(runIdsOf(report), []);
    assert.match(noRunMessage([dir], report), /^No run to audit in .*none: no worksheet could be used\. Left out: run-42\.ana\.\d+\.worksheet\.json failed verification \(.*\): left out; run-42\.ben\.\d+\.worksheet\.json failed verification/);
  });
});
