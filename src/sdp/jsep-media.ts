/**
 * Writing m= sections as JSEP generates them (RFC 9429 §5.2.1, §5.3.1), in the line
 * order Chromium uses so that browsers see familiar SDP:
 *
 *   m= / c= / [a=bundle-only] / a=rtcp / candidates / a=end-of-candidates / ice-ufrag /
 *   ice-pwd / ice-options / fingerprint / setup / tls-id / mid / extmap / direction /
 *   msid / rtcp-mux / rtcp-rsize / rid / simulcast / codecs / ssrc
 *
 * Transport attributes (RFC 8859 categories IDENTICAL and TRANSPORT) are written only
 * when the section has its own transport; a section bundled into another carries none.
 * The data section and the candidate lines come from ./builder.ts.
 */
import { isIPv4 } from 'node:net';
import type { Candidate } from '../ice/candidate.js';
import type { Direction } from './attributes/direction.js';
import { type Fingerprint, formatFingerprint, type SetupRole } from './attributes/dtls.js';
import { formatExtMap } from './attributes/extmap.js';
import { formatIceOptions } from './attributes/ice.js';
import { formatMsid } from './attributes/msid.js';
import { formatFmtp, formatRtcpFeedback, formatRtpMap } from './attributes/rtp.js';
import {
  buildDataSection as buildDataMedia,
  candidateAttribute,
  DISCARD_PORT,
  defaultCandidate,
} from './builder.js';
import type { Attribute, Connection, MediaDescription } from './description.js';
import type { RtpCodecParameters } from './jsep-codecs.js';

/** The transport of an m= section that is not bundled into another. */
export interface LocalTransportParams {
  ufrag: string;
  pwd: string;
  iceOptions: string[];
  fingerprints: Fingerprint[];
  setup: SetupRole;
  /** Candidates gathered so far in the current gathering phase, in order. */
  candidates: Candidate[];
  endOfCandidates: boolean;
}

/**
 * 'stopped': a stopped transceiver's section in an offer (RFC 9429 §5.2.2): port zero
 * and no msid, but otherwise described, with its (inactive) direction.
 */
export type SectionState = 'active' | 'bundle-only' | 'stopped' | 'rejected';

export interface RtpSectionPlan {
  kind: 'audio' | 'video';
  mid: string;
  state: SectionState;
  proto: string;
  direction: Direction;
  codecs: RtpCodecParameters[];
  extmaps: { id: number; uri: string }[];
  rtcpMux: boolean;
  rtcpRsize: boolean;
  /** Write a=rtcp with the default "9 IN IP4 0.0.0.0" (offers, unless a previous answer muxed). */
  rtcpLine: boolean;
  /** The msid and SSRCs of the sender, when the section sends. */
  sender?: {
    streamIds: string[];
    trackId: string;
    ssrc: number;
    rtxSsrc?: number;
    cname: string;
  };
  rids?: string[];
  /** Own transport; absent when bundled into another section. */
  transport?: LocalTransportParams;
  /** The address and port of the bundle transport, for a bundled section's m= and c= lines. */
  bundleAddress?: { address: string; port: number };
}

export interface DataSectionPlan {
  mid: string;
  state: SectionState;
  proto: string;
  format: string;
  sctpPort: number;
  maxMessageSize: number;
  transport?: LocalTransportParams;
  bundleAddress?: { address: string; port: number };
}

/** The address of the default candidate (RFC 8839 §4.2.1.2), else the discard port. */
export function defaultAddress(transport: LocalTransportParams | undefined): {
  address: string;
  port: number;
} {
  const c = transport && defaultCandidate(transport.candidates);
  return c ? { address: c.address, port: c.port } : { address: '0.0.0.0', port: DISCARD_PORT };
}

function connection(address: string): Connection {
  return { netType: 'IN', addrType: isIPv4(address) ? 'IP4' : 'IP6', address };
}

function attr(name: string, value: string | null = null): Attribute {
  return { name, value };
}

function transportAttributes(t: LocalTransportParams, out: Attribute[]): void {
  for (const c of t.candidates) out.push(candidateAttribute(c));
  if (t.endOfCandidates) out.push(attr('end-of-candidates'));
  out.push(attr('ice-ufrag', t.ufrag), attr('ice-pwd', t.pwd));
  if (t.iceOptions.length > 0) out.push(attr('ice-options', formatIceOptions(t.iceOptions)));
  for (const f of t.fingerprints) out.push(attr('fingerprint', formatFingerprint(f)));
  out.push(attr('setup', t.setup));
}

/** A rejected m= section (RFC 3264 §6): port zero, the formats kept, and the mid. */
export function buildRejectedSection(
  media: string,
  proto: string,
  formats: readonly string[],
  mid: string | undefined,
): MediaDescription {
  return {
    media,
    port: 0,
    proto,
    formats: formats.length > 0 ? [...formats] : ['0'],
    connections: [connection('0.0.0.0')],
    bandwidths: [],
    attributes: mid === undefined ? [] : [attr('mid', mid)],
  };
}

function lineAddress(
  state: SectionState,
  transport: LocalTransportParams | undefined,
  bundleAddress: { address: string; port: number } | undefined,
): { address: string; port: number } {
  if (state === 'bundle-only' || state === 'stopped') return { address: '0.0.0.0', port: 0 };
  return transport
    ? defaultAddress(transport)
    : (bundleAddress ?? { address: '0.0.0.0', port: DISCARD_PORT });
}

