// Gathering: host and server-reflexive candidates, foundations, errors, retransmissions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IceCandidateError, IceGatheringState } from '../../src/ice/agent.js';
import { decodeStunMessage, errorResponse, StunMessage } from '../../src/stun/index.js';
import { type NatBehaviour, SimNetwork } from '../support/simnet.js';
import { simPeer, stunServer } from './sim.js';

const server = (address: string, port = 3478) => ({
  url: `stun:${address}:${port}`,
  address,
  port,
});

function natted(mapping: NatBehaviour = 'endpoint-independent'): SimNetwork {
  const net = new SimNetwork({ delay: 10 });
  net.addNat({ external: '198.51.100.1', inside: (a) => a.startsWith('192.168.'), mapping });
  return net;
}

test('gathering states, host candidates first, then server-reflexive ones with their foundations', () => {
  // A NAT mapping per destination address, so that each server sees another port.
  const net = natted('address-dependent');
  stunServer(net, '203.0.113.1');
  stunServer(net, '203.0.113.2');
  const states: IceGatheringState[] = [];
  const a = simPeer(net, ['192.168.1.10', '192.168.1.11'], {
    onGatheringStateChange: (s) => states.push(s),
  });
  a.agent.gather(a.bases, net.now, [server('203.0.113.1'), server('203.0.113.2')]);
  assert.deepEqual(states, ['gathering']);
  assert.deepEqual(
    a.gathered.map((c) => c.type),
    ['host', 'host'],
  );
  net.run({ until: () => a.agent.gatheringState === 'complete' });
  assert.deepEqual(states, ['gathering', 'complete']);
  const srflx = a.gathered.filter((c) => c.type === 'srflx');
  assert.equal(srflx.length, 4); // two bases × two servers, each its own mapping
  // §5.1.1.3: same type, base and server → same foundation; any difference → a different one.
  const f = (base: string, i: number) =>
    srflx.filter((c) => c.relatedAddress === base)[i]!.foundation;
  assert.notEqual(f('192.168.1.10', 0), f('192.168.1.10', 1));
  assert.notEqual(f('192.168.1.10', 0), f('192.168.1.11', 0));
  assert.notEqual(a.gathered[0]!.foundation, a.gathered[1]!.foundation);
  // Paced by Ta: one request per 50 ms.
  assert.ok(net.now >= 150);
  for (const c of a.gathered)
    assert.deepEqual(c.extensions, [['ufrag', a.agent.localParameters.usernameFragment]]);
  assert.deepEqual(a.agent.localCandidates, a.gathered);
});

test('the same server reached from one base twice keeps one candidate (redundancy, §5.1.3)', () => {
  const net = natted();
  stunServer(net, '203.0.113.1');
  const a = simPeer(net, ['192.168.1.10']);
  // The same server under two URLs (a name resolving to the address, say).
  a.agent.gather(a.bases, net.now, [
    server('203.0.113.1'),
    { ...server('203.0.113.1'), url: 'stun:stun.example.org' },
  ]);
  net.run({ until: () => a.agent.gatheringState === 'complete' });
  assert.equal(a.gathered.filter((c) => c.type === 'srflx').length, 1);
});

test('an unreachable server: one 701 per URL after the transaction times out, then gathering completes', () => {
  const net = natted();
  const errors: IceCandidateError[] = [];
  const a = simPeer(net, ['192.168.1.10', '192.168.1.11'], {
    onCandidateError: (e) => errors.push(e),
  });
  a.agent.gather(a.bases, net.now, [server('203.0.113.9')]);
  net.run({ until: () => a.agent.gatheringState === 'complete', timeout: 60_000 });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.errorCode, 701);
  assert.equal(errors[0]!.url, 'stun:203.0.113.9:3478');
  assert.equal(errors[0]!.address, '192.168.1.10');
  assert.equal(errors[0]!.port, a.gathered[0]!.port);
  assert.ok(net.now >= 39_500 && net.now < 40_000, `complete at ${net.now}`);
});

test('a server error response is reported with its code and reason', () => {
  const net = natted();
  const socket = net.bind({ address: '203.0.113.1', port: 3478 }, (data, from) => {
    const request = decodeStunMessage(data);
    if (request instanceof StunMessage)
      socket.send(errorResponse(request, 403).addFingerprint().finish(), from);
  });
  const errors: IceCandidateError[] = [];
  const a = simPeer(net, ['192.168.1.10'], { onCandidateError: (e) => errors.push(e) });
  a.agent.gather(a.bases, net.now, [server('203.0.113.1')]);
  net.run({ until: () => a.agent.gatheringState === 'complete', timeout: 60_000 });
  assert.ok(net.now < 100);
  assert.deepEqual(errors, [
    {
      address: '192.168.1.10',
      port: a.gathered[0]!.port,
      url: 'stun:203.0.113.1:3478',
      errorCode: 403,
      errorText: 'Forbidden',
    },
  ]);
});

test('retransmissions: a server that misses the first requests is still reached', () => {
  const net = natted();
  let dropped = 0;
  net.filter = (d) => !(d.to.address === '203.0.113.1' && dropped++ < 2);
  stunServer(net, '203.0.113.1');
  const a = simPeer(net, ['192.168.1.10']);
  a.agent.gather(a.bases, net.now, [server('203.0.113.1')]);
  net.run({ until: () => a.agent.gatheringState === 'complete', timeout: 60_000 });
  assert.equal(a.gathered.filter((c) => c.type === 'srflx').length, 1);
  // Sent at 0 and 500 (both lost), then 1500: answered 10 ms later.
  assert.ok(net.now >= 1510 && net.now < 1600, `complete at ${net.now}`);
});

test('a relayed candidate can be added through the gathering hold', () => {
  const net = new SimNetwork();
  const a = simPeer(net, ['10.0.0.1']);
  const release = a.agent.holdGathering();
  a.agent.gather(a.bases, net.now);
  assert.equal(a.agent.gatheringState, 'gathering');
  const relayBase = { address: '203.0.113.50', port: 50000, protocol: 'udp' as const, send() {} };
  a.agent.addRelayedCandidate(
    relayBase,
    { address: '198.51.100.7', port: 4000, serverAddress: '203.0.113.49', localPreference: 65535 },
    net.now,
  );
  release(net.now);
  assert.equal(a.agent.gatheringState, 'complete');
  const relay = a.gathered.find((c) => c.type === 'relay')!;
  assert.equal(relay.address, '203.0.113.50');
  assert.equal(relay.priority >>> 24, 0);
  assert.equal(relay.relatedAddress, '198.51.100.7');
});
