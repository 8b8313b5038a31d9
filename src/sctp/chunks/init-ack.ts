/** INIT ACK (RFC 9260 §3.3.3): the INIT fields; its parameters must include the State Cookie. */
import { ChunkType } from '../chunk.js';
import { decodeInitFields, InitFields } from './init.js';

export class InitAckChunk extends InitFields {
  get type(): number {
    return ChunkType.INIT_ACK;
  }
  static decode(_flags: number, value: Buffer): InitAckChunk | undefined {
    return decodeInitFields(value, (...f) => new InitAckChunk(...f));
  }
}
