/**
 * The RTP codecs and header extensions we offer (RFC 9429 §5.2.1, "list of implemented
 * send/receive codecs" in W3C webrtc-pc), with the payload types, RTCP feedback and
 * extension ids Chromium uses, so that our offers look like a browser's to a browser.
 *
 * Media is not carried yet: these lists are what negotiation advertises. One list
 * serves both directions (Chromium's send list; its receive list adds a few profiles
 * it can only decode).
 */

import { parseFmtpParameters } from './attributes/rtp.js';

export type MediaKind = 'audio' | 'video';

/** An RTCRtpCodec dictionary (W3C webrtc-pc). */
export interface RtpCodec {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

/** A codec as it appears in an m= section: payload type, feedback, and its rtx partner. */
export interface RtpCodecParameters extends RtpCodec {
  payloadType: number;
  rtcpFeedback: string[];
  /** The payload type of the rtx stream for this codec (RFC 4588), if any. */
  rtxPayloadType?: number;
}

const videoFeedback = ['goog-remb', 'transport-cc', 'ccm fir', 'nack', 'nack pli'];

function video(
  name: string,
  payloadType: number,
  rtxPayloadType: number | undefined,
  sdpFmtpLine?: string,
): RtpCodecParameters {
  const codec: RtpCodecParameters = {
    mimeType: `video/${name}`,
    clockRate: 90000,
    payloadType,
    rtcpFeedback: name === 'red' || name === 'ulpfec' ? [] : videoFeedback,
  };
  if (sdpFmtpLine !== undefined) codec.sdpFmtpLine = sdpFmtpLine;
  if (rtxPayloadType !== undefined) codec.rtxPayloadType = rtxPayloadType;
  return codec;
}

const h264 = (mode: number, profileLevelId: string) =>
  `level-asymmetry-allowed=1;packetization-mode=${mode};profile-level-id=${profileLevelId}`;

/** Our codecs in preference order, with Chromium's payload types. */
export const localCodecs: Record<MediaKind, readonly RtpCodecParameters[]> = {
  audio: [
    {
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      sdpFmtpLine: 'minptime=10;useinbandfec=1',
      payloadType: 111,
      rtcpFeedback: ['transport-cc'],
    },
    // RFC 2198 redundancy of opus; the fmtp names the payload types it carries.
    {
      mimeType: 'audio/red',
      clockRate: 48000,
      channels: 2,
      sdpFmtpLine: '111/111',
      payloadType: 63,
      rtcpFeedback: [],
    },
    { mimeType: 'audio/G722', clockRate: 8000, channels: 1, payloadType: 9, rtcpFeedback: [] },
    { mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0, rtcpFeedback: [] },
    { mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8, rtcpFeedback: [] },
    { mimeType: 'audio/CN', clockRate: 8000, channels: 1, payloadType: 13, rtcpFeedback: [] },
    {
      mimeType: 'audio/telephone-event',
      clockRate: 48000,
      channels: 1,
      payloadType: 110,
      rtcpFeedback: [],
    },
    {
      mimeType: 'audio/telephone-event',
      clockRate: 8000,
      channels: 1,
      payloadType: 126,
      rtcpFeedback: [],
    },
  ],
  video: [
    video('VP8', 96, 97),
    video('H264', 102, 103, h264(1, '42001f')),
    video('H264', 104, 107, h264(0, '42001f')),
    video('H264', 108, 109, h264(1, '42e01f')),
    video('H264', 114, 115, h264(0, '42e01f')),
    video('H264', 116, 117, h264(1, '4d001f')),
    video('H264', 39, 40, h264(0, '4d001f')),
    video('AV1', 45, 46, 'level-idx=5;profile=0;tier=0'),
    video('VP9', 98, 99, 'profile-id=0'),
    video('VP9', 100, 101, 'profile-id=2'),
    video('red', 118, 119),
    video('ulpfec', 120, undefined),
  ],
};

/** Codecs that protect or repair others rather than carry media (W3C setCodecPreferences). */
export function isResiliencyCodec(mimeType: string): boolean {
  const subtype = mimeType.slice(mimeType.indexOf('/') + 1).toLowerCase();
  return (
    subtype === 'rtx' ||
    subtype === 'red' ||
    subtype === 'ulpfec' ||
    subtype === 'flexfec-03' ||
    subtype === 'cn'
  );
}

/** The capability list of W3C getCapabilities(kind): every codec once, then one rtx entry for video. */
export function codecCapabilities(kind: MediaKind): RtpCodec[] {
  const list: RtpCodec[] = [];
  for (const c of localCodecs[kind]) {
    const cap: RtpCodec = { mimeType: c.mimeType, clockRate: c.clockRate };
    if (c.channels !== undefined) cap.channels = c.channels;
    // RED's fmtp names payload types, which are not part of a capability.
    if (c.sdpFmtpLine !== undefined && !c.mimeType.endsWith('/red'))
      cap.sdpFmtpLine = c.sdpFmtpLine;
    list.push(cap);
    if (kind === 'video' && list.length === 1)
      list.push({ mimeType: 'video/rtx', clockRate: 90000 });
  }
  return list;
}

/** RTP header extensions (RFC 8285) with the ids Chromium offers. */
export const localHeaderExtensions: Record<MediaKind, readonly { id: number; uri: string }[]> = {
  audio: [
    { id: 1, uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level' },
    { id: 2, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time' },
    { id: 3, uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
    { id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
  ],
  video: [
    { id: 14, uri: 'urn:ietf:params:rtp-hdrext:toffset' },
    { id: 2, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time' },
    { id: 13, uri: 'urn:3gpp:video-orientation' },
    { id: 3, uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
    { id: 5, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay' },
    { id: 6, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/video-content-type' },
    { id: 7, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/video-timing' },
    { id: 8, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/color-space' },
    { id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    { id: 10, uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id' },
    { id: 11, uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id' },
  ],
};

/** An fmtp line as a key=value map (keys lowercased); undefined when it is not in that form. */
export function fmtpMap(line: string): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const [key, value] of parseFmtpParameters(line)) {
    if (value === undefined || key === '') return undefined;
    map.set(key.toLowerCase(), value);
  }
  return map;
}

/**
 * The parameters that must be equal for two formats of a codec to be the same media
 * format (the symmetrical ones of W3C "codec dictionary match"), with their defaults
 * when absent. The H.264 level (the last byte of profile-level-id) is asymmetrical;
 * its profile is not. AV1's profile, level-idx and tier are all asymmetrical.
 */
const symmetricalParameters: Record<string, Readonly<Record<string, string>>> = {
  h264: { 'packetization-mode': '0', 'profile-level-id': '42000a' },
  vp9: { 'profile-id': '0' },
  av1: {},
};

function subtypeOf(mimeType: string): string {
  return mimeType.slice(mimeType.indexOf('/') + 1).toLowerCase();
}

function symmetricalValue(subtype: string, key: string, value: string): string {
  return subtype === 'h264' && key === 'profile-level-id' ? value.slice(0, 4).toLowerCase() : value;
}

/** Whether the symmetrical parameters of two fmtp parameter sets agree. */
function symmetricalMatch(
  subtype: string,
  a: Map<string, string>,
  b: Map<string, string>,
): boolean {
  const keys = symmetricalParameters[subtype];
  if (keys === undefined) return true;
  for (const [key, fallback] of Object.entries(keys)) {
    const va = symmetricalValue(subtype, key, a.get(key) ?? fallback);
    const vb = symmetricalValue(subtype, key, b.get(key) ?? fallback);
    if (va !== vb) return false;
  }
  return true;
}

/** W3C webrtc-pc "codec dictionary match". */
export function codecDictionaryMatch(
  first: RtpCodec,
  second: RtpCodec,
  ignoreAsymmetricalParameters = false,
): boolean {
  if (String(first.mimeType).toLowerCase() !== String(second.mimeType).toLowerCase()) return false;
  if (first.clockRate !== second.clockRate) return false;
  if ((first.channels === undefined) !== (second.channels === undefined)) return false;
  if (first.channels !== undefined && first.channels !== second.channels) return false;
  if ((first.sdpFmtpLine === undefined) !== (second.sdpFmtpLine === undefined)) return false;
  if (first.sdpFmtpLine === undefined || second.sdpFmtpLine === undefined) return true;
  const a = fmtpMap(first.sdpFmtpLine);
  const b = fmtpMap(second.sdpFmtpLine);
  if (a === undefined || b === undefined) return first.sdpFmtpLine === second.sdpFmtpLine;
  const subtype = subtypeOf(first.mimeType);
  if (!symmetricalMatch(subtype, a, b)) return false;
  if (ignoreAsymmetricalParameters && symmetricalParameters[subtype] !== undefined) return true;
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/**
 * Whether a remote format is one of ours for negotiation (RFC 9429 §5.3.1 "supported"):
 * same encoding, clock rate and channels, and the same symmetrical parameters; other
 * fmtp parameters (receiver preferences such as max-fs) do not decide.
 */
export function sameMediaFormat(remote: RtpCodec, local: RtpCodec): boolean {
  if (remote.mimeType.toLowerCase() !== local.mimeType.toLowerCase()) return false;
  if (remote.clockRate !== local.clockRate) return false;
  if ((remote.channels ?? 1) !== (local.channels ?? 1)) return false;
  const a = fmtpMap(remote.sdpFmtpLine ?? '') ?? new Map<string, string>();
  const b = fmtpMap(local.sdpFmtpLine ?? '') ?? new Map<string, string>();
  return symmetricalMatch(subtypeOf(remote.mimeType), a, b);
}

/** Payload types JSEP may pick for new formats: the dynamic range, then the unassigned 35-63. */
function freePayloadType(used: Set<number>): number | undefined {
  for (let pt = 96; pt <= 127; pt++) if (!used.has(pt)) return pt;
  for (let pt = 35; pt <= 63; pt++) if (!used.has(pt)) return pt;
  return undefined;
}

function copyCodec(c: RtpCodecParameters): RtpCodecParameters {
  return { ...c, rtcpFeedback: [...c.rtcpFeedback] };
}

/** A RED format names its primary's payload type (RFC 2198); keep that in step with the PTs used. */
function fixRedParameters(codecs: RtpCodecParameters[]): void {
  const opus = codecs.find((c) => subtypeOf(c.mimeType) === 'opus');
  for (const c of codecs) {
    if (subtypeOf(c.mimeType) === 'red' && c.mimeType.startsWith('audio/')) {
      if (opus === undefined) c.sdpFmtpLine = undefined;
      else c.sdpFmtpLine = `${opus.payloadType}/${opus.payloadType}`;
      if (c.sdpFmtpLine === undefined) delete c.sdpFmtpLine;
    }
  }
}

/** Codec preferences applied to our list: their order, only what they name; rtx only if named. */
function applyPreferences(kind: MediaKind, preferences: readonly RtpCodec[]): RtpCodecParameters[] {
  const wantRtx = preferences.some((p) => subtypeOf(p.mimeType) === 'rtx');
  const out: RtpCodecParameters[] = [];
  for (const pref of preferences) {
    const local = localCodecs[kind].find(
      (c) => !out.includes(c) && codecDictionaryMatch(pref, capabilityOf(c), true),
    );
    if (local) out.push(local);
  }
  return out.map((c) => {
    const copy = copyCodec(c);
    if (!wantRtx) delete copy.rtxPayloadType;
    return copy;
  });
}

function capabilityOf(c: RtpCodecParameters): RtpCodec {
  const cap: RtpCodec = { mimeType: c.mimeType, clockRate: c.clockRate };
  if (c.channels !== undefined) cap.channels = c.channels;
  if (c.sdpFmtpLine !== undefined && subtypeOf(c.mimeType) !== 'red')
    cap.sdpFmtpLine = c.sdpFmtpLine;
  return cap;
}

/**
 * The formats of an offered m= section (RFC 9429 §5.2.1, §5.2.2): codec preferences
 * decide order and membership when set; otherwise the order of the most recent answer
 * (`previous`, whose payload types are kept) and then our other formats.
 */
export function offerCodecs(
  kind: MediaKind,
  preferences: readonly RtpCodec[],
  previous: readonly RtpCodecParameters[] = [],
): RtpCodecParameters[] {
  let list: RtpCodecParameters[];
  if (preferences.length > 0) list = applyPreferences(kind, preferences);
  else {
    const known = previous
      .map((p) => localCodecs[kind].find((c) => sameMediaFormat(p, c)))
      .filter((c): c is RtpCodecParameters => c !== undefined);
    list = [...new Set(known), ...localCodecs[kind].filter((c) => !known.includes(c))].map(
      copyCodec,
    );
  }
  // Keep the payload types already negotiated; give the others ours unless taken.
  const used = new Set<number>();
  const pending: RtpCodecParameters[] = [];
  for (const c of list) {
    const prev = previous.find((p) => sameMediaFormat(p, c));
    if (prev && !used.has(prev.payloadType)) {
      c.payloadType = prev.payloadType;
      used.add(c.payloadType);
      if (c.rtxPayloadType !== undefined && prev.rtxPayloadType !== undefined) {
        c.rtxPayloadType = prev.rtxPayloadType;
        used.add(c.rtxPayloadType);
      }
    } else pending.push(c);
  }
  for (const c of list)
    if (!pending.includes(c) && c.rtxPayloadType !== undefined) used.add(c.rtxPayloadType);
  for (const c of pending) {
    if (used.has(c.payloadType)) c.payloadType = freePayloadType(used) ?? c.payloadType;
    used.add(c.payloadType);
  }
  for (const c of pending) {
    if (c.rtxPayloadType === undefined) continue;
    if (used.has(c.rtxPayloadType)) c.rtxPayloadType = freePayloadType(used) ?? c.rtxPayloadType;
    used.add(c.rtxPayloadType);
  }
  fixRedParameters(list);
  return list;
}

/**
 * The formats of an answer's m= section (RFC 9429 §5.3.1): the offered formats we
 * support, with the offerer's payload types; in our preference order when codec
 * preferences are set, else in the offer's order. RTCP feedback is what both sides
 * support; rtx is kept for a kept primary when it was offered.
 */
export function answerCodecs(
  kind: MediaKind,
  offered: readonly RtpCodecParameters[],
  preferences: readonly RtpCodec[],
): RtpCodecParameters[] {
  const matched: { offered: RtpCodecParameters; local: RtpCodecParameters }[] = [];
  for (const o of offered) {
    const local = localCodecs[kind].find((c) => sameMediaFormat(o, c));
    if (local && !matched.some((m) => m.offered.payloadType === o.payloadType))
      matched.push({ offered: o, local });
  }
  let chosen = matched;
  let wantRtx = true;
  if (preferences.length > 0) {
    const preferred = applyPreferences(kind, preferences);
    wantRtx = preferences.some((p) => subtypeOf(p.mimeType) === 'rtx');
    chosen = [];
    for (const local of preferred) {
      for (const m of matched) {
        if (
          m.local.mimeType === local.mimeType &&
          sameMediaFormat(m.offered, local) &&
          !chosen.includes(m)
        ) {
          chosen.push(m);
        }
      }
    }
  }
  const result = chosen.map(({ offered: o, local }) => {
    const c: RtpCodecParameters = {
      mimeType: local.mimeType,
      clockRate: local.clockRate,
      payloadType: o.payloadType,
      rtcpFeedback: local.rtcpFeedback.filter((fb) => o.rtcpFeedback.includes(fb)),
    };
    if (local.channels !== undefined) c.channels = local.channels;
    // RED names the offerer's payload types; other formats answer with our parameters.
    const fmtp = subtypeOf(local.mimeType) === 'red' ? o.sdpFmtpLine : local.sdpFmtpLine;
    if (fmtp !== undefined) c.sdpFmtpLine = fmtp;
    if (wantRtx && local.rtxPayloadType !== undefined && o.rtxPayloadType !== undefined) {
      c.rtxPayloadType = o.rtxPayloadType;
    }
    return c;
  });
  return result;
}

/** Whether a remote format is one we can send and receive. */
export function isSupportedCodec(kind: MediaKind, codec: RtpCodec): boolean {
  return localCodecs[kind].some((c) => sameMediaFormat(codec, c));
}

/** Whether a negotiated list carries media, not only repair or redundancy formats. */
export function hasMediaCodec(codecs: readonly RtpCodec[]): boolean {
  return codecs.some(
    (c) => !isResiliencyCodec(c.mimeType) && subtypeOf(c.mimeType) !== 'telephone-event',
  );
}
