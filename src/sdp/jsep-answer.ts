/**
 * Generating an answer (RFC 9429 §5.3): one m= section per offered one, accepted or
 * rejected by the rules of §5.3.1 (support, transceiver state, bundle policy, the
 * offerer's BUNDLE-tag), with the offerer's payload types and header extension ids.
 * The answer's BUNDLE group holds the accepted mids of each offered group; its first
 * mid is the answerer BUNDLE-tag, the only bundled section with transport attributes.
 */
import type { Direction } from './attributes/direction.js';
import { formatGroup } from './attributes/grouping.js';
import { buildSession } from './builder.js';
import type { SessionDescription } from './description.js';
import { answerCodecs, hasMediaCodec, localHeaderExtensions } from './jsep-codecs.js';
import {
  buildDataSection,
  buildRejectedSection,
  buildRtpSection,
  defaultAddress,
  type LocalTransportParams,
  type RtpSectionPlan,
} from './jsep-media.js';
import type { BundlePolicy, JsepTransceiver } from './jsep-offer.js';
import type { JsepDescription, JsepMediaSection } from './jsep-read.js';

export interface AnswerContext {
  session: { sessionId: string; sessionVersion: number };
  bundlePolicy: BundlePolicy;
  offer: JsepDescription;
  /** The transceiver associated with the offered section at `index` (RTP sections only). */
  transceiverFor(index: number): JsepTransceiver | undefined;
  /** The transport attributes for the section `mid` that carries its own transport. */
  transport(mid: string): LocalTransportParams;
  cname: string;
  sctpPort: number;
  maxMessageSize: number;
}

export interface AnswerResult {
  description: SessionDescription;
  /** The BUNDLE groups of the answer (accepted mids; the first of each is its tag). */
  bundleGroups: string[][];
}

/** RFC 9429 §5.8.1: every RTP profile an offer may use is accepted (DTLS-SRTP regardless). */
const RTP_PROTOS = new Set([
  'RTP/AVP',
  'RTP/AVPF',
  'RTP/SAVP',
  'RTP/SAVPF',
  'TCP/DTLS/RTP/SAVP',
  'TCP/DTLS/RTP/SAVPF',
  'UDP/TLS/RTP/SAVP',
  'UDP/TLS/RTP/SAVPF',
]);
const DATA_PROTOS = new Set(['UDP/DTLS/SCTP', 'TCP/DTLS/SCTP']);

/** RFC 3264 §6.1: the answer's direction from ours and the offered one, seen from our side. */
export function answerDirection(local: Direction, offered: Direction): Direction {
  const canSend =
    (local === 'sendrecv' || local === 'sendonly') &&
    (offered === 'sendrecv' || offered === 'recvonly');
  const canRecv =
    (local === 'sendrecv' || local === 'recvonly') &&
    (offered === 'sendrecv' || offered === 'sendonly');
  if (canSend && canRecv) return 'sendrecv';
  if (canSend) return 'sendonly';
  if (canRecv) return 'recvonly';
  return 'inactive';
}

/** The index of the data section JSEP accepts: the first usable m=application. */
export function acceptedDataSection(offer: JsepDescription): number | undefined {
  return offer.sections.find(
    (s) =>
      s.media === 'application' && !s.rejected && DATA_PROTOS.has(s.proto) && s.mid !== undefined,
  )?.index;
}

