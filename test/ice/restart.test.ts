// ICE restart (RFC 8445 §9): the old selected pair carries data until a new pair is nominated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CandidatePair } from '../../src/ice/pair.js';
import { SimNetwork } from '../support/simnet.js';
import { completedPair, connect, exchange, gatherAll, simPeer } from './sim.js';

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

test('restart: data on any old-generation pair is received until a new pair is selected', () => {
  // Before nomination each side sends on its own best valid pair (RFC 8445 §12.1), and those
  // may differ: here A's checks from its best address are lost, so A sends from the other
  // one while B, whose checks to that address succeed, sends to it. A restart that cancels
  // A's nomination leaves them so until the new generation selects; each must keep taking
  // the other's data (§12.2, §9).
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1', '10.1.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2', '10.1.0.2'], { role: 'controlled' });
  const isRequest = (data: Buffer) => data.length >= 20 && data.readUInt16BE(0) === 0x0001;
  net.filter = ({ from, data }) => !(from.address === '10.0.0.1' && isRequest(data));
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () =>
        a.agent.selectedPair !== undefined &&
        b.agent.selectedPair?.local.base.address === '10.0.0.2' &&
        b.agent.selectedPair.remote.address === '10.0.0.1',
      timeout: 900,
    }),
  );
  const pairA = a.agent.selectedPair!;
  assert.ok(!pairA.nominated);
  assert.equal(pairA.local.base.address, '10.1.0.1');

  a.signal = undefined;
  b.signal = undefined;
  a.agent.restart(net.now);
  a.gathered.length = 0;
  assert.ok(exchange(net, a, b, 'A restarted'));
  assert.ok(exchange(net, b, a, 'B not yet'));
  // B takes A's offer: a restart by the peer.
  b.agent.setRemoteParameters(a.agent.localParameters, net.now);
  assert.ok(exchange(net, a, b, 'both restarted'));
  assert.ok(exchange(net, b, a, 'both restarted, back'));
  // Each side's pair still answers the other's consent with the old credentials, past the
  // 30 s consent lifetime (RFC 7675), before A gathers again and after.
  net.advance(35_000);
  gatherAll(net, a);
  net.advance(35_000);
  assert.equal(a.agent.state, 'connected');
  assert.equal(b.agent.state, 'connected');
  assert.ok(exchange(net, b, a, 'consent kept'));

  net.filter = undefined;
  b.agent.restart(net.now);
  b.gathered.length = 0;
  gatherAll(net, b);
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  assert.ok(exchange(net, a, b, 'after'));
  assert.ok(exchange(net, b, a, 'after, back'));
});

test('a restart under the relay policy keeps no selected pair but a relayed one', () => {
  const net = new SimNetwork({ delay: 10 });
  const { a, b } = completedPair(net);
  a.signal = undefined;
  b.signal = undefined;
  // The application now wants relayed candidates only; there is no TURN server.
  a.agent.restart(net.now, undefined, { relayOnly: true });
  assert.equal(a.agent.selectedPair, undefined);
  assert.equal(exchange(net, a, b, 'host pair gone'), false);
  a.agent.gather([], net.now);
  b.agent.setRemoteParameters(a.agent.localParameters, net.now);
  b.agent.endOfRemoteCandidates(net.now);
  a.agent.setRemoteParameters(b.agent.localParameters, net.now);
  for (const candidate of b.gathered) a.agent.addRemoteCandidate(candidate, net.now);
  a.agent.endOfRemoteCandidates(net.now);
  // Nothing to check from: failed at once (RFC 8863 §3.1 needs no PAC timer then).
  assert.equal(a.agent.state, 'failed');
  // B's old pair loses consent: A no longer answers for it.
  net.advance(35_000);
  assert.equal(b.agent.state, 'failed');
});
