/**
 * DATA (RFC 9260 §3.3.1): one fragment of a user message. Flags: I (RFC 7053, answer with
 * a SACK at once), U (unordered), B (first fragment), E (last fragment).
 */
import { type Chunk, ChunkType } from '../chunk.js';

export const DataFlags = { END: 0x01, BEGINNING: 0x02, UNORDERED: 0x04, IMMEDIATE: 0x08 } as const;

/** The DATA header after the common chunk header: TSN, stream id, SSN, PPID. */
export const DATA_HEADER_LENGTH = 12;

export class DataChunk implements Chunk {
  constructor(
    public tsn: number,
    public streamId: number,
    public ssn: number,
    public ppid: number,
    public payload: Buffer,
    public flags: number,
  ) {}
  get type(): number {
    return ChunkType.DATA;
  }
  get unordered(): boolean {
    return (this.flags & DataFlags.UNORDERED) !== 0;
  }
  get beginning(): boolean {
    return (this.flags & DataFlags.BEGINNING) !== 0;
  }
  get end(): boolean {
    return (this.flags & DataFlags.END) !== 0;
  }
  /** Decodes a DATA value; an empty payload is returned as such (the caller aborts with No User Data). */
  static decode(flags: number, value: Buffer): DataChunk | undefined {
    if (value.length < DATA_HEADER_LENGTH) return undefined;
    return new DataChunk(
      value.readUInt32BE(0),
      value.readUInt16BE(4),
      value.readUInt16BE(6),
      value.readUInt32BE(8),
      value.subarray(DATA_HEADER_LENGTH),
      flags,
    );
  }
  valueLength(): number {
    return DATA_HEADER_LENGTH + this.payload.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.tsn, offset);
    buf.writeUInt16BE(this.streamId, offset + 4);
    buf.writeUInt16BE(this.ssn, offset + 6);
    buf.writeUInt32BE(this.ppid, offset + 8);
    this.payload.copy(buf, offset + DATA_HEADER_LENGTH);
  }
}
