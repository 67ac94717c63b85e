import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, ROOT } from './helpers';
import { allowedSignersLine, generateSigningKey, serializeEnvelope, signWorksheet, type SigningKey, type Verdict } from '../../src/core/attestation';
import { type Worksheet } from '../../src/core/worksheet';

const RUBRIC = path.join(ROOT, 'rubric', 'seb-v1.0.rubric.json');
const DIMS = ['invariant-plan', 'simplification', 'wiring', 'no-parallel-authority', 'correctness-incidents', 'durability-lifecycle'];

/** A signed worksheet for `runId` on the packaged rubric, graded by `name` with `key`. */
function signed(dir: string, runId: string, name: string, key: SigningKey): string {
  const ws: Worksheet = {
    format: 'seb-review/worksheet@1',
    rubric: { id: 'seb', version: '1.0', sha256: createHash('sha256').update(readFileSync(RUBRIC)).digest('hex') },
    run: { runId, baseline: { tree: 'a'.repeat(40) }, head: { tree: 'b'.repeat(40) } },
    grader: { name, kind: 'human', keyId: key.keyId },
    entries: DIMS.map(d => ({ dimension: d, points: 1, rationale: `${name} on ${d}`, evidence: [] })),
    gaps: '', total: 6, createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z',
  };
  const file = path.join(dir, `${runId}.${name}.worksheet.json`);
  writeFileSync(file, serializeEnvelope(signWorksheet(ws, path.basename(RUBRIC), key)));
  return file;
}

suite('blind grading', () => {
  let scratch: string;
  const config = () => vscode.workspace.getConfiguration('sebReview');
  suiteSetup(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'seb-blind-'));
    await (await api()).startup;
  });
  suiteTeardown(async () => {
    (await api()).drafts.closeSigned();
    await config().update('blindGrading', undefined, vscode.ConfigurationTarget.Global);
    await config().update('allowedSignersFile', undefined, vscode.ConfigurationTarget.Global);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('another grader\'s worksheet stays hidden until the reviewer\'s own for that run is signed; then it shows', async () => {
    const a = await api();
    const own = (await a.keys.key()) ?? (await vscode.commands.executeCommand<SigningKey>('sebReview.createSigningKey', 'reviewer@example.invalid'));
    const bob = generateSigningKey();
    const signers = path.join(scratch, 'allowed_signers');
    writeFileSync(signers, [allowedSignersLine('bob@example.invalid', bob.publicKey), allowedSignersLine('reviewer@example.invalid', own.publicKey)].join('\n') + '\n');
    await config().update('allowedSignersFile', signers, vscode.ConfigurationTarget.Global);
    await config().update('blindGrading', true, vscode.ConfigurationTarget.Global);
    a.drafts.closeSigned();

    const runId = `blind-${Date.now()}`;
    const theirs = signed(scratch, runId, 'bob', bob);
    assert.match(a.blind.mayShowOthers(runId) ?? '', /^Blind grading is on for run blind-\d+: other graders' worksheets for it stay hidden until you sign your own/);
    const hidden = await vscode.commands.executeCommand<Verdict | undefined>('sebReview.verifyWorksheet', vscode.Uri.file(theirs));
    assert.equal(hidden, undefined, 'not verified into view');
    assert.notEqual(a.drafts.state()?.readOnly, true, 'the form does not show their scores');

    // the reviewer's own worksheet for the run, signed with their key (elsewhere), verified here: it counts as theirs
    const mine = signed(scratch, runId, 'me', own);
    const ownVerdict = await vscode.commands.executeCommand<Verdict | undefined>('sebReview.verifyWorksheet', vscode.Uri.file(mine));
    assert.equal(ownVerdict?.ok, true, JSON.stringify(ownVerdict?.checks.filter(c => !c.ok)));
    assert.equal(a.blind.mayShowOthers(runId), undefined);
    a.drafts.closeSigned();

    const shown = await vscode.commands.executeCommand<Verdict | undefined>('sebReview.verifyWorksheet', vscode.Uri.file(theirs));
    assert.equal(shown?.ok, true);
    assert.equal(a.drafts.state()?.readOnly, true, 'now the form shows their worksheet, read-only');
    assert.equal(a.drafts.state()?.draft.grader.name, 'bob');

    // with the setting off, another run's worksheets are not held back
    await config().update('blindGrading', false, vscode.ConfigurationTarget.Global);
    assert.equal(a.blind.mayShowOthers(`other-${runId}`), undefined);
  });
});
