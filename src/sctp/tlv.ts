/**
 * Type-length-value fields: the optional parameters of INIT, INIT ACK, HEARTBEAT and
 * RE-CONFIG, and the error causes of ABORT and ERROR share one layout (RFC 9260 §3.2.1,
 * §3.3.10): 16-bit type, 16-bit length counting the 4-byte header and the value but not
 * the padding, then the value padded with zeros to a multiple of 4 bytes.
 */

/** A field that can be written as a TLV. */
export interface Tlv {
  readonly type: number;
  /** Bytes of the value, without header and padding. */
  valueLength(): number;
  writeValue(buf: Buffer, offset: number): void;
}

/** A TLV kept as its raw value: decoded input, or a value already encoded. */
export class RawTlv implements Tlv {
  constructor(
    readonly type: number,
    readonly value: Buffer,
  ) {}
  valueLength(): number {
    return this.value.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    this.value.copy(buf, offset);
  }
}

/** n rounded up to a multiple of 4. */
export function padded(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Bytes a list of TLVs takes inside a chunk: every TLV padded except the last, whose
 * padding is the chunk's own (RFC 9260 §3.2: the chunk length includes the padding of
 * every parameter but the last).
 */
export function tlvsLength(list: readonly Tlv[]): number {
  let n = 0;
  for (const t of list) n = padded(n) + 4 + t.valueLength();
  return n;
}

/** Writes TLVs at `offset` (zero padding between them); returns the offset after the last value. */
export function writeTlvs(buf: Buffer, offset: number, list: readonly Tlv[]): number {
  for (const t of list) {
    const start = padded(offset);
    buf.fill(0, offset, start);
    const len = 4 + t.valueLength();
    buf.writeUInt16BE(t.type, start);
    buf.writeUInt16BE(len, start + 2);
    t.writeValue(buf, start + 4);
    offset = start + len;
  }
  return offset;
}

/** Reads the TLVs filling `data`, or undefined when a length is malformed. Values are views. */
export function readTlvs(data: Buffer): RawTlv[] | undefined {
  const out: RawTlv[] = [];
  let off = 0;
  while (off + 4 <= data.length) {
    const len = data.readUInt16BE(off + 2);
    if (len < 4 || off + len > data.length) return undefined;
    out.push(new RawTlv(data.readUInt16BE(off), data.subarray(off + 4, off + len)));
    off += padded(len);
  }
  // Anything left must be padding the sender was allowed to leave out.
  return off >= data.length || data.length - off < 4 ? out : undefined;
}

/** What the upper two bits of an unrecognized parameter type ask for (RFC 9260 §3.2.1). */
export function unrecognizedParameterAction(type: number): { stop: boolean; report: boolean } {
  return { stop: (type & 0x8000) === 0, report: (type & 0x4000) !== 0 };
}
