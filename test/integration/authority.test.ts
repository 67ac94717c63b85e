import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, DEMO, PROOF, ROOT } from './helpers';
import { waitFor } from '../harness/wait';
import { type SebReviewApi } from '../../src/extension/extension';
import { type AuthorityNode } from '../../src/extension/authority/authority-view';
import { wiringModel } from '../../src/extension/authority/wiring-panel';
import type { EntryItem } from '../../src/protocol/server/authority';

/**
 * The authority map in the editor, on the demo run and on the rewritten Proof run: the review server's analysis, the
 * Authority view, hovers and CodeLens where code is read, Add as Evidence, and an edit updating the map. Expectations
 * are read off the fixtures' code (cited by file:line below), never copied from the analysis.
 */

const lineOf = (root: string, rel: string, n: number) => readFileSync(path.join(root, rel), 'utf8').split('\n')[n - 1] ?? '';

async function ready(a: SebReviewApi, runId: string): Promise<void> {
  await waitFor(`the authority map of ${runId}`, () => (a.authority.ready && a.authority.status.runId === runId ? true : undefined), 200000);
}

async function children(a: SebReviewApi, node?: AuthorityNode): Promise<AuthorityNode[]> {
  return a.authorityView.getChildren(node);
}

function label(a: SebReviewApi, n: AuthorityNode): string {
  const l = a.authorityView.getTreeItem(n).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

async function entryUnder(a: SebReviewApi, categoryLabel: string, entryLabel: string): Promise<Extract<AuthorityNode, { kind: 'entry' }>> {
  const sections = await children(a);
  const entries = sections.find(s => s.kind === 'section' && s.id === 'entries');
  assert.ok(entries, 'an Entry points section');
  const cats = await children(a, entries);
  const cat = cats.find(c => label(a, c) === categoryLabel);
  assert.ok(cat, `${categoryLabel} among ${cats.map(c => label(a, c)).join(', ')}`);
  const list = await children(a, cat);
  const e = list.find(n => n.kind === 'entry' && n.entry.label === entryLabel);
  assert.ok(e && e.kind === 'entry', `${entryLabel} among ${list.map(n => label(a, n)).join(', ')}`);
  return e;
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  // the markdown escapes spaces in repository text as &nbsp; (VS Code renders them as spaces)
  return (hovers ?? []).flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n').replace(/&nbsp;/g, ' ');
}

suite('Authority map in the editor (demo run)', function () {
  // the analysis runs in the language server beside the workbench: on a loaded 2-core machine it can take a while
  this.timeout(180000);
  suiteSetup(async () => {
    const a = await api();
    await a.startup;
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
    await ready(a, 'demo-authority-rewrite');
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('the review server analysed the open run in its own process; the declared authority is found where it is defined', async () => {
    const a = await api();
    assert.ok(a.reviewClient.running);
    const s = a.authority.summary;
    assert.ok(s);
    assert.deepEqual(s.authority, ['server/authority/document-authority.ts#applyDocumentWrite']);
    const found = s.run.authority[0];
    assert.equal(found?.found, true);
    assert.match(lineOf(DEMO, found?.file ?? '', found?.line ?? 0), /export function applyDocumentWrite\(/);
    const digest = a.authority.status.digest;
    assert.equal(digest?.runTree, a.session.review?.workspace.headTree);
    assert.equal(digest?.baselineTree, a.session.review?.workspace.baselineTree);
  });

  test('the Authority view: wiring per category, entry points by category with their writes and witness paths, fates', async () => {
    const a = await api();
    const sections = await children(a);
    assert.deepEqual(sections.map(s => (s.kind === 'section' ? s.id : s.kind)).filter(x => x !== 'dead'), ['wiring', 'entries', 'fates']);
    const wiring = await children(a, sections[0]);
    const rows = wiring.map(r => label(a, r));
    // server/index.ts:38-40 mounts the documents, marks and agent routers; server/collab/ws-handler.ts handles WebSocket
    for (const want of ['REST', 'Agent', 'Mark writes', 'WebSocket']) assert.ok(rows.includes(want), `${want} in ${rows.join(', ')}`);
    // server/marks/marks.ts:77 POST …/accept calls acceptSuggestion -> applyDocumentWrite (marks.ts:43), and markById ->
    // listMarks -> openDocument, which loads the document outside the authority's transaction: not every path passes it
    const accept = await entryUnder(a, 'Mark writes', 'POST /api/documents/:id/marks/:markId/accept');
    assert.equal(accept.entry.file, 'server/marks/marks.ts');
    assert.equal(accept.entry.line, 77);
    assert.equal(accept.entry.wiring, 'bypassing');
    const item = a.authorityView.getTreeItem(accept);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error', 'a codicon, not only a colour');
    assert.match(String(item.description), /^bypasses the authority · \d+ of \d+ writes$/);
    const writes = await children(a, accept);
    assert.ok(writes.length > 0);
    const viaAuthority = writes.find(w => w.kind === 'write' && !w.write.bypass);
    assert.ok(viaAuthority && viaAuthority.kind === 'write', 'some writes are reached through applyDocumentWrite');
    const steps = await children(a, viaAuthority);
    assert.ok(steps.length >= 3, `a witness path: ${steps.map(st => label(a, st)).join(' > ')}`);
    const first = steps[0];
    assert.ok(first?.kind === 'step' && first.step.file === 'server/marks/marks.ts' && first.step.line === 77, 'the path starts at the registration');
    assert.ok(steps.some(st => st.kind === 'step' && st.step.name.includes('applyDocumentWrite')), 'and passes the authority');
    const cmd = a.authorityView.getTreeItem(steps[1] ?? first).command;
    assert.equal(cmd?.command, 'sebReview.openFindingLocation', 'each step is clickable');
    // fates: the demo run deleted the /admin repair endpoints (commit 3's message)
    const fates = await children(a, sections[sections.length - 1]);
    const deleted = fates.find(f => f.kind === 'fateGroup' && f.fate === 'deleted');
    assert.ok(deleted, `a deleted group among ${fates.map(f => label(a, f)).join(', ')}`);
    const gone = await children(a, deleted);
    assert.ok(gone.some(f => f.kind === 'fate' && /\/admin\b/.test(f.item.baseline.label)), gone.map(f => label(a, f)).join(', '));
    const adminFate = gone.find(f => f.kind === 'fate' && /\/admin\b/.test(f.item.baseline.label));
    assert.ok(adminFate);
    const links = await children(a, adminFate);
    assert.ok(links[0]?.kind === 'fateLink' && links[0].side === 'baseline', 'a click to the baseline code');
  });

  test('a hover on a route shows what it is, its writes and whether it passes the authority; a CodeLens sums it up', async () => {
    const a = await api();
    const uri = vscode.Uri.file(path.join(DEMO, 'server', 'marks', 'marks.ts'));
    await vscode.window.showTextDocument(uri);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(76, 10)));
    assert.match(text, /POST \/api\/documents\/:id\/marks\/:markId\/accept/);
    assert.match(text, /Mark writes entry point \(run\)/);
    assert.match(text, /Writes reached:/);
    assert.match(text, /without the authority/);
    assert.match(text, /command:sebReview\.addFindingAsEvidence/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses?.find(l => l.range.start.line === 76);
    assert.match(lens?.command?.title ?? '', /POST \/api\/documents\/:id\/marks\/:markId\/accept · bypasses the authority/);
    // and in the baseline's document: the baseline's writes are annotated with their fate
    assert.ok(a.session.review);
  });

  test('Add as Evidence puts the entry point\'s lines on the chosen dimension, with the analysis digest in the draft', async () => {
    const a = await api();
    await a.drafts.whenLoaded();
    const accept = await entryUnder(a, 'Mark writes', 'POST /api/documents/:id/marks/:markId/accept');
    const before = a.drafts.draft?.entries['wiring']?.evidence.length ?? 0;
    const added = await vscode.commands.executeCommand('sebReview.addFindingAsEvidence', accept, { dimension: 'wiring', note: 'accept bypasses' });
    assert.ok(added);
    const list = a.drafts.draft?.entries['wiring']?.evidence ?? [];
    assert.equal(list.length, before + 1);
    // the handler arrow runs from marks.ts:77 to the `}),` that closes it on line 81
    assert.deepEqual(list[list.length - 1], { side: 'run', path: 'server/marks/marks.ts', startLine: 77, endLine: 81, note: 'accept bypasses' });
    assert.match(lineOf(DEMO, 'server/marks/marks.ts', 81), /^ {4}\}\),$/);
    const ref = a.drafts.draft?.analysis;
    assert.equal(ref?.runTree, a.session.review?.workspace.headTree);
    assert.equal(ref?.digest, a.authority.status.digest?.digest);
    a.drafts.removeEvidence('wiring', list.length - 1);
  });

  test('evidence: the server\'s facts reach the rubric form under their dimensions, and the Changes view\'s badges', async () => {
    const a = await api();
    await waitFor('the evidence of the demo run', () => (a.evidence.state.kind === 'ready' || a.evidence.state.kind === 'failed' ? true : undefined), 120000);
    const st = a.evidence.state;
    assert.ok(st.kind === 'ready', JSON.stringify(st));
    assert.equal(st.evidence.runId, 'demo-authority-rewrite');
    assert.equal(st.evidence.trees.run, a.session.review?.workspace.headTree);
    // test/incident-2026-02-duplicate-paragraphs.test.ts: the baseline's two tests were rewritten under new names in the run
    const found = a.rubricForm.found();
    assert.ok(found?.status === 'ready', JSON.stringify(found?.status));
    const correctness = found.byDimension['correctness-incidents'] ?? [];
    const deleted = correctness.filter(f => f.text.startsWith('Incident test deleted:') && f.location?.path === 'test/incident-2026-02-duplicate-paragraphs.test.ts');
    assert.equal(deleted.length, 2, correctness.map(f => f.text).join('\n'));
    assert.ok((found.byDimension['no-parallel-authority'] ?? []).some(f => f.location?.path === 'server/authority/document-authority.ts'), 'the legacyMarkdown branch');
    assert.ok((found.byDimension['invariant-plan'] ?? []).some(f => f.location?.path === 'docs/AUTHORITY_PLAN.md'), 'the plan');
    assert.deepEqual(found.unplaced, []);
    // badges: T (warning colour) on the incident file, T on a deleted test file, S on the file with the legacy branch
    const badge = (rel: string) => a.evidenceBadges.provideFileDecoration(vscode.Uri.file(path.join(DEMO, rel)));
    const incident = badge('test/incident-2026-02-duplicate-paragraphs.test.ts');
    assert.equal(incident?.badge, 'T');
    assert.match(incident?.tooltip ?? '', /^Evidence: 2 incident tests deleted/);
    assert.ok(incident?.color instanceof vscode.ThemeColor);
    assert.equal(badge('test/reconcile.test.ts')?.badge, 'T');
    assert.match(badge('test/reconcile.test.ts')?.tooltip ?? '', /baseline tests? deleted/);
    assert.equal(badge('server/authority/document-authority.ts')?.badge, 'S');
    assert.equal(badge('package.json'), undefined);
    // Add as Evidence from the form: the fact's lines and note on the dimension it is listed under
    const fact = deleted[0];
    assert.ok(fact?.location);
    await a.drafts.whenLoaded();
    const before = a.drafts.draft?.entries['correctness-incidents']?.evidence.length ?? 0;
    const l = fact.location;
    await vscode.commands.executeCommand('sebReview.addFindingAsEvidence', { side: l.side, path: l.path, startLine: l.startLine, endLine: l.endLine, note: fact.note },
      { dimension: 'correctness-incidents', note: fact.note });
    const list = a.drafts.draft?.entries['correctness-incidents']?.evidence ?? [];
    assert.equal(list.length, before + 1);
    assert.deepEqual(list[list.length - 1], { side: 'baseline', path: 'test/incident-2026-02-duplicate-paragraphs.test.ts', startLine: l.startLine, endLine: l.endLine, note: fact.note });
    // the first deleted one is the baseline file's first it(…) (test/fixtures/demo-run/baseline/test/…)
    const baselineText = readFileSync(path.join(ROOT, 'test', 'fixtures', 'demo-run', 'baseline', 'test', 'incident-2026-02-duplicate-paragraphs.test.ts'), 'utf8').split('\n');
    assert.equal(l.startLine, baselineText.findIndex(x => /^\s*it\('/.test(x)) + 1);
    assert.match(fact.text, /^Incident test deleted: incident 2026-02: duplicate paragraphs after a REST write during a live session > does not duplicate paragraphs when REST and reconcile both touch the live document \(its file is still there\)$/);
    a.drafts.removeEvidence('correctness-incidents', list.length - 1);
  });

  test('editing a run file to remove a write updates the map; reverting restores it (nothing is written to disk)', async () => {
    const a = await api();
    const rel = 'server/authority/persistence.ts';
    const file = path.join(DEMO, rel);
    const onDisk = readFileSync(file, 'utf8');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    // persistence.ts:101-104: load() replays the snapshot and the update log into a fresh Y.Doc inside doc.transact;
    // the Yjs writes are on lines 101 (transact), 102 and 103 (Y.applyUpdate). The edit removes the replay.
    assert.match(doc.lineAt(100).text, /^ {6}doc\.transact\(\(\) => \{$/);
    assert.match(doc.lineAt(103).text, /^ {6}\}, 'load'\);$/);
    const loadWrites = (e: EntryItem) => e.writes.filter(w => w.file === rel && w.line >= 101 && w.line <= 103).length;
    // marks.ts:77 POST …/accept reaches load() through markById -> listMarks -> openDocument (marks.ts:21, document-authority.ts:76)
    const accept = async (): Promise<EntryItem | undefined> => (await a.authority.entries('run', 'mark')).find(e => e.line === 77 && e.file === 'server/marks/marks.ts');
    const before = await accept();
    assert.ok(before && loadWrites(before) > 0, 'before the edit the route reaches the Yjs writes of load()');
    const generation = a.authority.status.generation;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(100, 0, 103, doc.lineAt(103).text.length), '      // replay removed');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      await waitFor('the map after the edit', () => (a.authority.ready && a.authority.status.generation > generation ? true : undefined), 60000);
      assert.deepEqual(a.authority.status.digest?.edited, [rel]);
      const after = await accept();
      assert.ok(after);
      assert.equal(loadWrites(after), 0, 'the removed writes are gone from the route');
      assert.ok(after.writes.length < before.writes.length, `fewer writes: ${before.writes.length} -> ${after.writes.length}`);
      // the view reads the new generation
      const viewed = await entryUnder(a, 'Mark writes', 'POST /api/documents/:id/marks/:markId/accept');
      assert.equal(loadWrites(viewed.entry), 0);
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitFor('the map back after the revert', () => (a.authority.ready && (a.authority.status.digest?.edited.length === 0) ? true : undefined), 60000);
    const restored = await accept();
    assert.ok(restored && loadWrites(restored) > 0, 'the writes are back');
    assert.equal(readFileSync(file, 'utf8'), onDisk, 'the run file on disk is untouched');
  });

  test('Restart Server, asked three times at once: restarts run one at a time (two: the running one and one queued); the open run is analysed again', async () => {
    const a = await api();
    const starts = a.reviewClient.starts;
    await Promise.all([1, 2, 3].map(() => vscode.commands.executeCommand('sebReview.restartServer')));
    assert.equal(a.reviewClient.starts, starts + 2);
    await ready(a, 'demo-authority-rewrite');
    assert.ok(a.reviewClient.running);
    const accept = await entryUnder(a, 'Mark writes', 'POST /api/documents/:id/marks/:markId/accept');
    assert.equal(accept.entry.line, 77, 'the view reads the new server');
  });

  test('the Changes view\'s files carry badges: entry points, and baseline write paths that were deleted', async () => {
    const a = await api();
    const badges = await a.authority.badges();
    assert.ok((badges.get('server/marks/marks.ts') ?? []).some(b => b.side === 'run' && b.entries > 0 && b.bypassing > 0));
    const deletedWithWrites = a.changes.visibleFiles().filter(c => c.status === 'deleted' && (badges.get(c.path) ?? []).some(b => b.lostWritePaths > 0));
    assert.ok(deletedWithWrites.length > 0, 'a deleted file that held baseline write paths');
  });
});

suite('Authority map in the editor (rewritten Proof run)', function () {
  this.timeout(240000);
  suiteSetup(async () => {
    const a = await api();
    await a.startup;
    await vscode.commands.executeCommand('sebReview.openRun', PROOF);
    await ready(a, 'proof-authority-rewrite');
  });
  suiteTeardown(() => vscode.commands.executeCommand('sebReview.openRun', DEMO));

  test('the wiring matrix shows the planted bypass: POST …/revoke writes documents without applyDocumentWrite', async () => {
    const a = await api();
    const rest = a.authority.summary?.run.matrix.find(r => r.category === 'rest');
    assert.ok(rest && rest.counts.bypassing >= 1 && rest.counts.through >= 3, JSON.stringify(rest));
    // server/document-routes.ts:39 registers POST /:slug/revoke; its handler calls revokeDocument -> updateShareState,
    // whose UPDATE documents (server/db.ts:2129) is not behind the authority (test/unit/authority/proof-expectations.ts)
    const revoke = (await a.authority.entries('run', 'rest')).find(e => e.file === 'server/document-routes.ts' && e.line === 39);
    assert.ok(revoke, 'the revoke route');
    assert.ok(revoke.paths.includes('/api/documents/:slug/revoke'));
    assert.equal(revoke.wiring, 'bypassing');
    const write = revoke.writes.find(w => w.file === 'server/db.ts' && w.line === 2129);
    assert.ok(write?.bypass, 'the documents write at db.ts:2129, without the authority');
    const w = await a.authority.witness('run', revoke.id, write.id);
    assert.ok('steps' in w);
    assert.deepEqual(w.steps.map(s => s.name).filter(n => /revokeDocument|updateShareState/.test(n)), ['revokeDocument', 'updateShareState']);
    // and the wiring matrix page's model says so for REST
    const model = wiringModel(a.authority);
    const restRow = model.run?.rows.find(r => r.category === 'rest');
    assert.equal(restRow?.title, 'REST');
    assert.ok((restRow?.counts.bypassing ?? 0) >= 1);
    // resume (server/document-routes.ts:20) goes through the authority
    const resume = (await a.authority.entries('run', 'rest')).find(e => e.file === 'server/document-routes.ts' && e.line === 20);
    assert.equal(resume?.wiring, 'through');
  });

  test('fates: the hollowed agent route, with its run counterpart', async () => {
    const a = await api();
    const fates = await a.authority.fates();
    const hollowed = fates.filter(f => f.fate === 'hollowed');
    assert.ok(hollowed.some(f => f.run.some(r => r.handler.file === 'server/agent-routes.ts' && r.handler.line === 3615)),
      hollowed.map(f => `${f.baseline.label} -> ${f.run.map(r => `${r.handler.file}:${r.handler.line}`).join(', ')}`).join('; '));
  });
});
