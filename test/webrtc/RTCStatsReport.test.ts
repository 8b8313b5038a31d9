import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createStatsReport,
  type RTCDataStats,
  type RTCStats,
  RTCStatsReport,
} from '../../src/webrtc/RTCStatsReport.js';

/**
 * What Chromium 156 reported for a data channel connection between two of its peer
 * connections (certificate ids and base64 shortened; one of each type kept).
 */
const chromium: RTCDataStats[] = [
  {
    id: 'CF18:92',
    timestamp: 1795228640947.235,
    type: 'certificate',
    base64Certificate: 'MIIBFDCBvKADAgECAgg=',
    fingerprint: '18:92:78:C6',
    fingerprintAlgorithm: 'sha-256',
  },
  {
    id: 'CPvFrsH3zV_feAQShHV',
    timestamp: 1795228640947.235,
    type: 'candidate-pair',
    bytesDiscardedOnSend: 0,
    bytesReceived: 0,
    bytesSent: 50,
    consentRequestsSent: 2,
    currentRoundTripTime: 0.004,
    lastPacketSentTimestamp: 1795228640644,
    localCandidateId: 'IvFrsH3zV',
    nominated: true,
    packetsDiscardedOnSend: 0,
    packetsReceived: 0,
    packetsSent: 1,
    priority: 9115060245863753000,
    remoteCandidateId: 'IfeAQShHV',
    requestsReceived: 3,
    requestsSent: 3,
    responsesReceived: 3,
    responsesSent: 3,
    state: 'succeeded',
    totalRoundTripTime: 0.005,
    transportId: 'T01',
    writable: true,
  },
  {
    id: 'D1',
    timestamp: 1795228640947.235,
    type: 'data-channel',
    bytesReceived: 4,
    bytesSent: 4,
    dataChannelIdentifier: 1,
    label: 'chat',
    messagesReceived: 1,
    messagesSent: 1,
    protocol: 'p1',
    state: 'open',
  },
  {
    id: 'IvFrsH3zV',
    timestamp: 1795228640947.235,
    type: 'local-candidate',
    address: 'fd00::2',
    candidateType: 'host',
    foundation: '3828998715',
    ip: 'fd00::2',
    isRemote: false,
    networkType: 'ethernet',
    port: 43604,
    priority: 2122265343,
    protocol: 'udp',
    transportId: 'T01',
    usernameFragment: '0ZuO',
  },
  {
    id: 'P',
    timestamp: 1795228640947.235,
    type: 'peer-connection',
    dataChannelsClosed: 0,
    dataChannelsOpened: 1,
  },
  {
    id: 'T01',
    timestamp: 1795228640947.235,
    type: 'transport',
    bytesReceived: 2436,
    bytesSent: 2287,
    dtlsCipher: 'TLS_AES_128_GCM_SHA256',
    dtlsRole: 'server',
    dtlsState: 'connected',
    iceLocalUsernameFragment: '0ZuO',
    iceRole: 'controlling',
    iceState: 'connected',
    localCertificateId: 'CF18:92',
    packetsReceived: 11,
    packetsSent: 11,
    selectedCandidatePairChanges: 2,
    selectedCandidatePairId: 'CPvFrsH3zV_feAQShHV',
    srtpCipher: 'SRTP_AES128_CM_HMAC_SHA1_80',
    tlsVersion: 'FEFC',
  },
];

test('a report is a read-only maplike keyed by stats id, in insertion order', () => {
  const report = createStatsReport(chromium);
  assert.equal(report.size, chromium.length);
  assert.equal(report.get('D1'), chromium[2]);
  assert.equal(report.get('nope'), undefined);
  assert.equal(report.has('T01'), true);
  assert.equal(report.has('t01'), false);
  assert.deepEqual(
    [...report.keys()],
    chromium.map((s) => s.id),
  );
  assert.deepEqual([...report.values()], chromium);
  assert.deepEqual(
    [...report.entries()],
    chromium.map((s) => [s.id, s]),
  );
  assert.deepEqual(
    [...report],
    chromium.map((s) => [s.id, s]),
  );
  assert.equal(Object.prototype.toString.call(report), '[object RTCStatsReport]');
});

test('forEach passes (value, key, report) and thisArg', () => {
  const report = createStatsReport(chromium);
  const seen: string[] = [];
  const self = {};
  report.forEach(function (this: unknown, value, key, r) {
    assert.equal(this, self);
    assert.equal(value.id, key);
    assert.equal(r, report);
    seen.push(key);
  }, self);
  assert.deepEqual(
    seen,
    chromium.map((s) => s.id),
  );
  assert.throws(() => report.forEach(null as never), TypeError);
});

test('it is not a writable Map and cannot be constructed by applications', () => {
  const report = createStatsReport(chromium) as unknown as Record<string, unknown>;
  assert.ok(!(report instanceof Map));
  for (const method of ['set', 'delete', 'clear']) assert.equal(report[method], undefined, method);
  assert.throws(() => new RTCStatsReport(Symbol('RTCStatsReport'), []), TypeError);
  assert.throws(() => new (RTCStatsReport as unknown as new () => unknown)(), TypeError);
});

test('an empty report, and a later stats object with the same id replaces the earlier one', () => {
  assert.equal(createStatsReport([]).size, 0);
  const a: RTCStats = { id: 'X', type: 'peer-connection', timestamp: 1 };
  const b: RTCStats = { id: 'X', type: 'peer-connection', timestamp: 2 };
  const r = createStatsReport([a, b]);
  assert.equal(r.size, 1);
  assert.equal(r.get('X'), b);
});

test('the mandatory-to-implement data members are typed (RTCPeerConnection-mandatory-getStats)', () => {
  const mandatory: Record<string, string[]> = {
    'peer-connection': ['dataChannelsOpened', 'dataChannelsClosed'],
    'data-channel': [
      'label',
      'protocol',
      'dataChannelIdentifier',
      'state',
      'messagesSent',
      'bytesSent',
      'messagesReceived',
      'bytesReceived',
    ],
    transport: ['bytesSent', 'bytesReceived', 'selectedCandidatePairId', 'localCertificateId'],
    'candidate-pair': [
      'transportId',
      'localCandidateId',
      'remoteCandidateId',
      'state',
      'nominated',
      'bytesSent',
      'bytesReceived',
      'totalRoundTripTime',
      'responsesReceived',
      'currentRoundTripTime',
    ],
    'local-candidate': ['address', 'port', 'protocol', 'candidateType'],
    certificate: ['fingerprint', 'fingerprintAlgorithm', 'base64Certificate'],
  };
  for (const s of createStatsReport(chromium).values()) {
    for (const member of mandatory[s.type] ?? []) assert.ok(member in s, `${s.type}.${member}`);
  }
});
