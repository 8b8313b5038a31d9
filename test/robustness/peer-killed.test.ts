/**
 * A peer that dies without close() (its process killed with SIGKILL): no DTLS close_notify,
 * no SCTP ABORT, just silence. The survivor reports 'disconnected' within seconds (RFC 7675
 * consent checks go unanswered); 'failed' comes when consent expires 30 s later
 * (peer-killed.soak.ts waits for it). Closing the survivor then leaves nothing running.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { once, settle, until } from '../webrtc/pc-helpers.js';
import { childPeer } from './peers.js';

test('the survivor of a SIGKILLed peer reports disconnected within seconds', async (t) => {
  const pc = new RTCPeerConnection();
  t.after(() => pc.close());
  const { child, channel } = await childPeer(pc);
  t.after(() => child.kill('SIGKILL'));
  const echo = once<MessageEvent>(channel, 'message');
  channel.send('are you there?');
  assert.equal((await echo).data, 'are you there?');
  assert.equal(pc.connectionState, 'connected');

  const killed = performance.now();
  child.kill('SIGKILL');
  await until(pc, 'iceconnectionstatechange', () => pc.iceConnectionState, 'disconnected');
  const ice = performance.now() - killed;
  await until(pc, 'connectionstatechange', () => pc.connectionState, 'disconnected');
  const connection = performance.now() - killed;
  assert.ok(ice < 9000, `iceConnectionState disconnected after ${ice.toFixed(0)} ms`);
  assert.ok(connection < 9000, `connectionState disconnected after ${connection.toFixed(0)} ms`);
  t.diagnostic(`disconnected after ${ice.toFixed(0)} ms`);

  pc.close();
  await settle(200);
  const left = process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap');
  assert.deepEqual(left, [], 'no socket outlives close()');
});
