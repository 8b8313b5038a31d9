/**
 * IP address text and bytes: the parsing STUN needs for its address attributes, and one
 * canonical text form (RFC 5952 for IPv6, what node:dgram reports) so that addresses learned
 * from signalling and from sockets compare as plain strings.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A transport address: an IP address in canonical text and a port. */
export interface TransportAddress {
  address: string;
  port: number;
}

export type IpFamily = 4 | 6;

/** 4 or 6 for an IP address literal, undefined for anything else (names, zone ids). */
export function ipFamily(text: string): IpFamily | undefined {
  if (isIPv4(text)) return 4;
  if (isIPv6(text) && !text.includes('%')) return 6;
  return undefined;
}

/** The 4 or 16 bytes of an IP address literal, or undefined when `text` is not one. */
export function parseIp(text: string): Buffer | undefined {
  const family = ipFamily(text);
  if (family === 4) return Buffer.from(text.split('.').map(Number));
  if (family !== 6) return undefined;
  let hex = text;
  // An embedded IPv4 address (::ffff:192.0.2.1) becomes the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number) as [number, number, number, number];
    hex = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const out = Buffer.alloc(16);
  const [head, tail] = hex.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  for (let i = 0; i < headGroups.length; i++)
    out.writeUInt16BE(Number.parseInt(headGroups[i]!, 16), 2 * i);
  const tailStart = 16 - 2 * tailGroups.length;
  for (let i = 0; i < tailGroups.length; i++)
    out.writeUInt16BE(Number.parseInt(tailGroups[i]!, 16), tailStart + 2 * i);
  return out;
}

/** Text of a 4- or 16-byte address; IPv6 in the RFC 5952 form. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  // RFC 5952 §4.2: the longest run of two or more zero groups (the first on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** The canonical text of an IP address literal, or undefined when `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  const bytes = parseIp(text);
  return bytes && formatIp(bytes);
}
