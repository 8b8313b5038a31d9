/**
 * ABORT (RFC 9260 §3.3.7): ends the association at once, with optional error causes. The
 * T bit says the verification tag is the receiver's own ("reflected"), not the peer's.
 */
import { type Chunk, ChunkType } from '../chunk.js';
import { type ErrorCause, readErrorCauses } from '../error-cause.js';
import { tlvsLength, writeTlvs } from '../tlv.js';

/** The T bit of ABORT and SHUTDOWN COMPLETE. */
export const T_BIT = 0x01;

export class AbortChunk implements Chunk {
  constructor(
    readonly causes: readonly ErrorCause[] = [],
    /** Set when the verification tag is the one from the packet being answered (§8.4, §8.5.1). */
    readonly reflected = false,
  ) {}
  get type(): number {
    return ChunkType.ABORT;
  }
  get flags(): number {
    return this.reflected ? T_BIT : 0;
  }
  static decode(flags: number, value: Buffer): AbortChunk | undefined {
    const causes = readErrorCauses(value);
    return causes && new AbortChunk(causes, (flags & T_BIT) !== 0);
  }
  valueLength(): number {
    return tlvsLength(this.causes);
  }
  writeValue(buf: Buffer, offset: number): void {
    writeTlvs(buf, offset, this.causes);
  }
}
