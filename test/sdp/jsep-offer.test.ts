import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Candidate } from '../../src/ice/candidate.js';
import { parseFingerprint } from '../../src/sdp/attributes/dtls.js';
import type { LocalTransportParams } from '../../src/sdp/jsep-media.js';
import { createOffer, type JsepTransceiver, type OfferContext } from '../../src/sdp/jsep-offer.js';
import { readDescription } from '../../src/sdp/jsep-read.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { chromiumAvDataOffer, chromiumDataOffer, crlf } from './chromium-sdp.js';

const fingerprint = parseFingerprint(
  'sha-256 F1:74:43:BF:7D:D9:B5:1D:1F:A2:FF:2A:04:FD:29:58:4C:7C:E9:6B:B5:2D:C5:B4:D5:AC:AD:32:88:95:10:18',
)!;

function transport(ufrag: string, pwd: string, candidates: Candidate[] = []): LocalTransportParams {
  return {
    ufrag,
    pwd,
    iceOptions: ['trickle'],
    fingerprints: [fingerprint],
    setup: 'actpass',
    candidates,
    endOfCandidates: false,
  };
}

function context(overrides: Partial<OfferContext>): OfferContext {
  let next = 0;
  return {
    session: { sessionId: '153545764701791103', sessionVersion: 2 },
    bundlePolicy: 'balanced',
    transceivers: [],
    dataChannels: false,
    dataMid: null,
    base: undefined,
    currentLocal: undefined,
    currentRemote: undefined,
    lastAnswer: undefined,
    bundle: undefined,
    transport: () => transport('kU92', 'kI8OExGUQy5dRIqwfIcCK+YM'),
    newMid: () => String(next++),
    cname: 'NS+o07hV/FJlx+Sr',
    sctpPort: 5000,
    maxMessageSize: 262144,
    ...overrides,
  };
}

function transceiver(kind: 'audio' | 'video', sender: JsepTransceiver['sender']): JsepTransceiver {
  return { kind, mid: null, stopped: false, direction: 'sendrecv', codecPreferences: [], sender };
}

/** Chromium's lines with the credentials of `transport()` and without what we do not write. */
function chromiumLines(sdp: string, ufrag: string, pwd: string, fp: string): string[] {
  return sdp
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('a=rtcp-xr:'))
    .map((l) =>
      l.startsWith('a=ice-ufrag:')
        ? `a=ice-ufrag:${ufrag}`
        : l.startsWith('a=ice-pwd:')
          ? `a=ice-pwd:${pwd}`
          : l.startsWith('a=fingerprint:')
            ? `a=fingerprint:${fp}`
            : l,
    );
}

test('a data-channel offer is line for line what Chromium writes', () => {
  const { description, dataSection } = createOffer(
    context({
      session: { sessionId: '165682469007736438', sessionVersion: 2 },
      dataChannels: true,
      transport: () => transport('0waE', 'gEtLpOkUBBJh0ne+F44+0qNR'),
    }),
  );
  assert.equal(dataSection, 0);
  const ours = serializeSdp(description);
  const expected = crlf(chromiumDataOffer).replace(
    /a=fingerprint:.*\r\n/,
    `a=fingerprint:sha-256 ${fingerprint.value}\r\n`,
  );
  assert.equal(ours, expected);
});

test('an audio, video and data offer matches Chromium: codecs, payload types, extensions, ssrc', () => {
  const audioSender = {
    streamIds: [],
    trackId: '42673d01-5194-434e-8884-aad660b6f958',
    ssrc: 666643346,
  };
  const videoSender = {
    streamIds: [],
    trackId: '0b3804e7-e272-40dc-bac9-8481758742ed',
    ssrc: 3180752655,
    rtxSsrc: 2307251697,
  };
  const { description, transceiverSections, dataSection } = createOffer(
    context({
      transceivers: [transceiver('audio', audioSender), transceiver('video', videoSender)],
      dataChannels: true,
    }),
  );
  assert.deepEqual(
    [...transceiverSections],
    [
      [0, 0],
      [1, 1],
    ],
  );
  assert.equal(dataSection, 2);
  const ours = serializeSdp(description)
    .split('\r\n')
    .filter((l) => l !== '');
  const expected = chromiumLines(
    chromiumAvDataOffer,
    'kU92',
    'kI8OExGUQy5dRIqwfIcCK+YM',
    `sha-256 ${fingerprint.value}`,
  );
  assert.deepEqual(ours, expected);
});

