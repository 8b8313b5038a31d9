/**
 * DCEP channel types (RFC 8832 §5.1, §8.2.2): reliability and ordering of a channel, with
 * the reliability parameter (retransmissions, or lifetime in ms) beside it.
 */
export const ChannelType = {
  DATA_CHANNEL_RELIABLE: 0x00,
  DATA_CHANNEL_RELIABLE_UNORDERED: 0x80,
  DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT: 0x01,
  DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED: 0x81,
  DATA_CHANNEL_PARTIAL_RELIABLE_TIMED: 0x02,
  DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED: 0x82,
} as const;

const UNORDERED = 0x80;

/** Reliability and order as the W3C API states them. */
export interface Reliability {
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
}

/** The channel type and reliability parameter for a channel's settings. */
export function toChannelType(r: Reliability): {
  channelType: number;
  reliabilityParameter: number;
} {
  const order = r.ordered ? 0 : UNORDERED;
  if (r.maxRetransmits !== null)
    return {
      channelType: ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT | order,
      reliabilityParameter: r.maxRetransmits,
    };
  if (r.maxPacketLifeTime !== null)
    return {
      channelType: ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_TIMED | order,
      reliabilityParameter: r.maxPacketLifeTime,
    };
  return { channelType: ChannelType.DATA_CHANNEL_RELIABLE | order, reliabilityParameter: 0 };
}

/**
 * The settings a channel type and reliability parameter stand for, or undefined for a type
 * RFC 8832 does not define. The W3C attributes are unsigned shorts: larger parameters are
 * clamped to 65535, as the user agent's maximum.
 */
export function fromChannelType(
  channelType: number,
  reliabilityParameter: number,
): Reliability | undefined {
  const ordered = (channelType & UNORDERED) === 0;
  const param = Math.min(reliabilityParameter, 0xffff);
  switch (channelType & ~UNORDERED) {
    case ChannelType.DATA_CHANNEL_RELIABLE:
      return { ordered, maxRetransmits: null, maxPacketLifeTime: null };
    case ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT:
      return { ordered, maxRetransmits: param, maxPacketLifeTime: null };
    case ChannelType.DATA_CHANNEL_PARTIAL_RELIABLE_TIMED:
      return { ordered, maxRetransmits: null, maxPacketLifeTime: param };
    default:
      return undefined;
  }
}
