import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sectionAuthority } from '../../../src/extension/authority/section-authority';
import { fileFindings, indexAnalysis } from '../../../src/server/authority/queries';
import { sampleAnalysis } from './analysis-fixture';

/** The Diff Overview's per-file annotation, from the findings of the hand-built analysis (analysis-fixture.ts). */
const ix = indexAnalysis(sampleAnalysis(), 1);

test('a run file with a bypassing route: its entry points counted, the bypassing one named', () => {
  // server/document-routes.ts holds r2 (POST /api/documents/:slug/title, bypassing); the baseline has no such file
  assert.deepEqual(sectionAuthority(fileFindings(ix, 'run', 'server/document-routes.ts'), undefined), {
    run: { entries: 1, writes: 0, bypassing: ['POST /api/documents/:slug/title'] },
  });
});

test('a file whose baseline route wrote and is unreachable in the run: the lost write path named with its fate', () => {
  // server/agent.ts: b4 (POST /api/agent/edit, writes documents) is unreachable in the run; r4 is dead there (no bypass)
  assert.deepEqual(sectionAuthority(fileFindings(ix, 'run', 'server/agent.ts'), fileFindings(ix, 'baseline', 'server/agent.ts')), {
    run: { entries: 1, writes: 0, bypassing: [] },
    baseline: { entries: 1, writes: 0, lost: ['POST /api/agent/edit (unreachable)'] },
  });
});

test('a deleted file with an entry point that never wrote: counted, nothing lost; a file with nothing: no annotation', () => {
  // server/ws.ts: b5 (ws message handler onMessage) was deleted, but it reached no write
  assert.deepEqual(sectionAuthority(undefined, fileFindings(ix, 'baseline', 'server/ws.ts')), { baseline: { entries: 1, writes: 0, lost: [] } });
  assert.equal(sectionAuthority(fileFindings(ix, 'run', 'README.md'), fileFindings(ix, 'baseline', 'README.md')), undefined);
  assert.equal(sectionAuthority(undefined, undefined), undefined);
});

test('writes only: the run\'s store counts its write', () => {
  assert.deepEqual(sectionAuthority(fileFindings(ix, 'run', 'server/store.ts'), undefined), { run: { entries: 0, writes: 1, bypassing: [] } });
});
