/**
 * Building the descriptions a peer connection generates (RFC 9429 §5.2-5.3), line for
 * line in the order Chromium writes them, so that browsers and applications that read
 * or munge SDP see what they expect:
 *
 *   v=0
 *   o=- <session id> <version> IN IP4 127.0.0.1
 *   s=-
 *   t=0 0
 *   a=group:BUNDLE 0
 *   a=extmap-allow-mixed
 *   a=msid-semantic: WMS
 *   m=application 9 UDP/DTLS/SCTP webrtc-datachannel
 *   c=IN IP4 0.0.0.0
 *   a=candidate:...                (once gathered; the default candidate sets m= and c=)
 *   a=ice-ufrag:... a=ice-pwd:... a=ice-options:trickle a=fingerprint:sha-256 ...
 *   a=setup:actpass a=mid:0 a=sctp-port:5000 a=max-message-size:262144
 */

import { randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Candidate } from '../ice/candidate.js';
import { type Fingerprint, formatFingerprint, type SetupRole } from './attributes/dtls.js';
import { formatGroup } from './attributes/grouping.js';
import { formatIceOptions } from './attributes/ice.js';
import { formatMsidSemantic } from './attributes/msid.js';
import { formatCandidateValue, parseCandidateValue } from './candidate.js';
import type { Attribute, MediaDescription, SessionDescription } from './description.js';

/** The proto and format of a data channel m= section (RFC 8841 §4, RFC 8832 §8.1). */
export const DATA_CHANNEL_PROTO = 'UDP/DTLS/SCTP';
export const DATA_CHANNEL_FORMAT = 'webrtc-datachannel';
/** What Chromium announces in a=max-message-size. */
export const CHROMIUM_MAX_MESSAGE_SIZE = 262144;
/** The port of an m= section without candidates yet (RFC 9429 §5.2.1). */
export const DISCARD_PORT = 9;

/**
 * A random `sess-id`: RFC 9429 §5.2.1 asks for a 64-bit quantity representable as a
 * signed integer and below 2^63-1.
 */
export function newSessionId(): string {
  return (randomBytes(8).readBigUInt64BE() % (2n ** 63n - 1n)).toString();
}

export interface SessionOptions {
  sessionId: string;
  sessionVersion: number | bigint | string;
  /** The mids of the BUNDLE group; no a=group line when absent or empty. */
  bundle?: readonly string[];
  /** The ids of the MediaStreams sent, listed in a=msid-semantic: WMS. */
  streamIds?: readonly string[];
}

/** The session-level part, with the given media descriptions after it. */
export function buildSession(
  o: SessionOptions,
  media: MediaDescription[] = [],
): SessionDescription {
  const attributes: Attribute[] = [];
  if (o.bundle && o.bundle.length > 0) {
    attributes.push({
      name: 'group',
      value: formatGroup({ semantics: 'BUNDLE', mids: [...o.bundle] }),
    });
  }
  attributes.push({ name: 'extmap-allow-mixed', value: null });
  attributes.push({
    name: 'msid-semantic',
    value: formatMsidSemantic({ semantic: 'WMS', ids: [...(o.streamIds ?? [])] }),
  });
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: o.sessionId,
      sessionVersion: String(o.sessionVersion),
      netType: 'IN',
      addrType: 'IP4',
      address: '127.0.0.1',
    },
    sessionName: '-',
    emails: [],
    phones: [],
    bandwidths: [],
    timing: [{ start: '0', stop: '0', repeats: [] }],
    attributes,
    media,
  };
}

/** The ICE and DTLS attributes of a section that has its own transport. */
export interface TransportAttributes {
  iceUfrag: string;
  icePwd: string;
  /** Default `['trickle']`. */
  iceOptions?: readonly string[];
  fingerprints: readonly Fingerprint[];
  setup: SetupRole;
}

export interface DataSectionOptions {
  mid: string;
  /** Absent for a section that rides another section's BUNDLE transport, or is rejected. */
  transport?: TransportAttributes;
  candidates?: readonly Candidate[];
  /** Gathering has completed: a=end-of-candidates (RFC 8840 §8.1). */
  endOfCandidates?: boolean;
  /** Default 5000. */
  sctpPort?: number;
  /** Default 262144, as Chromium. */
  maxMessageSize?: number;
  /** 0 rejects the section; by default the default candidate's port, or 9. */
  port?: number;
  /** a=bundle-only, with port 0, for max-bundle offers (RFC 8843 §6). */
  bundleOnly?: boolean;
}

