/**
 * RTCStatsReport (W3C webrtc-pc, "RTCStatsReport Object"): a read-only maplike from
 * stats object ids to stats dictionaries; and the webrtc-stats dictionaries of a data
 * channel connection, with the members Chromium fills.
 */

const token = Symbol('RTCStatsReport');

export class RTCStatsReport implements ReadonlyMap<string, RTCStats> {
  readonly #map: Map<string, RTCStats>;

  /** Not constructible from outside: `getStats()` makes reports (createStatsReport). */
  constructor(key: symbol, stats: Iterable<RTCStats>) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#map = new Map();
    for (const s of stats) this.#map.set(s.id, s);
  }

  get size(): number {
    return this.#map.size;
  }
  get(id: string): RTCStats | undefined {
    return this.#map.get(id);
  }
  has(id: string): boolean {
    return this.#map.has(id);
  }
  keys(): MapIterator<string> {
    return this.#map.keys();
  }
  values(): MapIterator<RTCStats> {
    return this.#map.values();
  }
  entries(): MapIterator<[string, RTCStats]> {
    return this.#map.entries();
  }
  [Symbol.iterator](): MapIterator<[string, RTCStats]> {
    return this.#map.entries();
  }
  /** WebIDL maplike forEach: the callback gets (value, key, this report). */
  forEach(
    callback: (value: RTCStats, key: string, report: RTCStatsReport) => void,
    thisArg?: unknown,
  ): void {
    if (typeof callback !== 'function') throw new TypeError('forEach callback is not a function');
    for (const [key, value] of this.#map) callback.call(thisArg, value, key, this);
  }
  get [Symbol.toStringTag](): string {
    return 'RTCStatsReport';
  }
}

/** A report of `stats`, keyed by their ids. */
export function createStatsReport(stats: Iterable<RTCStats>): RTCStatsReport {
  return new RTCStatsReport(token, stats);
}

// The webrtc-stats dictionaries (W3C "Identifiers for WebRTC's Statistics API") that a
// data channel connection reports. Members marked Chromium are not in the spec but are
// filled by Chromium, which applications read.

export type RTCStatsType =
  | 'codec'
  | 'inbound-rtp'
  | 'outbound-rtp'
  | 'remote-inbound-rtp'
  | 'remote-outbound-rtp'
  | 'media-source'
  | 'media-playout'
  | 'peer-connection'
  | 'data-channel'
  | 'transport'
  | 'candidate-pair'
  | 'local-candidate'
  | 'remote-candidate'
  | 'certificate';

export interface RTCStats {
  /** DOMHighResTimeStamp, ms since the epoch (Performance.timeOrigin + now). */
  timestamp: number;
  type: RTCStatsType;
  id: string;
}

export interface RTCPeerConnectionStats extends RTCStats {
  type: 'peer-connection';
  dataChannelsOpened?: number;
  dataChannelsClosed?: number;
}

export interface RTCDataChannelStats extends RTCStats {
  type: 'data-channel';
  label?: string;
  protocol?: string;
  dataChannelIdentifier?: number;
  state: 'connecting' | 'open' | 'closing' | 'closed';
  messagesSent?: number;
  bytesSent?: number;
  messagesReceived?: number;
  bytesReceived?: number;
}

export interface RTCTransportStats extends RTCStats {
  type: 'transport';
  packetsSent?: number;
  packetsReceived?: number;
  bytesSent?: number;
  bytesReceived?: number;
  iceRole?: 'unknown' | 'controlling' | 'controlled';
  iceLocalUsernameFragment?: string;
  dtlsState: 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
  iceState?: 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
  selectedCandidatePairId?: string;
  localCertificateId?: string;
  remoteCertificateId?: string;
  /** The DTLS version as 4 uppercase hex digits, `FEFD` for DTLS 1.2. */
  tlsVersion?: string;
  /** The IANA name of the cipher suite, `TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`. */
  dtlsCipher?: string;
  dtlsRole?: 'client' | 'server' | 'unknown';
  srtpCipher?: string;
  tlsGroup?: string;
  selectedCandidatePairChanges?: number;
}

export interface RTCIceCandidatePairStats extends RTCStats {
  type: 'candidate-pair';
  transportId: string;
  localCandidateId: string;
  remoteCandidateId: string;
  state: 'frozen' | 'waiting' | 'in-progress' | 'failed' | 'succeeded';
  nominated?: boolean;
  packetsSent?: number;
  packetsReceived?: number;
  bytesSent?: number;
  bytesReceived?: number;
  lastPacketSentTimestamp?: number;
  lastPacketReceivedTimestamp?: number;
  /** Seconds. */
  totalRoundTripTime?: number;
  /** Seconds. */
  currentRoundTripTime?: number;
  availableOutgoingBitrate?: number;
  availableIncomingBitrate?: number;
  requestsReceived?: number;
  requestsSent?: number;
  responsesReceived?: number;
  responsesSent?: number;
  consentRequestsSent?: number;
  packetsDiscardedOnSend?: number;
  bytesDiscardedOnSend?: number;
  /** Chromium: the pair priority (RFC 8445 §6.1.2.3). */
  priority?: number;
  /** Chromium: a check has succeeded and consent is fresh. */
  writable?: boolean;
}

export interface RTCIceCandidateStats extends RTCStats {
  type: 'local-candidate' | 'remote-candidate';
  transportId: string;
  address?: string | null;
  port?: number;
  protocol?: 'udp' | 'tcp';
  candidateType: 'host' | 'srflx' | 'prflx' | 'relay';
  priority?: number;
  url?: string;
  relayProtocol?: 'udp' | 'tcp' | 'tls';
  foundation?: string;
  relatedAddress?: string;
  relatedPort?: number;
  usernameFragment?: string;
  tcpType?: 'active' | 'passive' | 'so';
  /** Chromium: the same as address. */
  ip?: string | null;
  /** Chromium: whether this is a remote candidate. */
  isRemote?: boolean;
  /** Chromium, local candidates: `ethernet`, `wifi`, `cellular`, `vpn`, `unknown`. */
  networkType?: string;
}

export interface RTCCertificateStats extends RTCStats {
  type: 'certificate';
  /** Uppercase hex pairs separated by colons. */
  fingerprint: string;
  fingerprintAlgorithm: string;
  base64Certificate: string;
  issuerCertificateId?: string;
}

/** The stats a data channel connection's report holds. */
export type RTCDataStats =
  | RTCPeerConnectionStats
  | RTCDataChannelStats
  | RTCTransportStats
  | RTCIceCandidatePairStats
  | RTCIceCandidateStats
  | RTCCertificateStats;
