/** DCEP message types (RFC 8832 §8.2.1): the first byte of every message with PPID 50. */
export const MessageType = {
  DATA_CHANNEL_ACK: 0x02,
  DATA_CHANNEL_OPEN: 0x03,
} as const;
