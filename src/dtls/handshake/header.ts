/**
 * The DTLS handshake message header (RFC 6347 §4.2.2): msg_type(1) length(3)
 * message_seq(2) fragment_offset(3) fragment_length(3), then the fragment.
 */

export const HANDSHAKE_HEADER_LENGTH = 12;

/**
 * A whole handshake message with an unfragmented header (fragment_offset 0,
 * fragment_length = length): the form the handshake hash covers (RFC 6347 §4.2.6).
 */
export function encodeHandshake(msgType: number, messageSeq: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HANDSHAKE_HEADER_LENGTH + body.length);
  out[0] = msgType;
  out.writeUIntBE(body.length, 1, 3);
  out.writeUInt16BE(messageSeq, 4);
  out.writeUIntBE(0, 6, 3);
  out.writeUIntBE(body.length, 9, 3);
  body.copy(out, HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** The fragment [offset, offset + length) of a whole message from encodeHandshake, with its own header. */
export function handshakeFragment(message: Buffer, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(HANDSHAKE_HEADER_LENGTH + length);
  message.copy(out, 0, 0, 6); // msg_type, length, message_seq
  out.writeUIntBE(offset, 6, 3);
  out.writeUIntBE(length, 9, 3);
  message.copy(
    out,
    HANDSHAKE_HEADER_LENGTH,
    HANDSHAKE_HEADER_LENGTH + offset,
    HANDSHAKE_HEADER_LENGTH + offset + length,
  );
  return out;
}
