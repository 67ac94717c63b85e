import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReviewHost, type HostSink } from '../../../src/server/authority/review-host';
import { analysisDigest } from '../../../src/core/authority/digest';
import type { AnalysisStatus } from '../../../src/protocol/server/review';
import type { EntryPoint } from '../../../src/core/authority/analysis';
import { git, repoWith, scratch } from '../helpers';

/**
 * The language server's analysis host on a real repository: the baseline (root commit) writes documents from two
 * routes; the run routes PUT /doc through the declared authority saveBody and leaves POST /title writing directly.
 * Edits arrive as the editor's text of a run file; expectations are read off the files below.
 */

const packsDir = path.resolve(__dirname, '..', '..', '..', '..', 'rubric', 'authority');
const DB = "import Database from 'better-sqlite3';\nexport const db = new Database('x.db');\n";
const BASE_INDEX = [
  "import express from 'express';",
  "import { db } from './db';",
  'const app = express();',
  "app.put('/doc', () => db.prepare('UPDATE documents SET body = ?').run(1));",
  "app.post('/title', () => db.prepare('UPDATE documents SET title = ?').run(2));",
  '',
].join('\n');
const AUTHORITY = [
  "import { db } from './db';",
  "export function saveBody() { return db.prepare('UPDATE documents SET body = ?').run(1); }",
  "export function saveTitle() { return db.prepare('UPDATE documents SET title = ?').run(2); }",
  '',
].join('\n');
const RUN_INDEX = [
  "import express from 'express';",
  "import { db } from './db';",
  "import { saveBody, saveTitle } from './authority';",
  'const app = express();',
  "app.put('/doc', () => saveBody());",
  "app.post('/title', () => db.prepare('UPDATE documents SET title = ?').run(2));",
  '',
].join('\n');
/** The edit a reviewer might try: POST /title through the authority too. */
const FIXED_INDEX = RUN_INDEX.replace("app.post('/title', () => db.prepare('UPDATE documents SET title = ?').run(2));", "app.post('/title', () => saveTitle());");

class Sink implements HostSink {
  readonly statuses: AnalysisStatus[] = [];
  readonly progress: string[] = [];
  readonly errors: string[] = [];
  cancelProgress: (() => void) | undefined;
  status(s: AnalysisStatus): void {
    this.statuses.push(s);
  }
  beginProgress(title: string, cancel: () => void): Promise<{ report(message: string): void; done(): void }> {
    this.cancelProgress = cancel;
    this.progress.push(`begin ${title}`);
    return Promise.resolve({ report: m => this.progress.push(m), done: () => this.progress.push('done') });
  }
  log(): void {}
  error(message: string): void {
    this.errors.push(message);
  }
  get last(): AnalysisStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }
}