/** The m=application section for data channels. */
export function buildDataSection(o: DataSectionOptions): MediaDescription {
  const attributes: Attribute[] = [];
  if (o.bundleOnly) attributes.push({ name: 'bundle-only', value: null });
  for (const c of o.candidates ?? []) attributes.push(candidateAttribute(c));
  if (o.endOfCandidates) attributes.push({ name: 'end-of-candidates', value: null });
  const t = o.transport;
  if (t) {
    attributes.push({ name: 'ice-ufrag', value: t.iceUfrag });
    attributes.push({ name: 'ice-pwd', value: t.icePwd });
    // An answer to an offer without options has none: an empty a=ice-options is malformed.
    const iceOptions = t.iceOptions ?? ['trickle'];
    if (iceOptions.length > 0)
      attributes.push({ name: 'ice-options', value: formatIceOptions(iceOptions) });
    for (const f of t.fingerprints)
      attributes.push({ name: 'fingerprint', value: formatFingerprint(f) });
    attributes.push({ name: 'setup', value: t.setup });
  }
  attributes.push({ name: 'mid', value: o.mid });
  attributes.push({ name: 'sctp-port', value: String(o.sctpPort ?? 5000) });
  attributes.push({
    name: 'max-message-size',
    value: String(o.maxMessageSize ?? CHROMIUM_MAX_MESSAGE_SIZE),
  });
  const media: MediaDescription = {
    media: 'application',
    port: o.port ?? DISCARD_PORT,
    proto: DATA_CHANNEL_PROTO,
    formats: [DATA_CHANNEL_FORMAT],
    connections: [{ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }],
    bandwidths: [],
    attributes,
  };
  if (o.port === undefined && !o.bundleOnly) useDefaultCandidate(media);
  return media;
}

/**
 * An a=candidate attribute. The `ufrag` extension is left out, as Chromium does: the
 * section's a=ice-ufrag already says it.
 */
export function candidateAttribute(c: Candidate): Attribute {
  return { name: 'candidate', value: formatCandidateValue(c, 'ufrag') };
}

/**
 * Adds a gathered (or, for a remote description, a trickled) candidate after the
 * section's other candidates, and moves m= and c= to the default candidate
 * (RFC 9429 §5.3.1 keeps them on it once candidates exist).
 */
export function addCandidate(media: MediaDescription, c: Candidate): void {
  media.attributes.splice(candidateInsertionIndex(media.attributes), 0, candidateAttribute(c));
  if (media.port !== 0) useDefaultCandidate(media);
}

/** Adds a=end-of-candidates after the candidates, once. */
export function addEndOfCandidates(media: MediaDescription): void {
  if (media.attributes.some((a) => a.name === 'end-of-candidates')) return;
  media.attributes.splice(candidateInsertionIndex(media.attributes), 0, {
    name: 'end-of-candidates',
    value: null,
  });
}

function candidateInsertionIndex(attributes: readonly Attribute[]): number {
  let last = -1;
  for (let i = 0; i < attributes.length; i++) if (attributes[i]!.name === 'candidate') last = i;
  if (last >= 0) return last + 1;
  return attributes[0]?.name === 'bundle-only' ? 1 : 0;
}

/** RFC 8839 §4.2 prefers relayed, then reflexive, then host candidates as the default. */
const typePreference: Readonly<Record<Candidate['type'], number>> = {
  relay: 3,
  srflx: 2,
  prflx: 1,
  host: 0,
};

/**
 * The candidate m= and c= show: RTP component, UDP, an IP address (not an mDNS name);
 * relayed before reflexive before host, IPv4 before IPv6, then the higher priority.
 * That is the choice Chromium makes.
 */
export function defaultCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.component !== 1 || c.protocol !== 'udp' || !(isIPv4(c.address) || isIPv6(c.address)))
      continue;
    if (!best || rank(c, best) > 0) best = c;
  }
  return best;
}

function rank(a: Candidate, b: Candidate): number {
  return (
    typePreference[a.type] - typePreference[b.type] ||
    Number(isIPv4(a.address)) - Number(isIPv4(b.address)) ||
    a.priority - b.priority
  );
}

function useDefaultCandidate(media: MediaDescription): void {
  const candidates: Candidate[] = [];
  for (const a of media.attributes) {
    const r = a.name === 'candidate' && a.value !== null ? parseCandidateValue(a.value) : undefined;
    if (r?.ok) candidates.push(r.candidate);
  }
  const c = defaultCandidate(candidates);
  media.port = c ? c.port : DISCARD_PORT;
  media.connections = [
    c
      ? { netType: 'IN', addrType: isIPv4(c.address) ? 'IP4' : 'IP6', address: c.address }
      : { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' },
  ];
}
