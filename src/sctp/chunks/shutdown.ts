/** SHUTDOWN (RFC 9260 §3.3.8): starts the graceful close; carries the sender's cumulative TSN ack. */
import { type Chunk, ChunkType } from '../chunk.js';

export class ShutdownChunk implements Chunk {
  constructor(readonly cumulativeTsnAck: number) {}
  get type(): number {
    return ChunkType.SHUTDOWN;
  }
  get flags(): number {
    return 0;
  }
  static decode(_flags: number, value: Buffer): ShutdownChunk | undefined {
    return value.length === 4 ? new ShutdownChunk(value.readUInt32BE(0)) : undefined;
  }
  valueLength(): number {
    return 4;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.cumulativeTsnAck, offset);
  }
}
