import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Candidate } from '../../src/ice/candidate.js';
import { parseFingerprint } from '../../src/sdp/attributes/dtls.js';
import {
  addCandidate,
  addEndOfCandidates,
  buildDataSection,
  buildSession,
  defaultCandidate,
  newSessionId,
  type TransportAttributes,
} from '../../src/sdp/builder.js';
import { parseCandidate } from '../../src/sdp/candidate.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { transportOf } from '../../src/sdp/transport.js';
import { validateSdp } from '../../src/sdp/validate.js';
import { chromiumCandidates, fixture } from './fixtures.js';

/** The session id, credentials and fingerprint of a Chromium fixture. */
function chromiumParameters(text: string): { sessionId: string; transport: TransportAttributes } {
  const r = parseSdp(text);
  assert.ok(r.ok);
  const t = transportOf(r.description, r.description.media[0]!);
  return {
    sessionId: r.description.origin.sessionId,
    transport: {
      iceUfrag: t.iceUfrag!,
      icePwd: t.icePwd!,
      fingerprints: t.fingerprints,
      setup: t.setup!,
    },
  };
}

function candidate(line: string): Candidate {
  const r = parseCandidate(line);
  assert.ok(r.ok);
  return r.candidate;
}

test('the data channel offer is the one Chromium writes, line for line', () => {
  const text = fixture('chromium-datachannel-offer.sdp');
  const { sessionId, transport } = chromiumParameters(text);
  const d = buildSession({ sessionId, sessionVersion: 2, bundle: ['0'] }, [
    buildDataSection({ mid: '0', transport }),
  ]);
  assert.equal(serializeSdp(d), text);
  assert.deepEqual(validateSdp(d, { type: 'offer' }), []);
});

test('the answer too, with setup:active', () => {
  const text = fixture('chromium-datachannel-answer.sdp');
  const { sessionId, transport } = chromiumParameters(text);
  assert.equal(transport.setup, 'active');
  const d = buildSession({ sessionId, sessionVersion: 2n, bundle: ['0'] }, [
    buildDataSection({ mid: '0', transport }),
  ]);
  assert.equal(serializeSdp(d), text);
});

test('with the gathered candidates it is Chromium’s localDescription: ufrag left out, m= and c= on the default candidate', () => {
  const text = fixture('chromium-datachannel-local.sdp');
  const { sessionId, transport } = chromiumParameters(text);
  const candidates = chromiumCandidates.map((c) => candidate(c.candidate));
  const built = buildSession({ sessionId, sessionVersion: '2', bundle: ['0'] }, [
    buildDataSection({ mid: '0', transport, candidates }),
  ]);
  assert.equal(serializeSdp(built), text);

  // The same, trickled one by one into the offer.
  const trickled = buildSession({ sessionId, sessionVersion: '2', bundle: ['0'] }, [
    buildDataSection({ mid: '0', transport }),
  ]);
  for (const c of candidates) addCandidate(trickled.media[0]!, c);
  assert.equal(serializeSdp(trickled), text);
});

test('end-of-candidates goes after the candidates, once', () => {
  const { transport } = chromiumParameters(fixture('chromium-datachannel-offer.sdp'));
  const [first, second] = chromiumCandidates.map((c) => candidate(c.candidate));
  const m = buildDataSection({ mid: '0', transport, candidates: [first!], endOfCandidates: true });
  assert.deepEqual(
    m.attributes.slice(0, 3).map((a) => a.name),
    ['candidate', 'end-of-candidates', 'ice-ufrag'],
  );
  const empty = buildDataSection({ mid: '0', transport });
  addEndOfCandidates(empty);
  addEndOfCandidates(empty);
  addCandidate(empty, second!);
  assert.deepEqual(
    empty.attributes.slice(0, 3).map((a) => a.name),
    ['candidate', 'end-of-candidates', 'ice-ufrag'],
  );
  assert.equal(empty.port, second!.port);
  assert.deepEqual(empty.connections, [{ netType: 'IN', addrType: 'IP6', address: 'fd00::2' }]);
});

