/**
 * ICE restart against headless Chromium, started by either side: new credentials on both
 * sides, the channel stays open, and a stream of messages sent across the restart arrives
 * whole and in order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsPeer } from '../support/peers.js';
import {
  ChromiumPeer,
  type Link,
  openChannelPair,
  received,
  type Side,
  type StatsList,
  statsOf,
} from './chromium-peer.js';

const ufrag = (sdp: string) => /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];

async function ourTransport(link: Link): Promise<Record<string, unknown>> {
  return (await statsOf(link.node)).find((s) => s.type === 'transport')!;
}

/** The port of our selected pair's local candidate. */
async function ourSelectedPort(link: Link): Promise<unknown> {
  const list = await statsOf(link.node);
  const byId = (id: unknown) => list.find((s) => s.id === id);
  const transport = list.find((s) => s.type === 'transport');
  return byId(byId(transport?.selectedCandidatePairId)?.localCandidateId)?.port;
}

/** Both sides' candidate pairs, for a failure message: "local > remote state [nominated]". */
async function pairStates(peer: ChromiumPeer, link: Link): Promise<string> {
  const describe = (list: StatsList) => {
    const byId = (id: unknown) => list.find((s) => s.id === id);
    const selected = list.find((s) => s.type === 'transport')?.selectedCandidatePairId;
    return list
      .filter((s) => s.type === 'candidate-pair')
      .map((p) => {
        const [l, r] = [byId(p.localCandidateId), byId(p.remoteCandidateId)];
        const mark = p.id === selected ? '*' : '';
        return `${mark}${l?.address}:${l?.port}>${r?.address}:${r?.port} ${p.state}${p.nominated ? ' N' : ''}`;
      })
      .join(', ');
  };
  const theirs = await peer.call<StatsList>('stats', link.page);
  return `ours: ${describe(await statsOf(link.node))}; Chromium's: ${describe(theirs)}`;
}

test('Chromium: ICE restart', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());

  for (const side of ['node', 'chromium'] as const satisfies Side[]) {
    await t.test(`${side} restarts ICE; the channel stays open and data flows`, async (t) => {
      const { link, channel, ch } = await openChannelPair(t, peer, { offerer: side });
      const before = {
        local: ufrag(link.node.localDescription!.sdp),
        remote: ufrag(link.node.remoteDescription!.sdp),
      };
      const changes = (await ourTransport(link)).selectedCandidatePairChanges as number;
      const oldPort = await ourSelectedPort(link);
      const closings: string[] = [];
      channel.addEventListener('closing', () => closings.push('closing'));
      channel.addEventListener('close', () => closings.push('close'));

      // A message every few milliseconds each way, across the restart.
      const count = 60;
      const here = received<string>(channel, count, 15_000);
      const sending = (async () => {
        for (let i = 0; i < count; i++) {
          channel.send(`n${i}`);
          await peer.call('send', ch, `c${i}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      await new Promise((r) => setTimeout(r, 50));
      if (side === 'node') link.node.restartIce();
      else await peer.call('restartIce', link.page);
      await link.negotiate(side);
      await sending;

      const after = {
        local: ufrag(link.node.localDescription!.sdp),
        remote: ufrag(link.node.remoteDescription!.sdp),
      };
      assert.notEqual(after.local, before.local, 'new local credentials');
      assert.notEqual(after.remote, before.remote, 'new remote credentials');
      assert.deepEqual(
        await here,
        Array.from({ length: count }, (_, i) => `c${i}`),
      );
      const there = await peer.messages(ch, count, 15_000);
      assert.deepEqual(
        there.map((m) => m.text),
        Array.from({ length: count }, (_, i) => `n${i}`),
      );
      // The new generation carries the data: a message after the restart, and our transport
      // reports the new credentials.
      const late = received<string>(channel, 1);
      await peer.call('send', ch, 'after');
      assert.deepEqual(await late, ['after']);
      assert.equal(channel.readyState, 'open');
      assert.equal(await peer.call('readyState', ch), 'open');
      assert.deepEqual(closings, []);
      assert.equal(link.node.connectionState, 'connected');
      assert.deepEqual(link.errors, []);

      // Before our answer comes, Chromium pairs its new candidates with our previous ones
      // and keeps our old credentials on those connections; our new generation is on new
      // ports, so it gets connections of its own and is nominated.
      await t.test('a pair of the new generation carries the data', async () => {
        let transport = await ourTransport(link);
        const end = performance.now() + 3000;
        while ((transport.selectedCandidatePairChanges as number) === changes) {
          if (performance.now() > end) {
            assert.fail(
              `no pair of the new generation selected after 3 s: ${await pairStates(peer, link)}`,
            );
          }
          await new Promise((r) => setTimeout(r, 20));
          transport = await ourTransport(link);
        }
        assert.equal(transport.iceLocalUsernameFragment, after.local);
        assert.notEqual(await ourSelectedPort(link), oldPort, 'a socket of the new generation');
        const late = received<string>(channel, 1);
        await peer.call('send', ch, 'on the new pair');
        assert.deepEqual(await late, ['on the new pair']);
        t.diagnostic(`ours: ${link.nodeLog.join(' ')}`);
        t.diagnostic(`Chromium: ${link.pageLog().join(' ')}`);
      });
    });
  }
});
