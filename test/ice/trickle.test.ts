// Trickle ICE (RFC 8838): candidates and credentials at any time, end-of-candidates, failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeStunMessage,
  StunMessage,
  shortTermKey,
  successResponse,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { SimNetwork } from '../support/simnet.js';
import { connect, exchange, gatherAll, signal, simPeer } from './sim.js';

test('late candidates: checks start when they arrive', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  // Credentials both ways, but B's candidate reaches A only after 3 s; A's never reaches B.
  a.agent.setRemoteParameters(b.agent.localParameters, net.now);
  b.agent.setRemoteParameters(a.agent.localParameters, net.now);
  net.advance(3000);
  assert.equal(a.agent.state, 'new');
  a.agent.addRemoteCandidate(b.gathered[0]!, net.now);
  assert.equal(a.agent.state, 'checking');
  assert.ok(
    net.run({
      until: () => a.agent.state === 'connected' && b.agent.state === 'connected',
      timeout: 5000,
    }),
  );
  assert.ok(net.now < 3100);
  // B knows A only as a peer-reflexive candidate, learned from A's check.
  assert.equal(b.agent.remoteCandidates[0]!.type, 'prflx');
  // The real candidate arriving later replaces it (§7.3.1.3).
  b.agent.addRemoteCandidate(a.gathered[0]!, net.now);
  assert.equal(b.agent.remoteCandidates.length, 1);
  assert.equal(b.agent.remoteCandidates[0]!.type, 'host');
  assert.equal(b.agent.remoteCandidates[0]!.foundation, a.gathered[0]!.foundation);
});

test('candidates before credentials: no check until the credentials come', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  let packets = 0;
  net.filter = () => {
    packets++;
    return true;
  };
  a.agent.addRemoteCandidate(b.gathered[0]!, net.now);
  b.agent.addRemoteCandidate(a.gathered[0]!, net.now);
  net.advance(2000);
  assert.equal(packets, 0);
  assert.equal(a.agent.state, 'checking');
  a.agent.setRemoteParameters(b.agent.localParameters, net.now);
  b.agent.setRemoteParameters(a.agent.localParameters, net.now);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'connected' && b.agent.state === 'connected',
      timeout: 5000,
    }),
  );
});

test('checks before the answer: the request is answered at once, the triggered check waits for credentials', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  // B has A's offer (credentials and candidate); A has not seen B's answer yet.
  signal(net, a, b);
  net.advance(500);
  // B's check got A's response: B has a valid pair, A answered without knowing B at all.
  assert.equal(b.agent.state, 'connected');
  assert.equal(a.agent.remoteCandidates[0]!.type, 'prflx');
  assert.equal(a.agent.state, 'checking');
  signal(net, b, a);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 5000,
    }),
  );
  assert.ok(exchange(net, a, b, 'after the answer'));
});

test('all checks failed and end-of-candidates: failed once the PAC timer expires', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  net.filter = () => false; // nothing gets through
  connect(net, a, b);
  assert.ok(net.run({ until: () => a.agent.state === 'failed', timeout: 60_000 }));
  // The check transaction times out at 39.5 s, as does the PAC timer.
  assert.ok(net.now >= 39_500 && net.now < 40_000, `failed at ${net.now}`);
  assert.deepEqual(a.states, ['checking', 'failed']);
  assert.equal(a.agent.send(Buffer.from([23]), net.now), false);
});

test('a pair that fails at once, with end-of-candidates, still waits for the PAC timer (RFC 8863)', () => {
  const net = new SimNetwork({ delay: 10 });
  // A peer whose answers carry an unknown comprehension-required attribute: the check fails
  // on the first response (RFC 8489 §7.3.3).
  const password = 'the-peers-password-1234';
  const peer = net.bind({ address: '10.0.0.2', port: 5000 }, (data, from) => {
    const request = decodeStunMessage(data);
    if (!(request instanceof StunMessage) || request.messageClass !== 'request') return;
    const response = successResponse(request)
      .add(XorMappedAddress, from)
      .addRaw(0x0031, Buffer.alloc(4))
      .addMessageIntegrity(shortTermKey(password))
      .addFingerprint()
      .finish();
    peer.send(response, from);
  });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  gatherAll(net, a);
  a.agent.setRemoteParameters({ usernameFragment: 'peer', password }, net.now);
  a.agent.addRemoteCandidate(
    {
      foundation: '1',
      component: 1,
      protocol: 'udp',
      priority: 2130706431,
      address: '10.0.0.2',
      port: 5000,
      type: 'host',
    },
    net.now,
  );
  a.agent.endOfRemoteCandidates(net.now);
  net.advance(1000);
  assert.equal(a.agent.pairs[0]!.state, 'failed');
  assert.equal(a.agent.state, 'checking');
  assert.ok(net.run({ until: () => a.agent.state === 'failed', timeout: 60_000 }));
  assert.equal(net.now, 39_500);
});

test('all checks failed without end-of-candidates: disconnected, waiting for more', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  net.filter = () => false;
  connect(net, a, b, false);
  net.advance(120_000);
  assert.equal(a.agent.state, 'disconnected');
  assert.ok(!a.states.includes('failed'));
  // A candidate that works brings it back.
  net.filter = undefined;
  const b2 = simPeer(net, ['10.0.0.3'], {
    role: 'controlled',
    localParameters: b.agent.localParameters,
  });
  gatherAll(net, b2);
  b2.agent.setRemoteParameters(a.agent.localParameters, net.now);
  a.agent.addRemoteCandidate(b2.gathered[0]!, net.now);
  assert.ok(net.run({ until: () => a.agent.state === 'connected', timeout: 5000 }));
});

test('no remote candidate at all, then end-of-candidates: failed once the PAC timer expires', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlled' });
  gatherAll(net, a);
  // The peer (relay-only, without a TURN server) has nothing to offer and says so.
  a.agent.setRemoteParameters({ usernameFragment: 'peer', password: 'p'.repeat(22) }, net.now);
  a.agent.endOfRemoteCandidates(net.now);
  net.advance(30_000);
  assert.equal(a.agent.state, 'new', 'a peer-reflexive candidate may still check in (RFC 8863)');
  assert.ok(net.run({ until: () => a.agent.state === 'failed', timeout: 60_000 }));
  assert.equal(net.now, 39_500);
  assert.deepEqual(a.states, ['failed']);
});
