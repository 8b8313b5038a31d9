/**
 * The checks a session description must pass before a peer connection applies it
 * (RFC 9429 §5.8 "Parsing a Session Description", W3C webrtc-pc "set the session
 * description"): first the grammar of every attribute WebRTC understands (§5.8.1-2),
 * then the content (§5.8.3): mids, BUNDLE groups, ICE credentials, DTLS fingerprints
 * and roles, RTP/RTCP multiplexing, simulcast rids, and an answer against its offer.
 * Problems come back as a list; nothing here throws.
 */

import { directions } from './attributes/direction.js';
import { parseGroup } from './attributes/grouping.js';
import { ICE_PWD_LENGTH, ICE_UFRAG_LENGTH, parseIceCredential } from './attributes/ice.js';
import { attributeSyntax } from './attributes/index.js';
import { parseRid } from './attributes/rid.js';
import { parseSimulcast, simulcastRids } from './attributes/simulcast.js';
import {
  type Attribute,
  bundleGroups,
  findAttribute,
  getMid,
  hasAttribute,
  isRejected,
  type MediaDescription,
  type SessionDescription,
} from './description.js';
import { invalidError, type SdpError, syntaxError } from './error.js';
import { parseSdp } from './parse.js';
import { transportOf } from './transport.js';

export interface ValidateOptions {
  /** The description's type; answers and pranswers get the answer checks. */
  type?: 'offer' | 'pranswer' | 'answer';
  /** The offer an answer responds to: its m= sections must match (RFC 3264 §6). */
  offer?: SessionDescription;
  /** RTCRtcpMuxPolicy: with `require`, every RTP m= section must have a=rtcp-mux. */
  rtcpMuxPolicy?: 'require' | 'negotiate';
}

export type CheckedSdp =
  | { ok: true; description: SessionDescription }
  | { ok: false; errors: SdpError[] };