test('max-bundle marks every section but the first bundle-only, with port 0 and no transport', () => {
  const { description } = createOffer(
    context({
      bundlePolicy: 'max-bundle',
      transceivers: [
        transceiver('audio', { streamIds: ['s'], trackId: 'a', ssrc: 1 }),
        transceiver('audio', { streamIds: ['s'], trackId: 'b', ssrc: 2 }),
      ],
      dataChannels: true,
    }),
  );
  const [first, second, data] = description.media;
  assert.equal(first!.port, 9);
  assert.ok(first!.attributes.some((a) => a.name === 'ice-ufrag'));
  for (const m of [second!, data!]) {
    assert.equal(m.port, 0);
    assert.equal(m.attributes[0]!.name, 'bundle-only');
    assert.ok(!m.attributes.some((a) => a.name === 'ice-ufrag' || a.name === 'fingerprint'));
  }
  const group = description.attributes.find((a) => a.name === 'group');
  assert.equal(group?.value, 'BUNDLE 0 1 2');
  // The stream is listed once in a=msid-semantic, and each sender's msid names it.
  assert.equal(description.attributes.find((a) => a.name === 'msid-semantic')?.value, ' WMS s');
  assert.deepEqual(
    description.media.slice(0, 2).map((m) => m.attributes.find((a) => a.name === 'msid')?.value),
    ['s a', 's b'],
  );
});

test('balanced bundles the second section of a kind; max-compat bundles nothing', () => {
  const two = [
    transceiver('video', { streamIds: [], trackId: 'a', ssrc: 1 }),
    transceiver('video', { streamIds: [], trackId: 'b', ssrc: 2 }),
  ];
  const balanced = createOffer(context({ transceivers: two })).description;
  assert.deepEqual(
    balanced.media.map((m) => m.port),
    [9, 0],
  );
  const compat = createOffer(
    context({ bundlePolicy: 'max-compat', transceivers: two }),
  ).description;
  assert.deepEqual(
    compat.media.map((m) => m.port),
    [9, 9],
  );
});

test('the m= and c= lines follow the default candidate, and candidates come before ice-ufrag', () => {
  const host: Candidate = {
    foundation: '1',
    component: 1,
    protocol: 'udp',
    priority: 2113937151,
    address: '192.0.2.2',
    port: 47009,
    type: 'host',
    extensions: [
      ['generation', '0'],
      ['ufrag', 'xRgU'],
    ],
  };
  const t = { ...transport('xRgU', 'QLdg+M8tESIsQH4svITkruj5', [host]), endOfCandidates: true };
  const { description } = createOffer(context({ dataChannels: true, transport: () => t }));
  const text = serializeSdp(description);
  assert.match(
    text,
    /m=application 47009 UDP\/DTLS\/SCTP webrtc-datachannel\r\nc=IN IP4 192\.0\.2\.2\r\n/,
  );
  assert.match(
    text,
    /a=candidate:1 1 udp 2113937151 192\.0\.2\.2 47009 typ host generation 0\r\na=end-of-candidates\r\na=ice-ufrag:xRgU\r\n/,
  );
});

test('codec preferences choose and order the formats; rtx only when named', () => {
  const t = transceiver('video', { streamIds: [], trackId: 't', ssrc: 5 });
  t.codecPreferences = [
    {
      mimeType: 'video/H264',
      clockRate: 90000,
      sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    },
    { mimeType: 'video/VP8', clockRate: 90000 },
  ];
  const m = createOffer(context({ transceivers: [t] })).description.media[0]!;
  assert.deepEqual(m.formats, ['108', '96']);
  assert.ok(!m.attributes.some((a) => a.name === 'ssrc-group'), 'no FID group without rtx');
  t.codecPreferences = [...t.codecPreferences, { mimeType: 'video/rtx', clockRate: 90000 }];
  const withRtx = createOffer(context({ transceivers: [t] })).description.media[0]!;
  assert.deepEqual(withRtx.formats, ['108', '109', '96', '97']);
});

