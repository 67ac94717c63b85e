/**
 * Hand-written expectations for the authority analysis on the Proof fixture (test/fixtures/build-proof-run.mjs):
 * the baseline is the Proof source from test/fixtures/data/proof-sdk-27eff88.tar.gz (tag `seb-baseline`), the run
 * is the head of the rewrite under test/fixtures/proof-run/steps/. Every entry was written by reading the code, not
 * from any analysis output; test/unit/proof-fixture.test.ts checks that each file:line holds the text named here.
 *
 * Conventions
 * - Lines are 1-based. Files are relative to the tree root, with '/'.
 * - Methods are upper case; '*' is a catch-all `router.use(handler)` (any method), whose path is the mount prefix.
 * - `line` of a route is the line of the registration call (`apiRoutes.post(`); the path string is on that line or,
 *   for a registration split over lines, on the next one.
 * - Full path = mount prefix + route path, joined with single slashes, no trailing slash. `paths` lists EVERY full
 *   path the registration is served at, in the order of the mounts in server/index.ts.
 * - Baseline mounts (server/index.ts:119-126): discoveryRoutes at '/'; apiRoutes at '/api' (after the
 *   enforceApiClientCompatibility middleware) AND at '/' (`app.use(apiRoutes)`); agentRoutes at '/api/agent' and
 *   '/documents'; createBridgeMountRouter(...) at '/d' and '/documents', whose inner router mounts bridgeRouter at
 *   '/:slug/bridge' (server/bridge.ts:38 and :40, the two branches of one `if`); shareWebRoutes at '/'.
 * - SQL writes: `line` is the line where the statement expression starts (the `prepare(` of
 *   `getDb().prepare(...).run(...)`, the `exec(` of `d.exec(...)`, or `stmt.run(` for a statement prepared earlier);
 *   `runLine` is the line of `.run(` (same as `line` for exec and for `stmt.run(`). A write inside a
 *   `d.transaction(() => ...)` callback belongs to the named function that encloses the callback.
 * - Yjs writes: `line` is the line of `Y.applyUpdate(`, `x.transact(` or the mutation call; the function is the
 *   named function around it (the arrow passed to transact is not a function of its own here).
 * - Writes reached only through getDb()'s one-time lazy initialisation (server/db.ts:483-493 calls initDatabase,
 *   which creates tables, adds columns and backfills) and through assertWritesAllowed's environment bookkeeping
 *   (system_metadata) are reachable from every route that touches the database, in the baseline and the run alike.
 *   The per-route statements below ("reaches", "lost", "no write") do not count them.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*';

export interface RouteExpectation {
  method: Method;
  /** Path as written in the registration (the mount prefix for '*'). */
  routePath: string;
  /** Every full mounted path. */
  paths: string[];
  file: string;
  line: number;
  /** Name of the handler when it is a named function; undefined for an inline arrow. */
  handler?: { name: string; file: string; line: number };
  router: string;
  note?: string;
}

export interface DeadRouteExpectation {
  method: Method;
  routePath: string;
  file: string;
  line: number;
  router: string;
  why: string;
}

export interface HandlerExpectation {
  kind: 'ws-handler' | 'collab-hook' | 'timer';
  /** The event or hook name: 'connection', 'message', 'onChange', 'setInterval'... */
  event: string;
  file: string;
  line: number;
  /** The named function the registration sits in. */
  inFunction: string;
  /** Reachable from server/index.ts main() in the baseline. */
  reachable: boolean;
  note?: string;
}

export interface WriteExpectation {
  kind: 'sql' | 'yjs' | 'fs';
  /** Table for SQL (constants resolved), Yjs structure for Yjs ('agentPresence' map, 'markdown' text...), or file. */
  target: string;
  file: string;
  line: number;
  runLine?: number;
  function: string;
  /** A fragment of the text that is on `line`. */
  text: string;
}

export interface ReachExpectation {
  method: Method;
  path: string;
  reachesSql: boolean;
  /** One witness: function names from the handler to the write (or, for false, what the handler calls). */
  chain: string[];
  /** The write at the end of the chain (file:line of the write call), when reachesSql. */
  write?: { file: string; line: number; target: string };
}

export interface FateExpectation {
  fate: 'kept' | 'moved' | 'renamed' | 'hollowed' | 'deleted' | 'unreachable';
  baseline: { method: Method; path: string; file: string; line: number };
  run: Array<{ method: Method; path: string; file: string; line: number }>;
  reason: string;
  /**
   * For hollowed: what the baseline entry reached that the run entry does not (table or structure names). The
   * traced subset: the canonical path (persistMarksAsync -> mutateCanonicalDocument) reaches more.
   */
  lostWrites?: string[];
}

const api = (p: string): string[] => [`/api${p}`, p];
const agent = (p: string): string[] => [`/api/agent${p}`, `/documents${p}`];