/** Parses and validates in one step: what setRemoteDescription needs. */
export function checkSdp(text: string, options: ValidateOptions = {}): CheckedSdp {
  const parsed = parseSdp(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const errors = validateSdp(parsed.description, options);
  return errors.length === 0
    ? { ok: true, description: parsed.description }
    : { ok: false, errors };
}

/**
 * Every problem found, syntax errors first: when an attribute does not parse, the
 * content is not checked (RFC 9429 §5.8: the parser stops with an error).
 */
export function validateSdp(d: SessionDescription, options: ValidateOptions = {}): SdpError[] {
  const errors: SdpError[] = [];
  checkAttributes(d.attributes, errors);
  for (const m of d.media) checkAttributes(m.attributes, errors);
  if (errors.length > 0) return errors;

  checkMids(d, errors);
  checkCredentials(d, errors);
  for (const m of d.media) {
    if (isRejected(m, d)) continue;
    checkTransport(d, m, options, errors);
    checkRtcpMux(d, m, options, errors);
    checkSimulcast(m, errors);
  }
  if (options.offer && (options.type === 'answer' || options.type === 'pranswer')) {
    checkAgainstOffer(d, options.offer, errors);
  }
  return errors;
}

/** The ABNF of each attribute we understand, and at most one of those that allow one. */
function checkAttributes(attributes: readonly Attribute[], errors: SdpError[]): void {
  const seen = new Set<string>();
  let direction: string | undefined;
  for (const a of attributes) {
    const syntax = attributeSyntax.get(a.name);
    if (!syntax) continue;
    const malformed = syntax.parse ? syntax.parse(a.value) === undefined : a.value !== null;
    if (malformed) {
      errors.push(
        syntaxError('malformed-attribute', `malformed a=${a.name} (line ${a.line})`, a.line),
      );
    } else if (syntax.single && seen.has(a.name)) {
      errors.push(
        syntaxError('duplicate-attribute', `a second a=${a.name} (line ${a.line})`, a.line),
      );
    } else if (directions.has(a.name) && direction !== undefined && direction !== a.name) {
      errors.push(
        syntaxError(
          'duplicate-attribute',
          `a=${a.name} after a=${direction} (line ${a.line})`,
          a.line,
        ),
      );
    }
    seen.add(a.name);
    if (directions.has(a.name)) direction = a.name;
  }
}

/** Unique mids; BUNDLE groups name existing mids, each in one group; with BUNDLE, every m= has a mid. */
function checkMids(d: SessionDescription, errors: SdpError[]): void {
  const mids = new Set<string>();
  for (const m of d.media) {
    const a = findAttribute(m.attributes, 'mid');
    if (a?.value == null) continue;
    if (mids.has(a.value)) {
      errors.push(
        invalidError('duplicate-mid', `mid ${a.value} is used twice (line ${a.line})`, a.line),
      );
    }
    mids.add(a.value);
  }
  const grouped = new Set<string>();
  for (const a of d.attributes) {
    const group = a.name === 'group' ? parseGroup(a.value) : undefined;
    if (group?.semantics !== 'BUNDLE') continue;
    for (const mid of group.mids) {
      if (!mids.has(mid)) {
        errors.push(
          invalidError(
            'bundle-unknown-mid',
            `BUNDLE names mid ${mid}, which no m= section has (line ${a.line})`,
            a.line,
          ),
        );
      } else if (grouped.has(mid)) {
        errors.push(
          invalidError(
            'bundle-mid-in-two-groups',
            `mid ${mid} is in two BUNDLE groups (line ${a.line})`,
            a.line,
          ),
        );
      }
      grouped.add(mid);
    }
  }
  if (bundleGroups(d).length === 0) return;
  for (const m of d.media) {
    if (getMid(m) === undefined) {
      errors.push(
        invalidError(
          'missing-mid',
          `m= section without a=mid under BUNDLE (line ${m.line})`,
          m.line,
        ),
      );
    }
  }
}

/** RFC 8839 §5.4: ufrag 4-256 ice-chars, password 22-256. */
function checkCredentials(d: SessionDescription, errors: SdpError[]): void {
  const check = (attributes: readonly Attribute[]) => {
    for (const a of attributes) {
      const ufrag = a.name === 'ice-ufrag';
      if (!ufrag && a.name !== 'ice-pwd') continue;
      const limits = ufrag ? ICE_UFRAG_LENGTH : ICE_PWD_LENGTH;
      const value = a.value ?? '';
      if (value.length < limits.min || value.length > limits.max) {
        errors.push(
          invalidError(
            ufrag ? 'ice-ufrag-length' : 'ice-pwd-length',
            `a=${a.name} must have ${limits.min}-${limits.max} characters (line ${a.line})`,
            a.line,
          ),
        );
      } else if (parseIceCredential(value) === undefined) {
        errors.push(
          invalidError(
            ufrag ? 'ice-ufrag-chars' : 'ice-pwd-chars',
            `a=${a.name} may only have letters, digits, + and / (line ${a.line})`,
            a.line,
          ),
        );
      }
    }
  };
  check(d.attributes);
  for (const m of d.media) check(m.attributes);
}

/**
 * ICE credentials and at least one fingerprint for each m= section, from the section,
 * the session, or, for a bundled section, the section its BUNDLE group is tagged with
 * (RFC 8843 §7: transport attributes may appear only there). An answer takes a DTLS
 * role, active or passive (RFC 5763 §5).
 */
function checkTransport(
  d: SessionDescription,
  m: MediaDescription,
  options: ValidateOptions,
  errors: SdpError[],
): void {
  const own = transportOf(d, m);
  const tag = bundleTag(d, m);
  const fromTag = tag && tag !== m ? transportOf(d, tag) : undefined;
  const where = `m= section at line ${m.line}`;
  if ((own.iceUfrag ?? fromTag?.iceUfrag) === undefined) {
    errors.push(invalidError('missing-ice-ufrag', `${where} has no a=ice-ufrag`, m.line));
  }
  if ((own.icePwd ?? fromTag?.icePwd) === undefined) {
    errors.push(invalidError('missing-ice-pwd', `${where} has no a=ice-pwd`, m.line));
  }
  if (own.fingerprints.length === 0 && !fromTag?.fingerprints.length) {
    errors.push(invalidError('missing-fingerprint', `${where} has no a=fingerprint`, m.line));
  }
  const setup = own.setup ?? fromTag?.setup;
  const answer = options.type === 'answer' || options.type === 'pranswer';
  if (answer && setup !== undefined && setup !== 'active' && setup !== 'passive') {
    errors.push(
      invalidError('setup-in-answer', `${where}: an answer has a=setup:${setup}`, m.line),
    );
  }
}

/** The m= section whose mid tags the BUNDLE group `m` is in (the first mid listed). */
function bundleTag(d: SessionDescription, m: MediaDescription): MediaDescription | undefined {
  const mid = getMid(m);
  if (mid === undefined) return undefined;
  const group = bundleGroups(d).find((g) => g.includes(mid));
  return group && d.media.find((x) => getMid(x) === group[0]);
}

/**
 * RFC 9429 §5.8.3: rtcp-mux when the policy requires it; rtcp-mux-only only with
 * rtcp-mux. A bundled section may leave them to its BUNDLE tag (RFC 8843 §7.1.3, §9.3).
 */
function checkRtcpMux(
  d: SessionDescription,
  m: MediaDescription,
  options: ValidateOptions,
  errors: SdpError[],
): void {
  if (!m.proto.includes('RTP/')) return;
  const tag = bundleTag(d, m);
  const has = (name: string) =>
    hasAttribute(m.attributes, name) || (tag !== undefined && hasAttribute(tag.attributes, name));
  const mux = has('rtcp-mux');
  if (!mux && has('rtcp-mux-only')) {
    errors.push(
      invalidError(
        'rtcp-mux-only-without-rtcp-mux',
        `a=rtcp-mux-only without a=rtcp-mux (line ${m.line})`,
        m.line,
      ),
    );
  } else if (!mux && options.rtcpMuxPolicy !== 'negotiate') {
    errors.push(
      invalidError(
        'missing-rtcp-mux',
        `RTP m= section without a=rtcp-mux (line ${m.line})`,
        m.line,
      ),
    );
  }
}

/** RFC 9429 §5.8.3: every rid a=simulcast names exists as an a=rid line of that direction. */
function checkSimulcast(m: MediaDescription, errors: SdpError[]): void {
  const a = findAttribute(m.attributes, 'simulcast');
  const simulcast = a && parseSimulcast(a.value);
  if (!simulcast) return;
  const rids = new Set<string>();
  for (const r of m.attributes) {
    const rid = r.name === 'rid' ? parseRid(r.value) : undefined;
    if (rid) rids.add(`${rid.direction} ${rid.id}`);
  }
  for (const { rid, direction } of simulcastRids(simulcast)) {
    if (!rids.has(`${direction} ${rid}`)) {
      errors.push(
        invalidError(
          'unknown-simulcast-rid',
          `a=simulcast names ${rid}, which has no a=rid:${rid} ${direction} (line ${a.line})`,
          a.line,
        ),
      );
    }
  }
}

/** RFC 3264 §6, RFC 9429 §5.8.3: as many m= sections as the offer, same media, proto and mid. */
function checkAgainstOffer(
  d: SessionDescription,
  offer: SessionDescription,
  errors: SdpError[],
): void {
  if (d.media.length !== offer.media.length) {
    errors.push(
      invalidError(
        'answer-mismatch',
        `the answer has ${d.media.length} m= sections, the offer ${offer.media.length}`,
      ),
    );
    return;
  }
  d.media.forEach((m, i) => {
    const o = offer.media[i]!;
    const mid = getMid(m);
    const offeredMid = getMid(o);
    if (m.media !== o.media || m.proto !== o.proto) {
      errors.push(
        invalidError(
          'answer-mismatch',
          `m=${m.media} ${m.proto} answers m=${o.media} ${o.proto} (line ${m.line})`,
          m.line,
        ),
      );
    } else if (mid !== undefined && offeredMid !== undefined && mid !== offeredMid) {
      errors.push(
        invalidError(
          'answer-mismatch',
          `mid ${mid} answers mid ${offeredMid} (line ${m.line})`,
          m.line,
        ),
      );
    }
  });
}
