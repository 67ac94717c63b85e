import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as settled } from 'node:timers/promises';
import { HostChannel } from '../../src/extension/webview-channel';
import { WebviewReady, webviewScope, type HostMessage } from '../../src/protocol/webview/messages';
import { isIndex, isString, object } from '../../src/protocol/webview/guards';

const { command, request, notification } = webviewScope('test');
const Show = notification<{ n: number }>('show');
const Clicked = command<{ x: number }>('clicked', object({ x: isIndex }));
const Lookup = request<{ key: string }, { ok: true; value: string } | { ok: false; error: string }>('lookup', object({ key: isString }));
const READY = { kind: 'command', method: WebviewReady.method };

/** A channel with a recording page and log; `events` interleaves what was posted and when onReady ran. */
function setUp() {
  const events: string[] = [];
  const posted: HostMessage[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const channel = new HostChannel({
    scope: 'test',
    label: 'Test page',
    log: { warn: m => warnings.push(m), error: m => errors.push(m) },
    onReady: () => events.push('onReady'),
  });
  const page = (name = 'page') => (m: HostMessage) => {
    posted.push(m);
    events.push(`${name} <- ${m.method} ${JSON.stringify(m.kind === 'notification' ? m.params : m.ok ? m.result : m.error)}`);
  };
  return { channel, events, posted, warnings, errors, page };
}

/** A promise settled from outside, for handlers that answer later. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('notifications wait until the page says ready, then go in order, before the host is told it is ready', () => {
  const { channel, events, page } = setUp();
  channel.connect(page());
  channel.notify(Show, { n: 1 });
  channel.notify(Show, { n: 2 });
  assert.deepEqual(events, [], 'nothing is posted before ready');
  assert.equal(channel.isReady, false);
  channel.receive(READY);
  assert.equal(channel.isReady, true);
  assert.deepEqual(events, ['page <- test/show {"n":1}', 'page <- test/show {"n":2}', 'onReady']);
  channel.notify(Show, { n: 3 });
  assert.deepEqual(events.at(-1), 'page <- test/show {"n":3}', 'posted at once to a ready page');
});

test('a reset (the webview was hidden and drops its page) holds notifications until the reloaded page is ready again', () => {
  const { channel, events, page } = setUp();
  channel.connect(page());
  channel.receive(READY);
  events.length = 0;
  channel.reset();
  assert.equal(channel.isReady, false);
  channel.notify(Show, { n: 4 });
  assert.deepEqual(events, []);
  channel.receive(READY);
  assert.deepEqual(events, ['page <- test/show {"n":4}', 'onReady'], 'the queue goes first, then the host sends what the page shows');
});

test('without a page, notifications are dropped, not queued for the next one; a ready from nowhere does nothing', () => {
  const { channel, events, page } = setUp();
  channel.notify(Show, { n: 1 });
  channel.receive(READY);
  assert.deepEqual(events, []);
  assert.equal(channel.isReady, false);
  const connection = channel.connect(page());
  channel.notify(Show, { n: 2 });
  connection.dispose();
  channel.notify(Show, { n: 3 });
  channel.connect(page('second'));
  channel.receive(READY);
  assert.deepEqual(events, ['onReady'], 'the first page\'s queue and the notifications sent with no page are gone');
});

test('disposing an old page\'s connection after a new page connected leaves the new page connected', () => {
  const { channel, events, page } = setUp();
  const old = channel.connect(page('old'));
  channel.connect(page('new'));
  old.dispose();
  channel.receive(READY);
  channel.notify(Show, { n: 1 });
  assert.deepEqual(events, ['onReady', 'new <- test/show {"n":1}']);
});

test('a valid command reaches its handler; an invalid one is dropped and logged, never handled', () => {
  const { channel, warnings, page } = setUp();
  channel.connect(page());
  const clicks: unknown[] = [];
  channel.on(Clicked, p => clicks.push(p));
  channel.receive({ kind: 'command', method: Clicked.method, params: { x: 1 } });
  assert.deepEqual(clicks, [{ x: 1 }]);
  assert.deepEqual(warnings, []);
  const invalid = [{ x: -1 }, { x: '1' }, { x: 1, y: 2 }, {}, null, undefined, [1]];
  for (const params of invalid) channel.receive({ kind: 'command', method: Clicked.method, params });
  assert.deepEqual(clicks, [{ x: 1 }], 'no invalid message reached the handler');
  assert.equal(warnings.length, invalid.length);
  for (const w of warnings) assert.match(w, /^Test page: dropped test\/clicked with invalid parameters from the page: /);
  assert.match(warnings[2] ?? '', /\{"x":1,"y":2\}$/, 'the log quotes what was dropped');
});

test('what is not a command or request of a handled method is dropped and logged', () => {
  const { channel, warnings, posted, page } = setUp();
  channel.connect(page());
  const clicks: unknown[] = [];
  channel.on(Clicked, p => clicks.push(p));
  const junk: unknown[] = [
    'test/clicked', null, [], { method: Clicked.method, params: { x: 1 } }, { kind: 'notification', method: Clicked.method, params: { x: 1 } },
    { kind: 'command', method: 7 }, { kind: 'request', method: Lookup.method, params: { key: 'k' } }, { kind: 'request', id: 0, method: Lookup.method },
    { kind: 'command', method: 'test/unknown', params: {} }, { kind: 'command', method: WebviewReady.method, params: 'now' },
  ];
  for (const m of junk) channel.receive(m);
  assert.deepEqual(clicks, []);
  assert.equal(warnings.length, junk.length, warnings.join('\n'));
  assert.match(warnings[8] ?? '', /dropped command test\/unknown has no handler/);
  assert.equal(channel.isReady, false, 'a ready with parameters is not a ready');
  assert.deepEqual(posted, []);
  assert.equal(warnings.every(w => w.length < 300), true, 'quoted messages are cut short');
  channel.receive({ kind: 'command', method: 'test/long', params: 'x'.repeat(10_000) });
  assert.ok((warnings.at(-1) ?? '').length < 300);
});

test('on() refuses a second handler, another webview\'s message, the ready message and notifications; dispose frees the method', () => {
  const { channel } = setUp();
  const first = channel.on(Clicked, () => undefined);
  assert.throws(() => channel.on(Clicked, () => undefined), /test\/clicked already has a handler/);
  first.dispose();
  const calls: unknown[] = [];
  channel.on(Clicked, p => calls.push(p));
  channel.connect(() => undefined);
  channel.receive({ kind: 'command', method: Clicked.method, params: { x: 2 } });
  assert.deepEqual(calls, [{ x: 2 }], 'the new handler is the one called');
  first.dispose();
  channel.receive({ kind: 'command', method: Clicked.method, params: { x: 3 } });
  assert.deepEqual(calls, [{ x: 2 }, { x: 3 }], 'disposing the old handler again does not remove the new one');
  const other = webviewScope('other').command<{ x: number }>('clicked', object({ x: isIndex }));
  assert.throws(() => channel.on(other, () => undefined), /other\/clicked belongs to another webview than "test"/);
  assert.throws(() => channel.on(WebviewReady, () => undefined), /webview\/ready belongs to another webview/);
  assert.throws(() => channel.on(Show as unknown as typeof Clicked, () => undefined), /test\/show is sent to the page, not handled from it/);
  assert.throws(() => channel.notify(webviewScope('other').notification<number>('show'), 1), /belongs to another webview/);
});

test('a command handler that throws or rejects is logged, and the channel keeps working', async () => {
  const { channel, errors, page } = setUp();
  channel.connect(page());
  const Fails = command<undefined>('fails', (v): v is undefined => v === undefined);
  const Rejects = command<undefined>('rejects', (v): v is undefined => v === undefined);
  channel.on(Fails, () => {
    throw new Error('boom');
  });
  channel.on(Rejects, () => Promise.reject(new Error('later')));
  channel.receive({ kind: 'command', method: Fails.method });
  channel.receive({ kind: 'command', method: Rejects.method });
  await settled();
  assert.deepEqual(errors, ['Test page: handling test/fails failed', 'Test page: handling test/rejects failed']);
});

test('a request is answered with a response carrying its id and method; replies are matched by id, not order', async () => {
  const { channel, posted, page } = setUp();
  channel.connect(page());
  channel.receive(READY);
  const answers = new Map<string, ReturnType<typeof deferred<{ ok: true; value: string }>>>();
  channel.on(Lookup, p => {
    const d = deferred<{ ok: true; value: string }>();
    answers.set(p.key, d);
    return d.promise;
  });
  channel.receive({ kind: 'request', id: 1, method: Lookup.method, params: { key: 'a' } });
  channel.receive({ kind: 'request', id: 2, method: Lookup.method, params: { key: 'b' } });
  answers.get('b')?.resolve({ ok: true, value: 'B' });
  await settled();
  answers.get('a')?.resolve({ ok: true, value: 'A' });
  await settled();
  assert.deepEqual(posted, [
    { kind: 'response', id: 2, method: Lookup.method, ok: true, result: { ok: true, value: 'B' } },
    { kind: 'response', id: 1, method: Lookup.method, ok: true, result: { ok: true, value: 'A' } },
  ]);
});

test('a request whose handler throws, or whose parameters are invalid, is answered with an error; the handler never sees bad parameters', async () => {
  const { channel, posted, errors, warnings, page } = setUp();
  channel.connect(page());
  const seen: string[] = [];
  channel.on(Lookup, p => {
    seen.push(p.key);
    if (p.key === 'sync') throw new Error('no such key');
    if (p.key === 'async') return Promise.reject(new Error('read failed'));
    return { ok: true as const, value: p.key };
  });
  channel.receive({ kind: 'request', id: 5, method: Lookup.method, params: { key: 'sync' } });
  channel.receive({ kind: 'request', id: 6, method: Lookup.method, params: { key: 'async' } });
  channel.receive({ kind: 'request', id: 7, method: Lookup.method, params: { key: 42 } });
  channel.receive({ kind: 'request', id: 8, method: 'test/nothing', params: {} });
  await settled();
  assert.deepEqual(seen, ['sync', 'async']);
  assert.deepEqual(posted, [
    { kind: 'response', id: 7, method: Lookup.method, ok: false, error: 'refused: test/lookup with invalid parameters' },
    { kind: 'response', id: 8, method: 'test/nothing', ok: false, error: 'refused: request test/nothing has no handler' },
    { kind: 'response', id: 5, method: Lookup.method, ok: false, error: 'no such key' },
    { kind: 'response', id: 6, method: Lookup.method, ok: false, error: 'read failed' },
  ]);
  assert.deepEqual(errors, ['Test page: answering test/lookup failed', 'Test page: answering test/lookup failed']);
  assert.equal(warnings.length, 2);
});

test('a reply goes only to the page that asked: not after a reset, a new page, or a second ready', async () => {
  const { channel, posted, page } = setUp();
  const answers: Array<(v: { ok: true; value: string }) => void> = [];
  channel.on(Lookup, () => new Promise(resolve => answers.push(resolve)));
  const ask = (id: number) => channel.receive({ kind: 'request', id, method: Lookup.method, params: { key: String(id) } });
  const answerAll = async () => {
    for (const a of answers.splice(0)) a({ ok: true, value: 'v' });
    await settled();
  };

  channel.connect(page());
  ask(1);
  await answerAll();
  assert.deepEqual(posted.map(m => m.kind === 'response' && m.id), [1], 'a page that has not said ready yet still gets its replies');
  channel.receive(READY);
  ask(2);
  channel.reset();
  channel.receive(READY);
  await answerAll();
  ask(3);
  channel.connect(page('second'));
  channel.receive(READY);
  await answerAll();
  ask(4);
  channel.receive(READY); // the page reloaded without being hidden
  await answerAll();
  ask(5);
  channel.disconnect();
  await answerAll();
  assert.deepEqual(posted.map(m => m.kind === 'response' && m.id), [1], 'requests 2 to 5 were asked by pages that have gone');
  channel.connect(page('third'));
  ask(6);
  await answerAll();
  assert.deepEqual(posted.map(m => m.kind === 'response' && m.id), [1, 6]);
});
