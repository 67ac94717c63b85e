import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, DEMO, ROOT } from './helpers';
import { waitFor } from '../harness/wait';
import { type Evidence } from '../../src/core/worksheet';

const MINI = path.join(ROOT, 'test', 'fixtures', 'rubrics', 'mini-v1.rubric.json');
const BAD = path.join(ROOT, 'test', 'fixtures', 'rubrics', 'bad-total.rubric.json');

/**
 * A clone of the demo run with another rubric copied into it and named by its manifest as a path inside the run (only
 * the clone's working tree changes).
 */
function runNaming(rubric: string, scratch: string): string {
  const dir = path.join(scratch, `run-${path.basename(rubric, '.rubric.json')}`);
  execFileSync('git', ['clone', '-q', DEMO, dir]);
  execFileSync('git', ['-C', dir, 'fetch', '-q', 'origin', 'refs/tags/*:refs/tags/*']);
  mkdirSync(path.join(dir, 'rubrics'));
  copyFileSync(rubric, path.join(dir, 'rubrics', path.basename(rubric)));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'seb-run.json'), 'utf8')) as Record<string, unknown>;
  const named = `rubrics/${path.basename(rubric)}`;
  writeFileSync(path.join(dir, 'seb-run.json'), JSON.stringify({ ...manifest, runId: `rubric-${path.basename(rubric, '.rubric.json')}`, rubric: named }, null, 2));
  return dir;
}

