/**
 * The data channel stack (DTLS, SCTP, DCEP) between two ends over a simulated network that
 * loses, delays, reorders and duplicates datagrams, with a fake clock: reliable channels
 * deliver every message once, intact, and (when ordered) in order; partially reliable ones
 * keep their promises: what arrives is intact and never twice, ordered ones stay in order,
 * and lifetimes and retransmission limits let the sender give up rather than stall.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type DtlsCertificates, dtlsCertificates } from '../../fuzz/targets/dtls.js';
import type { DataChannel } from '../../src/datachannel/channel.js';
import { DataChannelEndpoint } from '../../src/datachannel/endpoint.js';
import { DtlsConnection } from '../../src/dtls/connection.js';
import { certificateFingerprint } from '../../src/dtls/fingerprint.js';
import { type LinkOptions, prng, type SimAddress, SimNetwork } from '../support/simnet.js';

let certs: DtlsCertificates;
before(async () => {
  certs = await dtlsCertificates();
});

interface Arrival {
  data: Buffer;
  at: number;
}

interface End {
  dtls: DtlsConnection;
  endpoint: DataChannelEndpoint;
  /** Messages received, by channel label, with the time they arrived. */
  received: Map<string, Arrival[]>;
}

function end(
  net: SimNetwork,
  role: 'client' | 'server',
  local: SimAddress,
  remote: SimAddress,
): End {
  const [mine, theirs] = role === 'client' ? certs.ecdsa : [certs.ecdsa[1], certs.ecdsa[0]];
  const e = { received: new Map() } as End;
  const socket = net.bind(local, (d) => e.dtls.handleDatagram(d, net.now));
  e.dtls = new DtlsConnection({
    role,
    certificate: mine,
    remoteFingerprints: [certificateFingerprint(theirs.der)],
    send: (d) => socket.send(d, remote),
    onStateChange: (s) => {
      if (s === 'connected') e.endpoint.association.connect(net.now);
    },
    onData: (d) => e.endpoint.association.handlePacket(d, net.now),
  });
  e.endpoint = new DataChannelEndpoint(
    { role },
    {
      send: (p) => {
        if (e.dtls.state === 'connected') e.dtls.send(p);
      },
      onChannel: (channel) => listen(net, e, channel),
    },
  );
  net.addTimed(e.dtls);
  net.addTimed(e.endpoint.association);
  return e;
}

function listen(net: SimNetwork, e: End, channel: DataChannel): void {
  const list: Arrival[] = [];
  e.received.set(channel.label, list);
  channel.events = { onMessage: (data) => list.push({ data: Buffer.from(data), at: net.now }) };
}

const HEADER = 12;

