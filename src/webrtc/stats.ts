/**
 * getStats() (W3C webrtc-pc §8, webrtc-stats): the stats objects of a data connection,
 * gathered from the transports, the ICE agents' pairs and candidates, the certificates
 * and the data channels, and resolved in a queued task.
 *
 * Ids are random per monitored object and stable across calls (webrtc-pc: not
 * predictable by the application, the same for the same object); timestamps are
 * Performance.timeOrigin + Performance.now().
 */
import { randomBytes } from 'node:crypto';
import { certificateFingerprint } from '../dtls/fingerprint.js';
import { srtpProfileParameters } from '../dtls/srtp.js';
import type { Candidate } from '../ice/candidate.js';
import type { CandidatePair } from '../ice/pair.js';
import type { JsepTransport } from './jsep-transport.js';
import type { PeerConnectionSlots } from './peer-connection-state.js';
import { dtlsCertificateOf } from './RTCCertificate.js';
import { iceTransportSlots } from './RTCIceTransport.js';
import {
  createStatsReport,
  type RTCCertificateStats,
  type RTCIceCandidatePairStats,
  type RTCIceCandidateStats,
  type RTCStats,
  type RTCStatsReport,
  type RTCTransportStats,
} from './RTCStatsReport.js';
import { dataChannelStats } from './sctp-transport.js';
import { queueTask } from './task-queue.js';

/** Random, stable ids per monitored object of a connection. */
const objectIds = new WeakMap<object, string>();
const keyedIds = new WeakMap<PeerConnectionSlots, Map<string, string>>();

function idOf(prefix: string, object: object): string {
  let id = objectIds.get(object);
  if (id === undefined) {
    id = `${prefix}${randomBytes(6).toString('hex')}`;
    objectIds.set(object, id);
  }
  return id;
}

function idFor(s: PeerConnectionSlots, prefix: string, key: string): string {
  let ids = keyedIds.get(s);
  if (ids === undefined) {
    ids = new Map();
    keyedIds.set(s, ids);
  }
  let id = ids.get(key);
  if (id === undefined) {
    id = `${prefix}${randomBytes(6).toString('hex')}`;
    ids.set(key, id);
  }
  return id;
}

/** The stats selection algorithm, resolved from a queued task. */
export function gatherStats(
  s: PeerConnectionSlots,
  selector: object | null,
): Promise<RTCStatsReport> {
  // A sender or receiver selects its RTP streams and what they reference: none yet.
  const stats = selector === null ? connectionStats(s) : [];
  return new Promise((resolve) => queueTask(() => resolve(createStatsReport(stats))));
}

function connectionStats(s: PeerConnectionSlots): RTCStats[] {
  const timestamp = performance.timeOrigin + performance.now();
  const out: RTCStats[] = [
    {
      id: idOf('P', s),
      type: 'peer-connection',
      timestamp,
      dataChannelsOpened: s.dataChannelsOpened,
      dataChannelsClosed: s.dataChannelsClosed,
    } as RTCStats,
  ];
  out.push(...dataChannelStats(s, timestamp, (channel) => idOf('D', channel)));
  // The certificate a transport uses (webrtc-stats: the ones in use).
  const transports = new Set(s.transportByMid.values());
  const local = s.certificates[0];
  let localCertificateId: string | undefined;
  if (local && transports.size > 0) {
    localCertificateId = idOf('CF', local);
    out.push(certificateStats(localCertificateId, dtlsCertificateOf(local).der, timestamp));
  }
  for (const t of transports) {
    out.push(...transportStats(s, t, timestamp, localCertificateId));
  }
  return out;
}

function certificateStats(id: string, der: Buffer, timestamp: number): RTCCertificateStats {
  const f = certificateFingerprint(der, 'sha-256');
  return {
    id,
    type: 'certificate',
    timestamp,
    fingerprint: f.value.toUpperCase(),
    fingerprintAlgorithm: f.algorithm,
    base64Certificate: der.toString('base64'),
  };
}

/** DTLS 1.2 (RFC 6347 §4.1) as webrtc-stats writes tlsVersion. */
const DTLS_1_2 = 'FEFD';

