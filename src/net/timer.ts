/**
 * Time and timers for the sans-IO protocol cores.
 *
 * Every core (ICE agent, DTLS connection, SCTP association) takes the current time as
 * an argument and reports the next moment it wants to be woken. The wrappers that own
 * sockets drive it with one DeadlineTimer each, never one timer per packet.
 */

/** A protocol core that needs to be woken up at a deadline. Times are milliseconds on the `now()` clock. */
export interface Timed {
  /** The earliest time at which handleTimeout must be called, or undefined when nothing is pending. */
  nextDeadline(): number | undefined;
  handleTimeout(now: number): void;
}

/** The monotonic clock every core is driven with (milliseconds, fractional). */
export const now: () => number = () => performance.now();

/**
 * One setTimeout, re-armed to the earliest deadline asked for. A later deadline does not
 * re-arm a timer that fires sooner: the early wake-up is harmless (the core finds nothing
 * due and reports its real deadline again) and saves clearTimeout/setTimeout churn on the
 * per-packet path. A deadline already due (data just queued for sending) runs on
 * setImmediate: Node makes a setTimeout wait at least 1 ms, which would add a millisecond
 * to every message's trip.
 */
export class DeadlineTimer {
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #at = Number.POSITIVE_INFINITY;
  readonly #onDeadline: (now: number) => void;
  readonly #ref: boolean;

  /** `ref: false` lets the process exit while only this timer is pending. */
  constructor(onDeadline: (now: number) => void, options: { ref?: boolean } = {}) {
    this.#onDeadline = onDeadline;
    this.#ref = options.ref ?? true;
  }

  /** Wakes the owner at `deadline` (or soon after); undefined cancels nothing, it just asks for no wake-up. */
  arm(deadline: number | undefined): void {
    if (deadline === undefined || deadline >= this.#at) return;
    this.#cancel();
    this.#at = deadline;
    const delay = Math.ceil(deadline - now());
    if (delay <= 0) {
      this.#immediate = setImmediate(this.#fire);
      if (!this.#ref) this.#immediate.unref();
    } else {
      this.#timer = setTimeout(this.#fire, delay);
      if (!this.#ref) this.#timer.unref();
    }
  }

  /** Arms the timer for a core's next deadline. */
  armFor(core: Timed): void {
    this.arm(core.nextDeadline());
  }

  close(): void {
    this.#cancel();
    this.#at = Number.NEGATIVE_INFINITY; // never re-armed after close
  }

  #cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    this.#onDeadline(now());
  };
}
