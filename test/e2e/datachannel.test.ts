/**
 * Two of our peer connections in one process on loopback, through ICE, DTLS and SCTP:
 * in-band (DCEP) and negotiated channels, messages of every size, many channels, closing
 * from either side, and close() of a connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCDataChannelEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, pc, trickle, until } from '../webrtc/pc-helpers.js';

/** Connects a → b with trickle and resolves with a's channel and b's matching one. */
async function channelPair(
  a: RTCPeerConnection,
  b: RTCPeerConnection,
  label = 'chat',
  init: Parameters<RTCPeerConnection['createDataChannel']>[1] = {},
): Promise<[RTCDataChannel, RTCDataChannel]> {
  trickle(a, b);
  const local = a.createDataChannel(label, init);
  const remote = once<RTCDataChannelEvent>(b, 'datachannel');
  const opened = once(local, 'open');
  await negotiate(a, b);
  const { channel } = await remote;
  await opened;
  if (channel.readyState !== 'open') await once(channel, 'open');
  return [local, channel];
}

function messages(channel: RTCDataChannel, count: number): Promise<unknown[]> {
  const got: unknown[] = [];
  return new Promise((resolve) => {
    channel.addEventListener('message', (e) => {
      got.push((e as MessageEvent).data);
      if (got.length === count) resolve(got);
    });
  });
}

test('an in-band channel opens on both sides with its settings; ids follow the DTLS role', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [local, remote] = await channelPair(a, b, 'chat', {
    protocol: 'json',
    ordered: false,
    maxRetransmits: 3,
  });
  assert.equal(local.readyState, 'open');
  assert.equal(remote.label, 'chat');
  assert.equal(remote.protocol, 'json');
  assert.equal(remote.ordered, false);
  assert.equal(remote.maxRetransmits, 3);
  assert.equal(remote.maxPacketLifeTime, null);
  assert.equal(remote.negotiated, false);
  assert.equal(remote.id, local.id);
  // The answerer is the DTLS client (a=setup:active): the offerer, the server, takes odd ids.
  assert.equal(local.id! % 2, 1);
  assert.equal(a.sctp!.state, 'connected');
  assert.equal(a.sctp!.maxChannels, 65535);
  assert.equal(a.sctp!.maxMessageSize, 8 * 1024 * 1024);
  assert.equal(b.sctp!.transport.state, 'connected');
  // A channel b makes now gets an even id and opens at once.
  const late = b.createDataChannel('late');
  assert.equal(late.id! % 2, 0);
  const seen = once<RTCDataChannelEvent>(a, 'datachannel');
  await once(late, 'open');
  assert.equal((await seen).channel.label, 'late');
});

test('messages of every size arrive, in order, as strings and ArrayBuffers', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [local, remote] = await channelPair(a, b);
  const sizes = [0, 1, 1200, 65536, 262144, 8 * 1024 * 1024];
  const payloads = sizes.map((n) => {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 7 + n) & 0xff;
    return bytes;
  });
  const got = messages(remote, payloads.length + 3);
  for (const p of payloads) local.send(p);
  local.send('');
  local.send('héllo ✓');
  local.send(new Uint8Array([9, 8, 7]).subarray(1));
  const received = await got;
  received.slice(0, payloads.length).forEach((data, i) => {
    assert.ok(data instanceof ArrayBuffer, `message ${i} is an ArrayBuffer`);
    assert.deepEqual(new Uint8Array(data), payloads[i], `payload of ${sizes[i]} bytes`);
  });
  assert.deepEqual(received.slice(payloads.length, payloads.length + 2), ['', 'héllo ✓']);
  assert.deepEqual([...new Uint8Array(received.at(-1) as ArrayBuffer)], [8, 7]);
  // The other way round too.
  const back = messages(local, 1);
  remote.send('pong');
  assert.deepEqual(await back, ['pong']);
  assert.throws(() => local.send(new Uint8Array(8 * 1024 * 1024 + 1)), TypeError);
});

test('negotiated channels need no DCEP and open on both sides with the same id', async (t) => {
  const a = pc(t);
  const b = pc(t);
  trickle(a, b);
  const x = a.createDataChannel('x', { negotiated: true, id: 42 });
  const y = b.createDataChannel('y', { negotiated: true, id: 42 });
  let announced = false;
  b.addEventListener('datachannel', () => (announced = true));
  await negotiate(a, b);
  await Promise.all([once(x, 'open'), once(y, 'open')]);
  const got = messages(y, 1);
  x.send('over 42');
  assert.deepEqual(await got, ['over 42']);
  assert.equal(announced, false);
  assert.throws(() => a.createDataChannel('dup', { negotiated: true, id: 42 }), {
    name: 'OperationError',
  });
});

