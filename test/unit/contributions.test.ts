import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Commands, ContextKeys, Settings, Views } from '../../src/extension/ids';

interface Manifest {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string } };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; title: string }> };
    viewsWelcome: Array<{ view: string; contents: string; when: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    configuration: { properties: Record<string, { markdownDescription?: string }> };
  };
}
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

test('package.json commands and the ids in code are the same set, each with a category', () => {
  assert.deepEqual(pkg.contributes.commands.map(c => c.command).sort(), Object.values(Commands).sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'SEB Review', c.command);
});

test('menus name only declared commands; context keys in when-clauses are declared', () => {
  const ids = new Set<string>(Object.values(Commands));
  for (const entries of Object.values(pkg.contributes.menus)) for (const e of entries) assert.ok(ids.has(e.command), e.command);
  const keys = new Set<string>(Object.values(ContextKeys));
  const used = JSON.stringify(pkg.contributes).match(/sebReview\.[A-Za-z]+Open\b/g) ?? [];
  for (const k of used) assert.ok(keys.has(k), k);
});

test('views and the container match the ids; the welcome view offers Open Run…', () => {
  assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map(c => [c.id, c.title]), [[Views.container, 'SEB Review']]);
  assert.deepEqual(pkg.contributes.views[Views.container]?.map(v => v.id), [Views.run, Views.changes, Views.authority, Views.rubric]);
  const welcome = pkg.contributes.viewsWelcome.find(w => w.view === Views.run);
  assert.ok(welcome?.contents.includes(`(command:${Commands.openRun})`));
});

test('settings are declared with markdown descriptions', () => {
  for (const key of [Settings.openRunOnStartup, Settings.gitPath, Settings.draftsFolder, Settings.graderName, Settings.worksheetsFolder, Settings.allowedSignersFile, Settings.signatureThreshold]) {
    assert.ok(pkg.contributes.configuration.properties[`${Settings.section}.${key}`]?.markdownDescription, key);
  }
});

test('activation: only on our commands and views (implicit) or a workspace holding seb-run.json', () => {
  assert.deepEqual(pkg.activationEvents, ['workspaceContains:seb-run.json']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('engines.vscode is not newer than code-server 4.139 (VS Code 1.139) and matches @types/vscode', () => {
  const engine = /^\^(\d+)\.(\d+)\.\d+$/.exec(pkg.engines.vscode);
  assert.ok(engine, pkg.engines.vscode);
  assert.ok(Number(engine[1]) === 1 && Number(engine[2]) <= 139);
  assert.equal(pkg.devDependencies['@types/vscode'], pkg.engines.vscode.slice(1));
});
