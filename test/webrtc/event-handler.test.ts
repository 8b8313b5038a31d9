import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineEventHandlers } from '../../src/webrtc/event-handler.js';

class Target extends EventTarget {
  declare onping: ((ev: Event) => unknown) | null;
}
defineEventHandlers(Target, ['ping']);

test('onX runs with this = target, in the position of its first assignment', () => {
  const t = new Target();
  const order: string[] = [];
  t.addEventListener('ping', () => order.push('first'));
  t.onping = function (this: Target) {
    assert.equal(this, t);
    order.push('handler-a');
  };
  t.addEventListener('ping', () => order.push('last'));
  t.onping = () => order.push('handler-b'); // replaces, keeps its place
  t.dispatchEvent(new Event('ping'));
  assert.deepEqual(order, ['first', 'handler-b', 'last']);
});

test('null and non-functions remove the handler', () => {
  const t = new Target();
  let n = 0;
  t.onping = () => n++;
  t.onping = null;
  assert.equal(t.onping, null);
  t.dispatchEvent(new Event('ping'));
  (t as unknown as { onping: unknown }).onping = 42;
  assert.equal(t.onping, null);
  assert.equal(n, 0);
  assert.ok('onping' in t);
});
