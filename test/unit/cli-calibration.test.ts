import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allowedSignersLine, signWorksheet } from '../../src/core/attestation';
import { type Worksheet } from '../../src/core/worksheet';
import { type AgreementReport, type CalibrationReport } from '../../src/core/calibration/types';
import { cli } from './cli-run';
import { MINI_FILE, miniWorksheet, party, ROOT, type Party } from './attestation-fixtures';

/**
 * The agreement and calibration commands end to end: worksheets written as files (signed envelopes and plain
 * `*.predicate.json`), read back by `seb-review agreement` / `calibrate`, compared with published reference values.
 */

const ONE_FILE = path.join(ROOT, 'test', 'fixtures', 'rubrics', 'one-v1.rubric.json');
const ONE_SHA = createHash('sha256').update(readFileSync(ONE_FILE)).digest('hex');

/** R irr's `anxiety` data: 20 subjects × 3 raters. */
const ANXIETY = [
  [3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1], [3, 4, 6], [5, 3, 1], [2, 3, 1],
  [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3], [2, 2, 1], [2, 2, 1], [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2],
];

/** Wikipedia's "Krippendorff's alpha" example: 3 coders × 15 units, null = missing. */
const WIKIPEDIA: Array<Array<number | null>> = [
  [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
  [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
  [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
];

function oneSheet(runId: string, grader: string, points: number, rationale = `${grader} on ${runId}`): Worksheet {
  return {
    format: 'seb-review/worksheet@1',
    rubric: { id: 'one', version: '1.0', sha256: ONE_SHA },
    run: { runId, baseline: { tree: 'a'.repeat(40) }, head: { tree: 'b'.repeat(40) } },
    grader: { name: grader, kind: 'human' },
    entries: [{ dimension: 'score', points, rationale, evidence: [{ side: 'run', path: `src/${runId}.ts`, startLine: 1, endLine: 2 }] }],
    gaps: '',
    total: points,
    createdAt: '2026-03-17T12:00:00.000Z',
    updatedAt: '2026-03-17T12:00:00.000Z',
  };
}

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'seb-calibration-'));
}

/** Writes `ws` signed by `who` (grader bound to their key) as <dir>/<run>.<grader>.worksheet.json. */
function writeSigned(dir: string, who: Party, ws: Worksheet, rubricFile = ONE_FILE): string {
  const env = signWorksheet({ ...ws, grader: { ...ws.grader, name: who.identity, keyId: who.key.keyId } }, path.basename(rubricFile), who.key);
  const file = path.join(dir, `${ws.run.runId}.${who.identity}.worksheet.json`);
  writeFileSync(file, JSON.stringify(env));
  return file;
}

function writePlain(dir: string, ws: Worksheet): string {
  const file = path.join(dir, `${ws.run.runId}.${ws.grader.name}.predicate.json`);
  writeFileSync(file, JSON.stringify(ws));
  return file;
}

function writeSigners(dir: string, ...parties: Party[]): string {
  const file = path.join(dir, 'allowed_signers');
  writeFileSync(file, parties.map(p => allowedSignersLine(p.identity, p.key.publicKey)).join('\n') + '\n');
  return file;
}

/** No NaN, Infinity or undefined statistic without a reason anywhere in a report. */
function assertClean(value: unknown, where = '$'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertClean(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('value' in o && o.value === null) assert.equal(typeof o.reason, 'string', `${where}: null without a reason`);
    for (const [k, v] of Object.entries(o)) assertClean(v, `${where}.${k}`);
  }
}

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-6, `${what}: ${String(actual)}, expected ${expected}`);

