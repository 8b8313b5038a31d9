/**
 * The attributes WebRTC gives meaning to, with their grammar: what ./validate.ts checks
 * a description against (RFC 9429 §5.8: each such line is parsed by its ABNF, and one
 * that does not parse rejects the description). Attributes not listed are kept as text.
 */

import { parseCandidateValue } from '../candidate.js';
import { directions } from './direction.js';
import { parseFingerprint, parseSetup, parseTlsId } from './dtls.js';
import { parseExtMap } from './extmap.js';
import { parseGroup, parseMid } from './grouping.js';
import { parseIceCredential, parseIceOptions, parseRemoteCandidates } from './ice.js';
import { parseMsid, parseMsidSemantic } from './msid.js';
import { parseRid } from './rid.js';
import { parseFmtp, parseRtcp, parseRtcpFeedback, parseRtpMap } from './rtp.js';
import { parseMaxMessageSize, parseSctpPort } from './sctp.js';
import { parseSimulcast } from './simulcast.js';
import { parseSsrc, parseSsrcGroup } from './ssrc.js';

export interface AttributeSyntax {
  /** Parses the value; undefined means malformed. Absent for property attributes. */
  parse?: (value: string | null) => unknown;
  /** At most one per session or media description (RFC 9429 §5.8: "if present, a single"). */
  single?: true;
}

const property: AttributeSyntax = {};

export const attributeSyntax: ReadonlyMap<string, AttributeSyntax> = new Map<
  string,
  AttributeSyntax
>([
  ['group', { parse: parseGroup }],
  ['msid-semantic', { parse: parseMsidSemantic, single: true }],
  ['ice-ufrag', { parse: parseIceCredential, single: true }],
  ['ice-pwd', { parse: parseIceCredential, single: true }],
  ['ice-options', { parse: parseIceOptions, single: true }],
  ['ice-lite', property],
  [
    'candidate',
    {
      // A transport or type we do not know still follows the grammar; ICE ignores it.
      parse: (v) => {
        if (v === null) return undefined;
        const r = parseCandidateValue(v);
        return r.ok || r.unsupported ? r : undefined;
      },
    },
  ],
  ['remote-candidates', { parse: parseRemoteCandidates }],
  ['end-of-candidates', property],
  ['fingerprint', { parse: parseFingerprint }],
  ['setup', { parse: parseSetup, single: true }],
  ['tls-id', { parse: parseTlsId, single: true }],
  ['mid', { parse: parseMid, single: true }],
  ['bundle-only', property],
  ['sctp-port', { parse: parseSctpPort, single: true }],
  ['max-message-size', { parse: parseMaxMessageSize, single: true }],
  ['rtcp', { parse: parseRtcp, single: true }],
  ['rtcp-mux', property],
  ['rtcp-mux-only', property],
  ['rtcp-rsize', property],
  ['extmap', { parse: parseExtMap }],
  ['extmap-allow-mixed', property],
  ['rtpmap', { parse: parseRtpMap }],
  ['fmtp', { parse: parseFmtp }],
  ['rtcp-fb', { parse: parseRtcpFeedback }],
  ['msid', { parse: parseMsid }],
  ['ssrc', { parse: parseSsrc }],
  ['ssrc-group', { parse: parseSsrcGroup }],
  ['rid', { parse: parseRid }],
  ['simulcast', { parse: parseSimulcast, single: true }],
  ...[...directions].map((d): [string, AttributeSyntax] => [d, property]),
]);
