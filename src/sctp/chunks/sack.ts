/**
 * SACK (RFC 9260 §3.3.4): cumulative TSN ack, a_rwnd, gap ack blocks as offsets from the
 * cumulative TSN ack, and duplicate TSNs.
 */
import { type Chunk, ChunkType } from '../chunk.js';

export class SackChunk implements Chunk {
  constructor(
    readonly cumulativeTsnAck: number,
    readonly advertisedReceiverWindowCredit: number,
    /** Pairs [start, end] of offsets from cumulativeTsnAck, flattened: start0, end0, start1, ... */
    readonly gapAckBlocks: readonly number[],
    readonly duplicateTsns: readonly number[],
  ) {}
  get type(): number {
    return ChunkType.SACK;
  }
  get flags(): number {
    return 0;
  }
  static decode(_flags: number, value: Buffer): SackChunk | undefined {
    if (value.length < 12) return undefined;
    const gaps = value.readUInt16BE(8);
    const dups = value.readUInt16BE(10);
    if (value.length < 12 + 4 * gaps + 4 * dups) return undefined;
    const gapAckBlocks = new Array<number>(2 * gaps);
    let off = 12;
    for (let i = 0; i < 2 * gaps; i++, off += 2) gapAckBlocks[i] = value.readUInt16BE(off);
    const duplicateTsns = new Array<number>(dups);
    for (let i = 0; i < dups; i++, off += 4) duplicateTsns[i] = value.readUInt32BE(off);
    return new SackChunk(value.readUInt32BE(0), value.readUInt32BE(4), gapAckBlocks, duplicateTsns);
  }
  valueLength(): number {
    return 12 + 2 * this.gapAckBlocks.length + 4 * this.duplicateTsns.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.cumulativeTsnAck, offset);
    buf.writeUInt32BE(this.advertisedReceiverWindowCredit, offset + 4);
    buf.writeUInt16BE(this.gapAckBlocks.length / 2, offset + 8);
    buf.writeUInt16BE(this.duplicateTsns.length, offset + 10);
    let off = offset + 12;
    for (const g of this.gapAckBlocks) {
      buf.writeUInt16BE(g, off);
      off += 2;
    }
    for (const d of this.duplicateTsns) {
      buf.writeUInt32BE(d, off);
      off += 4;
    }
  }
}
