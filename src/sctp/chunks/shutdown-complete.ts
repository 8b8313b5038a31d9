/** SHUTDOWN COMPLETE (RFC 9260 §3.3.13): ends the graceful close. The T bit as in ABORT. */
import { ChunkType } from '../chunk.js';
import { T_BIT } from './abort.js';
import { EmptyChunk } from './empty.js';

export class ShutdownCompleteChunk extends EmptyChunk {
  constructor(readonly reflected = false) {
    super();
  }
  override get type(): number {
    return ChunkType.SHUTDOWN_COMPLETE;
  }
  override get flags(): number {
    return this.reflected ? T_BIT : 0;
  }
}
