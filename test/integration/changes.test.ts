import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, DEMO, HOSTILE, HOSTILE_MARKER, gitFixture } from './helpers';
import { snapshotDiff, snapshotTree } from '../harness/tree-snapshot';
import { waitFor } from '../harness/wait';
import { gitNumstat } from '../harness/git-oracle';
import { type FileChange } from '../../src/core/file-change';
import { type TreeNode } from '../../src/core/change-tree';
import { type SebReviewApi } from '../../src/extension/extension';

async function activeDiff(): Promise<vscode.TabInputTextDiff> {
  return waitFor('a diff editor', () => {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    return input instanceof vscode.TabInputTextDiff ? input : undefined;
  });
}

/** Runs Show Diff Overview and waits until its page drew its first file; returns the page's own time to it (ms). */
async function showOverview(a: SebReviewApi): Promise<number> {
  let shown: number | undefined;
  const d = a.overview.onDidShowFirstContent(ms => { shown ??= ms; });
  try {
    await vscode.commands.executeCommand('sebReview.showOverview');
    return await waitFor('the overview\'s first content', () => shown);
  } finally {
    d.dispose();
  }
}

suite('Changes view, diff editor, baseline documents', () => {
  suiteSetup(async () => {
    await (await api()).startup;
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('the Changes view lists exactly what git diff --numstat -M lists for the demo run', async () => {
    const a = await api();
    const listed = a.changes.visibleFiles();
    const oracle = gitNumstat(DEMO, 'seb-baseline', 'HEAD');
    assert.ok(oracle.size > 20, `the demo run changes many files (${oracle.size})`);
    assert.deepEqual(listed.map(c => c.path).sort(), [...oracle.keys()].sort());
    for (const c of listed) assert.equal(c.binary ? '-\t-' : `${c.additions}\t${c.deletions}`, oracle.get(c.path), c.path);
    const kinds = new Set(listed.map(c => c.status));
    for (const k of ['added', 'deleted', 'modified', 'renamed']) assert.ok(kinds.has(k as FileChange['status']), k);
    assert.ok(listed.some(c => c.binary), 'a binary file');
    assert.ok(listed.some(c => c.oldMode === '100644' && c.newMode === '100755'), 'a mode change');
    assert.equal(a.changes.view.description, `0 of ${listed.length} viewed`);
  });

  test('a file opens in the diff editor with the baseline on the left, read from git, and the run file on the right', async () => {
    const a = await api();
    const renamed = a.changes.visibleFiles().find(c => c.status === 'renamed');
    assert.ok(renamed?.oldPath);
    await vscode.commands.executeCommand('sebReview.openChange', renamed);
    const diff = await activeDiff();
    assert.equal(diff.original.scheme, 'seb-baseline');
    assert.equal(diff.original.path, '/' + renamed.oldPath);
    assert.equal(diff.modified.scheme, 'file');
    assert.equal(diff.modified.fsPath, path.join(DEMO, renamed.path));
    const left = await vscode.workspace.openTextDocument(diff.original);
    assert.equal(left.getText(), gitFixture(DEMO, 'show', `seb-baseline:${renamed.oldPath}`) + '\n');
  });

  test('an added file diffs against an empty left side, a deleted file against an empty right side', async () => {
    const a = await api();
    const added = a.changes.visibleFiles().find(c => c.status === 'added' && !c.binary);
    const deleted = a.changes.visibleFiles().find(c => c.status === 'deleted');
    assert.ok(added && deleted);
    await vscode.commands.executeCommand('sebReview.openChange', added);
    assert.equal((await vscode.workspace.openTextDocument((await activeDiff()).original)).getText(), '');
    await vscode.commands.executeCommand('sebReview.openChange', deleted);
    const d = await activeDiff();
    assert.equal(d.original.path, '/' + deleted.path);
    assert.equal((await vscode.workspace.openTextDocument(d.modified)).getText(), '');
  });

  test('Open Baseline/Run Counterpart jumps from a run file to its baseline (through a rename) and back', async () => {
    const a = await api();
    const renamed = a.changes.visibleFiles().find(c => c.status === 'renamed');
    assert.ok(renamed?.oldPath);
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(DEMO, renamed.path)));
    await vscode.commands.executeCommand('sebReview.openCounterpart');
    const base = vscode.window.activeTextEditor?.document;
    assert.equal(base?.uri.scheme, 'seb-baseline');
    assert.equal(base?.uri.path, '/' + renamed.oldPath);
    await vscode.commands.executeCommand('sebReview.openCounterpart');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(DEMO, renamed.path));
  });

  test('viewed marks count, go to the next unviewed file, and reset when the file changes again', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'seb-viewed-'));
    const copy = path.join(scratch, 'run-copy');
    try {
      execFileSync('git', ['clone', '-q', DEMO, copy]);
      execFileSync('git', ['-C', copy, 'fetch', '-q', 'origin', 'refs/tags/*:refs/tags/*']);
      const a = await api();
      await vscode.commands.executeCommand('sebReview.openRun', copy);
      const files = a.changes.visibleFiles();
      const first = files.find(c => c.status === 'modified' && !c.binary);
      const second = files.find(c => c !== first && c.status === 'added' && !c.binary);
      assert.ok(first && second);
      // shown, and VS Code has fetched the tree down to a file: from now on a mark redraws its own rows
      await vscode.commands.executeCommand('sebReview.changes.focus');
      await waitFor('the Changes view shown', () => a.changes.view.visible || undefined);
      await a.changes.reveal(first);
      const redrawn: (readonly { id: string }[] | undefined)[] = [];
      const listening = a.changes.onDidChangeTreeData(rows => { redrawn.push(rows ?? undefined); });
      await a.changes.setViewed([first, second], true);
      listening.dispose();
      assert.equal(a.changes.view.description, `2 of ${files.length} viewed`);
      // the two files' rows and their folders' (counts and boxes), not the whole tree: a whole-tree refresh makes VS Code
      // drop the elements it is resolving
      const folders = (p: string) => p.split('/').slice(0, -1).map((_, i, parts) => `dir:${parts.slice(0, i + 1).join('/')}`);
      const want = [first, second].flatMap(c => [`file:${c.path}`, ...folders(c.path)]);
      assert.equal(redrawn.length, 1, 'one redraw');
      assert.deepEqual(new Set((redrawn[0] ?? []).map(n => n.id)), new Set(want));
      const next = await vscode.commands.executeCommand<FileChange>('sebReview.nextUnviewed');
      assert.ok(next && !a.changes.isViewed(next));
      // the file changes again in the run: its mark no longer applies
      writeFileSync(path.join(copy, first.path), readFileSync(path.join(copy, first.path), 'utf8') + '\n// changed after review\n');
      await vscode.commands.executeCommand('sebReview.refreshRun');
      const again = a.changes.visibleFiles().find(c => c.path === first.path);
      assert.ok(again);
      assert.equal(a.changes.isViewed(again), false, 'a file whose content changed is unviewed');
      assert.equal(a.changes.isViewed(a.changes.visibleFiles().find(c => c.path === second.path) as FileChange), true);
      assert.equal(a.changes.view.description, `1 of ${files.length} viewed`);
    } finally {
      await vscode.commands.executeCommand('sebReview.openRun', DEMO);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('folders start expanded on a run of up to 2,000 changed files, collapsed above (VS Code fetches every expanded row)', async () => {
    const a = await api();
    const state = (nodes: readonly TreeNode[]) => nodes.filter(n => n.kind === 'folder').map(n => a.changes.getTreeItem(n).collapsibleState);
    const demoFolders = state(await a.changes.getChildren());
    assert.ok(demoFolders.length > 0 && demoFolders.every(s => s === vscode.TreeItemCollapsibleState.Expanded), 'the demo run: expanded');
    const scratch = mkdtempSync(path.join(tmpdir(), 'seb-wide-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-C', scratch, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args]);
      git('init', '-q');
      writeFileSync(path.join(scratch, 'README.md'), 'baseline\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'baseline');
      // 2,001 added files in three folders: one more than the limit
      for (const [folder, n] of [['a', 667], ['b', 667], ['c', 667]] as const) {
        mkdirSync(path.join(scratch, folder));
        for (let i = 0; i < n; i++) writeFileSync(path.join(scratch, folder, `f${i}.txt`), `${i}\n`);
      }
      git('add', '-A');
      git('commit', '-q', '-m', 'run');
      await vscode.commands.executeCommand('sebReview.openRun', scratch);
      assert.equal(a.changes.visibleFiles().length, 2001);
      const wide = state(await a.changes.getChildren());
      assert.deepEqual(wide, [vscode.TreeItemCollapsibleState.Collapsed, vscode.TreeItemCollapsibleState.Collapsed, vscode.TreeItemCollapsibleState.Collapsed]);
    } finally {
      await vscode.commands.executeCommand('sebReview.openRun', DEMO);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('filter by status and glob, then clear', async () => {
    const a = await api();
    const all = a.changes.visibleFiles().length;
    await a.changes.setFilter({ statuses: ['deleted'] });
    assert.ok(a.changes.visibleFiles().every(c => c.status === 'deleted'));
    assert.match(a.changes.view.message ?? '', /^Showing \d+ of \d+ files/);
    await a.changes.setFilter({ glob: 'server/authority/**' });
    assert.ok(a.changes.visibleFiles().length > 0 && a.changes.visibleFiles().every(c => c.path.startsWith('server/authority/')));
    await vscode.commands.executeCommand('sebReview.clearChangesFilter');
    assert.equal(a.changes.visibleFiles().length, all);
    assert.equal(a.changes.view.message, undefined);
  });

  test('the diff overview opens and shows its first file', async () => {
    const ms = await showOverview(await api());
    const tab = await waitFor('the overview tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputWebview ? t : undefined;
    });
    assert.equal(tab.label, 'Diff Overview: demo-authority-rewrite');
    assert.ok(ms >= 0);
  });

  test('listing, diffing and reading the hostile repository runs none of its programs and changes nothing in it', async () => {
    const a = await api();
    const before = snapshotTree(HOSTILE);
    try {
      await vscode.commands.executeCommand('sebReview.openRun', HOSTILE);
      const files = a.changes.visibleFiles();
      assert.ok(files.length > 0, 'the hostile run has changes');
      for (const c of files.slice(0, 6)) {
        await vscode.commands.executeCommand('sebReview.openChange', c);
        const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        if (diff instanceof vscode.TabInputTextDiff) await vscode.workspace.openTextDocument(diff.original);
      }
      await showOverview(a);
      await a.session.review?.sizes();
      assert.equal(existsSync(HOSTILE_MARKER), false, `a configured program ran: ${existsSync(HOSTILE_MARKER) ? readFileSync(HOSTILE_MARKER, 'utf8') : ''}`);
      assert.deepEqual(snapshotDiff(before, snapshotTree(HOSTILE)), [], 'the hostile run folder (its .git included) is byte- and mtime-identical');
    } finally {
      await vscode.commands.executeCommand('sebReview.openRun', DEMO);
    }
  });
});
