/**
 * Our State Cookie (RFC 9260 §5.1.3): everything needed to build the association from a
 * COOKIE ECHO, so that answering an INIT creates no state. It is signed with HMAC-SHA256
 * under a secret that never leaves the endpoint, and carries its creation time so that
 * stale cookies are refused (§5.1.5). The layout is ours alone; the peer only echoes it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CookieContents {
  /** When the cookie was made, on the association's clock (ms). */
  created: number;
  /** How long it stays valid (ms). */
  lifespan: number;
  /** Our verification tag (the Initiate Tag of our INIT ACK). */
  localTag: number;
  /** The peer's verification tag (the Initiate Tag of its INIT). */
  peerTag: number;
  localInitialTsn: number;
  peerInitialTsn: number;
  peerReceiverWindow: number;
  /** Negotiated stream counts: min(our OS, its MIS) and min(its OS, our MIS). */
  outboundStreams: number;
  inboundStreams: number;
  peerForwardTsn: boolean;
  peerReconfig: boolean;
  /** The peer accepts zero checksums over DTLS (RFC 9653). */
  peerZeroChecksum: boolean;
  /** Tie-tags (§5.2.2): the tags of an existing association when the INIT arrived, else 0. */
  localTieTag: number;
  peerTieTag: number;
}

const BODY = 45;
const MAC = 32;
export const COOKIE_LENGTH = BODY + MAC;

export function encodeCookie(c: CookieContents, secret: Buffer): Buffer {
  const buf = Buffer.alloc(COOKIE_LENGTH);
  buf.writeDoubleBE(c.created, 0);
  buf.writeUInt32BE(c.lifespan, 8);
  buf.writeUInt32BE(c.localTag, 12);
  buf.writeUInt32BE(c.peerTag, 16);
  buf.writeUInt32BE(c.localInitialTsn, 20);
  buf.writeUInt32BE(c.peerInitialTsn, 24);
  buf.writeUInt32BE(c.peerReceiverWindow, 28);
  buf.writeUInt16BE(c.outboundStreams, 32);
  buf.writeUInt16BE(c.inboundStreams, 34);
  buf[36] = (c.peerForwardTsn ? 1 : 0) | (c.peerReconfig ? 2 : 0) | (c.peerZeroChecksum ? 4 : 0);
  buf.writeUInt32BE(c.localTieTag, 37);
  buf.writeUInt32BE(c.peerTieTag, 41);
  mac(buf.subarray(0, BODY), secret).copy(buf, BODY);
  return buf;
}

/** The contents of a cookie we made, or undefined when it is not one (wrong size or MAC). */
export function decodeCookie(buf: Buffer, secret: Buffer): CookieContents | undefined {
  if (buf.length !== COOKIE_LENGTH) return undefined;
  if (!timingSafeEqual(mac(buf.subarray(0, BODY), secret), buf.subarray(BODY))) return undefined;
  return {
    created: buf.readDoubleBE(0),
    lifespan: buf.readUInt32BE(8),
    localTag: buf.readUInt32BE(12),
    peerTag: buf.readUInt32BE(16),
    localInitialTsn: buf.readUInt32BE(20),
    peerInitialTsn: buf.readUInt32BE(24),
    peerReceiverWindow: buf.readUInt32BE(28),
    outboundStreams: buf.readUInt16BE(32),
    inboundStreams: buf.readUInt16BE(34),
    peerForwardTsn: (buf[36]! & 1) !== 0,
    peerReconfig: (buf[36]! & 2) !== 0,
    peerZeroChecksum: (buf[36]! & 4) !== 0,
    localTieTag: buf.readUInt32BE(37),
    peerTieTag: buf.readUInt32BE(41),
  };
}

function mac(body: Buffer, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}
