import { ANALYSIS_FORMAT, type Analysis, type EntryPoint, type Write } from '../../../src/core/authority/analysis';

/**
 * A hand-built analysis (not the engine's output) with one of everything the report and SARIF show: a bypass with its
 * witness path, each fate class, a dead entry point, a skipped file. The baseline wrote documents from two routes; the
 * run routes one through the authority `saveDocument`, leaves one bypassing it, hollows a mark route, and never mounts
 * the agent router.
 */

function entry(e: Partial<EntryPoint> & Pick<EntryPoint, 'id' | 'file' | 'line'>): EntryPoint {
  return {
    kind: 'http-route', category: 'rest', paths: [], handler: { file: e.file, line: e.line, name: 'handler' },
    reachable: true, why: 'mounted on the app in server/index.ts', writes: [], viaAuthority: null, ...e,
  };
}

const w = (id: string, kind: string, target: string, file: string, line: number, fn: string): Write => ({ id, kind, target, file, line, function: fn });

export function sampleAnalysis(): Analysis {
  return {
    format: ANALYSIS_FORMAT,
    authority: ['server/authority.ts#saveDocument'],
    baseline: {
      tree: 'b'.repeat(40), files: 12, lines: 3400, skipped: [],
      writes: [
        w('b:sql:documents@server/db.ts:40', 'sql', 'documents', 'server/db.ts', 40, 'updateDocument'),
        w('b:sql:marks@server/db.ts:80', 'sql', 'marks', 'server/db.ts', 80, 'insertMark'),
      ],
      entryPoints: [
        entry({ id: 'b1', file: 'server/routes.ts', line: 20, method: 'PUT', path: '/api/documents/:slug', paths: ['/api/documents/:slug'],
          handler: { file: 'server/routes.ts', line: 21, name: 'putDocument' }, writes: ['b:sql:documents@server/db.ts:40'] }),
        entry({ id: 'b2', file: 'server/routes.ts', line: 30, method: 'POST', path: '/api/documents/:slug/title', paths: ['/api/documents/:slug/title'],
          handler: { file: 'server/routes.ts', line: 31, name: 'setTitle' }, writes: ['b:sql:documents@server/db.ts:40'] }),
        entry({ id: 'b3', category: 'mark', file: 'server/marks.ts', line: 10, method: 'POST', path: '/marks/comment', paths: ['/marks/comment'],
          handler: { file: 'server/marks.ts', line: 11, name: 'comment' }, writes: ['b:sql:marks@server/db.ts:80'],
          witnesses: { 'b:sql:marks@server/db.ts:80': [
            { file: 'server/marks.ts', line: 10, name: 'POST /marks/comment' },
            { file: 'server/marks.ts', line: 11, name: 'comment', via: 'handler' },
            { file: 'server/db.ts', line: 80, name: 'insertMark', via: 'call' },
          ] } }),
        entry({ id: 'b4', category: 'agent', file: 'server/agent.ts', line: 5, method: 'POST', path: '/api/agent/edit', paths: ['/api/agent/edit'],
          handler: { file: 'server/agent.ts', line: 6, name: 'agentEdit' }, writes: ['b:sql:documents@server/db.ts:40'] }),
        entry({ id: 'b5', kind: 'ws-handler', category: 'websocket', file: 'server/ws.ts', line: 3, event: 'message',
          handler: { file: 'server/ws.ts', line: 4, name: 'onMessage' } }),
      ],
    },
    run: {
      tree: 'r'.repeat(40), files: 9, lines: 2100, skipped: [{ file: 'server/huge.min.js', reason: 'minified bundle' }],
      authority: [{ name: 'server/authority.ts#saveDocument', file: 'server/authority.ts', line: 7, found: true }],
      writes: [
        w('r:sql:documents@server/store.ts:12', 'sql', 'documents', 'server/store.ts', 12, 'writeDocument'),
      ],
      entryPoints: [
        entry({ id: 'r1', file: 'server/routes.ts', line: 22, method: 'PUT', path: '/api/documents/:slug', paths: ['/api/documents/:slug'],
          handler: { file: 'server/routes.ts', line: 23, name: 'putDocument' }, writes: ['r:sql:documents@server/store.ts:12'], viaAuthority: true }),
        entry({ id: 'r2', file: 'server/document-routes.ts', line: 8, method: 'POST', path: '/api/documents/:slug/title', paths: ['/api/documents/:slug/title'],
          handler: { file: 'server/document-routes.ts', line: 9, name: 'setTitle' }, writes: ['r:sql:documents@server/store.ts:12'], viaAuthority: false,
          bypasses: [{ write: 'r:sql:documents@server/store.ts:12', path: [
            { file: 'server/document-routes.ts', line: 8, name: 'POST /api/documents/:slug/title' },
            { file: 'server/document-routes.ts', line: 9, name: 'setTitle', via: 'handler' },
            { file: 'server/store.ts', line: 12, name: 'writeDocument', via: 'call' },
          ] }] }),
        entry({ id: 'r3', category: 'mark', file: 'server/marks.ts', line: 10, method: 'POST', path: '/marks/comment', paths: ['/marks/comment'],
          handler: { file: 'server/marks.ts', line: 11, name: 'comment' } }),
        entry({ id: 'r4', category: 'agent', file: 'server/agent.ts', line: 5, method: 'POST', path: '/api/agent/edit', paths: ['/api/agent/edit'],
          handler: { file: 'server/agent.ts', line: 6, name: 'agentEdit' }, reachable: false, why: 'router agentRoutes is never mounted',
          writes: ['r:sql:documents@server/store.ts:12'], viaAuthority: true }),
        entry({ id: 'r5', kind: 'timer', category: 'timer', file: 'server/cleanup.ts', line: 2, event: 'setInterval',
          handler: { file: 'server/cleanup.ts', line: 3, name: 'sweep' }, reachable: false, why: 'startCleanup is never called' }),
      ],
    },
    fates: [
      { baseline: 'b1', fate: 'kept', run: ['r1'], lostWrites: [], gainedWrites: [], note: 'kept in server/routes.ts' },
      { baseline: 'b2', fate: 'moved', run: ['r2'], lostWrites: [], gainedWrites: [], note: 'moved from server/routes.ts to server/document-routes.ts' },
      { baseline: 'b3', fate: 'hollowed', run: ['r3'], lostWrites: ['b:sql:marks@server/db.ts:80'], gainedWrites: [], note: 'no longer reaches marks' },
      { baseline: 'b4', fate: 'unreachable', run: ['r4'], lostWrites: ['b:sql:documents@server/db.ts:40'], gainedWrites: [], note: 'router agentRoutes is never mounted' },
      { baseline: 'b5', fate: 'deleted', run: [], lostWrites: [], gainedWrites: [], note: 'no ws-handler message handler onMessage in the run' },
    ],
  };
}
