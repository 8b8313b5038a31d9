/** SCTP-over-DTLS attributes (RFC 8841): sctp-port (§5.2) and max-message-size (§6). */

import { parseInteger, parsePort } from '../grammar.js';

/** RFC 8841 §5.2: the SCTP port when a=sctp-port is absent. */
export const DEFAULT_SCTP_PORT = 5000;
/** RFC 8841 §6.1: the largest message a peer takes when a=max-message-size is absent. */
export const DEFAULT_MAX_MESSAGE_SIZE = 65536;

/** `sctp-port:port`, `port = 1*5(DIGIT)`. */
export function parseSctpPort(value: string | null): number | undefined {
  return value === null ? undefined : parsePort(value);
}

/** `max-message-size:1*DIGIT`; 0 means no limit. */
export function parseMaxMessageSize(value: string | null): number | undefined {
  return value === null ? undefined : parseInteger(value, Number.MAX_SAFE_INTEGER, 16);
}
