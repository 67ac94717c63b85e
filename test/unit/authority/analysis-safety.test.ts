import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { AnalysisSchema, type Analysis } from '../../../src/core/authority/analysis';
import { git, repoWith, scratch, write } from '../helpers';
import { snapshotDiff, snapshotTree } from '../../harness/tree-snapshot';

/**
 * The analysis reads reviewed trees as data: a hostile repository's configured programs never run, nothing is written
 * into the run, and a link that leaves the tree is reported, never followed. Run through the packaged command line
 * (dist/cli.js, which loads dist/cli-analyze.js for this command only).
 */

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function analyze(dir: string, ...extra: string[]): { code: number; analysis: Analysis | undefined; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', dir, '--json', '--no-cache', ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let analysis: Analysis | undefined;
  if (r.stdout.trim() !== '') analysis = AnalysisSchema.parse(JSON.parse(r.stdout));
  return { code: r.status ?? -1, analysis, err: r.stderr };
}

interface Hostile { dir: string }
const hostile = async () => (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-hostile.mjs')).href)) as {
  buildHostileRepo(dir: string, marker: string): Promise<Hostile>;
};

describe('analysing a hostile repository', () => {
  const s = scratch('seb-analysis-hostile-');
  const marker = path.join(s.dir, 'marker');
  let repo: Hostile;
  before(async () => {
    repo = await (await hostile()).buildHostileRepo(path.join(s.dir, 'repo'), marker);
  });
  after(() => s.done());

  test('runs none of its configured programs and leaves the run (its .git included) unchanged', () => {
    rmSync(marker, { force: true });
    const before = snapshotTree(repo.dir);
    const r = analyze(repo.dir);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    assert.ok(r.analysis, 'an analysis was printed');
    assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '', '', 'a program the repository configures ran');
    assert.deepEqual(snapshotDiff(before, snapshotTree(repo.dir)), [], 'the run folder changed');
  });
});

describe('links that leave the tree', () => {
  const s = scratch('seb-analysis-links-');
  const outside = path.join(s.dir, 'outside');
  const run = path.join(s.dir, 'run');
  const secretRoute = "import express from 'express';\nconst app = express();\napp.post('/secret-route', () => {});\n";
  let result: ReturnType<typeof analyze>;
  before(() => {
    write(outside, 'secret.ts', secretRoute);
    repoWith(run, [{
      'server/index.ts': "import express from 'express';\nimport { helper } from './inside';\nconst app = express();\napp.post('/api/ok', (req, res) => helper());\n",
      'server/real.ts': "export function helper() { return 1; }\n",
    }]);
    // committed: a link inside the tree and one out of it (the baseline is read from git objects)
    symlinkSync('real.ts', path.join(run, 'server', 'inside.ts'));
    symlinkSync(path.join(outside, 'secret.ts'), path.join(run, 'server', 'escape.ts'));
    git(run, 'add', '-A');
    git(run, 'commit', '-q', '-m', 'links');
    // uncommitted, in the working tree (the run is snapshotted): another link out, relative this time
    symlinkSync('../../outside/secret.ts', path.join(run, 'server', 'escape2.ts'));
    result = analyze(run, '--baseline', 'HEAD');
  });
  after(() => s.done());

  test('are listed as skipped with the reason, in both trees, and what they point at is never read', () => {
    assert.ok(result.analysis, `exit ${result.code}: ${result.err}`);
    const a = result.analysis;
    const skipped = (side: Analysis['run']) => Object.fromEntries(side.skipped.map(x => [x.file, x.reason]));
    assert.match(skipped(a.baseline)['server/escape.ts'] ?? '', /leaves the tree/);
    assert.match(skipped(a.run)['server/escape.ts'] ?? '', /leaves the tree/);
    assert.match(skipped(a.run)['server/escape2.ts'] ?? '', /leaves the tree/);
    for (const side of [a.baseline, a.run]) {
      assert.ok(!side.entryPoints.some(e => e.paths.includes('/secret-route') || e.path === '/secret-route'), 'the file outside was read');
      assert.ok(side.entryPoints.some(e => e.method === 'POST' && e.paths.includes('/api/ok')), 'the route inside is found');
    }
  });
});

describe('the packaged command line', () => {
  test('errors from the separately loaded analyze are told plainly (exit 2), never as an unexpected error', () => {
    const s = scratch('seb-analysis-errors-');
    try {
      for (const [args, message] of [
        [['analyze', path.join(s.dir, 'nothing-here')], /^seb-review: .*nothing-here/m],
        [['analyze', s.dir, '--frobnicate'], /^seb-review: Unknown option '--frobnicate'/m],
        [['analyze', s.dir, '--rules', path.join(s.dir, 'missing.json')], /^seb-review: /m],
      ] as const) {
        const r = spawnSync(process.execPath, [CLI, ...args, '--no-cache'], { encoding: 'utf8' });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, `${args.join(' ')}: ${r.stderr}`);
      }
    } finally {
      s.done();
    }
  });

  test('keeps the analysis out of its start-up: dist/cli.js is small, the analysis is in dist/cli-analyze.js', () => {
    assert.ok(statSync(CLI).size < 4 * 1024 * 1024, `dist/cli.js is ${statSync(CLI).size} bytes: the analysis (TypeScript's parser) was bundled into it`);
    assert.ok(statSync(path.join(ROOT, 'dist', 'cli-analyze.js')).size > statSync(CLI).size);
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!dist\/cli-analyze\.js$/m, 'the .vsix ships it');
  });
});

describe('the command line as the .vsix ships it', () => {
  const s = scratch('seb-analysis-vsix-');
  after(() => s.done());

  test('out/seb-review.vsix (built by npm test before the tiers) analyses the demo run: production bundle, packaged rule packs', async () => {
    const vsix = path.join(ROOT, 'out', 'seb-review.vsix');
    assert.ok(existsSync(vsix), `${vsix} is missing: npm run package builds it`);
    const zip = await JSZip.loadAsync(readFileSync(vsix));
    const root = path.join(s.dir, 'extension');
    let packs = 0;
    for (const [name, entry] of Object.entries(zip.files)) {
      if (entry.dir || !name.startsWith('extension/') || !/^extension\/(?:package\.json$|dist\/|rubric\/)/.test(name)) continue;
      write(s.dir, name, await entry.async('nodebuffer'));
      if (name.startsWith('extension/rubric/authority/')) packs++;
    }
    assert.ok(packs >= 10, `the .vsix holds the rule packs (${packs})`);
    const demo = (await (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-demo-run.mjs')).href) as {
      buildDemoRun(dir: string): Promise<{ dir: string }>;
    }).buildDemoRun(path.join(s.dir, 'demo'))).dir;
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'analyze', demo, '--json', '--no-cache'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 1, `exit 1: the demo run bypasses its authority (${r.stderr})`);
    const a = AnalysisSchema.parse(JSON.parse(r.stdout));
    const imported = a.run.entryPoints.find(e => e.method === 'POST' && e.paths.includes('/api/documents/:id/import'));
    assert.equal(imported?.viaAuthority, false);
    assert.ok(a.analyzer?.packs.some(p => p.id === 'express'));
  });
});
