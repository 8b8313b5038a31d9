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
 * Moving a timer to a later deadline costs a clearTimeout and a setTimeout; letting it fire
 * early costs a wake-up that finds nothing due. Deadlines that move later by less than
 * this (the retransmission timer pushed back by each acknowledgement of a transfer) keep
 * the armed timer; larger moves (a request answered, the next one due seconds later)
 * re-arm it, so that idle connections are not woken for nothing.
 */
const REARM_LATER_MS = 50;

/**
 * One setTimeout, armed for the owner's next deadline: `arm` is always given the earliest
 * moment the owner needs, so it replaces what was armed, except for the small moves later
 * above. A deadline already due (data just queued for sending) runs on setImmediate: Node
 * makes a setTimeout wait at least 1 ms, which would add a millisecond to every message's
 * trip.
 */
export class DeadlineTimer {
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #at = Number.POSITIVE_INFINITY;
  #closed = false;
  readonly #onDeadline: (now: number) => void;
  readonly #ref: boolean;

  /** `ref: false` lets the process exit while only this timer is pending. */
  constructor(onDeadline: (now: number) => void, options: { ref?: boolean } = {}) {
    this.#onDeadline = onDeadline;
    this.#ref = options.ref ?? true;
  }

  /**
   * Wakes the owner at `deadline`, its earliest (or up to REARM_LATER_MS before it);
   * undefined asks for no wake-up and leaves an armed timer to fire harmlessly.
   */
  arm(deadline: number | undefined): void {
    if (this.#closed || deadline === undefined || deadline === this.#at) return;
    if (deadline > this.#at && deadline - this.#at < REARM_LATER_MS) return;
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
    this.#closed = true;
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
