/**
 * Renegotiation with data flowing, between our peer connections on loopback: ICE restarts
 * (with a provisional answer on the way), and a handover to another peer, which brings new
 * ICE credentials and a new certificate and so a new DTLS and SCTP association.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCDataChannelEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, pc, trickle, until } from '../webrtc/pc-helpers.js';

async function channelPair(
  a: RTCPeerConnection,
  b: RTCPeerConnection,
): Promise<[RTCDataChannel, RTCDataChannel]> {
  trickle(a, b);
  const local = a.createDataChannel('chat');
  const remote = once<RTCDataChannelEvent>(b, 'datachannel');
  const opened = once(local, 'open');
  await negotiate(a, b);
  const { channel } = await remote;
  await opened;
  if (channel.readyState !== 'open') await once(channel, 'open');
  return [local, channel];
}

/**
 * Both sides settled on the nominated pair. A restart while a nomination is in flight can
 * leave the two agents on different pairs of the old generation, which the agent of each
 * side then no longer accepts data from until the new generation is up.
 */
async function settled(a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> {
  await until(a, 'iceconnectionstatechange', () => a.iceConnectionState, 'completed');
  await until(b, 'iceconnectionstatechange', () => b.iceConnectionState, 'completed');
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One message each way. */
async function pingPong(x: RTCDataChannel, y: RTCDataChannel, text: string): Promise<void> {
  const request = once<MessageEvent>(y, 'message');
  x.send(text);
  assert.equal((await request).data, text);
  const response = once<MessageEvent>(x, 'message');
  y.send(`re: ${text}`);
  assert.equal((await response).data, `re: ${text}`);
}

test('a channel keeps working at each step of an ICE restart, and after it', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [x, y] = await channelPair(a, b);
  const ice = a.sctp!.transport.iceTransport;
  const ufrag = ice.getLocalParameters()!.usernameFragment;
  await pingPong(x, y, 'before');
  await settled(a, b);
  a.restartIce();
  await a.setLocalDescription();
  await pingPong(x, y, 'offer set');
  await b.setRemoteDescription(a.localDescription!);
  await pingPong(x, y, 'offer applied');
  await b.setLocalDescription();
  await pingPong(x, y, 'answer set');
  await a.setRemoteDescription(b.localDescription!);
  await pingPong(x, y, 'answer applied');
  assert.equal(a.sctp!.transport.iceTransport, ice, 'the same RTCIceTransport');
  assert.notEqual(ice.getLocalParameters()!.usernameFragment, ufrag);
  assert.equal(a.sctp!.transport.state, 'connected', 'the DTLS association stays');
  await until(ice, 'statechange', () => ice.state, 'connected', 'completed');
  await pingPong(x, y, 'after');
});

test('a provisional answer, then the final one, during an ICE restart from the answerer', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [x, y] = await channelPair(a, b);
  await settled(a, b);
  const ice = a.sctp!.transport.iceTransport;
  const newPair = once(ice, 'selectedcandidatepairchange');
  b.restartIce();
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  const answer = await a.createAnswer();
  await a.setLocalDescription({ type: 'pranswer', sdp: answer.sdp! });
  assert.equal(a.signalingState, 'have-local-pranswer');
  await b.setRemoteDescription({ type: 'pranswer', sdp: answer.sdp! });
  assert.equal(b.signalingState, 'have-remote-pranswer');
  await pingPong(x, y, 'provisional');
  await a.setLocalDescription({ type: 'answer', sdp: answer.sdp! });
  await b.setRemoteDescription(a.localDescription!);
  assert.equal(b.signalingState, 'stable');
  await pingPong(x, y, 'final');
  assert.equal(x.readyState, 'open');
  // The answerer kept the offer's new credentials across its own restart: the checks of
  // the new generation succeed and one of its pairs takes over.
  await within(5000, newPair, 'no pair of the new generation');
  const stats = [...(await a.getStats()).values()] as unknown as Record<string, unknown>[];
  const transport = stats.find((s) => s.type === 'transport')!;
  assert.equal(transport.iceLocalUsernameFragment, ice.getLocalParameters()!.usernameFragment);
  assert.equal(stats.find((s) => s.id === transport.selectedCandidatePairId)?.state, 'succeeded');
  await pingPong(x, y, 'new pair');
});

test('handover: a re-offer answered by another peer makes a new DTLS and SCTP association', async (t) => {
  const a = pc(t);
  const first = pc(t);
  const second = pc(t);
  const [x, y] = await channelPair(a, first);
  await pingPong(x, y, 'first');
  const dtls = a.sctp!.transport;
  const [firstCertificate] = dtls.getRemoteCertificates();
  assert.ok(firstCertificate instanceof ArrayBuffer);

  trickle(a, second);
  const sctpStates: string[] = [];
  a.sctp!.addEventListener('statechange', () => sctpStates.push(a.sctp!.state));
  const xClosed = once(x, 'close');
  await a.setLocalDescription(await a.createOffer());
  await second.setRemoteDescription(a.localDescription!);
  const answer = await second.createAnswer();
  await a.setRemoteDescription(answer);
  await second.setLocalDescription(answer);
  first.close();

  const back = second.createDataChannel('second back');
  const { channel } = await once<RTCDataChannelEvent>(a, 'datachannel');
  if (channel.readyState !== 'open') await once(channel, 'open');
  if (back.readyState !== 'open') await once(back, 'open');
  await pingPong(channel, back, 'second');
  await xClosed;
  assert.equal(x.readyState, 'closed', 'the old association took its channels');
  assert.equal(a.sctp!.transport, dtls, 'the same RTCDtlsTransport');
  assert.equal(dtls.state, 'connected');
  const [secondCertificate] = dtls.getRemoteCertificates();
  assert.notDeepEqual(new Uint8Array(secondCertificate!), new Uint8Array(firstCertificate));
  assert.deepEqual(sctpStates, ['connecting', 'connected']);
});
