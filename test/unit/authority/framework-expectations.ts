/**
 * What the authority analysis must find in each framework fixture (test/fixtures/frameworks/<name>/), written by
 * reading the fixture code, not from the tool's output. Files are relative to the fixture's folder; lines are 1-based.
 *
 * - An entry point's `line` is its registration: the `router.post(` call, the `x.on('event'` call, the hook's property,
 *   the route decorator (`@Post()`), or the lifecycle method's name. `handler` is the function that runs: an inline
 *   function where it starts, a named one where it is declared.
 * - `paths` is every full mounted path, exactly (order does not matter). A route that is never mounted has none; its
 *   `path` is then the one its own router gives it (a koa-router `prefix` option included), so it can still be keyed.
 * - A function given to a mount (`router.use('/projects', requireAdmin, child.routes())`) runs for every request under
 *   the prefix: a catch-all entry point (method "*").
 * - A write's `line` is the line of the writing call. `target` and `function` are left out where the fixture cannot
 *   decide them: a target chosen by a built-in pack another author writes (yjs' applyUpdate), or a write inside an
 *   anonymous function or at module level, whose naming the engine decides. A class method's name may come back
 *   qualified (`ArticlesService.create`).
 * - `writes` of an entry point: exactly the writes it reaches (by key), through any number of calls and files.
 * - `notWrites`: calls that look like writes and are not (a plain Map's set, a SELECT, TypeORM's create()).
 * - `packs`: the packs whose findings this fixture pins exactly; findings of other packs (for example an http
 *   request handler a node pack may report) are not counted as unexpected.
 */

export interface ExpectedWrite {
  /** Local to the fixture: how entry points name the writes they reach. */
  key: string;
  kind: string;
  target?: string;
  file: string;
  line: number;
  function?: string;
}

export interface ExpectedEntry {
  kind: string;
  category: string;
  method?: string;
  paths?: string[];
  /** Checked when given: the entry point's own path (for a route that is never mounted). */
  path?: string;
  event?: string;
  file: string;
  line: number;
  handler: { file: string; line: number; name?: string };
  reachable: boolean;
  writes: string[];
}

export interface FrameworkCase {
  /** The folder under test/fixtures/frameworks. */
  name: string;
  what: string;
  /** Pack files kept in the fixture folder (a reviewer's own pack), relative to it. */
  extraPacks?: string[];
  /** Packs this fixture exercises; these ids must be loaded, except built-ins written elsewhere (`others`). */
  packs: string[];
  /** Built-in packs written by the engine's author that the fixture also relies on (express, ws, yjs, sql). */
  others?: string[];
  entries: ExpectedEntry[];
  writes: ExpectedWrite[];
  notWrites: Array<{ file: string; line: number; why: string }>;
}

const REST = { kind: 'http-route', category: 'rest' } as const;
const WS = { kind: 'ws-handler', category: 'websocket' } as const;

/** An HTTP route whose handler is inline at the registration line. */
function route(method: string, paths: string[], file: string, line: number, writes: string[] = []): ExpectedEntry {
  return { ...REST, method, paths, file, line, handler: { file, line }, reachable: true, writes };
}

/** A route registered on a router or instance that nothing mounts: dead, no mounted path, its own path kept. */
function deadRoute(method: string, path: string, file: string, line: number, writes: string[] = []): ExpectedEntry {
  return { ...REST, method, paths: [], path, file, line, handler: { file, line }, reachable: false, writes };
}