test('bundled and rejected data sections', () => {
  const bundled = buildDataSection({ mid: '2', port: 0, bundleOnly: true, candidates: [] });
  assert.equal(
    [bundled.port, ...bundled.attributes.map((a) => a.name)].join(' '),
    '0 bundle-only mid sctp-port max-message-size',
  );
  addCandidate(bundled, candidate(chromiumCandidates[0]!.candidate));
  assert.equal(bundled.port, 0, 'a zero port stays');
  assert.deepEqual(
    bundled.attributes.slice(0, 2).map((a) => a.name),
    ['bundle-only', 'candidate'],
  );
  const custom = buildDataSection({ mid: 'data', sctpPort: 5001, maxMessageSize: 65536 });
  const text = serializeSdp(buildSession({ sessionId: '1', sessionVersion: 1 }, [custom]));
  assert.match(text, /\r\na=sctp-port:5001\r\na=max-message-size:65536\r\n$/);
  assert.doesNotMatch(text, /a=group/, 'no BUNDLE group when none is given');
});

test('the session part carries the streams sent in a=msid-semantic', () => {
  const d = buildSession({
    sessionId: '7',
    sessionVersion: 3,
    bundle: ['0', '1'],
    streamIds: ['s1', 's2'],
  });
  assert.equal(
    serializeSdp(d),
    'v=0\r\no=- 7 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS s1 s2\r\n',
  );
});

test('several fingerprints, each normalized', () => {
  const fp = parseFingerprint(
    'sha-256 16:65:5C:72:E7:F7:DC:93:70:86:85:D3:CC:5D:1F:96:6C:47:A8:7E:82:9A:A9:FB:BF:6F:3A:99:13:41:07:86',
  )!;
  const m = buildDataSection({
    mid: '0',
    transport: {
      iceUfrag: 'abcd',
      icePwd: 'abcdefghijklmnopqrstuvwx',
      iceOptions: ['trickle', 'renomination'],
      fingerprints: [
        { algorithm: 'SHA-256', value: fp.value.toLowerCase() },
        { algorithm: 'sha-1', value: '00:11' },
      ],
      setup: 'actpass',
    },
  });
  assert.deepEqual(
    m.attributes
      .filter((a) => a.name === 'fingerprint' || a.name === 'ice-options')
      .map((a) => a.value),
    ['trickle renomination', `sha-256 ${fp.value}`, 'sha-1 00:11'],
  );
});

test('the default candidate: relay, then srflx, then host; IPv4 first; UDP RTP IP addresses only', () => {
  const c = (type: string, address: string, priority: number, extra = '') =>
    candidate(`candidate:1 1 udp ${priority} ${address} 1000 typ ${type}${extra}`);
  const host4 = c('host', '192.0.2.1', 100);
  const host6 = c('host', '2001:db8::1', 200);
  const srflx = c('srflx', '198.51.100.1', 50, ' raddr 192.0.2.1 rport 1000');
  const relay = c('relay', '203.0.113.1', 10, ' raddr 198.51.100.1 rport 1000');
  const mdns = c('host', '2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local', 300);
  const tcp = candidate('candidate:1 1 tcp 999 192.0.2.9 9 typ host tcptype active');
  const rtcp = candidate('candidate:1 2 udp 999 192.0.2.8 9 typ relay');
  assert.equal(defaultCandidate([]), undefined);
  assert.equal(defaultCandidate([mdns, tcp, rtcp]), undefined);
  assert.equal(defaultCandidate([host6, host4]), host4);
  assert.equal(defaultCandidate([host4, srflx, host6]), srflx);
  assert.equal(defaultCandidate([host4, srflx, relay, mdns]), relay);
  assert.equal(defaultCandidate([host6, c('host', '2001:db8::2', 300)])?.address, '2001:db8::2');
});

test('session ids are random, decimal, below 2^63-1', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = newSessionId();
    assert.match(id, /^[0-9]+$/);
    assert.ok(BigInt(id) < 2n ** 63n - 1n);
    ids.add(id);
  }
  assert.equal(ids.size, 200);
});
