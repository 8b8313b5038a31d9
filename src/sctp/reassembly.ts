/**
 * Turns received DATA chunks into user messages (RFC 9260 §6.5, §6.6, §6.9).
 *
 * The fragments of one message carry consecutive TSNs, so fragments are joined into runs
 * of consecutive TSNs of the same stream (and SSN, when ordered); a run from a B fragment
 * to an E fragment is a whole message, whatever order its fragments came in. Ordered
 * messages then wait for their stream sequence number; unordered ones are delivered at
 * once. FORWARD TSN (RFC 3758) drops abandoned fragments and skips sequence numbers;
 * stream resets (RFC 6525) restart them, holding back data sent after the reset until the
 * data before it has arrived ("deferred reset processing", §5.2.2).
 *
 * Everything held here counts in `queuedBytes`, which the receiver window is computed from.
 */
import type { DataChunk } from './chunks/data.js';
import type { SkippedStream } from './chunks/forward-tsn.js';
import { ssnLt, ssnLte, ssnNext, tsnAdd, tsnLt, tsnLte } from './serial.js';

export type DeliverMessage = (streamId: number, ppid: number, data: Buffer) => void;

interface Message {
  streamId: number;
  ssn: number;
  ppid: number;
  data: Buffer;
  unordered: boolean;
  /** TSN of the first fragment. */
  tsn: number;
}

/** Consecutive-TSN fragments of one message. */
interface Run {
  first: number;
  last: number;
  streamId: number;
  ssn: number;
  unordered: boolean;
  bytes: number;
  hasBeginning: boolean;
  hasEnd: boolean;
}

interface InboundStream {
  expectedSsn: number;
  /** Complete ordered messages waiting for an earlier SSN. */
  readonly pending: Map<number, Message>;
}

interface DeferredReset {
  sendersLastAssignedTsn: number;
  /** The affected streams; empty means all. */
  streams: ReadonlySet<number>;
  readonly parked: Message[];
}

export class Reassembly {
  /** Payload bytes held: fragments, messages waiting for order or for a reset. */
  queuedBytes = 0;
  /** DATA chunks held as fragments. */
  heldChunks = 0;
  readonly #fragments = new Map<number, DataChunk>();
  readonly #runsByFirst = new Map<number, Run>();
  readonly #runsByLast = new Map<number, Run>();
  readonly #streams = new Map<number, InboundStream>();
  #deferred: DeferredReset | undefined;

  constructor(
    /** Largest message accepted; a larger one is a protocol violation. */
    readonly maxMessageSize: number,
    readonly deliver: DeliverMessage,
  ) {}

  /** Whether a stream reset waits for earlier data (deferred reset processing). */
  get deferring(): boolean {
    return this.#deferred !== undefined;
  }

  /** Takes a new (non-duplicate) DATA chunk; false when it makes a message larger than allowed. */
  add(chunk: DataChunk): boolean {
    if (chunk.beginning && chunk.end) {
      if (chunk.payload.length > this.maxMessageSize) return false;
      this.#complete(chunk, chunk.payload, chunk.tsn);
      return true;
    }
    const len = chunk.payload.length;
    this.#fragments.set(chunk.tsn, chunk);
    this.heldChunks++;
    this.queuedBytes += len;

    let run: Run | undefined;
    if (!chunk.beginning) {
      const left = this.#runsByLast.get(tsnAdd(chunk.tsn, -1));
      if (left && !left.hasEnd && sameMessage(left, chunk)) {
        this.#runsByLast.delete(left.last);
        left.last = chunk.tsn;
        left.bytes += len;
        left.hasEnd = chunk.end;
        run = left;
      }
    }
    if (!run) {
      run = {
        first: chunk.tsn,
        last: chunk.tsn,
        streamId: chunk.streamId,
        ssn: chunk.ssn,
        unordered: chunk.unordered,
        bytes: len,
        hasBeginning: chunk.beginning,
        hasEnd: chunk.end,
      };
      this.#runsByFirst.set(run.first, run);
    }
    if (!chunk.end) {
      const right = this.#runsByFirst.get(tsnAdd(chunk.tsn, 1));
      if (right && !right.hasBeginning && sameMessage(right, chunk)) {
        this.#runsByFirst.delete(right.first);
        this.#runsByLast.delete(right.last);
        run.last = right.last;
        run.bytes += right.bytes;
        run.hasEnd = right.hasEnd;
      }
    }
    this.#runsByLast.set(run.last, run);
    if (run.bytes > this.maxMessageSize) return false;
    if (run.hasBeginning && run.hasEnd) this.#assemble(run);
    return true;
  }

  /**
   * FORWARD TSN (RFC 3758 §3.6): drops the fragments of messages that can no longer be
   * completed (a fragment they miss is at or below the new cumulative TSN, so it was
   * abandoned) and stops waiting for the skipped sequence numbers, delivering what they
   * held back.
   */
  skip(newCumulativeTsn: number, streams: readonly SkippedStream[]): void {
    for (const run of this.#runsByFirst.values()) {
      const abandoned =
        (tsnLte(run.first, newCumulativeTsn) &&
          (!run.hasBeginning || tsnLte(tsnAdd(run.last, 1), newCumulativeTsn))) ||
        (!run.unordered &&
          streams.some((s) => s.streamId === run.streamId && ssnLte(run.ssn, s.ssn)));
      if (abandoned) this.#dropRun(run);
    }
    for (const { streamId, ssn } of streams) {
      const s = this.#streams.get(streamId);
      if (!s || !ssnLte(s.expectedSsn, ssn)) continue;
      // Messages up to the skipped SSN that did arrive are delivered, in order.
      const held = [...s.pending.keys()].filter((k) => ssnLte(k, ssn));
      held.sort((a, b) => (ssnLt(a, b) ? -1 : 1));
      for (const k of held) this.#deliverPending(s, k);
      s.expectedSsn = ssnNext(ssn);
      this.#drain(s);
    }
  }

