import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findTestCases, incidentReason, isTestPath } from '../../../src/analysis/evidence/test-cases';
import { testFates } from '../../../src/analysis/evidence/test-inventory';
import { findStubs, shimFileReason } from '../../../src/analysis/evidence/stubs';
import { choosePlan, codeSymbols, findInvariant } from '../../../src/analysis/evidence/plan';

const summary = (file: string, text: string) => findTestCases(file, text).map(t => [t.fullName, t.skipped?.how ?? null, t.line]);

describe('test cases, found by parsing', () => {
  test('node:test, vitest, jest and mocha shapes: nesting, modifiers, options, template names kept as written', () => {
    const text = [
      "import { describe, it, test } from 'vitest';",            // 1
      "describe('outer', () => {",                                // 2
      "  it('plain', () => { expect(1).toBe(1); });",             // 3
      "  it.skip('skipped', () => {});",                          // 4
      "  it.todo('later');",                                      // 5
      "  xit('x-prefixed', function () {});",                     // 6
      "  it.each([1, 2])('each %i', n => {});",                   // 7
      "  test.skipIf(process.env.CI)('skipIf', () => {});",       // 8
      "  (isWindows ? it.skip : it)('conditional', () => {});",   // 9
      '  it(`handles ${kind} writes`, () => {});',                // 10
      "  describe.skip('inner', () => { it('in a skipped suite', () => {}); });", // 11
      "  it('skips itself', function () { if (slow) this.skip(); });", // 12
      '});',                                                      // 13
      "test('node option', { skip: 'flaky' }, () => {});",        // 14
      "test('node todo', { todo: true }, async t => {});",        // 15
      "test('not skipped', { skip: false }, () => {});",          // 16
      "const r = /x/.test('it');",                               // 17: not a test
    ].join('\n');
    assert.deepEqual(summary('test/a.test.ts', text), [
      ['outer > plain', null, 3],
      ['outer > skipped', '.skip', 4],
      ['outer > later', '.todo', 5],
      ['outer > x-prefixed', 'x-prefix', 6],
      ['outer > each %i', null, 7],
      ['outer > skipIf', 'skipIf', 8],
      ['outer > conditional', 'conditional', 9],
      ['outer > handles ${kind} writes', null, 10],
      ['outer > inner > in a skipped suite', 'suite skipped', 11],
      ['outer > skips itself', 'skips at run time', 12],
      ['node option', 'skip option', 14],
      ['node todo', 'todo option', 15],
      ['not skipped', null, 16],
    ]);
  });

  test('the same body gives the same hash whatever its whitespace and comments; another body another hash', () => {
    const [a] = findTestCases('t.test.js', "it('x', () => {\n  run(1); // first\n});");
    const [b] = findTestCases('t.test.js', "it('x', () => { run(1) ; /* other */ });");
    const [c] = findTestCases('t.test.js', "it('x', () => { run(2); });");
    assert.equal(a?.bodyHash, b?.bodyHash);
    assert.notEqual(a?.bodyHash, c?.bodyHash);
  });

  test('test paths and incident names', () => {
    assert.ok(isTestPath('src/a.test.ts') && isTestPath('test/helpers.js') && isTestPath('pkg/__tests__/x.tsx') && isTestPath('e2e/flow.spec.mjs'));
    assert.ok(!isTestPath('src/testing.ts') && !isTestPath('test/types.d.ts') && !isTestPath('node_modules/x/test/a.js') && !isTestPath('docs/test.md'));
    assert.equal(incidentReason({ file: 'test/incident-2026-02-dup.test.ts', fullName: 'x' }), 'mentions "incident"');
    assert.equal(incidentReason({ file: 'test/a.test.ts', fullName: 'regression: double save' }), 'mentions "regression"');
    assert.equal(incidentReason({ file: 'test/a.test.ts', fullName: 'crash seen on 2026-03-14' }), 'names a date-like id (2026-03-14)');
    assert.equal(incidentReason({ file: 'test/a.test.ts', fullName: 'fixes PROOF-412' }), 'names an issue id (PROOF-412)');
    assert.equal(incidentReason({ file: 'test/a.test.ts', fullName: 'adds two numbers' }), undefined);
  });
});

