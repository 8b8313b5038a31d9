/**
 * The signaling pipe between the two peers of a workload: descriptions, candidates and the
 * workload's own control messages. In one process it is a pair of mailboxes; across
 * processes each child's mailbox is fed from its IPC channel, through the parent.
 */

export interface SignalMessage {
  type: string;
  [key: string]: unknown;
}

export class Signal {
  readonly #queues = new Map<string, SignalMessage[]>();
  readonly #readers = new Map<string, ((m: SignalMessage) => void)[]>();
  readonly #listeners = new Map<string, (m: SignalMessage) => void>();

  constructor(readonly send: (message: SignalMessage) => void) {}

  /** A message from the other peer. */
  deliver(message: SignalMessage): void {
    const listener = this.#listeners.get(message.type);
    const reader = listener ? undefined : this.#readers.get(message.type)?.shift();
    if (listener) listener(message);
    else if (reader) reader(message);
    else listOf(this.#queues, message.type).push(message);
  }

  /** The next message of `type`, queued or still to come. */
  next<T extends SignalMessage = SignalMessage>(type: string): Promise<T> {
    const queued = this.#queues.get(type)?.shift();
    if (queued) return Promise.resolve(queued as T);
    return new Promise((resolve) => {
      listOf(this.#readers, type).push(resolve as (m: SignalMessage) => void);
    });
  }

  /** Every message of `type`, queued ones first, goes to `listener` until `off(type)`. */
  on(type: string, listener: (m: SignalMessage) => void): void {
    this.#listeners.set(type, listener);
    const queued = this.#queues.get(type) ?? [];
    this.#queues.delete(type);
    for (const m of queued) listener(m);
  }

  off(type: string): void {
    this.#listeners.delete(type);
  }
}

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** Two connected mailboxes in one process; messages arrive from a microtask, in order. */
export function signalPair(): [Signal, Signal] {
  const a: Signal = new Signal((m) => queueMicrotask(() => b.deliver(m)));
  const b: Signal = new Signal((m) => queueMicrotask(() => a.deliver(m)));
  return [a, b];
}