test('many channels at once, each carrying its own messages', async (t) => {
  const a = pc(t);
  const b = pc(t);
  trickle(a, b);
  const count = 64;
  const channels = Array.from({ length: count }, (_, i) => a.createDataChannel(`c${i}`));
  const remotes = new Map<string, RTCDataChannel>();
  const allRemote = new Promise<void>((resolve) => {
    b.ondatachannel = (e) => {
      const { channel } = e as RTCDataChannelEvent;
      remotes.set(channel.label, channel);
      if (remotes.size === count) resolve();
    };
  });
  await negotiate(a, b);
  await Promise.all(channels.map((c) => once(c, 'open')));
  await allRemote;
  assert.equal(new Set(channels.map((c) => c.id)).size, count);
  const echoes = channels.map((c) => messages(c, 1));
  for (const r of remotes.values()) r.onmessage = (e) => r.send(`echo ${(e as MessageEvent).data}`);
  for (const [i, c] of channels.entries()) c.send(`m${i}`);
  const results = await Promise.all(echoes);
  for (const [i, got] of results.entries()) assert.deepEqual(got, [`echo m${i}`]);
});

test('closing a channel from either side closes both, after the data in flight', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [local, remote] = await channelPair(a, b);
  const events: string[] = [];
  remote.addEventListener('closing', () => events.push(`remote:closing:${remote.readyState}`));
  remote.addEventListener('close', () => events.push(`remote:close:${remote.readyState}`));
  local.addEventListener('close', () => events.push(`local:close:${local.readyState}`));
  const got = messages(remote, 3);
  local.send('1');
  local.send('2');
  local.send('3');
  local.close();
  assert.equal(local.readyState, 'closing');
  assert.throws(() => local.send('4'), { name: 'InvalidStateError' });
  assert.deepEqual(await got, ['1', '2', '3']);
  await Promise.all([
    once(remote, 'close'),
    (local.readyState as string) === 'closed' ? undefined : once(local, 'close'),
  ]);
  assert.deepEqual(events.sort(), [
    'local:close:closed',
    'remote:close:closed',
    'remote:closing:closing',
  ]);
  // And from the answerer's side.
  const second = b.createDataChannel('second');
  const announced = once<RTCDataChannelEvent>(a, 'datachannel');
  await once(second, 'open');
  const { channel } = await announced;
  const closed = once(channel, 'close');
  second.close();
  await closed;
});

test('close() of one connection closes the channels on the other promptly (SCTP ABORT)', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const [local, remote] = await channelPair(a, b);
  const sctpClosed = until(b.sctp!, 'statechange', () => b.sctp!.state, 'closed');
  const remoteClosed = once(remote, 'close');
  const localEvents: string[] = [];
  for (const type of ['close', 'closing', 'error'])
    local.addEventListener(type, () => localEvents.push(type));
  const ownStates: string[] = [];
  a.sctp!.addEventListener('statechange', () => ownStates.push(a.sctp!.state));
  const started = performance.now();
  a.close();
  assert.equal(local.readyState, 'closed', 'closed at once, without events');
  assert.equal(a.sctp!.state, 'closed', 'closed at once');
  assert.deepEqual(ownStates, [], 'its statechange comes from a task');
  await remoteClosed;
  await sctpClosed;
  // webrtc-pc, RTCSctpTransportState "closed": closing the connection queues the update,
  // with its statechange; the channels close without events.
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(ownStates, ['closed']);
  assert.deepEqual(localEvents, []);
  assert.ok(performance.now() - started < 1000, 'within a second');
  assert.equal(remote.readyState, 'closed');
});

test('connectionState goes new, connecting, connected; channels made before signalling open', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const states: string[] = [];
  a.addEventListener('connectionstatechange', () => states.push(a.connectionState));
  const [local] = await channelPair(a, b);
  await until(a, 'connectionstatechange', () => a.connectionState, 'connected');
  assert.deepEqual(states, ['connecting', 'connected']);
  assert.equal(local.readyState, 'open');
  assert.equal(
    a.sctp!.transport.iceTransport.state === 'connected' ||
      a.sctp!.transport.iceTransport.state === 'completed',
    true,
  );
});
