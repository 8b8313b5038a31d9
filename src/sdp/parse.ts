/**
 * Parsing SDP text into the model of ./description.ts: the line grammar and line
 * order of RFC 8866 §5 and §9, which RFC 9429 §5.8.1-2 requires ("these lines MUST
 * occur in a specific order"). Attribute values are kept as text here; the
 * attribute grammars are checked by ./validate.ts. Accepts CRLF and bare LF.
 */

import type {
  Attribute,
  Bandwidth,
  Connection,
  MediaDescription,
  Origin,
  SessionDescription,
} from './description.js';
import { type SdpError, syntaxError } from './error.js';
import { TOKEN } from './grammar.js';

export type ParseResult =
  | { ok: true; description: SessionDescription }
  | { ok: false; error: SdpError };

const DIGITS = /^[0-9]+$/;
const BANDWIDTH = /^([!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+):([0-9]{1,15})$/;
const PROTO = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+(\/[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)*$/;

/** Position of each line type in a session-level section; `t=` and `r=` share one. */
const sessionRank: Readonly<Record<string, number>> = {
  v: 0,
  o: 1,
  s: 2,
  i: 3,
  u: 4,
  e: 5,
  p: 6,
  c: 7,
  b: 8,
  t: 9,
  r: 9,
  z: 10,
  k: 11,
  a: 12,
};
const sessionRepeatable = 'epbtra';
const timingRank = 9;

/** Position of each line type in a media description. */
const mediaRank: Readonly<Record<string, number>> = { m: 0, i: 1, c: 2, b: 3, k: 4, a: 5 };
const mediaRepeatable = 'cba';

class SdpSyntaxError {
  constructor(readonly error: SdpError) {}
}

function fail(code: SdpError['code'], message: string, line: number): never {
  throw new SdpSyntaxError(syntaxError(code, message, line));
}

/** Parses a session description. Never throws: a syntax error comes back with its line. */
export function parseSdp(text: string): ParseResult {
  if (typeof text !== 'string') {
    return { ok: false, error: syntaxError('missing-line', 'a session description is text', 1) };
  }
  try {
    return { ok: true, description: parseLines(text) };
  } catch (e) {
    if (e instanceof SdpSyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

function parseLines(text: string): SessionDescription {
  const lines = text.split('\n');
  let end = lines.length;
  // The CRLF ending the last line leaves an empty string behind; so would extra ones.
  while (end > 0 && (lines[end - 1] === '' || lines[end - 1] === '\r')) end--;
  if (end === 0) fail('missing-line', 'empty session description', 1);

  const session: Partial<SessionDescription> &
    Pick<
      SessionDescription,
      'emails' | 'phones' | 'bandwidths' | 'timing' | 'attributes' | 'media'
    > = { emails: [], phones: [], bandwidths: [], timing: [], attributes: [], media: [] };
  let media: MediaDescription | undefined;
  let rank = -1;

  for (let i = 0; i < end; i++) {
    const n = i + 1;
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length < 2 || line[1] !== '=' || !/^[a-z]$/.test(line[0]!)) {
      fail('malformed-line', `line ${n} is not <type>=<value>`, n);
    }
    if (line.includes('\r') || line.includes('\0')) {
      fail('malformed-line', `line ${n} holds a CR or NUL character`, n);
    }
    const type = line[0]!;
    const value = line.slice(2);

    if (i < 3) {
      const expected = 'vos'[i]!;
      if (type !== expected) fail('missing-line', `line ${n} must be ${expected}=`, n);
    }
    if (type === 'm') {
      if (session.timing.length === 0) fail('missing-line', `no t= line before line ${n}`, n);
      media = parseMedia(value, n);
      session.media.push(media);
      rank = 0;
      continue;
    }

    if (media) {
      const r = mediaRank[type];
      if (r === undefined)
        fail(lineTypeCode(type), `${type}= not allowed in a media description (line ${n})`, n);
      if (r < rank || (r === rank && !mediaRepeatable.includes(type))) {
        fail('line-order', `${type}= out of order in a media description (line ${n})`, n);
      }
      rank = r;
      switch (type) {
        case 'i':
          media.information = value;
          break;
        case 'c':
          media.connections.push(parseConnection(value, n));
          break;
        case 'b':
          media.bandwidths.push(parseBandwidth(value, n));
          break;
        case 'k':
          media.key = value;
          break;
        default:
          media.attributes.push(parseAttribute(value, n));
      }
      continue;
    }

    const r = sessionRank[type];
    if (r === undefined) fail(lineTypeCode(type), `unknown line type ${type}= (line ${n})`, n);
    if (type === 'r' && rank !== timingRank) fail('line-order', `r= without t= (line ${n})`, n);
    if (r < rank || (r === rank && !sessionRepeatable.includes(type))) {
      fail('line-order', `${type}= out of order at session level (line ${n})`, n);
    }
    if (r > timingRank && session.timing.length === 0) {
      fail('missing-line', `no t= line before line ${n}`, n);
    }
    rank = r;
    switch (type) {
      case 'v':
        if (value !== '0') fail('malformed-line', `v=${value}: the only SDP version is 0`, n);
        session.version = 0;
        break;
      case 'o':
        session.origin = parseOrigin(value, n);
        break;
      case 's':
        session.sessionName = value;
        break;
      case 'i':
        session.information = value;
        break;
      case 'u':
        session.uri = value;
        break;
      case 'e':
        session.emails.push(value);
        break;
      case 'p':
        session.phones.push(value);
        break;
      case 'c':
        session.connection = parseConnection(value, n);
        break;
      case 'b':
        session.bandwidths.push(parseBandwidth(value, n));
        break;
      case 't': {
        const [start, stop, extra] = value.split(' ');
        if (extra !== undefined || !start || !stop || !DIGITS.test(start) || !DIGITS.test(stop)) {
          fail('malformed-line', `t= needs <start-time> <stop-time> (line ${n})`, n);
        }
        session.timing.push({ start, stop, repeats: [] });
        break;
      }
      case 'r':
        session.timing[session.timing.length - 1]!.repeats.push(value);
        break;
      case 'z':
        session.zone = value;
        break;
      case 'k':
        session.key = value;
        break;
      default:
        session.attributes.push(parseAttribute(value, n));
    }
  }
  if (end < 3) fail('missing-line', `a session description needs v=, o= and s= lines`, end);
  if (session.timing.length === 0) fail('missing-line', 'no t= line', end);
  return session as SessionDescription;
}

/** A letter RFC 8866 defines but not at this level is out of order; any other is unknown. */
function lineTypeCode(type: string): SdpError['code'] {
  return sessionRank[type] !== undefined || type === 'm' ? 'line-order' : 'unknown-line-type';
}

function fields(value: string, count: number, what: string, n: number): string[] {
  const parts = value.split(' ');
  if (parts.length !== count || parts.some((p) => p === '')) {
    fail(
      'malformed-line',
      `${what} needs ${count} fields separated by single spaces (line ${n})`,
      n,
    );
  }
  return parts;
}

function parseOrigin(value: string, n: number): Origin {
  const [username, sessionId, sessionVersion, netType, addrType, address] = fields(
    value,
    6,
    'o=',
    n,
  ) as [string, string, string, string, string, string];
  if (!DIGITS.test(sessionId) || !DIGITS.test(sessionVersion)) {
    fail('malformed-line', `o= session id and version must be digits (line ${n})`, n);
  }
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function parseConnection(value: string, n: number): Connection {
  const [netType, addrType, address] = fields(value, 3, 'c=', n) as [string, string, string];
  if (!TOKEN.test(netType) || !TOKEN.test(addrType)) {
    fail('malformed-line', `c= network and address types must be tokens (line ${n})`, n);
  }
  return { netType, addrType, address };
}

function parseBandwidth(value: string, n: number): Bandwidth {
  const m = BANDWIDTH.exec(value);
  if (!m) fail('malformed-line', `b= needs <bwtype>:<bandwidth> (line ${n})`, n);
  return { type: m[1]!, bandwidth: Number(m[2]) };
}

/** `a=<attribute-name>[:<attribute-value>]`, the name a token (RFC 8866 §5.13). */
function parseAttribute(value: string, n: number): Attribute {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (!TOKEN.test(name)) fail('malformed-line', `a= attribute name must be a token (line ${n})`, n);
  return { name, value: colon < 0 ? null : value.slice(colon + 1), line: n };
}

/** `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 8866 §5.14). */
function parseMedia(value: string, n: number): MediaDescription {
  const parts = value.split(' ');
  if (parts.length < 4 || parts.some((p) => p === '')) {
    fail('malformed-line', `m= needs <media> <port> <proto> <fmt> ... (line ${n})`, n);
  }
  const [media, portText, proto, ...formats] = parts as [string, string, string, ...string[]];
  const m = /^([0-9]{1,5})(?:\/([0-9]{1,5}))?$/.exec(portText);
  const port = m ? Number(m[1]) : -1;
  if (!m || port > 65535) fail('malformed-line', `m= port must be 0-65535 (line ${n})`, n);
  if (!TOKEN.test(media) || !PROTO.test(proto) || !formats.every((f) => TOKEN.test(f))) {
    fail('malformed-line', `m= media, proto and formats must be tokens (line ${n})`, n);
  }
  const description: MediaDescription = {
    media,
    port,
    proto,
    formats,
    connections: [],
    bandwidths: [],
    attributes: [],
    line: n,
  };
  if (m[2] !== undefined) description.portCount = Number(m[2]);
  return description;
}
