import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SdpError } from '../../src/sdp/error.js';
import { readDescription } from '../../src/sdp/jsep-read.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { checkSdp, type ValidateOptions, validateSdp } from '../../src/sdp/validate.js';
import { fixture } from './fixtures.js';

const offer = fixture('chromium-datachannel-offer.sdp');
const mediaOffer = fixture('chromium-media-offer.sdp');

function errors(text: string, options: ValidateOptions = {}): SdpError[] {
  const r = parseSdp(text);
  if (!r.ok) assert.fail(`parse failed: ${r.error.message}`);
  return validateSdp(r.description, options);
}

/** The one error `text` has: its kind, code and line. */
function only(text: string, options: ValidateOptions = {}): [string, string, number | undefined] {
  const e = errors(text, options);
  assert.equal(e.length, 1, JSON.stringify(e));
  return [e[0]!.kind, e[0]!.code, e[0]!.line];
}

function lineOf(text: string, start: string, nth = 0): number {
  const lines = text.split('\r\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++)
    if (lines[i]!.startsWith(start) && seen++ === nth) return i + 1;
  assert.fail(`no line ${start}`);
}

test('browser offers and answers pass, answers also against their offers', () => {
  for (const name of [
    'chromium-datachannel-offer.sdp',
    'chromium-datachannel-local.sdp',
    'chromium-media-offer.sdp',
    'chromium-media-offer-simulcast.sdp',
    'firefox-media-offer.sdp',
  ]) {
    assert.deepEqual(errors(fixture(name), { type: 'offer' }), [], name);
  }
  assert.deepEqual(errors(fixture('firefox-datachannel-answer.sdp'), { type: 'answer' }), []);
  const pairs: [string, string][] = [
    ['chromium-datachannel-answer.sdp', 'chromium-datachannel-offer.sdp'],
    ['chromium-media-answer.sdp', 'chromium-media-offer.sdp'],
  ];
  for (const [answer, of] of pairs) {
    const o = parseSdp(fixture(of));
    assert.ok(o.ok);
    assert.deepEqual(errors(fixture(answer), { type: 'answer', offer: o.description }), [], answer);
  }
});

test('a malformed attribute WebRTC understands is a syntax error on its line', () => {
  const cases: [string, string][] = [
    ['a=setup:actpass', 'a=setup:bogus'],
    ['a=fingerprint:sha-256 16:65', 'a=fingerprint:sha-256 GG:65'],
    ['a=sctp-port:5000', 'a=sctp-port:99999'],
    ['a=mid:0', 'a=mid:has space'],
    ['a=group:BUNDLE 0', 'a=group:'],
    ['a=ice-options:trickle', 'a=ice-options:trickle  renomination'],
    ['a=extmap-allow-mixed', 'a=extmap-allow-mixed:yes'],
  ];
  for (const [from, to] of cases) {
    const text = offer.replace(from, to);
    assert.notEqual(text, offer, from);
    const prefix = to.split(':')[0]!;
    assert.deepEqual(only(text), ['syntax', 'malformed-attribute', lineOf(text, prefix)], to);
  }
  const withCandidate = offer.replace(
    'a=ice-ufrag',
    'a=candidate:1 1 udp 1 1.2.3.4 99999 typ host\r\na=ice-ufrag',
  );
  assert.deepEqual(only(withCandidate), ['syntax', 'malformed-attribute', 10]);
  const unsupported = offer.replace(
    'a=ice-ufrag',
    'a=candidate:1 1 ssltcp 1 1.2.3.4 443 typ host\r\na=ice-ufrag',
  );
  assert.deepEqual(
    errors(unsupported),
    [],
    'a candidate with an unknown transport is ignored, not an error',
  );
});

test('a repeated single attribute, or two directions, is a syntax error on the repeat', () => {
  const twice = offer.replace('a=setup:actpass', 'a=setup:actpass\r\na=setup:active');
  assert.deepEqual(only(twice), ['syntax', 'duplicate-attribute', lineOf(twice, 'a=setup', 1)]);
  const ufrag = offer.replace('a=mid:0', 'a=mid:0\r\na=ice-ufrag:Xyzw');
  assert.deepEqual(only(ufrag), ['syntax', 'duplicate-attribute', lineOf(ufrag, 'a=ice-ufrag', 1)]);
  const dirs = mediaOffer.replace('a=sendrecv', 'a=sendrecv\r\na=recvonly');
  assert.deepEqual(only(dirs), ['syntax', 'duplicate-attribute', lineOf(dirs, 'a=recvonly')]);
  const same = mediaOffer.replace('a=sendrecv', 'a=sendrecv\r\na=sendrecv');
  assert.deepEqual(errors(same), [], 'the same direction twice is not ambiguous');
});

test('syntax errors stop the content checks', () => {
  const text = offer.replace('a=setup:actpass', 'a=setup:x').replace(/a=ice-ufrag:.*\r\n/, '');
  assert.deepEqual(
    errors(text).map((e) => e.code),
    ['malformed-attribute'],
  );
});

test('mids: unique; under BUNDLE every m= section has one and the group names only existing ones', () => {
  const noMid = offer.replace('a=mid:0\r\n', '');
  assert.deepEqual(
    errors(noMid).map((e) => [e.kind, e.code, e.line]),
    [
      ['invalid', 'bundle-unknown-mid', 5],
      ['invalid', 'missing-mid', 8],
    ],
  );
  assert.deepEqual(
    errors(noMid.replace('a=group:BUNDLE 0\r\n', '')),
    [],
    'no BUNDLE, no mid needed',
  );

  const dup = mediaOffer.replace('a=mid:1', 'a=mid:0');
  assert.deepEqual(
    errors(dup).map((e) => [e.code, e.line]),
    [
      ['duplicate-mid', lineOf(dup, 'a=mid:0', 1)],
      ['bundle-unknown-mid', 5],
    ],
  );
  const unknown = offer.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 0 7');
  assert.deepEqual(only(unknown), ['invalid', 'bundle-unknown-mid', 5]);
  const twoGroups = mediaOffer.replace(
    'a=group:BUNDLE 0 1 2 3',
    'a=group:BUNDLE 0 1\r\na=group:BUNDLE 1 2 3',
  );
  assert.deepEqual(only(twoGroups), ['invalid', 'bundle-mid-in-two-groups', 6]);
  const lipSync = mediaOffer.replace(
    'a=extmap-allow-mixed',
    'a=group:LS 0 9\r\na=extmap-allow-mixed',
  );
  assert.deepEqual(errors(lipSync), [], 'other group semantics are not checked');
});

test('ICE credentials and fingerprints: from the section, the session, or the BUNDLE tag', () => {
  const mLine = lineOf(offer, 'm=');
  const noUfrag = offer.replace(/a=ice-ufrag:.*\r\n/, '');
  assert.deepEqual(only(noUfrag), ['invalid', 'missing-ice-ufrag', mLine]);
  const noPwd = offer.replace(/a=ice-pwd:.*\r\n/, '');
  assert.deepEqual(only(noPwd), ['invalid', 'missing-ice-pwd', mLine]);
  const noFingerprint = offer.replace(/a=fingerprint:.*\r\n/, '');
  assert.deepEqual(only(noFingerprint), ['invalid', 'missing-fingerprint', mLine]);

  // Moved to the session level, they still count (Firefox writes a=fingerprint there).
  const ufrag = /a=ice-ufrag:.*\r\n/.exec(offer)![0];
  const atSession = offer
    .replace(ufrag, '')
    .replace('a=extmap-allow-mixed\r\n', `a=extmap-allow-mixed\r\n${ufrag}`);
  assert.deepEqual(errors(atSession), []);

  // A bundled section may leave its transport to the tagged one (RFC 8843 §7).
  const stripped = mediaOffer
    .split('m=')
    .map((section, i) =>
      i < 2
        ? section
        : section.replace(/a=(ice-ufrag|ice-pwd|ice-options|fingerprint|setup):.*\r\n/g, ''),
    )
    .join('m=');
  assert.deepEqual(errors(stripped), []);
  const untagged = stripped.replace('a=group:BUNDLE 0 1 2 3', 'a=group:BUNDLE 1 0 2 3');
  // The tag is the first mid of the group: now mid 1, which has no transport of its own.
  const missing = ['missing-ice-ufrag', 'missing-ice-pwd', 'missing-fingerprint'];
  assert.deepEqual(
    errors(untagged).map((e) => e.code),
    [...missing, ...missing, ...missing],
  );
});

test('ufrag 4-256 and password 22-256 characters (RFC 8839 §5.4)', () => {
  const ufragLine = lineOf(offer, 'a=ice-ufrag');
  const pwdLine = lineOf(offer, 'a=ice-pwd');
  const withUfrag = (u: string) => offer.replace(/a=ice-ufrag:.*\r\n/, `a=ice-ufrag:${u}\r\n`);
  const withPwd = (p: string) => offer.replace(/a=ice-pwd:.*\r\n/, `a=ice-pwd:${p}\r\n`);
  assert.deepEqual(only(withUfrag('abc')), ['invalid', 'ice-ufrag-length', ufragLine]);
  assert.deepEqual(only(withUfrag('a'.repeat(257))), ['invalid', 'ice-ufrag-length', ufragLine]);
  assert.deepEqual(errors(withUfrag('abcd')), []);
  assert.deepEqual(errors(withUfrag('a'.repeat(256))), []);
  assert.deepEqual(only(withPwd('p'.repeat(21))), ['invalid', 'ice-pwd-length', pwdLine]);
  assert.deepEqual(only(withPwd('p'.repeat(257))), ['invalid', 'ice-pwd-length', pwdLine]);
  assert.deepEqual(errors(withPwd('p'.repeat(22))), []);
});

test('ufrag and password characters are ice-chars: invalid content, not syntax (RFC 8839 §5.4)', () => {
  const ufragLine = lineOf(offer, 'a=ice-ufrag');
  const pwdLine = lineOf(offer, 'a=ice-pwd');
  const withUfrag = (u: string) => offer.replace(/a=ice-ufrag:.*\r\n/, `a=ice-ufrag:${u}\r\n`);
  const withPwd = (p: string) => offer.replace(/a=ice-pwd:.*\r\n/, `a=ice-pwd:${p}\r\n`);
  assert.deepEqual(errors(withUfrag('E$En'))[0], {
    kind: 'invalid',
    code: 'ice-ufrag-chars',
    message: `a=ice-ufrag may only have letters, digits, + and / (line ${ufragLine})`,
    line: ufragLine,
  });
  assert.equal(errors(withPwd(`OtSK$Wp${'p'.repeat(20)}`))[0]?.code, 'ice-pwd-chars');
  assert.equal(errors(withPwd(`OtSK$Wp${'p'.repeat(20)}`))[0]?.line, pwdLine);
  assert.deepEqual(errors(withUfrag('a+/9')), []);
});

test('an unreadable a=max-message-size reads as absent; a second one is an error', () => {
  const data = fixture('chromium-datachannel-offer.sdp');
  const bad = data.replace('a=max-message-size:262144', 'a=max-message-size:undefined');
  assert.deepEqual(errors(bad), []);
  const parsed = parseSdp(bad);
  assert.ok(parsed.ok);
  assert.equal(readDescription(parsed.description, false).sections[0]!.maxMessageSize, undefined);
  const twice = data.replace(
    'a=max-message-size:262144',
    'a=max-message-size:262144\r\na=max-message-size:1',
  );
  assert.equal(only(twice)[1], 'duplicate-attribute');
});

test('an answer takes a DTLS role: active or passive, not actpass (RFC 5763 §5)', () => {
  const answer = fixture('chromium-datachannel-answer.sdp');
  const actpass = answer.replace('a=setup:active', 'a=setup:actpass');
  assert.deepEqual(only(actpass, { type: 'answer' }), [
    'invalid',
    'setup-in-answer',
    lineOf(answer, 'm='),
  ]);
  assert.deepEqual(only(actpass, { type: 'pranswer' })[1], 'setup-in-answer');
  assert.deepEqual(errors(actpass, { type: 'offer' }), []);
  assert.deepEqual(
    errors(answer.replace('a=setup:active', 'a=setup:passive'), { type: 'answer' }),
    [],
  );
});

test('rtcp-mux is required by default, and rtcp-mux-only needs rtcp-mux', () => {
  // The BUNDLE tag (mid 0, the audio section) without it: every RTP section lacks it.
  const noMux = mediaOffer.replace('a=rtcp-mux\r\n', '');
  const mLine = lineOf(mediaOffer, 'm=audio');
  assert.deepEqual(only(noMux), ['invalid', 'missing-rtcp-mux', mLine]);
  assert.deepEqual(only(noMux, { rtcpMuxPolicy: 'require' }), [
    'invalid',
    'missing-rtcp-mux',
    mLine,
  ]);
  assert.deepEqual(errors(noMux, { rtcpMuxPolicy: 'negotiate' }), []);
  const muxOnly = mediaOffer.replace('a=rtcp-mux\r\n', 'a=rtcp-mux-only\r\n');
  assert.deepEqual(only(muxOnly, { rtcpMuxPolicy: 'negotiate' }), [
    'invalid',
    'rtcp-mux-only-without-rtcp-mux',
    mLine,
  ]);
  // The WPT audio offer without rtcp-mux (RTCConfiguration-rtcpMuxPolicy.html).
  const wpt = [
    'v=0',
    'o=- 166855176514521964 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:someufrag',
    'a=ice-pwd:somelongpwdwithenoughrandomness',
    `a=fingerprint:sha-256 ${Array(32).fill('00').join(':')}`,
    'a=setup:actpass',
    'a=mid:audio1',
    'a=sendonly',
    'a=rtcp-rsize',
    'a=rtpmap:111 opus/48000/2',
    '',
  ].join('\r\n');
  assert.deepEqual(only(wpt, { rtcpMuxPolicy: 'require' }), ['invalid', 'missing-rtcp-mux', 5]);
});

test('every rid a=simulcast names has an a=rid line of that direction', () => {
  const text = fixture('chromium-media-offer-simulcast.sdp');
  const simulcastLine = lineOf(text, 'a=simulcast');
  assert.deepEqual(only(text.replace('a=rid:b send\r\n', '')), [
    'invalid',
    'unknown-simulcast-rid',
    simulcastLine - 1,
  ]);
  assert.deepEqual(only(text.replace('a=rid:b send', 'a=rid:b recv'))[1], 'unknown-simulcast-rid');
});

test('rejected sections are not checked for transport', () => {
  const rejected = offer
    .replace('m=application 9', 'm=application 0')
    .replace('a=group:BUNDLE 0\r\n', '')
    .replace(/a=ice-ufrag:.*\r\n/, '');
  assert.deepEqual(errors(rejected), []);
  // In a BUNDLE group, port zero means bundled, not rejected.
  const bundled = offer
    .replace('m=application 9', 'm=application 0')
    .replace(/a=ice-ufrag:.*\r\n/, '');
  assert.equal(only(bundled)[1], 'missing-ice-ufrag');
});

test('an answer matches its offer: as many m= sections, same media, proto and mids', () => {
  const o = parseSdp(mediaOffer);
  assert.ok(o.ok);
  const answer = fixture('chromium-media-answer.sdp');
  const opts: ValidateOptions = { type: 'answer', offer: o.description };
  const lastSection = answer.slice(answer.lastIndexOf('m=application'));
  const fewer = answer
    .replace(lastSection, '')
    .replace('a=group:BUNDLE 0 1 2 3', 'a=group:BUNDLE 0 1 2');
  assert.deepEqual(only(fewer, opts), ['invalid', 'answer-mismatch', undefined]);
  const proto = answer.replace('m=application 9 UDP/DTLS/SCTP', 'm=application 9 DTLS/SCTP');
  assert.deepEqual(only(proto, opts), [
    'invalid',
    'answer-mismatch',
    lineOf(answer, 'm=application'),
  ]);
  const mid = answer.replace('a=mid:3', 'a=mid:x').replace('BUNDLE 0 1 2 3', 'BUNDLE 0 1 2 x');
  assert.deepEqual(only(mid, opts), [
    'invalid',
    'answer-mismatch',
    lineOf(answer, 'm=application'),
  ]);
  assert.deepEqual(
    errors(proto, { type: 'offer', offer: o.description }),
    [],
    'offers are not compared',
  );
});

test('checkSdp parses and validates in one step', () => {
  const ok = checkSdp(offer);
  assert.ok(ok.ok && ok.description.media.length === 1);
  const syntax = checkSdp('v=0\r\nbad\r\n');
  assert.ok(!syntax.ok && syntax.errors[0]!.kind === 'syntax' && syntax.errors[0]!.line === 2);
  const invalid = checkSdp(offer.replace(/a=ice-pwd:.*\r\n/, ''));
  assert.ok(!invalid.ok && invalid.errors[0]!.code === 'missing-ice-pwd');
});
