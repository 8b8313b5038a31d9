/**
 * Generating an offer (RFC 9429 §5.2): the session part, then one m= section per
 * transceiver in the order they were added (recycling rejected sections), then the data
 * section; BUNDLE (RFC 8843) according to the bundle policy.
 *
 * The caller describes its transceivers and transports in plain terms; this module
 * decides the layout and writes the SDP model.
 */
import type { Direction } from './attributes/direction.js';
import { buildSession } from './builder.js';
import type { SessionDescription } from './description.js';
import {
  localHeaderExtensions,
  type MediaKind,
  offerCodecs,
  type RtpCodec,
  type RtpCodecParameters,
} from './jsep-codecs.js';
import {
  buildDataSection,
  buildRejectedSection,
  buildRtpSection,
  type DataSectionPlan,
  defaultAddress,
  type LocalTransportParams,
  type RtpSectionPlan,
  type SectionState,
} from './jsep-media.js';
import type { JsepDescription, JsepMediaSection } from './jsep-read.js';

export type BundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';

/** What JSEP needs to know of an RtpTransceiver. */
export interface JsepTransceiver {
  kind: MediaKind;
  /** The transceiver's mid property ([[JsepMid]]). */
  mid: string | null;
  /** Stopped, or stopping (an offer treats a stopping transceiver as stopped). */
  stopped: boolean;
  direction: Direction;
  codecPreferences: readonly RtpCodec[];
  sender: {
    streamIds: string[];
    trackId: string;
    ssrc: number;
    rtxSsrc?: number;
    rids?: string[];
  };
}

export interface OfferContext {
  session: { sessionId: string; sessionVersion: number };
  bundlePolicy: BundlePolicy;
  transceivers: readonly JsepTransceiver[];
  /** Whether any data channel was created. */
  dataChannels: boolean;
  /** The mid of the negotiated or pending data section, if any. */
  dataMid: string | null;
  /** The description whose m= sections the offer keeps: the pending local offer, else the current local one. */
  base: JsepDescription | undefined;
  currentLocal: JsepDescription | undefined;
  currentRemote: JsepDescription | undefined;
  /** The most recent answer (local or remote): codec order and RTCP options come from it. */
  lastAnswer: JsepDescription | undefined;
  /** The negotiated BUNDLE group, its first mid being the section whose transport carries it. */
  bundle: string[] | undefined;
  /** The transport attributes for the section `mid` that carries its own transport. */
  transport(mid: string): LocalTransportParams;
  /** A mid not used in any description or by any transceiver. */
  newMid(): string;
  cname: string;
  sctpPort: number;
  maxMessageSize: number;
}

export interface OfferResult {
  description: SessionDescription;
  /** For each transceiver index with a section: the index of its m= section. */
  transceiverSections: Map<number, number>;
  /** The index of the data section, if any. */
  dataSection: number | undefined;
}

type Owner =
  | { type: 'transceiver'; index: number; mid: string }
  | { type: 'data'; mid: string }
  | { type: 'rejected'; section: JsepMediaSection };

const RTP_PROTO = 'UDP/TLS/RTP/SAVPF';
const DATA_PROTO = 'UDP/DTLS/SCTP';
const DATA_FORMAT = 'webrtc-datachannel';

