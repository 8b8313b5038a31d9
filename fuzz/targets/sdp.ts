/**
 * Text the user or the peer hands us: session descriptions (parse, validate as offer and as
 * answer, read the way JSEP applies them, serialize back), candidate lines (the RFC 8839
 * grammar, formatted back), and the RTCIceCandidate and RTCSessionDescription constructors
 * with dictionaries made from the input. Seeds are the browsers' descriptions and candidates
 * in test/sdp/fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { formatCandidate, parseCandidate } from '../../src/sdp/candidate.js';
import { readDescription } from '../../src/sdp/jsep-read.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { transportOf } from '../../src/sdp/transport.js';
import { validateSdp } from '../../src/sdp/validate.js';
import { RTCIceCandidate } from '../../src/webrtc/RTCIceCandidate.js';
import { RTCSessionDescription } from '../../src/webrtc/RTCSessionDescription.js';
import { type FuzzTarget, invariant } from '../target.js';
import { specError } from './spec-errors.js';

const FIXTURES = new URL('../../test/sdp/fixtures/', import.meta.url);

function descriptions(): Buffer[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.sdp'))
    .sort()
    .map((f) => readFileSync(new URL(f, FIXTURES)));
}

function candidateLines(): string[] {
  const events = JSON.parse(
    readFileSync(new URL('chromium-candidates.json', FIXTURES), 'utf8'),
  ) as { candidate: string }[];
  const inSdp = descriptions().flatMap((d) =>
    d
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l.startsWith('a=candidate:')),
  );
  return [...events.map((e) => e.candidate), ...inSdp];
}

export const SDP_DICTIONARY = [
  'a=group:BUNDLE 0 1',
  'a=ice-ufrag:',
  'a=ice-pwd:',
  'a=fingerprint:sha-256 ',
  'a=setup:actpass',
  'a=mid:',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:',
  'a=rtcp-fb:',
  'a=extmap:',
  'a=ssrc:',
  'a=ssrc-group:FID ',
  'a=rid:',
  'a=simulcast:send ',
  'a=msid:',
  'a=bundle-only',
  'a=end-of-candidates',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'c=IN IP6 ::',
  'typ host',
  'raddr',
  'rport',
  'tcptype',
  'generation',
];

function exerciseSdp(text: string): void {
  const parsed = parseSdp(text);
  if (!parsed.ok) {
    invariant(Number.isInteger(parsed.error.line), 'a syntax error without its line');
    return;
  }
  const d = parsed.description;
  // What parses serializes to text that parses to the same description.
  const again = parseSdp(serializeSdp(d));
  invariant(again.ok, `serialized description does not parse: ${again.ok || again.error.message}`);
  for (const type of ['offer', 'answer'] as const) {
    const errors = validateSdp(d, { type, offer: d });
    if (errors.length === 0) readDescription(d, type === 'answer');
  }
  for (const m of d.media) transportOf(d, m);
}

function exerciseCandidate(text: string): void {
  const parsed = parseCandidate(text);
  if (parsed.ok) {
    const line = formatCandidate(parsed.candidate);
    const again = parseCandidate(line);
    invariant(
      again.ok && isDeepStrictEqual(again.candidate, parsed.candidate),
      `${text} formats as ${line}`,
    );
  }
}

/** Only the exceptions WebIDL and the spec name may leave a constructor. */
function construct(make: () => unknown): void {
  try {
    make();
  } catch (e) {
    if (!specError(e)) throw e;
  }
}

function exerciseConstructors(text: string): void {
  let dict: unknown;
  try {
    dict = JSON.parse(text);
  } catch {
    dict = { candidate: text, sdpMid: '0' };
  }
  construct(() => (new RTCIceCandidate(dict as never) as RTCIceCandidate).toJSON());
  construct(() => new RTCIceCandidate({ candidate: text, sdpMLineIndex: 0 }).toJSON());
  construct(() => new RTCSessionDescription(dict as never).toJSON());
  construct(() => new RTCSessionDescription({ type: 'offer', sdp: text }).toJSON());
}

export const sdpTarget: FuzzTarget = {
  name: 'sdp',
  description: 'SDP parse, validate (offer and answer), JSEP read, serialize round trip',
  format: 'text',
  maxLength: 64 * 1024,
  sessionLength: 1,
  dictionary: SDP_DICTIONARY,
  seeds: descriptions,
  session: () => ({ feed: (input) => exerciseSdp(input.toString('utf8')) }),
};

export const candidateTarget: FuzzTarget = {
  name: 'candidate',
  description:
    'candidate-attribute grammar, format round trip; RTCIceCandidate/RTCSessionDescription constructors',
  format: 'text',
  maxLength: 4096,
  sessionLength: 1,
  dictionary: SDP_DICTIONARY,
  seeds: () => [
    ...candidateLines().map((l) => Buffer.from(l)),
    Buffer.from(
      '{"candidate":"candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"abcd"}',
    ),
    Buffer.from('{"type":"offer","sdp":"v=0\\r\\n"}'),
    Buffer.from('{"type":"rollback"}'),
  ],
  session: () => ({
    feed(input) {
      const text = input.toString('utf8');
      exerciseCandidate(text);
      exerciseConstructors(text);
    },
  }),
};
