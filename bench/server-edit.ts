/**
 * The editor's update after an edit, end to end, on the Proof fixture: the real language server (dist/server.js, in
 * its own process, over stdio JSON-RPC) analyses both trees of the run; then an editor opens a run file and changes it
 * (textDocument/didChange with the unsaved text), and the time is taken from the change being sent to the server's
 * `seb/analysis/status` "ready" for the new generation, and to the file's findings (`seb/authority/fileFindings`)
 * showing the new write: what the Authority view, the gutter and the hover then read. Each round edits another file
 * of server/ and closes it again (the map goes back to the snapshot).
 * The floor, side by side in the same rounds: TypeScript parsing the edited file alone, the least any re-analysis of
 * it pays.
 * Target (issue 10): the map updated <= 300 ms after an edit, on the 2-core machine.
 * Usage: npm run bench -- server-edit [--edits N]   (default 12)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ROOT } from '../test/harness/env';
import { waitFor } from '../test/harness/wait';
import { fmt, summary } from './stats';
import type { AnalysisStatus } from '../src/protocol/server/review';
import type { FileFindings } from '../src/protocol/server/authority';
import type { Reply } from '../src/protocol/server/defs';

const BENCH = path.join(ROOT, '.cache', 'bench');
const CANDIDATES = ['server/routes.ts', 'server/agent-routes.ts', 'server/db.ts', 'server/collab.ts', 'server/bridge.ts', 'server/document-engine.ts'];

async function proofRun(): Promise<string> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'build-proof-run.mjs')).href)) as { buildProofRun(dir: string): Promise<{ dir: string }> };
  return (await mod.buildProofRun(path.join(BENCH, 'proof-run'))).dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { edits: { type: 'string', default: '12' } } });
  const count = Number(values.edits);
  const dir = await proofRun();
  const server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  let status: AnalysisStatus | undefined;
  conn.onNotification('seb/analysis/status', (s: AnalysisStatus) => { status = s; });
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification('initialized', {});
    const t0 = performance.now();
    await conn.sendNotification('seb/review/open', { target: dir });
    await waitFor('the first analysis', () => (status?.state === 'ready' ? status : undefined), 300000, 20);
    console.log(`Proof fixture at ${dir}: both trees analysed by the server in ${fmt(performance.now() - t0)} (${status?.message})`);
    const toStatus: number[] = [];
    const toFindings: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < count; i++) {
      const rel = CANDIDATES[i % CANDIDATES.length] ?? '';
      const file = path.join(dir, rel);
      const uri = pathToFileURL(file).href;
      const text = readFileSync(file, 'utf8');
      // an edit a reviewer might make while reading: a new exported function that writes
      const edited = `${text}\nexport function benchEdit${i}(d: { exec(sql: string): void }) { d.exec('DELETE FROM bench_${i}'); }\n`;
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const before = status?.generation ?? 0;
      const t1 = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
      await waitFor('the status after the edit', () => (status && status.state === 'ready' && status.generation > before ? true : undefined), 60000, 1);
      toStatus.push(performance.now() - t1);
      const reply = await conn.sendRequest<Reply<{ findings: FileFindings }>>('seb/authority/fileFindings', { side: 'run', path: rel });
      toFindings.push(performance.now() - t1);
      if (!reply.ok || !reply.findings.writes.some(w => w.target === `bench_${i}`)) throw new Error(`the edit to ${rel} is not in its findings`);
      const f0 = performance.now();
      ts.createSourceFile(rel, edited, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      floor.push(performance.now() - f0);
      const closing = status?.generation ?? 0;
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await waitFor('the map back after closing', () => (status && status.state === 'ready' && status.generation > closing ? true : undefined), 60000, 1);
      console.log(`edit ${String(i + 1).padStart(2)} ${rel.padEnd(28)} status ${fmt(toStatus[i] ?? NaN).padStart(9)}  findings ${fmt(toFindings[i] ?? NaN).padStart(9)}  floor ${fmt(floor[i] ?? NaN).padStart(8)}`);
    }
    const s = summary(toStatus);
    const f = summary(toFindings);
    const fl = summary(floor);
    console.log('');
    console.log(`edit -> status ready (min / median / max, ${s.n} edits): ${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`);
    console.log(`edit -> file findings updated:                      ${fmt(f.min)} / ${fmt(f.median)} / ${fmt(f.max)}`);
    console.log(`floor (parse the edited file alone):                 ${fmt(fl.min)} / ${fmt(fl.median)} / ${fmt(fl.max)}; ratio of medians ${(f.median / fl.median).toFixed(1)}x`);
    console.log('target: the map updated <= 300 ms after an edit');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    server.kill();
  }
}

main().catch(err => {
  console.error(err);
  process.exitCode = 1;
});
