/**
 * An ICE restart in the middle of a transfer (RFC 8445 §9, W3C restartIce()): new
 * credentials are negotiated while data flows on the previous selected pair, the new pair
 * takes over, and the reliable channel delivers every byte once, in order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiate, pc } from '../webrtc/pc-helpers.js';
import { channelPair, transfer } from './peers.js';

test('restartIce() during a transfer: new credentials, and not a byte lost', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [sender, receiver] = await channelPair(a, b);
  const ufrag = (sdp: string) => sdp.match(/a=ice-ufrag:(\S+)/)![1];
  const before = { a: ufrag(a.localDescription!.sdp), b: ufrag(b.localDescription!.sdp) };
  const states: string[] = [];
  a.addEventListener('iceconnectionstatechange', () => states.push(a.iceConnectionState));
  let pairChanges = 0;
  a.sctp!.transport.iceTransport.addEventListener(
    'selectedcandidatepairchange',
    () => pairChanges++,
  );

  const run = transfer(sender, receiver, 600, 8 * 1024); // 4.8 MB
  while (run.received < 150) await new Promise((r) => setTimeout(r, 5));
  a.restartIce();
  await negotiate(a, b);
  const during = run.received;
  await run.done;

  assert.notEqual(ufrag(a.localDescription!.sdp), before.a, 'the offerer has new credentials');
  assert.notEqual(ufrag(b.localDescription!.sdp), before.b, 'the answerer has new credentials');
  assert.ok(during < 600, `the restart happened during the transfer (${during} messages in)`);
  assert.equal(run.received, 600);
  assert.ok(pairChanges >= 1, 'a pair of the new generation was selected');
  assert.ok(!states.includes('failed') && !states.includes('disconnected'), states.join(', '));
  assert.equal(a.connectionState, 'connected');
  assert.equal(receiver.readyState, 'open');
  t.diagnostic(`ICE states during the restart: ${states.join(', ') || '(no change)'}`);
});
