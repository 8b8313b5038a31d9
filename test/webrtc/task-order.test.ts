/**
 * One task queue (HTML's networking task source) for a connection and its channels: their
 * events and the promises their tasks settle come in the order the tasks were queued, in
 * whatever phase of Node's event loop they were queued.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';

/** Waits until the clock has moved `ms`, so that a timer armed before is due. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test("a channel's events and the connection's tasks keep the order they were queued in", async (t) => {
  const pc = new RTCPeerConnection();
  t.after(() => pc.close());
  const channel = pc.createDataChannel('x');
  const order: string[] = [];
  channel.addEventListener('close', () => order.push('close'));
  await new Promise<void>((resolve) =>
    // From inside a setImmediate callback: the channel's task is queued first.
    setImmediate(() => {
      channel.close();
      spin(3);
      void pc.getStats().then(() => {
        order.push('getStats');
        resolve();
      });
    }),
  );
  assert.deepEqual(order, ['close', 'getStats']);
});
