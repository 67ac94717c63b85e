import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDiagnostics } from '../../src/server/manifest-diagnostics';
import { findDefinitions } from '../../src/analysis/definitions';
import { memoryTreeReader } from '../../src/core/tree-read';

const tree = (files: Record<string, string>) => memoryTreeReader(files);
const at = (text: string, d: { start: number; end: number }) => text.slice(d.start, d.end);

test('definitions are found for functions, bindings, classes and methods, not for calls', () => {
  const src = [
    'import x from "y";',
    'export async function applyDocumentWrite(docId: string) {',
    '  return applyDocumentWrite(docId);',
    '}',
    'export const derive = (d) => d;',
    'class Store {',
    '  private async persist(update: Uint8Array): Promise<void> {',
    '  }',
    '}',
    '// applyDocumentWrite() in a comment',
  ].join('\n');
  assert.deepEqual(findDefinitions(src, 'applyDocumentWrite'), [2]);
  assert.deepEqual(findDefinitions(src, 'derive'), [5]);
  assert.deepEqual(findDefinitions(src, 'Store'), [6]);
  assert.deepEqual(findDefinitions(src, 'persist'), [7]);
  assert.deepEqual(findDefinitions(src, 'missing'), []);
});

test('a JSON syntax error is reported where it is', async () => {
  const text = '{\n  "runId": "a",\n}';
  const d = await manifestDiagnostics(text, tree({}));
  assert.ok(d.length >= 1);
  assert.equal(d[0]?.severity, 'error');
  assert.match(d[0]?.message ?? '', /not valid JSON/);
  assert.equal(d[0]?.start, text.indexOf('}'));
});

test('schema problems sit on the field: a wrong value on the value, an unknown key on the key', async () => {
  const text = '{\n  "runId": "ok",\n  "head": { "ref": 3 },\n  "extra": true\n}';
  const d = await manifestDiagnostics(text, tree({}));
  const head = d.find(x => x.field === 'head.ref');
  assert.ok(head, JSON.stringify(d));
  assert.equal(at(text, head), '3');
  const extra = d.find(x => x.field === 'extra');
  assert.ok(extra);
  assert.equal(at(text, extra), '"extra"');
  assert.match(extra.message, /^extra: is not a known field/);
});

test('references are checked against the run tree: plan, test logs, the declared authority', async () => {
  const text = JSON.stringify({
    runId: 'r', plan: 'docs/PLAN.md', testLogs: ['a.log', 'b.log'],
    authority: [{ path: 'src/auth.ts', symbol: 'applyWrite' }, { path: 'src/gone.ts', symbol: 'x' }, { path: 'src/auth.ts', symbol: 'nope' }],
  }, null, 2);
  const d = await manifestDiagnostics(text, tree({ 'a.log': 'ok', 'src/auth.ts': 'export function applyWrite() {}\n' }));
  assert.deepEqual(d.map(x => x.message).sort(), [
    'authority[1].path: src/gone.ts does not exist in the run',
    'authority[2].symbol: nope is not defined in src/auth.ts',
    'plan: docs/PLAN.md does not exist in the run',
    'testLogs[1]: b.log does not exist in the run',
  ]);
  assert.ok(d.every(x => x.severity === 'warning'));
  const plan = d.find(x => x.field === 'plan');
  assert.ok(plan);
  assert.equal(at(text, plan), '"docs/PLAN.md"');
});
