// Two agents over the simulated network: the basic exchange, then a hostile link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimNetwork } from '../support/simnet.js';
import { connect, exchange, gatherAll, simPeer } from './sim.js';

test('two agents connect, nominate, complete and carry data both ways', () => {
  const net = new SimNetwork({ delay: 5 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  assert.equal(a.agent.gatheringState, 'complete');
  assert.equal(a.gathered.length, 1);
  assert.equal(a.gathered[0]!.type, 'host');
  assert.equal(a.agent.state, 'new');
  connect(net, a, b);
  assert.equal(a.agent.state, 'checking');
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 5000,
    }),
  );
  assert.deepEqual(a.states, ['checking', 'connected', 'completed']);
  assert.deepEqual(b.states, ['checking', 'connected', 'completed']);
  const pa = a.agent.selectedPair!;
  const pb = b.agent.selectedPair!;
  assert.ok(pa.nominated && pb.nominated);
  assert.equal(pa.local.candidate.address, '10.0.0.1');
  assert.equal(pa.remote.address, '10.0.0.2');
  assert.equal(pb.remote.port, pa.local.candidate.port);
  // 'connected' came after one round trip of checks; nomination at once (no better pair to wait for).
  assert.ok(a.stateTimes[1]![1] <= 30, `connected at ${a.stateTimes[1]![1]} ms`);
  assert.ok(exchange(net, a, b, 'hello'));
  assert.ok(exchange(net, b, a, 'world'));
  assert.equal(pa.packetsSent, 1);
  assert.equal(pa.packetsReceived, 1);
  assert.ok(pa.currentRoundTripTime! > 0.009 && pa.currentRoundTripTime! < 0.011);
  assert.ok(pa.requestsSent >= 2 && pb.requestsReceived >= 1);
});

test('with several interfaces, the best pair wins and both sides agree on it', () => {
  const net = new SimNetwork({ delay: 3 });
  const a = simPeer(net, ['10.0.0.1', 'fd00::1', '10.1.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2', 'fd00::2', '10.1.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  // RFC 8421: IPv6 first, then interleaved; local preferences unique per base.
  const priorities = a.gathered.map((c) => c.priority);
  assert.equal(new Set(priorities).size, 3);
  assert.ok(priorities[1]! > priorities[0]! && priorities[0]! > priorities[2]!);
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  const pa = a.agent.selectedPair!;
  const pb = b.agent.selectedPair!;
  assert.equal(pa.local.candidate.address, 'fd00::1');
  assert.equal(pa.remote.address, 'fd00::2');
  assert.equal(pb.local.candidate.address, 'fd00::2');
  assert.equal(pb.remote.address, 'fd00::1');
  assert.equal(a.agent.pairs.length, 5); // 2 × 2 IPv4 pairs and the IPv6 one
});

test('loss, delay, reordering and duplication: still connects and carries data', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const net = new SimNetwork({ seed, loss: 0.2, delay: 40, jitter: 60, duplicate: 0.2 });
    const a = simPeer(net, ['10.0.0.1', '10.1.0.1'], { role: 'controlling' });
    const b = simPeer(net, ['10.0.0.2', '10.1.0.2'], { role: 'controlled' });
    gatherAll(net, a, b);
    connect(net, a, b);
    assert.ok(
      net.run({
        until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
        timeout: 30_000,
      }),
      `seed ${seed}: ${a.agent.state} / ${b.agent.state}`,
    );
    assert.equal(a.agent.selectedPair!.remote.port, b.agent.selectedPair!.local.candidate.port);
    let delivered = 0;
    for (let i = 0; i < 5; i++) if (exchange(net, a, b, `m${i}`, 1000)) delivered++;
    assert.ok(delivered >= 2, `seed ${seed}: ${delivered} of 5`);
  }
});
