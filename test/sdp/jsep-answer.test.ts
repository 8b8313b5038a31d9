import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFingerprint } from '../../src/sdp/attributes/dtls.js';
import type { MediaDescription } from '../../src/sdp/description.js';
import {
  type AnswerContext,
  acceptedDataSection,
  answerDirection,
  createAnswer,
} from '../../src/sdp/jsep-answer.js';
import type { LocalTransportParams } from '../../src/sdp/jsep-media.js';
import type { JsepTransceiver } from '../../src/sdp/jsep-offer.js';
import { readDescription } from '../../src/sdp/jsep-read.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import {
  chromiumAvDataAnswer,
  chromiumAvDataOffer,
  chromiumDataOfferGathered,
  crlf,
} from './chromium-sdp.js';

const fingerprint = parseFingerprint(
  'sha-256 EA:4E:FF:4D:9D:C8:5C:C9:24:10:2E:5D:92:B3:D2:F6:4E:CD:87:9B:23:6F:08:14:3D:42:D9:86:A9:A1:EE:69',
)!;

const transport: LocalTransportParams = {
  ufrag: 'vwI1',
  pwd: 'LL1nDW1sAcY25TzkVLlljOed',
  iceOptions: ['trickle'],
  fingerprints: [fingerprint],
  setup: 'active',
  candidates: [],
  endOfCandidates: false,
};

function offer(text: string) {
  const parsed = parseSdp(crlf(text));
  assert.ok(parsed.ok);
  return readDescription(parsed.description, false);
}

function recvonly(kind: 'audio' | 'video'): JsepTransceiver {
  return {
    kind,
    mid: null,
    stopped: false,
    direction: 'recvonly',
    codecPreferences: [],
    sender: { streamIds: [], trackId: 't', ssrc: 7 },
  };
}

function context(overrides: Partial<AnswerContext> & Pick<AnswerContext, 'offer'>): AnswerContext {
  return {
    session: { sessionId: '1945294187292629489', sessionVersion: 2 },
    bundlePolicy: 'balanced',
    transceiverFor: () => undefined,
    transport: () => transport,
    cname: 'cname',
    sctpPort: 5000,
    maxMessageSize: 262144,
    ...overrides,
  };
}

function lines(m: MediaDescription | undefined): string[] {
  assert.ok(m);
  return serializeSdp({
    version: 0,
    origin: {
      username: '-',
      sessionId: '0',
      sessionVersion: '0',
      netType: 'IN',
      addrType: 'IP4',
      address: '0.0.0.0',
    },
    sessionName: '-',
    emails: [],
    phones: [],
    bandwidths: [],
    timing: [],
    attributes: [],
    media: [m],
  })
    .split('\r\n')
    .slice(3)
    .filter((l) => l !== '');
}

test('the answer to Chromium audio, video and data offer has Chromium answer codecs and bundles on mid 0', () => {
  const o = offer(chromiumAvDataOffer);
  const transceivers = [recvonly('audio'), recvonly('video')];
  const { description, bundleGroups } = createAnswer(
    context({ offer: o, transceiverFor: (i) => transceivers[i] }),
  );
  assert.deepEqual(bundleGroups, [['0', '1', '2']]);
  const chromium = parseSdp(crlf(chromiumAvDataAnswer));
  assert.ok(chromium.ok);
  // Chromium repeats the transport in every section; RFC 9429 §5.3.1 keeps it in the tag only.
  const transportNames = new Set([
    'ice-ufrag',
    'ice-pwd',
    'ice-options',
    'fingerprint',
    'setup',
    'rtcp',
    'rtcp-xr',
  ]);
  const strip = (m: MediaDescription | undefined) =>
    lines({ ...m!, attributes: m!.attributes.filter((a) => !transportNames.has(a.name)) });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(
      strip(description.media[i]),
      strip(chromium.description.media[i]),
      `section ${i}`,
    );
  }
  const tag = description.media[0]!.attributes;
  assert.equal(tag.find((a) => a.name === 'setup')?.value, 'active');
  assert.equal(tag.find((a) => a.name === 'ice-ufrag')?.value, 'vwI1');
  for (const m of description.media.slice(1)) {
    assert.ok(
      !m.attributes.some((a) => transportNames.has(a.name)),
      'bundled sections carry no transport',
    );
  }
});

