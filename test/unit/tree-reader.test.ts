import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workingTreeReader, gitTreeReader } from '../../src/git/tree-reader';
import { observeGitInvocations } from '../../src/git/git-runner';
import { type TreeEntry, type TreeRead, type TreeReader } from '../../src/core/tree-read';
import { openRepository } from '../../src/git/repository';
import { readManifest, resolveRun } from '../../src/git/resolve-run';
import { checkManifest } from '../../src/core/manifest';
import { manifestDiagnostics } from '../../src/server/manifest-diagnostics';
import { runDetailsModel } from '../../src/extension/run-details-model';
import { isSebError } from '../../src/core/errors';
import { git, repoWith, scratch, write } from './helpers';

const SECRET = 'TOP-SECRET-VALUE-41';

describe('the tree reader', () => {
  const s = scratch('seb-tree-reader-');
  after(() => s.done());
  const outside = path.join(s.dir, 'secret.txt');
  const run = path.join(s.dir, 'run');
  writeFileSync(outside, `${SECRET}\n`);
  mkdirSync(run);
  write(run, 'docs/plan.md', '# Plan\n');
  write(run, 'big.log', 'x'.repeat(5000));
  symlinkSync(outside, path.join(run, 'plan-link.md'));
  symlinkSync('../secret.txt', path.join(run, 'relative-link.md'));
  symlinkSync('docs/plan.md', path.join(run, 'inside-link.md'));
  symlinkSync('/dev/zero', path.join(run, 'zero.log'));
  symlinkSync(s.dir, path.join(run, 'up'));
  symlinkSync('loop-b', path.join(run, 'loop-a'));
  symlinkSync('loop-a', path.join(run, 'loop-b'));
  execFileSync('mkfifo', [path.join(run, 'fifo.log')]);
  const tree = workingTreeReader(run);

  test('reads regular files, and follows a link that stays inside the tree', async () => {
    const plan = await tree.read('docs/plan.md');
    assert.ok(plan.ok);
    assert.equal(plan.bytes.toString('utf8'), '# Plan\n');
    const link = await tree.read('inside-link.md');
    assert.ok(link.ok && link.bytes.toString('utf8') === '# Plan\n');
  });

  // a FIFO opened for reading would wait for a writer: the timeout turns such a hang into a failure
  test('refuses links out of the tree (absolute, relative, through a linked folder), loops, FIFOs, devices and folders, without quoting content', { timeout: 60_000 }, async () => {
    const cases: Array<[string, string]> = [
      ['plan-link.md', 'outside'], ['relative-link.md', 'outside'], ['up/secret.txt', 'outside'], ['loop-a', 'outside'],
      ['fifo.log', 'not-a-file'], ['zero.log', 'outside'], ['docs', 'not-a-file'], ['nope.md', 'missing'],
      ['../secret.txt', 'bad-path'], ['/etc/passwd', 'bad-path'],
    ];
    for (const [rel, problem] of cases) {
      const r = await tree.read(rel);
      assert.equal(r.ok, false, rel);
      if (!r.ok) {
        assert.equal(r.problem, problem, `${rel}: ${r.message}`);
        assert.ok(r.message.startsWith(rel), r.message);
        assert.ok(!r.message.includes(SECRET));
      }
    }
  });

  test('sizes are capped: refused over the limit, or the first bytes with truncate', async () => {
    const refused = await tree.read('big.log', { maxBytes: 100 });
    assert.ok(!refused.ok && refused.problem === 'too-large');
    const cut = await tree.read('big.log', { maxBytes: 100, truncate: true });
    assert.ok(cut.ok && cut.truncated && cut.bytes.length === 100 && cut.size === 5000);
  });

  test('the git-object reader follows in-tree links, refuses links out, submodules and folders', async () => {
    const dir = path.join(s.dir, 'repo');
    repoWith(dir, [{ 'a.ts': 'a\n', 'sub/b.ts': 'b\n' }]);
    symlinkSync('a.ts', path.join(dir, 'in.ts'));
    symlinkSync('../../etc/passwd', path.join(dir, 'out.ts'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');
    const repo = await openRepository(dir);
    try {
      const t = gitTreeReader(repo.git, git(dir, 'rev-parse', 'HEAD^{tree}'));
      const a = await t.read('in.ts');
      assert.ok(a.ok && a.bytes.toString('utf8') === 'a\n');
      assert.equal((await t.read('out.ts')).ok ? 'read' : 'refused', 'refused');
      const folder = await t.read('sub');
      assert.ok(!folder.ok && folder.problem === 'not-a-file');
      const missing = await t.read('none.ts');
      assert.ok(!missing.ok && missing.problem === 'missing');
    } finally {
      await repo.dispose();
    }
  });
});

describe('listing a tree and reading many files at once', () => {
  const s = scratch('seb-tree-list-');
  after(() => s.done());
  const dir = path.join(s.dir, 'repo');
  writeFileSync(path.join(s.dir, 'secret.txt'), `${SECRET}\n`);
  // larger than one pipe chunk, so cat-file's output for it arrives in many pieces
  const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `line ${i}\n`).join(''), 'utf8');
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`many/f${String(i).padStart(2, '0')}.ts`, `export const v${i} = ${i};\n`]));
  repoWith(dir, [{ 'a.ts': 'a\n', 'sub/b.ts': 'b\n', 'empty.txt': '', ...many }]);
  write(dir, 'big.txt', big);
  symlinkSync('a.ts', path.join(dir, 'in.ts'));
  symlinkSync('in.ts', path.join(dir, 'chain.ts'));
  symlinkSync('../b.ts', path.join(dir, 'sub', 'up.ts')); // stays inside: sub/../b.ts is b.ts, which does not exist
  symlinkSync('../a.ts', path.join(dir, 'sub', 'parent.ts'));
  symlinkSync('../secret.txt', path.join(dir, 'out.ts'));
  symlinkSync(path.join(s.dir, 'secret.txt'), path.join(dir, 'abs.ts'));
  git(dir, 'add', '-A');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'update-index', '--add', '--cacheinfo', `160000,${head},vendor/mod`); // a submodule entry (a commit in the tree)
  git(dir, 'commit', '-q', '-m', 'links, a big file, a submodule');
  const treeId = git(dir, 'rev-parse', 'HEAD^{tree}');
  const probes = ['a.ts', 'in.ts', 'chain.ts', 'sub/up.ts', 'sub/parent.ts', 'out.ts', 'abs.ts', 'big.txt', 'empty.txt', 'vendor/mod',
    'sub', 'none.ts', '../secret.txt', 'sub/../a.ts', ...Object.keys(many)];
  const optionSets = [{}, { maxBytes: 100 }, { maxBytes: 100, truncate: true }];

  const withReaders = async (fn: (fresh: () => TreeReader) => Promise<void>) => {
    const repo = await openRepository(dir);
    try {
      await fn(() => gitTreeReader(repo.git, treeId));
    } finally {
      await repo.dispose();
    }
  };
  const count = async (fn: () => Promise<unknown>): Promise<string[]> => {
    const seen: string[] = [];
    const stop = observeGitInvocations(i => seen.push(i.args.find(a => !a.startsWith('-')) ?? ''));
    try {
      await fn();
    } finally {
      stop();
    }
    return seen;
  };
  const show = (r: TreeRead) => r.ok ? { ok: true, path: r.path, bytes: r.bytes.toString('base64'), size: r.size, truncated: r.truncated } : r;

  test('the git reader lists files, links (in and out of the tree) and submodules with sizes and blob ids, in one git process', async () => {
    await withReaders(async fresh => {
      const t = fresh();
      let entries: TreeEntry[] = [];
      assert.deepEqual(await count(async () => { entries = await t.list(); await t.list(); }), ['ls-tree']);
      const by = new Map(entries.map(e => [e.path, e]));
      assert.deepEqual(by.get('a.ts'), { path: 'a.ts', size: 2, kind: 'file', id: git(dir, 'rev-parse', 'HEAD:a.ts') });
      assert.equal(by.get('big.txt')?.size, big.length);
      assert.deepEqual([by.get('in.ts')?.kind, by.get('in.ts')?.size], ['link', 'a.ts'.length]);
      assert.equal(by.get('out.ts')?.kind, 'link');
      assert.deepEqual(by.get('vendor/mod'), { path: 'vendor/mod', size: 0, kind: 'submodule', id: head });
      assert.equal(by.has('sub'), false, 'folders are not entries');
      const paths = entries.map(e => e.path);
      assert.deepEqual(paths, [...paths].sort(), 'sorted by path');
      assert.equal(entries.length, 4 + 40 + 6 + 1);
    });
  });

  test('readMany gives exactly what read() gives for every path, in the order asked, and never what a link out of the tree points at', async () => {
    await withReaders(async fresh => {
      for (const options of optionSets) {
        const one: ReturnType<typeof show>[] = [];
        for (const rel of probes) one.push(show(await fresh().read(rel, options))); // a fresh reader: one ls-tree per file
        const order = [...probes].reverse().concat(probes.slice(0, 3)); // reversed, with repeats
        const batch = (await fresh().readMany(order, options)).map(show);
        assert.deepEqual(batch, order.map(rel => one[probes.indexOf(rel)]), JSON.stringify(options));
        assert.ok(!JSON.stringify(batch).includes(SECRET) && !JSON.stringify(batch).includes(Buffer.from(SECRET).toString('base64')));
      }
      const r = await fresh().readMany(['big.txt', 'out.ts', 'abs.ts', 'chain.ts', 'vendor/mod', 'sub', 'none.ts', '../secret.txt']);
      assert.ok(r[0]?.ok && r[0].bytes.equals(big), 'a big file comes back whole');
      assert.deepEqual(r.slice(1).map(x => x.ok ? 'ok' : x.problem), ['outside', 'outside', 'ok', 'not-a-file', 'not-a-file', 'missing', 'bad-path']);
      const cut = (await fresh().readMany(['big.txt'], { maxBytes: 1000, truncate: true }))[0];
      assert.ok(cut?.ok && cut.truncated && cut.size === big.length && cut.bytes.equals(big.subarray(0, 1000)));
    });
  });

  test('readMany of many files runs a fixed number of git processes, and read() after list() runs no ls-tree', async () => {
    await withReaders(async fresh => {
      const files = Object.keys(many);
      const five = await count(() => fresh().readMany(files.slice(0, 5)));
      const forty = await count(() => fresh().readMany(files));
      assert.deepEqual(five, ['ls-tree', 'cat-file']);
      assert.deepEqual(forty, five);
      // links need one more batch (for every link target at once), whatever the number of links
      assert.deepEqual(await count(() => fresh().readMany([...files, 'in.ts', 'chain.ts', 'sub/parent.ts', 'out.ts'])), ['ls-tree', 'cat-file', 'cat-file']);
      const t = fresh();
      await t.list();
      assert.deepEqual(await count(() => t.read('a.ts')), ['cat-file']);
      assert.deepEqual(await count(() => t.read('none.ts')), []);
    });
  });

  test('the working-tree reader lists the folder as git would (links not followed, .git left out) and readMany equals read()', async () => {
    const t = workingTreeReader(dir);
    const listed = await t.list();
    assert.ok(!listed.some(e => e.path === '.git' || e.path.startsWith('.git/')));
    assert.ok(listed.every(e => e.id === undefined));
    await withReaders(async fresh => {
      const fromGit = (await fresh().list()).filter(e => e.kind !== 'submodule').map(({ id: _id, ...e }) => e);
      assert.deepEqual(listed, fromGit);
    });
    for (const options of optionSets) {
      const one: ReturnType<typeof show>[] = [];
      for (const rel of probes) one.push(show(await t.read(rel, options)));
      assert.deepEqual((await t.readMany(probes, options)).map(show), one);
    }
    const r = await t.readMany(['out.ts', 'abs.ts', 'in.ts']);
    assert.deepEqual(r.map(x => x.ok ? 'ok' : x.problem), ['outside', 'outside', 'ok']);
    assert.ok(!JSON.stringify(r.map(show)).includes(Buffer.from(SECRET).toString('base64')));
  });
});