/** (a) Baseline write routes in server/*.ts, with every full mounted path. */
export const baselineWriteRoutes: RouteExpectation[] = [
  // server/routes.ts: apiRoutes, mounted at /api and at /
  { method: 'POST', routePath: '/documents', paths: api('/documents'), file: 'server/routes.ts', line: 787, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/access-links', paths: api('/documents/:slug/access-links'), file: 'server/routes.ts', line: 890, router: 'apiRoutes' },
  { method: 'POST', routePath: '/auth/start', paths: api('/auth/start'), file: 'server/routes.ts', line: 938, router: 'apiRoutes' },
  { method: 'POST', routePath: '/auth/logout', paths: api('/auth/logout'), file: 'server/routes.ts', line: 1005, router: 'apiRoutes' },
  {
    method: 'POST', routePath: '/share/markdown', paths: api('/share/markdown'), file: 'server/routes.ts', line: 1016, router: 'apiRoutes',
    handler: { name: 'handleShareMarkdown', file: 'server/routes.ts', line: 1022 },
    note: 'registration split over lines (path on 1017, shareMarkdownBodyParser middleware on 1018); the root path /share/markdown is also registered by shareWebRoutes (server/share-web-routes.ts:49) with the same handler',
  },
  { method: 'PUT', routePath: '/documents/:slug/title', paths: api('/documents/:slug/title'), file: 'server/routes.ts', line: 1213, router: 'apiRoutes' },
  { method: 'PUT', routePath: '/documents/:slug', paths: api('/documents/:slug'), file: 'server/routes.ts', line: 1289, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/ops', paths: api('/documents/:slug/ops'), file: 'server/routes.ts', line: 1580, router: 'apiRoutes', note: 'opsRateLimiter middleware before the handler' },
  { method: 'DELETE', routePath: '/documents/:slug', paths: api('/documents/:slug'), file: 'server/routes.ts', line: 1787, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/pause', paths: api('/documents/:slug/pause'), file: 'server/routes.ts', line: 1813, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/resume', paths: api('/documents/:slug/resume'), file: 'server/routes.ts', line: 1836, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/revoke', paths: api('/documents/:slug/revoke'), file: 'server/routes.ts', line: 1857, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/delete', paths: api('/documents/:slug/delete'), file: 'server/routes.ts', line: 1881, router: 'apiRoutes' },
  { method: 'POST', routePath: '/documents/:slug/collab-refresh', paths: api('/documents/:slug/collab-refresh'), file: 'server/routes.ts', line: 2016, router: 'apiRoutes' },

  // server/agent-routes.ts: agentRoutes, mounted at /api/agent and at /documents
  { method: 'POST', routePath: '/bug-reports', paths: agent('/bug-reports'), file: 'server/agent-routes.ts', line: 1705, router: 'agentRoutes' },
  { method: 'POST', routePath: '/bug-reports/:issueNumber/follow-up', paths: agent('/bug-reports/:issueNumber/follow-up'), file: 'server/agent-routes.ts', line: 1812, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/quarantine', paths: agent('/:slug/quarantine'), file: 'server/agent-routes.ts', line: 2146, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/edit/v2', paths: agent('/:slug/edit/v2'), file: 'server/agent-routes.ts', line: 2282, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/edit', paths: agent('/:slug/edit'), file: 'server/agent-routes.ts', line: 2422, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/presence', paths: agent('/:slug/presence'), file: 'server/agent-routes.ts', line: 3003, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/presence/disconnect', paths: agent('/:slug/presence/disconnect'), file: 'server/agent-routes.ts', line: 3082, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/ops', paths: agent('/:slug/ops'), file: 'server/agent-routes.ts', line: 3147, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/comment', paths: agent('/:slug/marks/comment'), file: 'server/agent-routes.ts', line: 3391, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/suggest-replace', paths: agent('/:slug/marks/suggest-replace'), file: 'server/agent-routes.ts', line: 3413, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/suggest-insert', paths: agent('/:slug/marks/suggest-insert'), file: 'server/agent-routes.ts', line: 3435, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/suggest-delete', paths: agent('/:slug/marks/suggest-delete'), file: 'server/agent-routes.ts', line: 3457, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/accept', paths: agent('/:slug/marks/accept'), file: 'server/agent-routes.ts', line: 3479, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/reject', paths: agent('/:slug/marks/reject'), file: 'server/agent-routes.ts', line: 3548, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/reply', paths: agent('/:slug/marks/reply'), file: 'server/agent-routes.ts', line: 3571, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/resolve', paths: agent('/:slug/marks/resolve'), file: 'server/agent-routes.ts', line: 3593, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/marks/unresolve', paths: agent('/:slug/marks/unresolve'), file: 'server/agent-routes.ts', line: 3615, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/rewrite', paths: agent('/:slug/rewrite'), file: 'server/agent-routes.ts', line: 3637, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/repair', paths: agent('/:slug/repair'), file: 'server/agent-routes.ts', line: 3829, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/clone-from-canonical', paths: agent('/:slug/clone-from-canonical'), file: 'server/agent-routes.ts', line: 3865, router: 'agentRoutes' },
  { method: 'POST', routePath: '/:slug/events/ack', paths: agent('/:slug/events/ack'), file: 'server/agent-routes.ts', line: 3949, router: 'agentRoutes' },
  {
    method: '*', routePath: '', paths: ['/api/agent', '/documents'], file: 'server/agent-routes.ts', line: 3967, router: 'agentRoutes',
    note: 'catch-all: executeDocumentOperationAsync(slug, method, path, ...) with the request method and path; the two earlier agentRoutes.use handlers (1923 idempotency-key check, 1953 metrics hook) call next() and are middleware, not write entry points',
  },

  // server/bridge.ts: bridgeRouter, mounted by createBridgeMountRouter at /:slug/bridge, itself mounted at /d and /documents
  {
    method: '*', routePath: '', paths: ['/d/:slug/bridge', '/documents/:slug/bridge'], file: 'server/bridge.ts', line: 436, router: 'bridgeRouter',
    note: 'catch-all: findBridgeRoutePolicy(method, bridgePath) then dispatch by method and path strings',
  },

  // server/share-web-routes.ts: shareWebRoutes at /
  {
    method: 'POST', routePath: '/share/markdown', paths: ['/share/markdown'], file: 'server/share-web-routes.ts', line: 49, router: 'shareWebRoutes',
    handler: { name: 'handleShareMarkdown', file: 'server/routes.ts', line: 1022 },
    note: 'same method and full path as the root mount of routes.ts:1016; entry ids must still be unique',
  },
];

/** (b) server/metrics.ts: metricsApiRoutes is exported but never imported or mounted, in the baseline and in the run. */
export const deadMetricsRoutes: DeadRouteExpectation[] = [
  { method: 'POST', routePath: '/collab-reconnect', file: 'server/metrics.ts', line: 614, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
  { method: 'POST', routePath: '/mark-anchor', file: 'server/metrics.ts', line: 627, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
  { method: 'POST', routePath: '/mirror-file-creation', file: 'server/metrics.ts', line: 640, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
  { method: 'POST', routePath: '/auth-challenge', file: 'server/metrics.ts', line: 653, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
  { method: 'POST', routePath: '/deep-link-unhandled', file: 'server/metrics.ts', line: 666, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
  { method: 'POST', routePath: '/offline-edit-merge', file: 'server/metrics.ts', line: 674, router: 'metricsApiRoutes', why: 'metricsApiRoutes (server/metrics.ts:612) is never mounted' },
];

/**
 * (c) WebSocket entry points, Hocuspocus hooks and timers (baseline; none of these lines move in the run, whose edits
 * to these files are none: server/ws.ts and server/collab.ts are unchanged).
 * server/index.ts main() calls setupWebSocket(wss) (index.ts:128) and startCollabRuntimeEmbedded(PORT) (:129);
 * startCollabRuntime and startCollabRuntimeAttached are not called from server/.
 */
export const baselineHandlers: HandlerExpectation[] = [
  { kind: 'ws-handler', event: 'connection', file: 'server/ws.ts', line: 158, inFunction: 'setupWebSocket', reachable: true },
  { kind: 'ws-handler', event: 'message', file: 'server/ws.ts', line: 267, inFunction: 'setupWebSocket', reachable: true, note: 'ws.on(\'message\') inside the connection handler' },
  {
    kind: 'ws-handler', event: 'connection', file: 'server/collab.ts', line: 10597, inFunction: 'startCollabRuntimeAttached', reachable: false,
    note: 'collabWss.on(\'connection\'): startCollabRuntimeAttached is not called from server/index.ts',
  },

  // factory.configure({...}) in startCollabRuntime (configure call at collab.ts:10124)
  { kind: 'collab-hook', event: 'onAuthenticate', file: 'server/collab.ts', line: 10128, inFunction: 'startCollabRuntime', reachable: false },
  { kind: 'collab-hook', event: 'onConnect', file: 'server/collab.ts', line: 10143, inFunction: 'startCollabRuntime', reachable: false },
  { kind: 'collab-hook', event: 'onLoadDocument', file: 'server/collab.ts', line: 10153, inFunction: 'startCollabRuntime', reachable: false },
  { kind: 'collab-hook', event: 'onStoreDocument', file: 'server/collab.ts', line: 10178, inFunction: 'startCollabRuntime', reachable: false },
  { kind: 'collab-hook', event: 'onChange', file: 'server/collab.ts', line: 10212, inFunction: 'startCollabRuntime', reachable: false },
  { kind: 'collab-hook', event: 'onDisconnect', file: 'server/collab.ts', line: 10234, inFunction: 'startCollabRuntime', reachable: false },

  // factory.configure({...}) in startCollabRuntimeEmbedded (configure call at collab.ts:10300): the one index.ts starts
  { kind: 'collab-hook', event: 'onAuthenticate', file: 'server/collab.ts', line: 10302, inFunction: 'startCollabRuntimeEmbedded', reachable: true },
  { kind: 'collab-hook', event: 'onConnect', file: 'server/collab.ts', line: 10317, inFunction: 'startCollabRuntimeEmbedded', reachable: true },
  { kind: 'collab-hook', event: 'onLoadDocument', file: 'server/collab.ts', line: 10327, inFunction: 'startCollabRuntimeEmbedded', reachable: true },
  { kind: 'collab-hook', event: 'onStoreDocument', file: 'server/collab.ts', line: 10352, inFunction: 'startCollabRuntimeEmbedded', reachable: true },
  { kind: 'collab-hook', event: 'onChange', file: 'server/collab.ts', line: 10385, inFunction: 'startCollabRuntimeEmbedded', reachable: true },
  { kind: 'collab-hook', event: 'onDisconnect', file: 'server/collab.ts', line: 10404, inFunction: 'startCollabRuntimeEmbedded', reachable: true },

  // factory.configure({...}) in startCollabRuntimeAttached (configure call at collab.ts:10465): no onAuthenticate
  { kind: 'collab-hook', event: 'onConnect', file: 'server/collab.ts', line: 10467, inFunction: 'startCollabRuntimeAttached', reachable: false },
  { kind: 'collab-hook', event: 'onDisconnect', file: 'server/collab.ts', line: 10512, inFunction: 'startCollabRuntimeAttached', reachable: false },
  { kind: 'collab-hook', event: 'onLoadDocument', file: 'server/collab.ts', line: 10515, inFunction: 'startCollabRuntimeAttached', reachable: false },
  { kind: 'collab-hook', event: 'onStoreDocument', file: 'server/collab.ts', line: 10540, inFunction: 'startCollabRuntimeAttached', reachable: false },
  { kind: 'collab-hook', event: 'onChange', file: 'server/collab.ts', line: 10573, inFunction: 'startCollabRuntimeAttached', reachable: false },

  // Timers that reach writes
  {
    kind: 'timer', event: 'setInterval', file: 'server/collab.ts', line: 9896, inFunction: '(module)', reachable: true,
    note: 'top-level `const docEvictionInterval = setInterval(evictIdleDocs, ...)`; evictIdleDocs -> persistOnStoreDocument (collab.ts:9881) -> persistDoc (7993) -> appendYUpdate (7117) -> INSERT INTO document_y_updates (db.ts:3039)',
  },
  {
    kind: 'timer', event: 'setTimeout', file: 'server/collab.ts', line: 7234, inFunction: 'schedulePersistDoc', reachable: true,
    note: 'debounced persist, scheduled by the onChange hooks (e.g. collab.ts:10402); callback -> persistDoc -> appendYUpdate (7117) -> INSERT INTO document_y_updates (db.ts:3039)',
  },
];

/** (d) Writes in the baseline. */
export const baselineWrites: WriteExpectation[] = [
  // server/db.ts, better-sqlite3
  { kind: 'sql', target: 'system_metadata', file: 'server/db.ts', line: 101, runLine: 101, function: 'createMetadataTableIfNeeded', text: 'd.exec(' },
  { kind: 'sql', target: 'system_metadata', file: 'server/db.ts', line: 125, runLine: 128, function: 'writeMetadataValue', text: 'd.prepare(' },
  { kind: 'sql', target: 'document_projections', file: 'server/db.ts', line: 580, runLine: 602, function: 'upsertDocumentProjectionRow', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 977, runLine: 977, function: 'backfillDocumentColumns', text: 'setDocId.run(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1000, runLine: 1000, function: 'initDatabase', text: 'd.exec(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1356, runLine: 1362, function: 'createDocument', text: 'd.prepare(' },
  { kind: 'sql', target: 'document_projections', file: 'server/db.ts', line: 1430, runLine: 1434, function: 'setDocumentProjectionHealth', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'active_collab_connections', file: 'server/db.ts', line: 1513, runLine: 1530, function: 'upsertActiveCollabConnection', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'active_collab_connections', file: 'server/db.ts', line: 1544, runLine: 1547, function: 'removeActiveCollabConnection', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1597, runLine: 1601, function: 'noteDocumentLiveCollabLease', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1664, runLine: 1668, function: 'updateDocument', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1715, runLine: 1719, function: 'updateDocumentTitle', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1792, runLine: 1796, function: 'updateMarks', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 1821, runLine: 1825, function: 'replaceDocumentProjection', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_blocks', file: 'server/db.ts', line: 2079, runLine: 2079, function: 'rebuildDocumentBlocks', text: 'retire.run(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 2120, runLine: 2124, function: 'updateShareState', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 2129, runLine: 2133, function: 'updateShareState', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'events', file: 'server/db.ts', line: 2164, runLine: 2167, function: 'addEvent', text: 'd.prepare(' },
  { kind: 'sql', target: 'document_events', file: 'server/db.ts', line: 2168, runLine: 2173, function: 'addEvent', text: 'd.prepare(' },
  { kind: 'sql', target: 'mutation_outbox', file: 'server/db.ts', line: 2175, runLine: 2180, function: 'addEvent', text: 'd.prepare(' },
  { kind: 'sql', target: 'document_events', file: 'server/db.ts', line: 2199, runLine: 2204, function: 'addDocumentEvent', text: 'd.prepare(' },
  { kind: 'sql', target: 'mutation_outbox', file: 'server/db.ts', line: 2206, runLine: 2211, function: 'addDocumentEvent', text: 'd.prepare(' },
  { kind: 'sql', target: 'document_events', file: 'server/db.ts', line: 2234, runLine: 2238, function: 'ackDocumentEvents', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_access', file: 'server/db.ts', line: 2251, runLine: 2254, function: 'createDocumentAccessToken', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_access', file: 'server/db.ts', line: 2268, runLine: 2272, function: 'revokeDocumentAccessTokens', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_access', file: 'server/db.ts', line: 2279, runLine: 2283, function: 'revokeDocumentAccessTokens', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 2329, runLine: 2333, function: 'bumpDocumentAccessEpoch', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'mutation_idempotency', file: 'server/db.ts', line: 2516, runLine: 2521, function: 'reservePendingIdempotencyKey', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'mutation_idempotency', file: 'server/db.ts', line: 2608, runLine: 2621, function: 'completePendingIdempotencyKey', text: 'd.prepare(' },
  { kind: 'sql', target: 'idempotency_keys', file: 'server/db.ts', line: 2702, runLine: 2705, function: 'storeIdempotencyResult', text: 'd.prepare(' },
  { kind: 'sql', target: 'mutation_idempotency', file: 'server/db.ts', line: 2706, runLine: 2711, function: 'storeIdempotencyResult', text: 'd.prepare(' },
  { kind: 'sql', target: 'idempotency_keys', file: 'server/db.ts', line: 2732, runLine: 2735, function: 'cleanupIdempotencyKeys', text: 'd.prepare(' },
  { kind: 'sql', target: 'mark_tombstones', file: 'server/db.ts', line: 2796, runLine: 2800, function: 'upsertMarkTombstone', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_y_updates', file: 'server/db.ts', line: 3039, runLine: 3042, function: 'appendYUpdate', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 3175, runLine: 3177, function: 'updateYStateBlob', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_y_snapshots', file: 'server/db.ts', line: 3191, runLine: 3194, function: 'saveYSnapshot', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_y_updates', file: 'server/db.ts', line: 3215, runLine: 3218, function: 'pruneObsoleteYHistory', text: 'd.prepare(' },
  { kind: 'sql', target: 'server_incident_events', file: 'server/db.ts', line: 3300, runLine: 3312, function: 'recordServerIncidentEvent', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'document_y_updates', file: 'server/db.ts', line: 3487, runLine: 3490, function: 'clearYjsState', text: 'd.prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 3495, runLine: 3499, function: 'clearYjsState', text: 'd.prepare(' },
  { kind: 'sql', target: 'share_auth_sessions', file: 'server/db.ts', line: 3540, runLine: 3547, function: 'createShareAuthSession', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'user_document_visits', file: 'server/db.ts', line: 3674, runLine: 3680, function: 'upsertUserDocumentVisit', text: 'getDb().prepare(' },
  { kind: 'sql', target: 'documents', file: 'server/db.ts', line: 3822, runLine: 3826, function: 'updateDocumentOwnerId', text: 'getDb().prepare(' },

  // server/collab.ts, Yjs
  { kind: 'yjs', target: 'agentPresence', file: 'server/collab.ts', line: 865, function: 'pruneExpiredAgentEphemera', text: 'doc.transact(' },
  { kind: 'yjs', target: 'agentPresence', file: 'server/collab.ts', line: 983, function: 'clearAgentPresenceForSlug', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'agentCursors', file: 'server/collab.ts', line: 1001, function: 'clearAgentCursorForSlug', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'markdown', file: 'server/collab.ts', line: 1608, function: 'syncAuthoritativeDocState', text: 'target.transact(' },
  { kind: 'yjs', target: 'markdown', file: 'server/collab.ts', line: 4243, function: 'resolveLoadedDocFragmentMarkdown', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'prosemirror', file: 'server/collab.ts', line: 4522, function: 'syncFragmentFromMarkdownText', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'markdown', file: 'server/collab.ts', line: 5296, function: 'seedLegacyDocumentToPersistedYjs', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'markdown', file: 'server/collab.ts', line: 5297, function: 'seedLegacyDocumentToPersistedYjs', text: "ydoc.getText('markdown').insert(" },
  { kind: 'yjs', target: 'Y.Doc', file: 'server/collab.ts', line: 5392, function: 'readPersistedDocState', text: 'Y.applyUpdate(ydoc, compactedBlob)' },
  { kind: 'yjs', target: 'Y.Doc', file: 'server/collab.ts', line: 5469, function: 'readPersistedDocState', text: 'Y.applyUpdate(ydoc, update.update)' },
  { kind: 'yjs', target: 'prosemirror', file: 'server/collab.ts', line: 8541, function: 'syncCanonicalDocumentStateToCollabInner', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'agentPresence', file: 'server/collab.ts', line: 9116, function: 'applyAgentPresenceToLoadedCollab', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'agentPresence', file: 'server/collab.ts', line: 9169, function: 'removeAgentPresenceFromLoadedCollab', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'agentCursors', file: 'server/collab.ts', line: 9211, function: 'applyAgentCursorHintToLoadedCollab', text: 'ydoc.transact(' },
  { kind: 'yjs', target: 'agentCursors', file: 'server/collab.ts', line: 9213, function: 'applyAgentCursorHintToLoadedCollab', text: 'cursorMap.set(agentId' },
  { kind: 'yjs', target: 'markdown', file: 'server/collab.ts', line: 9840, function: 'reconcileCanonicalDocumentToYjs', text: 'ydoc.transact(' },

  // server/snapshot.ts, fs
  { kind: 'fs', target: 'snapshots/<slug>.html', file: 'server/snapshot.ts', line: 187, function: 'refreshSnapshotForSlug', text: 'writeFileSync(snapshotPath(slug)' },
];

/** (e) Whether a baseline write route reaches an SQL write, traced by hand (one witness each). */
export const baselineReach: ReachExpectation[] = [
  {
    method: 'POST', path: '/api/documents', reachesSql: true, chain: ['(handler routes.ts:787)', 'createDocument'],
    write: { file: 'server/db.ts', line: 1356, target: 'documents' },
  },
  {
    method: 'POST', path: '/api/documents/:slug/access-links', reachesSql: true, chain: ['(handler routes.ts:890)', 'createDocumentAccessToken'],
    write: { file: 'server/db.ts', line: 2251, target: 'document_access' },
  },
  {
    method: 'PUT', path: '/api/documents/:slug/title', reachesSql: true, chain: ['(handler routes.ts:1213)', 'updateDocumentTitle'],
    write: { file: 'server/db.ts', line: 1715, target: 'documents' },
  },
  {
    method: 'DELETE', path: '/documents/:slug', reachesSql: true, chain: ['(handler routes.ts:1787)', 'deleteDocument', 'updateShareState'],
    write: { file: 'server/db.ts', line: 2120, target: 'documents' },
  },
  {
    method: 'POST', path: '/api/documents/:slug/pause', reachesSql: true, chain: ['(handler routes.ts:1813)', 'pauseDocument', 'updateShareState'],
    write: { file: 'server/db.ts', line: 2129, target: 'documents' },
  },
  {
    method: 'POST', path: '/api/documents/:slug/resume', reachesSql: true, chain: ['(handler routes.ts:1836)', 'resumeDocument', 'updateShareState'],
    write: { file: 'server/db.ts', line: 2129, target: 'documents' },
  },
  {
    method: 'POST', path: '/api/documents/:slug/revoke', reachesSql: true, chain: ['(handler routes.ts:1857)', 'revokeDocumentAccessTokens'],
    write: { file: 'server/db.ts', line: 2279, target: 'document_access' },
  },
  {
    method: 'POST', path: '/api/documents/:slug/delete', reachesSql: true, chain: ['(handler routes.ts:1881)', 'addEvent'],
    write: { file: 'server/db.ts', line: 2164, target: 'events' },
  },
  {
    method: 'POST', path: '/api/agent/:slug/events/ack', reachesSql: true, chain: ['(handler agent-routes.ts:3949)', 'ackDocumentEvents'],
    write: { file: 'server/db.ts', line: 2234, target: 'document_events' },
  },
  {
    method: 'POST', path: '/documents/:slug/presence', reachesSql: true, chain: ['(handler agent-routes.ts:3003)', 'addDocumentEvent'],
    write: { file: 'server/db.ts', line: 2199, target: 'document_events' },
  },
  {
    method: 'POST', path: '/api/agent/:slug/marks/unresolve', reachesSql: true,
    chain: ['(handler agent-routes.ts:3615)', 'executeDocumentOperationAsync', 'unresolveCommentAsync', 'persistMarksAsync', 'persistMarks', 'updateMarks'],
    write: { file: 'server/db.ts', line: 1792, target: 'documents' },
  },
  {
    method: 'POST', path: '/api/agent/:slug/marks/resolve', reachesSql: true,
    chain: ['(handler agent-routes.ts:3593)', 'executeDocumentOperationAsync', 'resolveCommentAsync', 'upsertMarkTombstone'],
    write: { file: 'server/db.ts', line: 2796, target: 'mark_tombstones' },
  },
  {
    method: 'POST', path: '/api/auth/start', reachesSql: false,
    chain: ['(handler routes.ts:938)', 'getPublicBaseUrl', 'startOAuthFlow', 'buildOAuthNotConfiguredPayload'],
  },
  {
    method: 'POST', path: '/api/auth/logout', reachesSql: false,
    chain: ['(handler routes.ts:1005)', 'getDirectSharePresentedToken', 'revokeHostedSessionToken'],
  },
];

/** (f) The run (head of the fixture): where things are, and what became of the baseline entry points. */
export const runFacts = {
  authority: { path: 'server/authority/document-authority.ts', symbol: 'applyDocumentWrite', line: 31 },
  /** Run mounts (server/index.ts). */
  mounts: [
    { file: 'server/index.ts', line: 120, text: "app.use('/api', enforceApiClientCompatibility, apiRoutes);" },
    { file: 'server/index.ts', line: 121, text: "app.use('/api', enforceApiClientCompatibility, documentRoutes);" },
    { file: 'server/index.ts', line: 122, text: 'mountAgentRoutes(app);' },
    { file: 'server/index.ts', line: 123, text: 'app.use(apiRoutes);' },
    { file: 'server/index.ts', line: 124, text: 'app.use(documentRoutes);' },
    { file: 'server/index.ts', line: 127, text: "app.use('/documents', agentRoutes);" },
    { file: 'server/agent-mount.ts', line: 9, text: "app.use('/api/agent', agentRoutes);" },
  ],
  /** The agent routes keep both full paths through the mountAgentRoutes(app) helper. */
  mountHelper: {
    helper: 'mountAgentRoutes', file: 'server/agent-mount.ts', line: 8, calledAt: { file: 'server/index.ts', line: 122 },
    example: { method: 'POST' as Method, paths: ['/api/agent/:slug/marks/comment', '/documents/:slug/marks/comment'], file: 'server/agent-routes.ts', line: 3391 },
  },
  /** Routes whose every write goes through applyDocumentWrite. */
  viaAuthority: [
    { method: 'PUT' as Method, paths: ['/api/documents/:slug/title', '/documents/:slug/title'], file: 'server/routes.ts', line: 1211, callLine: 1257 },
    { method: 'POST' as Method, paths: ['/api/documents/:slug/suspend', '/documents/:slug/suspend'], file: 'server/routes.ts', line: 1812, callLine: 1827 },
    { method: 'POST' as Method, paths: ['/api/documents/:slug/resume', '/documents/:slug/resume'], file: 'server/document-routes.ts', line: 20, callLine: 35 },
  ],
  /**
   * The designated bypass: moved next to resume in the same commit, it still writes directly. (It is not the only
   * route that writes outside the authority: the plan leaves edits, ops, marks, the bridge and collab for later, so
   * e.g. DELETE /documents/:slug and PUT /documents/:slug also bypass.)
   */
  bypass: {
    method: 'POST' as Method, paths: ['/api/documents/:slug/revoke', '/documents/:slug/revoke'], file: 'server/document-routes.ts', line: 39,
    chain: ['(handler document-routes.ts:39)', 'revokeDocument', 'updateShareState'],
    callLine: 54,
    write: { file: 'server/db.ts', line: 2129, target: 'documents' },
    alsoDirect: ['revokeDocumentAccessTokens (db.ts:2279 document_access)', 'addEvent (db.ts:2164 events, 2168 document_events, 2175 mutation_outbox)', 'invalidateCollabDocument', 'refreshSnapshotForSlug'],
  },
  /** Hollowed: the run handler and the dispatcher branch it reaches. */
  hollowed: {
    handler: { file: 'server/agent-routes.ts', line: 3615, callLine: 3625 },
    branch: { file: 'server/document-engine.ts', line: 2692, callLine: 2693, callee: 'acknowledgeMarkUnresolve' },
    acknowledge: { file: 'server/document-engine.ts', line: 2622 },
    /** Left in the code, now called by nobody. */
    deadFunctions: [
      { name: 'unresolveComment', file: 'server/document-engine.ts', line: 2519 },
      { name: 'unresolveCommentAsync', file: 'server/document-engine.ts', line: 2538 },
    ],
  },
};

export const fates: FateExpectation[] = [
  {
    fate: 'kept',
    baseline: { method: 'DELETE', path: '/api/documents/:slug', file: 'server/routes.ts', line: 1787 },
    run: [{ method: 'DELETE', path: '/api/documents/:slug', file: 'server/routes.ts', line: 1785 }],
    reason: 'untouched: same file, method and both full paths; the handler body is byte-identical (it only moved up 2 lines)',
  },
  {
    fate: 'kept',
    baseline: { method: 'PUT', path: '/api/documents/:slug/title', file: 'server/routes.ts', line: 1213 },
    run: [{ method: 'PUT', path: '/api/documents/:slug/title', file: 'server/routes.ts', line: 1211 }],
    reason: 'same file, method and paths; its writes (documents, events, document_events, mutation_outbox, snapshot file) now go through applyDocumentWrite, same targets',
  },
  {
    fate: 'kept',
    baseline: { method: 'POST', path: '/api/agent/:slug/marks/comment', file: 'server/agent-routes.ts', line: 3391 },
    run: [{ method: 'POST', path: '/api/agent/:slug/marks/comment', file: 'server/agent-routes.ts', line: 3391 }],
    reason: 'untouched; agentRoutes is now mounted at /api/agent by mountAgentRoutes(app) (server/agent-mount.ts:9) and still at /documents (index.ts:127), so both full paths are unchanged',
  },
  {
    fate: 'moved',
    baseline: { method: 'POST', path: '/api/documents/:slug/resume', file: 'server/routes.ts', line: 1836 },
    run: [{ method: 'POST', path: '/api/documents/:slug/resume', file: 'server/document-routes.ts', line: 20 }],
    reason: 'registration moved from apiRoutes (routes.ts) to documentRoutes (document-routes.ts), mounted at /api and / like apiRoutes: same method and full paths, other file',
  },
  {
    fate: 'moved',
    baseline: { method: 'POST', path: '/api/documents/:slug/revoke', file: 'server/routes.ts', line: 1857 },
    run: [{ method: 'POST', path: '/api/documents/:slug/revoke', file: 'server/document-routes.ts', line: 39 }],
    reason: 'same as resume; the handler body is unchanged (and still writes directly: the bypass)',
  },
  {
    fate: 'renamed',
    baseline: { method: 'POST', path: '/api/documents/:slug/pause', file: 'server/routes.ts', line: 1813 },
    run: [{ method: 'POST', path: '/api/documents/:slug/suspend', file: 'server/routes.ts', line: 1812 }],
    reason: 'path /documents/:slug/pause became /documents/:slug/suspend in the same file; the handler keeps its checks and response, and its five calls (pauseDocument, invalidateCollabDocument, closeRoom, addEvent, refreshSnapshotForSlug) became one applyDocumentWrite(..., PAUSED) call that makes the same calls',
  },
  {
    fate: 'hollowed',
    baseline: { method: 'POST', path: '/api/agent/:slug/marks/unresolve', file: 'server/agent-routes.ts', line: 3615 },
    run: [{ method: 'POST', path: '/api/agent/:slug/marks/unresolve', file: 'server/agent-routes.ts', line: 3615 }],
    reason: 'still registered and mounted; the handler still calls executeDocumentOperationAsync(slug, \'POST\', \'/marks/unresolve\', payload), but that branch (document-engine.ts:2692) now returns acknowledgeMarkUnresolve(slug, body), which touches nothing, the sync fallback no longer has an unresolve branch, and the handler dropped maybeReplayIdempotentMutation, enforceMutationPrecondition, storeIdempotentMutationResult and notifyCollabMutation. In the run the route reaches no write (getDb lazy init aside, through checkAuth -> getDocumentBySlug).',
    lostWrites: [
      'documents (updateMarks, db.ts:1792, via persistMarksAsync -> persistMarks)',
      'document_projections (upsertDocumentProjectionRow, db.ts:580, via updateMarks)',
      'document_events (addDocumentEvent, db.ts:2199)',
      'mutation_outbox (addDocumentEvent, db.ts:2206)',
      'idempotency_keys (storeIdempotencyResult, db.ts:2702, via storeIdempotentMutationResult -> completeMutationReservation)',
      'mutation_idempotency (storeIdempotencyResult, db.ts:2706)',
      'snapshot file (refreshSnapshotForSlug, snapshot.ts:187)',
    ],
  },
  {
    fate: 'deleted',
    baseline: { method: 'POST', path: '/api/documents/:slug/delete', file: 'server/routes.ts', line: 1881 },
    run: [],
    reason: 'the registration is gone from every file (the legacy POST alias of DELETE /documents/:slug)',
  },
  {
    fate: 'unreachable',
    baseline: { method: 'GET', path: '/.well-known/agent.json', file: 'server/discovery-routes.ts', line: 70 },
    run: [{ method: 'GET', path: '/.well-known/agent.json', file: 'server/discovery-routes.ts', line: 70 }],
    reason: 'discoveryRoutes is still defined in server/discovery-routes.ts but index.ts no longer imports or mounts it (the baseline mounted it at index.ts:119); the same holds for GET /AGENT_CONTRACT.md (:124) and GET /agent-docs (:133). Only src/tests/server-routes-and-share.test.ts still mounts it, on its own app.',
  },
];
