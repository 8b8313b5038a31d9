/**
 * Two peer connections on real sockets through a relay that loses, delays, reorders and
 * duplicates datagrams (impairment-relay.ts): the reliable channels deliver every message
 * once, intact and, when ordered, in order; a partially reliable channel delivers nothing
 * twice and nothing out of order, and gives up on some messages rather than stall.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCDataChannelEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, pc } from '../webrtc/pc-helpers.js';
import { ImpairmentRelay } from './impairment-relay.js';
import { chunk } from './peers.js';

interface Received {
  index: number;
  ok: boolean;
}

/** Sends `count` numbered messages of `size` bytes and collects what arrives, checked. */
function exchange(
  from: RTCDataChannel,
  to: RTCDataChannel,
  count: number,
  size: number,
): Received[] {
  const got: Received[] = [];
  to.binaryType = 'arraybuffer';
  to.onmessage = (e) => {
    const data = new Uint8Array((e as MessageEvent).data as ArrayBuffer);
    const index = new DataView(data.buffer).getUint32(0);
    const want = chunk(index, size);
    want.set(data.subarray(0, 4));
    got.push({ index, ok: data.length === size && Buffer.compare(data, want) === 0 });
  };
  for (let i = 0; i < count; i++) {
    const m = chunk(i, size);
    new DataView(m.buffer).setUint32(0, i);
    from.send(m);
  }
  return got;
}

type ChannelInit = Parameters<RTCPeerConnection['createDataChannel']>[1];

async function joined(
  t: Parameters<typeof pc>[0],
  relay: ImpairmentRelay,
  labels: [string, ChannelInit][],
) {
  const a = pc(t);
  const b = pc(t);
  t.after(() => relay.close());
  await relay.join(a, b);
  const channels = labels.map(([label, init]) => a.createDataChannel(label, init));
  const remote = new Map<string, RTCDataChannel>();
  const all = new Promise<void>((resolve) => {
    b.ondatachannel = (e) => {
      const { channel } = e as RTCDataChannelEvent;
      remote.set(channel.label, channel);
      if (remote.size === labels.length) resolve();
    };
  });
  await negotiate(a, b);
  await Promise.all(channels.map((c) => (c.readyState === 'open' ? undefined : once(c, 'open'))));
  await all;
  return { a, b, channels, remote };
}

test('reliable channels through 3% loss, 10-40 ms delay with reordering and 3% duplicates', async (t) => {
  const relay = new ImpairmentRelay({
    loss: 0.03,
    delay: 10,
    jitter: 30,
    duplicate: 0.03,
    seed: 5,
  });
  const { channels, remote } = await joined(t, relay, [
    ['ordered', {}],
    ['unordered', { ordered: false }],
  ]);
  const count = 120;
  const size = 3000; // three SCTP fragments each
  const ordered = exchange(channels[0]!, remote.get('ordered')!, count, size);
  const unordered = exchange(channels[1]!, remote.get('unordered')!, count, size);
  while (ordered.length < count || unordered.length < count)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200)); // nothing more (no duplicates) comes
  const all = Array.from({ length: count }, (_, i) => i);
  assert.deepEqual(
    ordered.map((m) => m.index),
    all,
  );
  assert.deepEqual(
    unordered.map((m) => m.index).sort((x, y) => x - y),
    all,
  );
  assert.ok(
    [...ordered, ...unordered].every((m) => m.ok),
    'every message intact',
  );
  assert.ok(relay.stats.lost > 20 && relay.stats.duplicated > 20, JSON.stringify(relay.stats));
  t.diagnostic(`relay: ${JSON.stringify(relay.stats)}`);
});

test('a partially reliable channel (maxRetransmits 0) through 10% loss: nothing twice, in order, gaps allowed', async (t) => {
  const relay = new ImpairmentRelay({ loss: 0.1, delay: 10, jitter: 30, duplicate: 0.05, seed: 6 });
  const { channels, remote } = await joined(t, relay, [['unreliable', { maxRetransmits: 0 }]]);
  const count = 300;
  const got = exchange(channels[0]!, remote.get('unreliable')!, count, 1000);
  await new Promise((r) => setTimeout(r, 3000));
  const ids = got.map((m) => m.index);
  assert.ok(
    got.every((m) => m.ok),
    'what arrives is intact',
  );
  assert.equal(new Set(ids).size, ids.length, 'nothing twice');
  assert.deepEqual(
    ids,
    [...ids].sort((x, y) => x - y),
    'in order',
  );
  assert.ok(ids.length < count && ids.length > count / 2, `${ids.length} of ${count} delivered`);
  t.diagnostic(`${ids.length} of ${count} delivered; relay: ${JSON.stringify(relay.stats)}`);
});
