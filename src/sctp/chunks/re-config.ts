/**
 * RE-CONFIG (RFC 6525 §3.1): one or two re-configuration parameters (requests and
 * responses). Decoding keeps them raw; the association reads each by its type.
 */
import { type Chunk, ChunkType } from '../chunk.js';
import { type RawTlv, readTlvs, type Tlv, tlvsLength, writeTlvs } from '../tlv.js';

export class ReConfigChunk implements Chunk {
  constructor(readonly params: readonly Tlv[]) {}
  get type(): number {
    return ChunkType.RE_CONFIG;
  }
  get flags(): number {
    return 0;
  }
  /** Undefined when malformed or when it does not hold one or two parameters (§3.1). */
  static decode(_flags: number, value: Buffer): ReConfigChunk | undefined {
    const params: RawTlv[] | undefined = readTlvs(value);
    if (!params || params.length < 1 || params.length > 2) return undefined;
    return new ReConfigChunk(params);
  }
  valueLength(): number {
    return tlvsLength(this.params);
  }
  writeValue(buf: Buffer, offset: number): void {
    writeTlvs(buf, offset, this.params);
  }
}