export function createOffer(ctx: OfferContext): OfferResult {
  const layout: (Owner | undefined)[] = [];
  const placed = new Set<number>();
  let dataPlaced = false;

  // Existing sections keep their place (§5.2.2); rejected ones may be recycled.
  const recyclable: number[] = [];
  for (const section of ctx.base?.sections ?? []) {
    const mid = section.mid;
    const t = mid === undefined ? -1 : ctx.transceivers.findIndex((x) => x.mid === mid);
    if (t >= 0) {
      const rejectedNow =
        isRejectedIn(ctx.currentLocal, mid) || isRejectedIn(ctx.currentRemote, mid);
      if (ctx.transceivers[t]!.stopped && rejectedNow) {
        recyclable.push(layout.length);
        layout.push({ type: 'rejected', section });
      } else {
        placed.add(t);
        layout.push({ type: 'transceiver', index: t, mid: mid! });
      }
    } else if (section.media === 'application' && mid !== undefined && mid === ctx.dataMid) {
      dataPlaced = true;
      layout.push({ type: 'data', mid });
    } else {
      if (
        section.rejected ||
        isRejectedIn(ctx.currentLocal, mid) ||
        isRejectedIn(ctx.currentRemote, mid)
      ) {
        recyclable.push(layout.length);
      }
      layout.push({ type: 'rejected', section });
    }
  }

  // New transceivers (never stopped, not yet associated) take recycled sections or go last.
  ctx.transceivers.forEach((t, index) => {
    if (placed.has(index) || t.stopped || t.mid !== null) return;
    const owner: Owner = { type: 'transceiver', index, mid: ctx.newMid() };
    const slot = recyclable.shift();
    if (slot === undefined) layout.push(owner);
    else layout[slot] = owner;
    placed.add(index);
  });
  if (ctx.dataChannels && !dataPlaced) {
    const owner: Owner = { type: 'data', mid: ctx.dataMid ?? ctx.newMid() };
    const slot = recyclable.shift();
    if (slot === undefined) layout.push(owner);
    else layout[slot] = owner;
  }

  // Which sections are alive, bundle-only, or bundled into another.
  const live = layout.filter(
    (o): o is Exclude<Owner, { type: 'rejected' }> =>
      o !== undefined &&
      o.type !== 'rejected' &&
      !(o.type === 'transceiver' && ctx.transceivers[o.index]!.stopped),
  );
  const liveMids = live.map((o) => o.mid);
  const bundled = ctx.bundle?.filter((m) => liveMids.includes(m)) ?? [];
  const negotiated = ctx.bundle !== undefined;
  // §5.2.2: the group holds the sections bundled by the last answer that live, and the new
  // or re-enabled ones; a section that answer accepted outside it keeps its own transport.
  const unbundled = (mid: string): boolean =>
    negotiated && !bundled.includes(mid) && isAcceptedIn(ctx.lastAnswer, mid);
  const group = [...bundled, ...liveMids.filter((m) => !bundled.includes(m) && !unbundled(m))];
  // The BUNDLE-tag: the previous one while it lives, else the first section of the group.
  const tag = group[0];
  const seenKinds = new Set<string>();
  const bundleOnly = new Set<string>();
  if (!negotiated) {
    for (const o of live) {
      const kind = o.type === 'data' ? 'application' : ctx.transceivers[o.index]!.kind;
      const first = o === live[0];
      if (
        (ctx.bundlePolicy === 'max-bundle' && !first) ||
        (ctx.bundlePolicy === 'balanced' && seenKinds.has(kind))
      ) {
        bundleOnly.add(o.mid);
      }
      seenKinds.add(kind);
    }
  }
  // Once BUNDLE is negotiated only the tag carries the group's transport attributes
  // (§5.2.2); before that every section that is not bundle-only has a transport of its own.
  const ownTransport = (mid: string): boolean =>
    negotiated ? mid === tag || unbundled(mid) : !bundleOnly.has(mid);
  const tagAddress = tag !== undefined ? defaultAddress(ctx.transport(tag)) : undefined;

  const media = layout.map((owner) => {
    if (owner === undefined) throw new Error('unreachable: every slot is filled');
    if (owner.type === 'rejected') {
      const { media, proto, formats, mid } = owner.section;
      return buildRejectedSection(media, proto, formats, mid);
    }
    if (owner.type === 'data') {
      const plan: DataSectionPlan = {
        mid: owner.mid,
        state: bundleOnly.has(owner.mid) ? 'bundle-only' : 'active',
        proto: DATA_PROTO,
        format: DATA_FORMAT,
        sctpPort: ctx.sctpPort,
        maxMessageSize: ctx.maxMessageSize,
      };
      if (ownTransport(owner.mid)) plan.transport = ctx.transport(owner.mid);
      else if (tagAddress) plan.bundleAddress = tagAddress;
      return buildDataSection(plan);
    }
    const t = ctx.transceivers[owner.index]!;
    const state: SectionState = t.stopped
      ? 'stopped'
      : bundleOnly.has(owner.mid)
        ? 'bundle-only'
        : 'active';
    return buildRtpSection(rtpPlan(ctx, t, owner.mid, state, ownTransport(owner.mid), tagAddress));
  });

  const transceiverSections = new Map<number, number>();
  let dataSection: number | undefined;
  layout.forEach((o, i) => {
    if (o?.type === 'transceiver') transceiverSections.set(o.index, i);
    if (o?.type === 'data') dataSection = i;
  });
  const streamIds = new Set<string>();
  for (const o of live) {
    if (o.type !== 'transceiver') continue;
    const t = ctx.transceivers[o.index]!;
    if (sends(t.direction)) for (const id of t.sender.streamIds) streamIds.add(id);
  }
  return {
    description: buildSession({ ...ctx.session, bundle: group, streamIds: [...streamIds] }, media),
    transceiverSections,
    dataSection,
  };
}

