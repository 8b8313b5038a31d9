/**
 * The SCTP packet (RFC 9260 §3.1): a 12-byte common header (source port, destination
 * port, verification tag, CRC32c checksum) followed by chunks.
 */
import { type Chunk, chunkSize, writeChunk } from './chunk.js';
import { crc32c } from './crc32c.js';
import { padded } from './tlv.js';

export const COMMON_HEADER_LENGTH = 12;

/**
 * Whether the CRC32c over the packet, computed with the checksum field as zero, matches
 * that field. The checksum is stored least significant byte first (Appendix B).
 * `acceptZero`: a zero checksum is taken as valid (RFC 9653 §5.3, when announced).
 */
export function verifyChecksum(packet: Buffer, acceptZero = false): boolean {
  if (packet.length < COMMON_HEADER_LENGTH) return false;
  const stored = packet.readUInt32LE(8);
  if (stored === 0 && acceptZero) return true;
  packet.writeUInt32LE(0, 8);
  const ok = crc32c(packet) === stored;
  packet.writeUInt32LE(stored, 8);
  return ok;
}

/** Walks the chunks of a packet without copying: each `next()` exposes one chunk's fields. */
export class ChunkReader {
  type = 0;
  flags = 0;
  /** The chunk's value (after its 4-byte header), a view into the packet. */
  value: Buffer = Buffer.alloc(0);
  /** Where this chunk starts in the packet (for reporting it whole). */
  start = 0;
  end = 0;
  #packet: Buffer = Buffer.alloc(0);
  #offset = 0;
  /** Set when the walk stopped at a malformed chunk length. */
  malformed = false;

  reset(packet: Buffer): this {
    this.#packet = packet;
    this.#offset = COMMON_HEADER_LENGTH;
    this.malformed = false;
    return this;
  }

  /** Advances to the next chunk; false at the end or at a malformed length. */
  next(): boolean {
    const p = this.#packet;
    const off = this.#offset;
    if (off + 4 > p.length) {
      // Leftover bytes shorter than a chunk header are only acceptable as zero padding.
      this.malformed = off < p.length && p.subarray(off).some((b) => b !== 0);
      return false;
    }
    const len = p.readUInt16BE(off + 2);
    if (len < 4 || off + len > p.length) {
      this.malformed = true;
      return false;
    }
    this.type = p[off]!;
    this.flags = p[off + 1]!;
    this.start = off;
    this.end = off + len;
    this.value = p.subarray(off + 4, off + len);
    this.#offset = padded(off + len);
    return true;
  }

  /** The whole current chunk, header included (a view). */
  raw(): Buffer {
    return this.#packet.subarray(this.start, this.end);
  }
}

/** Builds outgoing packets into one reused buffer of the path MTU. */
export class PacketWriter {
  readonly #buf: Buffer;
  #offset = COMMON_HEADER_LENGTH;

  constructor(readonly mtu: number) {
    this.#buf = Buffer.alloc(mtu);
  }

  /** Starts a packet with the common header; the checksum is filled in by finish(). */
  begin(sourcePort: number, destinationPort: number, verificationTag: number): void {
    const b = this.#buf;
    b.writeUInt16BE(sourcePort, 0);
    b.writeUInt16BE(destinationPort, 2);
    b.writeUInt32BE(verificationTag, 4);
    this.#offset = COMMON_HEADER_LENGTH;
  }

  /** Bytes still free in the packet. */
  get remaining(): number {
    return this.mtu - this.#offset;
  }

  /** The type of the packet's first chunk, if any was added since begin(). */
  get firstChunkType(): number | undefined {
    return this.empty ? undefined : this.#buf[COMMON_HEADER_LENGTH];
  }

  /** Whether any chunk was added since begin(). */
  get empty(): boolean {
    return this.#offset === COMMON_HEADER_LENGTH;
  }

  /** Adds a chunk if it fits; returns whether it did. */
  add(chunk: Chunk): boolean {
    if (chunkSize(chunk) > this.remaining) return false;
    this.#offset = writeChunk(this.#buf, this.#offset, chunk);
    return true;
  }

  /**
   * Writes the checksum (zero when the peer accepts that: RFC 9653 §5.2) and returns the
   * packet: a view of the shared buffer, valid until the next begin() (the send callback
   * must consume or copy it before returning).
   */
  finish(zeroChecksum = false): Buffer {
    const packet = this.#buf.subarray(0, this.#offset);
    packet.writeUInt32LE(0, 8);
    if (!zeroChecksum) packet.writeUInt32LE(crc32c(packet), 8);
    return packet;
  }
}
