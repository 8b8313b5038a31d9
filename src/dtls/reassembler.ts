/**
 * Reassembly of fragmented, reordered and duplicated handshake messages (RFC 6347 §4.2.3):
 * messages are delivered whole and in message_seq order. Everything it buffers is bounded,
 * since an unauthenticated peer can send any fragment header it likes.
 */
import { HANDSHAKE_HEADER_LENGTH } from './handshake/header.js';

export interface HandshakeFragment {
  msgType: number;
  /** The length of the whole message. */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragment: Buffer;
  epoch: number;
  recordSequence: number;
}

export interface HandshakeMessage {
  msgType: number;
  messageSeq: number;
  body: Buffer;
  /** Header and body as if sent unfragmented: what the handshake hash covers (RFC 6347 §4.2.6). */
  raw: Buffer;
  epoch: number;
  /** The highest record sequence number any of its fragments arrived in. */
  recordSequence: number;
}

export interface ReassemblyLimits {
  /** Messages buffered ahead of the next expected one. */
  window: number;
  maxMessageLength: number;
  maxBufferedBytes: number;
}

export const defaultReassemblyLimits: ReassemblyLimits = {
  window: 8,
  maxMessageLength: 32 * 1024,
  maxBufferedBytes: 64 * 1024,
};

interface Partial {
  msgType: number;
  epoch: number;
  raw: Buffer;
  /** Received byte ranges of the body, sorted and merged: [start, end) pairs. */
  ranges: number[];
  recordSequence: number;
}

export type AddResult = 'old' | 'accepted' | 'dropped';

export class HandshakeReassembler {
  #next = 0;
  readonly #pending = new Map<number, Partial>();
  #bufferedBytes = 0;
  readonly #limits: ReassemblyLimits;

  constructor(limits: ReassemblyLimits = defaultReassemblyLimits) {
    this.#limits = limits;
  }

  /** The message_seq of the next message to deliver. */
  get next(): number {
    return this.#next;
  }

  /** Forgets everything buffered and expects `messageSeq` next. */
  reset(messageSeq: number): void {
    this.#pending.clear();
    this.#bufferedBytes = 0;
    this.#next = messageSeq;
  }

  /** 'old' for a message already delivered (a retransmission), 'dropped' for one outside the bounds or inconsistent. */
  add(f: HandshakeFragment): AddResult {
    if (f.messageSeq < this.#next) return 'old';
    const limits = this.#limits;
    if (f.messageSeq >= this.#next + limits.window || f.length > limits.maxMessageLength)
      return 'dropped';
    const end = f.fragmentOffset + f.fragment.length;
    if (end > f.length) return 'dropped';
    let p = this.#pending.get(f.messageSeq);
    if (!p) {
      if (this.#bufferedBytes + f.length > limits.maxBufferedBytes) return 'dropped';
      const raw = Buffer.alloc(HANDSHAKE_HEADER_LENGTH + f.length);
      raw[0] = f.msgType;
      raw.writeUIntBE(f.length, 1, 3);
      raw.writeUInt16BE(f.messageSeq, 4);
      raw.writeUIntBE(f.length, 9, 3); // fragment_offset 0, fragment_length = length
      p = { msgType: f.msgType, epoch: f.epoch, raw, ranges: [], recordSequence: f.recordSequence };
      this.#pending.set(f.messageSeq, p);
      this.#bufferedBytes += f.length;
    } else if (
      p.msgType !== f.msgType ||
      p.raw.length !== HANDSHAKE_HEADER_LENGTH + f.length ||
      p.epoch !== f.epoch
    ) {
      return 'dropped';
    }
    if ((end > f.fragmentOffset || f.length === 0) && !addRange(p.ranges, f.fragmentOffset, end))
      return 'dropped';
    f.fragment.copy(p.raw, HANDSHAKE_HEADER_LENGTH + f.fragmentOffset);
    p.recordSequence = Math.max(p.recordSequence, f.recordSequence);
    return 'accepted';
  }

  /** The next message in order, once all of it has arrived. */
  pop(): HandshakeMessage | undefined {
    const p = this.#pending.get(this.#next);
    if (!p) return undefined;
    const length = p.raw.length - HANDSHAKE_HEADER_LENGTH;
    if (p.ranges.length !== 2 || p.ranges[0] !== 0 || p.ranges[1] !== length) return undefined;
    this.#pending.delete(this.#next);
    this.#bufferedBytes -= length;
    return {
      msgType: p.msgType,
      messageSeq: this.#next++,
      body: p.raw.subarray(HANDSHAKE_HEADER_LENGTH),
      raw: p.raw,
      epoch: p.epoch,
      recordSequence: p.recordSequence,
    };
  }
}

/**
 * Disjoint pieces a message may be in while it is gathered. A sender cuts a message into
 * pieces of its path MTU, so a few suffice; a peer sending tiny fragments with gaps between
 * them would otherwise make each fragment cost as much as all the ones before it.
 */
const MAX_RANGES = 32;

/**
 * Inserts [start, end) into a sorted list of disjoint ranges, merging what touches; false,
 * leaving the list as it was, when that would make more than MAX_RANGES ranges.
 */
function addRange(ranges: number[], start: number, end: number): boolean {
  let i = 0;
  while (i < ranges.length && ranges[i + 1]! < start) i += 2;
  let j = i;
  while (j < ranges.length && ranges[j]! <= end) {
    start = Math.min(start, ranges[j]!);
    end = Math.max(end, ranges[j + 1]!);
    j += 2;
  }
  if (i === j && ranges.length >= 2 * MAX_RANGES) return false;
  ranges.splice(i, j - i, start, end);
  return true;
}
