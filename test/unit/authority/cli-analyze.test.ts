import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AnalysisSchema } from '../../../src/core/authority/analysis';
import { git, repoWith, scratch } from '../helpers';
import { cli } from '../cli-run';

/** `seb-review analyze` through main(): usage, argument errors and where --sarif may be written (exit codes). */
describe('seb-review analyze: arguments and exit codes', () => {
  const s = scratch('seb-analyze-cli-');
  after(() => s.done());
  process.env['SEB_REVIEW_CACHE_DIR'] = path.join(s.dir, 'cache');
  const f = (...p: string[]) => path.join(s.dir, ...p);
  const run = f('run');
  const frozen = f('frozen');
  let status = '';

  before(() => {
    repoWith(run, [{ 'server/a.ts': 'export const a = 1;\n' }, { 'server/a.ts': 'export const a = 2;\n' }]);
    repoWith(frozen, [{ 'server/a.ts': 'export const a = 1;\n' }]);
    mkdirSync(f('out'));
    symlinkSync(run, f('link-to-run'));
    status = git(run, 'status', '--porcelain', '--ignored');
  });

  test('--help and -h: the analyze usage only, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await cli('analyze', flag);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.ok(r.out.includes('seb-review analyze <run> [--baseline REF|DIR] [--rules FILE]... [--authority NAME]... [--json] [--sarif FILE]'), r.out);
      assert.ok(!r.out.includes('seb-review diff <run>'), 'only its own usage');
    }
    const all = await cli('--help');
    assert.ok(all.out.includes('seb-review analyze <run>'), 'listed in the whole usage');
  });

  test('an unknown option, a missing run, a malformed --authority: exit 2 with the analyze usage', async () => {
    const unknown = await cli('analyze', run, '--frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^seb-review: .*--frobnicate/m);
    assert.ok(unknown.err.includes('seb-review analyze <run>'), unknown.err);
    assert.equal(unknown.out, '');
    const none = await cli('analyze', '--json');
    assert.equal(none.code, 2);
    assert.match(none.err, /analyze needs a run folder or a seb-run\.json/);
    const bad = await cli('analyze', run, '--authority', 'x.ts#');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--authority x\.ts#: expected a function name/);
  });

  test('not a repository: exit 2, naming the folder', async () => {
    const r = await cli('analyze', f('out'));
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(f('out')), r.err);
  });

  test('--sarif inside the run, inside the baseline checkout, or into the run through a link: refused, exit 2, nothing written', async () => {
    const cases: [string, RegExp][] = [
      [path.join(run, 'findings.sarif'), /findings\.sarif is inside the run's tree .*write it outside \(--sarif FILE\)/],
      [path.join(run, 'sub', '..', 'x.sarif'), /x\.sarif is inside the run's tree/],
      [path.join(frozen, 'x.sarif'), /x\.sarif is inside the baseline's tree/],
      [f('link-to-run', 'y.sarif'), /y\.sarif is inside the run's tree/],
    ];
    for (const [file, message] of cases) {
      const r = await cli('analyze', run, '--baseline', frozen, '--sarif', file);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(existsSync(file), false);
    }
    assert.equal(git(run, 'status', '--porcelain', '--ignored'), status, 'nothing was written into the run');
  });

  /** A small Express app: one route writes through saveDocument, the other straight to document_events. */
  const DB = [
    "import Database from 'better-sqlite3';",
    "export const db = new Database('x.db');",
    'export function saveDocument(slug: string, body: string) {',
    "  db.prepare('UPDATE documents SET body = ? WHERE slug = ?').run(body, slug);",
    '}',
    'export function logEvent(slug: string) {',
    "  db.prepare('INSERT INTO document_events (slug) VALUES (?)').run(slug);",
    '}',
    '',
  ].join('\n');
  const INDEX = [
    "import express from 'express';",
    "import { saveDocument, logEvent } from './db';",
    'const app = express();',
    "app.put('/api/documents/:slug', (req, res) => { saveDocument(req.params.slug, req.body); res.end(); });",
    "app.post('/api/documents/:slug/events', (req, res) => { logEvent(req.params.slug); res.end(); });",
    'app.listen(3000);',
    '',
  ].join('\n');

  test('exit 1 when a reachable route writes without the declared authority, 0 when none does; --json is the analysis; --sarif outside is written', async () => {
    const app = f('app');
    repoWith(app, [{ 'server/db.ts': DB, 'server/index.ts': INDEX }, { 'server/db.ts': DB, 'server/index.ts': INDEX.replace('app.listen', '// listening\napp.listen') }]);
    const before = git(app, 'status', '--porcelain', '--ignored');
    const sarif = f('out', 'app.sarif');
    const r = await cli('analyze', app, '--authority', 'server/db.ts#saveDocument', '--json', '--sarif', sarif);
    assert.equal(r.code, 1, r.err);
    const analysis = AnalysisSchema.parse(JSON.parse(r.out));
    assert.deepEqual(analysis.authority, ['server/db.ts#saveDocument']);
    assert.deepEqual(analysis.fates.map(x => x.fate), ['kept', 'kept']);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    assert.equal(log.version, '2.1.0');
    const bypass = log.runs[0]?.results.find(x => x.ruleId === 'authority-bypass');
    assert.deepEqual([bypass?.locations[0]?.physicalLocation.artifactLocation.uri, bypass?.locations[0]?.physicalLocation.region.startLine], ['server/index.ts', 5]);
    assert.equal(git(app, 'status', '--porcelain', '--ignored'), before, 'nothing was written into the run');

    const text = await cli('analyze', app, '--authority', 'server/db.ts#saveDocument');
    assert.equal(text.code, 1, text.err);
    assert.match(text.out, /^Bypasses of the declared authority \(1 entry point\)$/m);
    assert.match(text.out, /^ +server\/db\.ts:6 logEvent$/m, 'the witness path, one line per step');
    const both = await cli('analyze', app, '--authority', 'saveDocument', '--authority', 'server/db.ts#logEvent');
    assert.equal(both.code, 0, both.err);
    assert.match(both.out, /^Bypasses of the declared authority: none$/m);
  });

  test('finished results are cached by content outside the run: the same answer again, a broken cache file replaced, --no-cache writes none', async () => {
    const app = f('cached');
    repoWith(app, [{ 'server/db.ts': DB, 'server/index.ts': INDEX }]);
    const cache = f('cache-test');
    process.env['SEB_REVIEW_CACHE_DIR'] = cache;
    try {
      const first = await cli('analyze', app, '--json');
      const files = readdirSync(cache).filter(x => x.endsWith('.json'));
      assert.equal(files.length, 1, 'one result stored');
      const second = await cli('analyze', app, '--json');
      assert.equal(second.out, first.out);
      writeFileSync(path.join(cache, files[0] ?? ''), '{"format": "seb-review/analysis@1"');
      const third = await cli('analyze', app, '--json');
      assert.equal(third.out, first.out, 'a broken cache file is not used');
      const stored = JSON.parse(readFileSync(path.join(cache, files[0] ?? ''), 'utf8')) as { key: string; analysis: unknown };
      assert.equal(`${stored.key}.json`, files[0], 'the file says which question it answers');
      AnalysisSchema.parse(stored.analysis);
      const other = await cli('analyze', app, '--json', '--authority', 'saveDocument');
      assert.notEqual(other.out, first.out, 'another declared authority is another result');
      const both = readdirSync(cache).filter(x => x.endsWith('.json'));
      assert.equal(both.length, 2);
      // another result copied under this one's name is not taken for it
      const mine = path.join(cache, files[0] ?? '');
      const theirs = path.join(cache, both.find(x => x !== files[0]) ?? '');
      writeFileSync(mine, readFileSync(theirs));
      assert.equal((await cli('analyze', app, '--json')).out, first.out, 'a result stored for another key is not used');
      // a FIFO where the result should be is a miss, not a hang
      rmSync(mine);
      execFileSync('mkfifo', [mine]);
      assert.equal((await cli('analyze', app, '--json')).out, first.out);

      process.env['SEB_REVIEW_CACHE_DIR'] = f('cache-none');
      await cli('analyze', app, '--json', '--no-cache');
      assert.equal(existsSync(f('cache-none')), false, '--no-cache stores nothing');

      const before = git(app, 'status', '--porcelain', '--ignored');
      const gitBefore = readdirSync(path.join(app, '.git')).sort();
      // inside the run: directly, through a folder named "..cache", through a link into its .git
      symlinkSync(path.join(app, '.git'), f('link-to-git'));
      for (const dir of [path.join(app, '.cache-inside'), path.join(app, '..cache'), f('link-to-git', 'cache')]) {
        process.env['SEB_REVIEW_CACHE_DIR'] = dir;
        const inside = await cli('analyze', app, '--json');
        assert.equal(inside.out, first.out);
        assert.equal(existsSync(dir), false, `a cache folder inside the run is not used: ${dir}`);
      }
      assert.equal(git(app, 'status', '--porcelain', '--ignored'), before);
      assert.deepEqual(readdirSync(path.join(app, '.git')).sort(), gitBefore);
    } finally {
      process.env['SEB_REVIEW_CACHE_DIR'] = path.join(s.dir, 'cache');
    }
  });
});
