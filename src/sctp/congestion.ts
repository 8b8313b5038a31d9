/**
 * Congestion control of the one path (RFC 9260 §7.2): slow start, congestion avoidance
 * with partial_bytes_acked, the window cut of fast retransmit (once per fast recovery)
 * and of a T3-rtx expiry, and the decay after idle periods. Bytes are DATA chunk sizes on
 * the wire (header and padding included).
 */
import { tsnLte } from './serial.js';

export class CongestionControl {
  cwnd: number;
  ssthresh: number;
  partialBytesAcked = 0;
  /** The highest TSN outstanding when fast recovery began; undefined outside it. */
  fastRecoveryExit: number | undefined;

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
   * it; `drained` says nothing is left awaiting acknowledgement.
   */
  onAck(
    cumTsnAck: number,
    cumulativeAdvanced: boolean,
    bytesAcked: number,
    flightBefore: number,
    drained: boolean,
  ): void {
    if (this.fastRecoveryExit !== undefined && tsnLte(this.fastRecoveryExit, cumTsnAck))
      this.fastRecoveryExit = undefined;
    if (cumulativeAdvanced && bytesAcked > 0 && this.fastRecoveryExit === undefined) {
      if (this.cwnd <= this.ssthresh) {
        // Slow start (§7.2.1), only while the window is used up.
        if (flightBefore + this.mtu > this.cwnd) this.cwnd += Math.min(bytesAcked, this.mtu);
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

  /** Fast retransmit (§7.2.4 step 2, §7.2.3): halve the window, once per fast recovery. */
  onFastRetransmit(highestOutstandingTsn: number): void {
    if (this.fastRecoveryExit !== undefined) return;
    this.ssthresh = Math.max(this.cwnd / 2, 4 * this.mtu);
    this.cwnd = this.ssthresh;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = highestOutstandingTsn;
  }

  /** T3-rtx expiry (§6.3.3 E1, §7.2.3): back to one MTU. */
  onRetransmissionTimeout(): void {
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
