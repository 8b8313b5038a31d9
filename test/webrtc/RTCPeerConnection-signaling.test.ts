import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCDtlsTransport } from '../../src/webrtc/RTCDtlsTransport.js';
import { RTCError } from '../../src/webrtc/RTCError.js';
import type { RTCSctpTransport } from '../../src/webrtc/RTCSctpTransport.js';
import { RTCSessionDescription } from '../../src/webrtc/RTCSessionDescription.js';
import { once, pc, record, settle } from './pc-helpers.js';

test('a new connection is stable with no descriptions', (t) => {
  const p = pc(t);
  assert.equal(p.signalingState, 'stable');
  assert.equal(p.iceGatheringState, 'new');
  assert.equal(p.iceConnectionState, 'new');
  assert.equal(p.connectionState, 'new');
  assert.equal(p.localDescription, null);
  assert.equal(p.remoteDescription, null);
  assert.equal(p.canTrickleIceCandidates, null);
  assert.equal(p.sctp, null);
  assert.deepEqual(p.getTransceivers(), []);
  const config = p.getConfiguration();
  assert.equal(config.bundlePolicy, 'balanced');
  assert.equal(config.rtcpMuxPolicy, 'require');
  assert.equal(config.iceTransportPolicy, 'all');
  assert.equal(config.iceCandidatePoolSize, 0);
  assert.deepEqual(config.iceServers, []);
});

test('offer and answer move both sides through the signaling states, events before promises', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  const log: string[] = [];
  record(a, ['signalingstatechange'], log, 'a:');
  record(b, ['signalingstatechange'], log, 'b:');
  const offer = await a.createOffer();
  assert.equal(offer.type, 'offer');
  await a.setLocalDescription(offer).then(() => log.push('a:sld'));
  assert.equal(a.signalingState, 'have-local-offer');
  assert.equal(a.pendingLocalDescription?.type, 'offer');
  assert.ok(a.pendingLocalDescription instanceof RTCSessionDescription);
  assert.equal(a.currentLocalDescription, null);
  await b.setRemoteDescription(offer).then(() => log.push('b:srd'));
  assert.equal(b.signalingState, 'have-remote-offer');
  assert.equal(b.canTrickleIceCandidates, true);
  const answer = await b.createAnswer();
  assert.equal(answer.type, 'answer');
  await b.setLocalDescription(answer);
  assert.equal(b.signalingState, 'stable');
  assert.equal(b.currentLocalDescription?.type, 'answer');
  assert.equal(b.currentRemoteDescription?.type, 'offer');
  assert.equal(b.pendingRemoteDescription, null);
  await a.setRemoteDescription(answer);
  assert.equal(a.signalingState, 'stable');
  assert.equal(a.currentRemoteDescription?.sdp, answer.sdp);
  assert.deepEqual(log, [
    'a:signalingstatechange',
    'a:sld',
    'b:signalingstatechange',
    'b:srd',
    'b:signalingstatechange',
    'a:signalingstatechange',
  ]);
  assert.equal(a.getTransceivers()[0]!.mid, '0');
  assert.equal(b.getTransceivers()[0]!.mid, '0');
  // The answerer's transceiver came from the offer, recvonly: the offerer only sends.
  assert.equal(a.getTransceivers()[0]!.currentDirection, 'sendonly');
  assert.equal(b.getTransceivers()[0]!.currentDirection, 'recvonly');
});

test('setLocalDescription with SDP other than the last created one is an InvalidModificationError', async (t) => {
  const a = pc(t);
  a.addTransceiver('audio');
  const offer = await a.createOffer();
  const munged = { type: 'offer' as const, sdp: offer.sdp!.replace('a=rtcp-rsize\r\n', '') };
  await assert.rejects(a.setLocalDescription(munged), { name: 'InvalidModificationError' });
  await a.setLocalDescription(offer);
  const b = pc(t);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await assert.rejects(b.setLocalDescription({ type: 'answer', sdp: `${answer.sdp}a=foo\r\n` }), {
    name: 'InvalidModificationError',
  });
});

