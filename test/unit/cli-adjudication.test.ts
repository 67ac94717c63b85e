import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allowedSignersLine, privateKeyPem, signEnvelope, signWorksheet, type Envelope } from '../../src/core/attestation';
import { type Worksheet } from '../../src/core/worksheet';
import { type AggregateReport } from '../../src/core/adjudication/aggregate';
import { cli } from './cli-run';
import { party, ROOT, type Party } from './attestation-fixtures';

/**
 * The benchmark's disputed case end to end: two graders give 29 and 38, the official score is their mean, 33.5, and
 * both are kept beside it. `aggregate`, `adjudicate` and `verify` through the command line, on signed worksheets.
 */

const SEB = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
const SEB_SHA = createHash('sha256').update(readFileSync(SEB)).digest('hex');
const DIMS = ['invariant-plan', 'simplification', 'wiring', 'no-parallel-authority', 'correctness-incidents', 'durability-lifecycle'];
// 5+6+1+5+10+2 = 29 and 7+8+4+6+11+2 = 38; means 6, 7, 2.5, 5.5, 10.5, 2 = 33.5; wiring differs by 3 (> 10/4)
const LOW = [5, 6, 1, 5, 10, 2];
const HIGH = [7, 8, 4, 6, 11, 2];

function sheet(runId: string, points: readonly number[], tree = 'b'.repeat(40)): Worksheet {
  return {
    format: 'seb-review/worksheet@1',
    rubric: { id: 'seb', version: '1.0', sha256: SEB_SHA },
    run: { runId, baseline: { tree: 'a'.repeat(40) }, head: { tree } },
    grader: { name: 'g', kind: 'model' },
    entries: DIMS.map((d, i) => ({ dimension: d, points: points[i] as number, rationale: `why ${d}`, evidence: [] })),
    gaps: '',
    total: points.reduce((a, b) => a + b, 0),
    createdAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
}

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'seb-adjudication-'));
  const opus = party('opus-grader');
  const codex = party('codex-grader');
  const judge = party('adjudicator');
  const write = (who: Party, ws: Worksheet, name = `${ws.run.runId}.${who.identity}.worksheet.json`) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(signWorksheet({ ...ws, grader: { ...ws.grader, name: who.identity, keyId: who.key.keyId } }, 'seb-v1.0.rubric.json', who.key)));
    return file;
  };
  const signers = path.join(dir, 'allowed_signers');
  writeFileSync(signers, [opus, codex, judge].map(p => allowedSignersLine(p.identity, p.key.publicKey)).join('\n') + '\n');
  const keyFile = path.join(dir, 'judge.key');
  writeFileSync(keyFile, privateKeyPem(judge.key), { mode: 0o600 });
  const a = write(opus, sheet('claude-opus-4-7', LOW));
  const b = write(codex, sheet('claude-opus-4-7', HIGH));
  return { dir, opus, codex, judge, write, signers, keyFile, a, b };
}

function statementOf(file: string): { env: Envelope; st: Record<string, unknown> & { predicate: Record<string, unknown> & { dimensions: Array<Record<string, number | string>>; total: number } } } {
  const env = JSON.parse(readFileSync(file, 'utf8')) as Envelope;
  return { env, st: JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) };
}