describe('review host: the language server\'s analysis of the open run', () => {
  const s = scratch('seb-review-host-');
  after(() => s.done());
  const run = path.join(s.dir, 'run');
  let commits: string[] = [];

  before(() => {
    commits = repoWith(run, [
      { 'server/db.ts': DB, 'server/index.ts': BASE_INDEX },
      {
        'seb-run.json': JSON.stringify({ runId: 'host-test', authority: [{ path: 'server/authority.ts', symbol: 'saveBody' }, { path: 'server/authority.ts', symbol: 'saveTitle' }] }),
        'server/authority.ts': AUTHORITY, 'server/index.ts': RUN_INDEX,
      },
    ]);
  });

  const wiring = (host: ReviewHost, method: string, p: string): EntryPoint => {
    const e = host.index?.analysis.run.entryPoints.find(x => x.method === method && x.paths.includes(p));
    assert.ok(e, `${method} ${p} in the run`);
    return e;
  };

  test('opens the run, analyses both trees with progress, and reports ready with the digest of what it drew from', async () => {
    const sink = new Sink();
    const host = new ReviewHost(sink, { builtInDir: packsDir });
    try {
      await host.open({ target: run });
      assert.deepEqual(sink.errors, []);
      assert.equal(sink.last?.state, 'ready', JSON.stringify(sink.last));
      assert.equal(sink.statuses[0]?.state, 'analysing');
      assert.equal(sink.progress[0], 'begin SEB Review: analysing the authority map');
      assert.equal(sink.progress[sink.progress.length - 1], 'done');
      assert.equal(wiring(host, 'PUT', '/doc').viaAuthority, true);
      assert.equal(wiring(host, 'POST', '/title').viaAuthority, false);
      assert.equal(sink.last?.runId, 'host-test');
      assert.match(sink.last?.message ?? '', /^2 entry points in the run, 1 bypassing the authority$/);
      const d = sink.last?.digest;
      assert.ok(d);
      assert.equal(d.baselineTree, git(run, 'rev-parse', `${commits[0]}^{tree}`));
      assert.equal(d.runTree, git(run, 'rev-parse', `${commits[1]}^{tree}`));
      assert.deepEqual(d.authority, ['server/authority.ts#saveBody', 'server/authority.ts#saveTitle']);
      assert.deepEqual(d.edited, []);
      const { digest, edited: _edited, ...inputs } = d;
      assert.equal(digest, analysisDigest(inputs));
      assert.equal(host.index?.generation, sink.last?.generation);
    } finally {
      await host.dispose();
    }
  });

  test('an edit of a run file updates the map (a new generation); undoing it restores it; files outside the run are ignored', async () => {
    const sink = new Sink();
    const host = new ReviewHost(sink, { builtInDir: packsDir });
    try {
      await host.open({ target: run });
      const g0 = host.index?.generation ?? -1;
      await host.documentChanged(path.join(run, 'server', 'index.ts'), FIXED_INDEX);
      await host.idle();
      assert.equal(wiring(host, 'POST', '/title').viaAuthority, true, 'the edited text counts');
      assert.ok((host.index?.generation ?? -1) > g0);
      assert.deepEqual(sink.last?.digest?.edited, ['server/index.ts']);
      assert.match(sink.last?.message ?? '', /0 bypassing the authority, 1 edited file$/);
      assert.equal(host.index?.analysis.baseline.entryPoints.length, 2, 'the baseline is untouched');
      const g1 = host.index?.generation ?? -1;
      await host.documentChanged(path.join(s.dir, 'elsewhere', 'index.ts'), FIXED_INDEX);
      await host.documentChanged(path.join(run, 'server', 'index.test.ts'), 'garbage(');
      await host.idle();
      assert.equal(host.index?.generation, g1, 'nothing re-analysed');
      await host.documentChanged(path.join(run, 'server', 'index.ts'), RUN_INDEX);
      await host.idle();
      assert.equal(wiring(host, 'POST', '/title').viaAuthority, false, 'back to the snapshot');
      assert.deepEqual(sink.last?.digest?.edited, []);
      // closed after saving: the disk's text counts
      writeFileSync(path.join(run, 'server', 'index.ts'), FIXED_INDEX);
      try {
        await host.documentChanged(path.join(run, 'server', 'index.ts'), undefined);
        await host.idle();
        assert.equal(wiring(host, 'POST', '/title').viaAuthority, true, 'the saved file counts after it is closed');
      } finally {
        writeFileSync(path.join(run, 'server', 'index.ts'), RUN_INDEX);
      }
    } finally {
      await host.dispose();
    }
  });

  test('cancelled at once: says so, keeps no result; a later open works', async () => {
    const sink = new Sink();
    const host = new ReviewHost(sink, { builtInDir: packsDir });
    try {
      const opening = host.open({ target: run });
      host.cancel();
      await opening;
      assert.equal(sink.last?.state, 'cancelled');
      assert.equal(host.index, undefined);
      await host.open({ target: run });
      assert.equal(sink.last?.state, 'ready');
    } finally {
      await host.dispose();
    }
  });

  test('opened twice in a row: the first is superseded and says nothing more; the last status is the second\'s result', async () => {
    const sink = new Sink();
    const host = new ReviewHost(sink, { builtInDir: packsDir });
    try {
      const first = host.open({ target: run });
      const second = host.open({ target: run });
      await Promise.all([first, second]);
      await host.idle();
      assert.equal(sink.last?.state, 'ready', sink.statuses.map(x => x.state).join(' '));
      assert.ok(!sink.statuses.some(x => x.state === 'cancelled' || x.state === 'failed'), sink.statuses.map(x => x.state).join(' '));
      assert.equal(sink.statuses.filter(x => x.state === 'ready').length, 1, 'one result');
    } finally {
      await host.dispose();
    }
  });

  test('a folder that is not a run: failed, with the folder named; close goes back to idle', async () => {
    const sink = new Sink();
    const host = new ReviewHost(sink, { builtInDir: packsDir });
    try {
      await host.open({ target: path.join(s.dir, 'missing') });
      assert.equal(sink.last?.state, 'failed');
      assert.ok(sink.last?.message.includes(path.join(s.dir, 'missing')), sink.last?.message);
      await host.close();
      assert.equal(sink.last?.state, 'idle');
      assert.equal(host.index, undefined);
    } finally {
      await host.dispose();
    }
  });
});
