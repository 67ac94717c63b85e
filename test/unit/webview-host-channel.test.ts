import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostChannel } from '../../src/extension/webview-channel';
import { notification, WebviewReady, type Envelope } from '../../src/protocol/webview/messages';

const Show = notification<{ n: number }>('test/show');
const Clicked = notification<{ x: number }>('test/clicked');
const READY: Envelope = { method: WebviewReady.method };

/** A channel with a recording page and log; `events` interleaves what was posted and when onReady ran. */
function setUp() {
  const events: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const channel = new HostChannel({
    label: 'Test page',
    log: { warn: m => warnings.push(m), error: m => errors.push(m) },
    onReady: () => events.push('onReady'),
  });
  const page = (name = 'page') => (m: Envelope) => events.push(`${name} <- ${m.method} ${JSON.stringify(m.params)}`);
  return { channel, events, warnings, errors, page };
}

test('messages wait until the page says ready, then go in order, before the host is told it is ready', () => {
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

test('a reset (the webview was hidden and drops its page) holds messages until the reloaded page is ready again', () => {
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

test('without a page, messages are dropped, not queued for the next one; a ready from nowhere does nothing', () => {
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
  assert.deepEqual(events, ['onReady'], 'the first page\'s queue and the messages sent with no page are gone');
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

test('a page message goes to the handler for its method; a disposed handler gets nothing; ready is not a handler\'s', () => {
  const { channel, page } = setUp();
  channel.connect(page());
  const clicks: number[] = [];
  const readies: unknown[] = [];
  const handler = channel.on(Clicked, p => clicks.push(p.x));
  channel.on(WebviewReady, p => readies.push(p));
  channel.receive({ method: Clicked.method, params: { x: 1 } });
  channel.receive({ method: 'test/other', params: { x: 2 } });
  channel.receive(READY);
  handler.dispose();
  channel.receive({ method: Clicked.method, params: { x: 3 } });
  assert.deepEqual(clicks, [1]);
  assert.deepEqual(readies, []);
});