export const FRAMEWORK_CASES: FrameworkCase[] = [
  {
    name: 'koa',
    what: 'Koa + @koa/router: a prefixed router with a nested router mounted by router.use(\'/projects\', child.routes()), a router never mounted, writes through knex in an imported module',
    packs: ['koa', 'knex'],
    entries: [
      route('GET', ['/healthz'], 'src/routes/health.ts', 5),
      route('GET', ['/api/me'], 'src/routes/api.ts', 7),
      { ...REST, method: '*', paths: ['/api/projects'], file: 'src/routes/api.ts', line: 11,
        handler: { file: 'src/routes/admin.ts', line: 5, name: 'requireAdmin' }, reachable: true, writes: [] },
      { ...REST, method: 'GET', paths: ['/api/projects/:id'], file: 'src/routes/projects.ts', line: 7,
        handler: { file: 'src/routes/show-project.ts', line: 4, name: 'showProject' }, reachable: true, writes: [] },
      route('POST', ['/api/projects'], 'src/routes/projects.ts', 9, ['projects-insert', 'audit-insert']),
      route('PATCH', ['/api/projects/:id'], 'src/routes/projects.ts', 15, ['projects-update']),
      // adminRouter is exported and its file imported (for requireAdmin), but nothing mounts it
      deadRoute('DELETE', '/admin/projects/:id', 'src/routes/admin.ts', 13, ['admin-delete']),
    ],
    writes: [
      { key: 'projects-insert', kind: 'sql', target: 'projects', file: 'src/db/projects.ts', line: 4, function: 'createProject' },
      { key: 'audit-insert', kind: 'sql', target: 'audit_log', file: 'src/db/projects.ts', line: 5, function: 'createProject' },
      { key: 'projects-update', kind: 'sql', target: 'projects', file: 'src/db/projects.ts', line: 10, function: 'renameProject' },
      { key: 'admin-delete', kind: 'sql', target: 'projects', file: 'src/routes/admin.ts', line: 14 },
    ],
    notWrites: [
      { file: 'src/routes/show-project.ts', line: 5, why: 'db(\'projects\').where().first() reads' },
    ],
  },

  {
    name: 'fastify',
    what: 'Fastify: shorthand routes with a schema option, route({ method, url, handler }), plugins registered with a prefix inside a prefixed inline plugin, a plugin nobody registers, writes through Prisma in imported modules',
    packs: ['fastify', 'prisma'],
    entries: [
      route('GET', ['/health'], 'src/app.ts', 7),
      route('GET', ['/api/v1/notes'], 'src/routes/notes.ts', 11),
      route('POST', ['/api/v1/notes'], 'src/routes/notes.ts', 13, ['note-create', 'activity-create']),
      { ...REST, method: 'DELETE', paths: ['/api/v1/notes/:id'], file: 'src/routes/notes.ts', line: 19,
        handler: { file: 'src/routes/notes.ts', line: 22 }, reachable: true, writes: ['note-archive'] },
      { ...REST, method: 'PUT', paths: ['/api/v1/admin/notes/:id/pin'], file: 'src/routes/admin.ts', line: 5,
        handler: { file: 'src/routes/admin.ts', line: 8, name: 'pinNote' }, reachable: true, writes: ['note-pin'] },
      // legacyRoutes takes a FastifyInstance but is never registered
      deadRoute('POST', '/import', 'src/routes/legacy.ts', 6, ['note-import']),
    ],
    writes: [
      { key: 'note-create', kind: 'orm', target: 'note', file: 'src/services/notes.ts', line: 8, function: 'createNote' },
      { key: 'activity-create', kind: 'orm', target: 'activity', file: 'src/services/notes.ts', line: 9, function: 'createNote' },
      { key: 'note-archive', kind: 'orm', target: 'note', file: 'src/services/notes.ts', line: 14, function: 'archiveNote' },
      { key: 'note-pin', kind: 'orm', target: 'note', file: 'src/routes/admin.ts', line: 9, function: 'pinNote' },
      { key: 'note-import', kind: 'orm', target: 'note', file: 'src/routes/legacy.ts', line: 8 },
    ],
    notWrites: [
      { file: 'src/services/notes.ts', line: 4, why: 'prisma.note.findMany reads' },
    ],
  },

  {
    name: 'nestjs',
    what: 'NestJS: controllers with and without a prefix, a route decorator followed by @HttpCode, a WebSocket gateway with @SubscribeMessage and lifecycle methods, TypeORM repositories injected with @InjectRepository and passed to a helper in another file',
    packs: ['nestjs', 'typeorm'],
    entries: [
      { ...REST, method: 'GET', paths: ['/articles'], file: 'src/articles/articles.controller.ts', line: 12,
        handler: { file: 'src/articles/articles.controller.ts', line: 13, name: 'findAll' }, reachable: true, writes: [] },
      { ...REST, method: 'POST', paths: ['/articles'], file: 'src/articles/articles.controller.ts', line: 17,
        handler: { file: 'src/articles/articles.controller.ts', line: 19, name: 'create' }, reachable: true, writes: ['article-save'] },
      { ...REST, method: 'PATCH', paths: ['/articles/:id/publish'], file: 'src/articles/articles.controller.ts', line: 23,
        handler: { file: 'src/articles/articles.controller.ts', line: 24, name: 'publish' }, reachable: true, writes: ['article-publish'] },
      { ...REST, method: 'DELETE', paths: ['/articles/:id'], file: 'src/articles/articles.controller.ts', line: 28,
        handler: { file: 'src/articles/articles.controller.ts', line: 29, name: 'remove' }, reachable: true,
        writes: ['comments-delete', 'article-delete'] },
      { ...REST, method: 'GET', paths: ['/health'], file: 'src/health/health.controller.ts', line: 5,
        handler: { file: 'src/health/health.controller.ts', line: 6, name: 'check' }, reachable: true, writes: [] },
      { ...WS, event: 'comment', file: 'src/events/events.gateway.ts', line: 31,
        handler: { file: 'src/events/events.gateway.ts', line: 32, name: 'onComment' }, reachable: true, writes: ['comment-insert'] },
      { ...WS, event: 'ping', file: 'src/events/events.gateway.ts', line: 38,
        handler: { file: 'src/events/events.gateway.ts', line: 39, name: 'ping' }, reachable: true, writes: [] },
      { ...WS, file: 'src/events/events.gateway.ts', line: 23,
        handler: { file: 'src/events/events.gateway.ts', line: 23, name: 'handleConnection' }, reachable: true, writes: [] },
      { ...WS, file: 'src/events/events.gateway.ts', line: 27,
        handler: { file: 'src/events/events.gateway.ts', line: 27, name: 'handleDisconnect' }, reachable: true, writes: [] },
    ],
    writes: [
      { key: 'article-save', kind: 'orm', target: 'Article', file: 'src/articles/articles.service.ts', line: 20, function: 'create' },
      { key: 'article-publish', kind: 'orm', target: 'Article', file: 'src/articles/publishing.ts', line: 5, function: 'markPublished' },
      { key: 'comments-delete', kind: 'orm', target: 'Comment', file: 'src/articles/articles.service.ts', line: 28, function: 'remove' },
      { key: 'article-delete', kind: 'orm', target: 'Article', file: 'src/articles/articles.service.ts', line: 29, function: 'remove' },
      { key: 'comment-insert', kind: 'orm', target: 'Comment', file: 'src/articles/articles.service.ts', line: 33, function: 'addComment' },
    ],
    notWrites: [
      { file: 'src/articles/articles.service.ts', line: 16, why: 'repository.find() reads' },
      { file: 'src/articles/publishing.ts', line: 6, why: 'repository.findOneBy() reads' },
    ],
  },

  {
    name: 'socket-io',
    what: 'socket.io: connection handler with socket events, a namespace set up in another module through io passed as an argument with a named connection handler, writes through Mongoose models (model() and mongoose.model()), a plain Map that is not a write',
    packs: ['socket-io', 'mongoose'],
    entries: [
      { ...WS, event: 'connection', file: 'src/server.ts', line: 13, handler: { file: 'src/server.ts', line: 13 }, reachable: true, writes: [] },
      { ...WS, event: 'room:join', file: 'src/server.ts', line: 16, handler: { file: 'src/server.ts', line: 16 }, reachable: true, writes: [] },
      { ...WS, event: 'chat:message', file: 'src/server.ts', line: 20, handler: { file: 'src/server.ts', line: 20 }, reachable: true,
        writes: ['message-create', 'room-touch'] },
      { ...WS, event: 'disconnect', file: 'src/server.ts', line: 25, handler: { file: 'src/server.ts', line: 25 }, reachable: true, writes: [] },
      { ...WS, event: 'connection', file: 'src/handlers/admin.ts', line: 7,
        handler: { file: 'src/handlers/admin.ts', line: 10, name: 'onAdminConnection' }, reachable: true, writes: [] },
      { ...WS, event: 'room:delete', file: 'src/handlers/admin.ts', line: 11, handler: { file: 'src/handlers/admin.ts', line: 11 },
        reachable: true, writes: ['messages-purge', 'room-delete'] },
    ],
    writes: [
      { key: 'message-create', kind: 'orm', target: 'Message', file: 'src/handlers/messages.ts', line: 5, function: 'saveMessage' },
      { key: 'room-touch', kind: 'orm', target: 'Room', file: 'src/handlers/messages.ts', line: 6, function: 'saveMessage' },
      { key: 'messages-purge', kind: 'orm', target: 'Message', file: 'src/handlers/admin.ts', line: 12 },
      { key: 'room-delete', kind: 'orm', target: 'Room', file: 'src/handlers/admin.ts', line: 13 },
    ],
    notWrites: [
      { file: 'src/server.ts', line: 14, why: 'online is a plain Map: its set() writes process memory only' },
      { file: 'src/server.ts', line: 26, why: 'online is a plain Map: its delete() is not a write' },
    ],
  },

  {
    name: 'y-websocket',
    what: 'y-websocket server (CommonJS): setupWSConnection inside a ws connection handler, setPersistence hooks that apply Yjs updates and store state in SQLite through another module, a plain Map whose set() is not a Yjs write',
    packs: ['y-websocket'],
    others: ['ws', 'yjs', 'sql'],
    entries: [
      { kind: 'collab-hook', category: 'collab', event: 'bindState', file: 'server.js', line: 12,
        handler: { file: 'server.js', line: 12 }, reachable: true, writes: ['bind-apply-stored', 'seed-insert', 'bind-apply-seed'] },
      { kind: 'collab-hook', category: 'collab', event: 'writeState', file: 'server.js', line: 22,
        handler: { file: 'server.js', line: 22 }, reachable: true, writes: ['store-document'] },
      { ...WS, event: 'connection', file: 'server.js', line: 34, handler: { file: 'server.js', line: 34 }, reachable: true,
        writes: ['setup-connection'] },
    ],
    writes: [
      { key: 'bind-apply-stored', kind: 'yjs', file: 'server.js', line: 15, function: 'bindState' },
      { key: 'seed-insert', kind: 'yjs', target: 'content', file: 'server.js', line: 19, function: 'bindState' },
      { key: 'bind-apply-seed', kind: 'yjs', file: 'server.js', line: 20, function: 'bindState' },
      { key: 'setup-connection', kind: 'yjs', target: 'shared-doc', file: 'server.js', line: 37 },
      { key: 'store-document', kind: 'sql', target: 'documents', file: 'storage.js', line: 12, function: 'storeDocument' },
      // CREATE TABLE at module level: a write no entry point reaches
      { key: 'create-table', kind: 'sql', target: 'documents', file: 'storage.js', line: 4 },
    ],
    notWrites: [
      { file: 'server.js', line: 36, why: 'lastOpened is a plain JS Map: its set() is not a Yjs write' },
      { file: 'storage.js', line: 7, why: 'a SELECT reads' },
    ],
  },

  {
    name: 'queue',
    what: 'Queues: a BullMQ Worker created in a function the entry file calls, with a named processor writing through Kysely in another module; a Bull queue.process(concurrency, fn) writing through a Sequelize model declared as class extends Model + init()',
    packs: ['queue', 'kysely', 'sequelize'],
    entries: [
      { kind: 'queue-handler', category: 'queue', file: 'src/workers/email.ts', line: 7,
        handler: { file: 'src/workers/email.ts', line: 10, name: 'sendEmail' }, reachable: true, writes: ['delivery-insert', 'bounce-delete'] },
      { kind: 'queue-handler', category: 'queue', file: 'src/workers/thumbnails.ts', line: 6,
        handler: { file: 'src/workers/thumbnails.ts', line: 6 }, reachable: true, writes: ['image-update'] },
    ],
    writes: [
      { key: 'delivery-insert', kind: 'sql', target: 'deliveries', file: 'src/db/deliveries.ts', line: 4, function: 'recordDelivery' },
      { key: 'bounce-delete', kind: 'sql', target: 'bounces', file: 'src/db/deliveries.ts', line: 5, function: 'recordDelivery' },
      { key: 'image-update', kind: 'orm', target: 'Image', file: 'src/workers/thumbnails.ts', line: 8 },
    ],
    notWrites: [],
  },

  {
    name: 'orm',
    what: 'An Express API over several stores: TypeORM dataSource.getRepository(Entity) at module level (create() builds, save() writes), Prisma upsert/deleteMany/delete on a default-exported client, Sequelize define(), Mongoose new Model().save() and deleteMany',
    packs: ['typeorm', 'prisma', 'sequelize', 'mongoose'],
    others: ['express'],
    entries: [
      route('POST', ['/api/signup'], 'src/routes/accounts.ts', 7, ['user-save']),
      route('PUT', ['/api/profile/:id'], 'src/routes/accounts.ts', 12, ['profile-upsert']),
      route('DELETE', ['/api/account/:id'], 'src/routes/accounts.ts', 22, ['sessions-delete', 'user-delete']),
      route('GET', ['/api/catalog/products'], 'src/routes/catalog.ts', 6),
      route('POST', ['/api/catalog/products'], 'src/routes/catalog.ts', 10, ['product-create']),
      route('POST', ['/api/catalog/products/:id/reviews'], 'src/routes/catalog.ts', 15, ['review-save']),
      route('DELETE', ['/api/catalog/products/:id/reviews'], 'src/routes/catalog.ts', 21, ['reviews-delete']),
    ],
    writes: [
      { key: 'user-save', kind: 'orm', target: 'User', file: 'src/data/users.ts', line: 7, function: 'registerUser' },
      { key: 'profile-upsert', kind: 'orm', target: 'profile', file: 'src/routes/accounts.ts', line: 14 },
      { key: 'sessions-delete', kind: 'orm', target: 'session', file: 'src/routes/accounts.ts', line: 24 },
      { key: 'user-delete', kind: 'orm', target: 'user', file: 'src/routes/accounts.ts', line: 25 },
      { key: 'product-create', kind: 'orm', target: 'Product', file: 'src/routes/catalog.ts', line: 11 },
      // the document made by new Review(...) is named after its model
      { key: 'review-save', kind: 'orm', target: 'Review', file: 'src/routes/catalog.ts', line: 17 },
      { key: 'reviews-delete', kind: 'orm', target: 'Review', file: 'src/routes/catalog.ts', line: 22 },
    ],
    notWrites: [
      { file: 'src/data/users.ts', line: 6, why: 'repository.create() builds an entity in memory' },
      { file: 'src/routes/catalog.ts', line: 7, why: 'Product.findAll() reads' },
      { file: 'src/routes/catalog.ts', line: 16, why: 'new Review(...) builds a document; save() on the next line writes' },
    ],
  },

  {
    name: 'custom-hono',
    what: 'Hono, which no built-in pack covers: the reviewer\'s pack in the fixture folder finds app.get/post/put/delete and sub-apps mounted through two levels of app.route(prefix, sub), and an app under basePath(\'/v2\')',
    extraPacks: ['hono-pack.json'],
    packs: ['hono'],
    others: ['sql'],
    entries: [
      route('GET', ['/'], 'src/index.ts', 10),
      route('GET', ['/api/bookmarks'], 'src/routes/bookmarks.ts', 6),
      route('POST', ['/api/bookmarks'], 'src/routes/bookmarks.ts', 8, ['bookmark-insert']),
      route('DELETE', ['/api/bookmarks/:id'], 'src/routes/bookmarks.ts', 13, ['bookmark-delete']),
      route('PUT', ['/api/tags/:name'], 'src/routes/tags.ts', 6, ['tag-upsert']),
      // new Hono().basePath('/v2'): the app's routes are under the base path
      route('POST', ['/v2/bookmarks'], 'src/v2.ts', 7, ['bookmark-insert']),
    ],
    writes: [
      { key: 'bookmark-insert', kind: 'sql', target: 'bookmarks', file: 'src/db.ts', line: 6, function: 'addBookmark' },
      { key: 'bookmark-delete', kind: 'sql', target: 'bookmarks', file: 'src/db.ts', line: 11, function: 'removeBookmark' },
      { key: 'tag-upsert', kind: 'sql', target: 'tags', file: 'src/routes/tags.ts', line: 8 },
    ],
    notWrites: [
      { file: 'src/routes/bookmarks.ts', line: 6, why: 'a SELECT reads' },
    ],
  },

  {
    name: 'transactions',
    what: 'Transactions whose callback gets a typed handle: knex db.transaction(trx => trx(\'t\').insert()), Prisma $transaction(tx => tx.model.update()), TypeORM dataSource.transaction(manager => manager.save(Entity, x)), Sequelize sequelize.transaction(t => Model.create(…)); Express route builders router.route(\'/x\').get(h).post(h2), one on a router never mounted',
    packs: ['express', 'knex', 'prisma', 'typeorm', 'sequelize'],
    entries: [
      { ...REST, method: 'GET', paths: ['/api/orders'], file: 'src/routes/orders.ts', line: 9,
        handler: { file: 'src/routes/orders.ts', line: 15, name: 'listOrders' }, reachable: true, writes: [] },
      { ...REST, method: 'POST', paths: ['/api/orders'], file: 'src/routes/orders.ts', line: 9,
        handler: { file: 'src/routes/orders.ts', line: 19, name: 'createOrder' }, reachable: true, writes: ['orders-insert', 'stock-decrement'] },
      { ...REST, method: 'DELETE', paths: ['/api/orders/:id'], file: 'src/routes/orders.ts', line: 10,
        handler: { file: 'src/routes/orders.ts', line: 23, name: 'removeOrder' }, reachable: true, writes: ['orders-delete', 'events-insert'] },
      route('PUT', ['/api/accounts/:id'], 'src/routes/orders.ts', 11, ['account-update', 'audit-create']),
      route('POST', ['/api/invoices/:id/archive'], 'src/routes/orders.ts', 12, ['invoice-save', 'lines-delete']),
      route('POST', ['/api/customers'], 'src/routes/orders.ts', 13, ['customer-create', 'wallet-create']),
      // legacyRouter is exported but nothing mounts it
      { ...REST, method: 'POST', paths: [], path: '/legacy/orders', file: 'src/routes/orders.ts', line: 30,
        handler: { file: 'src/routes/orders.ts', line: 19, name: 'createOrder' }, reachable: false, writes: ['orders-insert', 'stock-decrement'] },
    ],
    writes: [
      { key: 'orders-insert', kind: 'sql', target: 'orders', file: 'src/services/orders.ts', line: 5, function: 'placeOrder' },
      { key: 'stock-decrement', kind: 'sql', target: 'stock', file: 'src/services/orders.ts', line: 6, function: 'placeOrder' },
      { key: 'orders-delete', kind: 'sql', target: 'orders', file: 'src/services/orders.ts', line: 15, function: 'cancelOrder' },
      { key: 'events-insert', kind: 'sql', target: 'order_events', file: 'src/services/orders.ts', line: 16, function: 'cancelOrder' },
      { key: 'account-update', kind: 'orm', target: 'account', file: 'src/services/accounts.ts', line: 7, function: 'renameAccount' },
      { key: 'audit-create', kind: 'orm', target: 'auditEntry', file: 'src/services/accounts.ts', line: 8, function: 'renameAccount' },
      // manager.save(Invoice, …): the entity class given as the first argument names the target
      { key: 'invoice-save', kind: 'orm', target: 'Invoice', file: 'src/services/invoices.ts', line: 10, function: 'archiveInvoice' },
      { key: 'lines-delete', kind: 'orm', target: 'InvoiceLine', file: 'src/services/invoices.ts', line: 11, function: 'archiveInvoice' },
      { key: 'customer-create', kind: 'orm', target: 'Customer', file: 'src/services/customers.ts', line: 9, function: 'registerCustomer' },
      { key: 'wallet-create', kind: 'orm', target: 'Wallet', file: 'src/services/customers.ts', line: 10, function: 'registerCustomer' },
    ],
    notWrites: [
      { file: 'src/services/orders.ts', line: 13, why: 'trx(\'orders\').where().first() reads' },
      { file: 'src/services/invoices.ts', line: 9, why: 'manager.findOneBy() reads' },
    ],
  },

  {
    name: 'fastify-plugin',
    what: 'Fastify plugins wrapped in fastify-plugin\'s fp(): one registered on the app (its routes are the app\'s), one that nothing registers (dead), writes through Prisma',
    packs: ['fastify', 'prisma'],
    entries: [
      route('GET', ['/health'], 'src/app.ts', 6),
      route('POST', ['/audit'], 'src/plugins/audit.ts', 6, ['audit-create']),
      deadRoute('DELETE', '/audit', 'src/plugins/purge.ts', 7, ['audit-purge']),
    ],
    writes: [
      { key: 'audit-create', kind: 'orm', target: 'auditEvent', file: 'src/plugins/audit.ts', line: 6, function: 'auditPlugin' },
      { key: 'audit-purge', kind: 'orm', target: 'auditEvent', file: 'src/plugins/purge.ts', line: 7 },
    ],
    notWrites: [],
  },

  {
    name: 'koa-named',
    what: 'koa-router named routes router.get(\'name\', \'/path\', handler) (with a middleware before the handler) next to unnamed ones, on a prefixed router, writes through knex',
    packs: ['koa', 'knex'],
    entries: [
      route('GET', ['/api/users'], 'src/server.ts', 8),
      route('POST', ['/api/users'], 'src/server.ts', 11, ['users-insert']),
      route('PUT', ['/api/users/:id'], 'src/server.ts', 15, ['users-update']),
      route('DELETE', ['/api/users/:id'], 'src/server.ts', 18, ['users-delete']),
    ],
    writes: [
      { key: 'users-insert', kind: 'sql', target: 'users', file: 'src/server.ts', line: 12 },
      { key: 'users-update', kind: 'sql', target: 'users', file: 'src/server.ts', line: 16 },
      { key: 'users-delete', kind: 'sql', target: 'users', file: 'src/server.ts', line: 19 },
    ],
    notWrites: [
      { file: 'src/server.ts', line: 9, why: 'db(\'users\').select() reads' },
    ],
  },

  {
    name: 'yjs-transact',
    what: 'Yjs transactions named by what their callback mutates (directly, through a helper given the structure, through a helper that gets it itself), Y.Doc when only an update is applied; y-websocket persistence hooks whose second parameter is the document',
    packs: ['y-websocket', 'yjs'],
    others: ['ws'],
    entries: [
      { kind: 'collab-hook', category: 'collab', event: 'bindState', file: 'src/server.ts', line: 9,
        handler: { file: 'src/server.ts', line: 9 }, reachable: true,
        writes: ['bind-body', 'bind-comments', 'text-delete', 'text-insert', 'comments-set', 'remote-transact', 'remote-apply'] },
      { kind: 'collab-hook', category: 'collab', event: 'writeState', file: 'src/server.ts', line: 17,
        handler: { file: 'src/server.ts', line: 17 }, reachable: true, writes: ['meta-transact', 'meta-set'] },
      { ...WS, event: 'connection', file: 'src/server.ts', line: 26, handler: { file: 'src/server.ts', line: 26 }, reachable: true, writes: ['setup'] },
    ],
    writes: [
      // ydoc.transact(() => { replaceText(ydoc.getText('body'), …); syncComments(ydoc, …) }): the text and the map
      { key: 'bind-body', kind: 'yjs', target: 'body', file: 'src/server.ts', line: 11, function: 'bindState' },
      { key: 'bind-comments', kind: 'yjs', target: 'comments', file: 'src/server.ts', line: 11, function: 'bindState' },
      { key: 'text-delete', kind: 'yjs', target: 'body', file: 'src/sync.ts', line: 5, function: 'replaceText' },
      { key: 'text-insert', kind: 'yjs', target: 'body', file: 'src/sync.ts', line: 6, function: 'replaceText' },
      { key: 'comments-set', kind: 'yjs', target: 'comments', file: 'src/sync.ts', line: 11, function: 'syncComments' },
      // a transaction that only applies an update: which structures it changes cannot be told
      { key: 'remote-transact', kind: 'yjs', target: 'Y.Doc', file: 'src/sync.ts', line: 15, function: 'applyRemote' },
      { key: 'remote-apply', kind: 'yjs', target: 'Y.Doc', file: 'src/sync.ts', line: 16, function: 'applyRemote' },
      { key: 'meta-transact', kind: 'yjs', target: 'meta', file: 'src/server.ts', line: 18, function: 'writeState' },
      { key: 'meta-set', kind: 'yjs', target: 'meta', file: 'src/server.ts', line: 19, function: 'writeState' },
      { key: 'setup', kind: 'yjs', target: 'shared-doc', file: 'src/server.ts', line: 26 },
    ],
    notWrites: [],
  },
];
