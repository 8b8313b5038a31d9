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
import { parseIceOptions, parseRemoteCandidates } from './ice.js';
import { parseMsid, parseMsidSemantic } from './msid.js';
import { parseRid } from './rid.js';
import { parseFmtp, parseRtcp, parseRtcpFeedback, parseRtpMap } from './rtp.js';
import { parseSctpPort } from './sctp.js';
import { parseSimulcast } from './simulcast.js';
import { parseSsrc, parseSsrcGroup } from './ssrc.js';

export interface AttributeSyntax {
  /** Parses the value; undefined means malformed. Absent for property attributes. */
  parse?: (value: string | null) => unknown;
  /** At most one per session or media description (RFC 9429 §5.8: "if present, a single"). */
  single?: true;
}

const property: AttributeSyntax = {};

/**
 * Any value: an attribute whose value is checked as content (./validate.ts) or whose
 * unreadable value reads as absent.
 */
const anyValue: AttributeSyntax['parse'] = (v) => v ?? undefined;

export const attributeSyntax: ReadonlyMap<string, AttributeSyntax> = new Map<
  string,
  AttributeSyntax
>([
  ['group', { parse: parseGroup }],
  ['msid-semantic', { parse: parseMsidSemantic, single: true }],
  // Credentials with characters or lengths RFC 8839 §5.4 does not allow are invalid
  // content, an InvalidAccessError (as browsers and the WPT tests have it), not syntax.
  ['ice-ufrag', { parse: anyValue, single: true }],
  ['ice-pwd', { parse: anyValue, single: true }],
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
  // A limit that does not read is as if absent: 64 KiB (RFC 8841 §6), the safe value.
  ['max-message-size', { parse: anyValue, single: true }],
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
