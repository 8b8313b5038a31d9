/** COOKIE ACK (RFC 9260 §3.3.12): the association is established. No value. */
import { ChunkType } from '../chunk.js';
import { EmptyChunk } from './empty.js';

export class CookieAckChunk extends EmptyChunk {
  get type(): number {
    return ChunkType.COOKIE_ACK;
  }
}
