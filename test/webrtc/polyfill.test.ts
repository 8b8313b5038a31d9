/**
 * src/polyfill.ts: importing it puts the W3C interfaces on globalThis, leaving classes
 * that are already there alone unless asked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the polyfill installs what is missing, as WebIDL interface objects', async () => {
  class Native {}
  Object.defineProperty(globalThis, 'MediaStream', {
    value: Native,
    writable: true,
    configurable: true,
  });
  assert.equal(Object.hasOwn(globalThis, 'RTCPeerConnection'), false);
  const polyfill = await import('../../src/polyfill.js');
  const g = globalThis as Record<string, unknown>;

  assert.equal(g.MediaStream, Native, 'an existing class stays');
  for (const [name, value] of Object.entries(polyfill.interfaces)) {
    if (name === 'MediaStream') continue;
    assert.equal(g[name], value, name);
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name)!;
    assert.deepEqual(
      [descriptor.writable, descriptor.enumerable, descriptor.configurable],
      [true, false, true],
      name,
    );
  }
  assert.deepEqual(polyfill.install(), [], 'a second install finds nothing missing');
  assert.deepEqual(polyfill.install({ overwrite: true }), Object.keys(polyfill.interfaces));
  assert.equal(g.MediaStream, polyfill.interfaces.MediaStream);

  // Browser code runs unchanged.
  const RTCPeerConnection = g.RTCPeerConnection as typeof polyfill.interfaces.RTCPeerConnection;
  const pc = new RTCPeerConnection();
  const channel = pc.createDataChannel('x');
  assert.ok(channel instanceof (g.RTCDataChannel as typeof polyfill.interfaces.RTCDataChannel));
  const offer = await pc.createOffer();
  assert.ok(
    new (g.RTCSessionDescription as typeof polyfill.interfaces.RTCSessionDescription)(offer).sdp,
  );
  pc.close();
});
