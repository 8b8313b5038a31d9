/**
 * RTCPeerConnection through coturn: TURN servers from RTCConfiguration.iceServers and the
 * relay policy reach ICE; with iceTransportPolicy 'relay' only relayed candidates are
 * signalled and the data channel runs over a relayed pair.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import { needsCoturn, startCoturn } from '../turn/coturn.js';
import { negotiate, once, pc, trickle } from '../webrtc/pc-helpers.js';

describe('relay-only connections through coturn', { concurrency: 2 }, () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(
      `turn: over ${transport}: relayed candidates only, a channel over a relayed pair`,
      needsCoturn(),
      async (t) => {
        const coturn = await startCoturn(t);
        const configuration = {
          iceServers: [
            {
              urls: `turn:${coturn.host}:${coturn.port}?transport=${transport}`,
              username: coturn.username,
              credential: coturn.password,
            },
          ],
          iceTransportPolicy: 'relay' as const,
        };
        const a = pc(t, configuration);
        const b = pc(t, configuration);
        const types: string[] = [];
        for (const p of [a, b])
          p.addEventListener('icecandidate', (e) => {
            const c = (e as RTCPeerConnectionIceEvent).candidate;
            if (c?.candidate) types.push(`${c.type}/${c.relayProtocol}`);
          });
        trickle(a, b);
        const local = a.createDataChannel('relayed');
        const remote = once(b, 'datachannel');
        await negotiate(a, b);
        await once(local, 'open');
        const channel = ((await remote) as Event & { channel: { onmessage: unknown } }).channel;
        const got = new Promise((resolve) => {
          channel.onmessage = (e: MessageEvent) => resolve(e.data);
        });
        local.send('through the relay');
        assert.equal(await got, 'through the relay');
        assert.ok(types.length >= 2);
        assert.ok(
          types.every((x) => x === `relay/${transport}`),
          types.join(),
        );
        const pair = a.sctp!.transport.iceTransport.getSelectedCandidatePair()!;
        assert.equal(pair.local.type, 'relay');
        assert.equal(pair.remote.type, 'relay');
        const stats = [...(await a.getStats()).values()] as unknown as Record<string, unknown>[];
        const relayed = stats.filter(
          (x) => x.type === 'local-candidate' && x.candidateType === 'relay',
        );
        assert.ok(relayed.length > 0);
        for (const x of relayed) {
          assert.equal(x.relayProtocol, transport);
          assert.equal(x.url, configuration.iceServers[0]!.urls);
        }
      },
    );
  }
});
