import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository root (tests run from out/test/unit). */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const read = (name: string) => readFileSync(path.join(DIST, name), 'utf8');
/** Text only git code holds: the environment every git command gets (src/git/hardening.ts). */
const GIT_CODE = 'GIT_ALTERNATE_OBJECT_DIRECTORIES';

describe('the packaged command line loads per command (dist/, built by npm test)', () => {
  test('dist/cli.js is the dispatcher: no zod, no git, no statistics; each command group is required from its own file', () => {
    const cli = read('cli.js');
    assert.ok(cli.length < 64 * 1024, `dist/cli.js is ${cli.length} bytes`);
    assert.ok(!cli.includes(GIT_CODE), 'git code in dist/cli.js');
    for (const chunk of ['cli-verify.js', 'cli-run-commands.js', 'cli-signing-commands.js', 'cli-grading-commands.js', 'cli-analyze.js', 'cli-evidence.js']) {
      assert.ok(cli.includes(`require("./${chunk}")`), `dist/cli.js requires ./${chunk} (a plain require, not import())`);
    }
  });

  test('verify and sign hold no git code: the run is opened from dist/cli-run-trees.js, for --run only', () => {
    for (const chunk of ['cli-verify.js', 'cli-signing-commands.js']) {
      const text = read(chunk);
      assert.ok(!text.includes(GIT_CODE), `git code in dist/${chunk}`);
      assert.ok(text.includes('require("./cli-run-trees.js")'), `dist/${chunk} requires ./cli-run-trees.js`);
    }
    assert.ok(read('cli-run-trees.js').includes(GIT_CODE));
  });

  test('the .vsix ships every file of the command line', () => {
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    const chunks = readdirSync(DIST).filter(f => /^cli(-[a-z-]+)?\.js$/.test(f));
    assert.ok(chunks.length >= 8, chunks.join(', '));
    for (const f of chunks) assert.match(ignore, new RegExp(`^!dist/${f.replace(/\./g, '\\.')}$`, 'm'), `.vscodeignore leaves out dist/${f}`);
  });
});
