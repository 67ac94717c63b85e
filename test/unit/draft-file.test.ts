import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DraftFile, writeAtomically } from '../../src/extension/drafts/draft-file';
import { type Draft } from '../../src/core/worksheet';
import { scratch } from './helpers';

const TREE = 'a'.repeat(40);
function draft(writer: string, points: string): Draft {
  return {
    format: 'seb-review/draft@1', revision: 0, writer,
    rubric: { id: 'seb', version: '1.0', sha256: 'b'.repeat(64) },
    run: { runId: 'r', root: '/runs/r', baseline: { commit: TREE, tree: TREE }, head: { tree: TREE } },
    grader: { name: 'Ada', kind: 'human' },
    entries: { wiring: { points, rationale: 'REST and agent writes reach the authority', evidence: [{ side: 'run', path: 'server/a.ts', startLine: 3, endLine: 9 }] } },
    gaps: '', createdAt: '2026-11-21T10:00:00.000Z', updatedAt: '2026-11-21T10:00:00.000Z',
  };
}

describe('draft files', () => {
  const s = scratch('seb-draft-');
  after(() => s.done());

  test('save then load round-trips; each save bumps the revision and keeps the previous copy as .bak', async () => {
    const f = new DraftFile(path.join(s.dir, 'one', 'r.seb.draft.json'));
    assert.deepEqual(await f.load(), {});
    const first = await f.save(draft('w1', '9'), 0);
    assert.ok(first.ok);
    assert.equal(first.draft.revision, 1);
    const second = await f.save({ ...draft('w1', '9.5') }, 1);
    assert.ok(second.ok && second.draft.revision === 2);
    assert.equal((await f.load()).draft?.entries.wiring?.points, '9.5');
    assert.equal(JSON.parse(readFileSync(f.backup, 'utf8')).entries.wiring.points, '9');
    assert.deepEqual(readdirSync(path.dirname(f.file)).filter(n => n.includes('.tmp-') || n.endsWith('.lock')), [], 'no temporary or lock file left');
  });

  test('an invalid entry is stored exactly as typed', async () => {
    const f = new DraftFile(path.join(s.dir, 'typed.draft.json'));
    await f.save(draft('w1', '12.25 '), 0);
    assert.equal((await f.load()).draft?.entries.wiring?.points, '12.25 ');
  });

  test('a corrupt draft is reported with the file and the field, moved aside, and the last good copy restored', async () => {
    const f = new DraftFile(path.join(s.dir, 'corrupt.draft.json'));
    await f.save(draft('w1', '7'), 0);
    await f.save(draft('w1', '8'), 1); // .bak now holds "7"
    writeFileSync(f.file, JSON.stringify({ ...draft('w1', '8'), revision: 'two' }));
    const loaded = await f.load();
    assert.match(loaded.problem ?? '', /corrupt\.draft\.json: field "revision"/);
    assert.equal(loaded.recoveredFrom, f.backup);
    assert.equal(loaded.draft?.entries.wiring?.points, '7');
    assert.ok(readdirSync(s.dir).some(n => n.startsWith('corrupt.draft.json.corrupt-')), 'the corrupt file is kept for inspection');
    writeFileSync(f.file, '{ "format": "seb-review/draft@1", ');
    assert.match((await f.load()).problem ?? '', /is not valid JSON/);
  });

  test('two windows: the second writer is told about the first one\'s save instead of overwriting it', async () => {
    const f = new DraftFile(path.join(s.dir, 'shared.draft.json'));
    const a = await f.save(draft('window-a', '5'), 0);
    assert.ok(a.ok);
    const b = await f.save(draft('window-b', '6'), 0); // b loaded revision 0 before a saved
    assert.equal(b.ok, false);
    assert.equal(!b.ok && b.theirs.entries.wiring?.points, '5');
    assert.equal((await f.peek())?.entries.wiring?.points, '5', 'nothing was overwritten');
    const forced = await f.save(draft('window-b', '6'), 0, true);
    assert.ok(forced.ok && forced.draft.revision === 2);
    const again = await f.save(draft('window-a', '5.5'), 1);
    assert.equal(again.ok, false, 'window a now sees b\'s save');
  });

  test('concurrent saves from one window serialise through the lock', async () => {
    const f = new DraftFile(path.join(s.dir, 'busy.draft.json'));
    const results = await Promise.all(['1', '2', '3', '4'].map(p => f.save(draft('w', p), 0)));
    assert.ok(results.every(r => r.ok));
    const revisions = results.map(r => (r.ok ? r.draft.revision : 0)).sort();
    assert.deepEqual(revisions, [1, 2, 3, 4], 'each save got its own revision: none was lost in a race');
    assert.equal((await f.peek())?.revision, 4);
    assert.equal(existsSync(`${f.file}.lock`), false);
  });

  test('atomic writes replace the file whole', async () => {
    const file = path.join(s.dir, 'atomic.json');
    await writeAtomically(file, 'first');
    await writeAtomically(file, 'second');
    assert.equal(readFileSync(file, 'utf8'), 'second');
  });
});