suite('rubric and drafts', () => {
  let scratch: string;
  suiteSetup(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'seb-rubric-'));
    await (await api()).startup;
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('the demo run gets the packaged SEB rubric and a draft kept outside the run', async () => {
    const a = await api();
    await a.drafts.whenLoaded();
    assert.equal(a.drafts.rubric?.rubric.id, 'seb');
    assert.deepEqual(a.drafts.rubric?.rubric.dimensions.map(d => d.ceiling), [20, 25, 10, 17, 25, 3]);
    const file = a.drafts.draftFile ?? '';
    const rel = path.relative(DEMO, file);
    assert.ok(file !== '' && (rel.startsWith('..') || path.isAbsolute(rel)), `the draft ${file} is outside the run`);
    assert.equal(a.drafts.state()?.evaluation.total, 0);
  });

  test('edits are evaluated at once and saved to disk; invalid entries are kept as typed and left out', async () => {
    const a = await api();
    await a.drafts.whenLoaded();
    a.drafts.apply({ kind: 'points', dimension: 'invariant-plan', value: '16.5' });
    a.drafts.apply({ kind: 'rationale', dimension: 'invariant-plan', value: 'One invariant, a focused plan.' });
    a.drafts.apply({ kind: 'points', dimension: 'wiring', value: '11' });
    const state = a.drafts.state();
    assert.equal(state?.evaluation.total, 16.5);
    const wiring = state?.evaluation.dimensions.find(d => d.id === 'wiring')?.check;
    assert.ok(wiring && !wiring.ok && wiring.kind === 'above-ceiling', JSON.stringify(wiring));
    const file = a.drafts.draftFile ?? '';
    await waitFor('the draft on disk', () => {
      if (!existsSync(file)) return undefined;
      const d = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { points: string }> };
      return d.entries.wiring?.points === '11' && d.entries['invariant-plan']?.points === '16.5' ? true : undefined;
    });
    a.drafts.apply({ kind: 'points', dimension: 'wiring', value: '9' });
    assert.equal(a.drafts.state()?.evaluation.total, 25.5);
  });

  test('Add Selection as Evidence attaches the selected run lines to a dimension; the evidence opens its location', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(DEMO, 'server', 'routes', 'documents.ts')));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(4, 0, 9, 3);
    const e = await vscode.commands.executeCommand<Evidence>('sebReview.addEvidence', { dimension: 'no-parallel-authority', note: 'import route still writes markdown' });
    assert.deepEqual(e, { side: 'run', path: 'server/routes/documents.ts', startLine: 5, endLine: 10, note: 'import route still writes markdown' });
    const list = a.drafts.draft?.entries['no-parallel-authority']?.evidence ?? [];
    assert.deepEqual(list.at(-1), e);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('sebReview.openEvidence', 'no-parallel-authority', list.length - 1);
    const active = vscode.window.activeTextEditor;
    assert.equal(active?.document.uri.fsPath, path.join(DEMO, 'server', 'routes', 'documents.ts'));
    assert.equal(active?.selection.start.line, 4);
    a.drafts.removeEvidence('no-parallel-authority', list.length - 1);
    assert.equal(a.drafts.draft?.entries['no-parallel-authority']?.evidence.length, list.length - 1);
  });

  test('evidence from a baseline document is marked as baseline', async () => {
    const a = await api();
    const review = a.session.review;
    assert.ok(review);
    const uri = vscode.Uri.from({ scheme: 'seb-baseline', path: '/server/projection/reconcile.ts', query: review.workspace.baselineTree });
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const e = await vscode.commands.executeCommand<Evidence>('sebReview.addEvidence', { dimension: 'simplification', note: '' });
    assert.deepEqual(e, { side: 'baseline', path: 'server/projection/reconcile.ts', startLine: 1, endLine: 2 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a second rubric (three dimensions, 5 + 5 + 10) works end to end with no code change', async () => {
    const a = await api();
    const dir = runNaming(MINI, scratch);
    await vscode.commands.executeCommand('sebReview.openRun', dir);
    await a.drafts.whenLoaded();
    const rubric = a.drafts.rubric?.rubric;
    assert.equal(rubric?.id, 'mini');
    assert.equal(a.drafts.state()?.evaluation.max, 20);
    const ids = rubric?.dimensions.map(d => d.id) ?? [];
    ['5', '4.5', '10'].forEach((p, i) => a.drafts.apply({ kind: 'points', dimension: ids[i] ?? '', value: p }));
    ids.forEach(id => a.drafts.apply({ kind: 'rationale', dimension: id, value: 'because' }));
    const ev = a.drafts.state()?.evaluation;
    assert.equal(ev?.total, 19.5);
    assert.equal(ev?.complete, true);
  });

  test('a manifest naming a broken rubric leaves the form empty; the error names the file and the field', async () => {
    const a = await api();
    const dir = runNaming(BAD, scratch);
    await vscode.commands.executeCommand('sebReview.openRun', dir);
    await a.drafts.whenLoaded();
    assert.equal(a.drafts.rubric, undefined);
    assert.equal(a.drafts.state(), undefined);
  });

  test('another window saving the same draft: taken when nothing is unsaved here, a conflict (nothing overwritten) when something is', async () => {
    const a = await api();
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
    await a.drafts.whenLoaded();
    a.drafts.apply({ kind: 'points', dimension: 'simplification', value: '20' });
    await a.drafts.flush();
    const file = a.drafts.draftFile ?? '';
    const other = (points: string) => {
      const d = JSON.parse(readFileSync(file, 'utf8')) as { revision: number; writer: string; entries: Record<string, { points: string }> };
      d.revision += 1;
      d.writer = 'another-window';
      (d.entries.simplification ?? { points: '' }).points = points;
      writeFileSync(file, JSON.stringify(d));
    };
    other('21');
    await waitFor('the other window\'s save taken', () => (a.drafts.draft?.entries.simplification?.points === '21' ? true : undefined));
    a.drafts.apply({ kind: 'points', dimension: 'simplification', value: '22' });
    other('23'); // lands before our save
    await waitFor('a conflict', () => (a.drafts.state()?.status?.kind === 'conflict' ? true : undefined));
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { points: string }> }).entries.simplification?.points, '23', 'theirs was not overwritten');
    await a.drafts.resolveConflict('mine');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { points: string }> }).entries.simplification?.points, '22');
  });

  test('a corrupt draft file is reported and the last good copy used', async () => {
    const a = await api();
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
    await a.drafts.whenLoaded();
    a.drafts.apply({ kind: 'points', dimension: 'durability-lifecycle', value: '2' });
    await a.drafts.flush();
    a.drafts.apply({ kind: 'points', dimension: 'durability-lifecycle', value: '3' });
    await a.drafts.flush();
    const file = a.drafts.draftFile ?? '';
    writeFileSync(file, '{"format": "seb-review/draft@1", "revision": -4 }');
    await vscode.commands.executeCommand('sebReview.refreshRun');
    await a.drafts.whenLoaded();
    const status = a.drafts.state()?.status;
    assert.equal(status?.kind, 'error');
    assert.match(status?.text ?? '', /\.draft\.json: field "revision"/);
    assert.equal(a.drafts.draft?.entries['durability-lifecycle']?.points, '2', 'the last good copy');
  });
});
