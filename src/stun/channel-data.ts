/**
 * ChannelData messages (RFC 8656 §12.4): TURN's 4-byte framing for data on a bound
 * channel. Channel numbers 0x4000-0x4FFF; the length counts the data without padding;
 * over TCP the message is padded to 4 bytes, over UDP padding is optional.
 */

export const MIN_CHANNEL_NUMBER = 0x4000;
export const MAX_CHANNEL_NUMBER = 0x4fff;
export const CHANNEL_DATA_HEADER_LENGTH = 4;

export interface ChannelData {
  channelNumber: number;
  /** A view of the application data. */
  data: Buffer;
}

export function isChannelNumber(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_CHANNEL_NUMBER && n <= MAX_CHANNEL_NUMBER;
}

/** Frames `data` for `channelNumber`; `pad` (for TCP) rounds the message up to 4 bytes. */
export function encodeChannelData(channelNumber: number, data: Uint8Array, pad = false): Buffer {
  if (!isChannelNumber(channelNumber)) throw new RangeError(`bad channel number ${channelNumber}`);
  if (data.length > 0xffff) throw new RangeError('ChannelData longer than 65535 bytes');
  const length = CHANNEL_DATA_HEADER_LENGTH + (pad ? (data.length + 3) & ~3 : data.length);
  const out = Buffer.alloc(length);
  out.writeUInt16BE(channelNumber, 0);
  out.writeUInt16BE(data.length, 2);
  out.set(data, CHANNEL_DATA_HEADER_LENGTH);
  return out;
}

/**
 * Reads the ChannelData message at the start of `message`, or undefined when it is not
 * one (bad channel number, or shorter than its length says). Bytes after the data
 * (padding, or the next message on a stream) are left to the caller: see channelDataLength.
 */
export function decodeChannelData(message: Buffer): ChannelData | undefined {
  if (message.length < CHANNEL_DATA_HEADER_LENGTH) return undefined;
  const channelNumber = message.readUInt16BE(0);
  const length = message.readUInt16BE(2);
  if (!isChannelNumber(channelNumber) || CHANNEL_DATA_HEADER_LENGTH + length > message.length)
    return undefined;
  return { channelNumber, data: message.subarray(4, 4 + length) };
}

/** The bytes a ChannelData message with this header takes on a stream (TCP), padding included. */
export function channelDataLength(header: Buffer): number {
  return CHANNEL_DATA_HEADER_LENGTH + ((header.readUInt16BE(2) + 3) & ~3);
}
