/**
 * STUN and TURN servers over UDP that never answer (closed ports: Linux reports no ICMP
 * error on the unconnected host sockets ICE shares, so only the retransmissions tell):
 * through the W3C API, one icecandidateerror 701 per server URL, once RFC 8489's
 * retransmissions have run out (RTO 500 ms, Rc 7, Rm 16: 39.5 s), and gathering completes
 * right after. A soak test because of those 39.5 s; closed TCP ports (turn-errors.test.ts)
 * fail at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCPeerConnectionIceErrorEvent } from '../../src/webrtc/events.js';
import { closedUdpPort } from '../support/ports.js';
import { pc } from '../webrtc/pc-helpers.js';

test('silent STUN and TURN servers over UDP: one 701 per url after 39.5 s', async (t) => {
  const stun = `stun:127.0.0.1:${await closedUdpPort()}`;
  const turn = `turn:127.0.0.1:${await closedUdpPort()}`;
  const p = pc(t, { iceServers: [{ urls: stun }, { urls: turn, username: 'u', credential: 'p' }] });
  const errors: [string, number, number][] = [];
  let started = 0;
  p.addEventListener('icecandidateerror', (e) => {
    const { url, errorCode } = e as RTCPeerConnectionIceErrorEvent;
    errors.push([url, errorCode, performance.now() - started]);
  });
  const complete = new Promise<number>((resolve) =>
    p.addEventListener('icegatheringstatechange', () => {
      if (p.iceGatheringState === 'complete') resolve(performance.now() - started);
    }),
  );
  p.createDataChannel('x');
  started = performance.now();
  await p.setLocalDescription();
  const gathered = await complete;
  t.diagnostic(
    `errors: ${JSON.stringify(errors)}; gathering complete after ${gathered.toFixed(0)} ms`,
  );
  assert.deepEqual(
    errors.map(([url, code]) => [url, code]).sort(),
    [
      [stun, 701],
      [turn, 701],
    ].sort(),
  );
  for (const [, , ms] of errors) assert.ok(ms > 39_000 && ms < 41_000, `${ms} ms`);
  assert.ok(gathered < 41_000, `${gathered} ms`);
});
