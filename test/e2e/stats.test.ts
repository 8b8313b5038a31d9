/**
 * getStats() of two connected peers with a data channel (W3C webrtc-pc §8, webrtc-stats):
 * the types a data connection has, their references, the counters, the timestamps, and
 * ids that stay the same from one call to the next.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCDataChannelEvent } from '../../src/webrtc/events.js';
import type { RTCIceCandidateInit } from '../../src/webrtc/RTCIceCandidate.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import type { RTCStats } from '../../src/webrtc/RTCStatsReport.js';
import { negotiate, once, pc, trickle, until } from '../webrtc/pc-helpers.js';

type Stats = RTCStats & Record<string, unknown>;

async function statsOf(p: RTCPeerConnection): Promise<Map<string, Stats>> {
  const before = performance.timeOrigin + performance.now();
  const report = await p.getStats();
  const after = performance.timeOrigin + performance.now();
  const out = new Map<string, Stats>();
  for (const [id, stats] of report as unknown as Map<string, Stats>) {
    assert.equal(stats.id, id);
    assert.ok(
      stats.timestamp >= before - 1 && stats.timestamp <= after + 1,
      'a DOMHighResTimeStamp',
    );
    out.set(id, stats);
  }
  return out;
}

const ofType = (stats: Map<string, Stats>, type: string) =>
  [...stats.values()].filter((s) => s.type === type);

test('getStats() of a connection carrying data', async (t) => {
  const a = pc(t);
  const b = pc(t);
  trickle(a, b);
  const channel = a.createDataChannel('chat', { protocol: 'json' });
  const remote = once<RTCDataChannelEvent>(b, 'datachannel');
  await negotiate(a, b);
  await once(channel, 'open');
  const other = (await remote).channel;
  const arrived = new Promise<void>((resolve) => {
    let n = 0;
    other.addEventListener('message', () => ++n === 3 && resolve());
  });
  channel.send('héllo'); // 6 bytes of UTF-8
  channel.send(new Uint8Array(1000));
  channel.send('');
  await arrived;
  // The nominated pair, once nomination (a check of the pair in flight) is over.
  await until(a, 'iceconnectionstatechange', () => a.iceConnectionState, 'completed');

  const stats = await statsOf(a);
  const types = new Set([...stats.values()].map((s) => s.type));
  for (const type of [
    'peer-connection',
    'data-channel',
    'transport',
    'candidate-pair',
    'local-candidate',
    'remote-candidate',
    'certificate',
  ]) {
    assert.ok(types.has(type as RTCStats['type']), type);
  }

  const [connection] = ofType(stats, 'peer-connection');
  assert.equal(connection!.dataChannelsOpened, 1);
  assert.equal(connection!.dataChannelsClosed, 0);

  const [dc] = ofType(stats, 'data-channel');
  assert.equal(dc!.label, 'chat');
  assert.equal(dc!.protocol, 'json');
  assert.equal(dc!.dataChannelIdentifier, channel.id);
  assert.equal(dc!.state, 'open');
  assert.equal(dc!.messagesSent, 3);
  assert.equal(dc!.bytesSent, 1006);
  assert.equal(dc!.messagesReceived, 0);
  const [received] = ofType(await statsOf(b), 'data-channel');
  assert.equal(received!.messagesReceived, 3);
  assert.equal(received!.bytesReceived, 1006);
  assert.equal(received!.messagesSent, 0);

  const transports = ofType(stats, 'transport');
  assert.equal(transports.length, 1, 'one transport: the data section alone');
  const transport = transports[0]!;
  assert.equal(transport.dtlsState, 'connected');
  assert.equal(transport.dtlsRole, 'server', 'the offerer, as the answer says a=setup:active');
  assert.equal(transport.iceRole, 'controlling');
  assert.equal(transport.iceState === 'connected' || transport.iceState === 'completed', true);
  assert.equal(
    transport.iceLocalUsernameFragment,
    a.sctp!.transport.iceTransport.getLocalParameters()!.usernameFragment,
  );
  assert.equal(transport.tlsVersion, 'FEFD');
  assert.equal(transport.dtlsCipher, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'); // our preference
  // The profile RFC 8827 makes mandatory, first in our use_srtp offer as in Chromium's.
  assert.equal(transport.srtpCipher, 'SRTP_AES128_CM_HMAC_SHA1_80');
  assert.ok((transport.bytesSent as number) > 1006 && (transport.bytesReceived as number) > 0);
  assert.ok((transport.selectedCandidatePairChanges as number) >= 1);

  const pair = stats.get(transport.selectedCandidatePairId as string)!;
  assert.equal(pair.type, 'candidate-pair');
  assert.equal(pair.transportId, transport.id);
  assert.equal(pair.state, 'succeeded');
  assert.equal(pair.nominated, true);
  assert.ok((pair.responsesReceived as number) > 0);
  // The data went on the pair selected first, maybe not this one.
  const pairs = ofType(stats, 'candidate-pair');
  assert.ok(pairs.reduce((n, p) => n + (p.bytesSent as number), 0) >= 1006);
  const local = stats.get(pair.localCandidateId as string)!;
  const remoteCandidate = stats.get(pair.remoteCandidateId as string)!;
  assert.equal(local.type, 'local-candidate');
  assert.equal(remoteCandidate.type, 'remote-candidate');
  for (const c of [local, remoteCandidate]) {
    assert.equal(c.transportId, transport.id);
    assert.equal(c.protocol, 'udp');
    // A peer-reflexive remote address was never given by the application: it stays null.
    if (c.candidateType === 'prflx') assert.equal(c.address, null);
    else assert.equal(typeof c.address, 'string');
    assert.equal(typeof c.port, 'number');
    assert.equal(typeof c.priority, 'number');
    assert.equal(typeof c.foundation, 'string');
  }
  assert.equal(local.usernameFragment, transport.iceLocalUsernameFragment);

  const localCertificate = stats.get(transport.localCertificateId as string)!;
  const remoteCertificate = stats.get(transport.remoteCertificateId as string)!;
  assert.equal(localCertificate.type, 'certificate');
  assert.equal(remoteCertificate.type, 'certificate');
  assert.equal(localCertificate.fingerprintAlgorithm, 'sha-256');
  assert.ok(
    a.localDescription!.sdp.includes(`a=fingerprint:sha-256 ${localCertificate.fingerprint}`),
  );
  assert.ok(
    a.remoteDescription!.sdp.includes(`a=fingerprint:sha-256 ${remoteCertificate.fingerprint}`),
  );
  assert.deepEqual(
    Buffer.from(remoteCertificate.base64Certificate as string, 'base64'),
    Buffer.from(a.sctp!.transport.getRemoteCertificates()[0]!),
  );

  // The same objects keep their ids.
  const again = await statsOf(a);
  for (const id of [connection!.id, dc!.id, transport.id, pair.id, local.id, localCertificate.id]) {
    assert.ok(again.has(id), id);
  }

  channel.close();
  await once(channel, 'close');
  const closed = await statsOf(a);
  assert.equal(ofType(closed, 'peer-connection')[0]!.dataChannelsClosed, 1);
});

test('getStats() before any negotiation: the connection and its channels', async (t) => {
  const a = pc(t);
  a.createDataChannel('x');
  const stats = await statsOf(a);
  assert.deepEqual(
    [...stats.values()].map((s) => [s.type, s.state]),
    [
      ['peer-connection', undefined],
      ['data-channel', 'connecting'],
    ],
  );
});

test('a remote address the application never gave is null in the stats; a given one is shown', async (t) => {
  const a = pc(t);
  const b = pc(t);
  // Only a's candidates reach b: b's checks make b peer-reflexive at a.
  a.addEventListener('icecandidate', (e) => {
    const { candidate } = e as Event & { candidate: RTCIceCandidateInit | null };
    if (candidate) b.addIceCandidate(candidate).catch(() => {});
  });
  const channel = a.createDataChannel('x');
  await negotiate(a, b);
  await once(channel, 'open');
  const remote = ofType(await statsOf(a), 'remote-candidate');
  assert.ok(remote.length > 0);
  for (const c of remote) {
    assert.equal(c.candidateType, 'prflx');
    assert.equal(c.address, null);
    assert.equal(typeof c.port, 'number');
  }
  // b knows a's addresses from a's own candidates.
  const known = ofType(await statsOf(b), 'remote-candidate').filter(
    (c) => c.candidateType === 'host',
  );
  assert.ok(known.length > 0);
  for (const c of known) assert.equal(typeof c.address, 'string');
});
