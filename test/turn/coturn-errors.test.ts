/**
 * Failures as W3C RTCPeerConnectionIceErrorEvent reports them: refused credentials (401
 * from coturn), servers that cannot be reached (701: a closed port, a server that never
 * answers, a certificate we do not trust, a name that does not resolve), and a 300 Try
 * Alternate from coturn, followed to the other server.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, it, type TestContext, test } from 'node:test';
import {
  type TurnServer,
  type TurnServerError,
  TurnSocket,
  TurnSocketError,
  type TurnSocketOptions,
} from '../../src/turn/turn-socket.js';
import { closedUdpPort } from '../support/ports.js';
import { needsCoturn, startCoturn } from './coturn.js';

function server(port: number, transport: 'udp' | 'tcp', secure = false): TurnServer {
  const scheme = secure ? 'turns' : 'turn';
  return {
    url: `${scheme}:127.0.0.1:${port}?transport=${transport}`,
    host: '127.0.0.1',
    port,
    transport,
    secure,
    username: 'user',
    credential: 'secret',
  };
}

/** Allocates; returns the error, the errors reported, and how long it took. */
async function failure(t: TestContext, options: TurnSocketOptions) {
  const reported: TurnServerError[] = [];
  const turn = new TurnSocket({ ...options, onError: (e) => reported.push(e) });
  t.after(() => turn.close());
  const start = Date.now();
  const error = await turn.allocate().then(
    () => assert.fail('allocated'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TurnSocketError);
  assert.equal(reported.length, 1);
  assert.equal(reported[0]!.errorCode, error.errorCode);
  return { error, elapsed: Date.now() - start, turn };
}

describe('wrong credentials', { concurrency: 3 }, () => {
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`${transport}: 401 after the signed retry`, needsCoturn(), async (t) => {
      const coturn = await startCoturn(t);
      const { error, turn } = await failure(t, {
        server: coturn.server(transport, { username: 'user', credential: 'wrong' }),
        ca: coturn.certificate,
      });
      assert.equal(error.errorCode, 401);
      assert.equal(error.errorText, 'Unauthorized');
      assert.equal(error.url, coturn.server(transport).url);
      assert.equal(error.address, '127.0.0.1');
      assert.ok(typeof error.port === 'number' && error.port > 0);
      assert.equal(turn.state, 'failed');
    });
  }
});

test('a closed UDP port: 701 at once (ICMP port unreachable)', async (t) => {
  const { error, elapsed } = await failure(t, { server: server(await closedUdpPort(), 'udp') });
  assert.equal(error.errorCode, 701);
  assert.match(error.errorText, /ECONNREFUSED/);
  assert.equal(error.address, '127.0.0.1');
  assert.ok(elapsed < 500, `${elapsed} ms`);
});

test('a closed TCP port, plain and TLS: 701 at once, no local address', async (t) => {
  for (const secure of [false, true]) {
    const { error, elapsed } = await failure(t, {
      server: server(await closedUdpPort(), 'tcp', secure),
    });
    assert.equal(error.errorCode, 701);
    assert.match(error.errorText, /ECONNREFUSED/);
    assert.equal(error.address, null);
    assert.equal(error.port, null);
    assert.ok(elapsed < 500, `${elapsed} ms`);
  }
});

test('a UDP server that never answers: 701 when the retransmissions run out', async (t) => {
  const silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  let requests = 0;
  silent.on('message', () => requests++);
  // RTO 100 ms, Rc 4, Rm 4: sends at 0, 100, 300, 700 ms, gives up at 1100 ms. With the
  // RFC 8489 defaults (500 ms, 7, 16) that is 39.5 s.
  const { error, elapsed } = await failure(t, {
    server: server(silent.address().port, 'udp'),
    rto: 100,
    rc: 4,
    rm: 4,
  });
  assert.equal(error.errorCode, 701);
  assert.equal(error.errorText, 'no response from the server');
  assert.equal(requests, 4);
  assert.ok(elapsed >= 1090 && elapsed < 1600, `${elapsed} ms`);
});

test('a TCP server that accepts and never answers: 701 after the transaction timeout', async (t) => {
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const port = (silent.address() as import('node:net').AddressInfo).port;
  const plain = await failure(t, { server: server(port, 'tcp'), timeout: 800 });
  assert.equal(plain.error.errorCode, 701);
  assert.ok(plain.elapsed >= 790 && plain.elapsed < 1300, `${plain.elapsed} ms`);
  // Over TLS the handshake never ends: the connection setup bound applies.
  const tls = await failure(t, { server: server(port, 'tcp', true), connectTimeout: 500 });
  assert.equal(tls.error.errorCode, 701);
  assert.match(tls.error.errorText, /no connection within 500 ms/);
  assert.ok(tls.elapsed >= 490 && tls.elapsed < 1000, `${tls.elapsed} ms`);
});

test(
  'TLS: an untrusted certificate is a 701; the right CA, a name, or no verification allocate',
  needsCoturn(),
  async (t) => {
    const coturn = await startCoturn(t);
    const untrusted = await failure(t, { server: coturn.server('tls') });
    assert.equal(untrusted.error.errorCode, 701);
    assert.match(untrusted.error.errorText, /self-signed certificate/);
    const byName = { ...coturn.server('tls'), host: 'localhost' };
    for (const options of [
      { server: coturn.server('tls'), ca: coturn.certificate },
      { server: byName, ca: coturn.certificate, localAddress: '127.0.0.1' },
      { server: coturn.server('tls'), rejectUnauthorized: false },
    ]) {
      const turn = new TurnSocket(options);
      t.after(() => turn.close());
      await turn.allocate();
      await turn.close();
    }
  },
);

test('a name that does not resolve, and turns: over UDP, are 701s', async (t) => {
  const unresolved = await failure(t, {
    server: { ...server(3478, 'udp'), host: 'nowhere.invalid' },
  });
  assert.equal(unresolved.error.errorCode, 701);
  assert.match(unresolved.error.errorText, /cannot resolve nowhere.invalid/);
  const dtls = await failure(t, { server: server(5349, 'udp', true) });
  assert.equal(dtls.error.errorCode, 701);
});

test('close() while connecting ends at once; allocate() rejects', async (t) => {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const port = (silent.address() as import('node:net').AddressInfo).port;
  const turn = new TurnSocket({ server: server(port, 'tcp', true) });
  const allocation = turn.allocate();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = Date.now();
  await turn.close();
  assert.ok(Date.now() - start < 100);
  await assert.rejects(allocation, TurnSocketError);
});

test(
  '300 Try Alternate from coturn: the allocation is made on the alternate server',
  needsCoturn(),
  async (t) => {
    const target = await startCoturn(t);
    const redirecting = await startCoturn(t, {
      args: ['-v', '--alternate-server', `127.0.0.1:${target.port}`],
    });
    const turn = new TurnSocket({ server: redirecting.server('udp') });
    t.after(() => turn.close());
    const { relayed } = await turn.allocate();
    assert.ok(relayed.port >= target.minPort && relayed.port <= target.maxPort, `${relayed.port}`);
    assert.ok(/error 300/.test(redirecting.log()), 'coturn sent no 300');
  },
);
