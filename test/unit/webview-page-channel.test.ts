import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageChannel } from '../../src/webview/channel';
import { WebviewReady, webviewScope, type PageMessage } from '../../src/protocol/webview/messages';
import { isString, object } from '../../src/protocol/webview/guards';

const { command, request, notification } = webviewScope('test');
const Clicked = command<{ x: string }>('clicked', object({ x: isString }));
const Lookup = request<{ key: string }, { ok: true; value: string } | { ok: false; error: string }>('lookup', object({ key: isString }));
const Other = request<{ key: string }, string>('other', object({ key: isString }));
const Show = notification<{ n: number }>('show');

function setUp() {
  const sent: PageMessage[] = [];
  return { sent, channel: new PageChannel(m => sent.push(m)) };
}

/** What a promise has settled to so far. */
function track<T>(p: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const t: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  p.then(v => Object.assign(t, { state: 'resolved', value: v }), (e: unknown) => Object.assign(t, { state: 'rejected', error: e }));
  return t;
}

const flush = () => new Promise(resolve => setImmediate(resolve));

test('ready and commands are posted as command envelopes', () => {
  const { sent, channel } = setUp();
  channel.ready();
  channel.post(Clicked, { x: 'a' });
  assert.deepEqual(sent, [
    { kind: 'command', method: WebviewReady.method, params: undefined },
    { kind: 'command', method: 'test/clicked', params: { x: 'a' } },
  ]);
});

test('requests get ids 1, 2, 3, … and each settles with the response carrying its id, in any order', async () => {
  const { sent, channel } = setUp();
  const a = track(channel.request(Lookup, { key: 'a' }));
  const b = track(channel.request(Lookup, { key: 'b' }));
  const c = track(channel.request(Other, { key: 'c' }));
  assert.deepEqual(sent, [
    { kind: 'request', id: 1, method: 'test/lookup', params: { key: 'a' } },
    { kind: 'request', id: 2, method: 'test/lookup', params: { key: 'b' } },
    { kind: 'request', id: 3, method: 'test/other', params: { key: 'c' } },
  ]);
  assert.equal(channel.waiting, 3);
  channel.receive({ kind: 'response', id: 2, method: 'test/lookup', ok: true, result: { ok: true, value: 'B' } });
  channel.receive({ kind: 'response', id: 3, method: 'test/other', ok: true, result: 'C' });
  await flush();
  assert.deepEqual([a.state, b.state, c.state], ['pending', 'resolved', 'resolved']);
  assert.deepEqual(b.value, { ok: true, value: 'B' });
  assert.equal(c.value, 'C');
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', ok: true, result: { ok: false, error: 'no such key' } });
  await flush();
  assert.deepEqual(a.value, { ok: false, error: 'no such key' }, 'a failure the protocol describes is a reply, not a rejection');
  assert.equal(channel.waiting, 0);
});

test('an error response rejects with the host\'s message', async () => {
  const { channel } = setUp();
  const a = track(channel.request(Lookup, { key: 'a' }));
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', ok: false, error: 'refused: test/lookup with invalid parameters' });
  await flush();
  assert.equal(a.state, 'rejected');
  assert.equal((a.error as Error).message, 'refused: test/lookup with invalid parameters');
});

test('a response to nothing pending, a second response, one naming another method, or a malformed one is ignored', async () => {
  const { channel } = setUp();
  const a = track(channel.request(Lookup, { key: 'a' }));
  channel.receive({ kind: 'response', id: 9, method: 'test/lookup', ok: true, result: 'x' });
  channel.receive({ kind: 'response', id: 1, method: 'test/other', ok: true, result: 'x' });
  channel.receive({ kind: 'response', id: '1', method: 'test/lookup', ok: true, result: 'x' });
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', ok: false });
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', result: 'x' });
  channel.receive({ kind: 'notification', method: 'test/lookup', params: 'x' });
  await flush();
  assert.equal(a.state, 'pending');
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', ok: true, result: { ok: true, value: 'A' } });
  channel.receive({ kind: 'response', id: 1, method: 'test/lookup', ok: false, error: 'late' });
  await flush();
  assert.deepEqual(a, { state: 'resolved', value: { ok: true, value: 'A' } });
});

test('a request whose posting throws rejects at once and is not left pending', async () => {
  const channel = new PageChannel(() => {
    throw new Error('could not be cloned');
  });
  const a = track(channel.request(Lookup, { key: 'a' }));
  await flush();
  assert.equal(a.state, 'rejected');
  assert.equal((a.error as Error).message, 'could not be cloned');
  assert.equal(channel.waiting, 0);
});

test('notifications reach their handler; on() refuses a second handler; dispose frees the method', () => {
  const { channel } = setUp();
  const shown: unknown[] = [];
  const first = channel.on(Show, p => shown.push(p));
  assert.throws(() => channel.on(Show, () => undefined), /test\/show already has a handler/);
  channel.receive({ kind: 'notification', method: 'test/show', params: { n: 1 } });
  channel.receive({ kind: 'notification', method: 'test/hide', params: { n: 2 } });
  channel.receive({ method: 'test/show', params: { n: 3 } });
  assert.deepEqual(shown, [{ n: 1 }], 'only an enveloped notification of that method');
  first.dispose();
  channel.receive({ kind: 'notification', method: 'test/show', params: { n: 4 } });
  assert.deepEqual(shown, [{ n: 1 }]);
  channel.on(Show, p => shown.push(p));
  channel.receive({ kind: 'notification', method: 'test/show', params: { n: 5 } });
  assert.deepEqual(shown, [{ n: 1 }, { n: 5 }]);
});
