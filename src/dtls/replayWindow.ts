/**
 * Anti-replay for received records (RFC 6347 §4.1.2.6): a sliding window over the
 * 48-bit record sequence numbers of one epoch, updated only after a record authenticates.
 */

/** Records this far behind the highest one seen are too old to judge and are dropped. */
export const REPLAY_WINDOW_SIZE = 128;

export class ReplayWindow {
  /** Highest sequence number accepted so far; -1 before the first. */
  #top = -1;
  /** Bit i % SIZE marks sequence number i as seen, for i in (top - SIZE, top]. */
  readonly #seen = new Uint32Array(REPLAY_WINDOW_SIZE / 32);

  /** Whether a record with this sequence number may be new (not a replay, not too old). */
  check(seq: number): boolean {
    if (seq > this.#top) return true;
    if (this.#top - seq >= REPLAY_WINDOW_SIZE) return false;
    const i = seq % REPLAY_WINDOW_SIZE;
    return (this.#seen[i >>> 5]! & (1 << (i & 31))) === 0;
  }

  /** Marks an authenticated record as seen, sliding the window forward when it is the newest. */
  accept(seq: number): void {
    if (seq > this.#top) {
      if (seq - this.#top >= REPLAY_WINDOW_SIZE) this.#seen.fill(0);
      else
        for (let s = this.#top + 1; s < seq; s++) {
          const i = s % REPLAY_WINDOW_SIZE;
          this.#seen[i >>> 5]! &= ~(1 << (i & 31));
        }
      this.#top = seq;
    }
    const i = seq % REPLAY_WINDOW_SIZE;
    this.#seen[i >>> 5]! |= 1 << (i & 31);
  }
}
