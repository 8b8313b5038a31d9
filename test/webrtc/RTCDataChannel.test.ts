/** RTCDataChannel without a transport: creation, attributes, exceptions (W3C webrtc-pc §6). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  announceDataChannelClosed,
  closeDataChannelAbruptly,
  createDataChannel,
  failDataChannel,
  RTCDataChannel,
  RTCDataChannelEvent,
  setDataChannelId,
} from '../../src/webrtc/RTCDataChannel.js';
import { RTCError, RTCErrorEvent } from '../../src/webrtc/RTCError.js';

/** The events fired at `channel`, by type, as they come. */
function events(channel: RTCDataChannel): string[] {
  const seen: string[] = [];
  for (const type of ['open', 'bufferedamountlow', 'error', 'closing', 'close', 'message'])
    channel.addEventListener(type, (e) => seen.push(e.type));
  return seen;
}

const tick = () => new Promise((r) => setImmediate(r));

test('RTCDataChannel is not constructible', () => {
  assert.throws(() => new RTCDataChannel(), TypeError);
  assert.throws(() => Reflect.construct(RTCDataChannel, []), TypeError);
});

test('a new channel: its attributes as createDataChannel sets them', () => {
  const dc = createDataChannel('label');
  assert.equal(dc.label, 'label');
  assert.equal(dc.ordered, true);
  assert.equal(dc.maxPacketLifeTime, null);
  assert.equal(dc.maxRetransmits, null);
  assert.equal(dc.protocol, '');
  assert.equal(dc.negotiated, false);
  assert.equal(dc.id, null);
  assert.equal(dc.readyState, 'connecting');
  assert.equal(dc.bufferedAmount, 0);
  assert.equal(dc.bufferedAmountLowThreshold, 0);
  assert.equal(dc.binaryType, 'arraybuffer');
  for (const h of ['onopen', 'onbufferedamountlow', 'onerror', 'onclosing', 'onclose', 'onmessage'])
    assert.equal((dc as unknown as Record<string, unknown>)[h], null, h);
  const full = createDataChannel('x', {
    ordered: false,
    maxRetransmits: 7,
    protocol: 'proto',
    negotiated: true,
    id: 42,
  });
  assert.deepEqual(
    [
      full.ordered,
      full.maxRetransmits,
      full.maxPacketLifeTime,
      full.protocol,
      full.negotiated,
      full.id,
    ],
    [false, 7, null, 'proto', true, 42],
  );
  assert.equal(createDataChannel('x', { maxPacketLifeTime: 0 }).maxPacketLifeTime, 0);
});

test('the id is ignored unless negotiated; a null id is set once the DTLS role is known', () => {
  const dc = createDataChannel('x', { id: 42 });
  assert.equal(dc.id, null);
  setDataChannelId(dc, 3);
  assert.equal(dc.id, 3);
  setDataChannelId(dc, 5);
  assert.equal(dc.id, 3, 'never changes once set');
});

test('createDataChannel throws TypeError as the spec says', () => {
  assert.throws(() => createDataChannel('a'.repeat(65536)), TypeError);
  assert.throws(() => createDataChannel('é'.repeat(32768)), TypeError); // 65536 bytes of UTF-8
  assert.equal(createDataChannel('é'.repeat(32767)).label.length, 32767);
  assert.throws(() => createDataChannel('x', { protocol: 'é'.repeat(32768) }), TypeError);
  assert.throws(() => createDataChannel('x', { negotiated: true }), TypeError);
  assert.throws(
    () => createDataChannel('x', { maxPacketLifeTime: 1, maxRetransmits: 1 }),
    TypeError,
  );
  assert.throws(() => createDataChannel('x', { negotiated: true, id: 65535 }), TypeError);
  // [EnforceRange] unsigned short.
  for (const bad of [-1, 65536, Number.NaN, Number.POSITIVE_INFINITY, 'x'])
    for (const member of ['id', 'maxPacketLifeTime', 'maxRetransmits'])
      assert.throws(
        () => createDataChannel('x', { negotiated: true, id: 1, [member]: bad }),
        TypeError,
        `${member} ${bad}`,
      );
  assert.throws(() => createDataChannel('x', 5), TypeError);
  assert.throws(() => createDataChannel(Symbol('x')), TypeError);
  // Conversions: truncation, booleans, strings.
  const dc = createDataChannel(7, { maxRetransmits: 3.9, ordered: 0, protocol: 12 } as never);
  assert.deepEqual([dc.label, dc.maxRetransmits, dc.ordered, dc.protocol], ['7', 3, false, '12']);
  assert.equal(createDataChannel(null).label, 'null');
  assert.equal(createDataChannel('x', null).ordered, true);
});

test('labels and protocols are USVStrings: lone surrogates become U+FFFD', () => {
  const dc = createDataChannel('a\uD800b', { protocol: '\uDC00' });
  assert.equal(dc.label, 'a\uFFFDb');
  assert.equal(dc.protocol, '\uFFFD');
  assert.equal(createDataChannel('\uD83D\uDE00').label, '😀');
});

