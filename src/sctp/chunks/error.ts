/** ERROR, "Operation Error" (RFC 9260 §3.3.10): reports error causes without ending the association. */
import { type Chunk, ChunkType } from '../chunk.js';
import { type ErrorCause, readErrorCauses } from '../error-cause.js';
import { tlvsLength, writeTlvs } from '../tlv.js';

export class OperationErrorChunk implements Chunk {
  constructor(readonly causes: readonly ErrorCause[]) {}
  get type(): number {
    return ChunkType.ERROR;
  }
  get flags(): number {
    return 0;
  }
  static decode(_flags: number, value: Buffer): OperationErrorChunk | undefined {
    const causes = readErrorCauses(value);
    return causes && new OperationErrorChunk(causes);
  }
  valueLength(): number {
    return tlvsLength(this.causes);
  }
  writeValue(buf: Buffer, offset: number): void {
    writeTlvs(buf, offset, this.causes);
  }
}
