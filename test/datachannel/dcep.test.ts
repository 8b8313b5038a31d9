import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelType, fromChannelType, toChannelType } from '../../src/datachannel/channel-type.js';
import { DataChannelAck } from '../../src/datachannel/data-channel-ack.js';
import { DataChannelOpen } from '../../src/datachannel/data-channel-open.js';
import { allocateStreamId, isPeerStreamId } from '../../src/datachannel/stream-id.js';

test('DATA_CHANNEL_OPEN: the layout of RFC 8832 §5.1, UTF-8 label and protocol', () => {
  const open = new DataChannelOpen(0x81, 256, 3, 'chät', 'proto');
  const buf = open.encode();
  assert.deepEqual([...buf.subarray(0, 12)], [0x03, 0x81, 0x01, 0x00, 0, 0, 0, 3, 0, 5, 0, 5]);
  assert.equal(buf.subarray(12, 17).toString(), 'chät');
  assert.equal(buf.subarray(17).toString(), 'proto');
  assert.deepEqual(DataChannelOpen.decode(buf), open);
  assert.deepEqual(
    DataChannelOpen.decode(new DataChannelOpen(0, 0, 0, '', '').encode()),
    new DataChannelOpen(0, 0, 0, '', ''),
  );
});

test('DATA_CHANNEL_OPEN: wrong lengths, type or UTF-8 are malformed', () => {
  const buf = new DataChannelOpen(0, 256, 0, 'abc', 'de').encode();
  assert.equal(DataChannelOpen.decode(buf.subarray(0, 11)), undefined);
  assert.equal(DataChannelOpen.decode(buf.subarray(0, buf.length - 1)), undefined);
  assert.equal(DataChannelOpen.decode(Buffer.concat([buf, Buffer.of(0)])), undefined);
  const wrongType = Buffer.from(buf);
  wrongType[0] = 0x02;
  assert.equal(DataChannelOpen.decode(wrongType), undefined);
  const badUtf8 = Buffer.from(buf);
  badUtf8[12] = 0xff;
  assert.equal(DataChannelOpen.decode(badUtf8), undefined);
  assert.throws(() => new DataChannelOpen(0, 0, 0, 'x'.repeat(65536), '').encode(), RangeError);
});

test('DATA_CHANNEL_ACK is the single byte 0x02', () => {
  assert.deepEqual([...DataChannelAck.encode()], [0x02]);
  assert.ok(DataChannelAck.is(Buffer.of(2)));
  assert.ok(!DataChannelAck.is(Buffer.of(2, 0)));
  assert.ok(!DataChannelAck.is(Buffer.of(3)));
});

test('channel types map to and from the W3C reliability settings', () => {
  const cases = [
    [
      { ordered: true, maxRetransmits: null, maxPacketLifeTime: null },
      ChannelType.DATA_CHANNEL_RELIABLE,
      0,
    ],
    [
      { ordered: false, maxRetransmits: null, maxPacketLifeTime: null },
      ChannelType.DATA_CHANNEL_RELIABLE_UNORDERED,
      0,
    ],
    [
      { ordered: true, maxRetransmits: 5, maxPacketLifeTime: null },
      ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT,
      5,
    ],
    [
      { ordered: false, maxRetransmits: 0, maxPacketLifeTime: null },
      ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED,
      0,
    ],
    [
      { ordered: true, maxRetransmits: null, maxPacketLifeTime: 1500 },
      ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_TIMED,
      1500,
    ],
    [
      { ordered: false, maxRetransmits: null, maxPacketLifeTime: 9 },
      ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED,
      9,
    ],
  ] as const;
  for (const [r, type, param] of cases) {
    assert.deepEqual(toChannelType(r), { channelType: type, reliabilityParameter: param });
    assert.deepEqual(fromChannelType(type, param), r);
  }
  assert.equal(fromChannelType(0x03, 0), undefined);
  assert.equal(fromChannelType(0x7f, 0), undefined);
  // Above what the W3C unsigned short can say: clamped.
  assert.equal(fromChannelType(0x01, 100000)!.maxRetransmits, 65535);
});

test('stream ids: the DTLS client takes even ones, the server odd ones, lowest free first', () => {
  const used = new Set([0, 2, 3, 6]);
  assert.equal(
    allocateStreamId('client', (id) => used.has(id)),
    4,
  );
  assert.equal(
    allocateStreamId('server', (id) => used.has(id)),
    1,
  );
  assert.equal(
    allocateStreamId('client', () => false, 1),
    0,
  );
  assert.equal(
    allocateStreamId('server', () => false, 1),
    undefined,
  );
  assert.equal(
    allocateStreamId('server', (id) => id < 65533),
    65533,
  );
  assert.equal(
    allocateStreamId('server', (id) => id <= 65533),
    undefined,
  );
  assert.equal(
    allocateStreamId('client', (id) => id < 65534),
    65534,
  );
  assert.equal(
    allocateStreamId('client', (id) => id <= 65534),
    undefined,
  );
  assert.ok(isPeerStreamId('client', 1));
  assert.ok(!isPeerStreamId('client', 2));
  assert.ok(isPeerStreamId('server', 0));
});
