/**
 * ICE restarts on real sockets: each generation gathers on new sockets (new ports), the
 * previous generation's socket carries the selected pair until a pair of the new generation
 * is selected, and then closes; a restart with nothing selected closes it at once.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { closeAfter, connect, datagram, exchangeAndGather, peer, until } from './agents.js';

/** Whether `port` on 127.0.0.1 is free, retried for up to a second (sockets close a tick later). */
async function freed(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const probe = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.bind(port, '127.0.0.1', () => resolve(true));
    });
    probe.close();
    if (bound) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

test('a restart gathers on new ports; the previous socket closes once a new pair is selected', async (t) => {
  const options = { addresses: ['127.0.0.1'] };
  const [a, b] = await connect(options, options);
  closeAfter(t, a, b);
  const before = a.candidates[0]!;
  const oldPair = a.ice.agent.selectedPair!;
  a.ice.restart();
  b.ice.restart();
  await exchangeAndGather(a, b);
  await until('a new host candidate', () => a.candidates.length === 2);
  const after = a.candidates[1]!;
  assert.equal(after.type, 'host');
  assert.notEqual(after.port, before.port);
  await until('a pair of the new generation', () => {
    const pair = a.ice.agent.selectedPair!;
    return pair !== oldPair && pair.local.candidate.port === after.port;
  });
  assert.ok(await freed(before.port), 'the previous socket was closed');
  await until('data on the new pair', () => {
    a.ice.send(datagram('new'));
    return b.data.includes('\u0017new');
  });
});

test('until a new pair is selected the previous socket stays and carries data', async (t) => {
  const options = { addresses: ['127.0.0.1'] };
  const [a, b] = await connect(options, options);
  closeAfter(t, a, b);
  const before = a.candidates[0]!;
  // Our restart only: the peer has not answered, so no new pair can be checked.
  a.ice.restart();
  await a.ice.gather();
  await until('a new host candidate', () => a.candidates.length === 2);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(a.ice.agent.selectedPair!.local.candidate.port, before.port);
  assert.ok(a.ice.send(datagram('old')));
  assert.ok(b.ice.send(datagram('back')));
  await until(
    'data both ways',
    () => b.data.includes('\u0017old') && a.data.includes('\u0017back'),
  );
});

test('a restart with no selected pair closes the previous socket at once', async (t) => {
  const p = peer({ addresses: ['127.0.0.1'] }, () => {});
  t.after(() => p.ice.close());
  await p.ice.gather();
  await p.gathered;
  const before = p.candidates[0]!;
  p.ice.restart();
  assert.ok(await freed(before.port), 'the previous socket was closed');
  await p.ice.gather();
  await until('a new host candidate', () => p.candidates.length === 2);
  assert.notEqual(p.candidates[1]!.port, before.port);
});
