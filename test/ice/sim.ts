/** Two (or more) ICE agents on the simulated network, with a tiny STUN server. */
import assert from 'node:assert/strict';
import { IceAgent, type IceAgentOptions, type IceTransportState } from '../../src/ice/agent.js';
import type { CandidateBase } from '../../src/ice/base.js';
import type { Candidate } from '../../src/ice/candidate.js';
import {
  decodeStunMessage,
  Method,
  StunMessage,
  StunWriter,
  XorMappedAddress,
} from '../../src/stun/index.js';
import type { SimNetwork, SimSocket } from '../support/simnet.js';

export class SimBase implements CandidateBase {
  readonly protocol = 'udp';
  readonly socket: SimSocket;
  constructor(
    net: SimNetwork,
    address: string,
    onPacket: (base: SimBase, data: Buffer, address: string, port: number) => void,
    port = 0,
  ) {
    this.socket = net.bind({ address, port }, (data, from) =>
      onPacket(this, data, from.address, from.port),
    );
  }
  get address(): string {
    return this.socket.local.address;
  }
  get port(): number {
    return this.socket.local.port;
  }
  send(data: Uint8Array, address: string, port: number): void {
    this.socket.send(data, { address, port });
  }
}

export interface SimPeer {
  agent: IceAgent;
  bases: SimBase[];
  states: IceTransportState[];
  /** Simulated time of each state change. */
  stateTimes: [IceTransportState, number][];
  gathered: Candidate[];
  data: string[];
  /** Where gathered candidates and the end of gathering go (the signalling channel). */
  signal: ((candidate: Candidate | null) => void) | undefined;
}

/** An agent with a base on each address, registered with the network's clock. */
export function simPeer(
  net: SimNetwork,
  addresses: string[],
  options: IceAgentOptions = {},
): SimPeer {
  const peer: SimPeer = {
    agent: undefined as unknown as IceAgent,
    bases: [],
    states: [],
    stateTimes: [],
    gathered: [],
    data: [],
    signal: undefined,
  };
  peer.agent = new IceAgent({
    random: seeded(addresses.join()),
    ...options,
    onStateChange: (state) => {
      peer.states.push(state);
      peer.stateTimes.push([state, net.now]);
      options.onStateChange?.(state);
    },
    onLocalCandidate: (candidate) => {
      peer.gathered.push(candidate);
      peer.signal?.(candidate);
      options.onLocalCandidate?.(candidate);
    },
    onGatheringStateChange: (state) => {
      if (state === 'complete') peer.signal?.(null);
      options.onGatheringStateChange?.(state);
    },
    onData: (data, address, port) => {
      peer.data.push(data.toString('latin1', 1));
      options.onData?.(data, address, port);
    },
  });
  for (const address of addresses)
    peer.bases.push(
      new SimBase(net, address, (base, data, from, port) =>
        peer.agent.handlePacket(base, data, from, port, net.now),
      ),
    );
  net.addTimed(peer.agent);
  return peer;
}

/** Signalling from `from` to `to`: credentials, candidates so far, then each new one and the end. */
export function signal(net: SimNetwork, from: SimPeer, to: SimPeer, endOfCandidates = true): void {
  to.agent.setRemoteParameters(from.agent.localParameters, net.now);
  for (const candidate of from.gathered) to.agent.addRemoteCandidate(candidate, net.now);
  if (endOfCandidates && from.agent.gatheringState === 'complete')
    to.agent.endOfRemoteCandidates(net.now);
  from.signal = (candidate) => {
    if (candidate) to.agent.addRemoteCandidate(candidate, net.now);
    else if (endOfCandidates) to.agent.endOfRemoteCandidates(net.now);
  };
}

/** Both ways. */
export function connect(net: SimNetwork, a: SimPeer, b: SimPeer, endOfCandidates = true): void {
  signal(net, a, b, endOfCandidates);
  signal(net, b, a, endOfCandidates);
}

/** A STUN server answering Binding requests with the source address (RFC 8489 §6.3.1). */
export function stunServer(
  net: SimNetwork,
  address: string,
  port = 3478,
  answer = true,
): { requests: number } {
  const stats = { requests: 0 };
  const socket = net.bind({ address, port }, (data, from) => {
    const request = decodeStunMessage(data);
    if (
      !(request instanceof StunMessage) ||
      request.messageClass !== 'request' ||
      request.method !== Method.Binding
    )
      return;
    stats.requests++;
    if (!answer) return;
    socket.send(
      new StunWriter(Method.Binding, 'success', request.transactionId)
        .add(XorMappedAddress, from)
        .addFingerprint()
        .finish(),
      from,
    );
  });
  return stats;
}

/** A seeded random source per peer, so runs replay. */
export function seeded(text: string): () => number {
  let s = 2166136261;
  for (const c of text) s = Math.imul(s ^ c.charCodeAt(0), 16777619) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gatherAll(net: SimNetwork, ...peers: SimPeer[]): void {
  for (const peer of peers) peer.agent.gather(peer.bases, net.now);
}

/** Two peers on `net` (a at 10.0.0.1 controlling, b at 10.0.0.2) run until both completed. */
export function completedPair(net: SimNetwork): { a: SimPeer; b: SimPeer } {
  const a = simPeer(net, ['10.0.0.1'], { role: 'controlling' });
  const b = simPeer(net, ['10.0.0.2'], { role: 'controlled' });
  gatherAll(net, a, b);
  connect(net, a, b);
  assert.ok(
    net.run({ until: () => a.agent.state === 'completed' && b.agent.state === 'completed' }),
  );
  return { a, b };
}

/** A DTLS-looking datagram (first byte 23) carrying `text`. */
export function datagram(text: string): Buffer {
  return Buffer.concat([Buffer.from([23]), Buffer.from(text, 'latin1')]);
}

/** Sends `text` from one peer and reports whether the other got it within `timeout` ms. */
export function exchange(
  net: SimNetwork,
  from: SimPeer,
  to: SimPeer,
  text: string,
  timeout = 2000,
): boolean {
  if (!from.agent.send(datagram(text), net.now)) return false;
  net.run({ until: () => to.data.includes(text), timeout });
  return to.data.includes(text);
}
