// Two agents on real UDP sockets over loopback (and the machine's own addresses).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostAddresses } from '../../src/net/interfaces.js';
import { closeAfter, exchangeAndGather, type Peer, peer, until } from './agents.js';

/** Two agents trickling to each other in-process; resolves when both are completed. */
async function pairUp(addresses?: string[]): Promise<[Peer, Peer]> {
  const a: Peer = peer({ role: 'controlling', addresses }, (c) => b.ice.addRemoteCandidate(c));
  const b: Peer = peer({ role: 'controlled', addresses }, (c) => a.ice.addRemoteCandidate(c));
  await exchangeAndGather(a, b);
  await Promise.all([a.gathered, b.gathered]);
  a.ice.endOfRemoteCandidates();
  b.ice.endOfRemoteCandidates();
  await until(
    'both completed',
    () => a.ice.agent.state === 'completed' && b.ice.agent.state === 'completed',
  );
  return [a, b];
}

async function roundTrips(a: Peer, b: Peer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const ping = Buffer.from([23, i, ...Buffer.from('ping')]);
    assert.ok(a.ice.send(ping));
    await until('the ping', () => b.data.length > i);
    assert.equal(b.data[i], ping.toString());
    assert.ok(b.ice.send(Buffer.from([23, i, ...Buffer.from('pong')])));
    await until('the pong', () => a.data.length > i);
  }
}

/** What keeps the event loop alive besides the test runner's own handles. */
function lingering(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout');
}

const hasIpv6Loopback = hostAddresses({ loopback: true }).some((a) => a.address === '::1');

test('IPv4 loopback: connect, exchange data, close leaves nothing behind', async (t) => {
  const [a, b] = await pairUp(['127.0.0.1']);
  closeAfter(t, a, b);
  assert.equal(a.ice.agent.selectedPair!.local.candidate.address, '127.0.0.1');
  await roundTrips(a, b, 5);
  a.ice.close();
  b.ice.close();
  // Sockets finish closing on the next turns of the event loop.
  for (let i = 0; i < 20 && lingering().length > 0; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(lingering(), []);
  assert.equal(a.ice.send(Buffer.from([23])), false);
});

test('IPv6 loopback', { skip: !hasIpv6Loopback && 'no ::1 on this machine' }, async (t) => {
  const [a, b] = await pairUp(['::1']);
  closeAfter(t, a, b);
  assert.equal(a.ice.agent.selectedPair!.remote.address, '::1');
  await roundTrips(a, b, 3);
});

test('both loopback families: the IPv6 pair is preferred (RFC 8421)', {
  skip: !hasIpv6Loopback && 'no ::1',
}, async (t) => {
  const [a, b] = await pairUp(['127.0.0.1', '::1']);
  closeAfter(t, a, b);
  assert.equal(a.ice.agent.selectedPair!.local.candidate.address, '::1');
  assert.equal(b.ice.agent.selectedPair!.local.candidate.address, '::1');
  await roundTrips(a, b, 2);
});

test("the machine's own addresses, as gathered by default", async (t) => {
  const addresses = hostAddresses();
  const [a, b] = await pairUp();
  closeAfter(t, a, b);
  assert.deepEqual(
    a.candidates.map((c) => c.address).sort(),
    addresses.map((x) => x.address).sort(),
  );
  await roundTrips(a, b, 2);
});
