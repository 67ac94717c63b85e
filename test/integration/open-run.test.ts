import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, DEMO, HOSTILE, HOSTILE_MARKER, gitFixture } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';
import { waitFor } from '../harness/wait';
import { type ResolvedRun } from '../../src/git/resolve-run';

suite('Open Run…', () => {
  let scratch: string;
  suiteSetup(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'seb-it-'));
  });
  suiteTeardown(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
  });

  test('a folder that is not a git repository is refused and the open run stays', async () => {
    const a = await api();
    const before = a.session.current?.runId;
    const result = await vscode.commands.executeCommand<ResolvedRun | undefined>('sebReview.openRun', scratch);
    assert.equal(result, undefined);
    assert.equal(a.session.current?.runId, before);
  });

  test('opening the seb-run.json itself opens its folder as the run', async () => {
    const run = await vscode.commands.executeCommand<ResolvedRun>('sebReview.openRun', vscode.Uri.file(path.join(DEMO, 'seb-run.json')));
    assert.equal(run?.runId, 'demo-authority-rewrite');
    assert.equal(run?.root, DEMO);
  });

  test('Close Run clears the view and the context key; the demo run reopens', async () => {
    const a = await api();
    await vscode.commands.executeCommand('sebReview.closeRun');
    assert.equal(a.session.current, undefined);
    assert.equal(a.session.remembered, undefined);
    const run = await vscode.commands.executeCommand<ResolvedRun>('sebReview.openRun', DEMO);
    assert.equal(run?.baseline.commit, gitFixture(DEMO, 'rev-parse', 'seb-baseline'));
    assert.deepEqual(a.session.remembered, { target: DEMO });
  });

  test('the hostile repository opens, none of the programs its configuration names ever runs, and nothing in it changes', async () => {
    const before = snapshotTree(HOSTILE);
    assert.ok(existsSync(path.join(HOSTILE, '.git', 'config')), 'the hostile fixture was built');
    assert.ok(readFileSync(path.join(HOSTILE, '.git', 'config'), 'utf8').includes('fsmonitor'), 'and it is hostile');
    const run = await vscode.commands.executeCommand<ResolvedRun>('sebReview.openRun', HOSTILE);
    assert.ok(run, 'the hostile run opened');
    assert.equal(run.head.source.kind === 'working-tree' && run.head.source.dirty, true, 'its uncommitted changes were seen');
    await vscode.commands.executeCommand('sebReview.refreshRun');
    await vscode.commands.executeCommand('sebReview.showRunDetails');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(existsSync(HOSTILE_MARKER), false, `a configured program ran: ${existsSync(HOSTILE_MARKER) ? readFileSync(HOSTILE_MARKER, 'utf8') : ''}`);
    assert.deepEqual(snapshotDiff(before, snapshotTree(HOSTILE)), [], 'the hostile run folder (its .git included) is byte- and mtime-identical');
  });

  test('the language server reports a bad seb-run.json field by name, on the field', async () => {
    const dir = path.join(scratch, 'bad-manifest');
    const file = path.join(dir, 'seb-run.json');
    mkdirSync(dir);
    writeFileSync(file, '{\n  "runId": "ok-id",\n  "baseline": { "ref": 42 },\n  "colour": "blue"\n}\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('diagnostics on seb-run.json', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter(x => x.source === 'SEB Review');
      return d.length >= 2 ? d : undefined;
    }, 30000);
    const messages = diags.map(d => d.message).sort();
    assert.ok(messages.some(m => m.startsWith('baseline')), messages.join(' | '));
    const unknown = diags.find(d => d.message.startsWith('colour'));
    assert.ok(unknown, messages.join(' | '));
    assert.equal(unknown.range.start.line, 3);
    assert.equal(doc.getText(unknown.range), '"colour"');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