describe('seb-review agreement', () => {
  const raters = [party('rater-a'), party('rater-b'), party('rater-c')];

  test('R irr\'s anxiety data, as 60 signed worksheets: the six ICC forms and their intervals, and alpha, to 1e-6', async () => {
    const dir = tmp();
    const sheets = path.join(dir, 'sheets');
    mkdirSync(sheets);
    ANXIETY.forEach((row, i) => row.forEach((points, j) => writeSigned(sheets, raters[j] as Party, oneSheet(`s${String(i + 1).padStart(2, '0')}`, 'x', points))));
    const r = await cli('agreement', sheets, '--allowed-signers', writeSigners(dir, ...raters), '--rubric', ONE_FILE, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as AgreementReport;
    assert.equal(report.format, 'seb-review/agreement@1');
    assert.deepEqual(report.graders.map(g => [g.name, g.signed, g.worksheets]), [['rater-a', true, 20], ['rater-b', true, 20], ['rater-c', true, 20]]);
    assert.equal(report.runs.length, 20);
    const expected = {
      '1,1': [0.17502238, -0.07744657, 0.48433609], 'A,1': [0.19799826, -0.03891063, 0.49357395], 'C,1': [0.21604938, -0.04625789, 0.52225908],
      '1,k': [0.38892573, -0.27492349, 0.73806512], 'A,k': [0.42549875, -0.1265827, 0.74514929], 'C,k': [0.45258621, -0.15292129, 0.7663308],
    } as const;
    for (const s of [report.dimensions[0], report.total]) {
      assert.ok(s);
      assert.equal(s.n, 20);
      assert.equal(s.k, 3);
      for (const [form, [value, lower, upper]] of Object.entries(expected)) {
        const e = s.icc[form as keyof typeof expected];
        close(e.value, value, `${s.id} ICC(${form})`);
        close(e.lower, lower, `${s.id} ICC(${form}) lower`);
        close(e.upper, upper, `${s.id} ICC(${form}) upper`);
      }
      close(s.alpha, 0.17009861, `${s.id} alpha`);
    }
    assertClean(report);
  });

  test('Wikipedia\'s alpha example with missing values, as plain worksheets: alpha 0.81084489; ICC on the complete runs only', async () => {
    const dir = tmp();
    WIKIPEDIA.forEach((coder, j) => coder.forEach((v, unit) => {
      if (v !== null) writePlain(dir, oneSheet(`u${String(unit + 1).padStart(2, '0')}`, `coder-${'abc'[j] ?? ''}`, v));
    }));
    const r = await cli('agreement', dir, '--rubric', ONE_FILE, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as AgreementReport;
    close(report.total.alpha, 0.81084489, 'alpha (interval)');
    // units 2 and 14 have no value at all (no worksheet), unit 1 has one (not pairable): 12 pairable runs
    assert.equal(report.runs.length, 13);
    assert.equal(report.total.pairable, 12);
    // scored by all three coders: units 6 and 7 only (A has 6–13 and 15, B 1 and 3–8, C 3–7, 9–13 and 15)
    assert.equal(report.total.n, 2);
    assert.deepEqual(report.excluded.filter(e => e.runId !== undefined && e.dimension === undefined).map(e => e.runId),
      ['u01', 'u03', 'u04', 'u05', 'u08', 'u09', 'u10', 'u11', 'u12', 'u13', 'u15']);
    assert.ok(report.graders.every(g => !g.signed));
    const text = await cli('agreement', dir, '--rubric', ONE_FILE);
    assert.match(text.out, /coder-a \(UNSIGNED, 9 worksheets\)/);
    assert.match(text.out, /alpha \(interval\) 0\.811/);
  });

  test('a worksheet that fails verification is listed with its reason and left out; exit 1', async () => {
    const dir = tmp();
    const files = ANXIETY.slice(0, 5).flatMap((row, i) => row.map((p, j) => writeSigned(dir, raters[j] as Party, oneSheet(`s${i + 1}`, 'x', p))));
    const victim = files[4] as string;
    const env = JSON.parse(readFileSync(victim, 'utf8')) as { payload: string };
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicate: Worksheet };
    st.predicate.entries = st.predicate.entries.map(e => ({ ...e, points: 0 }));
    st.predicate.total = 0;
    writeFileSync(victim, JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }));
    const r = await cli('agreement', dir, '--allowed-signers', writeSigners(dir, ...raters), '--rubric', ONE_FILE, '--json');
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as AgreementReport;
    const left = report.excluded.find(e => e.file === victim);
    assert.ok(left, 'the tampered worksheet is listed');
    assert.match(left.reason, /failed verification \(signature/);
    assert.equal(report.sources.length, 14);
    assert.ok(!report.sources.some(s => s.file === victim));
    assert.equal(report.total.n, 4, 'its run lacks a grader now: left out of ICC');
    // without an allowed-signers file nothing signed can be used
    const unverified = await cli('agreement', dir, '--rubric', ONE_FILE);
    assert.equal(unverified.code, 2);
    assert.match(unverified.err, /no worksheet could be used: .*no allowed-signers file was given/);
  });

  test('worksheets on two rubrics: exit 2, naming the files of each', async () => {
    const dir = tmp();
    const a = writePlain(dir, oneSheet('r1', 'ann', 3));
    const b = writePlain(dir, { ...miniWorksheet(), grader: { name: 'bob', kind: 'human' }, run: { ...miniWorksheet().run, runId: 'r1' } });
    const r = await cli('agreement', a, b, '--rubric', ONE_FILE, '--rubric', MINI_FILE);
    assert.equal(r.code, 2);
    assert.match(r.err, /not all on the same rubric/);
    assert.ok(r.err.includes(`one 1.0 (sha256 ${ONE_SHA.slice(0, 12)}…): ${a}`), r.err);
    assert.ok(r.err.includes(b), r.err);
  });

  test('one grader: exit 2 with the reason; one run: nulls with reasons; identical scores: no variance, never NaN', async () => {
    const dir = tmp();
    const one = [writePlain(dir, oneSheet('r1', 'ann', 3)), writePlain(dir, oneSheet('r2', 'ann', 4))];
    const r1 = await cli('agreement', ...one, '--rubric', ONE_FILE);
    assert.equal(r1.code, 2);
    assert.match(r1.err, /needs at least two graders, but every usable worksheet is by ann/);

    const single = tmp();
    writePlain(single, oneSheet('r1', 'ann', 3));
    writePlain(single, oneSheet('r1', 'bob', 5));
    const r2 = await cli('agreement', single, '--rubric', ONE_FILE, '--json');
    assert.equal(r2.code, 0, r2.err);
    const rep2 = JSON.parse(r2.out) as AgreementReport;
    assert.equal(rep2.total.icc['A,1'].value, null);
    assert.ok(rep2.total.icc['A,1'].reason);
    assert.ok(rep2.notes.some(n => /only one run/.test(n)));
    assertClean(rep2);
    assert.doesNotMatch(r2.out, /NaN|Infinity/);

    const same = tmp();
    for (const run of ['r1', 'r2', 'r3']) for (const g of ['ann', 'bob']) writePlain(same, oneSheet(run, g, 7));
    const r3 = await cli('agreement', same, '--rubric', ONE_FILE, '--json');
    assert.equal(r3.code, 0, r3.err);
    const rep3 = JSON.parse(r3.out) as AgreementReport;
    assert.equal(rep3.total.alpha, null);
    assert.ok(rep3.total.alphaReason);
    for (const e of Object.values(rep3.total.icc)) assert.equal(e.value, null);
    assertClean(rep3);
    const t3 = await cli('agreement', same, '--rubric', ONE_FILE);
    assert.match(t3.out, /ICC\(A,1\)\s+undefined \(/);
    assert.doesNotMatch(t3.out, /NaN/);
  });

  test('a grader with two worksheets for one run: neither is used, both listed', async () => {
    const dir = tmp();
    writePlain(dir, oneSheet('r1', 'ann', 3));
    const twice = path.join(dir, 'again.predicate.json');
    writeFileSync(twice, JSON.stringify(oneSheet('r1', 'ann', 5)));
    writePlain(dir, oneSheet('r1', 'bob', 4));
    writePlain(dir, oneSheet('r2', 'ann', 4));
    writePlain(dir, oneSheet('r2', 'bob', 4));
    const r = await cli('agreement', dir, '--rubric', ONE_FILE, '--json');
    const report = JSON.parse(r.out) as AgreementReport;
    assert.equal(report.excluded.filter(e => /ann has 2 worksheets for run r1/.test(e.reason)).length, 2);
    assert.equal(report.total.n, 1);
  });

  test('--csv writes the numbers; a file that is not a worksheet, named on its own, is exit 2 naming it', async () => {
    const dir = tmp();
    for (const [i, row] of ANXIETY.slice(0, 6).entries()) row.forEach((p, j) => writePlain(dir, oneSheet(`s${i}`, `g${j}`, p)));
    const csv = path.join(tmp(), 'agreement.csv');
    const r = await cli('agreement', dir, '--rubric', ONE_FILE, '--csv', csv);
    assert.equal(r.code, 0, r.err);
    const [header, first, total] = readFileSync(csv, 'utf8').split('\r\n');
    const cols = header?.split(',') ?? [];
    assert.ok(cols.includes('icc_a_1') && cols.includes('alpha'), header);
    const row = Object.fromEntries(cols.map((c, i) => [c, first?.split(',')[i]]));
    assert.deepEqual([row.dimension, row.n, row.k, row.graders], ['score', '6', '3', 'g0; g1; g2']);
    assert.match(total ?? '', /^one,1\.0,g0; g1; g2,total,/);
    const junk = path.join(dir, 'notes.json');
    writeFileSync(junk, '{"hello": 1}');
    const bad = await cli('agreement', junk, '--rubric', ONE_FILE);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /notes\.json: is neither a signed worksheet/);
    const missing = await cli('agreement', path.join(dir, 'nope'), '--rubric', ONE_FILE);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope: no such file or folder/);
  });
});