test('without a=ice-options:trickle, as non-trickling libraries set them: offer, answer, connection', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const channel = a.createDataChannel('x');
  // simple-peer's filter when it does not trickle; anything else changed is still refused.
  const untrickled = (sdp: string) => sdp.replace(/a=ice-options:trickle\s\n/g, '');
  const offer = await a.createOffer();
  assert.match(offer.sdp!, /a=ice-options:trickle\r\n/);
  await assert.rejects(
    a.setLocalDescription({
      type: 'offer',
      sdp: untrickled(offer.sdp!).replace('a=setup:actpass', 'a=setup:active'),
    }),
    { name: 'InvalidModificationError' },
  );
  await a.setLocalDescription({ type: 'offer', sdp: untrickled(offer.sdp!) });
  assert.doesNotMatch(
    a.localDescription!.sdp,
    /ice-options/,
    'the description set is the one given',
  );
  while (a.iceGatheringState !== 'complete') await once(a, 'icegatheringstatechange');
  await b.setRemoteDescription(a.localDescription!);
  assert.equal(b.canTrickleIceCandidates, false);
  // An answer to an offer without options names none (no empty a=ice-options line).
  const answer = await b.createAnswer();
  assert.doesNotMatch(answer.sdp!, /ice-options/);
  await b.setLocalDescription(answer);
  while (b.iceGatheringState !== 'complete') await once(b, 'icegatheringstatechange');
  await a.setRemoteDescription(b.localDescription!);
  await once(channel, 'open');
});

test('bad remote descriptions reject with the exceptions the spec names', async (t) => {
  const a = pc(t);
  const err = await a
    .setRemoteDescription({ type: 'offer', sdp: 'v=0\r\nbogus\r\n' })
    .catch((e) => e);
  assert.ok(err instanceof RTCError, String(err));
  assert.equal(err.errorDetail, 'sdp-syntax-error');
  assert.equal(err.sdpLineNumber, 2);
  // An answer in stable state.
  const other = pc(t);
  other.addTransceiver('audio');
  const offer = await other.createOffer();
  await assert.rejects(a.setRemoteDescription({ type: 'answer', sdp: offer.sdp! }), {
    name: 'InvalidStateError',
  });
  // rtcpMuxPolicy 'require' and no a=rtcp-mux.
  await assert.rejects(
    a.setRemoteDescription({ type: 'offer', sdp: offer.sdp!.replace('a=rtcp-mux\r\n', '') }),
    { name: 'InvalidAccessError' },
  );
  // WebIDL: a missing type is a TypeError; so is an unknown one.
  await assert.rejects(a.setRemoteDescription({ sdp: offer.sdp } as never), TypeError);
  await assert.rejects(a.setRemoteDescription({ type: 'bogus', sdp: '' } as never), TypeError);
  assert.equal(a.signalingState, 'stable');
});

test('rollback of a local offer forgets its mids; of a remote offer, its transceivers', async (t) => {
  const a = pc(t);
  const transceiver = a.addTransceiver('video');
  await a.setLocalDescription();
  assert.equal(transceiver.mid, '0');
  await a.setLocalDescription({ type: 'rollback' });
  assert.equal(a.signalingState, 'stable');
  assert.equal(a.pendingLocalDescription, null);
  assert.equal(transceiver.mid, null);
  await assert.rejects(a.setLocalDescription({ type: 'rollback' }), { name: 'InvalidStateError' });

  const b = pc(t);
  await b.setRemoteDescription((await a.createOffer()) as never);
  assert.equal(b.getTransceivers().length, 1);
  const changed = once(b, 'signalingstatechange');
  await b.setRemoteDescription({ type: 'rollback' });
  await changed;
  assert.equal(b.signalingState, 'stable');
  assert.equal(b.getTransceivers().length, 0, 'the transceiver the offer made is removed');
});

test('provisional answers: have-local-pranswer and have-remote-pranswer, then the final answer', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  const answer = await b.createAnswer();
  await b.setLocalDescription({ type: 'pranswer', sdp: answer.sdp });
  assert.equal(b.signalingState, 'have-local-pranswer');
  assert.equal(b.pendingLocalDescription?.type, 'pranswer');
  await a.setRemoteDescription({ type: 'pranswer', sdp: answer.sdp! });
  assert.equal(a.signalingState, 'have-remote-pranswer');
  assert.equal(a.currentRemoteDescription, null);
  await b.setLocalDescription({ type: 'answer', sdp: answer.sdp });
  await a.setRemoteDescription({ type: 'answer', sdp: answer.sdp! });
  assert.equal(a.signalingState, 'stable');
  assert.equal(b.signalingState, 'stable');
  // A pranswer cannot be rolled back once stable, and is no valid type in stable.
  await assert.rejects(a.setRemoteDescription({ type: 'pranswer', sdp: answer.sdp! }), {
    name: 'InvalidStateError',
  });
});

