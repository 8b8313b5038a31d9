import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAttribute, findAttributes, getMid } from '../../src/sdp/description.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { fixture, fixtureNames } from './fixtures.js';

function parse(text: string) {
  const r = parseSdp(text);
  if (!r.ok) assert.fail(`parse failed: ${r.error.message}`);
  return r.description;
}

function parseError(text: string) {
  const r = parseSdp(text);
  if (r.ok) assert.fail('parse should have failed');
  assert.equal(r.error.kind, 'syntax');
  return r.error;
}

const minimal = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

for (const name of fixtureNames) {
  test(`${name} round-trips byte for byte`, () => {
    const text = fixture(name);
    assert.equal(serializeSdp(parse(text)), text);
  });
}

test('LF-only input parses to the same model and serializes with CRLF', () => {
  const text = fixture('chromium-media-offer.sdp');
  const lf = text.replaceAll('\r\n', '\n');
  assert.deepEqual(parse(lf), parse(text));
  assert.equal(serializeSdp(parse(lf)), text);
});

test('a missing final line ending and trailing empty lines are accepted', () => {
  assert.equal(serializeSdp(parse(minimal.slice(0, -2))), minimal);
  assert.equal(serializeSdp(parse(`${minimal}\r\n\r\n`)), minimal);
});

test('the Chromium data channel offer parses into the expected model', () => {
  const d = parse(fixture('chromium-datachannel-offer.sdp'));
  assert.equal(d.version, 0);
  assert.deepEqual(d.origin, {
    username: '-',
    sessionId: '1561393661077812762',
    sessionVersion: '2',
    netType: 'IN',
    addrType: 'IP4',
    address: '127.0.0.1',
  });
  assert.equal(d.sessionName, '-');
  assert.deepEqual(d.timing, [{ start: '0', stop: '0', repeats: [] }]);
  assert.deepEqual(
    d.attributes.map((a) => [a.name, a.value, a.line]),
    [
      ['group', 'BUNDLE 0', 5],
      ['extmap-allow-mixed', null, 6],
      ['msid-semantic', ' WMS', 7],
    ],
  );
  assert.equal(d.media.length, 1);
  const m = d.media[0]!;
  assert.equal(m.media, 'application');
  assert.equal(m.port, 9);
  assert.equal(m.proto, 'UDP/DTLS/SCTP');
  assert.deepEqual(m.formats, ['webrtc-datachannel']);
  assert.equal(m.line, 8);
  assert.deepEqual(m.connections, [{ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }]);
  assert.equal(getMid(m), '0');
  assert.equal(findAttribute(m.attributes, 'sctp-port')?.value, '5000');
  assert.equal(findAttribute(m.attributes, 'ice-ufrag')?.line, 10);
});

test('every RFC 8866 line type round-trips, in order, at both levels', () => {
  const text = [
    'v=0',
    'o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5',
    's=SDP Seminar',
    'i=A Seminar on the session description protocol',
    'u=http://www.example.com/seminars/sdp.pdf',
    'e=j.doe@example.com (Jane Doe)',
    'e=jane@example.com',
    'p=+1 617 555-6011',
    'c=IN IP4 224.2.17.12/127',
    'b=CT:128',
    'b=AS:256',
    't=2873397496 2873404696',
    'r=7d 1h 0 25h',
    'r=604800 3600 0 90000',
    't=0 0',
    'z=2882844526 -1h 2898848070 0',
    'k=prompt',
    'a=recvonly',
    'a=tool:x y:z',
    'm=audio 49170 RTP/AVP 0',
    'i=the audio',
    'c=IN IP4 224.2.17.12/127',
    'c=IN IP4 224.2.17.13/127',
    'b=AS:64',
    'k=clear:abc',
    'a=rtpmap:0 PCMU/8000',
    'm=video 51372/2 RTP/AVP 99',
    'a=rtpmap:99 h263-1998/90000',
    '',
  ].join('\r\n');
  const d = parse(text);
  assert.equal(serializeSdp(d), text);
  assert.deepEqual(d.emails, ['j.doe@example.com (Jane Doe)', 'jane@example.com']);
  assert.deepEqual(d.bandwidths, [
    { type: 'CT', bandwidth: 128 },
    { type: 'AS', bandwidth: 256 },
  ]);
  assert.deepEqual(d.timing[0]!.repeats, ['7d 1h 0 25h', '604800 3600 0 90000']);
  assert.equal(d.zone, '2882844526 -1h 2898848070 0');
  assert.equal(d.key, 'prompt');
  assert.equal(d.media[0]!.connections.length, 2);
  assert.equal(d.media[0]!.key, 'clear:abc');
  assert.equal(d.media[1]!.port, 51372);
  assert.equal(d.media[1]!.portCount, 2);
});

