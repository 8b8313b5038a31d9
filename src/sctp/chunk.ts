/**
 * Chunks (RFC 9260 §3.2): 8-bit type, 8-bit flags, 16-bit length counting the 4-byte
 * header and the value but not the padding; each chunk is padded to a multiple of 4.
 */
import { padded } from './tlv.js';

/** Chunk types of RFC 9260 §3.2, RFC 3758 (FORWARD TSN) and RFC 6525 (RE-CONFIG). */
export const ChunkType = {
  DATA: 0,
  INIT: 1,
  INIT_ACK: 2,
  SACK: 3,
  HEARTBEAT: 4,
  HEARTBEAT_ACK: 5,
  ABORT: 6,
  SHUTDOWN: 7,
  SHUTDOWN_ACK: 8,
  ERROR: 9,
  COOKIE_ECHO: 10,
  COOKIE_ACK: 11,
  SHUTDOWN_COMPLETE: 14,
  RE_CONFIG: 130,
  FORWARD_TSN: 192,
} as const;

/** A chunk that can be written into a packet; the writer adds the header and padding. */
export interface Chunk {
  readonly type: number;
  readonly flags: number;
  /** Bytes of the value, without the 4-byte header and the padding. */
  valueLength(): number;
  writeValue(buf: Buffer, offset: number): void;
}

/** Bytes the chunk takes in a packet, padding included. */
export function chunkSize(chunk: Chunk): number {
  return padded(4 + chunk.valueLength());
}

/** Writes the chunk at `offset`, zero-padded; returns the offset after it. */
export function writeChunk(buf: Buffer, offset: number, chunk: Chunk): number {
  const len = 4 + chunk.valueLength();
  buf[offset] = chunk.type;
  buf[offset + 1] = chunk.flags;
  buf.writeUInt16BE(len, offset + 2);
  chunk.writeValue(buf, offset + 4);
  const end = padded(offset + len);
  buf.fill(0, offset + len, end);
  return end;
}

/** What the upper two bits of an unrecognized chunk type ask for (RFC 9260 §3.2). */
export function unrecognizedChunkAction(type: number): { skip: boolean; report: boolean } {
  return { skip: (type & 0x80) !== 0, report: (type & 0x40) !== 0 };
}
