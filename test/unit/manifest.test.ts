import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkManifest, parseManifest } from '../../src/core/manifest';
import { relativePathProblem } from '../../src/core/relative-path';
import { SebError } from '../../src/core/errors';

const good = {
  runId: 'demo-authority-rewrite',
  benchmark: { name: 'senior-engineer-benchmark', version: '1.0' },
  model: { name: 'Demo Agent', config: 'x' },
  baseline: { ref: 'seb-baseline' },
  plan: 'docs/AUTHORITY_PLAN.md',
  testLogs: ['test-results/final-run.log'],
  authority: [{ path: 'server/authority/document-authority.ts', symbol: 'applyDocumentWrite' }],
};

function problems(value: unknown): string[] {
  const r = checkManifest(typeof value === 'string' ? value : JSON.stringify(value));
  assert.equal(r.ok, false, 'expected the manifest to be refused');
  return r.ok ? [] : r.problems.map(p => `${p.field}: ${p.message}`);
}

test('a complete manifest parses; a minimal one needs only runId', () => {
  assert.deepEqual(parseManifest(JSON.stringify(good), 'seb-run.json'), good);
  assert.deepEqual(parseManifest('\uFEFF{"runId":"r1"}', 'seb-run.json'), { runId: 'r1' });
  assert.deepEqual(parseManifest('{"runId":"r1","baseline":{"path":"../baseline"}}', 'x'), { runId: 'r1', baseline: { path: '../baseline' } });
});

test('each bad field is named', () => {
  assert.match(problems({ ...good, runId: 7 }).join(), /^runId: /);
  assert.match(problems({ ...good, runId: 'has space' }).join(), /^runId: must be 1-128 letters/);
  assert.match(problems({ ...good, baseline: { ref: 42 } }).join(), /^baseline/);
  assert.match(problems({ ...good, baseline: { ref: '--upload-pack=x' } }).join(), /^baseline/);
  assert.match(problems({ ...good, head: { ref: '' } }).join(), /^head\.ref: /);
  assert.match(problems({ ...good, testLogs: ['ok.log', '../outside.log'] }).join(), /^testLogs\[1\]: path "..\/outside.log" leaves the tree/);
  assert.match(problems({ ...good, plan: '/etc/passwd' }).join(), /^plan: path "\/etc\/passwd" is absolute/);
  assert.match(problems({ ...good, authority: [{ path: 'a.ts' }] }).join(), /^authority\[0\]\.symbol: /);
  assert.match(problems({ ...good, model: { name: 'm', temperature: 1 } }).join(), /^model\.temperature: is not a known field/);
  assert.match(problems({ ...good, colour: 'blue' }).join(), /^colour: is not a known field/);
  assert.match(problems({}).join(), /^runId: /);
});

test('syntax errors and non-objects are refused with the reason', () => {
  assert.match(problems('{"runId": "x",}').join(), /^\(root\): is not valid JSON/);
  assert.match(problems('[]').join(), /^\(root\): /);
});

test('parseManifest throws a SebError naming the file and the field', () => {
  assert.throws(() => parseManifest('{"runId": 1}', '/runs/r/seb-run.json'), (e: unknown) =>
    e instanceof SebError && e.kind === 'bad-manifest' && e.file === '/runs/r/seb-run.json' && /^\/runs\/r\/seb-run\.json: field "runId"/.test(e.message));
});

test('relative paths stay inside their tree', () => {
  assert.equal(relativePathProblem('a/b.ts'), undefined);
  assert.equal(relativePathProblem('.github/x.yml'), undefined);
  for (const bad of ['', '/abs', 'C:/x', 'a/../../b', '..', 'a//b', 'a\\b', 'a\0b']) assert.ok(relativePathProblem(bad), bad);
});

test('blindGrading: true or false; anything else is named', () => {
  assert.equal(parseManifest(JSON.stringify({ runId: 'r1', blindGrading: true }), 'seb-run.json').blindGrading, true);
  assert.match(problems({ runId: 'r1', blindGrading: 'yes' }).join(), /^blindGrading: /);
});
