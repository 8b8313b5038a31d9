/**
 * Our RTCPeerConnection and Chromium's connecting through a TURN server, observed through
 * the W3C API on both sides: the candidates each signalled, the selected pair in each
 * side's getStats() once ICE settled, a message each way on a data channel, and the time
 * from creating the connections to the channel open on both sides. Used in this process by
 * chromium-turn.test.ts and in a child process by chromium-turn-tls.test.ts.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import type { RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import { needsPeer } from '../support/peers.js';
import { needsCoturn } from '../turn/coturn.js';
import {
  type ChromiumPeer,
  Link,
  once,
  received,
  type StatsList,
  statsOf,
} from './chromium-peer.js';

type Stats = Record<string, unknown>;

/** One side's view: its signalled candidates (a=candidate values) and its selected pair. */
export interface RelaySideView {
  candidates: string[];
  pair: Stats;
  local: Stats;
  remote: Stats;
}

export interface ChromiumRelayRun {
  /** From creating the connections to the channel open on both sides, ms. */
  connectMs: number;
  ours: RelaySideView;
  chromium: RelaySideView;
  /** What each side received. */
  atChromium: string;
  atNode: string;
}

/** The selected pair of a report, or undefined. */
function selectedOf(list: StatsList): Omit<RelaySideView, 'candidates'> | undefined {
  const byId = (id: unknown) => list.find((s) => s.id === id);
  const transport = list.find((s) => s.type === 'transport');
  const pair = byId(transport?.selectedCandidatePairId);
  const local = byId(pair?.localCandidateId);
  const remote = byId(pair?.remoteCandidateId);
  return pair && local && remote ? { pair, local, remote } : undefined;
}

const at = (c: Stats) => `${c.address}:${c.port}`;

/**
 * One connection, our side offering a channel; closed when it settles. The run waits for
 * ICE to settle: our pair nominated (we are controlling) and Chromium on the same pair.
 */
export async function chromiumRelayRun(
  peer: ChromiumPeer,
  node: RTCConfiguration,
  page: Record<string, unknown>,
): Promise<ChromiumRelayRun> {
  const cleanups: (() => void)[] = [];
  const t = { after: (fn: () => void) => cleanups.push(fn) } as unknown as TestContext;
  const started = performance.now();
  try {
    const link = await Link.create(t, peer, { node, page });
    const ours: string[] = [];
    link.node.addEventListener('icecandidate', (e) => {
      const c = (e as RTCPeerConnectionIceEvent).candidate;
      if (c?.candidate) ours.push(c.candidate);
    });
    const channel = link.node.createDataChannel('relayed');
    const opened = once(channel, 'open');
    const announced = peer.waitFor(
      (e) => e.pc === link.page && e.event === 'datachannel',
      'the datachannel event',
    );
    await link.negotiate('node');
    await opened;
    const ch = (await announced).ch as number;
    await peer.channelEvent(ch, 'open');
    const connectMs = performance.now() - started;

    channel.send('from node');
    const [atChromium] = await peer.messages(ch, 1);
    const got = received<string>(channel, 1);
    await peer.call('send', ch, 'from chromium');
    const [atNode] = await got;

    // Settled: our selected pair nominated, and Chromium's the same pair seen from its side,
    // nominated there too (its getStats() may answer from a cache a few ms old).
    const end = performance.now() + 5000;
    for (;;) {
      const o = selectedOf(await statsOf(link.node));
      const c = selectedOf(await peer.call<StatsList>('stats', link.page));
      if (
        o?.pair.nominated &&
        o.pair.state === 'succeeded' &&
        c?.pair.nominated &&
        at(o.local) === at(c.remote) &&
        at(o.remote) === at(c.local)
      ) {
        const theirs = peer.events
          .filter((e) => e.pc === link.page && e.event === 'icecandidate')
          .map((e) => (e.candidate as { candidate?: string } | null)?.candidate)
          .filter((x): x is string => Boolean(x));
        if (link.errors.length > 0) throw new Error(`signaling: ${link.errors.join('; ')}`);
        return {
          connectMs,
          ours: { candidates: ours, ...o },
          chromium: { candidates: theirs, ...c },
          atChromium: atChromium!.text!,
          atNode: atNode!,
        };
      }
      if (performance.now() > end)
        throw new Error(`no common nominated pair after 5 s: ours ${JSON.stringify(o)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    for (const fn of cleanups) fn();
  }
}

/**
 * coturn flags for a relay port range of a hundred ports, away from the ranges other tests'
 * coturns take (40000-59999) and from the ephemeral ports: a connection with Chromium takes
 * three allocations, and coturn frees a released one only on its next one-second tick.
 */
export function wideRelayRange(): string[] {
  const min = 61_000 + Math.floor(Math.random() * 45) * 100;
  return ['--min-port', String(min), '--max-port', String(min + 99)];
}

/** Checks one run: relayed candidates and pairs as configured, data both ways. */
export function checkRun(
  run: ChromiumRelayRun,
  ours: { relayProtocol: string; url: string },
  chromium: { relayProtocol: string; url: string } | undefined,
): void {
  assert.equal(run.atChromium, 'from node');
  assert.equal(run.atNode, 'from chromium');
  assert.ok(run.ours.candidates.length > 0);
  for (const c of run.ours.candidates) assert.match(c, / typ relay raddr 0\.0\.0\.0 rport 0/);
  assert.equal(run.ours.local.candidateType, 'relay');
  assert.equal(run.ours.local.relayProtocol, ours.relayProtocol);
  assert.equal(run.ours.local.url, ours.url);
  assert.equal(run.chromium.remote.candidateType, 'relay');
  assert.equal(run.chromium.pair.nominated, true);
  if (chromium) {
    assert.ok(run.chromium.candidates.length > 0);
    for (const c of run.chromium.candidates) assert.match(c, / typ relay /);
    assert.equal(run.ours.remote.candidateType, 'relay');
    assert.equal(run.chromium.local.candidateType, 'relay');
    assert.equal(run.chromium.local.relayProtocol, chromium.relayProtocol);
    assert.equal(run.chromium.local.url, chromium.url);
  }
}

/** Test options for a test that needs Chromium and coturn. */
export function needsChromiumAndCoturn(): { skip?: string } {
  const chromium = needsPeer('chromium', 'chromium');
  return chromium.skip ? chromium : needsCoturn();
}