/** Message `i` of a channel: its number and the time it was sent, then bytes that depend on it. */
function message(i: number, now: number, random: () => number): Buffer {
  const size = HEADER + Math.floor(random() ** 3 * 20_000);
  const b = Buffer.alloc(size);
  b.writeUInt32BE(i, 0);
  b.writeDoubleBE(now, 4);
  for (let k = HEADER; k < size; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

/** The message's number, after checking every byte. */
function intact({ data }: Arrival): number {
  const i = data.readUInt32BE(0);
  for (let k = HEADER; k < data.length; k++)
    assert.equal(data[k], (i * 31 + k * 7) & 0xff, `message ${i} corrupt at byte ${k}`);
  return i;
}

/** How long after it was sent the message arrived. */
function latency({ data, at }: Arrival): number {
  return at - data.readDoubleBE(4);
}

const CHANNELS = [
  { label: 'reliable-ordered', ordered: true, maxRetransmits: null, maxPacketLifeTime: null },
  { label: 'reliable-unordered', ordered: false, maxRetransmits: null, maxPacketLifeTime: null },
  { label: 'rexmit-0-ordered', ordered: true, maxRetransmits: 0, maxPacketLifeTime: null },
  { label: 'rexmit-2-unordered', ordered: false, maxRetransmits: 2, maxPacketLifeTime: null },
] as const;
const LIFETIME = 300;

function run(
  link: LinkOptions & { seed: number },
  count: number,
): { net: SimNetwork; a: End; b: End } {
  const net = new SimNetwork(link);
  const A = { address: '10.0.0.1', port: 5000 };
  const B = { address: '10.0.0.2', port: 5000 };
  const a = end(net, 'server', A, B);
  const b = end(net, 'client', B, A);
  a.dtls.start(net.now);
  b.dtls.start(net.now);
  assert.ok(
    net.run({ until: () => a.endpoint.association.state === 'established', timeout: 60_000 }),
    'connected',
  );
  const random = prng(link.seed);
  const channels = CHANNELS.map((c) =>
    a.endpoint.openChannel({ ...c, protocol: '', negotiated: false }, net.now),
  );
  // Until its DCEP ACK a channel sends everything ordered and behind its OPEN (RFC 8832 §6).
  net.advance(2000);
  // Messages go out a few at a time, interleaved across channels, as an application sends.
  for (let i = 0; i < count; i++) {
    for (const channel of channels) channel.send(message(i, net.now, random), true, net.now);
    net.advance(5 + random() * 20);
  }
  const reliableDone = () =>
    ['reliable-ordered', 'reliable-unordered'].every(
      (l) => (b.received.get(l)?.length ?? 0) >= count,
    );
  const delivered = net.run({ until: reliableDone, timeout: 600_000 });
  const counts = [...b.received].map(([label, list]) => `${label} ${list.length}`).join(', ');
  assert.ok(delivered, `the reliable channels delivered everything: ${counts} of ${count}`);
  net.advance(10_000); // what the partially reliable channels still have in flight
  // Timed reliability, on a link no longer congested by the burst above (messages waiting
  // in a backlog longer than their lifetime are rightly never sent).
  const timed = a.endpoint.openChannel(
    {
      label: 'lifetime',
      ordered: false,
      maxRetransmits: null,
      maxPacketLifeTime: LIFETIME,
      protocol: '',
      negotiated: false,
    },
    net.now,
  );
  net.advance(2000);
  for (let i = 0; i < count; i++) {
    timed.send(
      message(i, net.now, () => random() / 20),
      true,
      net.now,
    );
    net.advance(20);
  }
  net.advance(10_000);
  return { net, a, b };
}

for (const seed of [1, 2, 3])
  test(`loss 5%, delay 20-50 ms with reordering, 5% duplicates (seed ${seed}): every channel keeps its promise`, () => {
    const count = 120;
    const { net, b } = run({ seed, loss: 0.05, delay: 20, jitter: 30, duplicate: 0.05 }, count);
    const got = (label: string) => (b.received.get(label) ?? []).map(intact);
    const all = Array.from({ length: count }, (_, i) => i);

    assert.deepEqual(got('reliable-ordered'), all, 'every message once, in order');
    assert.deepEqual(
      [...got('reliable-unordered')].sort((x, y) => x - y),
      all,
      'every message once',
    );
    for (const label of ['rexmit-0-ordered', 'rexmit-2-unordered', 'lifetime']) {
      const ids = got(label);
      assert.equal(new Set(ids).size, ids.length, `${label}: no message twice`);
      assert.ok(
        ids.length <= count && ids.every((i) => i >= 0 && i < count),
        `${label}: only what was sent`,
      );
      if (label.endsWith('-ordered'))
        assert.deepEqual(
          ids,
          [...ids].sort((x, y) => x - y),
          `${label}: in order, with gaps`,
        );
    }
    // A lifetime ends retransmissions: nothing arrives later than it and one trip; within
    // it, retransmissions recover most losses.
    const timed = b.received.get('lifetime') ?? [];
    assert.deepEqual(
      timed.filter((m) => latency(m) > LIFETIME + 50).map(intact),
      [],
      'delivered after their lifetime',
    );
    assert.ok(timed.length > 0.9 * count, `${timed.length} of ${count} timed messages delivered`);
    // Loss was real, and the partially reliable channels gave up on some messages.
    assert.ok(net.stats.lost > 50 && net.stats.duplicated > 50, JSON.stringify(net.stats));
    assert.ok(got('rexmit-0-ordered').length < count, 'maxRetransmits 0 lost something at 5% loss');
  });

test('a heavy link (20% loss, 100-300 ms): reliable channels still deliver all, in order', () => {
  const count = 30;
  const { b } = run({ seed: 9, loss: 0.2, delay: 100, jitter: 200, duplicate: 0.1 }, count);
  const all = Array.from({ length: count }, (_, i) => i);
  assert.deepEqual((b.received.get('reliable-ordered') ?? []).map(intact), all);
  assert.deepEqual(
    (b.received.get('reliable-unordered') ?? []).map(intact).sort((x, y) => x - y),
    all,
  );
});
