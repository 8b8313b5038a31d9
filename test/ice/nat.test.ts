// NATs between the agents: server-reflexive gathering and peer-reflexive discovery.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NatBehaviour } from '../support/simnet.js';
import { SimNetwork } from '../support/simnet.js';
import { connect, exchange, gatherAll, simPeer, stunServer } from './sim.js';

const STUN = { url: 'stun:203.0.113.1:3478', address: '203.0.113.1', port: 3478 };

/** A network where 192.168.x.x hosts sit behind a NAT and cannot be reached from outside directly. */
function natNetwork(mapping: NatBehaviour = 'endpoint-independent', second = false): SimNetwork {
  const net = new SimNetwork({ delay: 10 });
  const insideA = (a: string) => a.startsWith('192.168.1.');
  const insideB = (a: string) => a.startsWith('192.168.2.');
  net.addNat({ external: '198.51.100.1', inside: insideA, mapping });
  if (second) net.addNat({ external: '198.51.100.2', inside: insideB });
  const inside = (a: string) => insideA(a) || (second && insideB(a));
  // Private addresses are not routed from outside (or from the other private network).
  net.filter = (d) =>
    !inside(d.to.address) ||
    d.from.address.split('.').slice(0, 3).join() === d.to.address.split('.').slice(0, 3).join();
  stunServer(net, STUN.address);
  return net;
}

test('behind a NAT: a server-reflexive candidate is gathered and the pair goes through it', () => {
  const net = natNetwork();
  const a = simPeer(net, ['192.168.1.10'], { role: 'controlling' });
  const b = simPeer(net, ['203.0.113.20'], { role: 'controlled' });
  a.agent.gather(a.bases, net.now, [STUN]);
  b.agent.gather(b.bases, net.now, [STUN]);
  assert.ok(
    net.run({
      until: () => a.agent.gatheringState === 'complete' && b.agent.gatheringState === 'complete',
    }),
  );
  const srflx = a.gathered.find((c) => c.type === 'srflx')!;
  assert.equal(srflx.address, '198.51.100.1');
  assert.equal(srflx.relatedAddress, '192.168.1.10');
  assert.equal(srflx.relatedPort, a.gathered[0]!.port);
  assert.equal(srflx.priority >>> 24, 100);
  // B is not behind a NAT: its server-reflexive address is its host address, eliminated (§5.1.3).
  assert.deepEqual(
    b.gathered.map((c) => c.type),
    ['host'],
  );
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  assert.equal(a.agent.selectedPair!.local.candidate.type, 'srflx');
  assert.equal(b.agent.selectedPair!.remote.type, 'srflx');
  assert.equal(b.agent.selectedPair!.remote.address, '198.51.100.1');
  assert.ok(exchange(net, a, b, 'through the NAT'));
  assert.ok(exchange(net, b, a, 'and back'));
});

test('without a STUN server: both sides discover peer-reflexive candidates', () => {
  const net = natNetwork();
  const a = simPeer(net, ['192.168.1.10'], { role: 'controlled' });
  const b = simPeer(net, ['203.0.113.20'], { role: 'controlling' });
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  // A learned its mapped address from B's response (§7.2.5.3.1), B learned A's from A's request (§7.3.1.3).
  assert.equal(a.agent.selectedPair!.local.candidate.type, 'prflx');
  assert.equal(a.agent.selectedPair!.local.candidate.address, '198.51.100.1');
  assert.equal(b.agent.selectedPair!.remote.type, 'prflx');
  assert.equal(b.agent.selectedPair!.remote.address, '198.51.100.1');
  assert.ok(b.agent.remoteCandidates.some((c) => c.type === 'prflx'));
  assert.ok(exchange(net, b, a, 'hi'));
});

test('behind a symmetric NAT, the peer-reflexive path still works against a public peer', () => {
  const net = natNetwork('address-and-port-dependent');
  const a = simPeer(net, ['192.168.1.10'], { role: 'controlling' });
  const b = simPeer(net, ['203.0.113.20'], { role: 'controlled' });
  a.agent.gather(a.bases, net.now, [STUN]);
  gatherAll(net, b);
  net.run({ until: () => a.agent.gatheringState === 'complete' });
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  // The mapping towards B differs from the one towards the STUN server.
  assert.equal(a.agent.selectedPair!.local.candidate.type, 'prflx');
  assert.ok(exchange(net, a, b, 'x'));
});

test('both behind endpoint-independent NATs: server-reflexive to server-reflexive', () => {
  const net = natNetwork('endpoint-independent', true);
  const a = simPeer(net, ['192.168.1.10'], { role: 'controlling' });
  const b = simPeer(net, ['192.168.2.20'], { role: 'controlled' });
  a.agent.gather(a.bases, net.now, [STUN]);
  b.agent.gather(b.bases, net.now, [STUN]);
  net.run({
    until: () => a.agent.gatheringState === 'complete' && b.agent.gatheringState === 'complete',
  });
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  assert.equal(a.agent.selectedPair!.remote.address, '198.51.100.2');
  assert.equal(b.agent.selectedPair!.remote.address, '198.51.100.1');
  assert.ok(exchange(net, a, b, 'hole punched'));
});
