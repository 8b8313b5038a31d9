/**
 * The base of a local candidate (RFC 8445 §4): where the agent's packets for a pair leave
 * from. A UDP socket for host candidates (and the reflexive ones built on them); a TURN
 * allocation for a relayed candidate, whose send() wraps the data for the server; later a
 * TCP listener or connection (RFC 6544). The agent only ever calls send(), and takes
 * whatever arrives through it via IceAgent.handlePacket(base, ...).
 */
import type { CandidateProtocol, TcpType } from './candidate.js';

export interface CandidateBase {
  /** The base's transport address: a host address, or the relayed address of an allocation. */
  readonly address: string;
  readonly port: number;
  /** The candidate's transport towards the peer ('udp' for a UDP socket and for a TURN relay). */
  readonly protocol: CandidateProtocol;
  readonly tcpType?: TcpType;
  /**
   * The mDNS name (`<uuid>.local`) a host candidate on this base is signalled with instead
   * of its address (draft-ietf-mmusic-mdns-ice-candidates); the address is never exposed.
   */
  readonly name?: string;
  /** Sends one datagram (or framed message) to a remote transport address. Must not throw. */
  send(data: Uint8Array, address: string, port: number): void;
}