function transportStats(
  s: PeerConnectionSlots,
  t: JsepTransport,
  timestamp: number,
  localCertificateId: string | undefined,
): RTCStats[] {
  const out: RTCStats[] = [];
  const transportId = idOf('T', t);
  const agent = t.agent.agent;
  const ice = iceTransportSlots(t.ice);
  const connection = t.connection;
  const stats: RTCTransportStats = {
    id: transportId,
    type: 'transport',
    timestamp,
    packetsSent: agent.packetsSent,
    packetsReceived: agent.packetsReceived,
    bytesSent: agent.bytesSent,
    bytesReceived: agent.bytesReceived,
    iceRole: ice.iceRole,
    iceLocalUsernameFragment: t.localUfrag,
    iceState: ice.iceTransportState,
    dtlsState: t.dtls.state,
    dtlsRole: t.dtlsRole ?? 'unknown',
    selectedCandidatePairChanges: t.selectedPairChanges,
  };
  if (localCertificateId !== undefined) stats.localCertificateId = localCertificateId;
  const remoteDer = connection?.remoteCertificate;
  if (remoteDer) {
    stats.remoteCertificateId = idOf('CF', remoteDer);
    out.push(certificateStats(stats.remoteCertificateId, remoteDer, timestamp));
  }
  if (connection?.state === 'connected') {
    stats.tlsVersion = DTLS_1_2;
    const suite = connection.cipherSuite;
    if (suite) stats.dtlsCipher = suite.name;
    const profile = connection.srtpProfile;
    const srtp = profile === undefined ? undefined : srtpProfileParameters(profile);
    // The IANA DTLS-SRTP registry's profile name (RFC 5764 §9).
    if (srtp) stats.srtpCipher = srtp.name;
  }
  const selected = agent.selectedPair;
  for (const pair of agent.pairs) {
    const pairId = idFor(
      s,
      'CP',
      `${transportId}|${candidateKey(pair.local.candidate)}|${candidateKey(pair.remote)}`,
    );
    if (pair === selected) stats.selectedCandidatePairId = pairId;
    out.push(pairStats(s, pair, pairId, transportId, timestamp));
  }
  // Every candidate once: gathered, signalled, and those pairs use (peer-reflexive ones).
  const candidates = new Map<string, RTCIceCandidateStats>();
  const add = (c: Candidate, type: 'local-candidate' | 'remote-candidate') => {
    const stats = candidateStats(s, c, transportId, type, timestamp);
    // A remote address the application did not give (peer-reflexive, or resolved from an
    // mDNS name) stays null: the user agent MUST NOT reveal it (webrtc-stats, RTCIceCandidateStats.address).
    if (type === 'remote-candidate' && !t.signalledAddresses.has(c.address)) stats.address = null;
    if (!candidates.has(stats.id)) {
      const ufrag = type === 'local-candidate' ? t.localUfrag : t.remoteUfrag;
      if (ufrag !== undefined) stats.usernameFragment = ufrag;
      candidates.set(stats.id, stats);
    }
  };
  for (const c of agent.localCandidates) add(c, 'local-candidate');
  for (const c of agent.remoteCandidates) add(c, 'remote-candidate');
  for (const pair of agent.pairs) {
    add(pair.local.candidate, 'local-candidate');
    add(pair.remote, 'remote-candidate');
  }
  out.push(...candidates.values());
  out.unshift(stats);
  return out;
}

function candidateKey(c: Candidate): string {
  return `${c.type}|${c.protocol}|${c.address}|${c.port}`;
}

function pairStats(
  s: PeerConnectionSlots,
  pair: CandidatePair,
  id: string,
  transportId: string,
  timestamp: number,
): RTCIceCandidatePairStats {
  const stats: RTCIceCandidatePairStats = {
    id,
    type: 'candidate-pair',
    timestamp,
    transportId,
    localCandidateId: idFor(s, 'I', `local|${transportId}|${candidateKey(pair.local.candidate)}`),
    remoteCandidateId: idFor(s, 'I', `remote|${transportId}|${candidateKey(pair.remote)}`),
    state: pair.state,
    nominated: pair.nominated,
    packetsSent: pair.packetsSent,
    packetsReceived: pair.packetsReceived,
    bytesSent: pair.bytesSent,
    bytesReceived: pair.bytesReceived,
    totalRoundTripTime: pair.totalRoundTripTime,
    requestsSent: pair.requestsSent,
    requestsReceived: pair.requestsReceived,
    responsesSent: pair.responsesSent,
    responsesReceived: pair.responsesReceived,
    consentRequestsSent: pair.consentRequestsSent,
    priority: Number(pair.priority),
  };
  if (pair.currentRoundTripTime !== undefined)
    stats.currentRoundTripTime = pair.currentRoundTripTime;
  if (pair.lastPacketSentTimestamp !== undefined) {
    stats.lastPacketSentTimestamp = performance.timeOrigin + pair.lastPacketSentTimestamp;
  }
  if (pair.lastPacketReceivedTimestamp !== undefined) {
    stats.lastPacketReceivedTimestamp = performance.timeOrigin + pair.lastPacketReceivedTimestamp;
  }
  return stats;
}

function candidateStats(
  s: PeerConnectionSlots,
  c: Candidate,
  transportId: string,
  type: 'local-candidate' | 'remote-candidate',
  timestamp: number,
): RTCIceCandidateStats {
  const side = type === 'local-candidate' ? 'local' : 'remote';
  const id = idFor(s, 'I', `${side}|${transportId}|${candidateKey(c)}`);
  const stats: RTCIceCandidateStats = {
    id,
    type,
    timestamp,
    transportId,
    address: c.address,
    port: c.port,
    protocol: c.protocol,
    candidateType: c.type,
    priority: c.priority,
    foundation: c.foundation,
    isRemote: type === 'remote-candidate',
  };
  if (c.relatedAddress !== undefined) stats.relatedAddress = c.relatedAddress;
  if (c.relatedPort !== undefined) stats.relatedPort = c.relatedPort;
  if (c.tcpType !== undefined) stats.tcpType = c.tcpType;
  if (c.relayProtocol !== undefined) stats.relayProtocol = c.relayProtocol;
  if (c.url !== undefined) stats.url = c.url;
  return stats;
}
