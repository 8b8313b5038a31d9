/**
 * mDNS candidates (draft-ietf-mmusic-mdns-ice-candidates) between agents on real sockets:
 * a remote `.local` candidate announced by a responder we did not write is resolved and
 * connects; our own host addresses hidden behind `<uuid>.local` names are answered for;
 * names that do not resolve are dropped after the timeout without failing the connection;
 * the relay policy ignores them.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Candidate } from '../../src/ice/candidate.js';
import {
  closeAfter,
  connected,
  datagram,
  exchangeAndGather,
  type Peer,
  peer,
  until,
} from './agents.js';

interface Responder {
  on(event: 'query', listener: (q: { questions?: { name: string; type: string }[] }) => void): void;
  respond(packet: object): void;
  destroy(): void;
}
const multicastDns = createRequire(import.meta.url)('multicast-dns') as () => Responder;

test('a remote .local candidate announced by a responder is resolved and connects', async (t) => {
  const name = `${crypto.randomUUID()}.local`;
  const responder = multicastDns();
  t.after(() => responder.destroy());
  responder.on('query', (q) => {
    if (q.questions?.some((x) => x.name === name && x.type === 'A'))
      responder.respond({ answers: [{ name, type: 'A', ttl: 120, data: '127.0.0.1' }] });
  });
  // a's host candidates reach b under the responder's name, as a browser would send them.
  const a: Peer = peer({ role: 'controlling', addresses: ['127.0.0.1'] }, (c) =>
    b.ice.addRemoteCandidate({ ...c, address: name }),
  );
  const b: Peer = peer({ role: 'controlled', addresses: ['127.0.0.1'] }, (c) =>
    a.ice.addRemoteCandidate(c),
  );
  closeAfter(t, a, b);
  await exchangeAndGather(a, b);
  await until('connected', () => connected(a) && connected(b));
  assert.equal(b.ice.agent.remoteCandidates[0]!.address, '127.0.0.1');
  assert.ok(a.ice.send(datagram('over mDNS')));
  await until('data', () => b.data.length === 1);
});

test('hidden host addresses: <uuid>.local names, answered over mDNS', async (t) => {
  const a: Peer = peer({ role: 'controlling', addresses: ['127.0.0.1'], mdns: true }, (c) =>
    b.ice.addRemoteCandidate(c),
  );
  const b: Peer = peer({ role: 'controlled', addresses: ['127.0.0.1'] }, (c) =>
    a.ice.addRemoteCandidate(c),
  );
  closeAfter(t, a, b);
  await exchangeAndGather(a, b);
  await until('connected', () => connected(a) && connected(b));
  const host = a.candidates[0]!;
  assert.match(
    host.address,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local$/,
  );
  assert.ok(!JSON.stringify(a.ice.agent.localCandidates).includes('127.0.0.1'));
  assert.equal(b.ice.agent.selectedPair!.remote.address, '127.0.0.1');
  assert.ok(b.ice.send(datagram('to the hidden one')));
  await until('data', () => a.data.length === 1);
});

test('a name that does not resolve is dropped after the timeout; the end of candidates waits for it', async (t) => {
  const a: Peer = peer({ role: 'controlling', addresses: ['127.0.0.1'] }, (c) =>
    b.ice.addRemoteCandidate(c),
  );
  const b: Peer = peer({ role: 'controlled', addresses: ['127.0.0.1'], mdnsTimeout: 400 }, (c) =>
    a.ice.addRemoteCandidate(c),
  );
  closeAfter(t, a, b);
  a.ice.setRemoteParameters(b.ice.agent.localParameters);
  b.ice.setRemoteParameters(a.ice.agent.localParameters);
  const nowhere: Candidate = {
    foundation: '9',
    component: 1,
    protocol: 'udp',
    priority: 2122260223,
    address: `${crypto.randomUUID()}.local`,
    port: 9,
    type: 'host',
  };
  b.ice.addRemoteCandidate(nowhere);
  await Promise.all([a.ice.gather(), b.ice.gather()]);
  await Promise.all([a.gathered, b.gathered]);
  a.ice.endOfRemoteCandidates();
  b.ice.endOfRemoteCandidates();
  await until('connected', () => connected(a) && connected(b));
  const start = Date.now();
  await until('completed', () => b.ice.agent.state === 'completed', 2000);
  assert.ok(Date.now() - start < 1000);
  assert.ok(b.ice.agent.remoteCandidates.every((c) => c.address === '127.0.0.1'));
  assert.ok(!b.states.includes('failed'));
});

test('under the relay policy, .local candidates are ignored', async (t) => {
  const p = peer({ addresses: ['127.0.0.1'], relayOnly: true, mdnsTimeout: 100 }, () => {});
  t.after(() => p.ice.close());
  p.ice.addRemoteCandidate({
    foundation: '1',
    component: 1,
    protocol: 'udp',
    priority: 1,
    address: `${crypto.randomUUID()}.local`,
    port: 9,
    type: 'host',
  });
  p.ice.endOfRemoteCandidates();
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(p.ice.agent.remoteCandidates, []);
});
