/**
 * The user messages waiting to be sent, one queue per outgoing stream, served round-robin
 * one whole message at a time: the fragments of a message must take consecutive TSNs
 * (RFC 9260 §6.9), so a message, once started, is finished before the next stream's turn.
 * Fragments are cut lazily as views of the message, only when they can be sent, so the
 * payload is never copied here and an abandoned message stops being cut.
 *
 * The buffered amount of a stream is the bytes of its messages not yet handed to the
 * network for the first time (what RTCDataChannel.bufferedAmount reports).
 */
import { ssnNext } from './serial.js';

export class OutgoingMessage {
  /** Bytes already cut into fragments. */
  offset = 0;
  /** Stream sequence number, assigned with the first fragment (ordered messages only). */
  ssn = 0;
  /** TSNs of the first and last fragment cut so far. */
  firstTsn = 0;
  lastTsn = 0;
  abandoned = false;

  constructor(
    readonly streamId: number,
    readonly ppid: number,
    readonly data: Buffer,
    readonly unordered: boolean,
    /** PR-SCTP limited retransmissions (RFC 3758): retransmissions allowed per fragment. */
    readonly maxRetransmits: number | undefined,
    /** PR-SCTP timed reliability: the time after which the message is abandoned. */
    readonly expiresAt: number | undefined,
    /** Whether the message counts in the stream's buffered amount. */
    readonly counted: boolean,
  ) {}
}

class OutgoingStream {
  readonly queue: (OutgoingMessage | undefined)[] = [];
  head = 0;
  bufferedAmount = 0;
  nextSsn = 0;
  /** Messages ever queued, and ever started. */
  added = 0;
  started = 0;
  /** A reset applies after this many messages: those queued later wait for it. */
  resetMark: number | undefined;
  /** In the round-robin ring. */
  scheduled = false;
  constructor(readonly id: number) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Whether the next message must wait for a stream reset. */
  get held(): boolean {
    return this.resetMark !== undefined && this.started >= this.resetMark;
  }

  shift(): OutgoingMessage {
    const m = this.queue[this.head]!;
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return m;
  }
}

export class SendQueue {
  readonly #streams = new Map<number, OutgoingStream>();
  /** Streams with messages, in round-robin order. */
  #ring: OutgoingStream[] = [];
  #ringHead = 0;
  #current: OutgoingMessage | undefined;
  #currentStream: OutgoingStream | undefined;
  /** Buffered-amount decreases not yet reported, by stream. */
  readonly #released = new Map<number, number>();

  constructor(
    /** Counts the messages dropped because their lifetime ran out before they were sent. */
    readonly stats: { abandonedMessages: number },
  ) {}

  add(message: OutgoingMessage): void {
    const stream = this.#stream(message.streamId);
    stream.queue.push(message);
    stream.added++;
    if (message.counted) stream.bufferedAmount += message.data.length;
    this.#schedule(stream);
  }

  bufferedAmount(streamId: number): number {
    return this.#streams.get(streamId)?.bufferedAmount ?? 0;
  }

  /**
   * The message the next fragment comes from, or undefined when nothing can be sent.
   * Messages whose lifetime ran out before their first fragment are dropped here.
   */
  peek(now: number): OutgoingMessage | undefined {
    for (;;) {
      const cur = this.#current;
      if (cur) {
        if (cur.offset > 0 || !expired(cur, now)) return cur;
        this.stats.abandonedMessages++;
        this.#release(this.#currentStream!, cur, cur.data.length);
        this.#finishCurrent();
        continue;
      }
      if (this.#ringHead === this.#ring.length) return undefined;
      const stream = this.#ring[this.#ringHead++]!;
      if (this.#ringHead === this.#ring.length) {
        this.#ring = [];
        this.#ringHead = 0;
      }
      stream.scheduled = false;
      if (stream.held || stream.pending === 0) continue;
      this.#current = stream.shift();
      this.#currentStream = stream;
      stream.started++;
    }
  }

  /**
   * Cuts the next fragment, at most `maxPayload` bytes, from the message peek() returned.
   * The caller sends it at once: its bytes leave the buffered amount here.
   */
  take(maxPayload: number, tsn: number): Buffer {
    const m = this.#current!;
    const stream = this.#currentStream!;
    if (m.offset === 0) {
      m.firstTsn = tsn;
      if (!m.unordered) {
        m.ssn = stream.nextSsn;
        stream.nextSsn = ssnNext(stream.nextSsn);
      }
    }
    m.lastTsn = tsn;
    const len = Math.min(maxPayload, m.data.length - m.offset);
    // A message in one fragment is its own payload: no view to make.
    const payload = len === m.data.length ? m.data : m.data.subarray(m.offset, m.offset + len);
    m.offset += len;
    this.#release(stream, m, len);
    if (m.offset === m.data.length) this.#finishCurrent();
    return payload;
  }

  /** Abandons a partly sent message (PR-SCTP): its unsent bytes leave the buffered amount. */
  abandon(message: OutgoingMessage): void {
    if (message.abandoned) return;
    message.abandoned = true;
    if (message === this.#current) {
      this.#release(this.#currentStream!, message, message.data.length - message.offset);
      this.#finishCurrent();
    }
  }

  /**
   * A reset of the stream is asked for (RFC 6525): it applies after the messages queued so
   * far; messages queued from now on wait until resetDone().
   */
  markReset(streamId: number): void {
    const s = this.#stream(streamId);
    s.resetMark = s.added;
  }

  /** Whether every message queued before the reset has been cut into fragments. */
  readyForReset(streamId: number): boolean {
    const s = this.#stream(streamId);
    return s.held && this.#currentStream !== s;
  }

  /** The reset completed (sequence numbers restart at 0) or failed; waiting messages go. */
  resetDone(streamId: number, performed: boolean): void {
    const s = this.#stream(streamId);
    if (performed) s.nextSsn = 0;
    s.resetMark = undefined;
    this.#schedule(s);
  }

  /** Reports and clears the buffered-amount decreases since the last call. */
  drainReleased(report: (streamId: number, bytes: number) => void): void {
    if (this.#released.size === 0) return;
    for (const [id, n] of this.#released) report(id, n);
    this.#released.clear();
  }

  #release(stream: OutgoingStream, m: OutgoingMessage, bytes: number): void {
    if (!m.counted || bytes === 0) return;
    stream.bufferedAmount -= bytes;
    this.#released.set(stream.id, (this.#released.get(stream.id) ?? 0) + bytes);
  }

  #finishCurrent(): void {
    const stream = this.#currentStream!;
    this.#current = undefined;
    this.#currentStream = undefined;
    this.#schedule(stream);
  }

  #schedule(stream: OutgoingStream): void {
    if (stream.scheduled || stream.held || stream.pending === 0) return;
    if (stream === this.#currentStream) return; // rescheduled when its message is finished
    stream.scheduled = true;
    this.#ring.push(stream);
  }

  #stream(id: number): OutgoingStream {
    let s = this.#streams.get(id);
    if (!s) {
      s = new OutgoingStream(id);
      this.#streams.set(id, s);
    }
    return s;
  }
}

function expired(m: OutgoingMessage, now: number): boolean {
  return m.expiresAt !== undefined && now > m.expiresAt;
}
