import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalIp, formatIp, ipFamily, parseIp } from '../../src/net/address.js';

test('IPv4 and IPv6 text to bytes and back', () => {
  assert.deepEqual(parseIp('192.0.2.1'), Buffer.from([192, 0, 2, 1]));
  assert.equal(formatIp(parseIp('192.0.2.1')!), '192.0.2.1');
  assert.deepEqual(parseIp('::1'), Buffer.from([...Array(15).fill(0), 1]));
  assert.deepEqual(
    parseIp('2001:db8:1234:5678:11:2233:4455:6677'),
    Buffer.from('20010db8123456780011223344556677', 'hex'),
  );
  assert.deepEqual(
    parseIp('::ffff:192.0.2.1'),
    Buffer.from('00000000000000000000ffffc0000201', 'hex'),
  );
  assert.deepEqual(
    parseIp('64:ff9b::192.0.2.1'),
    Buffer.from('0064ff9b0000000000000000c0000201', 'hex'),
  );
  assert.equal(parseIp('example.org'), undefined);
  assert.equal(parseIp('fe80::1%eth0'), undefined);
});

test('RFC 5952 canonical text', () => {
  assert.equal(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // first of equal runs
  assert.equal(canonicalIp('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1'); // a single 0 stays
  assert.equal(canonicalIp('0:0:0:0:0:0:0:0'), '::');
  assert.equal(canonicalIp('fd00:0::2'), 'fd00::2');
  assert.equal(canonicalIp('1:0:0:0:0:0:0:0'), '1::');
  assert.equal(canonicalIp('::ffff:c000:201'), '::ffff:192.0.2.1');
  assert.equal(ipFamily('10.0.0.1'), 4);
  assert.equal(ipFamily('::1'), 6);
  assert.equal(ipFamily('host.local'), undefined);
});
