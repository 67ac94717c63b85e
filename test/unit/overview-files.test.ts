import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filePage, overviewTotals } from '../../src/extension/overview-files';
import { MAX_PAGE_FILES, Overview } from '../../src/protocol/webview/overview';
import { type FileChange } from '../../src/core/file-change';

const changes: FileChange[] = Array.from({ length: 450 }, (_, i) => ({
  path: `src/f${i}.ts`, status: 'modified', binary: false, additions: 2, deletions: 1, oldMode: '100644', newMode: '100644',
  oldBlob: 'a'.repeat(40), newBlob: 'b'.repeat(40),
}));

test('a page of the file list: ids are indices in the whole list; short at the end; empty at the end', () => {
  const page = filePage(changes, 3, { listId: 3, start: 400, count: 200 });
  assert.ok(page.ok);
  assert.equal(page.start, 400);
  assert.deepEqual(page.files.map(f => f.id), Array.from({ length: 50 }, (_, i) => String(400 + i)));
  assert.equal(page.files[0]?.path, 'src/f400.ts');
  assert.ok(!('oldBlob' in (page.files[0] ?? {})));
  assert.deepEqual(filePage(changes, 3, { listId: 3, start: 450, count: 1 }), { ok: true, start: 450, files: [] });
});

test('a page of another list, or past the end, is refused', () => {
  assert.deepEqual(filePage(changes, 3, { listId: 2, start: 0, count: 10 }), { ok: false, error: 'the file list changed' });
  assert.deepEqual(filePage(changes, 3, { listId: 3, start: 451, count: 10 }), { ok: false, error: 'no file 451 in a list of 450' });
});

test('the page request guard refuses bad cursors and sizes', () => {
  const ok = { listId: 1, start: 200, count: 200 };
  assert.ok(Overview.files.validate(ok));
  assert.ok(Overview.files.validate({ ...ok, count: MAX_PAGE_FILES }));
  for (const bad of [
    { ...ok, start: -1 }, { ...ok, start: 1.5 }, { ...ok, start: '200' }, { ...ok, start: Number.NaN }, { ...ok, start: 2 ** 60 },
    { ...ok, count: 0 }, { ...ok, count: MAX_PAGE_FILES + 1 }, { ...ok, listId: -1 }, { start: 0, count: 1 }, { ...ok, extra: 1 },
    null, [], 'start=0',
  ]) assert.equal(Overview.files.validate(bad), false, JSON.stringify(bad));
});

test('totals count the whole list', () => {
  assert.deepEqual(overviewTotals(changes), { files: 450, additions: 900, deletions: 450 });
});
