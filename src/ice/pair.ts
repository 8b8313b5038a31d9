/** Local candidates with their bases, and candidate pairs (RFC 8445 §6.1.2, W3C webrtc-stats). */
import type { CandidateBase } from './base.js';
import type { Candidate } from './candidate.js';
import { pairPriority } from './priority.js';

export interface LocalCandidate {
  /** What is signalled to the peer (and, for prflx, only known locally). */
  readonly candidate: Candidate;
  readonly base: CandidateBase;
  /** The local preference of the base, shared by the candidates built on it. */
  readonly localPreference: number;
}

/** W3C RTCStatsIceCandidatePairState, the RFC 8445 §6.1.2.6 pair states. */
export type PairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed';

/** The short-term credentials a pair's checks used: its generation's (RFC 8445 §9). */
export interface PairCredentials {
  localUfrag: string;
  /** Our password as an HMAC key: the peer's requests are checked and our responses signed with it. */
  localKey: Buffer;
  remoteUfrag: string;
  /** The peer's password as an HMAC key: requests are signed with it, responses checked. */
  remoteKey: Buffer;
}

export class CandidatePair {
  state: PairState = 'frozen';
  priority: bigint;
  /** In the valid list (RFC 8445 §7.2.5.3.2). */
  valid = false;
  /** The nominated flag (§7.2.5.3.4, §7.3.1.5). */
  nominated = false;
  /** Controlling: the next check of this pair carries USE-CANDIDATE (§8.1.1). */
  nominating = false;
  /** Controlled: the peer nominated this pair; its check's success sets the flag (§7.3.1.5). */
  nominateOnSuccess = false;
  /** In the triggered-check queue. */
  queued = false;
  /** The check in flight, if any. */
  transactionId: Buffer | undefined;
  /** For a valid pair, the pair whose check produced it (itself unless the mapped address differed). */
  checkedPair: CandidatePair = this;
  credentials: PairCredentials | undefined;

  // RTCIceCandidatePairStats counters. Packet and byte counts are of data, not STUN.
  packetsSent = 0;
  packetsReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  requestsSent = 0;
  requestsReceived = 0;
  responsesSent = 0;
  responsesReceived = 0;
  consentRequestsSent = 0;
  /** Seconds, as webrtc-stats reports them. */
  currentRoundTripTime: number | undefined;
  totalRoundTripTime = 0;
  lastPacketSentTimestamp: number | undefined;
  lastPacketReceivedTimestamp: number | undefined;

  constructor(
    readonly local: LocalCandidate,
    readonly remote: Candidate,
    controlling: boolean,
  ) {
    this.priority = 0n;
    this.updatePriority(controlling);
  }

  /** Local foundation and remote foundation (RFC 8445 §6.1.2.6). */
  get foundation(): string {
    return `${this.local.candidate.foundation}:${this.remote.foundation}`;
  }

  /** §6.1.2.3; recomputed when the role changes. */
  updatePriority(controlling: boolean): void {
    const local = this.local.candidate.priority;
    const remote = this.remote.priority;
    this.priority = controlling ? pairPriority(local, remote) : pairPriority(remote, local);
  }
}
