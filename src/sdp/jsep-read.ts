/**
 * Reading a parsed session description the way JSEP applies it (RFC 9429 §5.8, §5.10):
 * for each m= section, its transport (ICE credentials, DTLS fingerprints and role,
 * candidates), its media (direction, msid, codecs with payload types, header
 * extensions, RTCP options) or its SCTP parameters. Attributes that SDP allows at the
 * session level are inherited from there, as JSEP asks.
 */

import { type Direction, effectiveDirection } from './attributes/direction.js';
import { type ExtMap, parseExtMap } from './attributes/extmap.js';
import { type Msid, parseMsid } from './attributes/msid.js';
import { parseRid, type Rid } from './attributes/rid.js';
import { parseFmtp, parseRtcpFeedback, parseRtpMap } from './attributes/rtp.js';
import { parseMaxMessageSize, parseSctpPort } from './attributes/sctp.js';
import { parseSimulcast, type Simulcast } from './attributes/simulcast.js';
import { parseSsrc } from './attributes/ssrc.js';
import type { MediaDescription, SessionDescription } from './description.js';
import {
  bundleGroups,
  findAttribute,
  findAttributes,
  getMid,
  hasAttribute,
  isRejected,
} from './description.js';
import type { RtpCodecParameters } from './jsep-codecs.js';
import { type TransportDescription, transportOf } from './transport.js';

export interface JsepMediaSection {
  index: number;
  media: string;
  proto: string;
  formats: string[];
  port: number;
  /** Port zero without a=bundle-only (RFC 3264 §6, RFC 8843 §6). */
  rejected: boolean;
  bundleOnly: boolean;
  mid: string | undefined;
  direction: Direction;
  /** ICE and DTLS parameters, inherited from the session level where absent. */
  transport: TransportDescription;
  rtcpMux: boolean;
  rtcpRsize: boolean;
  /** a=msid lines, or the msid of a=ssrc lines when there are none (older endpoints). */
  msids: Msid[];
  ssrcs: number[];
  codecs: RtpCodecParameters[];
  extmaps: ExtMap[];
  sctpPort: number | undefined;
  maxMessageSize: number | undefined;
  rids: Rid[];
  simulcast: Simulcast | undefined;
}

export interface JsepDescription {
  bundleGroups: string[][];
  sections: JsepMediaSection[];
}

/**
 * `answer` tells how to read a zero port in a BUNDLE group: in an answer it keeps the
 * section on the BUNDLE transport, in an offer only a=bundle-only does (RFC 8843 §7).
 */
export function readDescription(d: SessionDescription, answer: boolean): JsepDescription {
  return {
    bundleGroups: bundleGroups(d),
    sections: d.media.map((m, index) => readSection(d, m, index, answer)),
  };
}

function readSection(
  d: SessionDescription,
  m: MediaDescription,
  index: number,
  answer: boolean,
): JsepMediaSection {
  const session = d.attributes;
  const attrs = m.attributes;
  const msids = findAttributes(attrs, 'msid')
    .map((a) => parseMsid(a.value))
    .filter((x): x is Msid => x !== undefined);
  const ssrcs: number[] = [];
  const ssrcMsids: Msid[] = [];
  for (const a of findAttributes(attrs, 'ssrc')) {
    const s = parseSsrc(a.value);
    if (!s) continue;
    if (!ssrcs.includes(s.ssrc)) ssrcs.push(s.ssrc);
    if (s.attribute === 'msid' && s.value !== undefined) {
      const msid = parseMsid(s.value);
      if (msid && !ssrcMsids.some((x) => x.id === msid.id)) ssrcMsids.push(msid);
    }
  }
  const simulcastAttr = findAttribute(attrs, 'simulcast');
  return {
    index,
    media: m.media,
    proto: m.proto,
    formats: m.formats,
    port: m.port,
    rejected: answer ? isRejected(m, d) : isRejected(m),
    bundleOnly: hasAttribute(attrs, 'bundle-only'),
    mid: getMid(m),
    direction: effectiveDirection(session, attrs),
    transport: transportOf(d, m),
    rtcpMux: hasAttribute(attrs, 'rtcp-mux'),
    rtcpRsize: hasAttribute(attrs, 'rtcp-rsize'),
    msids: msids.length > 0 ? msids : ssrcMsids,
    ssrcs,
    codecs: readCodecs(m),
    extmaps: [...findAttributes(session, 'extmap'), ...findAttributes(attrs, 'extmap')]
      .map((a) => parseExtMap(a.value))
      .filter((e): e is ExtMap => e !== undefined),
    sctpPort: parseSctpPort(findAttribute(attrs, 'sctp-port')?.value ?? null),
    maxMessageSize: parseMaxMessageSize(findAttribute(attrs, 'max-message-size')?.value ?? null),
    rids: findAttributes(attrs, 'rid')
      .map((a) => parseRid(a.value))
      .filter((r): r is Rid => r !== undefined),
    simulcast: simulcastAttr ? parseSimulcast(simulcastAttr.value) : undefined,
  };
}

