import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../../src/sctp/crc32c.js';
import { verifyChecksum } from '../../src/sctp/packet.js';

test('the CRC-32C check value and the iSCSI vectors (RFC 3720 B.4)', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  const inc = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  assert.equal(crc32c(inc), 0x46dd794e);
  const dec = Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i));
  assert.equal(crc32c(dec), 0x113fdb5c);
});

test('slicing-by-16 equals the bytewise definition at every length and offset', () => {
  const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff));
  for (let start = 0; start < 17; start++)
    for (let end = start; end <= data.length; end += 13) {
      let c = 0xffffffff;
      for (let i = start; i < end; i++) {
        c ^= data[i]!;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      assert.equal(crc32c(data, start, end), (c ^ 0xffffffff) >>> 0);
    }
});

test('SCTP packets captured from other stacks verify (checksum stored little-endian)', () => {
  // A header-only packet, ports 5000/5000, tag 0.
  assert.ok(verifyChecksum(Buffer.from('138813880000000006a900e1', 'hex')));
  // An INIT: tag 0x12345678, a_rwnd 106496, 1024/1024 streams, initial TSN 0x1000.
  const init = Buffer.from(
    '13881388000000001 6de259a 01000014 12345678 0001a000 04000400 00001000'.replace(/ /g, ''),
    'hex',
  );
  assert.ok(verifyChecksum(init));
  init[20] ^= 1;
  assert.ok(!verifyChecksum(init));
  assert.ok(!verifyChecksum(Buffer.alloc(5)));
});