test('a data-channel answer is what Chromium writes', () => {
  const { description } = createAnswer(context({ offer: offer(chromiumDataOfferGathered) }));
  const text = serializeSdp(description);
  assert.equal(
    text,
    crlf(`v=0
o=- 1945294187292629489 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=extmap-allow-mixed
a=msid-semantic: WMS
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP4 0.0.0.0
a=ice-ufrag:vwI1
a=ice-pwd:LL1nDW1sAcY25TzkVLlljOed
a=ice-options:trickle
a=fingerprint:sha-256 ${fingerprint.value}
a=setup:active
a=mid:0
a=sctp-port:5000
a=max-message-size:262144
`),
  );
});

test('sections we cannot take are rejected with port 0 and their mid', () => {
  const o = offer(`v=0
o=- 1 1 IN IP4 0.0.0.0
s=-
t=0 0
a=ice-ufrag:abcd
a=ice-pwd:abcdefghijklmnopqrstuv
a=fingerprint:sha-256 ${fingerprint.value}
a=setup:actpass
m=audio 9 UDP/TLS/RTP/SAVPF 98
c=IN IP4 0.0.0.0
a=mid:a
a=rtcp-mux
a=rtpmap:98 speex/16000
m=text 9 RTP/AVP 0
c=IN IP4 0.0.0.0
a=mid:t
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP4 0.0.0.0
a=mid:d
a=sctp-port:5000
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP4 0.0.0.0
a=mid:d2
a=sctp-port:5000
`);
  assert.equal(acceptedDataSection(o), 2);
  const { description } = createAnswer(
    context({
      offer: o,
      bundlePolicy: 'max-compat',
      transceiverFor: (i) => (i === 0 ? recvonly('audio') : undefined),
    }),
  );
  assert.deepEqual(
    description.media.map((m) => [
      m.media,
      m.port,
      m.attributes.find((a) => a.name === 'mid')?.value,
    ]),
    [
      ['audio', 0, 'a'],
      ['text', 0, 't'],
      ['application', 9, 'd'],
      ['application', 0, 'd2'],
    ],
  );
});

test('max-bundle rejects what is not bundled with the first section', () => {
  const o = offer(`v=0
o=- 1 1 IN IP4 0.0.0.0
s=-
t=0 0
a=ice-ufrag:abcd
a=ice-pwd:abcdefghijklmnopqrstuv
a=fingerprint:sha-256 ${fingerprint.value}
a=setup:actpass
m=audio 9 UDP/TLS/RTP/SAVPF 111
c=IN IP4 0.0.0.0
a=mid:audio
a=rtcp-mux
a=rtpmap:111 opus/48000/2
m=video 9 UDP/TLS/RTP/SAVPF 100
c=IN IP4 0.0.0.0
a=mid:video
a=rtcp-mux
a=rtpmap:100 VP8/90000
a=fmtp:100 max-fr=30;max-fs=3600
`);
  const ts = [recvonly('audio'), recvonly('video')];
  const { description } = createAnswer(
    context({ offer: o, bundlePolicy: 'max-bundle', transceiverFor: (i) => ts[i] }),
  );
  assert.deepEqual(
    description.media.map((m) => m.port),
    [9, 0],
  );
  // VP8 with receiver parameters (max-fs) is still VP8: balanced takes both sections.
  const balanced = createAnswer(context({ offer: o, transceiverFor: (i) => ts[i] })).description;
  assert.deepEqual(
    balanced.media.map((m) => [m.port, m.formats]),
    [
      [9, ['111']],
      [9, ['100']],
    ],
  );
});

test('answer directions intersect ours with the reversed offered one (RFC 3264 §6.1)', () => {
  assert.equal(answerDirection('sendrecv', 'sendonly'), 'recvonly');
  assert.equal(answerDirection('sendrecv', 'recvonly'), 'sendonly');
  assert.equal(answerDirection('recvonly', 'recvonly'), 'inactive');
  assert.equal(answerDirection('sendonly', 'sendrecv'), 'sendonly');
  assert.equal(answerDirection('sendrecv', 'inactive'), 'inactive');
});
