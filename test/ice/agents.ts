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
  pa.ice.setRemoteParameters(pb.ice.agent.localParameters);
  pb.ice.setRemoteParameters(pa.ice.agent.localParameters);
  await Promise.all([pa.ice.gather(), pb.ice.gather()]);
  await until(
    'both connected',
    () => connected(pa.ice.agent.state) && connected(pb.ice.agent.state),
    timeout,
  );
  return [pa, pb];
}

function connected(state: IceTransportState): boolean {
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