function sends(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

function isRejectedIn(d: JsepDescription | undefined, mid: string | undefined): boolean {
  if (d === undefined || mid === undefined) return false;
  return d.sections.some((s) => s.mid === mid && s.rejected);
}

function isAcceptedIn(d: JsepDescription | undefined, mid: string): boolean {
  return d?.sections.some((s) => s.mid === mid && !s.rejected) ?? false;
}

function findSection(d: JsepDescription | undefined, mid: string): JsepMediaSection | undefined {
  return d?.sections.find((s) => s.mid === mid);
}

function rtpPlan(
  ctx: OfferContext,
  t: JsepTransceiver,
  mid: string,
  state: SectionState,
  own: boolean,
  tagAddress: { address: string; port: number } | undefined,
): RtpSectionPlan {
  const answered = findSection(ctx.lastAnswer, mid);
  const previous: readonly RtpCodecParameters[] = answered?.codecs ?? [];
  const plan: RtpSectionPlan = {
    kind: t.kind,
    mid,
    state,
    proto: findSection(ctx.base, mid)?.proto ?? RTP_PROTO,
    direction: t.direction,
    codecs: offerCodecs(t.kind, t.codecPreferences, previous),
    extmaps: offerExtmaps(t.kind, answered),
    // RFC 9429 §5.2.2: after an answer, RTCP options follow that answer.
    rtcpMux: answered ? answered.rtcpMux : true,
    rtcpRsize: answered ? answered.rtcpRsize : true,
    rtcpLine: answered === undefined || !answered.rtcpMux,
  };
  if (sends(t.direction)) {
    plan.sender = { ...t.sender, cname: ctx.cname };
    if (t.sender.rids !== undefined) plan.rids = t.sender.rids;
  }
  if (own) plan.transport = ctx.transport(mid);
  else if (tagAddress) plan.bundleAddress = tagAddress;
  return plan;
}

/** Our header extensions, keeping the ids a previous answer gave them. */
function offerExtmaps(
  kind: MediaKind,
  answered: JsepMediaSection | undefined,
): { id: number; uri: string }[] {
  const taken = new Set(answered?.extmaps.map((e) => e.id));
  return localHeaderExtensions[kind].map(({ id, uri }) => {
    const prev = answered?.extmaps.find((e) => e.uri === uri);
    if (prev) return { id: prev.id, uri };
    if (!taken.has(id)) return { id, uri };
    let free = 1;
    while (taken.has(free)) free++;
    taken.add(free);
    return { id: free, uri };
  });
}
