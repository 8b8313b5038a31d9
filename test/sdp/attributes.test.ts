import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveDirection, findDirection } from '../../src/sdp/attributes/direction.js';
import {
  fingerprintOf,
  formatFingerprint,
  parseFingerprint,
  parseSetup,
  parseTlsId,
} from '../../src/sdp/attributes/dtls.js';
import { formatExtMap, parseExtMap } from '../../src/sdp/attributes/extmap.js';
import { formatGroup, parseGroup, parseMid } from '../../src/sdp/attributes/grouping.js';
import {
  formatIceOptions,
  parseIceCredential,
  parseIceOptions,
  parseRemoteCandidates,
} from '../../src/sdp/attributes/ice.js';
import { attributeSyntax } from '../../src/sdp/attributes/index.js';
import {
  formatMsid,
  formatMsidSemantic,
  parseMsid,
  parseMsidSemantic,
} from '../../src/sdp/attributes/msid.js';
import { formatRid, parseRid } from '../../src/sdp/attributes/rid.js';
import {
  formatFmtp,
  formatRtcp,
  formatRtcpFeedback,
  formatRtpMap,
  parseFmtp,
  parseFmtpParameters,
  parseRtcp,
  parseRtcpFeedback,
  parseRtpMap,
} from '../../src/sdp/attributes/rtp.js';
import { parseMaxMessageSize, parseSctpPort } from '../../src/sdp/attributes/sctp.js';
import {
  formatSimulcast,
  parseSimulcast,
  simulcastRids,
} from '../../src/sdp/attributes/simulcast.js';
import {
  formatSsrc,
  formatSsrcGroup,
  parseSsrc,
  parseSsrcGroup,
} from '../../src/sdp/attributes/ssrc.js';
import type { Attribute } from '../../src/sdp/description.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { fixture, fixtureNames } from './fixtures.js';

/** Each value parses, and formatting the result gives the value back. */
function roundTrips<T>(
  parse: (v: string) => T | undefined,
  format: (x: T) => string,
  values: string[],
) {
  for (const v of values) {
    const x = parse(v);
    assert.notEqual(x, undefined, v);
    assert.equal(format(x!), v);
  }
}

function rejects(parse: (v: string | null) => unknown, values: (string | null)[]) {
  for (const v of values) assert.equal(parse(v), undefined, String(v));
}

test('every attribute WebRTC understands in the browser fixtures parses', () => {
  let checked = 0;
  for (const name of fixtureNames) {
    const r = parseSdp(fixture(name));
    assert.ok(r.ok);
    const all: Attribute[] = [
      ...r.description.attributes,
      ...r.description.media.flatMap((m) => m.attributes),
    ];
    for (const a of all) {
      const syntax = attributeSyntax.get(a.name);
      if (!syntax?.parse) continue;
      assert.notEqual(syntax.parse(a.value), undefined, `${name}: a=${a.name}:${a.value}`);
      checked++;
    }
  }
  assert.ok(checked > 800, `only ${checked} attributes checked`);
});

test('group and mid (RFC 5888)', () => {
  assert.deepEqual(parseGroup('BUNDLE 0 1 2 3'), {
    semantics: 'BUNDLE',
    mids: ['0', '1', '2', '3'],
  });
  assert.deepEqual(parseGroup('BUNDLE'), { semantics: 'BUNDLE', mids: [] });
  assert.deepEqual(parseGroup('LS audio video'), { semantics: 'LS', mids: ['audio', 'video'] });
  roundTrips(parseGroup, formatGroup, ['BUNDLE 0', 'BUNDLE sdparta_0 sdparta_1', 'FID 1 2']);
  rejects(parseGroup, [null, '', 'BUNDLE  0', 'BUNDLE 0 ', 'BUNDLE a(b']);
  assert.equal(parseMid('sdparta_0'), 'sdparta_0');
  rejects(parseMid, [null, '', 'a b', 'a,b']);
});