export function createAnswer(ctx: AnswerContext): AnswerResult {
  const offer = ctx.offer;
  const dataIndex = acceptedDataSection(offer);
  const accepted = offer.sections.map((s) => acceptable(ctx, s, dataIndex));

  // Bundle policy (§5.3.1): only the first section (max-bundle) or the first of each
  // media type (balanced), and what is bundled with it, may be accepted.
  const groupOf = (mid: string | undefined) =>
    mid === undefined ? undefined : offer.bundleGroups.find((g) => g.includes(mid));
  const firstOfKind = new Map<string, JsepMediaSection>();
  for (const s of offer.sections) if (!firstOfKind.has(s.media)) firstOfKind.set(s.media, s);
  offer.sections.forEach((s, i) => {
    if (!accepted[i]) return;
    const leader = ctx.bundlePolicy === 'max-bundle' ? offer.sections[0] : firstOfKind.get(s.media);
    if (ctx.bundlePolicy === 'max-compat' || leader === undefined || leader === s) return;
    const group = groupOf(leader.mid);
    if (group === undefined || s.mid === undefined || !group.includes(s.mid)) accepted[i] = false;
  });
  // A group whose offerer BUNDLE-tag is rejected is rejected whole (RFC 8843 §7.3.3).
  offer.sections.forEach((s, i) => {
    const group = groupOf(s.mid);
    if (!group) return;
    const tagIndex = offer.sections.findIndex((x) => x.mid === group[0]);
    if (tagIndex >= 0 && !accepted[tagIndex]) accepted[i] = false;
  });

  const bundleGroups = offer.bundleGroups
    .map((g) => g.filter((mid) => offer.sections.some((s, i) => s.mid === mid && accepted[i])))
    .filter((g) => g.length > 0);
  const tagOf = (mid: string | undefined) =>
    bundleGroups.find((g) => mid !== undefined && g.includes(mid))?.[0];

  const streamIds = new Set<string>();
  const media = offer.sections.map((s, i) => {
    const mid = s.mid ?? String(i);
    if (!accepted[i]) return buildRejectedSection(s.media, s.proto, s.formats, s.mid);
    const tag = tagOf(s.mid);
    const own = tag === undefined || tag === mid;
    const transport = own ? withOfferedOptions(ctx.transport(mid), s) : undefined;
    const bundleAddress = own ? undefined : defaultAddress(ctx.transport(tag));
    if (i === dataIndex) {
      return buildDataSection({
        mid,
        state: 'active',
        proto: s.proto,
        format: 'webrtc-datachannel',
        sctpPort: ctx.sctpPort,
        maxMessageSize: ctx.maxMessageSize,
        ...(transport ? { transport } : {}),
        ...(bundleAddress ? { bundleAddress } : {}),
      });
    }
    const t = ctx.transceiverFor(i)!;
    const kind = s.media as 'audio' | 'video';
    const direction = answerDirection(t.direction, s.direction);
    const plan: RtpSectionPlan = {
      kind,
      mid,
      state: 'active',
      proto: s.proto,
      direction,
      codecs: answerCodecs(kind, s.codecs, t.codecPreferences),
      extmaps: s.extmaps
        .filter((e) => localHeaderExtensions[kind].some((l) => l.uri === e.uri))
        .map((e) => ({ id: e.id, uri: e.uri })),
      rtcpMux: s.rtcpMux,
      rtcpRsize: s.rtcpRsize,
      rtcpLine: !s.rtcpMux,
    };
    if (direction === 'sendrecv' || direction === 'sendonly') {
      plan.sender = { ...t.sender, cname: ctx.cname };
      for (const id of t.sender.streamIds) streamIds.add(id);
      const rids = simulcastAnswer(s, t.sender.rids);
      if (rids.length > 1) plan.rids = rids;
    }
    if (transport) plan.transport = transport;
    if (bundleAddress) plan.bundleAddress = bundleAddress;
    return buildRtpSection(plan);
  });
  const description = buildSession(
    { ...ctx.session, bundle: bundleGroups[0] ?? [], streamIds: [...streamIds] },
    media,
  );
  // Further BUNDLE groups, rare but allowed, follow the first.
  bundleGroups.slice(1).forEach((mids, i) => {
    const value = formatGroup({ semantics: 'BUNDLE', mids });
    description.attributes.splice(i + 1, 0, { name: 'group', value });
  });
  return { description, bundleGroups };
}

/**
 * The rids we send in answer to an offer to receive simulcast (RFC 8853 §5.3, W3C "create
 * an answer"): the first alternative of each offered stream, each rid once, and only
 * those our sender has encodings for, in the offer's order.
 */
function simulcastAnswer(offered: JsepMediaSection, ours: readonly string[] = []): string[] {
  const rids: string[] = [];
  for (const [first] of offered.simulcast?.recv ?? [])
    if (first && ours.includes(first.rid) && !rids.includes(first.rid)) rids.push(first.rid);
  return rids;
}

/** Whether we can take an offered section, before the bundle policy is applied. */
function acceptable(
  ctx: AnswerContext,
  s: JsepMediaSection,
  dataIndex: number | undefined,
): boolean {
  if (s.rejected) return false;
  if (s.index === dataIndex) return true;
  if ((s.media !== 'audio' && s.media !== 'video') || !RTP_PROTOS.has(s.proto)) return false;
  const t = ctx.transceiverFor(s.index);
  if (t === undefined || t.stopped) return false;
  return hasMediaCodec(answerCodecs(s.media, s.codecs, t.codecPreferences));
}

/** RFC 9429 §5.3.1: ice-options in an answer only name options the offer used. */
function withOfferedOptions(
  t: LocalTransportParams,
  offered: JsepMediaSection,
): LocalTransportParams {
  return { ...t, iceOptions: t.iceOptions.filter((o) => offered.transport.iceOptions.includes(o)) };
}
