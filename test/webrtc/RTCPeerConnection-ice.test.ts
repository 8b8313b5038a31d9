import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import type { RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import { RTCIceCandidate } from '../../src/webrtc/RTCIceCandidate.js';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, pc, record, settle, trickle, until } from './pc-helpers.js';

test('gathering: candidates, the "" candidate, then gatheringstatechange, icegatheringstatechange and null in one task', async (t) => {
  const a = pc(t);
  const transceiver = a.addTransceiver('audio', { direction: 'recvonly' });
  const events: string[] = [];
  const candidates: RTCPeerConnectionIceEvent['candidate'][] = [];
  a.addEventListener('icegatheringstatechange', () => events.push(`pc:${a.iceGatheringState}`));
  a.addEventListener('icecandidate', (e) => {
    const { candidate } = e as RTCPeerConnectionIceEvent;
    candidates.push(candidate);
    events.push(candidate === null ? 'null' : candidate.candidate === '' ? 'end' : 'candidate');
  });
  const done = until(a, 'icegatheringstatechange', () => a.iceGatheringState, 'complete');
  await a.setLocalDescription();
  const ice = transceiver.sender.transport!.iceTransport;
  ice.addEventListener('gatheringstatechange', () =>
    events.push(`transport:${ice.gatheringState}`),
  );
  await done;
  await settle();
  assert.equal(events[0], 'transport:gathering');
  assert.equal(events[1], 'pc:gathering');
  assert.ok(events.includes('candidate'), events.join());
  assert.deepEqual(events.slice(-4), ['end', 'transport:complete', 'pc:complete', 'null']);
  const first = candidates[0]!;
  assert.ok(first instanceof RTCIceCandidate);
  assert.equal(first.sdpMid, '0');
  assert.equal(first.sdpMLineIndex, 0);
  assert.equal(first.usernameFragment, ice.getLocalParameters()?.usernameFragment);
  const sdp = a.localDescription!.sdp;
  assert.match(sdp, /\r\na=candidate:\S+ 1 udp \d+ \S+ \d+ typ host\r\n/);
  assert.match(sdp, /\r\na=end-of-candidates\r\n/);
  assert.deepEqual(
    ice.getLocalCandidates().map((c) => c.candidate),
    candidates.filter((c) => c !== null && c.candidate !== '').map((c) => c!.candidate),
  );
});

test('trickle both ways: connectionState new, connecting, connected; the transports show the pair', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const states: string[] = [];
  record(a, ['connectionstatechange'], states);
  a.addEventListener('connectionstatechange', () => states.push(a.connectionState));
  trickle(a, b);
  const transceiver = a.addTransceiver('audio');
  await negotiate(a, b);
  await until(a, 'connectionstatechange', () => a.connectionState, 'connected');
  await until(b, 'connectionstatechange', () => b.connectionState, 'connected');
  assert.deepEqual(
    states.filter((s) => s !== 'connectionstatechange'),
    ['connecting', 'connected'],
  );
  assert.ok(['connected', 'completed'].includes(a.iceConnectionState));
  const dtls = transceiver.sender.transport!;
  assert.equal(dtls.state, 'connected');
  const ice = dtls.iceTransport;
  assert.equal(ice.role, 'controlling');
  assert.equal(b.getTransceivers()[0]!.receiver.transport!.iceTransport.role, 'controlled');
  assert.equal(ice.component, 'rtp');
  const pair = ice.getSelectedCandidatePair();
  assert.ok(pair);
  assert.ok(pair.local instanceof RTCIceCandidate);
  assert.equal(
    ice.getRemoteParameters()?.usernameFragment,
    b.getTransceivers()[0]!.receiver.transport!.iceTransport.getLocalParameters()?.usernameFragment,
  );
  // The remote certificate is the one b's SDP fingerprints.
  const [der] = dtls.getRemoteCertificates();
  assert.ok(der instanceof ArrayBuffer);
  const fingerprint = new X509Certificate(Buffer.from(der!)).fingerprint256;
  assert.ok(b.localDescription!.sdp.includes(`a=fingerprint:sha-256 ${fingerprint}`));
});

test('without trickle: the candidates in the descriptions are enough', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('video');
  await a.setLocalDescription();
  await until(a, 'icegatheringstatechange', () => a.iceGatheringState, 'complete');
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await until(b, 'icegatheringstatechange', () => b.iceGatheringState, 'complete');
  assert.match(b.localDescription!.sdp, /a=candidate:/);
  await a.setRemoteDescription(b.localDescription!);
  await until(a, 'connectionstatechange', () => a.connectionState, 'connected');
  await until(b, 'connectionstatechange', () => b.connectionState, 'connected');
});