test('ice-ufrag, ice-pwd, ice-options, remote-candidates (RFC 8839)', () => {
  assert.equal(parseIceCredential('Uy/i3ngwxu+gMUvg0R2qfiHt'), 'Uy/i3ngwxu+gMUvg0R2qfiHt');
  assert.equal(parseIceCredential('ab'), 'ab', 'the length is a content check');
  rejects(parseIceCredential, [null, '', 'has space', 'under_score', 'dash-dash', 'é']);
  assert.deepEqual(parseIceOptions('trickle renomination'), ['trickle', 'renomination']);
  roundTrips(parseIceOptions, formatIceOptions, ['trickle', 'trickle renomination', 'ice2']);
  assert.deepEqual(
    parseIceOptions('ice2,trickle'),
    ['ice2', 'trickle'],
    'as libdatachannel writes it',
  );
  rejects(parseIceOptions, [null, '', 'trickle ', 'a-b', 'ice2,']);
  assert.deepEqual(parseRemoteCandidates('1 192.0.2.3 45664 2 192.0.2.3 45665'), [
    { component: 1, address: '192.0.2.3', port: 45664 },
    { component: 2, address: '192.0.2.3', port: 45665 },
  ]);
  rejects(parseRemoteCandidates, [null, '1 192.0.2.3', '0 192.0.2.3 1', '1 192.0.2.3 99999']);
});

test('fingerprint (RFC 8122): several hash functions, case normalized, length checked', () => {
  const hex256 =
    '16:65:5C:72:E7:F7:DC:93:70:86:85:D3:CC:5D:1F:96:6C:47:A8:7E:82:9A:A9:FB:BF:6F:3A:99:13:41:07:86';
  assert.deepEqual(parseFingerprint(`sha-256 ${hex256}`), { algorithm: 'sha-256', value: hex256 });
  assert.deepEqual(parseFingerprint(`SHA-256 ${hex256.toLowerCase()}`), {
    algorithm: 'sha-256',
    value: hex256,
  });
  const sha1 = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01';
  assert.deepEqual(parseFingerprint(`sha-1 ${sha1}`), { algorithm: 'sha-1', value: sha1 });
  assert.deepEqual(parseFingerprint('x-future 0A:0B'), { algorithm: 'x-future', value: '0A:0B' });
  roundTrips(parseFingerprint, formatFingerprint, [`sha-256 ${hex256}`, `sha-1 ${sha1}`]);
  rejects(parseFingerprint, [
    null,
    hex256,
    `sha-256  ${hex256}`,
    `sha-256 ${hex256.slice(3)}`,
    `sha-256 ${hex256}:`,
    `sha-256 ${hex256.replaceAll(':', '')}`,
    `sha-256 ${hex256.replace('16', 'G6')}`,
    `sha-1 ${hex256}`,
  ]);
  assert.deepEqual(fingerprintOf('SHA-256', Buffer.from([0, 1, 0xab, 0xff])), {
    algorithm: 'sha-256',
    value: '00:01:AB:FF',
  });
});

test('setup (RFC 4145) and tls-id (RFC 8842)', () => {
  for (const role of ['active', 'passive', 'actpass', 'holdconn'])
    assert.equal(parseSetup(role), role);
  rejects(parseSetup, [null, '', 'ACTIVE', 'actpass ', 'both']);
  assert.equal(parseTlsId('abcdefghij0123456789+/-_'), 'abcdefghij0123456789+/-_');
  rejects(parseTlsId, [null, 'short', 'x'.repeat(121), `${'a'.repeat(20)}!`]);
});

test('sctp-port and max-message-size (RFC 8841)', () => {
  assert.equal(parseSctpPort('5000'), 5000);
  assert.equal(parseSctpPort('65535'), 65535);
  rejects(parseSctpPort, [null, '', '65536', '-1', '5000 ', '0x10']);
  assert.equal(parseMaxMessageSize('262144'), 262144);
  assert.equal(parseMaxMessageSize('1073741823'), 1073741823);
  assert.equal(parseMaxMessageSize('0'), 0);
  rejects(parseMaxMessageSize, [null, '', '1e6', '-5', '12345678901234567']);
});

