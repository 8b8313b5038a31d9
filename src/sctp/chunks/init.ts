/**
 * INIT (RFC 9260 §3.3.2). INIT ACK (init-ack.ts) has the same fixed fields: Initiate Tag,
 * a_rwnd, number of outbound and inbound streams, initial TSN, then optional parameters.
 */
import { type Chunk, ChunkType } from '../chunk.js';
import { type RawTlv, readTlvs, type Tlv, tlvsLength, writeTlvs } from '../tlv.js';

const FIXED = 16;

/** The fields INIT and INIT ACK share. */
export abstract class InitFields implements Chunk {
  abstract readonly type: number;
  constructor(
    readonly initiateTag: number,
    readonly advertisedReceiverWindowCredit: number,
    readonly outboundStreams: number,
    readonly inboundStreams: number,
    readonly initialTsn: number,
    readonly params: readonly Tlv[],
  ) {}
  get flags(): number {
    return 0;
  }
  valueLength(): number {
    return FIXED + tlvsLength(this.params);
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.initiateTag, offset);
    buf.writeUInt32BE(this.advertisedReceiverWindowCredit, offset + 4);
    buf.writeUInt16BE(this.outboundStreams, offset + 8);
    buf.writeUInt16BE(this.inboundStreams, offset + 10);
    buf.writeUInt32BE(this.initialTsn, offset + 12);
    writeTlvs(buf, offset + FIXED, this.params);
  }
}

/** Reads the shared fields; undefined when too short or the parameters are malformed. */
export function decodeInitFields<T>(
  value: Buffer,
  make: (tag: number, rwnd: number, os: number, mis: number, tsn: number, p: RawTlv[]) => T,
): T | undefined {
  if (value.length < FIXED) return undefined;
  const params = readTlvs(value.subarray(FIXED));
  if (!params) return undefined;
  return make(
    value.readUInt32BE(0),
    value.readUInt32BE(4),
    value.readUInt16BE(8),
    value.readUInt16BE(10),
    value.readUInt32BE(12),
    params,
  );
}

export class InitChunk extends InitFields {
  get type(): number {
    return ChunkType.INIT;
  }
  static decode(_flags: number, value: Buffer): InitChunk | undefined {
    return decodeInitFields(value, (...f) => new InitChunk(...f));
  }
}