test('addIceCandidate: the errors and cases the spec lists', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const candidate = 'candidate:1 1 udp 2130706431 192.0.2.7 50000 typ host';
  await assert.rejects(a.addIceCandidate({ candidate, sdpMid: '0' }), {
    name: 'InvalidStateError',
  });
  await assert.rejects(a.addIceCandidate({ candidate }), TypeError);
  b.addTransceiver('audio');
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await assert.rejects(a.addIceCandidate({ candidate, sdpMid: 'nope' }), {
    name: 'OperationError',
  });
  await assert.rejects(a.addIceCandidate({ candidate, sdpMLineIndex: 1 }), {
    name: 'OperationError',
  });
  await assert.rejects(a.addIceCandidate({ candidate, sdpMid: '0', usernameFragment: 'zzzz' }), {
    name: 'OperationError',
  });
  await assert.rejects(a.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: '0' }), {
    name: 'OperationError',
  });
  await a.addIceCandidate({ candidate, sdpMLineIndex: 0 });
  assert.match(
    a.remoteDescription!.sdp,
    /a=candidate:1 1 udp 2130706431 192\.0\.2\.7 50000 typ host\r\n/,
  );
  // null, {} and "" are end-of-candidates (for every section when no mid is given).
  await a.addIceCandidate(null);
  await a.addIceCandidate({ candidate: '', sdpMid: '0' });
  assert.match(a.remoteDescription!.sdp, /a=end-of-candidates\r\n/);
  assert.equal(a.remoteDescription!.sdp.match(/a=end-of-candidates/g)?.length, 1);
  // The transports appear with our answer.
  assert.equal(a.getTransceivers()[0]!.receiver.transport, null);
  await a.setLocalDescription();
  const transport = a.getTransceivers()[0]!.receiver.transport!.iceTransport;
  assert.deepEqual(
    transport.getRemoteCandidates().map((c) => c.address),
    ['192.0.2.7'],
  );
});

test('restartIce() needs negotiation; the next offer has new credentials and gathering runs again', async (t) => {
  const a = pc(t);
  const b = pc(t);
  trickle(a, b);
  a.addTransceiver('audio');
  await negotiate(a, b);
  await until(a, 'connectionstatechange', () => a.connectionState, 'connected');
  await settle(10);
  const ufrag = (sdp: string) => /a=ice-ufrag:(\S+)/.exec(sdp)![1];
  const before = ufrag(a.localDescription!.sdp);
  const needed = once(a, 'negotiationneeded');
  a.restartIce();
  await needed;
  const gathering = until(a, 'icegatheringstatechange', () => a.iceGatheringState, 'gathering');
  await negotiate(a, b);
  await gathering;
  assert.notEqual(ufrag(a.localDescription!.sdp), before);
  await until(a, 'icegatheringstatechange', () => a.iceGatheringState, 'complete');
  await settle(200);
  assert.equal(a.connectionState, 'connected');
  // Once negotiated, nothing is left to negotiate.
  let fired = false;
  a.addEventListener('negotiationneeded', () => (fired = true));
  await settle(20);
  assert.equal(fired, false);
  // createOffer({ iceRestart: true }) changes the credentials too.
  const offer = await a.createOffer({ iceRestart: true });
  assert.notEqual(ufrag(offer.sdp!), ufrag(a.localDescription!.sdp));
});

test('configured certificates are used; expired ones are an InvalidAccessError', async (t) => {
  const certificate = await RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
  });
  const a = pc(t, { certificates: [certificate] });
  a.addTransceiver('audio');
  const offer = await a.createOffer();
  const [fingerprint] = certificate.getFingerprints();
  assert.ok(
    offer.sdp!.toLowerCase().includes(`a=fingerprint:sha-256 ${fingerprint!.value!.toLowerCase()}`),
  );
  assert.deepEqual(a.getConfiguration().certificates, [certificate]);
  const expired = await RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
    expires: 0,
  } as never);
  await settle(5);
  assert.throws(() => new RTCPeerConnection({ certificates: [expired] }), {
    name: 'InvalidAccessError',
  });
  assert.throws(() => a.setConfiguration({ bundlePolicy: 'max-bundle' }), {
    name: 'InvalidModificationError',
  });
});

test('iceCandidatePoolSize gathers before the first description; the offer carries those candidates', async (t) => {
  const a = pc(t, { iceCandidatePoolSize: 1 });
  await settle(50);
  a.addTransceiver('audio');
  const offer = await a.createOffer();
  const ufrag = /a=ice-ufrag:(\S+)/.exec(offer.sdp!)![1];
  const events: RTCPeerConnectionIceEvent[] = [];
  a.addEventListener('icecandidate', (e) => events.push(e as RTCPeerConnectionIceEvent));
  await a.setLocalDescription(offer);
  await until(a, 'icegatheringstatechange', () => a.iceGatheringState, 'complete');
  const first = events.find((e) => e.candidate !== null && e.candidate.candidate !== '');
  assert.equal(first?.candidate?.usernameFragment, ufrag);
});
