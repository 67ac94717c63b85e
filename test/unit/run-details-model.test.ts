import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readExcerpt } from '../../src/extension/run-details-model';
import { workingTreeReader } from '../../src/git/tree-reader';
import { parseCounts } from '../../test/harness/counts';
import { scratch, write } from './helpers';

const s = scratch('seb-excerpt-');
after(() => s.done());

test('excerpts: text, truncation, binary, missing, and paths that leave the tree', async () => {
  write(s.dir, 'plan.md', '# Plan\n<script>alert(1)</script>\n');
  write(s.dir, 'big.log', 'x'.repeat(100));
  write(s.dir, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
  const run = workingTreeReader(s.dir);
  assert.deepEqual(await readExcerpt(run, 'plan.md'), { path: 'plan.md', text: '# Plan\n<script>alert(1)</script>\n', truncated: false, bytes: 33 });
  assert.deepEqual(await readExcerpt(run, 'big.log', 10), { path: 'big.log', text: 'x'.repeat(10), truncated: true, bytes: 100 });
  assert.equal((await readExcerpt(run, 'logo.png')).problem, 'binary file');
  assert.equal((await readExcerpt(run, 'nope.md')).problem, 'missing from the run');
  assert.match((await readExcerpt(run, '../etc/passwd')).problem ?? '', /leaves the tree/);
  assert.match((await readExcerpt(run, '/etc/passwd')).problem ?? '', /absolute/);
});

test('the test runner reads closing count lines from each tier', () => {
  assert.deepEqual(parseCounts('x\n12 passed, 0 failed\n'), { passed: 12, failed: 0, skipped: 0 });
  assert.deepEqual(parseCounts('3 passed, 1 failed, 2 skipped'), { passed: 3, failed: 1, skipped: 2 });
  assert.deepEqual(parseCounts('ℹ tests 5\nℹ pass 4\nℹ fail 1\nℹ skipped 0\n'), { passed: 4, failed: 1, skipped: 0 });
  assert.deepEqual(parseCounts('# pass 7\n# fail 0\n'), { passed: 7, failed: 0, skipped: 0 });
  assert.equal(parseCounts('nothing here'), undefined);
});
