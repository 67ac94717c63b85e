import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, DEMO, EXTENSION_ID, gitFixture } from './helpers';
import { waitFor } from '../harness/wait';
import { runItems } from '../../src/extension/run-view';

suite('activation and the Run view', () => {
  test('the workspace holds seb-run.json, so the extension activated and opened the demo run', async () => {
    const a = await api();
    const run = await a.startup;
    assert.ok(run, 'the run was opened at start-up');
    assert.equal(run.runId, 'demo-authority-rewrite');
    assert.equal(run.root, DEMO);
    assert.equal(run.baseline.commit, gitFixture(DEMO, 'rev-parse', 'seb-baseline^{commit}'));
    assert.deepEqual(run.baseline.source, { kind: 'manifest-ref', ref: 'seb-baseline' });
    assert.equal(run.head.commit, gitFixture(DEMO, 'rev-parse', 'HEAD'));
    assert.equal(run.head.source.kind, 'working-tree');
  });

  test('every command in package.json is registered, and every sebReview command registered is in package.json', async () => {
    await api();
    const declared = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string }> } })
      .contributes.commands.map(c => c.command).sort();
    // VS Code adds view commands such as sebReview.changes.focus; ours have no second dot
    const registered = (await vscode.commands.getCommands(true)).filter(c => /^sebReview\.[A-Za-z]+$/.test(c)).sort();
    assert.deepEqual(registered, declared);
  });

  test('the Run view rows name the run, the baseline commit and where it came from', async () => {
    const run = (await api()).session.current;
    assert.ok(run);
    const rows = runItems(run);
    assert.equal(rows[0]?.label, 'demo-authority-rewrite');
    const baseline = rows.find(r => r.id === 'baseline');
    assert.equal(baseline?.label, `Baseline ${run.baseline.commit.slice(0, 8)}`);
    assert.equal(baseline?.description, 'seb-baseline (seb-run.json)');
    assert.ok(rows.some(r => r.id === 'plan' && r.description === 'docs/AUTHORITY_PLAN.md'));
  });

  test('Show Run Details opens a webview editor titled with the run id', async () => {
    await vscode.commands.executeCommand('sebReview.showRunDetails');
    const tab = await waitFor('a webview tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputWebview ? t : undefined;
    });
    assert.equal(tab.label, 'Run Details: demo-authority-rewrite');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
