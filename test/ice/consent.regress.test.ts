/**
 * Regression: once consent is lost the agent stays 'failed' until an ICE restart (RFC 7675
 * §5.1), even when another valid pair is left. Found by test/robustness/peer-killed.soak.ts:
 * a peer killed just after connecting (its nomination check still in flight) left the
 * survivor 'failed' at 30 s, then 'connected' at 39.5 s, when that check timed out, the
 * valid pair it had produced was dropped, and the other valid pair was selected with
 * consent granted afresh, though nothing had come from the peer for 39 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimNetwork } from '../support/simnet.js';
import { connect, datagram, gatherAll, simPeer } from './sim.js';

test('a peer gone silent before nomination completes: failed stays failed', () => {
  const net = new SimNetwork({ delay: 5 });
  const a = simPeer(net, ['192.0.2.1', 'fd00::1'], { role: 'controlling' });
  const b = simPeer(net, ['192.0.2.2', 'fd00::2'], { role: 'controlled' });
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(net.run({ until: () => a.agent.state === 'connected', timeout: 5000 }));
  net.advance(50); // the nomination check is on its way
  // The peer dies: not a datagram more from it.
  for (const base of b.bases) base.socket.close();
  net.removeTimed(b.agent);
  const killed = net.now;
  const before = a.stateTimes.length;
  const selected = a.agent.selectedPair;
  net.advance(90_000);
  const after = a.stateTimes
    .slice(before)
    .map(([state, at]) => `${state}@${Math.round((at - killed) / 1000)}`);
  assert.deepEqual(after, ['disconnected@6', 'failed@30']);
  assert.equal(a.agent.state, 'failed');
  assert.equal(a.agent.selectedPair, selected);
  assert.equal(a.agent.send(datagram('x'), net.now), false, 'nothing is sent without consent');
});
