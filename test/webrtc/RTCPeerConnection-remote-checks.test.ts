/**
 * What a remote description must satisfy beyond its syntax (RFC 9429 §5.8, RFC 3264 §6.1,
 * RFC 5761 §4, RFC 8285 §6), what profiles an offer may use, and the SDP of several
 * certificates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, pc } from './pc-helpers.js';

const FINGERPRINT =
  'A7:24:72:CA:6E:02:55:39:BA:66:DF:6E:CC:4C:D8:B0:1A:BF:1A:56:65:7D:F4:03:AD:7E:77:43:2A:29:EC:93';

/** An offer of one audio section, as endpoints other than browsers write it. */
function audioOffer(proto: string, pt: number): string {
  return [
    'v=0',
    'o=- 0 3 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `a=fingerprint:sha-256 ${FINGERPRINT}`,
    'a=ice-ufrag:6HHHdzzeIhkE0CKj',
    'a=ice-pwd:XYDGVpfvklQIEnZ6YnyLsAew',
    `m=audio 9 ${proto} ${pt}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp-mux',
    'a=sendonly',
    'a=mid:audio',
    `a=rtpmap:${pt} opus/48000/2`,
    'a=setup:actpass',
    '',
  ].join('\r\n');
}

test('every RTP profile of RFC 9429 §5.8.1 is accepted and echoed in the answer', async (t) => {
  for (const proto of ['RTP/AVP', 'RTP/SAVPF', 'UDP/TLS/RTP/SAVP', 'TCP/DTLS/RTP/SAVPF']) {
    const p = pc(t);
    await p.setRemoteDescription({ type: 'offer', sdp: audioOffer(proto, 111) });
    const sdp = (await p.createAnswer()).sdp!;
    assert.match(sdp, new RegExp(`^m=audio 9 ${proto} 111\r$`, 'm'), proto);
    assert.match(sdp, /^a=recvonly\r$/m);
    p.close();
  }
});

test('payload types 35-63 and 96-127 are taken; 64-95 collide with RTCP (RFC 5761 §4)', async (t) => {
  for (const pt of [35, 63, 96, 127]) {
    const p = pc(t);
    await p.setRemoteDescription({ type: 'offer', sdp: audioOffer('RTP/SAVPF', pt) });
    assert.match((await p.createAnswer()).sdp!, new RegExp(`^a=rtpmap:${pt} opus/48000/2\r$`, 'm'));
    p.close();
  }
  for (const pt of [64, 72, 95]) {
    const p = pc(t);
    await assert.rejects(
      p.setRemoteDescription({ type: 'offer', sdp: audioOffer('RTP/SAVPF', pt) }),
      {
        name: 'InvalidAccessError',
      },
    );
    assert.equal(p.signalingState, 'stable');
    p.close();
  }
});

test('an answer must not send what the offer does not receive, nor the reverse', async (t) => {
  for (const [local, from, to] of [
    ['recvonly', 'inactive', 'recvonly'],
    ['sendonly', 'recvonly', 'sendrecv'],
    ['inactive', 'inactive', 'sendonly'],
  ] as const) {
    const a = pc(t);
    const b = pc(t);
    a.addTransceiver('audio').direction = local;
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    const sdp = b.localDescription!.sdp;
    assert.match(sdp, new RegExp(`^a=${from}\r$`, 'm'));
    await assert.rejects(
      a.setRemoteDescription({ type: 'answer', sdp: sdp.replace(`a=${from}`, `a=${to}`) }),
      { name: 'InvalidAccessError' },
      `${to} answering ${local}`,
    );
    assert.equal(a.signalingState, 'have-local-offer');
    await a.setRemoteDescription(b.localDescription!);
    assert.equal(
      a.getTransceivers()[0]!.currentDirection,
      local === 'sendonly' ? 'sendonly' : 'inactive',
    );
  }
});

test('a later description must not give a header extension another id (RFC 8285 §6)', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  await negotiate(a, b);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  const sdp = (await b.createAnswer()).sdp!;
  const swapped = sdp
    .replace('urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'xyzzy')
    .replace('urn:ietf:params:rtp-hdrext:sdes:mid', 'urn:ietf:params:rtp-hdrext:ssrc-audio-level')
    .replace('xyzzy', 'urn:ietf:params:rtp-hdrext:sdes:mid');
  assert.notEqual(swapped, sdp);
  await assert.rejects(a.setRemoteDescription({ type: 'answer', sdp: swapped }), {
    name: 'InvalidAccessError',
  });
  await a.setRemoteDescription({ type: 'answer', sdp });
  assert.equal(a.signalingState, 'stable');
});

test('every configured certificate has its fingerprint in the SDP', async (t) => {
  const certificates = await Promise.all([
    RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
    RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
  ]);
  const a = pc(t, { certificates });
  a.createDataChannel('x');
  const sdp = (await a.createOffer()).sdp!;
  for (const certificate of certificates) {
    for (const { algorithm, value } of certificate.getFingerprints()) {
      assert.ok(sdp.includes(`a=fingerprint:${algorithm} ${value!.toUpperCase()}`), value);
    }
  }
});

test('the RTCSctpTransport moves to the bundle transport an answer chooses', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const audio = a.addTransceiver('audio');
  a.createDataChannel('x');
  await a.setLocalDescription();
  const own = a.sctp!.transport;
  assert.notEqual(own, audio.sender.transport, 'balanced: the data section has its own');
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  assert.equal(a.sctp!.transport, audio.sender.transport);
  assert.equal(b.sctp!.transport, b.getTransceivers()[0]!.sender.transport);
});

test('two m= sections with one msid make an OperationError (RFC 8830 §2)', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('video');
  const sdp = (await a.createOffer()).sdp!;
  const media = sdp.slice(sdp.indexOf('m=video'));
  const twice = sdp + media.replace('a=mid:', 'a=mid:unique');
  await assert.rejects(b.setRemoteDescription({ type: 'offer', sdp: twice }), {
    name: 'OperationError',
  });
  assert.equal(b.signalingState, 'stable');
  // The same line twice in one section is no conflict.
  const msid = /^a=msid:[^\r\n]*/m.exec(sdp)![0];
  await b.setRemoteDescription({ type: 'offer', sdp: sdp.replace(msid, `${msid}\r\n${msid}`) });
  assert.equal(b.getTransceivers().length, 1);
});

test('ICE credentials outside RFC 8839 §5.4 (characters, length) are an InvalidAccessError', async (t) => {
  const offer = audioOffer('UDP/TLS/RTP/SAVPF', 111);
  for (const [from, to] of [
    ['a=ice-ufrag:6HHHdzzeIhkE0CKj', 'a=ice-ufrag:6HH$dzzeIhkE0CKj'],
    ['a=ice-pwd:XYDGVpfvklQIEnZ6YnyLsAew', 'a=ice-pwd:XYDG$pfvklQIEnZ6YnyLsAew'],
    ['a=ice-pwd:XYDGVpfvklQIEnZ6YnyLsAew', 'a=ice-pwd:foobarba'],
  ] as const) {
    const p = pc(t);
    await assert.rejects(p.setRemoteDescription({ type: 'offer', sdp: offer.replace(from, to) }), {
      name: 'InvalidAccessError',
    });
    p.close();
  }
});

test('an unreadable a=max-message-size is as if absent: 64 KiB (RFC 8841 §6)', async (t) => {
  const offerer = pc(t);
  const answerer = pc(t);
  offerer.createDataChannel('x');
  await offerer.setLocalDescription();
  const sdp = offerer.localDescription!.sdp.replace(
    /a=max-message-size:\d+/,
    'a=max-message-size:undefined',
  );
  await answerer.setRemoteDescription({ type: 'offer', sdp });
  await answerer.setLocalDescription();
  assert.equal(answerer.sctp?.maxMessageSize, 65536);
});