describe('seb-review calibrate', () => {
  /*
   * Candidate [10, 12, 14, 9] against reference [9, 12, 11, 10] (by hand):
   *   d = [1, 0, 3, −1]; bias = 3/4 = 0.75; Σ(d − 0.75)² = 0.0625 + 0.5625 + 5.0625 + 3.0625 = 8.75; s² = 8.75/3;
   *   s = 1.7078251; SE = s/2 = 0.8539126; t(0.975, 3) = 3.182446305: bias interval 0.75 ± 2.7175309.
   *   LoA = 0.75 ± 1.96·s = 0.75 ± 3.3473372 → −2.5973372, 4.0973372; each ± t·√(3s²/4) = ± 3.182446305·1.4790199.
   *   MAE = (1 + 0 + 3 + 1)/4 = 1.25 (0.0625 of the ceiling 20); RMSE = √(11/4) = 1.6583124.
   *   CCC: means 11.25 and 10.5; s_xy = 5.5/4 = 1.375; s_x² = 14.75/4; s_y² = 5/4; (Δmean)² = 0.5625:
   *   2·1.375 / (3.6875 + 1.25 + 0.5625) = 0.5.
   */
  const cand = [10, 12, 14, 9];
  const ref = [9, 12, 11, 10];

  function write(): { dir: string; candidate: string; reference: string; signers: string; parties: Party[] } {
    const dir = tmp();
    const candidate = path.join(dir, 'candidate');
    const reference = path.join(dir, 'reference');
    mkdirSync(candidate);
    mkdirSync(reference);
    const model = party('model-x');
    const human = party('human-r');
    cand.forEach((p, i) => writeSigned(candidate, model, oneSheet(`r${i + 1}`, 'm', p, `candidate rationale ${i + 1}`)));
    ref.forEach((p, i) => writeSigned(reference, human, oneSheet(`r${i + 1}`, 'h', p, `reference rationale ${i + 1}`)));
    return { dir, candidate, reference, signers: writeSigners(dir, model, human), parties: [model, human] };
  }

  test('bias with its t interval, MAE, RMSE, limits of agreement with their intervals, CCC: the hand-computed values', async () => {
    const w = write();
    const r = await cli('calibrate', '--candidate', w.candidate, '--reference', w.reference, '--allowed-signers', w.signers, '--rubric', ONE_FILE, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as CalibrationReport;
    assert.equal(report.candidate.name, 'model-x');
    assert.equal(report.reference.combined, 'single');
    const s = report.total;
    assert.equal(s.n, 4);
    close(s.bias.value, 0.75, 'bias');
    close(s.bias.lower, 0.75 - 2.7175309, 'bias lower');
    close(s.bias.upper, 0.75 + 2.7175309, 'bias upper');
    close(s.sd.value, 1.7078251, 'sd');
    close(s.mae.value, 1.25, 'MAE');
    close(s.maeShare.value, 0.0625, 'MAE share');
    close(s.rmse.value, 1.6583124, 'RMSE');
    close(s.loa.lower.value, -2.5973372, 'lower limit');
    close(s.loa.upper.value, 4.0973372, 'upper limit');
    close(s.loa.upper.upper, 4.0973372 + 3.182446305 * 1.4790199, 'upper limit, upper bound');
    close(s.loa.lower.lower, -2.5973372 - 3.182446305 * 1.4790199, 'lower limit, lower bound');
    close(s.ccc.value, 0.5, 'CCC');
    assert.ok(report.warnings.some(x => /n = 4 runs: with fewer than 5 runs the intervals are too wide to conclude/.test(x)));
    // the largest disagreement first, with both rationales and the evidence
    const top = report.disagreements[0];
    assert.ok(top);
    assert.equal(top.runId, 'r3');
    assert.equal(top.difference, 3);
    assert.equal(top.candidate.rationale, 'candidate rationale 3');
    assert.equal(top.references[0]?.rationale, 'reference rationale 3');
    assert.deepEqual(top.candidate.evidence[0], { side: 'run', path: 'src/r3.ts', startLine: 1, endLine: 2 });
    assert.equal(report.disagreements.length, 3, 'r2 agrees: not a disagreement');
    assertClean(report);
    const text = await cli('calibrate', '--candidate', w.candidate, '--reference', w.reference, '--allowed-signers', w.signers, '--rubric', ONE_FILE);
    assert.match(text.out, /n 4 runs/);
    assert.match(text.out, /Warning: n = 4 runs/);
    assert.doesNotMatch(text.out, /good|excellent|poor/i);
  });

  test('several reference graders: the reference is their mean per run, and the report says so', async () => {
    const w = write();
    const second = party('human-s');
    // human-s gives [11, 12, 13, 10]: the mean reference is [10, 12, 12, 10]; d = [0, 0, 2, −1], bias 0.25
    [11, 12, 13, 10].forEach((p, i) => writeSigned(w.reference, second, oneSheet(`r${i + 1}`, 's', p)));
    const signers = writeSigners(w.dir, ...w.parties, second);
    const r = await cli('calibrate', '--candidate', w.candidate, '--reference', w.reference, '--allowed-signers', signers, '--rubric', ONE_FILE, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as CalibrationReport;
    assert.equal(report.reference.combined, 'mean');
    assert.match(report.reference.description, /mean of the reference graders' scores per run \(human-r, human-s\)/);
    assert.deepEqual(report.points.total?.map(p => p.reference), [10, 12, 12, 10]);
    close(report.total.bias.value, 0.25, 'bias against the mean');
    assert.equal(report.disagreements[0]?.references.length, 2);
  });

  test('bad inputs: a candidate of two graders, the candidate among the references, no --candidate', async () => {
    const w = write();
    const r = await cli('calibrate', '--candidate', w.candidate, '--candidate', w.reference, '--reference', w.reference, '--allowed-signers', w.signers, '--rubric', ONE_FILE);
    assert.equal(r.code, 2);
    assert.match(r.err, /the candidate's worksheets are by 2 graders/);
    const none = await cli('calibrate', '--reference', w.reference);
    assert.equal(none.code, 2);
    assert.match(none.err, /needs --candidate/);
  });

  test('the published reference profiles as the reference: compared on totals, matched by profile id', async () => {
    const dir = tmp();
    const seb = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
    const sha = createHash('sha256').update(readFileSync(seb)).digest('hex');
    const dims = ['invariant-plan', 'simplification', 'wiring', 'no-parallel-authority', 'correctness-incidents', 'durability-lifecycle'];
    // totals 90 and 60 against the published 91 and 63
    for (const [runId, points] of [['claude-fable-5', [17, 24, 10, 13, 23, 3]], ['claude-opus-4-8', [15, 18, 6, 8, 10, 3]]] as const) {
      writePlain(dir, {
        ...oneSheet(runId, 'new-grader', 0), rubric: { id: 'seb', version: '1.0', sha256: sha },
        entries: dims.map((d, i) => ({ dimension: d, points: points[i] as number, rationale: 'r', evidence: [] })),
        total: points.reduce((a, b) => a + b, 0),
      });
    }
    const r = await cli('calibrate', '--candidate', dir, '--reference', path.join(ROOT, 'rubric', 'seb-v1.0.references.json'), '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as CalibrationReport;
    assert.equal(report.total.n, 2);
    assert.deepEqual(report.points.total, [{ runId: 'claude-fable-5', candidate: 90, reference: 91 }, { runId: 'claude-opus-4-8', candidate: 60, reference: 63 }]);
    close(report.total.bias.value, -2, 'bias on totals');
    // the packaged profiles' dimension scores are reconstructions, not published: no dimension is compared
    assert.ok(report.dimensions.every(d => d.n === 0));
    assert.ok(report.warnings.some(x => /unsigned, not verified: new-grader, published reference/.test(x)));
  });
});
