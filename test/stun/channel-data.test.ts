import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demultiplex } from '../../src/net/demux.js';
import {
  channelDataLength,
  decodeChannelData,
  encodeChannelData,
  isChannelNumber,
} from '../../src/stun/index.js';

test('ChannelData framing (RFC 8656 §12.4)', () => {
  const data = Buffer.from('hello');
  const udp = encodeChannelData(0x4001, data);
  assert.deepEqual(udp, Buffer.from([0x40, 0x01, 0x00, 0x05, ...data]));
  assert.equal(demultiplex(udp[0]!), 'turn-channel');
  const tcp = encodeChannelData(0x4fff, data, true);
  assert.equal(tcp.length, 12);
  assert.equal(channelDataLength(tcp), 12);
  assert.deepEqual(decodeChannelData(udp), { channelNumber: 0x4001, data });
  assert.deepEqual(decodeChannelData(tcp), { channelNumber: 0x4fff, data });
  assert.equal(decodeChannelData(udp.subarray(0, 8)), undefined);
  assert.equal(decodeChannelData(Buffer.from([0x50, 0, 0, 0])), undefined);
  assert.equal(decodeChannelData(Buffer.from([0x40])), undefined);
  assert.ok(isChannelNumber(0x4000) && !isChannelNumber(0x3fff) && !isChannelNumber(0x5000));
  assert.throws(() => encodeChannelData(0x5000, data), RangeError);
});
