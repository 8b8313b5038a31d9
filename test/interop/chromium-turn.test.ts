/**
 * Chromium and our RTCPeerConnection through coturn, both with iceTransportPolicy 'relay':
 * the TURN server reached over UDP and over TCP (then neither peer sends a UDP datagram:
 * what works when UDP between them is blocked). Each side signals only relayed candidates,
 * each side's getStats() shows a nominated relayed pair that mirrors the other's, and a
 * message goes each way. Ten connections per transport; the median time from creating the
 * connections to the channel open on both sides is reported. Then our side relayed over
 * TCP facing Chromium with its host candidates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from '../e2e/turn-peers.js';
import { startCoturn } from '../turn/coturn.js';
import { ChromiumPeer } from './chromium-peer.js';
import {
  checkRun,
  chromiumRelayRun,
  needsChromiumAndCoturn,
  wideRelayRange,
} from './chromium-turn-peers.js';

const RUNS = 10;

test('Chromium through coturn', needsChromiumAndCoturn(), async (t) => {
  const coturn = await startCoturn(t, { args: wideRelayRange() });
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());
  const server = (transport: 'udp' | 'tcp') => ({
    urls: coturn.server(transport).url,
    username: coturn.username,
    credential: coturn.password,
  });

  for (const transport of ['udp', 'tcp'] as const) {
    await t.test(`relay policy on both sides, TURN over ${transport}`, async (t) => {
      const configuration = {
        iceServers: [server(transport)],
        iceTransportPolicy: 'relay' as const,
      };
      const expected = { relayProtocol: transport, url: coturn.server(transport).url };
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await chromiumRelayRun(peer, configuration, configuration);
        checkRun(run, expected, expected);
        times.push(run.connectMs);
      }
      t.diagnostic(
        `connect with Chromium through TURN over ${transport}: median ${median(times).toFixed(0)} ms of ${RUNS} (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms)`,
      );
      assert.ok(median(times) < 3000, `median ${median(times)} ms`);
    });
  }

  await t.test('our side relayed over TCP, Chromium with its host candidates', async () => {
    const run = await chromiumRelayRun(
      peer,
      { iceServers: [server('tcp')], iceTransportPolicy: 'relay' },
      {},
    );
    checkRun(run, { relayProtocol: 'tcp', url: coturn.server('tcp').url }, undefined);
    assert.ok(run.chromium.candidates.some((c) => / typ host /.test(c)));
    assert.equal(run.chromium.local.candidateType, 'host');
  });
});