describe('baseline test fates', () => {
  const cases = (file: string, text: string) => findTestCases(file, text);
  test('kept, modified, moved, renamed, skipped and deleted; incident tests first', () => {
    const baseline = [
      ...cases('test/a.test.ts', [
        "it('kept', () => { save(1); check(1); });",
        "it('modified', () => { save(2); check(2); });",
        "it('renamed before', () => { const doc = open('a'); doc.write('hello world'); expect(doc.text()).toBe('hello world'); });",
        "it('skipped later', () => { save(4); });",
        "it('gone', () => { legacy(); });",
      ].join('\n')),
      ...cases('test/b.test.ts', "it('moved', () => { save(3); check(3); });"),
      ...cases('test/incident-2026-01.test.ts', "it('keeps one copy', () => { dup(); });"),
    ];
    const run = [
      ...cases('test/a.test.ts', [
        "it('kept', () => { save(1); check(1); });",
        "it('modified', () => { save(2); check(20); });",
        "it('renamed after', () => { const doc = open('a'); doc.write('hello world'); expect(doc.text()).toBe('hello world!'); });",
        "it.skip('skipped later', () => { save(4); });",
      ].join('\n')),
      ...cases('test/c.test.ts', "it('moved', () => { save(3); check(3); });"),
      ...cases('test/d.test.ts', "it('brand new', () => { x(); });"),
    ];
    const { fates, matched } = testFates(baseline, run, new Set(['test/a.test.ts', 'test/c.test.ts', 'test/d.test.ts']));
    assert.deepEqual(fates.map(f => [f.baseline.fullName, f.fate, f.run?.file ?? null, f.incident ?? null]), [
      ['keeps one copy', 'deleted', null, 'mentions "incident"'],
      ['kept', 'kept', 'test/a.test.ts', null],
      ['modified', 'modified', 'test/a.test.ts', null],
      ['renamed before', 'renamed', 'test/a.test.ts', null],
      ['skipped later', 'skipped', 'test/a.test.ts', null],
      ['gone', 'deleted', null, null],
      ['moved', 'moved', 'test/c.test.ts', null],
    ]);
    assert.equal(fates[0]?.detail, 'its file was deleted');
    assert.equal(fates.find(f => f.fate === 'skipped')?.detail, '.skip at line 4');
    assert.equal(fates.find(f => f.baseline.fullName === 'gone')?.detail, 'its file is still there');
    assert.equal(run.filter(t => !matched.has(t)).map(t => t.fullName).join(), 'brand new');
  });
});

describe('stubs and shims', () => {
  test('empty bodies, not-implemented throws, placeholder returns, TODO comments and legacy branches; callbacks and real code are not', () => {
    const text = [
      'export function save(doc) {}',                                       // 1
      "export function load(id) { throw new Error('not implemented'); }",   // 2
      'export const count = (rows) => 0;',                                  // 3
      'export function real(a) { return a + 1; }',                          // 4
      'export function flag() { return true; }',                            // 5: no parameters: a constant, not a stub
      'app.on("x", () => {});',                                             // 6: an anonymous callback
      '// TODO: wire the agent route through the authority',               // 7
      'if (config.legacyMode) { oldWrite(); }',                             // 8
      'class A { m(x) { return null; } }',                                  // 9
      "function b() { throw new TypeError('bad input'); }",                 // 10: a real throw
    ].join('\n');
    assert.deepEqual(findStubs('src/x.ts', text).map(s => [s.kind, s.line, s.message]), [
      ['empty-body', 1, 'save() has an empty body'],
      ['throws-not-implemented', 2, "load() only throws new Error('not implemented')"],
      ['placeholder-return', 3, 'count() ignores its parameters and only returns 0'],
      ['todo-comment', 7, 'comment: TODO wire the agent route through the authority'],
      ['legacy-branch', 8, 'a branch on config.legacyMode keeps a path alive behind "legacyMode"'],
      ['placeholder-return', 9, 'm() ignores its parameters and only returns null'],
    ]);
    assert.equal(shimFileReason('server/legacy-bridge.ts'), 'its name says "legacy"');
    assert.equal(shimFileReason('src/compat/index.ts'), undefined, 'the file name, not its folder');
    assert.equal(shimFileReason('src/ws-shim.js'), 'its name says "shim"');
  });
});

describe('the plan', () => {
  test('the invariant under its heading, with the code names in it; tables and snake_case words are not names', () => {
    const md = '# Plan\n\n## The invariant\n\n**Every change is applied by `applyDocumentWrite(docId, change)`; the log\n(`document_updates`) and `Store.flush` follow.**\n\n## Next\n';
    const inv = findInvariant(md);
    assert.equal(inv?.line, 5);
    assert.deepEqual(inv?.symbols, ['applyDocumentWrite', 'Store.flush']);
    assert.match(inv?.text ?? '', /^\*\*Every change is applied by/);
    const sentence = findInvariant('Intro.\n\nAll writes go through `commit()` from now on.\n');
    assert.deepEqual([sentence?.line, sentence?.symbols], [3, ['commit']]);
    assert.equal(findInvariant('# Notes\n\nNothing here.\n'), undefined);
    assert.deepEqual(codeSymbols('`a_b` `x.ts` `run()` `Foo`'), ['run', 'Foo']);
  });

  test('the manifest\'s plan, else the likeliest markdown the run added under docs/', () => {
    assert.deepEqual(choosePlan('PLAN.md', []), { file: 'PLAN.md', how: 'manifest' });
    assert.deepEqual(choosePlan(undefined, [{ path: 'docs/notes.md', size: 9000 }, { path: 'docs/authority-design.md', size: 100 }, { path: 'README.md', size: 50000 }]),
      { file: 'docs/authority-design.md', how: 'guessed' });
    assert.equal(choosePlan(undefined, [{ path: 'README.md', size: 10 }]), undefined);
  });
});