  /** Enters deferred reset processing: data of the streams after `lastTsn` waits. */
  deferReset(sendersLastAssignedTsn: number, streams: readonly number[]): void {
    this.#deferred = { sendersLastAssignedTsn, streams: new Set(streams), parked: [] };
  }

  /**
   * Resets the incoming sequence numbers of the streams (empty: all) to 0 and releases the
   * messages a deferred reset held back.
   */
  resetStreams(streams: readonly number[]): void {
    const ids = streams.length > 0 ? streams : [...this.#streams.keys()];
    for (const id of ids) {
      const s = this.#streams.get(id);
      if (!s) continue;
      for (const m of s.pending.values()) this.queuedBytes -= m.data.length;
      s.pending.clear();
      s.expectedSsn = 0;
    }
    const parked = this.#deferred?.parked ?? [];
    this.#deferred = undefined;
    for (const m of parked) {
      this.queuedBytes -= m.data.length;
      this.#message(m);
    }
  }

  #assemble(run: Run): void {
    this.#runsByFirst.delete(run.first);
    this.#runsByLast.delete(run.last);
    // A buffer of its own, so the layer above can hand over its ArrayBuffer without a copy.
    const data = Buffer.allocUnsafeSlow(run.bytes);
    let off = 0;
    let ppid = 0;
    for (let t = run.first; ; t = tsnAdd(t, 1)) {
      const c = this.#fragments.get(t)!;
      if (t === run.first) ppid = c.ppid;
      off += c.payload.copy(data, off);
      this.#fragments.delete(t);
      this.heldChunks--;
      if (t === run.last) break;
    }
    this.queuedBytes -= run.bytes;
    this.#message({
      streamId: run.streamId,
      ssn: run.ssn,
      ppid,
      data,
      unordered: run.unordered,
      tsn: run.first,
    });
  }

  #complete(chunk: DataChunk, data: Buffer, tsn: number): void {
    // The usual case, an ordered message in sequence with no reset pending, goes out
    // without a Message record.
    if (!chunk.unordered && this.#deferred === undefined) {
      const s = this.#stream(chunk.streamId);
      if (chunk.ssn === s.expectedSsn) {
        s.expectedSsn = ssnNext(s.expectedSsn);
        this.deliver(chunk.streamId, chunk.ppid, data);
        this.#drain(s);
        return;
      }
    }
    this.#message({
      streamId: chunk.streamId,
      ssn: chunk.ssn,
      ppid: chunk.ppid,
      data,
      unordered: chunk.unordered,
      tsn,
    });
  }

  #message(m: Message): void {
    const d = this.#deferred;
    if (
      d &&
      tsnLt(d.sendersLastAssignedTsn, m.tsn) &&
      (d.streams.size === 0 || d.streams.has(m.streamId))
    ) {
      m.data = ownCopy(m.data);
      d.parked.push(m);
      this.queuedBytes += m.data.length;
      return;
    }
    if (m.unordered) {
      this.deliver(m.streamId, m.ppid, m.data);
      return;
    }
    const s = this.#stream(m.streamId);
    if (m.ssn === s.expectedSsn) {
      s.expectedSsn = ssnNext(s.expectedSsn);
      this.deliver(m.streamId, m.ppid, m.data);
      this.#drain(s);
    } else if (ssnLt(s.expectedSsn, m.ssn) && !s.pending.has(m.ssn)) {
      m.data = ownCopy(m.data);
      s.pending.set(m.ssn, m);
      this.queuedBytes += m.data.length;
    }
  }

  #drain(s: InboundStream): void {
    while (s.pending.has(s.expectedSsn)) {
      const k = s.expectedSsn;
      s.expectedSsn = ssnNext(k);
      this.#deliverPending(s, k);
    }
  }

  #deliverPending(s: InboundStream, ssn: number): void {
    const m = s.pending.get(ssn)!;
    s.pending.delete(ssn);
    this.queuedBytes -= m.data.length;
    this.deliver(m.streamId, m.ppid, m.data);
  }

  #dropRun(run: Run): void {
    this.#runsByFirst.delete(run.first);
    this.#runsByLast.delete(run.last);
    for (let t = run.first; ; t = tsnAdd(t, 1)) {
      if (this.#fragments.delete(t)) this.heldChunks--;
      if (t === run.last) break;
    }
    this.queuedBytes -= run.bytes;
  }

  #stream(id: number): InboundStream {
    let s = this.#streams.get(id);
    if (!s) {
      s = { expectedSsn: 0, pending: new Map() };
      this.#streams.set(id, s);
    }
    return s;
  }
}

function sameMessage(run: Run, c: DataChunk): boolean {
  return (
    run.streamId === c.streamId &&
    run.unordered === c.unordered &&
    (run.unordered || run.ssn === c.ssn)
  );
}

/**
 * A message held for later must not pin a much larger received packet in memory: small
 * views are copied out.
 */
function ownCopy(data: Buffer): Buffer {
  return data.length * 4 < data.buffer.byteLength ? Buffer.from(data) : data;
}