test('parameterless setLocalDescription makes the offer or the answer the state calls for', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  await a.setLocalDescription();
  assert.equal(a.localDescription?.type, 'offer');
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  assert.equal(b.localDescription?.type, 'answer');
  assert.equal(b.signalingState, 'stable');
});

test('a remote offer in have-local-offer rolls the local offer back first (glare)', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  b.addTransceiver('audio');
  await a.setLocalDescription();
  await b.setLocalDescription();
  const log: string[] = [];
  record(a, ['signalingstatechange'], log);
  await a.setRemoteDescription(b.localDescription!);
  assert.equal(a.signalingState, 'have-remote-offer');
  assert.deepEqual(log, ['signalingstatechange', 'signalingstatechange']);
});

test('operations run in order on the chain, and the legacy callback forms work', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  const order: string[] = [];
  const offer = await new Promise<{ type: string; sdp?: string }>((resolve, reject) => {
    const returned = a.createOffer(resolve, reject);
    assert.ok(returned instanceof Promise);
  });
  const p1 = a.setLocalDescription(offer as never).then(() => order.push('sld'));
  const p2 = b.setRemoteDescription(offer as never).then(() => order.push('srd'));
  const p3 = b.createAnswer().then((answer) => {
    order.push('answer');
    return answer;
  });
  await Promise.all([p1, p2, p3]);
  assert.deepEqual(order.slice(-2), ['srd', 'answer']);
  let failed: unknown;
  await a.setRemoteDescription(
    { type: 'offer', sdp: 'x' },
    () => {},
    (e) => (failed = e),
  );
  await settle(10);
  assert.ok(failed instanceof RTCError);
});

test('close() is synchronous, fires nothing, and makes later calls fail', async (t) => {
  const a = pc(t);
  a.addTransceiver('audio');
  const log: string[] = [];
  record(
    a,
    [
      'signalingstatechange',
      'iceconnectionstatechange',
      'connectionstatechange',
      'negotiationneeded',
    ],
    log,
  );
  const pending = a.createOffer();
  assert.equal(a.close(), undefined);
  assert.equal(a.signalingState, 'closed');
  assert.equal(a.iceConnectionState, 'closed');
  assert.equal(a.connectionState, 'closed');
  a.close();
  await assert.rejects(a.createOffer(), { name: 'InvalidStateError' });
  await assert.rejects(a.setRemoteDescription({ type: 'offer', sdp: '' }), {
    name: 'InvalidStateError',
  });
  assert.throws(() => a.addTransceiver('audio'), { name: 'InvalidStateError' });
  assert.throws(() => a.createDataChannel('x'), { name: 'InvalidStateError' });
  assert.throws(() => a.setConfiguration({}), { name: 'InvalidStateError' });
  let settled = false;
  pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle(20);
  assert.equal(settled, false, 'an operation in flight never settles after close');
  assert.deepEqual(log, []);
  assert.equal(a.getTransceivers()[0]!.currentDirection, 'stopped');
});

test('a data-channel exchange makes the RTCSctpTransport on both sides', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.createDataChannel('x');
  assert.equal(a.sctp, null);
  await a.setLocalDescription();
  const offered = a.sctp as RTCSctpTransport | null;
  assert.ok(offered, 'a local offer with SCTP makes it');
  assert.equal(offered.state, 'connecting');
  assert.equal(offered.maxMessageSize, null, 'no remote a=max-message-size yet');
  await a.setLocalDescription({ type: 'rollback' });
  assert.equal(a.sctp, null, 'rollback returns to the stable state');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  assert.ok(b.sctp, 'a remote offer with SCTP makes it');
  assert.equal(b.sctp.state, 'connecting');
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  const sctp = a.sctp as RTCSctpTransport | null;
  assert.ok(sctp);
  assert.notEqual(sctp, offered, 'the rolled-back one is gone');
  assert.equal(sctp.state, 'connecting');
  // Our 8 MiB a=max-message-size, below canSendSize (16 MiB).
  assert.equal(sctp.maxMessageSize, 8 * 1024 * 1024);
  assert.equal(sctp.maxChannels, null);
  assert.ok(sctp.transport instanceof RTCDtlsTransport);
});
