import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkRubric, parseRubric, type Rubric } from '../../src/core/rubric';
import { checkPoints, evaluate, type Entry, type PointsProblem } from '../../src/core/scoring';
import { checkReferences, checkReferencesAgainstRubric, type References } from '../../src/core/references';
import { checkDraft, checkWorksheet, type Draft, type Worksheet } from '../../src/core/worksheet';
import { jsonSchemas, SCHEMA_NAMES, type SchemaName } from '../../src/core/json-schemas';
import type { FieldProblem, ParseResult } from '../../src/core/manifest';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (...p: string[]): string => readFileSync(path.join(root, ...p), 'utf8');
const SEB_RUBRIC = ['rubric', 'seb-v1.0.rubric.json'];
const SEB_REFS = ['rubric', 'seb-v1.0.references.json'];
const MINI = ['test', 'fixtures', 'rubrics', 'mini-v1.rubric.json'];

function ok<T>(r: ParseResult<T>): T {
  if (!r.ok) assert.fail(r.problems.map(p => `${p.field} ${p.message}`).join('; '));
  return r.value;
}
function problems<T>(r: ParseResult<T>): FieldProblem[] {
  if (r.ok) assert.fail('expected the check to fail');
  return r.problems;
}
function problemOn(list: readonly FieldProblem[], field: string): FieldProblem {
  const p = list.find(x => x.field === field);
  assert.ok(p, `no problem on ${field}; got ${list.map(x => `${x.field}: ${x.message}`).join(' | ')}`);
  return p;
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const sebRubric = (): Rubric => ok(checkRubric(read(...SEB_RUBRIC)));
const sebRefs = (): References => ok(checkReferences(read(...SEB_REFS)));
/** Entries as a reviewer types them: points as text. */
const typed = (scores: Record<string, number>, rationale = 'because'): Record<string, Entry> =>
  Object.fromEntries(Object.entries(scores).map(([id, n]) => [id, { points: String(n), rationale }]));

describe('the packaged rubric (SEB 1.0)', () => {
  test('parses: six dimensions with the published ceilings, total 100, step 0.5', () => {
    const r = sebRubric();
    assert.equal(r.id, 'seb');
    assert.equal(r.version, '1.0');
    assert.equal(r.total, 100);
    assert.equal(r.step, 0.5);
    assert.deepEqual(r.dimensions.map(d => [d.id, d.ceiling]), [
      ['invariant-plan', 20], ['simplification', 25], ['wiring', 10],
      ['no-parallel-authority', 17], ['correctness-incidents', 25], ['durability-lifecycle', 3],
    ]);
    assert.deepEqual(r.dimensions.map(d => d.title), [
      'Invariant clarity and plan quality', 'Simplification outcome', 'End-to-end wiring',
      'No stubs or parallel authority', 'Correctness proof and incident preservation', 'Runtime durability and lifecycle',
    ]);
    for (const d of r.dimensions) {
      assert.ok(d.guidance.rewards.length > 0, `${d.id} rewards`);
      assert.ok(d.guidance.penalises.length > 0, `${d.id} penalises`);
    }
  });

  test('guidance carries what the benchmark says about tests and calibration', () => {
    const all = JSON.stringify(sebRubric().dimensions.map(d => d.guidance));
    assert.match(all, /supporting evidence only/);
    assert.match(all, /skip the production path/);
    assert.match(all, /old architecture reachable/);
    assert.match(all, /concurrency, restart and failure/);
    assert.match(all, /high 80s/);
    assert.match(all, /mid-90s senior baseline/);
  });
});

describe('the packaged references', () => {
  test('parse, name the rubric, and pass the checks against it', () => {
    const refs = sebRefs();
    assert.deepEqual(refs.rubric, { id: 'seb', version: '1.0' });
    assert.deepEqual(refs.profiles.map(p => [p.id, p.total]), [
      ['claude-fable-5', 91], ['claude-opus-4-8', 63], ['gpt-5-5', 62.5], ['claude-opus-4-7', 33.5],
      ['human-reference-a', 96], ['human-reference-b', 89],
    ]);
    assert.deepEqual(checkReferencesAgainstRubric(refs, sebRubric()), []);
  });

  test('the four model rows evaluate, from typed text, to exactly their official totals and are complete', () => {
    const rubric = sebRubric();
    const rows: Array<[string, string[], number]> = [
      ['claude-fable-5', ['17', '24', '10', '13', '24', '3'], 91],
      ['claude-opus-4-8', ['15', '15', '9', '8', '14', '2'], 63],
      ['gpt-5-5', ['16.5', '20', '9', '8', '7', '2'], 62.5],
      ['claude-opus-4-7', ['12.5', '2', '5', '2', '10', '2'], 33.5],
    ];
    const refs = sebRefs();
    for (const [id, points, total] of rows) {
      const entries = Object.fromEntries(rubric.dimensions.map((d, i) => [d.id, { points: points[i] ?? '', rationale: 'as published' }]));
      const e = evaluate(rubric, entries);
      assert.equal(e.total, total, id);
      assert.equal(e.max, 100);
      assert.ok(e.complete, id);
      assert.deepEqual(e.unscored, []);
      const profile = refs.profiles.find(p => p.id === id);
      assert.deepEqual(profile?.dimensions, Object.fromEntries(rubric.dimensions.map((d, i) => [d.id, Number(points[i])])), id);
      assert.equal(profile?.total, total);
    }
  });

  test("Opus 4.7: the mean of its two graders' totals (29 and 38) is its total, and both are kept", () => {
    const opus = sebRefs().profiles.find(p => p.id === 'claude-opus-4-7');
    assert.equal(opus?.aggregation?.method, 'mean');
    const totals = opus?.aggregation?.graders.map(g => g.total) ?? [];
    assert.deepEqual(totals, [29, 38]);
    assert.equal(totals.reduce((a, b) => a + b, 0) / totals.length, 33.5);
    assert.equal(opus?.total, 33.5);
  });

  test('the human references carry totals only, and say why', () => {
    const refs = sebRefs();
    const a = refs.profiles.find(p => p.id === 'human-reference-a');
    const b = refs.profiles.find(p => p.id === 'human-reference-b');
    assert.equal(a?.total, 96);
    assert.equal(a?.dimensionScores, 'measured-unpublished');
    assert.equal(a?.dimensions, undefined);
    assert.equal(b?.total, 89);
    assert.equal(b?.dimensionScores, 'unpublished');
    const gpt = refs.profiles.find(p => p.id === 'gpt-5-5');
    assert.equal(gpt?.model?.planBy, 'Claude Opus 4.7');
    for (const p of refs.profiles.filter(x => x.kind === 'model')) {
      assert.ok(p.notes.some(n => n.includes('constrained to sum to each official total')), p.id);
    }
  });
});

describe('references: what the schema rejects', () => {
  const base = (): References => clone(sebRefs());

  test('dimension scores that do not add up to the total: the message names both numbers', () => {
    const r = base();
    const fable = r.profiles[0];
    assert.ok(fable?.dimensions);
    fable.dimensions['correctness-incidents'] = 23;
    const p = problemOn(problems(checkReferences(JSON.stringify(r))), 'profiles[0].total');
    assert.match(p.message, /is 91, but the dimension scores add up to 90 \(17 \+ 24 \+ 10 \+ 13 \+ 23 \+ 3\)/);
  });

  test("graders' totals whose mean is not the total", () => {
    const r = base();
    const opus = r.profiles[3];
    assert.ok(opus?.aggregation?.graders[1]);
    opus.aggregation.graders[1].total = 40;
    const p = problemOn(problems(checkReferences(JSON.stringify(r))), 'profiles[3].total');
    assert.match(p.message, /is 33\.5, but the mean of the graders' totals \(29, 40\) is 34\.5/);
  });

  test('a rubric reference that is not {id, version}', () => {
    for (const rubric of ['seb-v1.0', { id: 'seb' }, { id: 'seb', version: '1.0', sha: 'x' }]) {
      const r = { ...base(), rubric } as unknown;
      const list = problems(checkReferences(JSON.stringify(r)));
      assert.ok(list.some(p => p.field.startsWith('rubric')), JSON.stringify(list));
    }
    const p = problemOn(problems(checkReferences(JSON.stringify({ ...base(), rubric: 'seb' }))), 'rubric');
    assert.match(p.message, /\{"id": "<rubric id>", "version": "<rubric version>"\}/);
  });

  test('scores given for a profile that says they are unpublished, two profiles with one id, an unknown field', () => {
    const r = base();
    const human = r.profiles[4];
    assert.ok(human);
    human.dimensions = { wiring: 10 };
    const second = r.profiles[1];
    assert.ok(second);
    second.id = 'claude-fable-5';
    const list = problems(checkReferences(JSON.stringify({ ...r, extra: 1 })));
    problemOn(list, 'profiles[4].dimensions');
    assert.match(problemOn(list, 'profiles[1].id').message, /used by two profiles/);
    assert.equal(problemOn(list, 'extra').message, 'is not a known field');
  });

  test('against the rubric: unknown and missing dimension ids, a score above its ceiling or off the step, another rubric', () => {
    const rubric = sebRubric();
    const r = base();
    const p0 = r.profiles[0];
    const p1 = r.profiles[1];
    assert.ok(p0?.dimensions && p1?.dimensions);
    p0.dimensions = { ...p0.dimensions, 'durability-lifecycle': 0, durability: 3 };
    p1.dimensions = { ...p1.dimensions, wiring: 11, 'correctness-incidents': 11.75, 'durability-lifecycle': 0.25 };
    const list = checkReferencesAgainstRubric(r, rubric);
    assert.match(problemOn(list, 'profiles[0].dimensions.durability').message, /is not a dimension of rubric seb 1\.0/);
    assert.match(problemOn(list, 'profiles[1].dimensions.wiring').message, /is 11, above the ceiling of 10/);
    assert.match(problemOn(list, 'profiles[1].dimensions.correctness-incidents').message, /11\.75, not a multiple of the rubric's step 0\.5/);
    const other = checkReferencesAgainstRubric({ ...base(), rubric: { id: 'seb', version: '2.0' } }, rubric);
    assert.match(problemOn(other, 'rubric').message, /names rubric seb 2\.0, but was checked against rubric seb 1\.0/);
    const missing = base();
    const p2 = missing.profiles[2];
    assert.ok(p2?.dimensions);
    delete p2.dimensions['wiring'];
    assert.match(problemOn(checkReferencesAgainstRubric(missing, rubric), 'profiles[2].dimensions').message, /lacks "wiring"/);
  });
});

describe('checkPoints: every invalid kind, with its reason', () => {
  const dim = { ceiling: 20 };
  const cases: Array<[string, PointsProblem, RegExp]> = [
    ['', 'empty', /no points yet/],
    ['   ', 'empty', /no points yet/],
    ['abc', 'not-a-number', /"abc" is not a number/],
    ['1e2x', 'not-a-number', /"1e2x" is not a number/],
    ['1e2', 'not-a-number', /is not a number/],
    ['-1', 'negative', /-1 is below zero/],
    ['20.5', 'above-ceiling', /20\.5 is above the ceiling of 20/],
    ['12.25', 'off-step', /12\.25 is not a multiple of 0\.5/],
  ];
  for (const [text, kind, reason] of cases) {
    test(`${JSON.stringify(text)} is ${kind}`, () => {
      const r = checkPoints(text, dim, 0.5);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.kind, kind);
        assert.match(r.reason, reason);
      }
    });
  }

  test('valid entries: 0, the ceiling, halves, surrounding spaces', () => {
    for (const [text, value] of [['0', 0], ['20', 20], ['16.5', 16.5], [' 7 ', 7], ['.5', 0.5]] as const) {
      assert.deepEqual(checkPoints(text, dim, 0.5), { ok: true, value });
    }
  });

  test('invalid entries count for nothing in the total, and the typed text is kept as typed', () => {
    const rubric = sebRubric();
    const entries: Record<string, Entry> = {
      'invariant-plan': { points: '16.5', rationale: 'r' },
      simplification: { points: '12.25', rationale: 'r' },
      wiring: { points: 'abc', rationale: 'r' },
      'no-parallel-authority': { points: '18', rationale: 'r' },
      'correctness-incidents': { points: '-1', rationale: 'r' },
      'durability-lifecycle': { points: '3', rationale: '' },
    };
    const before = clone(entries);
    const e = evaluate(rubric, entries);
    assert.equal(e.total, 19.5);
    assert.deepEqual(e.unscored, ['simplification', 'wiring', 'no-parallel-authority', 'correctness-incidents']);
    assert.deepEqual(e.withoutRationale, ['durability-lifecycle']);
    assert.equal(e.complete, false);
    assert.deepEqual(entries, before, 'evaluate leaves the typed text alone');
    const kinds = e.dimensions.map(d => (d.check.ok ? 'ok' : d.check.kind));
    assert.deepEqual(kinds, ['ok', 'off-step', 'not-a-number', 'above-ceiling', 'negative', 'ok']);
  });
});

describe('rubric schema: what it rejects', () => {
  const mini = (): Rubric => ok(checkRubric(read(...MINI)));

  test('ceilings that do not add up to the total: the message names both numbers (the broken fixture)', () => {
    const text = read('test', 'fixtures', 'rubrics', 'bad-total.rubric.json');
    const p = problemOn(problems(checkRubric(text)), 'total');
    assert.match(p.message, /is 20, but the dimensions' ceilings add up to 19 \(5 \+ 5 \+ 9\)/);
    assert.throws(() => parseRubric(text, 'bad-total.rubric.json'), /bad-total\.rubric\.json: field "total" is 20, but .* 19/);
  });

  test('duplicate dimension ids', () => {
    const r = mini();
    const second = r.dimensions[1];
    assert.ok(second);
    second.id = 'plan';
    assert.match(problemOn(problems(checkRubric(JSON.stringify(r))), 'dimensions[1].id').message, /"plan" is used by two dimensions/);
  });

  test('a ceiling off the step', () => {
    const r = mini();
    const [a, b] = r.dimensions;
    assert.ok(a && b);
    a.ceiling = 5.25;
    b.ceiling = 4.75;
    const list = problems(checkRubric(JSON.stringify(r)));
    assert.match(problemOn(list, 'dimensions[0].ceiling').message, /5\.25 is not a multiple of the step 0\.5/);
    assert.equal(list.some(p => p.field === 'total'), false, 'the ceilings still add up to 20');
  });

  test('the mini rubric works with evaluate', () => {
    const r = mini();
    assert.deepEqual(r.dimensions.map(d => [d.id, d.ceiling]), [['plan', 5], ['wiring', 5], ['proof', 10]]);
    const full = evaluate(r, typed({ plan: 5, wiring: 4.5, proof: 10 }));
    assert.equal(full.total, 19.5);
    assert.equal(full.max, 20);
    assert.ok(full.complete);
    const partial = evaluate(r, { plan: { points: '2.5', rationale: 'x' }, proof: { points: '11', rationale: 'x' } });
    assert.equal(partial.total, 2.5);
    assert.deepEqual(partial.unscored, ['wiring', 'proof']);
  });
});

describe('drafts and worksheets name the bad field', () => {
  const sha = 'a'.repeat(40);
  const draft = (): Draft => ({
    format: 'seb-review/draft@1', revision: 1, writer: 'w1',
    rubric: { id: 'mini', version: '1.0', sha256: 'b'.repeat(64) },
    run: { runId: 'run-1', root: '/runs/run-1', baseline: { commit: sha, tree: sha }, head: { tree: sha } },
    grader: { name: 'Ada', kind: 'human' },
    entries: { plan: { points: '4.5', rationale: 'clear', evidence: [{ side: 'run', path: 'src/a.ts', startLine: 3, endLine: 9 }] } },
    gaps: '', createdAt: '2026-06-01T00:00:00Z', updatedAt: '2026-06-01T00:00:00Z',
  });
  const worksheet = (): Worksheet => ({
    format: 'seb-review/worksheet@1',
    rubric: { id: 'mini', version: '1.0', sha256: 'b'.repeat(64) },
    run: { runId: 'run-1', baseline: { tree: sha }, head: { tree: sha } },
    grader: { name: 'Ada', kind: 'human' },
    entries: [{ dimension: 'plan', points: 4.5, rationale: 'clear', evidence: [{ side: 'baseline', path: 'a.ts', startLine: 1, endLine: 1 }] }],
    gaps: '', total: 4.5, createdAt: '2026-06-01T00:00:00Z', updatedAt: '2026-06-01T00:00:00Z',
  });

  test('well-formed files pass', () => {
    ok(checkDraft(JSON.stringify(draft())));
    ok(checkWorksheet(JSON.stringify(worksheet())));
  });

  test('evidence with endLine before startLine', () => {
    const d = draft();
    const ev = d.entries['plan']?.evidence[0];
    assert.ok(ev);
    ev.startLine = 10;
    assert.match(problemOn(problems(checkDraft(JSON.stringify(d))), 'entries.plan.evidence[0].endLine').message, /endLine is before startLine/);
  });

  test('a path with ".."', () => {
    const w = worksheet();
    const ev = w.entries[0]?.evidence[0];
    assert.ok(ev);
    ev.path = '../outside.ts';
    assert.match(problemOn(problems(checkWorksheet(JSON.stringify(w))), 'entries[0].evidence[0].path').message, /leaves the tree/);
  });

  test('an unknown field, a wrong format, and JSON that does not parse', () => {
    const list = problems(checkDraft(JSON.stringify({ ...draft(), colour: 'red', format: 'seb-review/draft@2' })));
    assert.equal(problemOn(list, 'colour').message, 'is not a known field');
    problemOn(list, 'format');
    assert.match(problemOn(problems(checkWorksheet('{"format": ')), '(root)').message, /is not valid JSON/);
  });
});

/** Enough of JSON Schema draft-07 to check the data files against the generated schemas, as an editor would. */
function validate(schema: unknown, value: unknown, rootSchema: unknown, at = '$'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  if (typeof s['$ref'] === 'string') {
    const target = s['$ref'].replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], rootSchema);
    return validate(target, value, rootSchema, at);
  }
  const errors: string[] = [];
  const type = s['type'];
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (typeof type === 'string' && !(typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer'))) return [`${at} is not ${type}`];
  if ('const' in s && s['const'] !== value) errors.push(`${at} is not ${JSON.stringify(s['const'])}`);
  if (Array.isArray(s['enum']) && !s['enum'].includes(value)) errors.push(`${at} is not one of the enum`);
  if (Array.isArray(s['anyOf']) && !s['anyOf'].some(sub => validate(sub, value, rootSchema, at).length === 0)) errors.push(`${at} matches no anyOf`);
  if (typeof value === 'string') {
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) errors.push(`${at} does not match ${s['pattern']}`);
    if (typeof s['minLength'] === 'number' && value.length < s['minLength']) errors.push(`${at} is too short`);
  }
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) errors.push(`${at} is below the minimum`);
    if (typeof s['exclusiveMinimum'] === 'number' && value <= s['exclusiveMinimum']) errors.push(`${at} is not above the minimum`);
  }
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) errors.push(`${at} has too few items`);
    value.forEach((v, i) => errors.push(...validate(s['items'], v, rootSchema, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (s['properties'] ?? {}) as Record<string, unknown>;
    for (const k of (s['required'] ?? []) as string[]) if (!(k in obj)) errors.push(`${at}.${k} is required`);
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...validate(props[k], v, rootSchema, `${at}.${k}`));
      else if (s['additionalProperties'] === false) errors.push(`${at}.${k} is not allowed`);
      else errors.push(...validate(s['additionalProperties'], v, rootSchema, `${at}.${k}`));
      if (s['propertyNames'] !== undefined) errors.push(...validate(s['propertyNames'], k, rootSchema, `${at} key ${k}`));
    }
  }
  return errors;
}

