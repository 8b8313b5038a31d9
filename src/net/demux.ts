/**
 * RFC 7983 §7: what a datagram arriving on a WebRTC port carries, from its first byte.
 *
 *   0..3     STUN
 *   16..19   ZRTP
 *   20..63   DTLS
 *   64..79   TURN ChannelData
 *   128..191 RTP / RTCP
 *
 * Anything else is dropped.
 */

export type PacketKind = 'stun' | 'zrtp' | 'dtls' | 'turn-channel' | 'rtp' | 'unknown';

export function demultiplex(firstByte: number): PacketKind {
  if (firstByte < 4) return 'stun';
  if (firstByte < 16) return 'unknown';
  if (firstByte < 20) return 'zrtp';
  if (firstByte < 64) return 'dtls';
  if (firstByte < 80) return 'turn-channel';
  if (firstByte < 128) return 'unknown';
  if (firstByte < 192) return 'rtp';
  return 'unknown';
}
