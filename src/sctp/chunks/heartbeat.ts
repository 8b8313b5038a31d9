/**
 * HEARTBEAT (RFC 9260 §3.3.5): carries a Heartbeat Info parameter the peer echoes back in
 * a HEARTBEAT ACK (heartbeat-ack.ts), which has the same layout.
 */
import { type Chunk, ChunkType } from '../chunk.js';
import { ParameterType } from '../parameter.js';
import { HeartbeatInfo } from '../params/heartbeat-info.js';
import { readTlvs, tlvsLength, writeTlvs } from '../tlv.js';

/** The layout HEARTBEAT and HEARTBEAT ACK share. */
export abstract class HeartbeatFields implements Chunk {
  abstract readonly type: number;
  readonly #param: HeartbeatInfo;
  constructor(readonly info: Buffer) {
    this.#param = new HeartbeatInfo(info);
  }
  get flags(): number {
    return 0;
  }
  valueLength(): number {
    return tlvsLength([this.#param]);
  }
  writeValue(buf: Buffer, offset: number): void {
    writeTlvs(buf, offset, [this.#param]);
  }
}

/** The Heartbeat Info of a HEARTBEAT or HEARTBEAT ACK value, or undefined when it has none. */
export function decodeHeartbeatInfo(value: Buffer): Buffer | undefined {
  const params = readTlvs(value);
  return params?.find((p) => p.type === ParameterType.HEARTBEAT_INFO)?.value;
}

export class HeartbeatRequestChunk extends HeartbeatFields {
  get type(): number {
    return ChunkType.HEARTBEAT;
  }
  static decode(_flags: number, value: Buffer): HeartbeatRequestChunk | undefined {
    const info = decodeHeartbeatInfo(value);
    return info && new HeartbeatRequestChunk(info);
  }
}
