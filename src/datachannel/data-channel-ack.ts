/** DATA_CHANNEL_ACK (RFC 8832 §5.2): the message type alone. */
import { MessageType } from './message-type.js';

export const DataChannelAck = {
  encode(): Buffer {
    return Buffer.of(MessageType.DATA_CHANNEL_ACK);
  },
  /** Whether `buf` is a well-formed ACK. */
  is(buf: Buffer): boolean {
    return buf.length === 1 && buf[0] === MessageType.DATA_CHANNEL_ACK;
  },
};
