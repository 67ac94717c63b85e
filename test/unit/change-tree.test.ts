import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, filesUnder, globToRegExp, matches, type FolderNode } from '../../src/core/change-tree';
import { statusLabel, type FileChange } from '../../src/core/file-change';
import { summariseSizes } from '../../src/core/size-summary';
import { languageOf } from '../../src/core/languages';
import { contentKey } from '../../src/extension/changes/viewed-store';

const ch = (path: string, status: FileChange['status'], additions: number, deletions: number, extra: Partial<FileChange> = {}): FileChange => ({
  path, status, additions, deletions, binary: false, oldMode: status === 'added' ? '000000' : '100644',
  newMode: status === 'deleted' ? '000000' : '100644', oldBlob: `o-${path}`, newBlob: `n-${path}`, ...extra,
});

const changes = [
  ch('server/routes/documents.ts', 'modified', 10, 40),
  ch('server/authority/document-authority.ts', 'added', 120, 0),
  ch('server/projection/reconcile.ts', 'deleted', 0, 200),
  ch('server/authority/markdown.ts', 'renamed', 5, 3, { oldPath: 'server/markdown/convert.ts', similarity: 89 }),
  ch('README.md', 'modified', 2, 2),
  ch('public/logo.png', 'modified', 0, 0, { binary: true }),
];

test('folders group their files, with counts and lines rolled up to every ancestor', () => {
  const root = buildTree(changes);
  assert.deepEqual(root.children.map(c => c.name), ['public', 'server', 'README.md']);
  const server = root.children.find(c => c.name === 'server') as FolderNode;
  assert.deepEqual([server.files, server.additions, server.deletions], [4, 135, 243]);
  assert.deepEqual(server.children.map(c => c.name), ['authority', 'projection', 'routes']);
  assert.deepEqual([root.files, root.additions, root.deletions], [6, 137, 245]);
  assert.deepEqual(filesUnder(server).map(c => c.path), [
    'server/authority/document-authority.ts', 'server/authority/markdown.ts', 'server/projection/reconcile.ts', 'server/routes/documents.ts',
  ]);
});

test('filters by status and by glob; sort by churn and by status', () => {
  assert.deepEqual(filesUnder(buildTree(changes, { statuses: ['deleted', 'renamed'] })).map(c => c.status).sort(), ['deleted', 'renamed']);
  assert.deepEqual(filesUnder(buildTree(changes, { glob: 'server/authority/**' })).length, 2);
  assert.deepEqual(filesUnder(buildTree(changes, { glob: '*.md' })).map(c => c.path), ['README.md']);
  assert.equal(matches(changes[3] as FileChange, { glob: 'server/markdown/*.ts' }), true, 'a rename matches by its old path too');
  const byChurn = buildTree(changes, {}, 'churn');
  assert.equal(byChurn.children[0]?.name, 'server');
  const authority = (byChurn.children[0] as FolderNode).children;
  assert.equal(authority[0]?.name, 'projection', 'biggest folder first');
  const byStatus = filesUnder(buildTree(changes.filter(c => c.path.startsWith('server/authority')), {}, 'status'));
  assert.deepEqual(byStatus.map(c => c.status), ['added', 'renamed']);
});

test('globs: * stays in a segment, ** crosses them, a bare name matches anywhere', () => {
  assert.ok(globToRegExp('*.ts').test('a/b/c.ts'));
  assert.ok(!globToRegExp('server/*.ts').test('server/a/b.ts'));
  assert.ok(globToRegExp('server/**/*.ts').test('server/a/b.ts'));
  assert.ok(globToRegExp('server/**/*.ts').test('server/b.ts'));
  assert.ok(globToRegExp('te?t.md').test('test.md'));
  assert.ok(!globToRegExp('a+b.ts').test('aab.ts'), 'regex characters are literal');
});

test('status labels say what changed, including binary, mode and symlink', () => {
  assert.equal(statusLabel(changes[3] as FileChange), 'R 89%  +5 −3');
  assert.equal(statusLabel(changes[5] as FileChange), 'M  binary');
  assert.equal(statusLabel(ch('run.sh', 'modified', 0, 0, { newMode: '100755' })), 'M  +0 −0  mode 100644 → 100755');
  assert.equal(statusLabel(ch('link', 'modified', 1, 1, { oldMode: '120000', newMode: '120000' })), 'M  +1 −1  symlink');
});

test('viewed marks are keyed by content: a new blob or mode is a new key', () => {
  const a = ch('x.ts', 'modified', 1, 1);
  assert.notEqual(contentKey(a), contentKey({ ...a, newBlob: 'other' }));
  assert.notEqual(contentKey(a), contentKey({ ...a, newMode: '100755' }));
  assert.equal(contentKey(ch('gone.ts', 'deleted', 0, 3)), 'deleted:o-gone.ts');
});

test('size summary: totals, languages, files added and deleted, largest files', () => {
  const s = summariseSizes(
    [{ path: 'a.ts', bytes: 100, lines: 50 }, { path: 'b.ts', bytes: 10, lines: 5 }, { path: 'logo.png', bytes: 999, lines: undefined }, { path: 'README.md', bytes: 5, lines: 3 }],
    [{ path: 'a.ts', bytes: 60, lines: 30 }, { path: 'c.js', bytes: 20, lines: 8 }, { path: 'logo.png', bytes: 1000, lines: undefined }],
  );
  assert.deepEqual(s.baseline, { files: 4, lines: 58, bytes: 1114 });
  assert.deepEqual(s.run, { files: 3, lines: 38, bytes: 1080 });
  assert.equal(s.netLines, -20);
  assert.deepEqual([s.filesAdded, s.filesDeleted], [1, 2]);
  assert.deepEqual(s.languages.map(l => [l.language, l.baselineLines, l.runLines]), [
    ['TypeScript', 55, 30], ['JavaScript', 0, 8], ['Markdown', 3, 0], ['Other', 0, 0],
  ]);
  assert.deepEqual(s.largestBaseline.map(f => f.path), ['a.ts', 'b.ts', 'README.md', 'logo.png']);
  assert.equal(languageOf('types/index.d.ts'), 'TypeScript');
  assert.equal(languageOf('Dockerfile'), 'Dockerfile');
  assert.equal(languageOf('.env'), 'Other');
});
