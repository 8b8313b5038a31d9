/**
 * Regression: a FORWARD TSN must not make a reliable message disappear (RFC 3758 §3.5 C2,
 * §3.6). Found by test/robustness/lossy-stack.test.ts: with a partially reliable channel
 * and a reliable one on the same association, 5% loss stalled the reliable ordered stream
 * for good.
 *
 * The sequence: an unreliable message X (maxRetransmits 0) takes TSN t, a reliable message
 * M of three fragments t+1..t+3 follows on another stream. X's chunk and M's middle fragment
 * are lost. X is abandoned; M's middle fragment is retransmitted. The sender's
 * Advanced.Peer.Ack.Point must stop at t (C2: only abandoned chunks are passed over), and a
 * receiver must drop only partial messages missing a TSN at or below the new cumulative TSN
 * (§3.6). Here the point passes the gap-acked fragment t+1 and the receiver drops M's first
 * fragment, so M never completes and every later message of its ordered stream is held.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectedPair, dataTsns } from './harness.js';

test('a reliable message fragmented after an abandoned one is delivered, and its stream goes on', () => {
  const { net, a, b } = connectedPair({ seed: 1, delay: 10 });
  let x: number | undefined;
  const dropped = new Set<number>();
  // Lose the first transmission of X's TSN and of M's second fragment.
  net.filter = (d) => {
    if (d.to.address !== '10.0.0.2') return true;
    for (const tsn of dataTsns(d.data)) {
      x ??= tsn;
      if ((tsn === x || tsn === x + 2) && !dropped.has(tsn)) {
        dropped.add(tsn);
        return false;
      }
    }
    return true;
  };
  // X fills a packet of its own; M's 1135-byte fragments take one packet each.
  a.assoc.sendMessage(5, 53, Buffer.alloc(1100, 0x58), net.now, { maxRetransmits: 0 });
  a.assoc.sendMessage(1, 53, Buffer.alloc(3000, 0x4d), net.now);
  a.assoc.sendMessage(1, 51, Buffer.from('after M'), net.now);
  net.run({ until: () => b.received.length >= 2, timeout: 10_000 });
  assert.equal(dropped.size, 2, 'both losses happened');
  assert.deepEqual(
    b.received.map((r) => `${r.streamId}:${r.data.length}`),
    ['1:3000', '1:7'],
  );
});