test('binaryType takes "blob" and "arraybuffer"; anything else is ignored', () => {
  const dc = createDataChannel('x');
  dc.binaryType = 'blob';
  assert.equal(dc.binaryType, 'blob');
  dc.binaryType = 'arraybuffer';
  for (const bad of ['jellyfish', 'arraybuffer ', '', null, undefined, 234, 54n]) {
    dc.binaryType = bad as never;
    assert.equal(dc.binaryType, 'arraybuffer', String(bad));
  }
});

test('bufferedAmountLowThreshold is an [EnforceRange] unsigned long', () => {
  const dc = createDataChannel('x');
  dc.bufferedAmountLowThreshold = 1.9;
  assert.equal(dc.bufferedAmountLowThreshold, 1);
  dc.bufferedAmountLowThreshold = 2 ** 32 - 1;
  assert.equal(dc.bufferedAmountLowThreshold, 2 ** 32 - 1);
  for (const bad of [-1, 2 ** 32, Number.NaN, Number.NEGATIVE_INFINITY])
    assert.throws(() => {
      dc.bufferedAmountLowThreshold = bad;
    }, TypeError);
  assert.equal(dc.bufferedAmountLowThreshold, 2 ** 32 - 1);
});

test('send(): a TypeError for what it is not overloaded with, then InvalidStateError unless open', () => {
  const dc = createDataChannel('x');
  assert.throws(() => (dc.send as () => void)(), TypeError);
  for (const bad of [null, undefined, 42, {}, [1]])
    assert.throws(() => dc.send(bad as never), TypeError);
  assert.throws(() => dc.send(new Uint8Array(new SharedArrayBuffer(4))), TypeError);
  for (const good of [
    'hi',
    new ArrayBuffer(2),
    new Uint8Array(2),
    new DataView(new ArrayBuffer(1)),
    new Blob(['x']),
  ])
    assert.throws(
      () => dc.send(good),
      (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError',
    );
  assert.equal(dc.bufferedAmount, 0);
});

test('close() before the transport exists: closing at once, then closed with a close event', async () => {
  const dc = createDataChannel('x');
  const seen = events(dc);
  dc.close();
  assert.equal(dc.readyState, 'closing');
  dc.close(); // idempotent
  assert.deepEqual(seen, [], 'events are fired from tasks, not synchronously');
  await tick();
  await tick();
  assert.equal(dc.readyState, 'closed');
  assert.deepEqual(seen, ['close']);
  assert.throws(
    () => dc.send('x'),
    (e: unknown) => (e as DOMException).name === 'InvalidStateError',
  );
});

test('announcing a channel as closed with an error: error (RTCErrorEvent) then close', async () => {
  const dc = createDataChannel('x');
  const seen = events(dc);
  let error: RTCError | undefined;
  dc.onerror = (e) => {
    assert.ok(e instanceof RTCErrorEvent);
    error = e.error;
  };
  announceDataChannelClosed(
    dc,
    new RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: 12 }, 'gone'),
  );
  announceDataChannelClosed(dc); // a second announcement does nothing
  await tick();
  await tick();
  assert.deepEqual(seen, ['error', 'close']);
  assert.equal(error?.errorDetail, 'sctp-failure');
  assert.equal(error?.sctpCauseCode, 12);
  assert.equal(error?.name, 'OperationError');
  assert.equal(dc.readyState, 'closed');
});

test('a channel that cannot be created: closed, error data-channel-failure, close', async () => {
  const dc = createDataChannel('x');
  const seen = events(dc);
  let detail = '';
  dc.addEventListener('error', (e) => {
    detail = (e as RTCErrorEvent).error.errorDetail;
  });
  failDataChannel(dc);
  await tick();
  assert.deepEqual(seen, ['error', 'close']);
  assert.equal(detail, 'data-channel-failure');
  assert.equal(dc.readyState, 'closed');
});

test('closing with the peer connection: closed at once, no events at all', async () => {
  const dc = createDataChannel('x');
  const seen = events(dc);
  closeDataChannelAbruptly(dc);
  assert.equal(dc.readyState, 'closed');
  announceDataChannelClosed(dc, new RTCError({ errorDetail: 'sctp-failure' }));
  await tick();
  await tick();
  assert.deepEqual(seen, []);
});

test('RTCDataChannelEvent needs a channel', () => {
  const dc = createDataChannel('x');
  const e = new RTCDataChannelEvent('datachannel', { channel: dc });
  assert.equal(e.channel, dc);
  assert.equal(e.type, 'datachannel');
  assert.equal(e.bubbles, false);
  assert.throws(
    () => new (RTCDataChannelEvent as unknown as new (t: string) => Event)('datachannel'),
    TypeError,
  );
  assert.throws(() => new RTCDataChannelEvent('datachannel', {} as never), TypeError);
  assert.throws(() => new RTCDataChannelEvent('datachannel', { channel: {} } as never), TypeError);
});
