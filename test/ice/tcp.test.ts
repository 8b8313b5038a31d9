/**
 * ICE over TCP (RFC 6544) on loopback: two of our agents, one passive and one active,
 * connect over a TCP pair; a raw TCP client playing a browser's active candidate (STUN by
 * hand, RFC 4571 framing, writes cut into pieces) gets answered, checked back on its own
 * connection, nominates the pair and exchanges data; connections beyond the bound and
 * garbage are dropped without harm.
 */
import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { test } from 'node:test';
import { candidatePriority } from '../../src/ice/candidate.js';
import { rfc4571Frame, rfc4571FrameLength } from '../../src/ice/tcp-bases.js';
import {
  decodeStunMessage,
  IceControlling,
  Method,
  Priority,
  type StunMessage,
  StunWriter,
  shortTermKey,
  successResponse,
  UseCandidate,
  Username,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { StreamFramer } from '../../src/turn/stream-framer.js';
import { closeAfter, datagram, exchangeAndGather, type Peer, peer, until } from './agents.js';

test('passive and active TCP candidates of two agents connect; data both ways', async (t) => {
  // Only TCP candidates are signalled, so that the UDP ones cannot win.
  const tcpOnly = (to: () => Peer) => (c: import('../../src/ice/candidate.js').Candidate) => {
    if (c.protocol === 'tcp') to().ice.addRemoteCandidate(c);
  };
  const a: Peer = peer(
    { role: 'controlled', addresses: ['127.0.0.1'], tcp: { passive: true, active: false } },
    tcpOnly(() => b),
  );
  const b: Peer = peer(
    { role: 'controlling', addresses: ['127.0.0.1'], tcp: { passive: false, active: true } },
    tcpOnly(() => a),
  );
  closeAfter(t, a, b);
  await exchangeAndGather(a, b);
  await until(
    'connected',
    () => a.ice.agent.selectedPair !== undefined && b.ice.agent.selectedPair !== undefined,
  );
  const passive = a.candidates.find((c) => c.protocol === 'tcp')!;
  assert.equal(passive.tcpType, 'passive');
  assert.equal(passive.priority, candidatePriority('host', (4 << 13) + 8191));
  const active = b.candidates.find((c) => c.protocol === 'tcp')!;
  assert.deepEqual([active.tcpType, active.port], ['active', 9]);
  assert.ok(a.candidates[0]!.priority > passive.priority); // UDP first among host candidates
  for (const p of [a, b]) assert.equal(p.ice.agent.selectedPair!.local.candidate.protocol, 'tcp');
  assert.ok(b.ice.send(datagram('over tcp')));
  assert.ok(a.ice.send(datagram('and back')));
  await until('data both ways', () => a.data.length === 1 && b.data.length === 1);
  assert.deepEqual([a.data[0], b.data[0]], ['\u0017over tcp', '\u0017and back']);
});

/** Writes `bytes` in pieces of up to 3 bytes, each in its own turn of the event loop. */
async function trickle(socket: Socket, bytes: Buffer): Promise<void> {
  for (let i = 0; i < bytes.length; i += 3) {
    socket.write(bytes.subarray(i, i + 3));
    await new Promise((r) => setImmediate(r));
  }
}

test('a raw TCP client as the active side: answered, checked back, nominated, data', async (t) => {
  const password = 'raw-client-password-0123';
  const a = peer(
    {
      role: 'controlled',
      addresses: ['127.0.0.1'],
      tcp: { passive: true, active: false },
      tcpOptions: { maxConnections: 3 },
    },
    () => {},
  );
  t.after(() => a.ice.close());
  a.ice.setRemoteParameters({ usernameFragment: 'raw', password });
  await a.ice.gather();
  await a.gathered;
  const passive = a.candidates.find((c) => c.tcpType === 'passive')!;
  const local = a.ice.agent.localParameters;

  const client = connectTcp({ host: '127.0.0.1', port: passive.port });
  t.after(() => client.destroy());
  await new Promise((r) => client.once('connect', r));
  const frames: Buffer[] = [];
  const framer = new StreamFramer(2, rfc4571FrameLength, (f) =>
    frames.push(Buffer.from(f.subarray(2))),
  );
  client.on('data', (chunk: Buffer) => framer.push(chunk));

  // The browser's check, with USE-CANDIDATE, written in pieces.
  const check = new StunWriter(Method.Binding, 'request')
    .add(Username, `${local.usernameFragment}:raw`)
    .add(Priority, candidatePriority('prflx', (6 << 13) + 8191))
    .add(IceControlling, 1n)
    .add(UseCandidate, true)
    .addMessageIntegrity(shortTermKey(local.password))
    .addFingerprint()
    .finish();
  await trickle(client, rfc4571Frame(check));
  await until('the response and the triggered check', () => frames.length >= 2);
  const messages = frames.map((f) => decodeStunMessage(f) as StunMessage);
  const response = messages.find((m) => m.messageClass === 'success')!;
  assert.deepEqual(response.get(XorMappedAddress), {
    address: client.localAddress,
    port: client.localPort,
  });
  assert.equal(response.checkIntegrity(shortTermKey(local.password)), 'ok');
  const triggered = messages.find((m) => m.messageClass === 'request')!;
  assert.equal(triggered.get(Username), `raw:${local.usernameFragment}`);
  assert.equal(triggered.checkIntegrity(shortTermKey(password)), 'ok');
  client.write(
    rfc4571Frame(
      successResponse(triggered)
        .add(XorMappedAddress, { address: '127.0.0.1', port: passive.port })
        .addMessageIntegrity(shortTermKey(password))
        .addFingerprint()
        .finish(),
    ),
  );
  await until('nominated', () => a.ice.agent.selectedPair?.nominated === true);
  assert.equal(a.ice.agent.selectedPair!.remote.address, '127.0.0.1');
  assert.equal(a.ice.agent.selectedPair!.remote.port, client.localPort);

  await trickle(client, rfc4571Frame(datagram('from the browser')));
  await until('data in', () => a.data.length === 1);
  assert.equal(a.data[0], '\u0017from the browser');
  const before = frames.length;
  assert.ok(a.ice.send(datagram('to the browser')));
  await until('data out', () => frames.length > before);
  assert.equal(frames.at(-1)!.toString('latin1', 1), 'to the browser');

  // Surplus connections are closed at once (the bound is 3), garbage is dropped.
  const extra: Socket[] = [];
  let refused = 0;
  for (let i = 0; i < 4; i++) {
    const s = connectTcp({ host: '127.0.0.1', port: passive.port });
    s.on('error', () => {});
    s.on('close', () => refused++);
    extra.push(s);
  }
  t.after(() => {
    for (const s of extra) s.destroy();
  });
  await until('the surplus closed', () => refused === 2, 2000);
  extra[0]!.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
  extra[0]!.write(rfc4571Frame(Buffer.from('not stun, not data')));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(a.ice.send(datagram('still there')));
  await until(
    'data after the garbage',
    () => frames.at(-1)!.toString('latin1', 1) === 'still there',
  );
});
