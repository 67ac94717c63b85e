import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveRun } from '../../src/git/resolve-run';
import { SebError, type SebErrorKind } from '../../src/core/errors';
import { git, repoWith, scratch, write } from './helpers';

async function refused(input: string, kind: SebErrorKind, message: RegExp, options = {}): Promise<SebError> {
  try {
    await resolveRun(input, options);
  } catch (e) {
    assert.ok(e instanceof SebError, `expected a SebError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${input} to be refused with ${kind}`);
}

describe('resolveRun', () => {
  const s = scratch();
  after(() => s.done());

  test('without a manifest: the root commit is the baseline, the working tree the head, the folder name the run id', async () => {
    const dir = path.join(s.dir, 'plain-run');
    const [root, second] = repoWith(dir, [{ 'a.ts': 'one\n' }, { 'a.ts': 'two\n', 'b.ts': 'new\n' }]);
    const run = await resolveRun(dir);
    assert.equal(run.runId, 'plain-run');
    assert.equal(run.baseline.commit, root);
    assert.deepEqual(run.baseline.source, { kind: 'root-commit' });
    assert.equal(run.baseline.subject, 'commit 1');
    assert.equal(run.head.commit, second);
    assert.deepEqual(run.head.source, { kind: 'working-tree', branch: 'main', dirty: false });
    write(dir, 'a.ts', 'uncommitted\n');
    const dirty = await resolveRun(dir);
    assert.deepEqual(dirty.head.source, { kind: 'working-tree', branch: 'main', dirty: true });
  });

  test('reading a run writes nothing into it: no index change, no new files', async () => {
    const dir = path.join(s.dir, 'untouched');
    repoWith(dir, [{ 'a.ts': '1\n' }]);
    write(dir, 'a.ts', 'changed\n');
    const index = path.join(dir, '.git', 'index');
    const files = git(dir, 'status', '--porcelain', '--ignored'); // plain git may refresh the index: do it before taking the snapshot
    const before = { bytes: readFileSync(index), mtime: statSync(index).mtimeMs, files };
    // a stale stat makes git want to refresh (and rewrite) the index; GIT_OPTIONAL_LOCKS=0 must stop that
    await resolveRun(dir);
    await resolveRun(dir);
    assert.deepEqual(readFileSync(index), before.bytes);
    assert.equal(statSync(index).mtimeMs, before.mtime);
    assert.equal(git(dir, 'status', '--porcelain', '--ignored'), before.files);
  });

  test('a manifest names the run id, the baseline ref and the head ref', async () => {
    const dir = path.join(s.dir, 'with-manifest');
    const [c1, c2, c3] = repoWith(dir, [{ 'a.ts': '1\n' }, { 'a.ts': '2\n' }, { 'a.ts': '3\n' }]);
    writeFileSync(path.join(dir, 'seb-run.json'), JSON.stringify({ runId: 'r-7', baseline: { ref: c2 }, head: { ref: 'HEAD~0' } }));
    const run = await resolveRun(path.join(dir, 'seb-run.json'));
    assert.equal(run.runId, 'r-7');
    assert.equal(run.root, dir);
    assert.equal(run.baseline.commit, c2);
    assert.deepEqual(run.head.source, { kind: 'manifest-ref', ref: 'HEAD~0' });
    assert.equal(run.head.commit, c3);
    assert.notEqual(run.baseline.commit, c1);
  });

  test('a baseline given as a separate checkout', async () => {
    const base = path.join(s.dir, 'frozen');
    const [frozen] = repoWith(base, [{ 'x.ts': 'x\n' }]);
    const dir = path.join(s.dir, 'run-beside');
    repoWith(dir, [{ 'x.ts': 'y\n' }]);
    writeFileSync(path.join(dir, 'seb-run.json'), JSON.stringify({ runId: 'beside', baseline: { path: '../frozen' } }));
    const run = await resolveRun(dir);
    assert.equal(run.baseline.commit, frozen);
    assert.equal(run.baseline.repositoryRoot, base);
    assert.deepEqual(run.baseline.source, { kind: 'manifest-path', path: '../frozen' });
  });

  test('refusals name the folder or file and say what is wrong', async () => {
    const plain = path.join(s.dir, 'not-a-repo');
    write(plain, 'file.txt', 'x');
    await refused(plain, 'not-a-repository', /not-a-repo is not a git repository/);
    await refused(path.join(s.dir, 'missing'), 'not-a-directory', /missing does not exist/);
    await refused(path.join(plain, 'file.txt'), 'not-a-directory', /file\.txt is not a folder/);

    const sub = path.join(s.dir, 'with-manifest', 'nested');
    write(sub, 'k.txt', 'k');
    await refused(sub, 'not-a-repository', /nested is not a git repository/);

    const empty = path.join(s.dir, 'empty');
    git(s.dir, 'init', '-q', empty);
    await refused(empty, 'no-commits', /empty has no commits/);

    const unknown = path.join(s.dir, 'unknown-ref');
    repoWith(unknown, [{ 'a': '1' }]);
    writeFileSync(path.join(unknown, 'seb-run.json'), JSON.stringify({ runId: 'u', baseline: { ref: 'no-such-tag' } }));
    await refused(unknown, 'unknown-ref', /baseline\.ref in .*seb-run\.json: "no-such-tag" does not name a commit/);

    const badPath = path.join(s.dir, 'bad-path');
    repoWith(badPath, [{ 'a': '1' }]);
    writeFileSync(path.join(badPath, 'seb-run.json'), JSON.stringify({ runId: 'b', baseline: { path: '../not-a-repo' } }));
    await refused(badPath, 'bad-baseline-path', /baseline\.path in .*seb-run\.json: \.\.\/not-a-repo is not a git checkout/);

    const malformed = path.join(s.dir, 'malformed');
    repoWith(malformed, [{ 'a': '1' }]);
    writeFileSync(path.join(malformed, 'seb-run.json'), '{"runId": "m", "testLogs": "one.log"}');
    const e = await refused(malformed, 'bad-manifest', /seb-run\.json: field "testLogs"/);
    assert.equal(e.file, path.join(malformed, 'seb-run.json'));
  });

  test('several root commits and no manifest: the error offers each root as a choice, and a choice resolves', async () => {
    const dir = path.join(s.dir, 'two-roots');
    const [first] = repoWith(dir, [{ 'a.ts': '1\n' }]);
    git(dir, 'checkout', '-q', '--orphan', 'other');
    git(dir, 'rm', '-rqf', '.');
    write(dir, 'b.ts', 'b\n');
    git(dir, 'add', 'b.ts');
    git(dir, 'commit', '-q', '-m', 'second root');
    const second = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--allow-unrelated-histories', '-m', 'merge', 'other');
    const e = await refused(dir, 'several-roots', /has 2 root commits/);
    assert.deepEqual(e.choices?.map(c => c.value).sort(), [first, second].sort());
    assert.ok(e.choices?.some(c => c.label.endsWith('second root')));
    const run = await resolveRun(dir, { baseline: second });
    assert.equal(run.baseline.commit, second);
    assert.deepEqual(run.baseline.source, { kind: 'chosen', ref: second });
  });

  test('a shallow clone that lacks the baseline says so', async () => {
    const origin = path.join(s.dir, 'deep');
    const [root] = repoWith(origin, [{ 'a': '1' }, { 'a': '2' }, { 'a': '3' }]);
    const shallow = path.join(s.dir, 'shallow');
    git(s.dir, 'clone', '-q', '--depth', '1', `file://${origin}`, shallow);
    await refused(shallow, 'shallow-clone', /shallow clone/);
    writeFileSync(path.join(shallow, 'seb-run.json'), JSON.stringify({ runId: 's', baseline: { ref: root } }));
    await refused(shallow, 'shallow-clone', /is not in .*shallow clone; fetch the full history/);
  });

  before(() => assert.ok(existsSync(s.dir)));
  after(() => rmSync(s.dir, { recursive: true, force: true }));
});
