// Connectivity-check details: role conflicts, nomination, authentication, limits, hostile input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IceRole } from '../../src/ice/agent.js';
import {
  decodeStunMessage,
  ErrorCode,
  IceControlled,
  IceControlling,
  Method,
  Priority,
  StunMessage,
  StunWriter,
  shortTermKey,
  UnknownAttributes,
  UseCandidate,
  Username,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { SimNetwork } from '../support/simnet.js';
import { connect, datagram, exchange, gatherAll, type SimPeer, seeded, simPeer } from './sim.js';

function pair(roleA: IceRole, roleB: IceRole, tieA: bigint, tieB: bigint) {
  const net = new SimNetwork({ delay: 10 });
  const rolesA: IceRole[] = [];
  const rolesB: IceRole[] = [];
  const a = simPeer(net, ['10.0.0.1'], {
    role: roleA,
    tieBreaker: tieA,
    onRoleChange: (r) => rolesA.push(r),
  });
  const b = simPeer(net, ['10.0.0.2'], {
    role: roleB,
    tieBreaker: tieB,
    onRoleChange: (r) => rolesB.push(r),
  });
  gatherAll(net, a, b);
  return { net, a, b, rolesA, rolesB };
}

for (const [roles, ties] of [
  [
    ['controlling', 'controlling'],
    [5n, 9n],
  ],
  [
    ['controlling', 'controlling'],
    [9n, 5n],
  ],
  [
    ['controlled', 'controlled'],
    [5n, 9n],
  ],
  [
    ['controlled', 'controlled'],
    [9n, 5n],
  ],
] as [[IceRole, IceRole], [bigint, bigint]][]) {
  test(`role conflict, both ${roles[0]}, tie-breakers ${ties.join('/')}: repaired (§7.3.1.1, §7.2.5.1)`, () => {
    const { net, a, b } = pair(roles[0], roles[1], ties[0], ties[1]);
    connect(net, a, b);
    assert.ok(
      net.run({
        until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
        timeout: 10_000,
      }),
    );
    assert.notEqual(a.agent.role, b.agent.role);
    // The larger tie-breaker is controlling.
    const winner = ties[0] > ties[1] ? a : b;
    assert.equal(winner.agent.role, 'controlling');
    assert.ok(a.agent.selectedPair!.nominated && b.agent.selectedPair!.nominated);
    assert.ok(exchange(net, a, b, 'ok'));
  });
}

test('the role can be set until checks start, not after', () => {
  const { net, a, b } = pair('controlling', 'controlled', 1n, 2n);
  a.agent.role = 'controlled';
  a.agent.role = 'controlling';
  connect(net, a, b);
  assert.throws(() => {
    a.agent.role = 'controlled';
  }, /InvalidStateError|fixed/);
});

test('regular nomination: one USE-CANDIDATE check, from the controlling side only', () => {
  const { net, a, b } = pair('controlling', 'controlled', 1n, 2n);
  const useCandidate: string[] = [];
  net.filter = (d) => {
    const m = decodeStunMessage(d.data);
    if (m instanceof StunMessage && m.messageClass === 'request' && m.has(UseCandidate.type))
      useCandidate.push(d.from.address);
    return true;
  };
  connect(net, a, b);
  net.run({ until: () => a.agent.state === 'completed' && b.agent.state === 'completed' });
  net.advance(30_000);
  assert.deepEqual(useCandidate, ['10.0.0.1']);
});

/** A raw socket that speaks STUN to an agent. */
function rawPeer(net: SimNetwork, target: SimPeer) {
  const replies: StunMessage[] = [];
  const socket = net.bind({ address: '10.0.0.9', port: 9999 }, (data) => {
    const m = decodeStunMessage(data);
    if (m instanceof StunMessage) replies.push(m);
  });
  const to = { address: target.bases[0]!.address, port: target.bases[0]!.port };
  return {
    replies,
    send(build: (w: StunWriter) => StunWriter) {
      socket.send(build(new StunWriter(Method.Binding, 'request')).finish(), to);
      net.advance(100);
    },
    data(text: string) {
      socket.send(datagram(text), to);
      net.advance(100);
    },
  };
}

test('requests that fail authentication get 400/401 and leave no state behind', () => {
  const { net, a } = pair('controlled', 'controlling', 1n, 2n);
  const raw = rawPeer(net, a);
  const ufrag = a.agent.localParameters.usernameFragment;
  const key = shortTermKey(a.agent.localParameters.password);
  raw.send((w) => w.add(Username, `${ufrag}:x`).add(Priority, 1).addFingerprint()); // no MESSAGE-INTEGRITY
  raw.send((w) => w.add(Priority, 1).addMessageIntegrity(key).addFingerprint()); // no USERNAME
  raw.send((w) =>
    w
      .add(Username, `${ufrag}:x`)
      .add(Priority, 1)
      .addMessageIntegrity(shortTermKey('wrong-password-0000000'))
      .addFingerprint(),
  );
  raw.send((w) =>
    w.add(Username, `other:x`).add(Priority, 1).addMessageIntegrity(key).addFingerprint(),
  );
  assert.deepEqual(
    raw.replies.map((m) => m.get(ErrorCode)?.code),
    [400, 400, 401, 401],
  );
  for (const reply of raw.replies) assert.equal(reply.integrityOffset, -1);
  assert.equal(a.agent.remoteCandidates.length, 0);
  assert.equal(a.agent.pairs.length, 0);
  assert.equal(a.agent.state, 'new');
});

test('an authenticated request: 420 for unknown attributes, 400 without PRIORITY, else success and a prflx candidate', () => {
  const { net, a } = pair('controlled', 'controlling', 1n, 2n);
  const raw = rawPeer(net, a);
  const ufrag = a.agent.localParameters.usernameFragment;
  const key = shortTermKey(a.agent.localParameters.password);
  const signed = (w: StunWriter) => w.addMessageIntegrity(key).addFingerprint();
  raw.send((w) =>
    signed(
      w
        .add(Username, `${ufrag}:x`)
        .add(Priority, 7)
        .add(IceControlling, 3n)
        .addRaw(0x0031, Buffer.alloc(4)),
    ),
  );
  raw.send((w) => signed(w.add(Username, `${ufrag}:x`).add(IceControlling, 3n)));
  assert.equal(a.agent.remoteCandidates.length, 0);
  raw.send((w) =>
    signed(
      w
        .add(Username, `${ufrag}:x`)
        .add(Priority, 7)
        .add(IceControlling, 3n)
        .add(UseCandidate, true),
    ),
  );
  const [unknown, noPriority, ok] = raw.replies;
  assert.equal(unknown!.get(ErrorCode)?.code, 420);
  assert.deepEqual(unknown!.get(UnknownAttributes), [0x0031]);
  assert.equal(unknown!.checkIntegrity(key), 'ok');
  assert.equal(noPriority!.get(ErrorCode)?.code, 400);
  assert.equal(ok!.messageClass, 'success');
  assert.equal(ok!.checkIntegrity(key), 'ok');
  assert.deepEqual(ok!.get(XorMappedAddress), { address: '10.0.0.9', port: 9999 });
  assert.equal(a.agent.remoteCandidates[0]!.type, 'prflx');
  assert.equal(a.agent.remoteCandidates[0]!.priority, 7);
  assert.equal(a.agent.state, 'checking');
});

test('data: from known remote addresses it goes up, from unknown ones it is dropped', () => {
  const { net, a, b } = pair('controlling', 'controlled', 1n, 2n);
  const raw = rawPeer(net, a);
  raw.data('intruder');
  assert.deepEqual(a.data, []);
  connect(net, a, b);
  net.run({ until: () => a.agent.state === 'completed' });
  raw.data('intruder');
  assert.ok(exchange(net, b, a, 'friend'));
  assert.deepEqual(a.data, ['friend']);
  assert.equal(a.agent.packetsReceived, 1);
});

test('a role conflict answer: 487 when our tie-breaker wins', () => {
  const { net, a } = pair('controlling', 'controlled', 100n, 1n);
  const raw = rawPeer(net, a);
  const ufrag = a.agent.localParameters.usernameFragment;
  const key = shortTermKey(a.agent.localParameters.password);
  raw.send((w) =>
    w
      .add(Username, `${ufrag}:x`)
      .add(Priority, 7)
      .add(IceControlling, 50n)
      .addMessageIntegrity(key)
      .addFingerprint(),
  );
  assert.equal(raw.replies[0]!.get(ErrorCode)?.code, 487);
  assert.equal(a.agent.role, 'controlling');
  raw.send((w) =>
    w
      .add(Username, `${ufrag}:x`)
      .add(Priority, 7)
      .add(IceControlling, 500n)
      .addMessageIntegrity(key)
      .addFingerprint(),
  );
  assert.equal(raw.replies[1]!.messageClass, 'success');
  assert.equal(a.agent.role, 'controlled');
  // Controlled now; a controlled peer with a smaller tie-breaker makes us controlling again.
  raw.send((w) =>
    w
      .add(Username, `${ufrag}:x`)
      .add(Priority, 7)
      .add(IceControlled, 0n)
      .addMessageIntegrity(key)
      .addFingerprint(),
  );
  assert.equal(a.agent.role, 'controlling');
});

test('limits: remote candidates and pairs are bounded', () => {
  const net = new SimNetwork();
  const a = simPeer(net, ['10.0.0.1'], { maxPairs: 10 });
  gatherAll(net, a);
  a.agent.setRemoteParameters(
    { usernameFragment: 'peer', password: 'peer-password-000000000' },
    net.now,
  );
  for (let i = 0; i < 150; i++)
    a.agent.addRemoteCandidate(
      {
        foundation: String(i),
        component: 1,
        protocol: 'udp',
        priority: 1000 + i,
        address: `10.9.${i >> 8}.${i & 255}`,
        port: 1000,
        type: 'host',
      },
      net.now,
    );
  assert.equal(a.agent.remoteCandidates.length, 100);
  assert.equal(a.agent.pairs.length, 10);
  // Kept: the pair being checked (the first one) and those of the highest-priority candidates.
  assert.deepEqual(a.agent.pairs.map((p) => p.remote.priority).sort(), [
    1000,
    ...Array.from({ length: 9 }, (_, i) => 1091 + i),
  ]);
});

test('garbage never throws and changes nothing', () => {
  const { net, a } = pair('controlling', 'controlled', 1n, 2n);
  const random = seeded('garbage');
  for (let i = 0; i < 5000; i++) {
    const bytes = Buffer.alloc(Math.floor(random() * 120));
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
    if (i % 2 === 0 && bytes.length >= 20) {
      bytes[0] = 0;
      bytes.writeUInt32BE(0x2112a442, 4);
      bytes.writeUInt16BE(bytes.length - 20 - ((bytes.length - 20) % 4), 2);
    }
    a.agent.handlePacket(a.bases[0]!, bytes, '10.0.0.66', 1234, net.now);
  }
  assert.equal(a.agent.remoteCandidates.length, 0);
  assert.equal(a.agent.state, 'new');
});

test('the mDNS name or a bad port of a remote candidate is ignored', () => {
  const { net, a } = pair('controlling', 'controlled', 1n, 2n);
  const base = {
    foundation: '1',
    component: 1,
    protocol: 'udp' as const,
    priority: 1,
    type: 'host' as const,
  };
  a.agent.addRemoteCandidate({ ...base, address: '4c4b1c1e-1e6c.local', port: 1 }, net.now);
  a.agent.addRemoteCandidate({ ...base, address: '10.0.0.5', port: 0 }, net.now);
  a.agent.addRemoteCandidate({ ...base, address: '10.0.0.5', port: 5, component: 2 }, net.now);
  assert.equal(a.agent.remoteCandidates.length, 0);
  a.agent.addRemoteCandidate({ ...base, address: 'FD00:0::5', port: 5 }, net.now);
  assert.equal(a.agent.remoteCandidates[0]!.address, 'fd00::5');
});
