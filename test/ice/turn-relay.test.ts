/**
 * Relayed candidates from coturn in the ICE agent on real sockets: two agents with the
 * relay-only policy connect through coturn (the allocation over UDP, TCP or TLS), each with
 * a relayed pair selected and a channel bound; with policy 'all' the allocation's mapped
 * address is offered as a server-reflexive candidate; failures become icecandidateerror
 * reports (401, 701) and gathering still completes.
 */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import type { CandidatePair } from '../../src/ice/pair.js';
import { RelayBase } from '../../src/ice/turn-relays.js';
import { needsCoturn, startCoturn } from '../turn/coturn.js';
import { closeAfter, connect, datagram, exchangeAndGather, peer, until } from './agents.js';

describe('relay-only through coturn', { concurrency: 3 }, () => {
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(
      `${transport} to the server: a relayed pair on both sides, data both ways`,
      needsCoturn(),
      async (t) => {
        const coturn = await startCoturn(t);
        const options = {
          addresses: ['127.0.0.1'],
          turnServers: [coturn.server(transport)],
          turnCa: coturn.certificate,
          relayOnly: true,
        };
        const [a, b] = await connect(options, options);
        t.after(() => {
          a.ice.close();
          b.ice.close();
        });
        for (const p of [a, b]) {
          // Only relayed candidates are gathered and signalled.
          assert.deepEqual(
            p.candidates.map((c) => c.type),
            ['relay'],
          );
          const relay = p.candidates[0]!;
          assert.equal(relay.relayProtocol, transport);
          assert.equal(relay.url, coturn.server(transport).url);
          assert.equal(relay.priority >>> 24, 0);
          // The relay policy keeps our addresses from the peer: no related address either.
          assert.deepEqual([relay.relatedAddress, relay.relatedPort], ['0.0.0.0', 0]);
          const pair = p.ice.agent.selectedPair!;
          assert.equal(pair.local.candidate.type, 'relay');
          assert.equal(pair.remote.type, 'relay');
          assert.ok(pair.local.base instanceof RelayBase);
        }
        assert.ok(a.ice.send(datagram('to b')));
        assert.ok(b.ice.send(datagram('to a')));
        await until('data both ways', () => a.data.length > 0 && b.data.length > 0);
        assert.equal(b.data[0], '\u0017to b');
        assert.equal(a.data[0], '\u0017to a');
        // The selected relayed pair runs on a channel.
        const base = a.ice.agent.selectedPair!.local.base as RelayBase;
        const remote = a.ice.agent.selectedPair!.remote;
        await until('a channel', () => base.turn.channelBound(remote.address, remote.port));
        assert.deepEqual([a.errors, b.errors], [[], []]);
      },
    );
  }
});

test(
  'policy all: host and relayed candidates; a mapped address equal to the host is not repeated',
  needsCoturn(),
  async (t) => {
    const coturn = await startCoturn(t);
    // coturn sees the host socket's own address, so the mapped address equals the host
    // candidate's and is redundant (RFC 8445 §5.1.3): no server-reflexive candidate here.
    const options = { addresses: ['127.0.0.1'], turnServers: [coturn.server('udp')] };
    const [a, b] = await connect(options, options);
    closeAfter(t, a, b);
    await Promise.all([a.gathered, b.gathered]);
    assert.deepEqual(
      a.candidates.map((c) => c.type),
      ['host', 'relay'],
    );
    const [host, relay] = a.candidates;
    assert.equal(relay!.relatedAddress, host!.address);
    assert.equal(relay!.relatedPort, host!.port); // the allocation shares the host socket
    assert.ok(host!.priority > relay!.priority);
    assert.equal(a.ice.agent.selectedPair!.local.candidate.type, 'host');
  },
);

test(
  'a TURN server asked for server-reflexive candidates too, from the shared socket: its Binding responses reach the agent',
  needsCoturn(),
  async (t) => {
    const coturn = await startCoturn(t);
    const { url, host, port } = coturn.server('udp');
    for (const credential of [coturn.password, 'wrong']) {
      const p = peer(
        {
          addresses: ['127.0.0.1'],
          stunServers: [{ url, host, port }],
          turnServers: [coturn.server('udp', { username: coturn.username, credential })],
        },
        () => {},
      );
      t.after(() => p.ice.close());
      const started = Date.now();
      await p.ice.gather();
      await p.gathered;
      // Not the 39.5 s of a Binding transaction whose responses went to the TURN client.
      assert.ok(Date.now() - started < 2000, `gathering took ${Date.now() - started} ms`);
      assert.deepEqual(
        p.errors.map((e) => e.errorCode),
        credential === 'wrong' ? [401] : [],
      );
    }
  },
);

test(
  'wrong credentials: a 401 icecandidateerror with the host address; gathering completes',
  needsCoturn(),
  async (t) => {
    const coturn = await startCoturn(t);
    const server = coturn.server('udp', { username: 'user', credential: 'wrong' });
    const p = peer({ addresses: ['127.0.0.1'], turnServers: [server] }, () => {});
    t.after(() => p.ice.close());
    await p.ice.gather();
    await p.gathered;
    assert.equal(p.errors.length, 1);
    const host = p.candidates.find((c) => c.type === 'host')!;
    assert.deepEqual(p.errors[0], {
      address: '127.0.0.1',
      port: host.port,
      url: server.url,
      errorCode: 401,
      errorText: 'Unauthorized',
    });
  },
);

