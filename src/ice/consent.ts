/**
 * Consent freshness (RFC 7675) and liveness of the selected pair.
 *
 * Consent: a Binding request every 5 s, randomized to 0.8-1.2 times (§5.1: never less
 * than 4 s apart); consent expires 30 s after the last authenticated response, and then
 * the agent must stop sending.
 *
 * Liveness ('disconnected', W3C "repeatedly failing to receive a response to STUN
 * requests"): nothing at all has come from the peer for `silence` ms, and a consent
 * request sent since then has gone `unanswered` ms without a response. A live but idle
 * peer answers within a round trip, so this needs real loss; a silent peer is reported
 * `silence` to `interval + unanswered` ms after it went quiet (3 to 7 s by default).
 */

/** The grid consent requests are scheduled on, ms (narrower for intervals under 625 ms). */
const CONSENT_GRID_MS = 250;

export interface ConsentOptions {
  /** Mean interval between consent requests, ms (5000). */
  interval?: number;
  /** Consent lifetime after the last authenticated response, ms (30000). */
  timeout?: number;
  /** Silence before 'disconnected', ms (3000). */
  silence?: number;
  /** How long a consent request may go unanswered before 'disconnected', ms (1000). */
  unanswered?: number;
}

export class ConsentFreshness {
  /** When consent expires. */
  expiresAt: number;
  /** When the next consent request is due. */
  nextRequestAt: number;
  /** The last packet of any kind from the peer on this pair. */
  lastReceived: number;
  /** First transmission of the oldest consent request sent since lastReceived, if any. */
  #unansweredSince: number | undefined;
  readonly #interval: number;
  readonly #timeout: number;
  readonly #silence: number;
  readonly #unanswered: number;
  readonly #random: () => number;

  /** `grantedAt`: the last authenticated response on the pair (the check that validated it). */
  constructor(now: number, grantedAt: number, random: () => number, options: ConsentOptions = {}) {
    this.#interval = options.interval ?? 5000;
    this.#timeout = options.timeout ?? 30_000;
    this.#silence = options.silence ?? 3000;
    this.#unanswered = options.unanswered ?? 1000;
    this.#random = random;
    this.expiresAt = grantedAt + this.#timeout;
    this.lastReceived = grantedAt;
    this.nextRequestAt = this.#nextRequest(now);
  }

  /** An authenticated response to a check or consent request on the pair. */
  granted(now: number): void {
    this.expiresAt = now + this.#timeout;
    this.received(now);
  }

  /** Any packet from the peer on the pair (data, requests, indications). */
  received(now: number): void {
    this.lastReceived = now;
    this.#unansweredSince = undefined;
  }

  /** A consent request went out (its first transmission). */
  requested(now: number): void {
    this.nextRequestAt = this.#nextRequest(now);
    this.#unansweredSince ??= now;
  }

  expired(now: number): boolean {
    return now >= this.expiresAt;
  }

  disconnected(now: number): boolean {
    return this.#disconnectAt !== undefined && now >= this.#disconnectAt;
  }

  /**
   * The next moment something changes: a request due, expiry, and (while `watchDisconnect`,
   * that is until it is reported) the moment the pair counts as disconnected.
   */
  nextDeadline(watchDisconnect: boolean): number {
    const next = Math.min(this.nextRequestAt, this.expiresAt);
    const disconnectAt = this.#disconnectAt;
    return watchDisconnect && disconnectAt !== undefined ? Math.min(next, disconnectAt) : next;
  }

  get #disconnectAt(): number | undefined {
    if (this.#unansweredSince === undefined) return undefined;
    return Math.max(this.lastReceived + this.#silence, this.#unansweredSince + this.#unanswered);
  }

  /**
   * RFC 7675 §5.1: 0.8 to 1.2 times the interval after `now`, drawn uniformly, then moved
   * onto a grid of CONSENT_GRID_MS on the process's clock (inside that range still).
   * Connections whose requests fall due close together then send them on one timer
   * wake-up, and their answers come back together: a server's idle connections cost a
   * fraction of the wake-ups.
   */
  #nextRequest(now: number): number {
    const latest = now + 1.2 * this.#interval;
    const at = now + this.#interval * (0.8 + 0.4 * this.#random());
    const grid = Math.min(CONSENT_GRID_MS, 0.4 * this.#interval);
    const onGrid = Math.ceil(at / grid) * grid;
    return onGrid <= latest ? onGrid : onGrid - grid;
  }
}