describe('files a manifest names', () => {
  const s = scratch('seb-manifest-files-');
  after(() => s.done());

  test('a seb-run.json linked to a file outside the run is refused, naming the file, without echoing its content', async () => {
    const dir = path.join(s.dir, 'linked');
    repoWith(dir, [{ 'a.ts': '1\n' }]);
    const secret = path.join(s.dir, 'environ');
    writeFileSync(secret, `PATH=/usr/bin\0${SECRET}=1\0`);
    symlinkSync(secret, path.join(dir, 'seb-run.json'));
    await assert.rejects(readManifest(dir), (e: unknown) => {
      assert.ok(isSebError(e, 'bad-manifest'));
      assert.match(e.message, /seb-run\.json cannot be read: seb-run\.json in the run is a link that leaves the tree/);
      assert.ok(!e.message.includes(SECRET));
      return true;
    });
  });

  test('a manifest that is not JSON says where, never what it holds', async () => {
    const dir = path.join(s.dir, 'not-json');
    repoWith(dir, [{ 'a.ts': '1\n' }]);
    writeFileSync(path.join(dir, 'seb-run.json'), `${SECRET} = definitely not json\n`);
    await assert.rejects(resolveRun(dir), (e: unknown) => {
      assert.ok(isSebError(e, 'bad-manifest'));
      assert.match(e.message, /seb-run\.json: field "\(root\)" is not valid JSON: \w+ at line 1, column 1/);
      assert.ok(!e.message.includes(SECRET) && !e.message.includes('definitely'), e.message);
      return true;
    });
  });

  test('the manifest\'s rubric is a path inside the run (or a packaged rubric\'s name): absolute and ".." paths are refused', () => {
    for (const rubric of ['/etc/passwd', '../other.rubric.json', 'a/../../x.rubric.json', 'C:/x.rubric.json']) {
      const r = checkManifest(JSON.stringify({ runId: 'r', rubric }));
      assert.ok(!r.ok && r.problems.some(p => p.field === 'rubric'), rubric);
    }
    for (const rubric of ['rubrics/mine.rubric.json', 'seb-v1.0.rubric.json']) assert.ok(checkManifest(JSON.stringify({ runId: 'r', rubric })).ok, rubric);
  });

  test('Run Details and the language server show a plan linked out of the tree as refused, and a FIFO log does not hang them', { timeout: 60_000 }, async () => {
    const dir = path.join(s.dir, 'details');
    repoWith(dir, [{ 'a.ts': 'export function apply() {}\n' }]);
    const secret = path.join(s.dir, 'plan-secret.md');
    writeFileSync(secret, SECRET);
    symlinkSync(secret, path.join(dir, 'plan.md'));
    execFileSync('mkfifo', [path.join(dir, 'test.log')]);
    symlinkSync('/dev/zero', path.join(dir, 'zero.log'));
    const manifest = { runId: 'details', plan: 'plan.md', testLogs: ['test.log', 'zero.log'], authority: [{ path: 'a.ts', symbol: 'apply' }] };
    writeFileSync(path.join(dir, 'seb-run.json'), JSON.stringify(manifest));
    const details = await runDetailsModel(await resolveRun(dir));
    assert.match(details.plan?.problem ?? '', /link that leaves the tree/);
    assert.equal(details.plan?.text, undefined);
    assert.match(details.testLogs[0]?.problem ?? '', /not a regular file/);
    assert.match(details.testLogs[1]?.problem ?? '', /link that leaves the tree/);
    assert.ok(!JSON.stringify(details).includes(SECRET));

    const found = await manifestDiagnostics(JSON.stringify(manifest), workingTreeReader(dir));
    assert.deepEqual(found.map(d => `${d.field}: ${d.message}`), [
      'plan: plan: plan.md in the run is a link that leaves the tree (not followed)',
      'testLogs[0]: testLogs[0]: test.log in the run is not a regular file',
      'testLogs[1]: testLogs[1]: zero.log in the run is a link that leaves the tree (not followed)',
    ]);
  });
});
