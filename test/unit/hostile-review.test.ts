import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { git, repoWith, scratch, write } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; } });
  return { code, out, err };
}

interface Listed { changes: Array<{ path: string; status: string; binary: boolean; additions: number }>; head: { tree: string } }
const listed = (out: string) => JSON.parse(out) as Listed;

/** A trap: a script that appends its name to `marker` and passes its input through. */
function trap(dir: string, marker: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho ${name} >> '${marker}'\ncat\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('what a run can hide in its working tree and git directory', () => {
  const s = scratch('seb-hostile-review-');
  after(() => s.done());
  const marker = path.join(s.dir, 'marker');
  const ran = () => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');

  test('a submodule whose own config names an fsmonitor (and that no git can read) is never opened', async () => {
    const dir = path.join(s.dir, 'with-submodule');
    repoWith(dir, [{ 'a.txt': 'a\n' }]);
    const emb = path.join(dir, 'emb');
    repoWith(emb, [{ 'e.txt': 'e\n' }]);
    git(dir, 'update-index', '--add', '--cacheinfo', `160000,${git(emb, 'rev-parse', 'HEAD')},emb`);
    git(dir, 'commit', '-q', '-m', 'submodule');
    git(emb, 'config', 'core.fsmonitor', trap(s.dir, marker, 'submodule-fsmonitor'));
    writeFileSync(path.join(emb, '.git', 'config'), `${readFileSync(path.join(emb, '.git', 'config'), 'utf8')}[core]\n\trepositoryformatversion = 999\n`);
    write(dir, 'untracked.txt', 'u\n');
    rmSync(marker, { force: true });
    const before = snapshotTree(dir);
    const r = await cli('diff', dir, '--json');
    assert.equal(r.code, 0, r.err);
    // the baseline (root commit) holds a.txt only: the head adds the submodule, the working tree an untracked file
    assert.deepEqual(listed(r.out).changes.map(c => c.path).sort(), ['emb', 'untracked.txt']);
    assert.equal(ran(), '', `the submodule's program ran: ${ran()}`);
    assert.deepEqual(snapshotDiff(before, snapshotTree(dir)), []);
  });

  test('edits hidden by assume-unchanged and skip-worktree, and a file hidden by info/exclude, are in the diff', async () => {
    const dir = path.join(s.dir, 'hidden');
    repoWith(dir, [{ 'a.txt': 'a\n', 'b.txt': 'b\n', 'srv/keep.js': 'k\n' }]);
    write(dir, 'a.txt', 'a\nEVIL\n');
    git(dir, 'update-index', '--assume-unchanged', 'a.txt');
    write(dir, 'b.txt', 'b\nEVIL\n');
    git(dir, 'update-index', '--skip-worktree', 'b.txt');
    write(dir, 'srv/evil.js', 'evil\n');
    writeFileSync(path.join(dir, '.git', 'info', 'exclude'), 'evil.js\n');
    assert.equal(git(dir, 'status', '--porcelain'), '', 'plain git sees nothing: the edits are hidden');
    const info = await cli('info', dir, '--json');
    assert.equal((JSON.parse(info.out) as { head: { source: { dirty: boolean } } }).head.source.dirty, true);
    const r = await cli('diff', dir, '--json');
    const byPath = new Map(listed(r.out).changes.map(c => [c.path, c]));
    assert.equal(byPath.get('a.txt')?.additions, 1);
    assert.equal(byPath.get('b.txt')?.additions, 1);
    assert.equal(byPath.get('srv/evil.js')?.status, 'added');
  });

  test('a forged commit-graph cannot make the head look like the root commit', async () => {
    const dir = path.join(s.dir, 'commit-graph');
    const [root, , head] = repoWith(dir, [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }, { 'a.txt': '3\n' }]);
    git(dir, 'commit-graph', 'write', '--reachable');
    forgeNoParent(path.join(dir, '.git', 'objects', 'info', 'commit-graph'), head ?? '');
    assert.equal(git(dir, '-c', 'core.commitGraph=true', 'rev-list', '--max-parents=0', 'HEAD'), head, 'plain git believes the forged graph');
    const info = await cli('info', dir, '--json');
    assert.equal((JSON.parse(info.out) as { baseline: { commit: string } }).baseline.commit, root);
  });

  test('.gitattributes in the run cannot turn its files binary or stop the snapshot (-diff, working-tree-encoding)', async () => {
    const dir = path.join(s.dir, 'attributes');
    repoWith(dir, [{ 'a.txt': 'one\n', 'b.ts': 'two\n' }]);
    write(dir, '.gitattributes', '* -diff\n*.txt working-tree-encoding=UTF-16\n');
    write(dir, 'a.txt', 'one\nmore\n');
    write(dir, 'b.ts', 'two\nmore\n');
    const r = await cli('diff', dir, '--json');
    assert.equal(r.code, 0, r.err);
    const byPath = new Map(listed(r.out).changes.map(c => [c.path, c]));
    for (const p of ['a.txt', 'b.ts']) {
      assert.equal(byPath.get(p)?.binary, false, `${p} is text`);
      assert.equal(byPath.get(p)?.additions, 1, `${p} counts its line`);
    }
  });

  test('an untracked nested repository (even an empty one) is left out, as git add leaves it out', async () => {
    const dir = path.join(s.dir, 'nested');
    repoWith(dir, [{ 'a.txt': 'a\n' }]);
    mkdirSync(path.join(dir, 'vendor'));
    git(path.join(dir, 'vendor'), 'init', '-q');
    write(dir, 'vendor/x.txt', 'x\n');
    write(dir, 'b.txt', 'b\n');
    const r = await cli('diff', dir, '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(listed(r.out).changes.map(c => c.path), ['b.txt']);
  });

  test('a FIFO or a device where git would read commondir or an alternates list is refused at once, by name', { timeout: 60_000 }, async () => {
    const fifo = path.join(s.dir, 'fifo-alternates');
    repoWith(fifo, [{ 'a.txt': 'a\n' }]);
    execFileSync('mkfifo', [path.join(fifo, '.git', 'objects', 'info', 'alternates')]);
    const a = await cli('diff', fifo);
    assert.equal(a.code, 2);
    assert.match(a.err, /objects\/info\/alternates is not a regular file/);

    const zero = path.join(s.dir, 'zero-commondir');
    repoWith(zero, [{ 'a.txt': 'a\n' }]);
    symlinkSync('/dev/zero', path.join(zero, '.git', 'commondir'));
    const z = await cli('diff', zero);
    assert.equal(z.code, 2);
    assert.match(z.err, /commondir is not a regular file/);

    const fifoCommon = path.join(s.dir, 'fifo-commondir');
    repoWith(fifoCommon, [{ 'a.txt': 'a\n' }]);
    execFileSync('mkfifo', [path.join(fifoCommon, '.git', 'commondir')]);
    const f = await cli('info', fifoCommon);
    assert.equal(f.code, 2);
    assert.match(f.err, /commondir is not a regular file/);
  });

  test('a SHA-256 repository is read (loose refs and a symbolic HEAD, then packed refs)', async () => {
    const dir = path.join(s.dir, 'sha256');
    git(s.dir, 'init', '-q', '--object-format=sha256', dir);
    write(dir, 'a.txt', 'a\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    write(dir, 'a.txt', 'a\nb\n');
    write(dir, 'new.txt', 'n\n');
    for (const step of ['loose refs', 'packed refs']) {
      if (step === 'packed refs') git(dir, 'pack-refs', '--all');
      const r = await cli('diff', dir, '--json');
      assert.equal(r.code, 0, `${step}: ${r.err}`);
      const l = listed(r.out);
      assert.deepEqual(l.changes.map(c => c.path).sort(), ['a.txt', 'new.txt'], step);
      assert.equal(l.head.tree.length, 64, step);
    }
  });

  test('a reader that stops early gets no stack trace, and no scratch folder is left behind', () => {
    const dir = path.join(s.dir, 'pipe');
    repoWith(dir, [{ 'a.txt': 'a\n' }]);
    write(dir, 'b.txt', 'b\n'.repeat(10));
    const tmp = path.join(s.dir, 'tmp');
    mkdirSync(tmp);
    const r = spawnSync('sh', ['-c', `node '${CLI}' diff '${dir}' --json | head -c 1 >/dev/null`], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stderr, /EPIPE|at .*\.js:\d+/);
    assert.deepEqual(readdirSync(tmp), [], 'the scratch folder was removed');
    assert.ok(tmpdir());
  });
});

/** Rewrites the first parent of `commit` in a commit-graph file to "none" (GRAPH_PARENT_NONE), as an attacker would. */
function forgeNoParent(file: string, commit: string): void {
  const buf = readFileSync(file);
  const chunks = buf.readUInt8(6);
  const offsets = new Map<string, number>();
  for (let i = 0; i < chunks; i++) offsets.set(buf.toString('latin1', 8 + i * 12, 12 + i * 12), Number(buf.readBigUInt64BE(12 + i * 12)));
  const oidl = offsets.get('OIDL') ?? 0;
  const cdat = offsets.get('CDAT') ?? 0;
  const count = (cdat - oidl) / 20;
  for (let i = 0; i < count; i++) {
    if (buf.toString('hex', oidl + i * 20, oidl + i * 20 + 20) === commit) {
      buf.writeUInt32BE(0x70000000, cdat + i * 36 + 20);
      writeFileSync(file, buf);
      return;
    }
  }
  throw new Error(`${commit} is not in ${file}`);
}
