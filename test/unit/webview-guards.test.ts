import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFiniteNumber, isIndex, isString, isUndefined, object, oneOf, optional, union } from '../../src/protocol/webview/guards';

test('scalars: strings, finite numbers, array indexes, undefined', () => {
  assert.deepEqual(['', 'a', 1, null, undefined, {}, ['a']].map(isString), [true, true, false, false, false, false, false]);
  assert.deepEqual([0, -1.5, 1e9, NaN, Infinity, -Infinity, '1', null].map(isFiniteNumber), [true, true, true, false, false, false, false, false]);
  assert.deepEqual([0, 1, 7, -1, 1.5, NaN, 2 ** 53, '0', null].map(isIndex), [true, true, true, false, false, false, false, false, false]);
  assert.deepEqual([undefined, null, 0, ''].map(isUndefined), [true, false, false, false]);
});

test('oneOf takes exactly the listed strings; optional adds undefined', () => {
  const layout = oneOf('side-by-side', 'line-by-line');
  assert.deepEqual(['side-by-side', 'line-by-line', 'Side-by-side', '', undefined, 0].map(layout), [true, true, false, false, false, false]);
  const maybe = optional(layout);
  assert.deepEqual([undefined, 'line-by-line', null, 'x'].map(maybe), [true, true, false, false]);
});

test('object: exactly the declared keys, each passing its guard; optional keys may be missing', () => {
  const g = object<{ id: string; index: number; note?: string }>({ id: isString, index: isIndex, note: optional(isString) });
  assert.equal(g({ id: 'a', index: 0 }), true);
  assert.equal(g({ id: 'a', index: 0, note: 'n' }), true);
  assert.equal(g({ id: 'a', index: 0, note: undefined }), true);
  assert.equal(g({ id: 'a' }), false, 'a required key is missing');
  assert.equal(g({ id: 1, index: 0 }), false, 'a key of the wrong type');
  assert.equal(g({ id: 'a', index: -1 }), false);
  assert.equal(g({ id: 'a', index: 0, extra: true }), false, 'an unknown key is refused');
  assert.equal(g({ id: 'a', index: 0, note: 3 }), false);
  for (const v of [null, undefined, 'x', 1, [], ['a', 0]]) assert.equal(g(v), false, `not an object: ${JSON.stringify(v)}`);
});

test('object refuses anything but a plain object, and does not look up the prototype chain', () => {
  const g = object<{ id: string }>({ id: isString });
  assert.equal(g(Object.assign(Object.create(null) as object, { id: 'a' })), true, 'a null-prototype object is plain data');
  assert.equal(g(Object.create({ id: 'a' }) as object), false, 'an inherited key is not a key');
  class Id { id = 'a'; }
  assert.equal(g(new Id()), false, 'a class instance is not a message');
  assert.equal(g(JSON.parse('{"id":"a","__proto__":{"x":1}}')), false, 'a __proto__ key from JSON is an unknown key');
  const empty = object<Record<string, never>>({});
  assert.equal(empty({}), true);
  assert.equal(empty({ a: 1 }), false);
});

test('union: any member; a discriminated union checks each member\'s own keys', () => {
  const edit = union(
    object({ kind: oneOf('points'), dimension: isString, value: isString }),
    object({ kind: oneOf('gaps'), value: isString }),
  );
  assert.equal(edit({ kind: 'points', dimension: 'd', value: '1' }), true);
  assert.equal(edit({ kind: 'gaps', value: 'x' }), true);
  assert.equal(edit({ kind: 'gaps', dimension: 'd', value: 'x' }), false, 'a key of another member');
  assert.equal(edit({ kind: 'points', value: '1' }), false);
  assert.equal(edit({ kind: 'other', value: '1' }), false);
  assert.equal(union()('anything'), false, 'no member, nothing passes');
});
