/**
 * DATA_CHANNEL_OPEN (RFC 8832 §5.1): channel type, priority, reliability parameter, and the
 * label and protocol as UTF-8 with their byte lengths.
 */
import { MessageType } from './message-type.js';

const HEADER = 12;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class DataChannelOpen {
  constructor(
    readonly channelType: number,
    /** RFC 8831 §6.4: 128 below normal, 256 normal, 512 high, 1024 extra high. */
    readonly priority: number,
    readonly reliabilityParameter: number,
    readonly label: string,
    readonly protocol: string,
  ) {}

  encode(): Buffer {
    const label = Buffer.from(this.label, 'utf8');
    const protocol = Buffer.from(this.protocol, 'utf8');
    if (label.length > 0xffff || protocol.length > 0xffff)
      throw new RangeError('label and protocol are limited to 65535 bytes of UTF-8');
    const buf = Buffer.alloc(HEADER + label.length + protocol.length);
    buf[0] = MessageType.DATA_CHANNEL_OPEN;
    buf[1] = this.channelType;
    buf.writeUInt16BE(this.priority, 2);
    buf.writeUInt32BE(this.reliabilityParameter, 4);
    buf.writeUInt16BE(label.length, 8);
    buf.writeUInt16BE(protocol.length, 10);
    label.copy(buf, HEADER);
    protocol.copy(buf, HEADER + label.length);
    return buf;
  }

  /** The OPEN in `buf`, or undefined when malformed (lengths, type, or invalid UTF-8). */
  static decode(buf: Buffer): DataChannelOpen | undefined {
    if (buf.length < HEADER || buf[0] !== MessageType.DATA_CHANNEL_OPEN) return undefined;
    const labelLength = buf.readUInt16BE(8);
    const protocolLength = buf.readUInt16BE(10);
    if (buf.length !== HEADER + labelLength + protocolLength) return undefined;
    try {
      return new DataChannelOpen(
        buf[1]!,
        buf.readUInt16BE(2),
        buf.readUInt32BE(4),
        utf8.decode(buf.subarray(HEADER, HEADER + labelLength)),
        utf8.decode(buf.subarray(HEADER + labelLength)),
      );
    } catch {
      return undefined; // not UTF-8
    }
  }
}
