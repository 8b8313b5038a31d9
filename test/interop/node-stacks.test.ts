/**
 * Against the other WebRTC stacks for Node, in one process through their W3C APIs: werift
 * (TypeScript), node-datachannel (libdatachannel, its polyfill) and @roamhq/wrtc
 * (libwebrtc). Each offers to us and answers our offer, with trickle ICE: the channel
 * opens, a message goes each way, a 60,000-byte binary message and a negotiated channel
 * work, closing one end closes the other, and setup stays well under the timers a lost first
 * packet would cost (werift's first SCTP INIT follows its last DTLS flight at once; it was
 * dropped, and its 3 s retransmission timer set the pace).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';

interface Channel extends EventTarget {
  readyState: string;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(): void;
}
interface Connection {
  createDataChannel(label: string, init?: { negotiated?: boolean; id?: number }): Channel;
  createOffer(): Promise<{ type: string; sdp?: string }>;
  createAnswer(): Promise<{ type: string; sdp?: string }>;
  setLocalDescription(d: { type: string; sdp?: string }): Promise<void>;
  setRemoteDescription(d: { type: string; sdp?: string }): Promise<void>;
  addIceCandidate(c: unknown): Promise<void>;
  localDescription: { type: string; sdp: string } | null;
  onicecandidate: ((e: { candidate: unknown }) => void) | null;
  ondatachannel: ((e: { channel: Channel }) => void) | null;
  close(): void;
}
type Make = () => Connection;

const require = createRequire(import.meta.url);
const stacks: Record<string, () => Make> = {
  werift: () => {
    const { RTCPeerConnection: Werift } = require('werift');
    return () => new Werift();
  },
  'node-datachannel': () => {
    const { RTCPeerConnection: Ndc } = require('node-datachannel/polyfill');
    return () => new Ndc();
  },
  wrtc: () => {
    const { RTCPeerConnection: Wrtc } = require('@roamhq/wrtc');
    return () => new Wrtc();
  },
};
const ours: Make = () => new RTCPeerConnection() as unknown as Connection;

/** Candidates wait for the remote description, as an application's signaling does. */
function trickle(from: Connection, to: Connection, remoteSet: Promise<void>): void {
  from.onicecandidate = (e) => {
    if (e.candidate) void remoteSet.then(() => to.addIceCandidate(e.candidate).catch(() => {}));
  };
}

const message = (channel: EventTarget) =>
  new Promise<unknown>((resolve) =>
    channel.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true }),
  );
const opened = (channel: Channel) =>
  channel.readyState === 'open'
    ? Promise.resolve()
    : new Promise((r) => channel.addEventListener('open', r, { once: true }));

async function connect(makeOfferer: Make, makeAnswerer: Make): Promise<number> {
  const started = performance.now();
  const a = makeOfferer();
  const b = makeAnswerer();
  try {
    let aRemote!: () => void;
    let bRemote!: () => void;
    const aReady = new Promise<void>((r) => (aRemote = r));
    const bReady = new Promise<void>((r) => (bRemote = r));
    trickle(a, b, bReady);
    trickle(b, a, aReady);
    const channel = a.createDataChannel('interop');
    const open = opened(channel);
    const remote = new Promise<Channel>((r) => (b.ondatachannel = (e) => r(e.channel)));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription({ type: 'offer', sdp: a.localDescription!.sdp });
    bRemote();
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription({ type: 'answer', sdp: b.localDescription!.sdp });
    aRemote();
    await open;
    const setup = performance.now() - started;
    const other = await remote;
    await opened(other);
    const toB = message(other);
    channel.send('to the answerer');
    assert.equal(await toB, 'to the answerer');
    const toA = message(channel);
    other.send('to the offerer');
    assert.equal(await toA, 'to the offerer');

    // A binary message near 64 KiB (every stack's a=max-message-size allows it).
    channel.binaryType = 'arraybuffer';
    const big = new Uint8Array(60_000).map((_, i) => i & 0xff);
    const bigAtA = message(channel);
    other.send(big);
    assert.deepEqual(new Uint8Array((await bigAtA) as ArrayBuffer), big);
    // A channel both sides made themselves on id 42.
    const n1 = a.createDataChannel('negotiated', { negotiated: true, id: 42 });
    const n2 = b.createDataChannel('negotiated', { negotiated: true, id: 42 });
    await Promise.all([opened(n1), opened(n2)]);
    const onB = message(n2);
    n1.send('on 42');
    assert.equal(await onB, 'on 42');
    // The answerer closes the first channel; the offerer's end closes too.
    const closed = new Promise((r) => channel.addEventListener('close', r, { once: true }));
    other.close();
    await closed;
    return setup;
  } finally {
    a.close();
    b.close();
  }
}

for (const [name, load] of Object.entries(stacks)) {
  test(`${name}: offers to us and answers our offer`, async (t) => {
    const theirs = load();
    for (const [label, offerer, answerer] of [
      [`${name} offers`, theirs, ours],
      [`we offer to ${name}`, ours, theirs],
    ] as const) {
      const ms = await connect(offerer, answerer);
      t.diagnostic(`${label}: channel open in ${ms.toFixed(0)} ms`);
      assert.ok(ms < 1500, `${label}: ${ms.toFixed(0)} ms to an open channel`);
    }
  });
}
