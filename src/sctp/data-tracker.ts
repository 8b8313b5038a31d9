/**
 * The receiver's view of the peer's TSNs (RFC 9260 §6.2): the cumulative TSN (every TSN up
 * to it received), the blocks of TSNs received beyond it, and the duplicates seen since the
 * last SACK. Builds the SACK.
 */
import { SackChunk } from './chunks/sack.js';
import { tsnAdd, tsnDiff, tsnLt, tsnLte } from './serial.js';

/** Duplicate TSNs reported per SACK at most. */
const MAX_DUPLICATES = 32;

/**
 * Gap blocks kept at most. A TSN that would open one more is not recorded (the caller
 * drops it unacknowledged, as when there is no room), so a peer scattering TSNs cannot
 * make each chunk cost time in proportion to the gaps.
 */
export const MAX_GAP_BLOCKS = 1024;

export class DataTracker {
  cumulativeTsn: number;
  highestReceived: number;
  /** Received TSNs beyond the cumulative TSN as sorted [start, end] pairs, flattened. */
  readonly #blocks: number[] = [];
  readonly #duplicates: number[] = [];

  constructor(peerInitialTsn: number) {
    this.cumulativeTsn = tsnAdd(peerInitialTsn, -1);
    this.highestReceived = this.cumulativeTsn;
  }

  get hasGaps(): boolean {
    return this.#blocks.length > 0;
  }

  get hasDuplicates(): boolean {
    return this.#duplicates.length > 0;
  }

  isDuplicate(tsn: number): boolean {
    if (tsnLte(tsn, this.cumulativeTsn)) return true;
    const b = this.#blocks;
    for (let i = b.length - 2; i >= 0; i -= 2) {
      if (tsnLt(b[i + 1]!, tsn)) return false;
      if (tsnLte(b[i]!, tsn)) return true;
    }
    return false;
  }

  noteDuplicate(tsn: number): void {
    if (this.#duplicates.length < MAX_DUPLICATES) this.#duplicates.push(tsn);
  }

  /**
   * Records a new TSN (not a duplicate, beyond the cumulative TSN); false, recording
   * nothing, when it would open a gap block beyond MAX_GAP_BLOCKS.
   */
  record(tsn: number): boolean {
    if (tsnLt(this.highestReceived, tsn)) this.highestReceived = tsn;
    const b = this.#blocks;
    if (tsn === tsnAdd(this.cumulativeTsn, 1)) {
      this.cumulativeTsn = tsn;
      if (b.length > 0 && b[0] === tsnAdd(tsn, 1)) {
        this.cumulativeTsn = b[1]!;
        b.splice(0, 2);
      }
      return true;
    }
    // Most TSNs extend the last block; search from the end.
    let i = b.length - 2;
    while (i >= 0 && tsnLt(tsn, b[i]!)) i -= 2;
    // Now block i (if any) starts at or before tsn, and block i + 2 (if any) after it.
    if (i >= 0 && b[i + 1] === tsnAdd(tsn, -1)) {
      b[i + 1] = tsn;
      if (i + 2 < b.length && b[i + 2] === tsnAdd(tsn, 1)) {
        b[i + 1] = b[i + 3]!;
        b.splice(i + 2, 2);
      }
    } else if (i + 2 < b.length && b[i + 2] === tsnAdd(tsn, 1)) {
      b[i + 2] = tsn;
    } else {
      if (b.length >= 2 * MAX_GAP_BLOCKS) return false;
      b.splice(i + 2, 0, tsn, tsn);
    }
    return true;
  }

  /** Moves the cumulative TSN forward (FORWARD TSN, RFC 3758 §3.6). */
  forwardTo(newCumulativeTsn: number): void {
    if (!tsnLt(this.cumulativeTsn, newCumulativeTsn)) return;
    this.cumulativeTsn = newCumulativeTsn;
    const b = this.#blocks;
    while (b.length > 0 && tsnLte(b[0]!, tsnAdd(this.cumulativeTsn, 1))) {
      if (tsnLt(this.cumulativeTsn, b[1]!)) this.cumulativeTsn = b[1]!;
      b.splice(0, 2);
    }
    if (tsnLt(this.highestReceived, this.cumulativeTsn)) this.highestReceived = this.cumulativeTsn;
  }

  /**
   * The SACK to send now, with at most `maxGapBlocks` blocks (those nearest the cumulative
   * TSN, the ones retransmission depends on); clears the duplicate list.
   */
  sack(advertisedReceiverWindowCredit: number, maxGapBlocks: number): SackChunk {
    const gaps: number[] = [];
    const b = this.#blocks;
    for (let i = 0; i < b.length && gaps.length < 2 * maxGapBlocks; i += 2) {
      const start = tsnDiff(b[i]!, this.cumulativeTsn);
      const end = tsnDiff(b[i + 1]!, this.cumulativeTsn);
      if (end > 0xffff) break; // offsets are 16 bits
      gaps.push(start, end);
    }
    const dups = this.#duplicates.splice(0);
    return new SackChunk(this.cumulativeTsn, advertisedReceiverWindowCredit, gaps, dups);
  }
}