export function buildRtpSection(p: RtpSectionPlan): MediaDescription {
  const formats: string[] = [];
  for (const c of p.codecs) {
    formats.push(String(c.payloadType));
    if (c.rtxPayloadType !== undefined) formats.push(String(c.rtxPayloadType));
  }
  if (p.state === 'rejected') return buildRejectedSection(p.kind, p.proto, formats, p.mid);
  const at = lineAddress(p.state, p.transport, p.bundleAddress);
  const a: Attribute[] = [];
  if (p.state === 'bundle-only') a.push(attr('bundle-only'));
  const transport = p.state === 'stopped' ? undefined : p.transport;
  if (p.rtcpLine && transport) a.push(attr('rtcp', '9 IN IP4 0.0.0.0'));
  if (transport) transportAttributes(transport, a);
  a.push(attr('mid', p.mid));
  for (const e of p.extmaps) a.push(attr('extmap', formatExtMap(e)));
  a.push(attr(p.direction));
  const sender = p.state === 'stopped' ? undefined : p.sender;
  if (sender) {
    const ids = sender.streamIds.length > 0 ? sender.streamIds : ['-'];
    for (const id of ids) a.push(attr('msid', formatMsid({ id, appdata: sender.trackId })));
  }
  if (p.rtcpMux) a.push(attr('rtcp-mux'));
  if (p.rtcpRsize) a.push(attr('rtcp-rsize'));
  if (p.rids && p.rids.length > 1) {
    for (const rid of p.rids) a.push(attr('rid', `${rid} send`));
    a.push(attr('simulcast', `send ${p.rids.join(';')}`));
  }
  for (const c of p.codecs) codecAttributes(p.kind, c, a);
  if (sender)
    ssrcAttributes(
      sender,
      p.kind === 'video' && p.codecs.some((c) => c.rtxPayloadType !== undefined),
      a,
    );
  return {
    media: p.kind,
    port: at.port,
    proto: p.proto,
    formats,
    connections: [connection(at.address)],
    bandwidths: [],
    attributes: a,
  };
}

function codecAttributes(kind: string, c: RtpCodecParameters, out: Attribute[]): void {
  const name = c.mimeType.slice(c.mimeType.indexOf('/') + 1);
  const channels =
    kind === 'audio' && c.channels !== undefined && c.channels > 1 ? c.channels : undefined;
  out.push(
    attr(
      'rtpmap',
      formatRtpMap(
        channels === undefined
          ? { payloadType: c.payloadType, encodingName: name, clockRate: c.clockRate }
          : {
              payloadType: c.payloadType,
              encodingName: name,
              clockRate: c.clockRate,
              encodingParameters: channels,
            },
      ),
    ),
  );
  for (const fb of c.rtcpFeedback) {
    const space = fb.indexOf(' ');
    out.push(
      attr(
        'rtcp-fb',
        formatRtcpFeedback(
          space < 0
            ? { payloadType: String(c.payloadType), type: fb }
            : {
                payloadType: String(c.payloadType),
                type: fb.slice(0, space),
                parameter: fb.slice(space + 1),
              },
        ),
      ),
    );
  }
  if (c.sdpFmtpLine !== undefined) {
    out.push(
      attr('fmtp', formatFmtp({ format: String(c.payloadType), parameters: c.sdpFmtpLine })),
    );
  }
  if (c.rtxPayloadType !== undefined) {
    out.push(
      attr(
        'rtpmap',
        formatRtpMap({
          payloadType: c.rtxPayloadType,
          encodingName: 'rtx',
          clockRate: c.clockRate,
        }),
      ),
      attr(
        'fmtp',
        formatFmtp({ format: String(c.rtxPayloadType), parameters: `apt=${c.payloadType}` }),
      ),
    );
  }
}

/** RFC 5576 source attributes of the sender: cname and msid, and the FID group with its rtx SSRC. */
function ssrcAttributes(
  sender: NonNullable<RtpSectionPlan['sender']>,
  rtx: boolean,
  out: Attribute[],
): void {
  const ssrcs = rtx && sender.rtxSsrc !== undefined ? [sender.ssrc, sender.rtxSsrc] : [sender.ssrc];
  if (ssrcs.length > 1) out.push(attr('ssrc-group', `FID ${ssrcs.join(' ')}`));
  const ids = sender.streamIds.length > 0 ? sender.streamIds : ['-'];
  for (const ssrc of ssrcs) {
    out.push(attr('ssrc', `${ssrc} cname:${sender.cname}`));
    for (const id of ids)
      out.push(attr('ssrc', `${ssrc} msid:${formatMsid({ id, appdata: sender.trackId })}`));
  }
}

export function buildDataSection(p: DataSectionPlan): MediaDescription {
  if (p.state === 'rejected')
    return buildRejectedSection('application', p.proto, [p.format], p.mid);
  const t = p.transport;
  const media = buildDataMedia({
    mid: p.mid,
    sctpPort: p.sctpPort,
    maxMessageSize: p.maxMessageSize,
    bundleOnly: p.state === 'bundle-only',
    ...(t
      ? {
          transport: {
            iceUfrag: t.ufrag,
            icePwd: t.pwd,
            iceOptions: t.iceOptions,
            fingerprints: t.fingerprints,
            setup: t.setup,
          },
          candidates: t.candidates,
          endOfCandidates: t.endOfCandidates,
        }
      : { port: p.state === 'bundle-only' ? 0 : (p.bundleAddress?.port ?? DISCARD_PORT) }),
  });
  media.proto = p.proto;
  media.formats = [p.format];
  if (!t && p.bundleAddress) media.connections = [connection(p.bundleAddress.address)];
  return media;
}
