import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AuditDraftStore, auditDraftName } from '../../src/extension/audit/audit-draft';
import { scratch } from './helpers';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('audit drafts', () => {
  const s = scratch('seb-audit-draft-');
  after(() => s.done());

  test('keyed by the run and the sorted source digests: the same worksheets in any order find the same draft', () => {
    assert.equal(auditDraftName('demo', [A, B]), auditDraftName('demo', [B, A]));
    assert.notEqual(auditDraftName('demo', [A, B]), auditDraftName('demo', [A]));
    assert.notEqual(auditDraftName('demo', [A, B]), auditDraftName('other', [A, B]));
    assert.match(auditDraftName('../../evil run', [A]), /^evil-run\.[0-9a-f]{24}\.audit\.json$/);
  });

  test('save then load round-trips the decisions as typed, invalid points included; no temporary file is left', async () => {
    const store = new AuditDraftStore(path.join(s.dir, 'store'));
    assert.deepEqual(await store.load('demo', [A, B]), {});
    const decisions = { wiring: { mode: 'set' as const, points: '12.25 ', rationale: 'REST and agent writes reach it' }, plan: { mode: 'mean' as const, points: '', rationale: '' } };
    await store.save('demo', [B, A], decisions);
    const loaded = await store.load('demo', [A, B]);
    assert.deepEqual(loaded.draft?.decisions, decisions);
    assert.deepEqual(loaded.draft?.sources, [A, B]);
    await store.save('demo', [A, B], decisions, { file: '/w/demo.adjudication.json', at: '2026-12-01T10:00:00.000Z' });
    assert.equal((await store.load('demo', [A, B])).draft?.exported?.file, '/w/demo.adjudication.json');
    assert.deepEqual(readdirSync(store.dir).filter(n => n.includes('.tmp-')), []);
  });

  test('a draft that cannot be read is reported and moved aside, not dropped or overwritten', async () => {
    const store = new AuditDraftStore(path.join(s.dir, 'broken'));
    await store.save('demo', [A], { wiring: { mode: 'set', points: '3', rationale: 'x' } });
    const file = store.fileFor('demo', [A]);
    writeFileSync(file, '{"format": "seb-review/audit-draft@1", "runId": "demo", ');
    const loaded = await store.load('demo', [A]);
    assert.equal(loaded.draft, undefined);
    assert.match(loaded.problem ?? '', /could not be used \(.*\); kept as .*\.corrupt-/);
    assert.ok(loaded.problem?.includes(file), 'names the file');
    assert.equal(existsSync(file), false);
    const aside = readdirSync(store.dir).find(n => n.includes('.corrupt-'));
    assert.ok(aside);
    assert.match(readFileSync(path.join(store.dir, aside), 'utf8'), /"runId": "demo", $/, 'the broken text is kept');

    writeFileSync(file, JSON.stringify({ format: 'seb-review/audit-draft@1', runId: 'demo', sources: [A], decisions: { wiring: { mode: 'maybe', points: '', rationale: '' } }, updatedAt: '' }));
    assert.match((await store.load('demo', [A])).problem ?? '', /mode/);
  });
});
