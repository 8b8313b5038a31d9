/** ABNF rules shared by the SDP grammars (RFC 8866 §9, RFC 8839 §5.1). */

import { isIPv4, isIPv6 } from 'node:net';

/** RFC 8866 `token`. */
export const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
/** RFC 8839 `ice-char` (ALPHA / DIGIT / "+" / "/"). */
export const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
/** Host names (RFC 1123 labels); covers mDNS `<uuid>.local` names. */
const HOST_NAME =
  /^(?=.{1,253}\.?$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** `connection-address` as ICE uses it: an IPv4 or IPv6 address, or a host name. */
export function isConnectionAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s) || HOST_NAME.test(s);
}

/** `port = 1*5DIGIT`, at most 65535; undefined when malformed. */
export function parsePort(s: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** A decimal integer of at most `digits` digits no greater than `max`; undefined otherwise. */
export function parseInteger(s: string, max: number, digits = 10): number | undefined {
  if (s.length === 0 || s.length > digits || !/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}
