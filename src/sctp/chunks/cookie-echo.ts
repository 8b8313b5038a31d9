/** COOKIE ECHO (RFC 9260 §3.3.11): returns the State Cookie of the INIT ACK, unchanged. */
import { type Chunk, ChunkType } from '../chunk.js';

export class CookieEchoChunk implements Chunk {
  constructor(readonly cookie: Buffer) {}
  get type(): number {
    return ChunkType.COOKIE_ECHO;
  }
  get flags(): number {
    return 0;
  }
  static decode(_flags: number, value: Buffer): CookieEchoChunk {
    return new CookieEchoChunk(value);
  }
  valueLength(): number {
    return this.cookie.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    this.cookie.copy(buf, offset);
  }
}
