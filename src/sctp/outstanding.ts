/**
 * The sender's DATA chunks not yet covered by the peer's cumulative TSN ack, in TSN order
 * (consecutive, so a TSN maps to an index). SACK processing (RFC 9260 §6.2.1), miss
 * indications with HTNA for fast retransmit (§7.2.4), marking for retransmission on T3
 * expiry (§6.3.3), and the PR-SCTP abandonment and Advanced.Peer.Ack.Point (RFC 3758 §3.5).
 *
 * Two byte counts are kept for the chunks in flight: their size on the wire (DATA header
 * and padding included) for cwnd, and their payload for the peer's receiver window.
 */
import { DATA_HEADER_LENGTH, DataChunk } from './chunks/data.js';
import type { SkippedStream } from './chunks/forward-tsn.js';
import type { OutgoingMessage } from './send-queue.js';
import { ssnLt, tsnAdd, tsnDiff, tsnLt, tsnLte } from './serial.js';
import { padded } from './tlv.js';

export class SentChunk extends DataChunk {
  sentAt = 0;
  transmissions = 1;
  /** Covered by a gap ack block of the latest SACK. */
  acked = false;
  missIndications = 0;
  /** Fast retransmitted once already, so not again (§7.2.4 step 5). */
  fastRetransmitted = false;
  /** Waiting to be retransmitted. */
  retransmit = false;
  abandoned = false;
  /** Counted in the flight size: sent and neither acked, abandoned nor deemed lost. */
  inFlight = false;

  constructor(
    tsn: number,
    streamId: number,
    ssn: number,
    ppid: number,
    payload: Buffer,
    flags: number,
    readonly message: OutgoingMessage,
  ) {
    super(tsn, streamId, ssn, ppid, payload, flags);
  }

  /** Bytes on the wire, as counted against cwnd. */
  get size(): number {
    return padded(4 + DATA_HEADER_LENGTH + this.payload.length);
  }
}

/** What one SACK did, for congestion control and timers. */
export interface SackOutcome {
  cumulativeAdvanced: boolean;
  /** Wire bytes of chunks newly acknowledged, cumulatively or by gap blocks. */
  bytesAcked: number;
  /** A round-trip sample from a newly acknowledged chunk sent only once (Karn's rule). */
  rttSample: number | undefined;
  /** Chunks newly marked for fast retransmit by their third miss indication. */
  fastRetransmit: boolean;
  /** Chunks acknowledged before that this SACK no longer covers. */
  reneged: boolean;
}

