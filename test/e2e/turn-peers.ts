/**
 * Two of our RTCPeerConnections connecting through a TURN server, observed only through the
 * W3C API: what each signalled (icecandidate events and the final local description), the
 * selected pair in getStats() with its local and remote candidates, a message each way on a
 * data channel, and the time from the connections' creation to the channel open on both
 * sides. Used in this process by turn-relay.test.ts and in a child process (turn-tls.child.ts)
 * whose certificate trust comes from NODE_EXTRA_CA_CERTS.
 */
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import type {
  RTCDataChannelEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
} from '../../src/webrtc/events.js';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, until } from '../webrtc/pc-helpers.js';

/** An icecandidate event's candidate, as the fields a relay test looks at. */
export interface SignalledCandidate {
  type: string | null;
  protocol: string | null;
  address: string | null;
  relayProtocol: string | null;
  url: string | null;
  relatedAddress: string | null;
  relatedPort: number | null;
}

type Stats = Record<string, unknown>;

/** One side of a run. */
export interface RelaySide {
  candidates: SignalledCandidate[];
  /** The local description once ICE completed (gathering included). */
  sdp: string;
  /** getStats(): the selected candidate-pair and its local and remote candidates. */
  pair: Stats;
  local: Stats;
  remote: Stats;
  /** The message the other side sent. */
  received: string;
}

export interface RelayRun {
  /** From creating the connections to the channel open on both sides, ms. */
  connectMs: number;
  a: RelaySide;
  b: RelaySide;
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * One run with `configuration` on both sides; both connections are closed when it settles.
 * Each step is bounded: a run that cannot connect rejects, with the icecandidateerror
 * events seen.
 */
export async function relayRun(configuration: RTCConfiguration): Promise<RelayRun> {
  const started = performance.now();
  const a = new RTCPeerConnection(configuration);
  const b = new RTCPeerConnection(configuration);
  const errors: string[] = [];
  for (const p of [a, b]) {
    p.addEventListener('icecandidateerror', (e) => {
      const { errorCode, errorText, url } = e as RTCPeerConnectionIceErrorEvent;
      errors.push(`${url}: ${errorCode} ${errorText}`);
    });
  }
  try {
    const signalled: [SignalledCandidate[], SignalledCandidate[]] = [[], []];
    for (const [from, to, list] of [
      [a, b, signalled[0]],
      [b, a, signalled[1]],
    ] as const) {
      from.addEventListener('icecandidate', (e) => {
        const c = (e as RTCPeerConnectionIceEvent).candidate;
        if (c?.candidate) list.push(describe(c));
        to.addIceCandidate(c ?? undefined).catch(() => {});
      });
    }
    const channel = a.createDataChannel('relayed');
    const announced = once<RTCDataChannelEvent>(b, 'datachannel');
    await negotiate(a, b);
    const connected = (async () => {
      const other = (await announced).channel;
      await Promise.all([
        channel.readyState === 'open' ? undefined : once(channel, 'open'),
        other.readyState === 'open' ? undefined : once(other, 'open'),
      ]);
      return other;
    })();
    const other = await within(connected, `the channel open on both sides [${errors.join('; ')}]`);
    const connectMs = performance.now() - started;
    const toB = once<MessageEvent>(other, 'message');
    const toA = once<MessageEvent>(channel, 'message');
    channel.send('from a');
    other.send('from b');
    const [atB, atA] = await within(Promise.all([toB, toA]), 'a message each way');
    // Settled: the controlling side's nomination (a repeated check of the pair) is over.
    const completed = (p: RTCPeerConnection) =>
      until(p, 'iceconnectionstatechange', () => p.iceConnectionState, 'completed');
    await within(Promise.all([completed(a), completed(b)]), "ICE 'completed' on both sides");
    return {
      connectMs,
      a: { candidates: signalled[0], ...(await selected(a)), received: String(atA.data) },
      b: { candidates: signalled[1], ...(await selected(b)), received: String(atB.data) },
    };
  } finally {
    a.close();
    b.close();
  }
}

function describe(c: NonNullable<RTCPeerConnectionIceEvent['candidate']>): SignalledCandidate {
  return {
    type: c.type,
    protocol: c.protocol,
    address: c.address,
    relayProtocol: c.relayProtocol,
    url: c.url,
    relatedAddress: c.relatedAddress,
    relatedPort: c.relatedPort,
  };
}

async function selected(p: RTCPeerConnection): Promise<Omit<RelaySide, 'candidates' | 'received'>> {
  const list = [...(await p.getStats()).values()] as unknown as Stats[];
  const byId = (id: unknown) => list.find((s) => s.id === id);
  const transport = list.find((s) => s.type === 'transport');
  const pair = byId(transport?.selectedCandidatePairId);
  if (!pair) throw new Error('getStats() has no selected candidate pair');
  return {
    sdp: p.localDescription!.sdp,
    pair,
    local: byId(pair.localCandidateId)!,
    remote: byId(pair.remoteCandidateId)!,
  };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
