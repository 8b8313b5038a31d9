import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { test } from 'node:test';
import { parseIp } from '../../src/net/address.js';
import { hostAddresses } from '../../src/net/interfaces.js';

const v4 = (address: string, internal = false, cidr = `${address}/24`): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr,
});
const v6 = (address: string, internal = false, prefix = 64): NetworkInterfaceInfo => ({
  address,
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/${prefix}`,
  scopeid: address.startsWith('fe80') ? 2 : 0,
});

const hex = (address: string) => parseIp(address)!.toString('hex');

test('skips link-local, site-local, mapped and deprecated IPv6; prefers temporary addresses', () => {
  const interfaces = {
    lo: [v4('127.0.0.1', true, '127.0.0.1/8'), v6('::1', true, 128)],
    eth0: [
      v4('192.0.2.2'),
      v6('fe80::1'),
      v6('fec0::1'),
      v6('::ffff:192.0.2.9'),
      v6('2001:db8::aaaa'), // stable
      v6('2001:db8::bbbb'), // temporary on the same prefix
      v6('2001:db8::d'), // deprecated
    ],
    wlan0: [v6('2001:db8:1::1')],
  };
  const flags = new Map([
    [hex('2001:db8::bbbb'), 0x01],
    [hex('2001:db8::d'), 0x20],
  ]);
  const found = hostAddresses({ interfaces, ipv6Flags: flags });
  assert.deepEqual(
    found.map((a) => [a.address, a.family, a.interfaceName, a.interfaceIndex]),
    [
      ['192.0.2.2', 4, 'eth0', 1],
      ['2001:db8::bbbb', 6, 'eth0', 1],
      ['2001:db8:1::1', 6, 'wlan0', 2],
    ],
  );
});

test('loopback only when nothing else is up, or when asked', () => {
  const interfaces = {
    lo: [v4('127.0.0.1', true, '127.0.0.1/8'), v6('::1', true, 128)],
    eth0: [v4('192.0.2.2')],
  };
  const flags = new Map<string, number>();
  assert.deepEqual(
    hostAddresses({ interfaces, ipv6Flags: flags }).map((a) => a.address),
    ['192.0.2.2'],
  );
  assert.deepEqual(
    hostAddresses({ interfaces, ipv6Flags: flags, loopback: true }).map((a) => a.address),
    ['127.0.0.1', '::1', '192.0.2.2'],
  );
  assert.deepEqual(
    hostAddresses({ interfaces: { lo: interfaces.lo }, ipv6Flags: flags }).map((a) => a.address),
    ['127.0.0.1', '::1'],
  );
  assert.deepEqual(
    hostAddresses({ interfaces: { lo: interfaces.lo }, ipv6Flags: flags, loopback: false }),
    [],
  );
});

test('this machine: its link-local address (eth0 has one) is left out', () => {
  for (const a of hostAddresses({ loopback: true }))
    assert.ok(a.family === 4 || !a.address.startsWith('fe80'));
});
