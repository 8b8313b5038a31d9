/**
 * Relayed candidates in the sans-IO agent, deterministically: two agents behind symmetric
 * NATs whose filtering stops every direct path; one of them has a TURN allocation (the
 * TURN client core on the fake server of test/turn) that shares its host socket, as
 * TurnRelays does on real sockets. The Allocate's mapped address becomes a server-reflexive
 * candidate, the relayed candidate carries relayProtocol and url, and the connection runs
 * through the relay (the allocation's permission for the other side's NAT comes from that
 * side's server-reflexive candidate).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IceAgent } from '../../src/ice/agent.js';
import type { CandidateBase } from '../../src/ice/base.js';
import type { Candidate } from '../../src/ice/candidate.js';
import { TurnClient } from '../../src/turn/client.js';
import { SimNetwork, type SimSocket } from '../support/simnet.js';
import { FakeTurnServer } from '../turn/fake-server.js';
import { datagram, seeded, simPeer, stunServer } from './sim.js';

const TURN = { address: '203.0.113.1', port: 3478 };
const STUN = { url: 'stun:203.0.113.2', address: '203.0.113.2', port: 3478 };

/** A host base whose socket the TURN client shares: datagrams from the server go to it. */
function sharedHost(
  net: SimNetwork,
  address: string,
  agent: () => IceAgent,
  turn: () => TurnClient,
) {
  const base: CandidateBase & { socket: SimSocket } = {
    protocol: 'udp',
    socket: net.bind({ address, port: 0 }, (data, from) => {
      if (from.address === TURN.address && from.port === TURN.port)
        turn().handleMessage(data, net.now);
      else agent().handlePacket(base, data, from.address, from.port, net.now);
    }),
    get address() {
      return base.socket.local.address;
    },
    get port() {
      return base.socket.local.port;
    },
    send(data, address, port) {
      base.socket.send(data, { address, port });
    },
  };
  return base;
}

test('behind symmetric NATs, the relayed pair connects; the Allocate gives the server-reflexive candidate', () => {
  const net = new SimNetwork({ delay: 10 });
  const insideA = (a: string) => a.startsWith('192.168.1.');
  const insideB = (a: string) => a.startsWith('192.168.2.');
  for (const [external, inside] of [
    ['198.51.100.1', insideA],
    ['198.51.100.2', insideB],
  ] as const)
    net.addNat({
      external,
      inside,
      mapping: 'address-and-port-dependent',
      filtering: 'address-and-port-dependent',
    });
  net.filter = (d) =>
    !(insideA(d.to.address) || insideB(d.to.address)) ||
    d.from.address.slice(0, 10) === d.to.address.slice(0, 10);
  stunServer(net, STUN.address);
  const server = new FakeTurnServer(net, {
    address: TURN,
    relay: { address: TURN.address, port: 49152 },
  });

  // A: an agent whose host socket the TURN client shares.
  const gatheredA: Candidate[] = [];
  const dataA: string[] = [];
  const a = new IceAgent({
    role: 'controlling',
    random: seeded('a'),
    onLocalCandidate: (c) => {
      gatheredA.push(c);
      b.agent.addRemoteCandidate(c, net.now);
    },
    onData: (d) => dataA.push(d.toString('latin1', 1)),
  });
  net.addTimed(a);
  const host = sharedHost(
    net,
    '192.168.1.10',
    () => a,
    () => turn,
  );
  const relayBase: CandidateBase = {
    protocol: 'udp',
    address: '',
    port: 0,
    send: (data, address, port) => turn.sendTo(data, address, port, net.now),
  };
  const release = a.holdGathering();
  const turn = new TurnClient({
    username: 'user',
    password: 'pass',
    transport: 'udp',
    send: (message) => host.send(message, TURN.address, TURN.port),
    onAllocated: ({ relayed, mapped }) => {
      Object.assign(relayBase, relayed);
      a.addRelayedCandidate(
        relayBase,
        {
          ...mapped!,
          serverAddress: TURN.address,
          localPreference: 2 << 13,
          relayProtocol: 'udp',
          url: 'turn:203.0.113.1',
        },
        net.now,
      );
      a.addServerReflexiveCandidate(host, mapped!, { ...TURN, url: 'turn:203.0.113.1' }, net.now);
      release(net.now);
    },
    onData: (data, address, port) => a.handlePacket(relayBase, data, address, port, net.now),
  });
  net.addTimed(turn);

  const b = simPeer(net, ['192.168.2.20'], { role: 'controlled' });
  b.signal = (c) => c && a.addRemoteCandidate(c, net.now);
  a.setRemoteParameters(b.agent.localParameters, net.now);
  b.agent.setRemoteParameters(a.localParameters, net.now);
  a.gather([host], net.now);
  // B's server-reflexive candidate gives A's allocation a permission for B's NAT.
  b.agent.gather(b.bases, net.now, [STUN]);
  turn.allocate(net.now);
  assert.ok(net.run({ until: () => a.gatheringState === 'complete', timeout: 5000 }));
  const types = gatheredA.map((c) => c.type);
  assert.deepEqual(types, ['host', 'relay', 'srflx']);
  const [, relay, srflx] = gatheredA;
  assert.deepEqual([relay!.address, relay!.port], ['203.0.113.1', 49152]);
  assert.equal(relay!.relayProtocol, 'udp');
  assert.equal(relay!.url, 'turn:203.0.113.1');
  assert.equal(srflx!.address, '198.51.100.1');
  assert.equal(srflx!.relatedAddress, '192.168.1.10');
  assert.equal(srflx!.url, 'turn:203.0.113.1');
  assert.equal(srflx!.relayProtocol, undefined);
  // The same mapped address again is redundant.
  a.addServerReflexiveCandidate(
    host,
    { address: srflx!.address, port: srflx!.port },
    { ...TURN, url: 'x' },
    net.now,
  );
  assert.equal(gatheredA.length, 3);

  a.endOfRemoteCandidates(net.now);
  b.agent.endOfRemoteCandidates(net.now);
  assert.ok(
    net.run({
      until: () => a.state === 'completed' && b.agent.state === 'completed',
      timeout: 30_000,
    }),
  );
  assert.equal(a.selectedPair!.local.candidate.type, 'relay');
  assert.equal(b.agent.selectedPair!.remote.address, '203.0.113.1');
  assert.ok(server.handled.some((r) => r.request.method === 0x008)); // CreatePermission
  a.send(datagram('through the relay'), net.now);
  b.agent.send(datagram('and back'), net.now);
  net.run({ timeout: 1000 });
  assert.deepEqual(b.data, ['through the relay']);
  assert.deepEqual(dataA, ['and back']);
});
