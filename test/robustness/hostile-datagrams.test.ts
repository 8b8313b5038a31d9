/**
 * A connected pair of peer connections on loopback while datagrams that are not the peer's
 * keep arriving at one of them during a transfer: random bytes from another socket, and,
 * as if from the peer's own address, random bytes, STUN with a wrong MESSAGE-INTEGRITY,
 * the peer's own DTLS records replayed, truncated, with a bad MAC, in epoch 0 or a future
 * epoch. The transfer completes byte for byte, the connections stay connected, and no
 * exception reaches the process.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { checkRequest } from '../../src/ice/messages.js';
import { Method, StunWriter, shortTermKey, XorMappedAddress } from '../../src/stun/index.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { prng } from '../support/simnet.js';
import { pc } from '../webrtc/pc-helpers.js';
import {
  channelPair,
  inject,
  nominated,
  selectedPair,
  tapSends,
  transfer,
  udpSocketOn,
} from './peers.js';

async function transportPacketsReceived(connection: RTCPeerConnection): Promise<number> {
  for (const s of (await connection.getStats()).values())
    if (s.type === 'transport')
      return (s as unknown as { packetsReceived: number }).packetsReceived;
  throw new Error('no transport stats');
}

test('a transfer completes intact through a stream of forged, replayed and random datagrams', async (t) => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  t.after(() => process.off('uncaughtException', onUncaught));

  const a = pc(t);
  const b = pc(t);
  const [sender, receiver] = await channelPair(a, b);
  await Promise.all([nominated(a), nominated(b)]);
  const pairB = selectedPair(b);
  const pairA = selectedPair(a);
  const socketB = udpSocketOn(pairB.local.port);
  const tap = tapSends(udpSocketOn(pairA.local.port));
  t.after(() => tap.stop());
  const stranger = createSocket(pairB.local.address.includes(':') ? 'udp6' : 'udp4');
  t.after(() => stranger.close());

  const random = prng(99);
  const int = (n: number) => Math.floor(random() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const ufrag = b.localDescription!.sdp.match(/a=ice-ufrag:(\S+)/)![1]!;
  const wrongKey = shortTermKey('wrong password wrong password');
  const counts = new Map<string, number>();
  const forge = (): [string, Buffer] => {
    const records = tap.sent.filter((d) => d[0] === 23); // DTLS application data from a
    const record = records[int(records.length)];
    const kind = int(9);
    if (kind === 0 || !record) return ['random', bytes(1 + int(1400))];
    if (kind === 1)
      return [
        'stun-bad-integrity',
        checkRequest({
          username: `${ufrag}:x`,
          priority: 1,
          controlling: true,
          tieBreaker: 3n,
          useCandidate: true,
          key: wrongKey,
        }),
      ];
    if (kind === 2)
      return [
        'stun-stray-response',
        new StunWriter(Method.Binding, 'success')
          .add(XorMappedAddress, { address: '10.1.1.1', port: 1 })
          .addMessageIntegrity(wrongKey)
          .addFingerprint()
          .finish(),
      ];
    const d = Buffer.from(record);
    if (kind === 3) return ['dtls-replay', d];
    if (kind === 4) {
      d[13 + int(d.length - 13)]! ^= 1 << int(8);
      return ['dtls-bad-mac', d];
    }
    if (kind === 5) {
      d.writeUInt16BE(2 + int(0xfffd), 3);
      return ['dtls-future-epoch', d];
    }
    if (kind === 6) {
      d.writeUInt16BE(0, 3);
      return ['dtls-epoch-0', d];
    }
    if (kind === 7) return ['dtls-truncated', d.subarray(0, 13 + int(d.length - 13))];
    d[0] = 20 + int(44); // another content type, same bytes
    return ['dtls-content-type', d];
  };
  const storm = setInterval(() => {
    for (let i = 0; i < 20; i++) {
      const [kind, d] = forge();
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      inject(socketB, d, pairB.remote);
    }
    stranger.send(bytes(1 + int(1200)), pairB.local.port, pairB.local.address);
  }, 2);
  t.after(() => clearInterval(storm));

  const packetsBefore = await transportPacketsReceived(b);
  const run = transfer(sender, receiver, 400, 8 * 1024); // 3.2 MB
  await run.done;
  clearInterval(storm);
  assert.equal(run.received, 400);
  assert.deepEqual(uncaught, []);
  assert.equal(a.connectionState, 'connected');
  assert.equal(b.connectionState, 'connected');
  assert.equal(receiver.readyState, 'open');
  const injected = [...counts.values()].reduce((x, y) => x + y, 0);
  assert.ok(injected > 1000, `${injected} datagrams injected`);
  // They reached the connection: its transport counted them with the real ones.
  const packets = (await transportPacketsReceived(b)) - packetsBefore;
  assert.ok(packets > 400 + injected / 2, `${packets} packets received, ${injected} injected`);
  for (const kind of [
    'random',
    'dtls-bad-mac',
    'dtls-replay',
    'dtls-future-epoch',
    'dtls-truncated',
  ])
    assert.ok((counts.get(kind) ?? 0) > 50, `${kind}: ${counts.get(kind)}`);
  // And the channel still works the other way.
  const back = new Promise((resolve) => {
    sender.onmessage = (e) => resolve((e as MessageEvent).data);
  });
  receiver.send('done');
  assert.equal(await back, 'done');
});
