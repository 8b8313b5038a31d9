/**
 * Two associations joined over the simulated network, for the deterministic tests: each
 * core's send callback goes straight into a SimSocket, with no DTLS in between.
 */
import {
  Association,
  type AssociationCallbacks,
  type CloseReason,
} from '../../src/sctp/association.js';
import type { AssociationOptions } from '../../src/sctp/options.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import { type LinkOptions, type SimAddress, SimNetwork } from '../support/simnet.js';

export interface Received {
  streamId: number;
  ppid: number;
  data: Buffer;
}

export interface Peer {
  assoc: Association;
  received: Received[];
  established: boolean;
  closed: CloseReason | undefined;
  incomingResets: number[][];
  outgoingResets: { streams: number[]; ok: boolean }[];
  /** Buffered-amount decreases reported, by stream. */
  released: Map<number, number>;
  /** Messages (as text) and incoming resets, in the order they were reported. */
  log: string[];
  /** Called on each incoming reset, e.g. to reset the same streams back (RFC 8831 §6.7). */
  onIncomingReset?: (streams: number[]) => void;
}

export const A: SimAddress = { address: '10.0.0.1', port: 5000 };
export const B: SimAddress = { address: '10.0.0.2', port: 5000 };

export function makePeer(
  net: SimNetwork,
  local: SimAddress,
  remote: SimAddress,
  options: AssociationOptions = {},
  extra: Partial<AssociationCallbacks> = {},
): Peer {
  const peer = {
    received: [] as Received[],
    established: false,
    closed: undefined as CloseReason | undefined,
    incomingResets: [] as number[][],
    outgoingResets: [] as { streams: number[]; ok: boolean }[],
    released: new Map<number, number>(),
    log: [] as string[],
  } as Peer;
  const socket = net.bind(local, (data) => peer.assoc.handlePacket(data, net.now));
  peer.assoc = new Association(options, {
    send: (p) => socket.send(p, remote),
    onEstablished: () => {
      peer.established = true;
    },
    onClosed: (r) => {
      peer.closed = r;
    },
    onMessage: (streamId, ppid, data) => {
      peer.received.push({ streamId, ppid, data: Buffer.from(data) });
      peer.log.push(`${streamId}:${data.length < 64 ? data.toString() : data.length}`);
    },
    onIncomingStreamsReset: (s) => {
      peer.incomingResets.push([...s]);
      peer.log.push(`reset ${s.join(',')}`);
      peer.onIncomingReset?.([...s]);
    },
    onOutgoingStreamsReset: (s, ok) => peer.outgoingResets.push({ streams: [...s], ok }),
    onBufferedAmountDecrease: (id, n) => peer.released.set(id, (peer.released.get(id) ?? 0) + n),
    ...extra,
  });
  net.addTimed(peer.assoc);
  return peer;
}

/** Two peers that both connect at once, as in WebRTC. */
export function connectedPair(
  link: LinkOptions & { seed?: number } = {},
  options: AssociationOptions = {},
  optionsB: AssociationOptions = options,
): { net: SimNetwork; a: Peer; b: Peer } {
  const net = new SimNetwork(link);
  const a = makePeer(net, A, B, options);
  const b = makePeer(net, B, A, optionsB);
  a.assoc.connect(net.now);
  b.assoc.connect(net.now);
  net.run({ until: () => a.established && b.established, timeout: 60_000 });
  return { net, a, b };
}

/** The chunk types in an SCTP packet, in order. */
export function chunkTypes(packet: Buffer): number[] {
  const r = new ChunkReader().reset(packet);
  const types: number[] = [];
  while (r.next()) types.push(r.type);
  return types;
}

/** The TSNs of the DATA chunks in an SCTP packet. */
export function dataTsns(packet: Buffer): number[] {
  const r = new ChunkReader().reset(packet);
  const tsns: number[] = [];
  while (r.next()) if (r.type === 0) tsns.push(r.value.readUInt32BE(0));
  return tsns;
}

/** Deterministic bytes for message `i` of `size` bytes, so that content can be checked. */
export function pattern(i: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < size; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[k] = x >>> 24;
  }
  return b;
}
