/**
 * The long half of peer-killed.test.ts: after its peer is SIGKILLed, the survivor goes
 * 'disconnected' within seconds and 'failed' when consent expires (RFC 7675: 30 s after the
 * last authenticated response). Its channels then close when the SCTP association gives up
 * on the peer (RFC 9260 §8.1: Association.Max.Retrans timeouts in a row): soon for a channel
 * with data waiting for acknowledgement, after the heartbeats for an idle one. close() then
 * leaves nothing running.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { once, settle, until } from '../webrtc/pc-helpers.js';
import { childPeer } from './peers.js';

test('a SIGKILLed peer: disconnected, failed when consent expires, channels closed by SCTP, nothing left', {
  timeout: 600_000,
}, async (t) => {
  const pc = new RTCPeerConnection();
  t.after(() => pc.close());
  const { child, channel } = await childPeer(pc);
  t.after(() => child.kill('SIGKILL'));
  const echo = once<MessageEvent>(channel, 'message');
  channel.send('ping');
  await echo;
  const seconds = () => ((performance.now() - killed) / 1000).toFixed(1);
  const states: string[] = [];
  pc.addEventListener('connectionstatechange', () =>
    states.push(`${pc.connectionState}@${seconds()}s`),
  );
  let closedAt = '';
  const closed = once(channel, 'close').then(() => {
    closedAt = seconds();
  });

  const killed = performance.now();
  child.kill('SIGKILL');
  await until(pc, 'iceconnectionstatechange', () => pc.iceConnectionState, 'disconnected');
  const disconnected = performance.now() - killed;
  await until(pc, 'connectionstatechange', () => pc.connectionState, 'failed');
  const failed = performance.now() - killed;
  assert.ok(disconnected < 9000, `disconnected after ${disconnected.toFixed(0)} ms`);
  assert.ok(failed > 25_000 && failed < 40_000, `failed after ${failed.toFixed(0)} ms`);
  // The application still sends: the association retransmits into the void and gives up.
  if (channel.readyState === 'open') channel.send('anyone?');
  await closed;
  t.diagnostic(`states ${states.join(', ')}; channel closed at ${closedAt} s`);
  assert.equal(channel.readyState, 'closed');
  // 'failed' stays: no other pair brings 'connected' back (test/ice/consent.regress.test.ts).
  assert.deepEqual(
    states.map((s) => s.split('@')[0]),
    ['disconnected', 'failed'],
  );

  pc.close();
  await settle(500);
  assert.deepEqual(
    process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout'),
    [],
  );
});
