// ICE restart (RFC 8445 §9): the old selected pair carries data until a new pair is nominated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CandidatePair } from '../../src/ice/pair.js';
import { SimNetwork } from '../support/simnet.js';
import { connect, exchange, gatherAll, simPeer } from './sim.js';

test('restart: old pair keeps working until the new one is selected', () => {
  const net = new SimNetwork({ delay: 10 });
  const selectedA: CandidatePair[] = [];
  const a = simPeer(net, ['10.0.0.1', '10.1.0.1'], {
    role: 'controlling',
    onSelectedPairChange: (p) => selectedA.push(p),
  });
  const b = simPeer(net, ['10.0.0.2', '10.1.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(
    net.run({ until: () => a.agent.state === 'completed' && b.agent.state === 'completed' }),
  );
  const oldPair = a.agent.selectedPair!;
  const oldUfrag = a.agent.localParameters.usernameFragment;
  a.signal = undefined;
  b.signal = undefined;

  // Both restart (the offer with new credentials, and the answer); signalling is slow.
  a.agent.restart(net.now);
  b.agent.restart(net.now);
  assert.notEqual(a.agent.localParameters.usernameFragment, oldUfrag);
  assert.equal(a.agent.gatheringState, 'new');
  a.gathered.length = 0;
  b.gathered.length = 0;
  gatherAll(net, a, b);
  net.advance(15_000);
  // Consent with the old credentials keeps the old pair alive; data still flows on it.
  assert.equal(a.agent.selectedPair, oldPair);
  assert.equal(a.agent.state, 'connected');
  assert.equal(b.agent.state, 'connected');
  assert.ok(exchange(net, a, b, 'during the restart'));
  assert.ok(exchange(net, b, a, 'and back'));
  assert.ok(oldPair.consentRequestsSent >= 2);

  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  const newPair = a.agent.selectedPair!;
  assert.notEqual(newPair, oldPair);
  assert.equal(selectedA.at(-1), newPair);
  assert.equal(selectedA.length, 2);
  assert.ok(newPair.nominated);
  assert.ok(exchange(net, a, b, 'after the restart'));
});

test('a restart while nothing is selected starts over', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  net.filter = () => false;
  connect(net, a, b);
  net.advance(60_000);
  assert.equal(a.agent.state, 'failed');
  a.signal = undefined;
  b.signal = undefined;
  a.agent.restart(net.now);
  b.agent.restart(net.now);
  a.gathered.length = 0;
  b.gathered.length = 0;
  net.filter = undefined;
  gatherAll(net, a, b);
  assert.equal(a.agent.state, 'new');
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
});
