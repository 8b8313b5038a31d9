/**
 * simple-peer, a library written for the browser's WebRTC API, run unchanged on ours
 * through its `wrtc` option: signaling with and without trickle ICE, messages both ways,
 * its duplex stream carrying 2 MiB intact, the addresses it reads from getStats(), and
 * destroy() closing both ends; and with the polyfill, without the option.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { RTCIceCandidate } from '../../src/webrtc/RTCIceCandidate.js';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { RTCSessionDescription } from '../../src/webrtc/RTCSessionDescription.js';

/** The part of simple-peer's API the tests use (it ships no types). */
interface Peer extends NodeJS.EventEmitter {
  signal(data: unknown): void;
  send(data: string | Uint8Array): void;
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(): void;
  destroy(): void;
  connected: boolean;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  localAddress: string | undefined;
}
type PeerConstructor = new (options: Record<string, unknown>) => Peer;

const SimplePeer = createRequire(import.meta.url)('simple-peer') as PeerConstructor;
const wrtc = { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate };

/** Two peers whose signals are passed to each other, as an application's server would. */
function pair(t: { after(fn: () => void): void }, options: Record<string, unknown> = {}) {
  const a = new SimplePeer({ initiator: true, wrtc, ...options });
  const b = new SimplePeer({ wrtc, ...options });
  const signals = { a: 0, b: 0 };
  a.on('signal', (data) => {
    signals.a++;
    b.signal(data);
  });
  b.on('signal', (data) => {
    signals.b++;
    a.signal(data);
  });
  const errors: string[] = [];
  for (const p of [a, b]) p.on('error', (e: Error) => errors.push(e.message));
  t.after(() => {
    a.destroy();
    b.destroy();
  });
  const connected = Promise.all([a, b].map((p) => new Promise((r) => p.once('connect', r))));
  return { a, b, signals, connected, errors };
}

const next = (p: Peer, event: string) => new Promise<unknown>((r) => p.once(event, r));

test('simple-peer with trickle ICE: connects, messages both ways, addresses from getStats()', async (t) => {
  const { a, b, signals, connected, errors } = pair(t);
  await connected;
  assert.ok(signals.a > 1 && signals.b > 1, 'descriptions and candidates went as signals');
  const atB = next(b, 'data');
  a.send('hello from a');
  assert.equal(String(await atB), 'hello from a');
  const atA = next(a, 'data');
  b.send(new Uint8Array([1, 2, 3]));
  assert.deepEqual([...((await atA) as Uint8Array)], [1, 2, 3]);
  // simple-peer reads the selected pair from getStats(): our own address always shows;
  // the remote one shows when it was signalled (it is null for a peer-reflexive one).
  assert.equal(typeof a.localAddress, 'string');
  assert.equal(typeof b.localAddress, 'string');
  for (const p of [a, b])
    if (p.remoteAddress !== undefined) assert.equal(typeof p.remotePort, 'number');
  assert.deepEqual(errors, []);
});

test('simple-peer without trickle: one signal each way, after gathering', async (t) => {
  const { a, b, signals, connected, errors } = pair(t, { trickle: false });
  await connected;
  assert.deepEqual(signals, { a: 1, b: 1 });
  const atA = next(a, 'data');
  b.send('over a description with every candidate');
  assert.equal(String(await atA), 'over a description with every candidate');
  assert.deepEqual(errors, []);
});

test("simple-peer's duplex stream carries 2 MiB intact; destroy() closes both ends", async (t) => {
  const { a, b, connected, errors } = pair(t);
  await connected;
  const data = randomBytes(2 * 1024 * 1024);
  const received = new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    b.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= data.length) resolve(Buffer.concat(chunks));
    });
  });
  for (let at = 0; at < data.length; at += 16 * 1024) {
    // The stream's backpressure: wait for 'drain' when write() says the buffer is full.
    if (!a.write(data.subarray(at, at + 16 * 1024))) await next(a, 'drain');
  }
  const got = await received;
  assert.equal(
    createHash('sha256').update(got).digest('hex'),
    createHash('sha256').update(data).digest('hex'),
  );
  assert.deepEqual(errors, []);
  const closed = Promise.all([next(a, 'close'), next(b, 'close')]);
  a.destroy();
  await closed;
  assert.equal(a.connected, false);
  assert.equal(b.connected, false);
  // The closed connection aborts the SCTP association: b's channel reports it as an error
  // event, which simple-peer passes on, as it does with Chromium ("User-Initiated Abort").
  for (const e of errors) assert.match(e, /User-Initiated Abort|USER_INITIATED_ABORT/i);
});

test('with the polyfill installed, simple-peer finds the classes itself (no wrtc option)', async (t) => {
  await import('../../src/polyfill.js');
  const a = new SimplePeer({ initiator: true });
  const b = new SimplePeer({});
  t.after(() => {
    a.destroy();
    b.destroy();
  });
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([next(a, 'connect'), next(b, 'connect')]);
  const atB = next(b, 'data');
  a.send('through the globals');
  assert.equal(String(await atB), 'through the globals');
});
