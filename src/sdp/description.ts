/**
 * The SDP model (RFC 8866 §5): every line of a session description, kept so that
 * `serializeSdp(parseSdp(text))` gives `text` back for any well-formed description
 * written with CRLF. Attributes stay in their order as name/value text; the typed
 * readers in ./attributes give them meaning where WebRTC needs it.
 */

import { parseGroup } from './attributes/grouping.js';

/** `a=<name>` (a property attribute, `value` null) or `a=<name>:<value>`. */
export interface Attribute {
  name: string;
  value: string | null;
  /** The 1-based line this attribute was parsed from; absent for attributes we built. */
  line?: number;
}

/** `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (§5.2). */
export interface Origin {
  username: string;
  /** Digits, kept as text: a 64-bit value does not fit a JavaScript number. */
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

/** `c=<nettype> <addrtype> <connection-address>` (§5.7). */
export interface Connection {
  netType: string;
  addrType: string;
  address: string;
}

/** `b=<bwtype>:<bandwidth>` (§5.8). */
export interface Bandwidth {
  type: string;
  bandwidth: number;
}

/** `t=<start-time> <stop-time>` (§5.9) and the `r=` lines after it (§5.10), as text. */
export interface Timing {
  start: string;
  stop: string;
  repeats: string[];
}

/** One media description: `m=` and the lines up to the next `m=` (§5.14). */
export interface MediaDescription {
  media: string;
  port: number;
  /** The `/<number of ports>` after the port, when present. */
  portCount?: number;
  proto: string;
  formats: string[];
  information?: string;
  connections: Connection[];
  bandwidths: Bandwidth[];
  key?: string;
  attributes: Attribute[];
  /** The 1-based line of the `m=` line; absent for sections we built. */
  line?: number;
}

/** A whole session description. */
export interface SessionDescription {
  version: number;
  origin: Origin;
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: Connection;
  bandwidths: Bandwidth[];
  timing: Timing[];
  /** The `z=` line, as text. */
  zone?: string;
  key?: string;
  attributes: Attribute[];
  media: MediaDescription[];
}

/** The first attribute called `name`, or undefined. */
export function findAttribute(
  attributes: readonly Attribute[],
  name: string,
): Attribute | undefined {
  for (const a of attributes) if (a.name === name) return a;
  return undefined;
}

/** Every attribute called `name`, in order. */
export function findAttributes(attributes: readonly Attribute[], name: string): Attribute[] {
  return attributes.filter((a) => a.name === name);
}

/** Whether a property attribute such as `a=rtcp-mux` is present. */
export function hasAttribute(attributes: readonly Attribute[], name: string): boolean {
  return findAttribute(attributes, name) !== undefined;
}

/** The value of `a=mid` (RFC 5888 §4) of a media description, or undefined. */
export function getMid(media: MediaDescription): string | undefined {
  return findAttribute(media.attributes, 'mid')?.value ?? undefined;
}

/** The mids of every `a=group:BUNDLE` (RFC 8843 §7), one list per group. */
export function bundleGroups(session: SessionDescription): string[][] {
  const groups: string[][] = [];
  for (const a of session.attributes) {
    const group = a.name === 'group' ? parseGroup(a.value) : undefined;
    if (group?.semantics === 'BUNDLE') groups.push(group.mids);
  }
  return groups;
}

/**
 * Whether a media description is rejected: port zero (RFC 3264 §6), unless the zero
 * port means the section rides the BUNDLE transport, which `a=bundle-only` says in an
 * offer and, when `session` is given, membership of a BUNDLE group says in an answer
 * (RFC 8843 §6, §7.3).
 */
export function isRejected(media: MediaDescription, session?: SessionDescription): boolean {
  if (media.port !== 0 || hasAttribute(media.attributes, 'bundle-only')) return false;
  const mid = getMid(media);
  if (session === undefined || mid === undefined) return true;
  return !bundleGroups(session).some((g) => g.includes(mid));
}