test('a subsequent offer keeps mids and recycles a section rejected in the current description', () => {
  const first = createOffer(
    context({
      transceivers: [
        transceiver('audio', { streamIds: [], trackId: 'a', ssrc: 1 }),
        transceiver('video', { streamIds: [], trackId: 'v', ssrc: 2 }),
      ],
    }),
  );
  const local = parseSdp(serializeSdp(first.description));
  assert.ok(local.ok);
  // The answer rejected the audio section; its transceiver was stopped; a new one comes.
  const answerText = serializeSdp(first.description)
    .replace(/m=audio 9 /, 'm=audio 0 ')
    .replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 1');
  const answer = parseSdp(answerText);
  assert.ok(answer.ok);
  const currentLocal = readDescription(local.description, false);
  const currentRemote = readDescription(answer.description, true);
  const stopped = {
    ...transceiver('audio', { streamIds: [], trackId: 'a', ssrc: 1 }),
    mid: '0',
    stopped: true,
  };
  const video = { ...transceiver('video', { streamIds: [], trackId: 'v', ssrc: 2 }), mid: '1' };
  const added = transceiver('video', { streamIds: [], trackId: 'n', ssrc: 3 });
  let next = 2;
  const second = createOffer(
    context({
      transceivers: [stopped, video, added],
      base: currentLocal,
      currentLocal,
      currentRemote,
      lastAnswer: currentRemote,
      bundle: ['1'],
      newMid: () => String(next++),
    }),
  );
  assert.deepEqual(
    second.transceiverSections,
    new Map([
      [1, 1],
      [2, 0],
    ]),
  );
  const mids = second.description.media.map(
    (m) => m.attributes.find((a) => a.name === 'mid')?.value,
  );
  assert.deepEqual(mids, ['2', '1']);
  assert.equal(second.description.media[0]!.media, 'video');
  // BUNDLE is negotiated: only the tag (mid 1) carries the transport.
  assert.ok(!second.description.media[0]!.attributes.some((a) => a.name === 'ice-ufrag'));
  assert.ok(second.description.media[1]!.attributes.some((a) => a.name === 'ice-ufrag'));
  assert.equal(second.description.attributes.find((a) => a.name === 'group')?.value, 'BUNDLE 1 2');
  // After an answer with rtcp-mux there is no a=rtcp line.
  assert.ok(!second.description.media[1]!.attributes.some((a) => a.name === 'rtcp'));
});

test('a stopped transceiver whose section is not yet rejected gets port 0 and no msid', () => {
  const t = {
    ...transceiver('audio', { streamIds: ['s'], trackId: 'a', ssrc: 1 }),
    mid: '0',
    stopped: true,
  };
  const first = createOffer(context({ transceivers: [{ ...t, mid: null, stopped: false }] }));
  const parsed = parseSdp(serializeSdp(first.description));
  assert.ok(parsed.ok);
  const current = readDescription(parsed.description, false);
  const m = createOffer(context({ transceivers: [t], base: current, currentLocal: current }))
    .description.media[0]!;
  assert.equal(m.port, 0);
  assert.ok(!m.attributes.some((a) => a.name === 'msid'));
});

test('a section the answer kept out of BUNDLE stays out, with its own transport (RFC 9429 §5.2.2)', () => {
  const audio = transceiver('audio', { streamIds: [], trackId: 'a', ssrc: 1 });
  const video = transceiver('video', { streamIds: [], trackId: 'v', ssrc: 2 });
  const first = createOffer(context({ transceivers: [audio, video], dataChannels: true }));
  const local = parseSdp(serializeSdp(first.description));
  assert.ok(local.ok);
  // The answer bundles audio and data; video is accepted on a transport of its own.
  const answer = parseSdp(
    serializeSdp(first.description).replace('a=group:BUNDLE 0 1 2', 'a=group:BUNDLE 0 2'),
  );
  assert.ok(answer.ok);
  const currentLocal = readDescription(local.description, false);
  const currentRemote = readDescription(answer.description, true);
  const added = transceiver('audio', { streamIds: [], trackId: 'n', ssrc: 3 });
  let next = 3;
  const second = createOffer(
    context({
      transceivers: [{ ...audio, mid: '0' }, { ...video, mid: '1' }, added],
      dataChannels: true,
      dataMid: '2',
      base: currentLocal,
      currentLocal,
      currentRemote,
      lastAnswer: currentRemote,
      bundle: ['0', '2'],
      transport: (mid) => transport(`ufr${mid}`, `${mid}`.repeat(22)),
      newMid: () => String(next++),
    }),
  );
  // The new section joins the group; video does not.
  assert.equal(
    second.description.attributes.find((a) => a.name === 'group')?.value,
    'BUNDLE 0 2 3',
  );
  const ufrags = second.description.media.map(
    (m) => m.attributes.find((a) => a.name === 'ice-ufrag')?.value,
  );
  assert.deepEqual(ufrags, ['ufr0', 'ufr1', undefined, undefined]);
});
