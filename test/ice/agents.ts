/** Two of our ICE agents on real sockets, trickling candidates to each other in-process. */
import type { IceCandidateError, IceTransportState } from '../../src/ice/agent.js';
import type { Candidate } from '../../src/ice/candidate.js';
import { UdpIceAgent, type UdpIceAgentOptions } from '../../src/ice/udp-agent.js';

export interface Peer {
  ice: UdpIceAgent;
  /** Data received (copies). */
  data: string[];
  states: IceTransportState[];
  candidates: Candidate[];
  errors: IceCandidateError[];
  gathered: Promise<void>;
}

export function peer(options: UdpIceAgentOptions, signal: (c: Candidate) => void): Peer {
  let done: () => void = () => {};
  const p: Peer = {
    ice: undefined as unknown as UdpIceAgent,
    data: [],
    states: [],
    candidates: [],
    errors: [],
    gathered: new Promise<void>((resolve) => {
      done = resolve;
    }),
  };
  p.ice = new UdpIceAgent({
    ...options,
    onLocalCandidate: (c) => {
      p.candidates.push(c);
      signal(c);
    },
    onGatheringStateChange: (s) => s === 'complete' && done(),
    onStateChange: (s) => p.states.push(s),
    onCandidateError: (e) => p.errors.push(e),
    onData: (d) => p.data.push(d.toString()),
  });
  return p;
}

/** Two agents (a controlling) trickling candidates to each other; resolves once both are connected. */
export async function connect(
  a: UdpIceAgentOptions,
  b: UdpIceAgentOptions,
  timeout = 10_000,
): Promise<[Peer, Peer]> {
  const pa: Peer = peer({ role: 'controlling', ...a }, (c) => pb.ice.addRemoteCandidate(c));
  const pb: Peer = peer({ role: 'controlled', ...b }, (c) => pa.ice.addRemoteCandidate(c));
  await exchangeAndGather(pa, pb);
  await until('both connected', () => connected(pa) && connected(pb), timeout);
  return [pa, pb];
}

/** Gives each agent the other's credentials and gathers on both (new, or after a restart). */
export async function exchangeAndGather(a: Peer, b: Peer): Promise<void> {
  a.ice.setRemoteParameters(b.ice.agent.localParameters);
  b.ice.setRemoteParameters(a.ice.agent.localParameters);
  await Promise.all([a.ice.gather(), b.ice.gather()]);
}

/** Closes the agents when the test ends. */
export function closeAfter(t: { after(fn: () => void): void }, ...peers: Peer[]): void {
  t.after(() => {
    for (const p of peers) p.ice.close();
  });
}

export function connected(p: Peer): boolean {
  const state = p.ice.agent.state;
  return state === 'connected' || state === 'completed';
}

export async function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A DTLS-looking datagram (first byte 23) carrying `text`, which the agents pass as data. */
export function datagram(text: string): Buffer {
  return Buffer.concat([Buffer.of(23), Buffer.from(text)]);
}
