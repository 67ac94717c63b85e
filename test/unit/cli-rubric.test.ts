import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { scratch, write } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..');
const SEB_RUBRIC = path.join(root, 'rubric', 'seb-v1.0.rubric.json');
const SEB_REFS = path.join(root, 'rubric', 'seb-v1.0.references.json');
const MINI = path.join(root, 'test', 'fixtures', 'rubrics', 'mini-v1.rubric.json');
const BAD_TOTAL = path.join(root, 'test', 'fixtures', 'rubrics', 'bad-total.rubric.json');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

interface JsonResult { file: string; ok: boolean; kind: string; problems: Array<{ field: string; message: string }>; checkedAgainst?: string | null }

/** References for the mini rubric: one profile of 19.5 (5 + 4.5 + 10). */
const miniRefs = (over: Record<string, unknown> = {}): string => JSON.stringify({
  rubric: { id: 'mini', version: '1.0' },
  source: 'test',
  notes: [],
  profiles: [{ id: 'p1', label: 'P1', kind: 'human', total: 19.5, dimensionScores: 'published', dimensions: { plan: 5, wiring: 4.5, proof: 10 }, notes: [], ...over }],
});

describe('seb-review rubric check', () => {
  const s = scratch('seb-cli-rubric-');
  after(() => s.done());

  test('exit 0 and one "ok" line per file for the packaged rubric and references', async () => {
    const r = await cli('rubric', 'check', SEB_RUBRIC, SEB_REFS, MINI);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const lines = r.out.trimEnd().split('\n');
    assert.deepEqual(lines, [
      `ok ${SEB_RUBRIC} (rubric seb 1.0: 6 dimensions, total 100)`,
      `ok ${SEB_REFS} (references for rubric seb 1.0: 6 profiles, checked against ${SEB_RUBRIC})`,
      `ok ${MINI} (rubric mini 1.0: 3 dimensions, total 20)`,
    ]);
  });

  test('exit 1 for a rubric whose ceilings do not add up; the line names the file, the field and both numbers', async () => {
    const r = await cli('rubric', 'check', MINI, BAD_TOTAL);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^ok ${escape(MINI)} `, 'm'));
    assert.match(r.out, new RegExp(`^${escape(BAD_TOTAL)}: field "total" is 20, but the dimensions' ceilings add up to 19 \\(5 \\+ 5 \\+ 9\\)$`, 'm'));
  });

  test('--json: one record per file with its kind and problems', async () => {
    const r = await cli('rubric', 'check', '--json', SEB_RUBRIC, BAD_TOTAL);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.out) as JsonResult[];
    assert.deepEqual(results.map(x => [x.file, x.ok, x.kind]), [[SEB_RUBRIC, true, 'rubric'], [BAD_TOTAL, false, 'rubric']]);
    assert.deepEqual(results[0]?.problems, []);
    assert.equal(results[1]?.problems[0]?.field, 'total');
    assert.match(results[1]?.problems[0]?.message ?? '', /add up to 19/);
    const refs = JSON.parse((await cli('rubric', 'check', SEB_REFS, '--json')).out) as JsonResult[];
    assert.equal(refs[0]?.checkedAgainst, SEB_RUBRIC);
  });

  test('references are checked against the rubric found next to them', async () => {
    const dir = path.join(s.dir, 'next-to');
    write(dir, 'mini-v1.rubric.json', readFileSync(MINI, 'utf8'));
    write(dir, 'good.references.json', miniRefs());
    write(dir, 'bad.references.json', miniRefs({ total: 20.5, dimensions: { plan: 5, wiring: 5.5, proof: 10 } }));
    const good = await cli('rubric', 'check', path.join(dir, 'good.references.json'));
    assert.equal(good.code, 0, good.out + good.err);
    assert.match(good.out, /references for rubric mini 1\.0: 1 profile, checked against .*next-to\/mini-v1\.rubric\.json\)$/m);
    const bad = await cli('rubric', 'check', path.join(dir, 'bad.references.json'), '--json');
    assert.equal(bad.code, 1);
    const [result] = JSON.parse(bad.out) as JsonResult[];
    assert.equal(result?.kind, 'references');
    assert.deepEqual(result?.problems.map(p => p.field), ['profiles[0].total', 'profiles[0].dimensions.wiring']);
    assert.match(result?.problems[1]?.message ?? '', /is 5\.5, above the ceiling of 5/);
  });

  test('references whose scores do not add up fail on their own; the packaged rubric is found for a copy elsewhere', async () => {
    const dir = path.join(s.dir, 'elsewhere');
    const refs = JSON.parse(readFileSync(SEB_REFS, 'utf8')) as { profiles: Array<{ total: number }> };
    write(dir, 'copy.references.json', JSON.stringify(refs));
    const copy = await cli('rubric', 'check', path.join(dir, 'copy.references.json'));
    assert.equal(copy.code, 0, copy.out);
    assert.match(copy.out, new RegExp(`checked against ${escape(SEB_RUBRIC)}\\)$`, 'm'));
    const first = refs.profiles[0];
    assert.ok(first);
    first.total = 95;
    write(dir, 'sum.references.json', JSON.stringify(refs));
    const sum = await cli('rubric', 'check', path.join(dir, 'sum.references.json'));
    assert.equal(sum.code, 1);
    assert.match(sum.out, /sum\.references\.json: field "profiles\[0\]\.total" is 95, but the dimension scores add up to 91/);
  });

  test('references naming a rubric that is nowhere: ok, and it says what was not checked', async () => {
    const dir = path.join(s.dir, 'orphan');
    write(dir, 'x.references.json', miniRefs().replace('"version":"1.0"', '"version":"9.9"'));
    const r = await cli('rubric', 'check', path.join(dir, 'x.references.json'));
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /rubric mini 9\.9 not found next to it or among the packaged rubrics, so ceilings and dimension ids were not checked/);
  });

  test('kind by content when the name says nothing; a file that is neither, or not JSON, fails with exit 1', async () => {
    const dir = path.join(s.dir, 'content');
    write(dir, 'plain.json', readFileSync(MINI, 'utf8'));
    write(dir, 'refs.json', miniRefs());
    write(dir, 'other.json', '{"hello": 1}');
    write(dir, 'broken.rubric.json', '{"id": ');
    const r = await cli('rubric', 'check', '--json', ...['plain.json', 'refs.json', 'other.json', 'broken.rubric.json'].map(f => path.join(dir, f)));
    assert.equal(r.code, 1);
    const results = JSON.parse(r.out) as JsonResult[];
    assert.deepEqual(results.map(x => [x.kind, x.ok]), [['rubric', true], ['references', true], ['unknown', false], ['rubric', false]]);
    assert.match(results[2]?.problems[0]?.message ?? '', /neither a rubric .* nor references/);
    assert.match(results[3]?.problems[0]?.message ?? '', /is not valid JSON/);
  });

  test('exit 2 for an unreadable file, naming it; the other files are still checked', async () => {
    const missing = path.join(s.dir, 'nope.rubric.json');
    const r = await cli('rubric', 'check', MINI, missing);
    assert.equal(r.code, 2);
    assert.match(r.out, /^ok .*mini-v1\.rubric\.json/m);
    assert.match(r.err, new RegExp(`${escape(missing)}: no such file`));
    const folder = await cli('rubric', 'check', s.dir, '--json');
    assert.equal(folder.code, 2);
    assert.match(folder.err, /is a folder, not a file/);
    assert.equal((JSON.parse(folder.out) as JsonResult[])[0]?.kind, 'unreadable');
  });

  test('exit 2 and the usage for bad usage; the usage lists rubric check', async () => {
    for (const argv of [['rubric'], ['rubric', 'check'], ['rubric', 'frob', MINI], ['rubric', 'check', '--nope', MINI]]) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /Usage:/);
      assert.equal(r.out, '');
    }
    assert.match((await cli('rubric')).err, /rubric needs a subcommand: check/);
    assert.match((await cli('rubric', 'frob')).err, /unknown rubric subcommand: frob/);
    assert.match((await cli('--help')).out, /seb-review rubric check FILE\.\.\. \[--json\]/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