describe('generated JSON Schemas', () => {
  const schemas = jsonSchemas();
  const required: Record<SchemaName, string[]> = {
    rubric: ['id', 'version', 'title', 'total', 'step', 'dimensions'],
    references: ['rubric', 'source', 'notes', 'profiles'],
    'run-manifest': ['runId'],
    worksheet: ['format', 'rubric', 'run', 'grader', 'entries', 'gaps', 'total', 'createdAt', 'updatedAt'],
    draft: ['format', 'revision', 'writer', 'rubric', 'run', 'grader', 'entries', 'gaps', 'createdAt', 'updatedAt'],
    'signed-worksheet': ['payloadType', 'payload', 'signatures'],
    'authority-pack': ['id', 'version'],
  };

  test('one for each of the seven formats, draft-07 objects with $id, title, description and the required properties', () => {
    assert.deepEqual([...SCHEMA_NAMES].sort(), ['authority-pack', 'draft', 'references', 'rubric', 'run-manifest', 'signed-worksheet', 'worksheet']);
    for (const name of SCHEMA_NAMES) {
      const s = schemas[name];
      assert.equal(s['$schema'], 'http://json-schema.org/draft-07/schema#', name);
      assert.equal(s['$id'], `urn:seb-review:schema:${name}`);
      assert.equal(typeof s['title'], 'string');
      assert.equal(typeof s['description'], 'string');
      assert.equal(s['type'], 'object');
      assert.equal(s['additionalProperties'], false, `${name} rejects unknown fields`);
      assert.deepEqual(s['required'], required[name], name);
      for (const k of required[name]) assert.ok(k in (s['properties'] as object), `${name}.${k}`);
    }
    for (const name of ['rubric', 'references', 'run-manifest', 'authority-pack'] as const) {
      assert.ok('$schema' in (schemas[name]['properties'] as object), `${name} allows a "$schema" key`);
    }
  });

  test('the build wrote them to dist/schemas, and package.json points the editor at them', () => {
    const pkg = JSON.parse(read('package.json')) as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } };
    const byMatch = Object.fromEntries(pkg.contributes.jsonValidation.map(v => [v.fileMatch, v.url]));
    assert.deepEqual(byMatch, {
      '*.rubric.json': './dist/schemas/rubric.schema.json',
      '*.references.json': './dist/schemas/references.schema.json',
      'seb-run.json': './dist/schemas/run-manifest.schema.json',
      '*.worksheet.json': './dist/schemas/signed-worksheet.schema.json',
      '*.draft.json': './dist/schemas/draft.schema.json',
      '*.predicate.json': './dist/schemas/worksheet.schema.json',
      '*.authority.json': './dist/schemas/authority-pack.schema.json',
    });
    for (const name of SCHEMA_NAMES) {
      const file = path.join(root, 'dist', 'schemas', `${name}.schema.json`);
      assert.ok(existsSync(file), `${file} (built by scripts/build.mjs)`);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), schemas[name], name);
    }
    assert.match(read('.vscodeignore'), /^!dist\/schemas\/\*\.json$/m);
  });

  test('the packaged and fixture files are valid against them; broken structure is not', () => {
    const check = (name: SchemaName, value: unknown): string[] => validate(schemas[name], value, schemas[name]);
    for (const f of [SEB_RUBRIC, MINI]) assert.deepEqual(check('rubric', JSON.parse(read(...f))), [], f.join('/'));
    assert.deepEqual(check('references', JSON.parse(read(...SEB_REFS))), []);
    assert.deepEqual(check('run-manifest', { $schema: './x.json', runId: 'r1', baseline: { ref: 'seb-baseline' }, testLogs: ['logs/t.txt'] }), []);
    assert.deepEqual(check('rubric', { ...JSON.parse(read(...MINI)) as object, step: '0.5', colour: 1 }), ['$.step is not number', '$.colour is not allowed']);
    assert.deepEqual(check('references', { ...JSON.parse(read(...SEB_REFS)) as object, rubric: 'seb' }), ['$.rubric is not object']);
    for (const f of readdirSync(path.join(root, 'rubric', 'authority')).filter(x => x.endsWith('.json'))) {
      assert.deepEqual(check('authority-pack', JSON.parse(read('rubric', 'authority', f))), [], `rubric/authority/${f}`);
    }
    assert.deepEqual(check('authority-pack', { id: 'x', version: 1, routes: [{ on: ['a'], methods: { get: 'GET' }, colour: 1 }] }), ['$.routes[0].colour is not allowed']);
  });
});
