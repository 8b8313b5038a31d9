/**
 * What STUN from the network can make an ICE agent keep (RFC 8445, RFC 8489 §9.1.3):
 * unauthenticated requests from any number of sources leave no state at all; an
 * authenticated peer creating peer-reflexive candidates, pairs and triggered checks stays
 * within the limits; stray responses and trickled candidates too. Memory stays flat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IceAgent } from '../../src/ice/agent.js';
import { checkRequest } from '../../src/ice/messages.js';
import {
  Method,
  Priority,
  StunWriter,
  shortTermKey,
  Username,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { connect, gatherAll, type SimPeer, simPeer } from '../ice/sim.js';
import { SimNetwork } from '../support/simnet.js';
import { growth, MB } from './memory.js';

/** Two agents connected over a simulated link; `a` is the one attacked. */
function connected(options: Parameters<typeof simPeer>[2] = {}): {
  net: SimNetwork;
  a: SimPeer;
  b: SimPeer;
} {
  const net = new SimNetwork({ delay: 5 });
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlled', ...options });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlling' });
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 5000,
    }),
  );
  return { net, a, b };
}

function snapshot(agent: IceAgent) {
  return {
    remotes: agent.remoteCandidates.length,
    pairs: agent.pairs.length,
    state: agent.state,
    selected: agent.selectedPair,
  };
}

test('binding requests that fail authentication, from thousands of sources, leave nothing behind', () => {
  const { net, a } = connected();
  const agent = a.agent;
  const target = { address: a.bases[0]!.address, port: a.bases[0]!.port };
  const ufrag = agent.localParameters.usernameFragment;
  const wrongKey = shortTermKey('not the password of this agent');
  const before = snapshot(agent);
  let port = 1024;
  const kinds = [
    // The right username, the wrong password.
    () =>
      checkRequest({
        username: `${ufrag}:peer`,
        priority: 1,
        controlling: true,
        tieBreaker: 1n,
        useCandidate: true,
        key: wrongKey,
      }),
    // A username of no one.
    () =>
      checkRequest({
        username: 'nobody:peer',
        priority: 1,
        controlling: true,
        tieBreaker: 1n,
        useCandidate: false,
        key: wrongKey,
      }),
    // No MESSAGE-INTEGRITY at all.
    () =>
      new StunWriter(Method.Binding, 'request')
        .add(Username, `${ufrag}:peer`)
        .add(Priority, 1)
        .addFingerprint()
        .finish(),
    // A response to nothing we sent.
    () =>
      new StunWriter(Method.Binding, 'success')
        .add(XorMappedAddress, { address: '10.9.9.9', port: 9 })
        .addFingerprint()
        .finish(),
  ];
  let sent = 0;
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      port = port >= 65535 ? 1024 : port + 1;
      net.send(
        { address: `10.66.${(i >> 8) & 255}.${i & 255}`, port },
        target,
        kinds[i % kinds.length]!(),
      );
      sent++;
      if (i % 100 === 99) net.advance(20); // delivered and answered
    }
    net.advance(20);
  };
  const sentBefore = net.stats.sent;
  const grew = growth(flood, 2000);
  assert.deepEqual(snapshot(agent), before);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB over 20000 more requests`);
  // At most one (unsigned) answer per request: no amplification.
  assert.ok(
    net.stats.sent - sentBefore <= 2 * sent + 100,
    `${net.stats.sent - sentBefore} datagrams for ${sent}`,
  );
});

test('an authenticated peer creating peer-reflexive candidates stays within the remote candidate and pair limits', () => {
  const { net, a } = connected({ maxRemoteCandidates: 50, maxPairs: 40 });
  const agent = a.agent;
  const target = { address: a.bases[0]!.address, port: a.bases[0]!.port };
  const key = shortTermKey(agent.localParameters.password);
  const username = `${agent.localParameters.usernameFragment}:${agent.remoteParameters!.usernameFragment}`;
  let i = 0;
  const flood = (n: number) => {
    for (let k = 0; k < n; k++, i++) {
      const request = checkRequest({
        username,
        priority: 1000 + (i % 5000),
        controlling: true,
        tieBreaker: 1n << 63n,
        useCandidate: i % 3 === 0,
        key,
      });
      net.send(
        { address: `10.77.${(i >> 8) & 255}.${i & 255}`, port: 2000 + (i % 60000) },
        target,
        request,
      );
    }
    net.advance(200);
  };
  const grew = growth(flood, 500);
  assert.ok(
    agent.remoteCandidates.length <= 50,
    `${agent.remoteCandidates.length} remote candidates`,
  );
  assert.ok(agent.pairs.length <= 2 * 40 + 1, `${agent.pairs.length} pairs`);
  assert.ok(grew < 2 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
  // The checks those pairs trigger are paced and time out: nothing is left running for ever.
  net.advance(60_000);
  assert.ok(
    agent.state === 'connected' || agent.state === 'completed' || agent.state === 'disconnected',
  );
});

test('trickled remote candidates beyond the limit are dropped', () => {
  const { net, a } = connected({ maxRemoteCandidates: 100 });
  const agent = a.agent;
  let i = 0;
  const flood = (n: number) => {
    for (let k = 0; k < n; k++, i++)
      agent.addRemoteCandidate(
        {
          foundation: `${i}`,
          component: 1,
          protocol: 'udp',
          priority: 1 + (i % 1000),
          address: `10.88.${(i >> 8) & 255}.${i & 255}`,
          port: 1 + (i % 65000),
          type: 'host',
        },
        net.now,
      );
    net.advance(100);
  };
  const grew = growth(flood, 1000);
  assert.equal(agent.remoteCandidates.length, 100);
  assert.ok(agent.pairs.length <= 101);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});