/** RFC 3551 static payload types that may appear without an a=rtpmap. */
const staticPayloadTypes: Readonly<Record<number, [string, number, number?]>> = {
  0: ['PCMU', 8000, 1],
  8: ['PCMA', 8000, 1],
  9: ['G722', 8000, 1],
  13: ['CN', 8000, 1],
};

/** The RTP media formats of an m= line, in order, with rtx streams folded into their primaries. */
function readCodecs(m: MediaDescription): RtpCodecParameters[] {
  if (!m.proto.includes('RTP/')) return [];
  const kind = m.media;
  const rtpmaps = new Map<number, { name: string; clockRate: number; channels?: number }>();
  for (const a of findAttributes(m.attributes, 'rtpmap')) {
    const r = parseRtpMap(a.value);
    if (r)
      rtpmaps.set(r.payloadType, {
        name: r.encodingName,
        clockRate: r.clockRate,
        channels: r.encodingParameters,
      });
  }
  const fmtps = new Map<string, string>();
  for (const a of findAttributes(m.attributes, 'fmtp')) {
    const f = parseFmtp(a.value);
    if (f && !fmtps.has(f.format)) fmtps.set(f.format, f.parameters);
  }
  const feedback = new Map<string, string[]>();
  for (const a of findAttributes(m.attributes, 'rtcp-fb')) {
    const fb = parseRtcpFeedback(a.value);
    if (!fb) continue;
    const text = fb.parameter === undefined ? fb.type : `${fb.type} ${fb.parameter}`;
    const list = feedback.get(fb.payloadType) ?? [];
    if (!list.includes(text)) list.push(text);
    feedback.set(fb.payloadType, list);
  }
  const wildcard = feedback.get('*') ?? [];
  const codecs: RtpCodecParameters[] = [];
  const rtx: { pt: number; apt: number }[] = [];
  for (const format of m.formats) {
    const pt = Number(format);
    if (!/^[0-9]{1,3}$/.test(format) || pt > 127) continue;
    const map = rtpmaps.get(pt) ?? staticCodec(pt);
    if (map === undefined) continue;
    const fmtp = fmtps.get(format);
    if (map.name.toLowerCase() === 'rtx') {
      const apt = /(?:^|;)\s*apt=([0-9]{1,3})/.exec(fmtp ?? '');
      if (apt) rtx.push({ pt, apt: Number(apt[1]) });
      continue;
    }
    const codec: RtpCodecParameters = {
      mimeType: `${kind}/${map.name}`,
      clockRate: map.clockRate,
      payloadType: pt,
      rtcpFeedback: [
        ...wildcard,
        ...(feedback.get(format) ?? []).filter((f) => !wildcard.includes(f)),
      ],
    };
    // RTCRtpCodec: audio codecs carry a channel count (1 when the rtpmap gives none).
    if (kind === 'audio') codec.channels = map.channels ?? 1;
    if (fmtp !== undefined) codec.sdpFmtpLine = fmtp;
    codecs.push(codec);
  }
  for (const { pt, apt } of rtx) {
    const primary = codecs.find((c) => c.payloadType === apt);
    if (primary && primary.rtxPayloadType === undefined) primary.rtxPayloadType = pt;
  }
  return codecs;
}

function staticCodec(
  pt: number,
): { name: string; clockRate: number; channels?: number } | undefined {
  const s = staticPayloadTypes[pt];
  return s && { name: s[0], clockRate: s[1], channels: s[2] };
}

/** Whether the description offers or answers Trickle ICE (RFC 8838 §4: a=ice-options:trickle). */
export function supportsTrickle(d: JsepDescription): boolean {
  return d.sections.some((s) => s.transport.iceOptions.includes('trickle'));
}

/** The BUNDLE group holding `mid`, if any. */
export function bundleGroupOf(d: JsepDescription, mid: string | undefined): string[] | undefined {
  if (mid === undefined) return undefined;
  return d.bundleGroups.find((g) => g.includes(mid));
}
