// One bundler for every runtime. Usage: node scripts/build.mjs [--production] [--tests] [--watch]
//   dist/extension.js  extension host (cjs, `vscode` external): the shell activate() runs; dist/extension-features.js the rest, loaded on first need
//   dist/server.js     language server (cjs, Node)
//   dist/cli.js        `seb-review` command line (cjs, Node, shebang): the dispatcher; dist/cli-<module>.js each command
//                      group (analyze, evidence, verify, run-commands, signing-commands, grading-commands), loaded on use
//   dist/webview/*.js  webview scripts (iife, browser), one per src/webview/<name>/main.ts
//   out/test/**        with --tests: unit, integration, UI and harness code
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, existsSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const withTests = args.has('--tests');
const watch = args.has('--watch');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const r = (...p) => path.join(root, ...p);

const node = { bundle: true, mainFields: ['module', 'main'], platform: 'node', target: 'node20', format: 'cjs', sourcemap: production ? false : 'linked',
  minify: production, logLevel: 'warning', legalComments: 'none' };
const entries = (dir, re) => existsSync(r(dir)) ? readdirSync(r(dir)).filter(f => re.test(f)).map(f => r(dir, f)) : [];
// Unit tests may sit in sub-folders (test/unit/authority/); their bundles keep the folder under out/test/unit.
const deepEntries = (dir, re) => existsSync(r(dir)) ? readdirSync(r(dir), { recursive: true }).filter(f => re.test(f)).sort().map(f => r(dir, f)) : [];

// The command line's lazily loaded modules (src/cli/<module>.ts -> dist/cli-<module>.js), each with the module that
// imports it: main.ts every command group; attestation-io.ts what opens a run with git, for --run only.
const LAZY_CLI = { 'main.ts': ['analyze', 'evidence', 'verify', 'run-commands', 'signing-commands', 'grading-commands'], 'attestation-io.ts': ['run-trees'] };
const LAZY_CLI_MODULES = Object.values(LAZY_CLI).flat();
// Each lazy import becomes a require of dist/cli-<module>.js, built on its own, so a command loads only its own code
// (the analysis, with TypeScript's parser, is most of the code; zod, git and the statistics are the rest); and a plain
// require: a real import() would take it through Node's ES module loader, which first scans the whole chunk for its
// exports (cjs-module-lexer: longer than running verify itself, measured with --cpu-prof).
const lazyCli = { supported: { 'dynamic-import': false }, plugins: [{ name: 'lazy-cli', setup(b) {
  b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, a => {
    const name = a.path.slice(2, -3);
    const importer = Object.keys(LAZY_CLI).find(f => a.importer.endsWith(path.join('src', 'cli', f)));
    return importer !== undefined && LAZY_CLI[importer].includes(name) ? { path: `./cli-${name}.js`, external: true } : undefined;
  });
} }] };

const configs = [
  { ...node, entryPoints: [r('src/extension/extension.ts')], outfile: r('dist/extension.js'), external: ['vscode'],
    // lets activate() report how long the bundle took to evaluate (bench/activation)
    banner: { js: 'globalThis.__sebReviewLoadStart = performance.now();' },
    // the shell: everything else is in dist/extension-features.js, which extension.ts imports lazily; here that import
    // becomes a require of the sibling file (not a Node import(): the extension host hooks require), built on its own below
    supported: { 'dynamic-import': false },
    plugins: [{ name: 'lazy-features', setup(b) {
      b.onResolve({ filter: /^\.\/features(\.js)?$/ }, a => (a.importer.endsWith(path.join('src', 'extension', 'extension.ts')) ? { path: './extension-features.js', external: true } : undefined));
    } }] },
  { ...node, entryPoints: [r('src/extension/features.ts')], outfile: r('dist/extension-features.js'), external: ['vscode'] },
  { ...node, entryPoints: [r('src/server/server.ts')], outfile: r('dist/server.js') },
  { ...node, ...lazyCli, entryPoints: [r('src/cli/bin.ts')], outfile: r('dist/cli.js'), banner: { js: '#!/usr/bin/env node' } },
  ...LAZY_CLI_MODULES.map(m => ({ ...node, ...lazyCli, entryPoints: [r('src/cli', `${m}.ts`)], outfile: r('dist', `cli-${m}.js`) })),
  // one bundle per page: src/webview/<name>/main.ts -> dist/webview/<name>.js
  { ...node, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: Object.fromEntries(
    readdirSync(r('src/webview'), { withFileTypes: true }).filter(d => d.isDirectory() && existsSync(r('src/webview', d.name, 'main.ts')))
      .map(d => [d.name, r('src/webview', d.name, 'main.ts')])),
    outdir: r('dist/webview') },
];
if (withTests) {
  configs.push(
    { ...node, sourcemap: 'inline', entryPoints: deepEntries('test/unit', /\.test\.ts$/), outbase: r('test/unit'), outdir: r('out/test/unit'),
      external: ['vscode'] },
    { ...node, sourcemap: 'inline', entryPoints: entries('test/integration', /\.ts$/), outdir: r('out/test/integration'),
      external: ['vscode', 'mocha'] },
    { ...node, sourcemap: 'inline', entryPoints: [...entries('test/harness', /\.ts$/), ...entries('test/ui', /\.ts$/)],
      outbase: r('test'), outdir: r('out/test'), external: ['playwright-core', '@vscode/test-electron'] },
    { ...node, sourcemap: 'inline', entryPoints: entries('bench', /\.ts$/), outdir: r('out/bench'), external: ['playwright-core'] },
    { ...node, sourcemap: 'inline', entryPoints: entries('test/desktop', /\.ts$/), outdir: r('out/test/desktop'),
      external: ['@vscode/test-electron', 'mocha'] },
  );
}

if (!watch) {
  rmSync(r('dist'), { recursive: true, force: true });
  if (withTests) for (const d of ['out/test', 'out/bench']) rmSync(r(d), { recursive: true, force: true });
}
if (watch) {
  for (const c of configs) { const ctx = await esbuild.context(c); await ctx.watch(); }
  console.log('[build] watching');
} else {
  await Promise.all(configs.filter(c => (c.entryPoints.length ?? Object.keys(c.entryPoints).length) > 0).map(c => esbuild.build(c)));
}
// Library files the pages link from dist/webview: diff2html's style sheet (the Diff Overview links it before
// media/overview.css, which restyles it) and the codicon font with its style sheet (which loads ./codicon.ttf).
mkdirSync(r('dist/webview'), { recursive: true });
for (const [from, to] of [
  ['diff2html/bundles/css/diff2html.min.css', 'diff2html.css'],
  ['@vscode/codicons/dist/codicon.css', 'codicon.css'],
  ['@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
]) copyFileSync(r('node_modules', from), r('dist/webview', to));

// JSON Schemas for the editor (package.json jsonValidation), generated from the zod schemas in src/core:
// dist/schemas/<name>.schema.json. src/core/json-schemas.ts is bundled to a scratch file and run once.
{
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { createRequire } = await import('node:module');
  const scratch = mkdtempSync(path.join(tmpdir(), 'seb-schemas-'));
  try {
    const outfile = path.join(scratch, 'json-schemas.cjs');
    await esbuild.build({ ...node, sourcemap: false, minify: false, entryPoints: [r('src/core/json-schemas.ts')], outfile });
    const schemas = createRequire(import.meta.url)(outfile).jsonSchemas();
    mkdirSync(r('dist/schemas'), { recursive: true });
    for (const [name, schema] of Object.entries(schemas)) {
      writeFileSync(r('dist/schemas', `${name}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
