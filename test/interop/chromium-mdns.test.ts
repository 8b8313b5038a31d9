/**
 * Chromium hiding its host addresses behind `<uuid>.local` names (its default, without the
 * media permission: openChromium({ mdns: true })) connecting to our RTCPeerConnection.
 *
 * First Chromium offers. We resolve its names by multicast DNS (src/net/mdns.ts), which
 * takes a second or two: Chromium's responder answers once a second. Its checks reach us
 * first, so the pair starts with a peer-reflexive remote candidate (reported), which the
 * resolved host candidate then replaces (RFC 8445 §7.3.1.3); every name resolves, one of
 * them to the address the peer-reflexive candidate had.
 *
 * Then we offer to the same browser, whose names stay the same for its session: they are
 * cached from the first answers, so the remote candidate is the resolved host candidate
 * from the start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acquireMdns } from '../../src/net/mdns.js';
import { needsPeer } from '../support/peers.js';
import {
  ChromiumPeer,
  type Link,
  openChannelPair,
  received,
  type StatsList,
  statsOf,
} from './chromium-peer.js';

type Stats = Record<string, unknown>;

/** Our selected pair's remote candidate in getStats(). */
async function selectedRemote(link: Link): Promise<Stats> {
  const list = await statsOf(link.node);
  const byId = (id: unknown) => list.find((s) => s.id === id);
  const transport = list.find((s) => s.type === 'transport');
  return byId(byId(transport?.selectedCandidatePairId)?.remoteCandidateId)!;
}

const remoteCandidates = (list: StatsList) => list.filter((s) => s.type === 'remote-candidate');

test('Chromium with mDNS host candidates', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open({ mdns: true });
  t.after(() => peer.close());
  const mdns = acquireMdns();
  t.after(() => mdns.release());

  for (const offerer of ['chromium', 'node'] as const) {
    await t.test(`${offerer} offers: the .local names resolve, data flows`, async (t) => {
      const { link, channel, ch } = await openChannelPair(t, peer, { offerer });
      const first = await selectedRemote(link);
      t.diagnostic(
        `remote candidate at open: ${first.candidateType} ${first.address}:${first.port}`,
      );
      // Resolving takes a second or more the first time; once cached, it is at once.
      if (offerer === 'chromium')
        assert.ok(['prflx', 'host'].includes(first.candidateType as string));
      else assert.equal(first.candidateType, 'host');

      // Chromium signals only .local names for its host candidates.
      const signalled = peer.events
        .filter((e) => e.pc === link.page && e.event === 'icecandidate' && e.candidate)
        .map((e) => (e.candidate as { candidate: string }).candidate)
        .filter((c) => / typ host /.test(c));
      assert.ok(signalled.length > 0);
      const names = signalled.map((c) => c.split(' ')[4]!);
      const ports = signalled.map((c) => Number(c.split(' ')[5]));
      for (const name of names) assert.match(name, /^[0-9a-f-]{36}\.local$/);

      // Each name resolves; the selected pair's remote port is one Chromium signalled.
      const started = performance.now();
      const addresses = await Promise.all(names.map((n) => mdns.resolve(n, 5000)));
      t.diagnostic(
        `resolved ${names.length} names in ${(performance.now() - started).toFixed(0)} ms: ${addresses.join(' ')}`,
      );
      for (const [i, address] of addresses.entries())
        assert.ok(address !== undefined, `${names[i]} resolved`);
      assert.ok(ports.includes(first.port as number));

      // Our agent resolves them too: the remote candidates become host candidates on those
      // ports, and the selected pair's remote candidate is one of them. The stats never show
      // the addresses behind the names: the application gave only the names.
      const end = performance.now() + 6000;
      for (;;) {
        const list = remoteCandidates(await statsOf(link.node));
        for (const c of list) assert.equal(c.address, null);
        const hosts = list.filter((s) => s.candidateType === 'host').map((s) => s.port);
        const remote = await selectedRemote(link);
        if (
          ports.every((p) => hosts.includes(p)) &&
          remote.candidateType === 'host' &&
          ports.includes(remote.port as number)
        )
          break;
        if (performance.now() > end)
          assert.fail(`not resolved in our agent: ${JSON.stringify(list)}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      channel.send('to chromium');
      assert.equal((await peer.messages(ch, 1))[0]!.text, 'to chromium');
      const got = received<string>(channel, 1);
      await peer.call('send', ch, 'to node');
      assert.deepEqual(await got, ['to node']);
      assert.deepEqual(link.errors, []);
    });
  }
});