test('attributes we do not know, and odd values, round-trip untouched', () => {
  const text = `${minimal}a=x-custom\r\na=x-empty:\r\na=x-colons:a:b:c\r\na=x-space: lead and trail \r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\na=weird-thing:{"json":true}\r\n`;
  const d = parse(text);
  assert.equal(serializeSdp(d), text);
  assert.deepEqual(
    d.attributes.map((a) => [a.name, a.value]),
    [
      ['x-custom', null],
      ['x-empty', ''],
      ['x-colons', 'a:b:c'],
      ['x-space', ' lead and trail '],
    ],
  );
  assert.deepEqual(
    findAttributes(d.media[0]!.attributes, 'weird-thing')[0]!.value,
    '{"json":true}',
  );
});

test('syntax errors carry the 1-based line number where they were detected', () => {
  const cases: [string, string, number][] = [
    ['', 'missing-line', 1],
    ['x=0\r\n', 'missing-line', 1],
    ['v=1\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n', 'malformed-line', 1],
    ['v=0\r\ns=-\r\n', 'missing-line', 2],
    ['v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n', 'malformed-line', 2],
    ['v=0\r\no=- x 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n', 'malformed-line', 2],
    ['v=0\r\no=-  1 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n', 'malformed-line', 2],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\nt=0 0\r\n', 'missing-line', 3],
    [`${minimal}a=ok\r\nnot a line\r\n`, 'malformed-line', 6],
    [`${minimal}a=ok\r\n\r\na=ok\r\n`, 'malformed-line', 6],
    [`${minimal} a=ok\r\n`, 'malformed-line', 5],
    [`${minimal}A=ok\r\n`, 'malformed-line', 5],
    [`${minimal}x=unknown\r\n`, 'unknown-line-type', 5],
    [`${minimal}a=bad name\r\n`, 'malformed-line', 5],
    [`${minimal}a=:value\r\n`, 'malformed-line', 5],
    [`${minimal}a=x\0y\r\n`, 'malformed-line', 5],
    [`${minimal}a=x\ry\r\n`, 'malformed-line', 5],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\na=x\r\n', 'missing-line', 4],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n', 'missing-line', 4],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\n', 'missing-line', 3],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0\r\n', 'malformed-line', 4],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nr=1 2 3\r\nt=0 0\r\n', 'line-order', 4],
    [`${minimal}a=x\r\nc=IN IP4 0.0.0.0\r\n`, 'line-order', 6],
    [`${minimal}a=x\r\nt=0 0\r\n`, 'line-order', 6],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\ns=again\r\nt=0 0\r\n', 'line-order', 4],
    [
      'v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n',
      'line-order',
      5,
    ],
    [`${minimal}b=AS\r\n`, 'line-order', 5],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nb=AS\r\nt=0 0\r\n', 'malformed-line', 4],
    ['v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n', 'malformed-line', 4],
    [`${minimal}m=audio 9 RTP/AVP\r\n`, 'malformed-line', 5],
    [`${minimal}m=audio 70000 RTP/AVP 0\r\n`, 'malformed-line', 5],
    [`${minimal}m=audio x RTP/AVP 0\r\n`, 'malformed-line', 5],
    [`${minimal}m=audio 9 RTP/ 0\r\n`, 'malformed-line', 5],
    [`${minimal}m=audio 9 RTP/AVP 0\r\na=x\r\nc=IN IP4 0.0.0.0\r\n`, 'line-order', 7],
    [`${minimal}m=audio 9 RTP/AVP 0\r\ni=a\r\ni=b\r\n`, 'line-order', 7],
    [`${minimal}m=audio 9 RTP/AVP 0\r\nt=0 0\r\n`, 'line-order', 6],
    [`${minimal}m=audio 9 RTP/AVP 0\r\ns=-\r\n`, 'line-order', 6],
    [`${minimal}m=audio 9 RTP/AVP 0\r\ny=1\r\n`, 'unknown-line-type', 6],
  ];
  for (const [text, code, line] of cases) {
    const e = parseError(text);
    assert.equal(e.code, code, JSON.stringify(text));
    assert.equal(e.line, line, JSON.stringify(text));
  }
});

test('line numbers count LF-only lines the same way', () => {
  const text = fixture('chromium-datachannel-offer.sdp')
    .replaceAll('\r\n', '\n')
    .replace('a=mid:0', 'a mid');
  assert.equal(parseError(text).line, 15);
});

test('parseSdp never throws on non-string input', () => {
  for (const input of [undefined, null, 42, Symbol(), { toString: () => 'v=0' }]) {
    const r = parseSdp(input as never);
    assert.ok(!r.ok && r.error.line === 1);
  }
});