test('an unreachable TURN server: one 701 per URL when retransmissions run out; relay-only hides the address', async (t) => {
  const { createSocket } = await import('node:dgram');
  const silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const url = `turn:127.0.0.1:${silent.address().port}`;
  const p = peer(
    {
      addresses: ['127.0.0.1'],
      relayOnly: true,
      turnServers: [
        {
          url,
          host: '127.0.0.1',
          port: silent.address().port,
          transport: 'udp',
          secure: false,
          username: 'u',
          credential: 'p',
        },
      ],
      // RTO 100 ms, Rc 4, Rm 4: 1.1 s (RFC 8489 defaults: 39.5 s).
      turn: { rto: 100, rc: 4, rm: 4 },
    },
    () => {},
  );
  t.after(() => p.ice.close());
  const start = Date.now();
  await p.ice.gather();
  await p.gathered;
  const elapsed = Date.now() - start;
  assert.ok(elapsed >= 1090 && elapsed < 1800, `${elapsed} ms`);
  assert.deepEqual(p.errors, [
    { address: null, port: null, url, errorCode: 701, errorText: 'no response from the server' },
  ]);
  assert.deepEqual(p.candidates, []);
});

test('a silent turn: server over UDP, asked for both candidate types: one 701 for its url', async (t) => {
  const { createSocket } = await import('node:dgram');
  const silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const port = silent.address().port;
  const url = `turn:127.0.0.1:${port}`;
  const p = peer(
    {
      addresses: ['127.0.0.1'],
      stunServers: [{ url, host: '127.0.0.1', port }],
      turnServers: [
        {
          url,
          host: '127.0.0.1',
          port,
          transport: 'udp',
          secure: false,
          username: 'u',
          credential: 'p',
        },
      ],
      // Both give up within 2 s: Binding RTO 20 ms (7 retransmissions), Allocate as above.
      ta: 10,
      rto: 20,
      turn: { rto: 100, rc: 4, rm: 4 },
    },
    () => {},
  );
  t.after(() => p.ice.close());
  await p.ice.gather();
  await p.gathered;
  assert.deepEqual(
    p.errors.map((e) => [e.errorCode, e.url]),
    [[701, url]],
  );
});

test(
  'an ICE restart allocates anew on new sockets and releases the previous allocations once a new pair is selected',
  needsCoturn(),
  async (t) => {
    const coturn = await startCoturn(t, { args: ['-v'] });
    const options = {
      addresses: ['127.0.0.1'],
      turnServers: [coturn.server('udp')],
      relayOnly: true,
    };
    const [a, b] = await connect(options, options);
    closeAfter(t, a, b);
    const before = a.candidates[0]!;
    const oldPair = a.ice.agent.selectedPair!;
    const hostPort = (pair: CandidatePair) => (pair.local.base as RelayBase).host.port;
    a.ice.restart();
    b.ice.restart();
    await exchangeAndGather(a, b);
    // The previous pair carries data until a new one is nominated.
    assert.equal(a.ice.agent.selectedPair, oldPair);
    assert.ok(a.ice.send(datagram('during')));
    await until('a new relayed candidate', () => a.candidates.length === 2);
    const after = a.candidates[1]!;
    assert.equal(after.type, 'relay');
    assert.notEqual(after.port, before.port);
    assert.notEqual(after.extensions, before.extensions); // the new generation's ufrag
    await until('a pair of the new generation', () => {
      const pair = a.ice.agent.selectedPair!;
      return pair !== oldPair && pair.local.candidate.port === after.port;
    });
    // A new allocation from a new host socket.
    assert.notEqual(hostPort(a.ice.agent.selectedPair!), hostPort(oldPair));
    await until('data after the restart', () => {
      a.ice.send(datagram('again'));
      return b.data.includes('\u0017again');
    });
    assert.ok(b.data.includes('\u0017during'));
    // coturn's sessions: the four allocations in order, and those refreshed with lifetime 0.
    const sessions = (re: RegExp) => [...coturn.log().matchAll(re)].map((m) => m[1]!).sort();
    const allocated = () => sessions(/session (\d+): .*ALLOCATE processed, success/g);
    const released = () => sessions(/session (\d+): refreshed, .*lifetime=0/g);
    assert.equal(allocated().length, 4);
    await until('the previous allocations released', () => released().length === 2);
    assert.deepEqual(released(), allocated().slice(0, 2));
    // Then the previous host socket closes: its port can be bound again.
    const { createSocket } = await import('node:dgram');
    const bindOld = () => {
      const probe = createSocket('udp4');
      return new Promise<boolean>((resolve) => {
        probe.once('error', () => resolve(false));
        probe.bind(hostPort(oldPair), '127.0.0.1', () => resolve(true));
      }).finally(() => probe.close());
    };
    let bound = false;
    for (let i = 0; i < 100 && !bound; i++) {
      bound = await bindOld();
      if (!bound) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(bound, 'the previous host socket was closed');
    assert.deepEqual([a.errors, b.errors], [[], []]);
  },
);
