import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, DEMO } from './helpers';
import { generateSigningKey, privateKeyPem, type Verdict } from '../../src/core/attestation';

const SCORES: Record<string, string> = {
  'invariant-plan': '17', simplification: '24', wiring: '10', 'no-parallel-authority': '13', 'correctness-incidents': '24', 'durability-lifecycle': '3',
};

suite('signing keys, export and verification in the editor', () => {
  let scratch: string;
  suiteSetup(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'seb-sign-'));
    await (await api()).startup;
    await vscode.commands.executeCommand('sebReview.openRun', DEMO);
  });
  suiteTeardown(async () => {
    (await api()).drafts.closeSigned();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('Create Signing Key keeps the key in secret storage; Copy Public Key gives an allowed-signers line', async () => {
    const a = await api();
    const key = await vscode.commands.executeCommand<{ keyId: string }>('sebReview.createSigningKey', 'ada@example.invalid');
    assert.match(key.keyId, /^SHA256:[A-Za-z0-9+/]{43}$/);
    const line = await vscode.commands.executeCommand<string>('sebReview.copyPublicKey');
    assert.match(line, /^ada@example\.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+$/);
    assert.equal(await vscode.env.clipboard.readText(), line);
    assert.equal((await a.keys.key())?.keyId, key.keyId);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('sebReview'));
    assert.ok(!settings.includes('PRIVATE KEY'), 'the private key is not in settings');
  });

  test('an incomplete worksheet is not exported', async () => {
    const a = await api();
    await a.drafts.whenLoaded();
    for (const id of Object.keys(SCORES)) a.drafts.apply({ kind: 'rationale', dimension: id, value: '' });
    const file = await vscode.commands.executeCommand<string | undefined>('sebReview.exportWorksheet', path.join(scratch, 'incomplete.worksheet.json'));
    assert.equal(file, undefined);
    assert.equal(existsSync(path.join(scratch, 'incomplete.worksheet.json')), false);
  });

  test('a complete worksheet exports signed, bound to both trees; it verifies and shows read-only in the form', async () => {
    const a = await api();
    for (const [id, p] of Object.entries(SCORES)) {
      a.drafts.apply({ kind: 'points', dimension: id, value: p });
      a.drafts.apply({ kind: 'rationale', dimension: id, value: `Rationale for ${id}.` });
    }
    a.drafts.apply({ kind: 'graderName', value: 'Ada' });
    const target = path.join(scratch, 'demo.Ada.worksheet.json');
    const file = await vscode.commands.executeCommand<string | undefined>('sebReview.exportWorksheet', target);
    assert.equal(file, target);
    const envelope = JSON.parse(readFileSync(target, 'utf8')) as { payloadType: string; payload: string; signatures: unknown[] };
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { subject: Array<{ name: string; digest: Record<string, string> }>; predicate: { total: number } };
    const review = a.session.review;
    assert.ok(review);
    assert.deepEqual(statement.subject.map(s => Object.values(s.digest)[0]).slice(0, 2), [review.workspace.baselineTree, review.workspace.headTree]);
    assert.equal(statement.predicate.total, 91);
    const verdict = await vscode.commands.executeCommand<Verdict>('sebReview.verifyWorksheet', vscode.Uri.file(target));
    assert.equal(verdict.ok, true, JSON.stringify(verdict.checks.filter(c => !c.ok)));
    assert.deepEqual(verdict.signers, ['ada@example.invalid']);
    assert.ok(verdict.checks.some(c => c.check === 'tree' && c.ok), 'the trees were checked against the open run');
    const state = a.drafts.state();
    assert.equal(state?.readOnly, true);
    assert.match(state?.status?.text ?? '', /^Verified: signed by ada@example\.invalid; both trees match the open run/);
    assert.equal(state?.evaluation.total, 91);
    a.drafts.apply({ kind: 'points', dimension: 'wiring', value: '1' });
    assert.equal(a.drafts.state()?.draft.entries.wiring?.points, '10', 'a signed worksheet cannot be edited');
    a.drafts.closeSigned();
    assert.equal(a.drafts.state()?.readOnly, false);
  });

  test('a tampered worksheet does not verify, and says which check failed', async () => {
    const target = path.join(scratch, 'demo.Ada.worksheet.json');
    const envelope = JSON.parse(readFileSync(target, 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { entries: Array<{ points: number }>; total: number } };
    const first = statement.predicate.entries[0];
    assert.ok(first);
    first.points = 20;
    statement.predicate.total = 94;
    const tampered = path.join(scratch, 'tampered.worksheet.json');
    writeFileSync(tampered, JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }));
    const verdict = await vscode.commands.executeCommand<Verdict>('sebReview.verifyWorksheet', vscode.Uri.file(tampered));
    assert.equal(verdict.ok, false);
    assert.ok(verdict.checks.some(c => c.check === 'signature' && !c.ok), JSON.stringify(verdict.checks));
    assert.equal((await api()).drafts.state()?.status?.kind, 'error');
    (await api()).drafts.closeSigned();
  });

  test('a second reviewer co-signs; verification honours a threshold of two signers', async () => {
    const a = await api();
    const target = path.join(scratch, 'demo.Ada.worksheet.json');
    const adaLine = await vscode.commands.executeCommand<string>('sebReview.copyPublicKey');
    const config = vscode.workspace.getConfiguration('sebReview');
    try {
      await config.update('signatureThreshold', 2, vscode.ConfigurationTarget.Global);
      const alone = await vscode.commands.executeCommand<Verdict>('sebReview.verifyWorksheet', vscode.Uri.file(target));
      assert.equal(alone.ok, false);
      assert.ok(alone.checks.some(c => c.check === 'threshold' && !c.ok), JSON.stringify(alone.checks));
      // Bob's key, imported from a PKCS#8 file
      const bobKey = path.join(scratch, 'bob.pem');
      writeFileSync(bobKey, privateKeyPem(generateSigningKey()), { mode: 0o600 });
      await vscode.commands.executeCommand('sebReview.importSigningKey', bobKey, 'bob@example.invalid');
      const bobLine = await vscode.commands.executeCommand<string>('sebReview.copyPublicKey');
      const signatures = () => (JSON.parse(readFileSync(target, 'utf8')) as { signatures: unknown[] }).signatures.length;
      // Ada's signature cannot be checked without her public key: no co-signing without an allowed-signers file
      assert.equal(await vscode.commands.executeCommand<string | undefined>('sebReview.cosignWorksheet', vscode.Uri.file(target)), undefined);
      assert.equal(signatures(), 1);
      const signers = path.join(scratch, 'allowed_signers');
      writeFileSync(signers, `${adaLine}\n${bobLine}\n`);
      await config.update('allowedSignersFile', signers, vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand<string>('sebReview.cosignWorksheet', vscode.Uri.file(target)), target);
      assert.equal(signatures(), 2);
      const both = await vscode.commands.executeCommand<Verdict>('sebReview.verifyWorksheet', vscode.Uri.file(target));
      assert.equal(both.ok, true, JSON.stringify(both.checks.filter(c => !c.ok)));
      assert.deepEqual(both.signers, ['ada@example.invalid', 'bob@example.invalid']);
      assert.match(a.drafts.state()?.status?.text ?? '', /^Verified: signed by ada@example\.invalid, bob@example\.invalid \(threshold 2\)/);
    } finally {
      await config.update('signatureThreshold', undefined, vscode.ConfigurationTarget.Global);
      await config.update('allowedSignersFile', undefined, vscode.ConfigurationTarget.Global);
      a.drafts.closeSigned();
    }
  });

  test('a worksheet is never written into the run', async () => {
    const inside = path.join(DEMO, 'demo.worksheet.json');
    const file = await vscode.commands.executeCommand<string | undefined>('sebReview.exportWorksheet', inside);
    assert.equal(file, undefined);
    assert.equal(existsSync(inside), false);
  });
});