describe('seb-review aggregate, adjudicate and verify: a disputed score', () => {
  test('29 and 38 aggregate to 33.5 with both totals kept; the wiring gap above a quarter of its ceiling is flagged', async () => {
    const s = setup();
    const r = await cli('aggregate', s.dir, '--allowed-signers', s.signers, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as AggregateReport;
    assert.equal(report.runs.length, 1);
    const run = report.runs[0];
    assert.ok(run);
    assert.equal(run.total.aggregate, 33.5);
    assert.deepEqual(run.sources.map(x => [x.grader, x.total]).sort(), [['codex-grader', 38], ['opus-grader', 29]]);
    assert.deepEqual(run.dimensions.map(d => d.aggregate), [6, 7, 2.5, 5.5, 10.5, 2]);
    assert.deepEqual(run.dimensions.filter(d => d.disagreement).map(d => [d.id, d.spread]), [['wiring', 3]]);
    const text = await cli('aggregate', s.a, s.b, '--allowed-signers', s.signers);
    assert.match(text.out, /mean total 33\.5 of 100; graders' totals (opus-grader 29, codex-grader 38|codex-grader 38, opus-grader 29)/);
    assert.match(text.out, /End-to-end wiring \(\/10\): mean 2\.5; .*spread 3 {2}← graders differ by 3 \(more than 2\.5, 25% of 10\)/);
    const median = await cli('aggregate', s.dir, '--allowed-signers', s.signers, '--method', 'median', '--gap', '0.5', '--json');
    const m = JSON.parse(median.out) as AggregateReport;
    assert.equal(m.runs[0]?.total.aggregate, 33.5, 'the median of two is their mean');
    assert.equal(m.runs[0]?.dimensions.filter(d => d.disagreement).length, 0, 'no gap above half a ceiling');
  });

  test('an adjudication by mean verifies, with the sources given; altering its mean or a source by one byte fails, with the reason', async () => {
    const s = setup();
    const out = path.join(s.dir, 'adjudication.json');
    const made = await cli('adjudicate', s.a, s.b, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', out);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /total 33\.5 of 100/);
    const { st } = statementOf(out);
    assert.equal(st.predicateType, 'https://seb-review.dev/adjudication/v1');
    assert.equal((st.subject as unknown[]).length, 5, 'two trees, the rubric and both source worksheets');
    assert.equal(st.predicate.total, 33.5);
    assert.equal(st.predicate.method, 'mean');

    const ok = await cli('verify', out, s.a, s.b, '--allowed-signers', s.signers);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /✔ aggregate: each dimension's mean is that of the 2 sources' points, and the final points are the mean/);
    assert.match(ok.out, /✔ source-digest .*is the worksheet named/);
    assert.match(ok.out, /run claude-opus-4-7: mean, total 33\.5; graders (opus-grader 29, codex-grader 38|codex-grader 38, opus-grader 29)/);

    // the adjudicator re-signs a record whose "mean" on the plan is 7 (and total 34.5): it fails the aggregate check
    const { st: forged } = statementOf(out);
    const dims = forged.predicate.dimensions;
    dims[0] = { ...dims[0], aggregate: 7, final: 7 };
    forged.predicate.total = 34.5;
    const altered = path.join(s.dir, 'altered.json');
    writeFileSync(altered, JSON.stringify(signEnvelope(Buffer.from(JSON.stringify(forged)), s.judge.key)));
    const bad = await cli('verify', altered, '--allowed-signers', s.signers);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /✘ aggregate predicate\.dimensions\[0\]\.aggregate: is 7, but the mean of the sources' points \(5, 7\) on invariant-plan is 6/);
    assert.match(bad.out, /FAILED/);

    // a source worksheet changed by one byte no longer has the digest the record names
    appendFileSync(s.b, '\n');
    const changed = await cli('verify', out, s.b, '--allowed-signers', s.signers);
    assert.equal(changed.code, 1);
    assert.match(changed.out, /✘ source-digest predicate\.sources\[\d\]\.sha256: is [0-9a-f]{64}, but .* has sha256 [0-9a-f]{64}: the source worksheet was changed/);
  });

  test('an adjudicated record: decisions need a rationale where they depart from the mean; it verifies with them', async () => {
    const s = setup();
    const decisions = path.join(s.dir, 'decisions.json');
    writeFileSync(decisions, JSON.stringify({ dimensions: { wiring: { points: 3, rationale: '' } } }));
    const out = path.join(s.dir, 'adj.json');
    const refused = await cli('adjudicate', s.a, s.b, '--key', s.keyFile, '--allowed-signers', s.signers, '--method', 'adjudicated', '--decisions', decisions, '--out', out);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /the decision on wiring departs from the mean 2\.5 without a rationale/);
    assert.equal(existsSync(out), false);
    writeFileSync(decisions, JSON.stringify({ dimensions: { wiring: { points: 3, rationale: 'The agent route bypass is real; the mark route is fine.' } } }));
    const made = await cli('adjudicate', s.a, s.b, '--key', s.keyFile, '--allowed-signers', s.signers, '--method', 'adjudicated', '--decisions', decisions, '--out', out);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /total 34 of 100/);
    assert.match(made.out, /wiring: 3 \(the mean is 2\.5\): The agent route bypass is real/);
    const ok = await cli('verify', out, '--allowed-signers', s.signers, '--json');
    assert.equal(ok.code, 0, ok.out);
    const [v] = JSON.parse(ok.out) as Array<{ kind: string; method: string; total: number; adjudicator: { identity: string } }>;
    assert.deepEqual([v?.kind, v?.method, v?.total, v?.adjudicator.identity], ['adjudication', 'adjudicated', 34, 'adjudicator']);
  });

  test('co-signing and thresholds work as for worksheets', async () => {
    const s = setup();
    const out = path.join(s.dir, 'adj.json');
    assert.equal((await cli('adjudicate', s.a, s.b, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', out)).code, 0);
    const one = await cli('verify', out, '--allowed-signers', s.signers, '--threshold', '2');
    assert.equal(one.code, 1);
    assert.match(one.out, /✘ threshold: 1 of 2 required signers \(adjudicator\)/);
    const second = path.join(s.dir, 'second.key');
    writeFileSync(second, privateKeyPem(s.opus.key), { mode: 0o600 });
    const co = await cli('sign', '--cosign', out, '--key', second, '--allowed-signers', s.signers);
    assert.equal(co.code, 0, co.err);
    assert.match(co.out, /co-signed .*: 2 signatures/);
    const two = await cli('verify', out, '--allowed-signers', s.signers, '--threshold', '2');
    assert.equal(two.code, 0, two.out);
    assert.match(two.out, /VERIFIED by adjudicator, opus-grader \(threshold 2\)/);
    const again = await cli('sign', '--cosign', out, '--key', second, '--allowed-signers', s.signers);
    assert.equal(again.code, 2);
    assert.match(again.err, /already signed by/);
  });

  test('bad inputs: an unverifiable worksheet, one worksheet, two runs, different trees for one run id', async () => {
    const s = setup();
    // signed by someone who is not an allowed signer
    const stranger = party('stranger');
    const odd = s.write(stranger, sheet('claude-opus-4-7', HIGH));
    const agg = await cli('aggregate', s.a, s.b, odd, '--allowed-signers', s.signers, '--json');
    assert.equal(agg.code, 1, 'a worksheet failed verification');
    const report = JSON.parse(agg.out) as AggregateReport;
    assert.match(report.excluded.find(e => e.file === odd)?.reason ?? '', /failed verification \(signature .*unknown signer/);
    assert.equal(report.runs[0]?.sources.length, 2, 'the other two are aggregated');
    const adj = await cli('adjudicate', s.a, s.b, odd, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', path.join(s.dir, 'x.json'));
    assert.equal(adj.code, 1);
    assert.match(adj.err, /settles verified worksheets only; nothing was written/);

    // a malformed plain worksheet beside the two: it would drop out of the record, so nothing is written
    const broken = path.join(s.dir, 'broken.predicate.json');
    writeFileSync(broken, JSON.stringify({ ...sheet('claude-opus-4-7', HIGH), total: 1 }));
    const withBroken = await cli('adjudicate', s.a, s.b, broken, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', path.join(s.dir, 'w.json'));
    assert.equal(withBroken.code, 1);
    assert.match(withBroken.err, /broken\.predicate\.json: a plain worksheet that does not check .*total/);
    assert.equal(existsSync(path.join(s.dir, 'w.json')), false);

    const one = await cli('adjudicate', s.a, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', path.join(s.dir, 'y.json'));
    assert.equal(one.code, 2);
    assert.match(one.err, /has one worksheet .*nothing to aggregate/);
    const aggOne = await cli('aggregate', s.a, '--allowed-signers', s.signers);
    assert.match(aggOne.out, /Finding: run claude-opus-4-7 has one worksheet/);

    const other = s.write(s.opus, sheet('gpt-5-5', LOW));
    const two = await cli('adjudicate', s.a, s.b, other, '--key', s.keyFile, '--allowed-signers', s.signers, '--out', path.join(s.dir, 'z.json'));
    assert.equal(two.code, 2);
    assert.match(two.err, /the worksheets are for 2 runs \(claude-opus-4-7, gpt-5-5\): adjudicate one run at a time/);

    const moved = s.write(s.judge, sheet('claude-opus-4-7', HIGH, 'c'.repeat(40)));
    const trees = await cli('aggregate', s.a, s.b, moved, '--allowed-signers', s.signers);
    assert.equal(trees.code, 1);
    assert.match(trees.out, /Finding: the worksheets for run claude-opus-4-7 were scored on different trees .*: not aggregated/);

    const noSigners = await cli('aggregate', s.a, s.b);
    assert.equal(noSigners.code, 2);
    assert.match(noSigners.err, /needs --allowed-signers/);
  });
});
