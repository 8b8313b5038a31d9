/**
 * FORWARD TSN (RFC 3758 §3.2): moves the receiver's cumulative TSN past abandoned messages;
 * for ordered streams, the highest stream sequence number skipped on each.
 */
import { type Chunk, ChunkType } from '../chunk.js';

export interface SkippedStream {
  streamId: number;
  ssn: number;
}

export class ForwardTsnChunk implements Chunk {
  constructor(
    readonly newCumulativeTsn: number,
    readonly streams: readonly SkippedStream[],
  ) {}
  get type(): number {
    return ChunkType.FORWARD_TSN;
  }
  get flags(): number {
    return 0;
  }
  static decode(_flags: number, value: Buffer): ForwardTsnChunk | undefined {
    if (value.length < 4 || value.length % 4 !== 0) return undefined;
    const streams: SkippedStream[] = [];
    for (let off = 4; off < value.length; off += 4)
      streams.push({ streamId: value.readUInt16BE(off), ssn: value.readUInt16BE(off + 2) });
    return new ForwardTsnChunk(value.readUInt32BE(0), streams);
  }
  valueLength(): number {
    return 4 + 4 * this.streams.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.newCumulativeTsn, offset);
    let off = offset + 4;
    for (const s of this.streams) {
      buf.writeUInt16BE(s.streamId, off);
      buf.writeUInt16BE(s.ssn, off + 2);
      off += 4;
    }
  }
}
