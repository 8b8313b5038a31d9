/**
 * Retransmission timeout (RFC 9260 §6.3.1): SRTT and RTTVAR from round-trip samples, with
 * RTO.Alpha = 1/8, RTO.Beta = 1/4, clamped to [RTO.Min, RTO.Max]. Callers apply Karn's rule
 * (no samples from retransmitted chunks); timer expiries double the RTO (§6.3.3 E2).
 */
export class RetransmissionTimeout {
  #srtt: number | undefined;
  #rttvar = 0;
  #rto: number;

  constructor(
    readonly initial: number,
    readonly min: number,
    readonly max: number,
  ) {
    this.#rto = initial;
  }

  get rto(): number {
    return this.#rto;
  }

  /** The smoothed round-trip time, undefined before the first sample. */
  get srtt(): number | undefined {
    return this.#srtt;
  }

  /** Takes a round-trip sample R (ms). */
  measure(r: number): void {
    if (!(r >= 0)) return;
    if (this.#srtt === undefined) {
      // C1: the first measurement.
      this.#srtt = r;
      this.#rttvar = r / 2;
    } else {
      // C2: RTTVAR before SRTT, each from the previous values.
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - r);
      this.#srtt = 0.875 * this.#srtt + 0.125 * r;
    }
    // C3 with a clock granularity G of 1 ms for the 4*RTTVAR term.
    this.#rto = clamp(this.#srtt + Math.max(1, 4 * this.#rttvar), this.min, this.max);
  }

  /** Doubles the RTO after a timer expiry, up to RTO.Max. */
  backOff(): void {
    this.#rto = Math.min(this.#rto * 2, this.max);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
