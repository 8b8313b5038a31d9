/** Two associations over our DTLS 1.2 on real UDP loopback sockets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { now } from '../../src/net/timer.js';
import { overDtls } from './driver.js';
import { pattern } from './harness.js';

function message(i: number): Buffer {
  const b = pattern(i, i % 10 === 0 ? 65536 + i : 4 + i * 7);
  b.writeUInt32BE(i, 0);
  return b;
}

test('SCTP over DTLS over UDP loopback: handshake, large and small messages, shutdown', async () => {
  const count = 300;
  const received: Buffer[][] = [[], [], []];
  let total = 0;
  let allIn!: () => void;
  const arrived = new Promise<void>((r) => {
    allIn = r;
  });
  let closed!: (kind: string) => void;
  const closedB = new Promise<string>((r) => {
    closed = r;
  });
  const pair = await overDtls(
    { remoteMaxMessageSize: 0 },
    {},
    {
      onMessage: (streamId, _ppid, data) => {
        received[streamId]!.push(Buffer.from(data));
        if (++total === count) allIn();
      },
      onClosed: (r) => closed(r.kind),
    },
  );
  try {
    assert.equal(pair.transport, 'dtls');
    await pair.established;
    for (let i = 0; i < count; i++) pair.a.association.sendMessage(i % 3, 53, message(i), now());
    await arrived;
    for (let s = 0; s < 3; s++) {
      const ids = received[s]!.map((m) => m.readUInt32BE(0));
      assert.deepEqual(
        ids,
        Array.from({ length: count / 3 }, (_, k) => 3 * k + s),
        `stream ${s}`,
      );
      for (const m of received[s]!) assert.ok(m.equals(message(m.readUInt32BE(0))));
    }
    assert.equal(pair.a.association.stats.badChecksums + pair.b.association.stats.badChecksums, 0);
    pair.a.association.shutdown(now());
    assert.equal(await closedB, 'shutdown');
  } finally {
    pair.close();
  }
});
