/** SHUTDOWN ACK (RFC 9260 §3.3.9): answers SHUTDOWN once all outstanding data is acknowledged. No value. */
import { ChunkType } from '../chunk.js';
import { EmptyChunk } from './empty.js';

export class ShutdownAckChunk extends EmptyChunk {
  get type(): number {
    return ChunkType.SHUTDOWN_ACK;
  }
}