test('direction attributes (RFC 3264): media level, else session level, else sendrecv', () => {
  const a = (name: string): Attribute => ({ name, value: null });
  assert.equal(findDirection([a('mid'), a('recvonly')]), 'recvonly');
  assert.equal(findDirection([{ name: 'sendonly', value: 'x' }]), undefined);
  assert.equal(effectiveDirection([a('inactive')], [a('sendonly')]), 'sendonly');
  assert.equal(effectiveDirection([a('inactive')], []), 'inactive');
  assert.equal(effectiveDirection([], []), 'sendrecv');
});

test('extmap (RFC 8285) with direction and extension attributes', () => {
  assert.deepEqual(parseExtMap('2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level'), {
    id: 2,
    direction: 'recvonly',
    uri: 'urn:ietf:params:rtp-hdrext:csrc-audio-level',
  });
  assert.deepEqual(parseExtMap('1 urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on'), {
    id: 1,
    uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    attributes: 'vad=on',
  });
  roundTrips(parseExtMap, formatExtMap, [
    '12 https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
    '6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
    '4096/sendonly urn:x attr1 attr2',
    '255 urn:two-byte',
  ]);
  rejects(parseExtMap, [
    null,
    '0 urn:x',
    '256 urn:x',
    '4352 urn:x',
    '1/both urn:x',
    '1',
    '1 ',
    'x urn:x',
  ]);
});

