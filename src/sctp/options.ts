/**
 * Association parameters and their defaults, chosen for WebRTC (SCTP over DTLS over UDP,
 * RFC 8261, RFC 8831) rather than the RFC 9260 §16 defaults meant for SCTP over IP.
 */

/**
 * Largest SCTP packet, in bytes. Browsers keep UDP payloads at or under 1200 bytes; a DTLS
 * 1.2 record around an SCTP packet adds 13 bytes of record header, and with AES-GCM (the
 * suite browsers pick, and the largest overhead we offer) an 8-byte explicit nonce and a
 * 16-byte tag: 1200 - 13 - 8 - 16 = 1163.
 */
export const DEFAULT_MTU = 1200 - 13 - 8 - 16;

/** The SCTP port of both ends unless a=sctp-port says otherwise (RFC 8841 §5). */
export const DEFAULT_SCTP_PORT = 5000;

/**
 * Largest message we accept, advertised as a=max-message-size (RFC 8841 §6). Browsers send
 * at most 262144 bytes unless told more; we accept the same by default.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 262144;

/** a=max-message-size when the remote description has none (RFC 8841 §6). */
export const DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65536;

export interface AssociationOptions {
  /** Our SCTP port (a=sctp-port of the local description). Default 5000. */
  localPort?: number;
  /** The peer's SCTP port (a=sctp-port of the remote description). Default 5000. */
  remotePort?: number;
  /** Largest SCTP packet we send (see DEFAULT_MTU). Default 1163. */
  mtu?: number;
  /** Largest message we accept (our a=max-message-size). Default 262144. */
  maxMessageSize?: number;
  /**
   * Largest message the peer accepts (its a=max-message-size; 0 means no limit); larger
   * messages are refused by sendMessage. Default 65536, the value when SDP has none.
   */
  remoteMaxMessageSize?: number;
  /**
   * Receive buffer: the a_rwnd we advertise and the payload bytes we hold for reassembly
   * and ordering. Must exceed maxMessageSize. Default 4 MiB, which fills ~300 Mbit/s at
   * 100 ms RTT.
   */
  receiveBufferSize?: number;
  /** Streams we ask for in both directions (OS and MIS). WebRTC: 65535. */
  streams?: number;
  /**
   * RTO.Initial in ms. RFC 9260 says 1 s; 500 ms gets a lost INIT or first DATA through
   * faster on the paths WebRTC runs on (ICE has already measured them live).
   */
  rtoInitial?: number;
  /**
   * RTO.Min in ms. RFC 9260 says 1 s; browsers use a few hundred ms. It must stay above the
   * 200 ms delayed SACK plus the path's RTT, or a lone packet times out spuriously.
   */
  rtoMin?: number;
  /** RTO.Max in ms. RFC 9260 says 60 s; 10 s bounds the time to notice a dead peer. */
  rtoMax?: number;
  /** Max.Init.Retransmits (INIT and COOKIE ECHO). Default 8. */
  maxInitRetransmits?: number;
  /** Association.Max.Retrans: consecutive timeouts before the peer is deemed gone. Default 10. */
  maxRetransmits?: number;
  /** HB.interval in ms. Default 30 s (RFC 9260); ICE consent freshness watches the path too. */
  heartbeatInterval?: number;
  /** Delayed SACK timeout in ms (RFC 9260 §6.2: at most 500, 200 recommended). */
  delayedAckTimeout?: number;
  /** Valid.Cookie.Life in ms. Default 60 s. */
  cookieLifetime?: number;
  /**
   * The association travels over DTLS (RFC 8261), whose records are authenticated: announce
   * that packets with a zero checksum are accepted, and send them so when the peer
   * announces the same (RFC 9653, EDMID 1). Default false.
   */
  zeroChecksum?: boolean;
}

export type ResolvedOptions = Required<AssociationOptions>;

export function resolveOptions(o: AssociationOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    localPort: o.localPort ?? DEFAULT_SCTP_PORT,
    remotePort: o.remotePort ?? DEFAULT_SCTP_PORT,
    mtu: o.mtu ?? DEFAULT_MTU,
    maxMessageSize: o.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    remoteMaxMessageSize: o.remoteMaxMessageSize ?? DEFAULT_REMOTE_MAX_MESSAGE_SIZE,
    receiveBufferSize: o.receiveBufferSize ?? 4 * 1024 * 1024,
    streams: o.streams ?? 65535,
    rtoInitial: o.rtoInitial ?? 500,
    rtoMin: o.rtoMin ?? 300,
    rtoMax: o.rtoMax ?? 10_000,
    maxInitRetransmits: o.maxInitRetransmits ?? 8,
    maxRetransmits: o.maxRetransmits ?? 10,
    heartbeatInterval: o.heartbeatInterval ?? 30_000,
    delayedAckTimeout: o.delayedAckTimeout ?? 200,
    cookieLifetime: o.cookieLifetime ?? 60_000,
    zeroChecksum: o.zeroChecksum ?? false,
  };
  if (r.mtu < 256 || r.mtu > 65535) throw new RangeError(`mtu ${r.mtu} out of range`);
  if (r.streams < 1 || r.streams > 65535) throw new RangeError(`streams ${r.streams} out of range`);
  if (r.receiveBufferSize < 1500 || r.receiveBufferSize > 0xffffffff)
    throw new RangeError(`receiveBufferSize ${r.receiveBufferSize} out of range`);
  if (r.maxMessageSize < 1 || r.maxMessageSize >= r.receiveBufferSize)
    throw new RangeError('maxMessageSize must be positive and below receiveBufferSize');
  return r;
}