export class Outstanding {
  #chunks: (SentChunk | undefined)[] = [];
  #head = 0;
  /** TSN of the chunk at #head: the cumulative TSN ack point plus one. */
  #headTsn: number;
  /** The peer's cumulative TSN ack as last seen. */
  cumulativeTsnAck: number;
  flightSize = 0;
  flightPayload = 0;
  #gapAcked = 0;
  /** Chunks marked for retransmission. */
  #marked = 0;
  readonly #outcome: SackOutcome = {
    cumulativeAdvanced: false,
    bytesAcked: 0,
    rttSample: undefined,
    fastRetransmit: false,
    reneged: false,
  };

  constructor(initialTsn: number) {
    this.#headTsn = initialTsn;
    this.cumulativeTsnAck = tsnAdd(initialTsn, -1);
  }

  /** Chunks not covered by the cumulative ack. */
  get length(): number {
    return this.#chunks.length - this.#head;
  }

  /** The TSN the next new chunk takes. */
  get nextTsn(): number {
    return tsnAdd(this.#headTsn, this.length);
  }

  /** Whether any chunk waits to be retransmitted. */
  get hasRetransmissions(): boolean {
    return this.#marked > 0;
  }

  /** Whether anything sent still awaits acknowledgement (abandoned chunks excepted). */
  get awaitingAck(): boolean {
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const c = this.#chunks[i]!;
      if (!c.acked && !c.abandoned) return true;
    }
    return false;
  }

  push(chunk: SentChunk): void {
    this.#chunks.push(chunk);
    this.#addFlight(chunk);
  }

  /** The chunks in TSN order (for retransmission and abandonment scans). */
  *[Symbol.iterator](): IterableIterator<SentChunk> {
    for (let i = this.#head; i < this.#chunks.length; i++) yield this.#chunks[i]!;
  }

  /**
   * Processes a SACK's cumulative TSN ack and gap ack blocks (offset pairs). Returns
   * undefined for a SACK older than the last one, or 'violation' when it acknowledges a
   * TSN never sent.
   */
  handleSack(
    cumTsnAck: number,
    gaps: readonly number[],
    now: number,
    inFastRecovery: boolean,
  ): SackOutcome | 'violation' | undefined {
    if (tsnLt(cumTsnAck, this.cumulativeTsnAck)) return undefined;
    if (!tsnLt(cumTsnAck, this.nextTsn)) return 'violation';
    const out = this.#outcome;
    out.cumulativeAdvanced = cumTsnAck !== this.cumulativeTsnAck;
    out.bytesAcked = 0;
    out.rttSample = undefined;
    out.fastRetransmit = false;
    out.reneged = false;

    // The cumulative ack: everything up to it leaves the queue.
    const chunks = this.#chunks;
    while (this.#head < chunks.length && tsnLte(this.#headTsn, cumTsnAck)) {
      const c = chunks[this.#head]!;
      if (c.acked) this.#gapAcked--;
      else this.#newlyAcked(c, now);
      chunks[this.#head++] = undefined;
      this.#headTsn = tsnAdd(this.#headTsn, 1);
    }
    this.cumulativeTsnAck = cumTsnAck;
    if (this.#head === chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head >= 4096 && this.#head * 2 >= chunks.length) {
      this.#chunks.splice(0, this.#head);
      this.#head = 0;
    }

    // Gap ack blocks, walking chunks and blocks together; chunks acked before but not
    // covered now were reneged (§6.2.1) and count as in flight again.
    const nBlocks = gaps.length / 2;
    let highestNewlyAcked = cumTsnAck;
    let highestGapAcked = cumTsnAck;
    if (nBlocks > 0 || this.#gapAcked > 0) {
      let b = 0;
      let ackedAhead = this.#gapAcked;
      for (let i = this.#head; i < this.#chunks.length; i++) {
        const c = this.#chunks[i]!;
        const wasAcked = c.acked;
        if (wasAcked) ackedAhead--;
        const off = tsnDiff(c.tsn, cumTsnAck);
        while (b < nBlocks && gaps[2 * b + 1]! < off) b++;
        if (b < nBlocks && off >= gaps[2 * b]!) {
          highestGapAcked = c.tsn;
          if (!wasAcked) {
            c.acked = true;
            this.#gapAcked++;
            highestNewlyAcked = c.tsn;
            this.#newlyAcked(c, now);
          }
        } else if (wasAcked) {
          c.acked = false;
          this.#gapAcked--;
          c.missIndications = 0;
          if (!c.abandoned) this.#addFlight(c);
          out.reneged = true;
        } else if (b >= nBlocks && ackedAhead === 0) break;
      }
    }

    // Miss indications (HTNA): only below the highest newly acked TSN, or, in fast
    // recovery when the cumulative ack advanced, below the highest TSN acked at all.
    const limit = inFastRecovery && out.cumulativeAdvanced ? highestGapAcked : highestNewlyAcked;
    if (limit !== cumTsnAck) {
      for (let i = this.#head; i < this.#chunks.length; i++) {
        const c = this.#chunks[i]!;
        if (!tsnLt(c.tsn, limit)) break;
        if (c.acked || c.abandoned || c.retransmit) continue;
        if (++c.missIndications >= 3 && !c.fastRetransmitted) {
          c.fastRetransmitted = true;
          this.markForRetransmission(c);
          out.fastRetransmit = true;
        }
      }
    }
    return out;
  }

  /** T3-rtx expired (§6.3.3 E3): every chunk still awaiting acknowledgement is to be resent. */
  markAllForRetransmission(): void {
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const c = this.#chunks[i]!;
      if (!c.acked && !c.abandoned) this.markForRetransmission(c);
    }
  }

  markForRetransmission(c: SentChunk): void {
    if (!c.retransmit) this.#marked++;
    c.retransmit = true;
    this.#removeFlight(c);
  }

  /** The chunk is on the wire again. */
  retransmitted(c: SentChunk, now: number): void {
    this.#unmark(c);
    c.transmissions++;
    c.sentAt = now;
    c.missIndications = 0;
    this.#addFlight(c);
  }

  /** Abandons every sent fragment of a message (RFC 3758 §3.5 A). */
  abandon(message: OutgoingMessage): void {
    if (tsnLt(message.lastTsn, this.#headTsn)) return; // all cumulatively acked already
    const first = tsnLt(message.firstTsn, this.#headTsn)
      ? 0
      : tsnDiff(message.firstTsn, this.#headTsn);
    const last = tsnDiff(message.lastTsn, this.#headTsn);
    for (let k = first; k <= last && k < this.length; k++) {
      const c = this.#chunks[this.#head + k]!;
      if (c.abandoned) continue;
      c.abandoned = true;
      this.#unmark(c);
      this.#removeFlight(c);
    }
  }

  /**
   * Advanced.Peer.Ack.Point (RFC 3758 §3.5 C1-C2): past the cumulative ack over abandoned
   * (and already gap-acked) chunks. Fills `skipped` with the highest skipped SSN of each
   * ordered stream, for the FORWARD TSN.
   */
  advancedPeerAckPoint(skipped: SkippedStream[]): number {
    skipped.length = 0;
    let point = this.cumulativeTsnAck;
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const c = this.#chunks[i]!;
      // C2: only abandoned chunks move the point; a gap-acked one still belongs to a
      // message the peer must be able to complete.
      if (!c.abandoned) break;
      point = c.tsn;
      if (c.unordered) continue;
      const s = skipped.find((e) => e.streamId === c.streamId);
      if (!s) skipped.push({ streamId: c.streamId, ssn: c.ssn });
      else if (ssnLt(s.ssn, c.ssn)) s.ssn = c.ssn;
    }
    return point;
  }

  #newlyAcked(c: SentChunk, now: number): void {
    if (c.abandoned) return;
    this.#removeFlight(c);
    this.#unmark(c);
    this.#outcome.bytesAcked += c.size;
    if (c.transmissions === 1) this.#outcome.rttSample = now - c.sentAt;
  }

  #unmark(c: SentChunk): void {
    if (!c.retransmit) return;
    c.retransmit = false;
    this.#marked--;
  }

  #addFlight(c: SentChunk): void {
    if (c.inFlight) return;
    c.inFlight = true;
    this.flightSize += c.size;
    this.flightPayload += c.payload.length;
  }

  #removeFlight(c: SentChunk): void {
    if (!c.inFlight) return;
    c.inFlight = false;
    this.flightSize -= c.size;
    this.flightPayload -= c.payload.length;
  }
}