test('rtpmap, fmtp, rtcp-fb, rtcp', () => {
  assert.deepEqual(parseRtpMap('111 opus/48000/2'), {
    payloadType: 111,
    encodingName: 'opus',
    clockRate: 48000,
    encodingParameters: 2,
  });
  roundTrips(parseRtpMap, formatRtpMap, [
    '96 VP8/90000',
    '9 G722/8000/1',
    '110 telephone-event/48000',
  ]);
  rejects(parseRtpMap, [
    null,
    '128 VP8/90000',
    '96 VP8',
    '96 VP8/x',
    '96  VP8/90000',
    'x VP8/90000',
  ]);

  assert.deepEqual(parseFmtp('111 minptime=10;useinbandfec=1'), {
    format: '111',
    parameters: 'minptime=10;useinbandfec=1',
  });
  roundTrips(parseFmtp, formatFmtp, ['101 0-15', '97 apt=96', '63 111/111']);
  rejects(parseFmtp, [null, '111', '111 ', ' 111 x']);
  assert.deepEqual(
    parseFmtpParameters('profile-level-id=42e01f; level-asymmetry-allowed=1;flag;'),
    [
      ['profile-level-id', '42e01f'],
      ['level-asymmetry-allowed', '1'],
      ['flag', undefined],
    ],
  );

  assert.deepEqual(parseRtcpFeedback('96 nack pli'), {
    payloadType: '96',
    type: 'nack',
    parameter: 'pli',
  });
  roundTrips(parseRtcpFeedback, formatRtcpFeedback, [
    '96 goog-remb',
    '96 ccm fir',
    '* trr-int 100',
    '111 transport-cc',
  ]);
  rejects(parseRtcpFeedback, [null, '96', 'x nack', '96  nack']);

  assert.deepEqual(parseRtcp('9 IN IP4 0.0.0.0'), {
    port: 9,
    connection: { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' },
  });
  roundTrips(parseRtcp, formatRtcp, ['9 IN IP4 0.0.0.0', '53020', '53020 IN IP6 2001:db8::1']);
  rejects(parseRtcp, [null, '', '9 IN IP4', '70000']);
});

test('msid (RFC 8830) and msid-semantic as Chromium and Firefox write it', () => {
  assert.deepEqual(parseMsid('- 7cbd6e45-7e3f-4599-b1fb-8f6951ebf69d'), {
    id: '-',
    appdata: '7cbd6e45-7e3f-4599-b1fb-8f6951ebf69d',
  });
  roundTrips(parseMsid, formatMsid, [
    '{1e7d7856-27f9-45af-9229-6a91cdc8f03d} {84ecf0fb-9b13-4840-b7d8-86f0fdb224db}',
    'stream',
  ]);
  rejects(parseMsid, [null, '', 'a b c', `${'x'.repeat(65)} t`, 'a  b']);
  assert.deepEqual(parseMsidSemantic(' WMS'), { semantic: 'WMS', ids: [] });
  assert.deepEqual(parseMsidSemantic('WMS *'), { semantic: 'WMS', ids: ['*'] });
  roundTrips(parseMsidSemantic, formatMsidSemantic, [
    ' WMS',
    ' WMS 214ea0c3-a1ad-412e-aac2-a7f4021668cf',
  ]);
});

test('ssrc and ssrc-group (RFC 5576)', () => {
  assert.deepEqual(parseSsrc('3222545660 cname:7SRzAY+1oeARtsOo'), {
    ssrc: 3222545660,
    attribute: 'cname',
    value: '7SRzAY+1oeARtsOo',
  });
  roundTrips(parseSsrc, formatSsrc, [
    '3376981595 msid:214ea0c3-a1ad-412e-aac2-a7f4021668cf 534bb958-5bd0-4076-bcd5-a47f0a67eb3e',
    '2661432430 cname:{0081d7d9-16d1-465e-9c6f-a3f8e4832efb}',
    '1 previous-ssrc',
  ]);
  rejects(parseSsrc, [null, '4294967296 cname:x', '12', 'x cname:y', '1 :v']);
  assert.deepEqual(parseSsrcGroup('FID 3376981595 3923234455'), {
    semantics: 'FID',
    ssrcs: [3376981595, 3923234455],
  });
  roundTrips(parseSsrcGroup, formatSsrcGroup, ['FID 1713748556 1485109840', 'SIM 1 2 3']);
  rejects(parseSsrcGroup, [null, 'FID 1 x', 'FID 1  2', 'FID 4294967296']);
});

test('rid (RFC 8851) and simulcast (RFC 8853)', () => {
  assert.deepEqual(parseRid('q send'), { id: 'q', direction: 'send', params: [] });
  assert.deepEqual(parseRid('1 send pt=96,97;max-width=1280;max-fps=30'), {
    id: '1',
    direction: 'send',
    payloadTypes: ['96', '97'],
    params: [
      ['max-width', '1280'],
      ['max-fps', '30'],
    ],
  });
  assert.deepEqual(parseRid('hi recv max-br=64000;depend=lo'), {
    id: 'hi',
    direction: 'recv',
    params: [
      ['max-br', '64000'],
      ['depend', 'lo'],
    ],
  });
  roundTrips(parseRid, formatRid, ['f send', 'a_1 recv pt=96', 'x send max-width=640;flag']);
  rejects(parseRid, [null, 'q', 'q both', 'q! send', 'q send pt=x', 'q send max width=1']);

  assert.deepEqual(parseSimulcast('send q;h;f'), {
    send: [
      [{ rid: 'q', paused: false }],
      [{ rid: 'h', paused: false }],
      [{ rid: 'f', paused: false }],
    ],
  });
  const s = parseSimulcast('recv 1,~4;2;3 send a');
  assert.deepEqual(s, {
    recv: [
      [
        { rid: '1', paused: false },
        { rid: '4', paused: true },
      ],
      [{ rid: '2', paused: false }],
      [{ rid: '3', paused: false }],
    ],
    send: [[{ rid: 'a', paused: false }]],
  });
  assert.deepEqual(simulcastRids(s!), [
    { rid: 'a', direction: 'send' },
    { rid: '1', direction: 'recv' },
    { rid: '4', direction: 'recv' },
    { rid: '2', direction: 'recv' },
    { rid: '3', direction: 'recv' },
  ]);
  roundTrips(parseSimulcast, formatSimulcast, ['send q;h;f', 'send 1;2 recv 3', 'recv ~a,b']);
  rejects(parseSimulcast, [
    null,
    '',
    'send',
    'send a recv',
    'send a send b',
    'both a',
    'send a;;b',
    'send a;b!',
  ]);
});
