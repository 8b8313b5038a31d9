/**
 * Congestion control of the one path (RFC 9260 §7.2): slow start, congestion avoidance
 * with partial_bytes_acked, the window cut of fast retransmit (once per fast recovery)
 * and of a T3-rtx expiry, and the decay after idle periods. Bytes are DATA chunk sizes on
 * the wire (header and padding included).
 *
 * The first slow start follows HyStart++ (RFC 9406, which RFC 9260 §7.2's "MAY be more
 * conservative" allows): when the round trip grows by a few milliseconds over a round, a
 * queue is building somewhere, and slow start ends before that queue overflows. On a
 * path that is short and fast (loopback, a LAN) the queue that overflows is the peer's
 * socket buffer, and the losses and timeouts that end plain slow start there cost more
 * than the whole transfer.
 */
import { tsnLte } from './serial.js';

// RFC 9406 §4.3 constants; times in ms.
const MIN_RTT_THRESH = 4;
const MAX_RTT_THRESH = 16;
const MIN_RTT_DIVISOR = 8;
const N_RTT_SAMPLE = 8;
const CSS_GROWTH_DIVISOR = 4;
const CSS_ROUNDS = 5;

export class CongestionControl {
  cwnd: number;
  ssthresh: number;
  partialBytesAcked = 0;
  /** The highest TSN outstanding when fast recovery began; undefined outside it. */
  fastRecoveryExit: number | undefined;
  /** HyStart++: standard slow start, conservative slow start (CSS), or over. */
  hystart: 'slow-start' | 'css' | 'done' = 'slow-start';
  #windowEnd: number | undefined;
  #lastRoundMinRtt = Number.POSITIVE_INFINITY;
  #currentRoundMinRtt = Number.POSITIVE_INFINITY;
  #rttSamples = 0;
  #cssBaselineMinRtt = Number.POSITIVE_INFINITY;
  #cssRounds = 0;

  constructor(
    readonly mtu: number,
    peerReceiverWindow: number,
  ) {
    // §7.2.1: initial cwnd min(4*MTU, max(2*MTU, 4404)); ssthresh the peer's a_rwnd.
    this.cwnd = Math.min(4 * mtu, Math.max(2 * mtu, 4404));
    this.ssthresh = peerReceiverWindow;
  }

  get inFastRecovery(): boolean {
    return this.fastRecoveryExit !== undefined;
  }

  /**
   * A SACK acknowledged `bytesAcked` new bytes. `flightBefore` is the flight size before
   * it; `drained` says nothing is left awaiting acknowledgement. HyStart++ takes the
   * SACK's round-trip sample, if any, and the highest TSN sent so far (the end of a round).
   */
  onAck(
    cumTsnAck: number,
    cumulativeAdvanced: boolean,
    bytesAcked: number,
    flightBefore: number,
    drained: boolean,
    rttSample?: number,
    highestTsnSent?: number,
  ): void {
    if (this.fastRecoveryExit !== undefined && tsnLte(this.fastRecoveryExit, cumTsnAck))
      this.fastRecoveryExit = undefined;
    if (cumulativeAdvanced && bytesAcked > 0 && this.fastRecoveryExit === undefined) {
      if (this.cwnd <= this.ssthresh) {
        const avoiding =
          this.hystart !== 'done' &&
          highestTsnSent !== undefined &&
          this.#hystartRound(cumTsnAck, rttSample, highestTsnSent);
        // Slow start (§7.2.1), only while the window is used up; a quarter of it in CSS.
        if (!avoiding && flightBefore + this.mtu > this.cwnd) {
          const increase = Math.min(bytesAcked, this.mtu);
          this.cwnd += this.hystart === 'css' ? increase / CSS_GROWTH_DIVISOR : increase;
        }
      } else {
        // Congestion avoidance (§7.2.2): one MTU per window of data acknowledged.
        this.partialBytesAcked += bytesAcked;
        if (this.partialBytesAcked >= this.cwnd) {
          if (flightBefore >= this.cwnd) {
            this.partialBytesAcked -= this.cwnd;
            this.cwnd += this.mtu;
          } else {
            this.partialBytesAcked = this.cwnd;
          }
        }
      }
    }
    if (drained) this.partialBytesAcked = 0;
  }

  /**
   * RFC 9406 §4.2: rounds, their minimum RTT, and the moves between slow start, CSS and
   * avoidance. Returns true when CSS ends here and congestion avoidance begins.
   */
  #hystartRound(cumTsnAck: number, rtt: number | undefined, highestTsnSent: number): boolean {
    if (this.#windowEnd === undefined || tsnLte(this.#windowEnd, cumTsnAck)) {
      if (
        this.#windowEnd !== undefined &&
        this.hystart === 'css' &&
        ++this.#cssRounds >= CSS_ROUNDS
      ) {
        this.ssthresh = this.cwnd;
        this.hystart = 'done';
        return true;
      }
      this.#windowEnd = highestTsnSent;
      this.#lastRoundMinRtt = this.#currentRoundMinRtt;
      this.#currentRoundMinRtt = Number.POSITIVE_INFINITY;
      this.#rttSamples = 0;
    }
    if (rtt === undefined) return false;
    this.#currentRoundMinRtt = Math.min(this.#currentRoundMinRtt, rtt);
    if (++this.#rttSamples < N_RTT_SAMPLE) return false;
    if (this.hystart === 'slow-start') {
      const last = this.#lastRoundMinRtt;
      if (last === Number.POSITIVE_INFINITY) return false;
      const threshold = Math.max(MIN_RTT_THRESH, Math.min(last / MIN_RTT_DIVISOR, MAX_RTT_THRESH));
      if (this.#currentRoundMinRtt >= last + threshold) {
        this.#cssBaselineMinRtt = this.#currentRoundMinRtt;
        this.#cssRounds = 0;
        this.hystart = 'css';
      }
    } else if (this.#currentRoundMinRtt < this.#cssBaselineMinRtt) {
      // The delay went down again: the exit was spurious.
      this.#cssBaselineMinRtt = Number.POSITIVE_INFINITY;
      this.hystart = 'slow-start';
    }
    return false;
  }

  /** Fast retransmit (§7.2.4 step 2, §7.2.3): halve the window, once per fast recovery. */
  onFastRetransmit(highestOutstandingTsn: number): void {
    this.hystart = 'done';
    if (this.fastRecoveryExit !== undefined) return;
    this.ssthresh = Math.max(this.cwnd / 2, 4 * this.mtu);
    this.cwnd = this.ssthresh;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = highestOutstandingTsn;
  }

  /** T3-rtx expiry (§6.3.3 E1, §7.2.3): back to one MTU. */
  onRetransmissionTimeout(): void {
    this.hystart = 'done';
    this.ssthresh = Math.max(this.cwnd / 2, 4 * this.mtu);
    this.cwnd = this.mtu;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = undefined;
  }

  /** §7.2.1: with nothing sent for `idle` ms, halve cwnd per RTO, down to 4*MTU. */
  onIdle(idle: number, rto: number): void {
    for (let t = idle; t > rto && this.cwnd > 4 * this.mtu; t -= rto)
      this.cwnd = Math.max(this.cwnd / 2, 4 * this.mtu);
  }
}
