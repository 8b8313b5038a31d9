/**
 * A certificate that does not match the a=fingerprint of the description (RFC 8842 §5,
 * W3C: the DTLS transport fails with 'fingerprint-failure'): the connection goes
 * 'failed', the channel never opens, and no data passes in either direction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { pc, settle, trickle, until } from '../webrtc/pc-helpers.js';

/** The description with the last hex digit of its fingerprint changed. */
function forged(sdp: string): string {
  return sdp.replace(
    /(a=fingerprint:\S+ \S*)([0-9A-F])(\r?\n)/,
    (_m, head, last, end) => `${head}${last === '0' ? '1' : '0'}${end}`,
  );
}

for (const side of ['offer', 'answer'] as const)
  test(`a forged fingerprint in the ${side}: failed, no channel, no data`, async (t) => {
    const a = pc(t);
    const b = pc(t);
    trickle(a, b);
    const channel = a.createDataChannel('never');
    const events: string[] = [];
    channel.onopen = () => events.push('a:open');
    channel.onmessage = () => events.push('a:message');
    b.ondatachannel = () => events.push('b:datachannel');
    const sent: string[] = [];

    await a.setLocalDescription();
    const offer = a.localDescription!;
    await b.setRemoteDescription({
      type: 'offer',
      sdp: side === 'offer' ? forged(offer.sdp) : offer.sdp,
    });
    await b.setLocalDescription();
    const answer = b.localDescription!;
    await a.setRemoteDescription({
      type: 'answer',
      sdp: side === 'answer' ? forged(answer.sdp) : answer.sdp,
    });
    assert.notEqual(forged(offer.sdp), offer.sdp, 'the fingerprint was changed');

    const failed = (x: RTCPeerConnection) =>
      until(x, 'connectionstatechange', () => x.connectionState, 'failed');
    // The side that checks the forged fingerprint fails; the other learns it from the alert.
    await Promise.all([failed(a), failed(b)]);
    assert.equal(a.sctp?.transport.state, 'failed');
    assert.equal(b.sctp?.transport.state, 'failed');
    try {
      channel.send('x');
      sent.push('x');
    } catch (e) {
      assert.equal((e as DOMException).name, 'InvalidStateError');
    }
    await settle(300);
    assert.deepEqual(events, []);
    assert.deepEqual(sent, []);
    assert.notEqual(channel.readyState, 'open');
  });
