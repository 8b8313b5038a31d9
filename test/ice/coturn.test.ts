// Against coturn (Debian `coturn`): server-reflexive gathering and STUN retransmissions.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { IceCandidateError } from '../../src/ice/agent.js';
import { UdpIceAgent } from '../../src/ice/udp-agent.js';
import { bindUdp } from '../../src/net/udp.js';
import {
  ClientTransactions,
  decodeStunMessage,
  Method,
  StunMessage,
  StunWriter,
  XorMappedAddress,
} from '../../src/stun/index.js';
import { needsPeer, peerPath } from '../support/peers.js';

const peer = needsPeer('turnserver', 'coturn');

/** A UDP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Starts coturn as a STUN-only server on 127.0.0.1:port, with nothing but flags; stopped after the test. */
function startCoturn(t: { after: (fn: () => Promise<void>) => void }, port: number): ChildProcess {
  const child = spawn(
    peerPath('turnserver', 'coturn'),
    [
      '-n',
      '--listening-ip',
      '127.0.0.1',
      '--listening-port',
      String(port),
      '--no-tls',
      '--no-dtls',
      '--stun-only',
      '--no-cli',
      '--log-file',
      'stdout',
      '--pidfile',
      '/dev/null',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.resume();
  child.stderr!.resume();
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  return child;
}

test('a Binding transaction reaches coturn through retransmissions', peer, async (t) => {
  const port = await freePort();
  const socket = await bindUdp({ address: '127.0.0.1' });
  t.after(() => socket.close());
  const sends: number[] = [];
  const start = performance.now();
  let result: StunMessage | undefined;
  const transactions = new ClientTransactions<string>({
    transmit: (request) => {
      sends.push(performance.now() - start);
      socket.send(request, port, '127.0.0.1');
    },
    timeout: () => assert.fail('timed out'),
  });
  socket.on('message', (data) => {
    const m = decodeStunMessage(data);
    if (m instanceof StunMessage) result = transactions.handleResponse(m)?.response;
  });
  const timer = setInterval(() => transactions.handleTimeout(performance.now()), 5);
  t.after(() => clearInterval(timer));
  transactions.start(
    new StunWriter(Method.Binding, 'request').finish(),
    'server',
    performance.now(),
  );
  // The server comes up only after the first two requests went nowhere.
  await new Promise((r) => setTimeout(r, 700));
  startCoturn(t, port);
  const deadline = Date.now() + 10_000;
  while (!result && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(result, 'coturn answered');
  assert.ok(sends.length >= 3, `sent at ${sends.map(Math.round).join(', ')} ms`);
  assert.ok(Math.abs(sends[1]! - 500) < 300 && Math.abs(sends[2]! - 1500) < 300);
  assert.equal(result.messageClass, 'success');
  assert.deepEqual(result.get(XorMappedAddress), {
    address: '127.0.0.1',
    port: socket.address().port,
  });
});

test('server-reflexive gathering against coturn completes without errors', peer, async (t) => {
  const port = await freePort();
  startCoturn(t, port);
  await new Promise((r) => setTimeout(r, 300));
  const errors: IceCandidateError[] = [];
  let completeAt = 0;
  const start = performance.now();
  const ice = new UdpIceAgent({
    addresses: ['127.0.0.1'],
    // A name, resolved by the wrapper (node:dns).
    stunServers: [{ url: `stun:localhost:${port}`, host: 'localhost', port }],
    onCandidateError: (e) => errors.push(e),
    onGatheringStateChange: (s) => {
      if (s === 'complete') completeAt = performance.now() - start;
    },
  });
  t.after(() => ice.close());
  await ice.gather();
  const deadline = Date.now() + 10_000;
  while (!completeAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(errors, []);
  assert.ok(completeAt > 0 && completeAt < 5000, `complete after ${completeAt} ms`);
  // On loopback the mapped address is the host address: redundant, so only the host candidate (§5.1.3).
  assert.deepEqual(
    ice.agent.localCandidates.map((c) => c.type),
    ['host'],
  );
});

test('an unreachable STUN server: 701 after the transaction times out', peer, async (t) => {
  const port = await freePort();
  const errors: IceCandidateError[] = [];
  // A short RTO (and Ta, its floor) keeps this test quick: 7 sends, then 16 RTO, 790 ms in all.
  const ice = new UdpIceAgent({
    addresses: ['127.0.0.1'],
    rto: 10,
    ta: 5,
    stunServers: [{ url: `stun:127.0.0.1:${port}`, host: '127.0.0.1', port }],
    onCandidateError: (e) => errors.push(e),
  });
  t.after(() => ice.close());
  await ice.gather();
  const deadline = Date.now() + 10_000;
  while (ice.agent.gatheringState !== 'complete' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.errorCode, 701);
  assert.equal(errors[0]!.address, '127.0.0.1');
});
