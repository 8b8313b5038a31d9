/** The chunks with no value: SHUTDOWN ACK, COOKIE ACK, SHUTDOWN COMPLETE share this base. */
import type { Chunk } from '../chunk.js';

export abstract class EmptyChunk implements Chunk {
  abstract readonly type: number;
  get flags(): number {
    return 0;
  }
  valueLength(): number {
    return 0;
  }
  writeValue(): void {}
}
