/**
 * SCTP Payload Protocol Identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).
 * SCTP cannot carry an empty message, so empty ones travel as one byte under their own PPID.
 * The partial PPIDs 52 and 54 are deprecated (RFC 8831 §6.6); we never send them and drop
 * what arrives with them rather than gather fragments without bound.
 */
export const Ppid = {
  DCEP: 50,
  STRING: 51,
  BINARY_PARTIAL: 52,
  BINARY: 53,
  STRING_PARTIAL: 54,
  STRING_EMPTY: 56,
  BINARY_EMPTY: 57,
} as const;
