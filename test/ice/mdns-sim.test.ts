/**
 * Host addresses hidden behind mDNS names in the sans-IO agent: the host candidate carries
 * the name, reflexive candidates say nothing of the address they derive from, and error
 * reports leave the local address out (W3C: it is not exposed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IceCandidateError } from '../../src/ice/agent.js';
import { IceAgent } from '../../src/ice/agent.js';
import type { CandidateBase } from '../../src/ice/base.js';
import type { Candidate } from '../../src/ice/candidate.js';
import {
  decodeStunMessage,
  errorResponse,
  Method,
  StunMessage,
  StunWriter,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { SimNetwork } from '../support/simnet.js';

test('a named base: the name in the host candidate, 0.0.0.0:0 as related address, no address in errors', () => {
  const net = new SimNetwork({ delay: 5 });
  net.addNat({ external: '198.51.100.1', inside: (a) => a.startsWith('192.168.') });
  // One server answers with the mapped address, the other with a 403.
  for (const [address, ok] of [
    ['203.0.113.1', true],
    ['203.0.113.2', false],
  ] as const) {
    const socket = net.bind({ address, port: 3478 }, (data, from) => {
      const request = decodeStunMessage(data);
      if (!(request instanceof StunMessage) || request.method !== Method.Binding) return;
      socket.send(
        ok
          ? new StunWriter(Method.Binding, 'success', request.transactionId)
              .add(XorMappedAddress, from)
              .finish()
          : errorResponse(request, 403).finish(),
        from,
      );
    });
  }
  const gathered: Candidate[] = [];
  const errors: IceCandidateError[] = [];
  const agent = new IceAgent({
    onLocalCandidate: (c) => gathered.push(c),
    onCandidateError: (e) => errors.push(e),
  });
  net.addTimed(agent);
  const socket = net.bind({ address: '192.168.1.5', port: 0 }, (data, from) =>
    agent.handlePacket(base, data, from.address, from.port, net.now),
  );
  const base: CandidateBase = {
    protocol: 'udp',
    address: '192.168.1.5',
    port: socket.local.port,
    name: '0b7c7a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b.local',
    send: (data, address, port) => socket.send(data, { address, port }),
  };
  agent.gather([base], net.now, [
    { url: 'stun:203.0.113.1', address: '203.0.113.1', port: 3478 },
    { url: 'stun:203.0.113.2', address: '203.0.113.2', port: 3478 },
  ]);
  assert.ok(net.run({ until: () => agent.gatheringState === 'complete' }));
  const [host, srflx] = gathered;
  assert.equal(host!.address, base.name);
  assert.equal(srflx!.type, 'srflx');
  assert.equal(srflx!.address, '198.51.100.1');
  assert.deepEqual([srflx!.relatedAddress, srflx!.relatedPort], ['0.0.0.0', 0]);
  assert.deepEqual(errors, [
    { address: null, port: null, url: 'stun:203.0.113.2', errorCode: 403, errorText: 'Forbidden' },
  ]);
});
