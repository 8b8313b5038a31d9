/** HEARTBEAT ACK (RFC 9260 §3.3.6): echoes the Heartbeat Info of a HEARTBEAT. */
import { ChunkType } from '../chunk.js';
import { decodeHeartbeatInfo, HeartbeatFields } from './heartbeat.js';

export class HeartbeatAckChunk extends HeartbeatFields {
  get type(): number {
    return ChunkType.HEARTBEAT_ACK;
  }
  static decode(_flags: number, value: Buffer): HeartbeatAckChunk | undefined {
    const info = decodeHeartbeatInfo(value);
    return info && new HeartbeatAckChunk(info);
  }
}
