/**
 * "Set a session description" (W3C webrtc-pc §4.4.1.5) with the JSEP processing it
 * starts (RFC 9429 §5.5-5.7, §5.10-5.11): the checks, then in a queued task the new
 * description slots and signaling state, transceivers associated with m= sections,
 * transports created, bundled or closed, remote tracks processed, and the events in
 * the order the spec lists them.
 */

import type { Direction } from '../sdp/attributes/direction.js';
import type { SessionDescription } from '../sdp/description.js';
import { acceptedDataSection } from '../sdp/jsep-answer.js';
import { isSupportedCodec, type MediaKind } from '../sdp/jsep-codecs.js';
import {
  type JsepDescription,
  type JsepMediaSection,
  readDescription,
  supportsTrickle,
} from '../sdp/jsep-read.js';
import { parseSdp } from '../sdp/parse.js';
import { validateSdp } from '../sdp/validate.js';
import { domError } from './dom-errors.js';
import { RTCTrackEvent } from './events.js';
import { type JsepTransport, newIceCredentials } from './jsep-transport.js';
import {
  addRemoteTrack,
  createRemoteStream,
  type MediaStream,
  removeRemoteTrack,
} from './MediaStream.js';
import { type MediaStreamTrack, setTrackMuted } from './MediaStreamTrack.js';
import { updateNegotiationNeeded } from './negotiation-needed.js';
import { DescriptionRecord, type PeerConnectionSlots } from './peer-connection-state.js';
import type { RTCDataChannel } from './RTCDataChannel.js';
import { RTCError, RTCErrorEvent } from './RTCError.js';
import { createReceiver, receiverSlots } from './RTCRtpReceiver.js';
import {
  createSender,
  MAX_SEND_ENCODINGS,
  type RTCRtpCodecParameters,
  type RTCRtpEncodingParameters,
  type RTCRtpHeaderExtensionParameters,
  senderSlots,
} from './RTCRtpSender.js';
import {
  createTransceiver,
  type RTCRtpTransceiver,
  type RTCRtpTransceiverDirection,
  setCurrentDirection,
  stopTransceiver,
  type TransceiverSlots,
  transceiverSlots,
} from './RTCRtpTransceiver.js';
import {
  createSctpTransport,
  setSctpDtlsTransport,
  updateMaxMessageSize,
} from './RTCSctpTransport.js';
import { type RTCSdpType, sdpErrorToException } from './RTCSessionDescription.js';
import { assignDataChannelIds } from './sctp-transport.js';
import { queueTask } from './task-queue.js';
import {
  createTransport,
  discardCandidatePool,
  prohibited,
  releaseEarlyCandidates,
  transportsReleased,
  updateAggregateStates,
} from './transport-events.js';

type ApplicableType = Exclude<RTCSdpType, 'rollback'>;

interface TrackEventInit {
  receiver: RTCRtpTransceiver['receiver'];
  track: MediaStreamTrack;
  streams: MediaStream[];
  transceiver: RTCRtpTransceiver;
}

/** The lists the success steps fill and the events drain. */
interface Changes {
  trackEventInits: TrackEventInit[];
  muteTracks: MediaStreamTrack[];
  addList: [MediaStream, MediaStreamTrack][];
  removeList: [MediaStream, MediaStreamTrack][];
  errorList: RTCDataChannel[];
}

/** Whether `type` may be applied in the current state (RFC 9429 §5.5, §5.6). */
export function validForState(
  s: PeerConnectionSlots,
  type: ApplicableType,
  remote: boolean,
): boolean {
  const state = s.signalingState;
  if (type === 'offer')
    return state === 'stable' || state === (remote ? 'have-remote-offer' : 'have-local-offer');
  return remote
    ? state === 'have-local-offer' || state === 'have-remote-pranswer'
    : state === 'have-remote-offer' || state === 'have-local-pranswer';
}

/** The checks of §5.8 and of "set the session description"; the exception to reject with, if any. */
function check(
  s: PeerConnectionSlots,
  type: ApplicableType,
  sdp: string,
  remote: boolean,
): { model: SessionDescription; jsep: JsepDescription } | { error: Error } {
  if (!validForState(s, type, remote)) {
    return {
      error: domError(
        'InvalidStateError',
        `Cannot set a ${remote ? 'remote' : 'local'} ${type} in state ${s.signalingState}`,
      ),
    };
  }
  const parsed = parseSdp(sdp);
  if (!parsed.ok) return { error: sdpErrorToException(parsed.error) };
  const offer =
    type === 'offer'
      ? undefined
      : (remote ? s.pendingLocalDescription : s.pendingRemoteDescription)?.model;
  const errors = validateSdp(parsed.description, {
    type,
    ...(offer ? { offer } : {}),
    rtcpMuxPolicy: 'require',
  });
  const error = errors[0];
  if (error) {
    if (error.kind === 'syntax') return { error: sdpErrorToException(error) };
    // Without a=rtcp-mux (policy "require") a remote description is an InvalidAccessError too.
    return { error: domError('InvalidAccessError', error.message) };
  }
  const jsep = readDescription(parsed.description, type !== 'offer');
  const problem = remote ? remoteProblem(s, type, jsep) : undefined;
  if (problem) return { error: domError('InvalidAccessError', problem) };
  const duplicate = remote ? duplicateMsid(jsep) : undefined;
  if (duplicate) return { error: domError('OperationError', duplicate) };
  return { model: parsed.description, jsep };
}

/**
 * RFC 8830 §2: no two m= sections may carry the same msid (stream and track id). Ones
 * without a track id are let through: a stream's audio and video may share them.
 */
function duplicateMsid(d: JsepDescription): string | undefined {
  const seen = new Set<string>();
  for (const section of d.sections) {
    if (section.rejected) continue;
    // A line repeated within one section is harmless.
    const keys = new Set(
      section.msids.filter((m) => m.appdata !== undefined).map((m) => `${m.id} ${m.appdata}`),
    );
    for (const key of keys) {
      if (seen.has(key)) return `a=msid:${key} appears in more than one m= section`;
      seen.add(key);
    }
  }
  return undefined;
}

/** Checks of a remote description against what was negotiated; the content is then invalid. */
function remoteProblem(
  s: PeerConnectionSlots,
  type: ApplicableType,
  d: JsepDescription,
): string | undefined {
  const offer = type === 'offer' ? undefined : s.pendingLocalDescription?.jsep;
  const current = s.currentRemoteDescription?.jsep;
  for (const section of d.sections) {
    if (section.rejected) continue;
    // RFC 5761 §4: with RTP and RTCP multiplexed, payload types 64-95 would read as RTCP.
    if (section.media !== 'application' && section.formats.some((f) => +f >= 64 && +f <= 95)) {
      return `Payload types 64-95 cannot be used with rtcp-mux (m-line ${section.index})`;
    }
    const previous = current?.sections.find((x) => x.mid === section.mid && !x.rejected);
    const remapped = section.extmaps.find((e) =>
      previous?.extmaps.some((p) => p.uri === e.uri && p.id !== e.id),
    );
    // RFC 8285 §6: a session update must not remap an extension's identifier.
    if (remapped) return `RTP header extension ${remapped.uri} cannot change its id`;
    if (offer === undefined) continue;
    // RFC 9429 §5.8.3: an answer cannot use a=setup:actpass.
    if (!section.bundleOnly && section.transport.setup === 'actpass') {
      return 'An answer cannot use a=setup:actpass';
    }
    // RFC 3264 §6.1: an answer may only send what the offer receives and vice versa.
    const offered = offer.sections[section.index]?.direction ?? 'sendrecv';
    if (
      (sends(section.direction) && !receives(offered)) ||
      (receives(section.direction) && !sends(offered))
    ) {
      return `An answer cannot be ${section.direction} to a ${offered} offer (m-line ${section.index})`;
    }
  }
  return undefined;
}

const sends = (d: string) => d === 'sendrecv' || d === 'sendonly';
const receives = (d: string) => d === 'sendrecv' || d === 'recvonly';

/** "Set the session description" given `remote`; runs inside the operations chain. */
export function setSessionDescription(
  s: PeerConnectionSlots,
  type: RTCSdpType,
  sdp: string,
  remote: boolean,
): Promise<void> {
  // Step 2, and the type check of RFC 9429 §5.5-5.6 for rollback: only an offer of the
  // same side can be rolled back (setLocalDescription in have-local-offer,
  // setRemoteDescription in have-remote-offer), as browsers and the WPT tests have it.
  if (
    type === 'rollback' &&
    s.signalingState !== (remote ? 'have-remote-offer' : 'have-local-offer')
  ) {
    return Promise.reject(
      domError('InvalidStateError', `Cannot roll back in state ${s.signalingState}`),
    );
  }
  return new Promise((resolve, reject) => {
    if (type === 'rollback') {
      queueTask(() => {
        if (s.isClosed) return;
        const changes = emptyChanges();
        const old = s.signalingState;
        rollback(s, changes);
        finish(s, old, changes);
        resolve();
      });
      return;
    }
    const checked = check(s, type, sdp, remote);
    queueTask(() => {
      if (s.isClosed) return;
      if ('error' in checked) {
        reject(checked.error);
        return;
      }
      const changes = emptyChanges();
      const old = s.signalingState;
      const record = new DescriptionRecord(type, checked.model, checked.jsep);
      apply(s, record, remote, changes);
      finish(s, old, changes);
      resolve();
    });
  });
}

function emptyChanges(): Changes {
  return { trackEventInits: [], muteTracks: [], addList: [], removeList: [], errorList: [] };
}

/** The success steps up to the events (step 4.4 of "set the session description"). */
function apply(
  s: PeerConnectionSlots,
  record: DescriptionRecord,
  remote: boolean,
  changes: Changes,
): void {
  const type = record.type;
  if (!remote) s.setLocalDescriptionCalled = true;
  // Offers in stable state mark what a rollback returns to.
  if (type === 'offer' && s.signalingState === 'stable') rememberStableState(s);
  const released: JsepTransport[] = [];
  if (!remote) {
    if (type === 'offer') {
      s.pendingLocalDescription = record;
      s.signalingState = 'have-local-offer';
      s.iceConfigurationChanged = false;
      releaseEarlyCandidates(s);
    } else if (type === 'answer') {
      s.currentLocalDescription = record;
      s.currentRemoteDescription = s.pendingRemoteDescription;
      s.pendingRemoteDescription = s.pendingLocalDescription = null;
      s.lastCreatedOffer = s.lastCreatedAnswer = '';
      s.signalingState = 'stable';
      releaseEarlyCandidates(s);
      clearReplacedCredentials(s, record);
    } else {
      s.pendingLocalDescription = record;
      s.signalingState = 'have-local-pranswer';
      releaseEarlyCandidates(s);
    }
  } else if (type === 'offer') {
    s.pendingRemoteDescription = record;
    s.signalingState = 'have-remote-offer';
    s.canTrickleIceCandidates = supportsTrickle(record.jsep);
  } else {
    if (type === 'answer') {
      s.currentRemoteDescription = record;
      s.currentLocalDescription = s.pendingLocalDescription;
      s.pendingRemoteDescription = s.pendingLocalDescription = null;
      s.lastCreatedOffer = s.lastCreatedAnswer = '';
      s.signalingState = 'stable';
      if (s.currentLocalDescription) clearReplacedCredentials(s, s.currentLocalDescription);
    } else {
      s.pendingRemoteDescription = record;
      s.signalingState = 'have-remote-pranswer';
    }
    s.canTrickleIceCandidates = supportsTrickle(record.jsep);
  }

  const offer =
    type === 'offer'
      ? record.jsep
      : (remote
          ? (s.pendingLocalDescription ?? s.currentLocalDescription)
          : (s.pendingRemoteDescription ?? s.currentRemoteDescription))!.jsep;
  const dataIndex =
    type === 'offer' ? dataSectionIndex(s, record, remote) : acceptedDataSection(offer);
  const dataSection = dataIndex === undefined ? undefined : record.jsep.sections[dataIndex];
  const dataAccepted = dataSection !== undefined && !dataSection.rejected;

  // Transports first (RFC 9429 §5.10-5.11): the media loop below reads them.
  assignTransports(s, record, remote, released);
  if (dataSection?.mid !== undefined && (type === 'offer' || dataAccepted))
    s.dataMid = dataSection.mid;

  // SCTP: an offer (either side) or an answer describing an association makes the transport.
  const dataTransport =
    dataSection?.mid === undefined ? undefined : s.transportByMid.get(dataSection.mid);
  if (dataAccepted && dataTransport && s.sctpTransport === null) {
    s.sctpTransport = createSctpTransport(dataTransport.dtls, 'connecting');
  } else if (dataAccepted && dataTransport && s.sctpTransport !== null) {
    setSctpDtlsTransport(s.sctpTransport, dataTransport.dtls);
  }
  if (type === 'answer' && !dataAccepted && s.sctpTransport !== null) s.sctpTransport = null;
  if (type !== 'offer' && s.sctpTransport !== null && dataAccepted) {
    const remoteSection = remote
      ? dataSection
      : (s.pendingRemoteDescription?.jsep.sections[dataIndex!] ??
        s.currentRemoteDescription?.jsep.sections[dataIndex!]);
    updateMaxMessageSize(s.sctpTransport, remoteSection?.maxMessageSize);
    if (dataTransport?.dtlsRole !== undefined) {
      changes.errorList.push(...assignDataChannelIds(s, dataTransport.dtlsRole));
    }
  }

  if (remote) applyRemoteMedia(s, record, changes);
  else applyLocalMedia(s, record, changes);

  if (type === 'answer') {
    // Transceivers stopped and rejected in the current descriptions leave the set.
    s.transceivers = s.transceivers.filter((transceiver) => {
      const t = transceiverSlots(transceiver);
      if (!t.stopped || t.jsepMid === null) return true;
      const rejected = (d: DescriptionRecord | null) =>
        d?.jsep.sections.some((x) => x.mid === t.jsepMid && x.rejected) ?? false;
      return !(rejected(s.currentLocalDescription) || rejected(s.currentRemoteDescription));
    });
  }
  transportsReleased(s, released);
  if (type === 'answer') discardCandidatePool(s);
}

/** The slots rollback returns to (step 4.4.4 when an offer is set in stable state). */
function rememberStableState(s: PeerConnectionSlots): void {
  s.lastStableStateSctpTransport = s.sctpTransport;
  s.lastStableDataMid = s.dataMid;
  stableTransports.set(s, new Map(s.transportByMid));
  for (const transceiver of s.transceivers) {
    const t = transceiverSlots(transceiver);
    const sender = senderSlots(t.sender);
    const receiver = receiverSlots(t.receiver);
    sender.lastStableStateSenderTransport = sender.senderTransport;
    sender.lastStableRidlessSendEncodings =
      sender.sendEncodings.length === 1 && sender.sendEncodings[0]!.rid === undefined
        ? sender.sendEncodings
        : null;
    receiver.lastStableStateReceiverTransport = receiver.receiverTransport;
    receiver.lastStableStateAssociatedRemoteMediaStreams = receiver.associatedRemoteMediaStreams;
    receiver.lastStableStateReceiveCodecs = receiver.receiveCodecs;
    stableMids.set(t, t.jsepMid);
  }
}

/** The transports by mid and the transceivers' mids at the last stable state. */
const stableTransports = new WeakMap<PeerConnectionSlots, Map<string, JsepTransport>>();
const stableMids = new WeakMap<TransceiverSlots, string | null>();

function clearReplacedCredentials(s: PeerConnectionSlots, record: DescriptionRecord): void {
  const present = record.jsep.sections.some(
    (x) =>
      x.transport.iceUfrag !== undefined &&
      s.localIceCredentialsToReplace.has(x.transport.iceUfrag),
  );
  if (!present) s.localIceCredentialsToReplace.clear();
}

/** The index of the data section of an offer: ours from createOffer, or the first usable remote one. */
function dataSectionIndex(
  s: PeerConnectionSlots,
  record: DescriptionRecord,
  remote: boolean,
): number | undefined {
  if (remote) return acceptedDataSection(record.jsep);
  const byMid = record.jsep.sections.findIndex(
    (x) => x.media === 'application' && x.mid === s.dataMid,
  );
  if (byMid >= 0) return byMid;
  const layout = s.lastOfferLayout?.data;
  return layout !== undefined && record.jsep.sections[layout]?.media === 'application'
    ? layout
    : undefined;
}

/**
 * Which transport each m= section uses (RFC 8843): a section with its own ICE
 * credentials has its own transport; a bundled one uses its group's. Creates the
 * transports a description brings, restarts ICE where credentials changed, and gives
 * the remote parameters and candidates to the ICE side.
 */
function assignTransports(
  s: PeerConnectionSlots,
  record: DescriptionRecord,
  remote: boolean,
  released: JsepTransport[],
): void {
  const d = record.jsep;
  const answer = record.type !== 'offer';
  const groupOf = (mid: string) => d.bundleGroups.find((g) => g.includes(mid));
  const next = new Map(s.transportByMid);
  for (const section of d.sections) {
    const mid = section.mid;
    if (mid === undefined || section.rejected) continue;
    const group = groupOf(mid);
    // The section whose transport this one uses: itself, or its group's tag.
    let owner = mid;
    if (
      remote ? group !== undefined : section.transport.iceUfrag === undefined && group !== undefined
    ) {
      owner = group![0]!;
    }
    if (remote && answer && !next.has(owner) && !s.transportByMid.has(owner)) {
      // The answerer tagged a section that had no transport of ours: keep our tag's.
      const ours = s.pendingLocalDescription?.jsep.bundleGroups.find((g) => g.includes(mid))?.[0];
      if (ours !== undefined) owner = ours;
    }
    let transport = next.get(owner) ?? s.transportByMid.get(owner);
    const ownerSection = d.sections.find((x) => x.mid === owner);
    if (transport === undefined || transport.closed) {
      const credentials =
        !remote && ownerSection?.transport.iceUfrag !== undefined
          ? { ufrag: ownerSection.transport.iceUfrag, pwd: ownerSection.transport.icePwd ?? '' }
          : (s.pendingCredentials.get(owner) ?? newIceCredentials());
      s.pendingCredentials.delete(owner);
      transport = createTransport(s, owner, credentials.ufrag, credentials.pwd);
    }
    next.set(mid, transport);
    if (owner !== mid) continue;
    if (!remote) applyLocalTransport(s, transport, section, answer);
    else applyRemoteTransport(s, transport, section, record.type);
  }
  // An answer settles bundling: transports no section uses any more are closed.
  if (answer) {
    for (const section of d.sections) {
      if (section.mid !== undefined && section.rejected) next.delete(section.mid);
    }
    const used = new Set(next.values());
    for (const t of s.transports) if (!used.has(t)) released.push(t);
  }
  s.transportByMid = next;
  if (answer) startDtls(s, record, remote);
}

/** Gathering for a new transport, an ICE restart for new credentials (RFC 9429 §5.10). */
function applyLocalTransport(
  s: PeerConnectionSlots,
  transport: JsepTransport,
  section: JsepMediaSection,
  answer: boolean,
): void {
  const ufrag = section.transport.iceUfrag;
  const pwd = section.transport.icePwd;
  if (ufrag !== undefined && pwd !== undefined && ufrag !== transport.localUfrag) {
    s.pendingCredentials.delete(transport.mid);
    transport.restart(ufrag, pwd, answer);
  } else if (!transport.gathering) {
    transport.startGathering();
  }
  // RFC 8445 §6.1.1: the offerer is controlling (the answerer of a remote offer was set there).
  transport.setRole(true);
}

function applyRemoteTransport(
  s: PeerConnectionSlots,
  transport: JsepTransport,
  section: JsepMediaSection,
  type: ApplicableType,
): void {
  const t = section.transport;
  if (t.iceUfrag === undefined || t.icePwd === undefined) return;
  if (
    transport.remoteUfrag !== undefined &&
    transport.remoteUfrag !== t.iceUfrag &&
    type === 'offer'
  ) {
    // The peer restarts ICE: our answer needs new credentials too (RFC 8445 §9).
    s.pendingCredentials.set(transport.mid, newIceCredentials());
  }
  // RFC 8445 §6.1.1: the answerer is controlled, unless the offerer is ice-lite.
  if (type === 'offer') transport.setRole(t.iceLite);
  transport.setRemoteParameters(t.iceUfrag, t.icePwd, t.fingerprints);
  for (const c of t.candidates) if (!prohibited(c)) transport.addRemoteCandidate(c);
  if (t.endOfCandidates) transport.endOfRemoteCandidates();
}

/** RFC 9429 §5.11: with the answer the DTLS roles are known; DTLS starts once ICE connects. */
function startDtls(s: PeerConnectionSlots, record: DescriptionRecord, remote: boolean): void {
  const local = remote ? (s.pendingLocalDescription ?? s.currentLocalDescription) : record;
  const remoteDescription = remote
    ? record
    : (s.pendingRemoteDescription ?? s.currentRemoteDescription);
  for (const section of record.jsep.sections) {
    const mid = section.mid;
    if (mid === undefined || section.rejected) continue;
    const transport = s.transportByMid.get(mid);
    if (!transport || transport.mid !== mid) continue;
    const localSetup = local?.jsep.sections.find((x) => x.mid === mid)?.transport.setup;
    const remoteTransport = remoteDescription?.jsep.sections.find((x) => x.mid === mid)?.transport;
    // Our answer's active (or the remote answer's passive) makes us the DTLS client.
    const client = remote ? remoteTransport?.setup === 'passive' : localSetup === 'active';
    transport.startDtls(client ? 'client' : 'server', remoteTransport?.fingerprints ?? []);
  }
}

/** The m= sections of a local description (step 4.4.9.1). */
function applyLocalMedia(
  s: PeerConnectionSlots,
  record: DescriptionRecord,
  changes: Changes,
): void {
  const answer = record.type !== 'offer';
  record.jsep.sections.forEach((section, index) => {
    if (section.media !== 'audio' && section.media !== 'video') return;
    let transceiver = findTransceiver(s, section.mid);
    if (transceiver === undefined && record.type === 'offer') {
      // The transceiver createOffer() made this section for.
      for (const [candidate, i] of s.lastOfferLayout?.transceivers ?? []) {
        if (i === index && s.transceivers.includes(candidate)) transceiver = candidate;
      }
      if (transceiver === undefined) return;
      const t = transceiverSlots(transceiver);
      t.jsepMid = section.mid ?? null;
    }
    if (transceiver === undefined) return;
    const t = transceiverSlots(transceiver);
    t.mid = t.jsepMid;
    if (t.stopped) return;
    const transport = section.mid === undefined ? undefined : s.transportByMid.get(section.mid);
    if (transport) {
      senderSlots(t.sender).senderTransport = transport.dtls;
      receiverSlots(t.receiver).receiverTransport = transport.dtls;
    }
    const direction: Direction = section.rejected ? 'inactive' : section.direction;
    t.receptive = direction === 'sendrecv' || direction === 'recvonly';
    if (answer) {
      // Codecs are negotiated once an answer is in: what we receive is in our answer;
      // what we send, as the remote offer describes it.
      const receiver = receiverSlots(t.receiver);
      // Browsers (and the WPT tests) list the codecs even when the direction receives nothing.
      receiver.receiveCodecs = codecParameters(section);
      receiver.receiveHeaderExtensions = headerExtensions(section);
      receiver.reducedSize = section.rtcpRsize;
      const sender = senderSlots(t.sender);
      const remote = s.pendingRemoteDescription ?? s.currentRemoteDescription;
      const offered = remote?.jsep.sections.find((x) => x.mid === section.mid);
      const answered = payloadTypes(section);
      sender.sendCodecs = offered
        ? codecParameters(offered).filter((c) => answered.has(c.payloadType))
        : [];
      sender.sendHeaderExtensions = headerExtensions(section);
      sender.reducedSize = section.rtcpRsize;
      sender.lastReturnedParameters = null;
      if (
        (direction === 'sendonly' || direction === 'inactive') &&
        (t.firedDirection === 'sendrecv' || t.firedDirection === 'recvonly')
      ) {
        setAssociatedRemoteStreams(s, transceiver, [], changes.addList, changes.removeList);
        processRemovalOfRemoteTrack(t, changes.muteTracks);
      }
      setCurrentDirection(t, direction);
      t.firedDirection = direction;
    }
  });
}

/**
 * proposedSendEncodings: an encoding per stream a remote offer asks to receive in
 * a=simulcast (the first alternative of each, a rid once, as many as a sender takes),
 * scaled down by powers of two. A paused stream (`~`) does not make its encoding inactive.
 */
function proposedSendEncodings(
  section: JsepMediaSection,
  kind: MediaKind,
): RTCRtpEncodingParameters[] {
  const rids: string[] = [];
  for (const [first] of section.simulcast?.recv ?? [])
    if (first && !rids.includes(first.rid)) rids.push(first.rid);
  return rids
    .slice(0, MAX_SEND_ENCODINGS[kind])
    .map((rid, i, all) =>
      kind === 'video'
        ? { rid, active: true, scaleResolutionDownBy: 2 ** (all.length - i - 1) }
        : { rid, active: true },
    );
}

/** A transceiver found for a remote offer takes proposedSendEncodings unless it has rids. */
function useProposedEncodings(
  transceiver: RTCRtpTransceiver,
  proposed: RTCRtpEncodingParameters[],
): void {
  const sender = senderSlots(transceiverSlots(transceiver).sender);
  if (proposed.length === 0) return;
  if (sender.sendEncodings.length === 1 && sender.sendEncodings[0]!.rid === undefined) {
    sender.sendEncodings = proposed;
    sender.lastReturnedParameters = null;
  }
}

function findTransceiver(
  s: PeerConnectionSlots,
  mid: string | undefined,
): RTCRtpTransceiver | undefined {
  if (mid === undefined) return undefined;
  return s.transceivers.find((t) => transceiverSlots(t).jsepMid === mid);
}

/**
 * RTCRtpCodecParameters of an m= section: the formats we support, in its order, each
 * rtx format after its primary as `<kind>/rtx` with `apt=` (W3C RTCRtpParameters.codecs).
 */
function codecParameters(section: JsepMediaSection): RTCRtpCodecParameters[] {
  const out: RTCRtpCodecParameters[] = [];
  const kind = section.media as MediaKind;
  for (const c of section.codecs) {
    if (!isSupportedCodec(kind, c)) continue;
    const p: RTCRtpCodecParameters = {
      mimeType: c.mimeType,
      clockRate: c.clockRate,
      payloadType: c.payloadType,
    };
    if (c.channels !== undefined) p.channels = c.channels;
    if (c.sdpFmtpLine !== undefined) p.sdpFmtpLine = c.sdpFmtpLine;
    out.push(p);
    if (c.rtxPayloadType !== undefined) {
      out.push({
        mimeType: `${section.media}/rtx`,
        clockRate: c.clockRate,
        payloadType: c.rtxPayloadType,
        sdpFmtpLine: `apt=${c.payloadType}`,
      });
    }
  }
  return out;
}

/** Every payload type of an m= section, rtx ones included. */
function payloadTypes(section: JsepMediaSection): Set<number> {
  const set = new Set<number>();
  for (const c of section.codecs) {
    set.add(c.payloadType);
    if (c.rtxPayloadType !== undefined) set.add(c.rtxPayloadType);
  }
  return set;
}

function headerExtensions(section: JsepMediaSection): RTCRtpHeaderExtensionParameters[] {
  return section.extmaps.map((e) => ({ uri: e.uri, id: e.id, encrypted: false }));
}

function reversed(direction: Direction): Direction {
  if (direction === 'sendonly') return 'recvonly';
  if (direction === 'recvonly') return 'sendonly';
  return direction;
}

/** The m= sections of a remote description (step 4.4.9.2). */
function applyRemoteMedia(
  s: PeerConnectionSlots,
  record: DescriptionRecord,
  changes: Changes,
): void {
  const type = record.type;
  const answer = type !== 'offer';
  for (const section of record.jsep.sections) {
    if (section.media !== 'audio' && section.media !== 'video') continue;
    const kind = section.media;
    const proposed = type === 'offer' ? proposedSendEncodings(section, kind) : [];
    let transceiver = findTransceiver(s, section.mid);
    if (type === 'offer' && transceiver === undefined) {
      // RFC 9429 §5.10: an addTrack transceiver of this kind not yet associated, else a new one.
      if (
        !section.rejected &&
        (section.direction === 'sendrecv' || section.direction === 'sendonly')
      ) {
        transceiver = s.transceivers.find((x) => {
          const t = transceiverSlots(x);
          return (
            t.addTrackCreated && t.kind === kind && t.jsepMid === null && !t.stopped && !t.stopping
          );
        });
      }
      if (transceiver === undefined) {
        transceiver = createTransceiver(
          s.link,
          kind,
          (view) => createSender(s.link, null, kind, [], proposed, view),
          createReceiver(s.link, kind),
          'recvonly',
        );
        transceiverSlots(transceiver).createdBy = record;
        s.transceivers.push(transceiver);
      } else useProposedEncodings(transceiver, proposed);
      transceiverSlots(transceiver).jsepMid = section.mid ?? String(section.index);
    } else if (transceiver !== undefined) useProposedEncodings(transceiver, proposed);
    if (transceiver === undefined) continue;
    const t = transceiverSlots(transceiver);
    t.mid = t.jsepMid;
    const direction: Direction = section.rejected ? 'inactive' : reversed(section.direction);
    const msids =
      direction === 'sendrecv' || direction === 'recvonly'
        ? section.msids.length === 0
          ? [DEFAULT_STREAM]
          : section.msids.map((m) => m.id).filter((id) => id !== '-')
        : [];
    processRemoteTracks(s, transceiver, direction, msids, changes);
    const receiver = receiverSlots(t.receiver);
    if (answer) {
      // We receive what our offer listed and the answer kept; we send as the answer says.
      const local = s.pendingLocalDescription ?? s.currentLocalDescription;
      const ours = local?.jsep.sections.find((x) => x.mid === section.mid);
      const kept = payloadTypes(section);
      receiver.receiveCodecs = ours
        ? codecParameters(ours).filter((c) => kept.has(c.payloadType))
        : [];
      receiver.receiveHeaderExtensions = headerExtensions(section);
      receiver.reducedSize = section.rtcpRsize;
      const sender = senderSlots(t.sender);
      sender.sendCodecs = codecParameters(section);
      sender.sendHeaderExtensions = headerExtensions(section);
      sender.reducedSize = section.rtcpRsize;
      setCurrentDirection(t, direction);
      // Transports are the answer's; a remote offer leaves them to our answer.
      const transport = section.mid === undefined ? undefined : s.transportByMid.get(section.mid);
      if (transport) {
        senderSlots(t.sender).senderTransport = transport.dtls;
        receiver.receiverTransport = transport.dtls;
      }
    }
    if (section.rejected && !t.stopped) stopTransceiver(t);
  }
}

/** An msid-less section's track goes into one default stream (RFC 8830 §3.2). */
const DEFAULT_STREAM = '\u0000default';

/** "Process remote tracks". */
function processRemoteTracks(
  s: PeerConnectionSlots,
  transceiver: RTCRtpTransceiver,
  direction: RTCRtpTransceiverDirection,
  msids: string[],
  changes: Changes,
): void {
  const t = transceiverSlots(transceiver);
  const added = changes.addList.length;
  setAssociatedRemoteStreams(s, transceiver, msids, changes.addList, changes.removeList);
  const receiving = direction === 'sendrecv' || direction === 'recvonly';
  const fired = t.firedDirection === 'sendrecv' || t.firedDirection === 'recvonly';
  if ((receiving && !fired) || changes.addList.length > added) {
    const receiver = receiverSlots(t.receiver);
    changes.trackEventInits.push({
      receiver: t.receiver,
      track: receiver.receiverTrack,
      streams: [...receiver.associatedRemoteMediaStreams],
      transceiver,
    });
  }
  if (!receiving) t.receptive = false;
  else t.receptive = true;
  if (!receiving && fired) processRemovalOfRemoteTrack(t, changes.muteTracks);
  t.firedDirection = direction;
}

/** "Process the removal of a remote track": a track not muted yet is to be muted. */
function processRemovalOfRemoteTrack(t: TransceiverSlots, muteTracks: MediaStreamTrack[]): void {
  const track = receiverSlots(t.receiver).receiverTrack;
  if (!track.muted) muteTracks.push(track);
}

/** "Set the associated remote streams". */
function setAssociatedRemoteStreams(
  s: PeerConnectionSlots,
  transceiver: RTCRtpTransceiver,
  msids: string[],
  addList: [MediaStream, MediaStreamTrack][],
  removeList: [MediaStream, MediaStreamTrack][],
): void {
  const receiver = receiverSlots(transceiverSlots(transceiver).receiver);
  const streams: MediaStream[] = [];
  for (const id of msids) {
    let stream = s.remoteStreams.get(id);
    if (stream === undefined) {
      stream = createRemoteStream(id === DEFAULT_STREAM ? crypto.randomUUID() : id);
      s.remoteStreams.set(id, stream);
    }
    if (!streams.includes(stream)) streams.push(stream);
  }
  const track = receiver.receiverTrack;
  for (const stream of receiver.associatedRemoteMediaStreams) {
    if (!streams.includes(stream)) removeList.push([stream, track]);
  }
  for (const stream of streams) {
    if (!receiver.associatedRemoteMediaStreams.includes(stream)) addList.push([stream, track]);
  }
  receiver.associatedRemoteMediaStreams = streams;
}

/** The rollback steps (step 4.4.10) and RFC 9429 §5.7. */
function rollback(s: PeerConnectionSlots, changes: Changes): void {
  const pending = s.pendingLocalDescription ?? s.pendingRemoteDescription;
  s.sctpTransport = s.lastStableStateSctpTransport;
  s.dataMid = s.lastStableDataMid;
  const remoteOffer = s.signalingState === 'have-remote-offer';
  for (const transceiver of [...s.transceivers]) {
    const t = transceiverSlots(transceiver);
    if (!stableMids.has(t) || stableMids.get(t) === null) {
      t.jsepMid = null;
      t.mid = null;
    }
    const sender = senderSlots(t.sender);
    const receiver = receiverSlots(t.receiver);
    sender.senderTransport = sender.lastStableStateSenderTransport;
    if (
      sender.lastStableRidlessSendEncodings !== null &&
      sender.sendEncodings.some((e) => e.rid !== undefined)
    ) {
      sender.sendEncodings = sender.lastStableRidlessSendEncodings;
    }
    receiver.receiverTransport = receiver.lastStableStateReceiverTransport;
    receiver.receiveCodecs = receiver.lastStableStateReceiveCodecs;
    if (remoteOffer) {
      const msids = receiver.lastStableStateAssociatedRemoteMediaStreams.map((m) => m.id);
      processRemoteTracks(s, transceiver, t.currentDirection ?? 'inactive', msids, changes);
    }
    if (t.createdBy !== null && t.createdBy === pending && !t.addTrackUsed) {
      stopTransceiver(t);
      s.transceivers.splice(s.transceivers.indexOf(transceiver), 1);
    }
  }
  // RFC 9429 §5.7: what the abandoned description allocated is discarded.
  const stable = stableTransports.get(s) ?? new Map<string, JsepTransport>();
  const keep = new Set(stable.values());
  const released = [...s.transports].filter((t) => !keep.has(t));
  s.transportByMid = new Map(stable);
  const dataTransport = s.dataMid === null ? undefined : stable.get(s.dataMid);
  if (s.sctpTransport && dataTransport) setSctpDtlsTransport(s.sctpTransport, dataTransport.dtls);
  s.pendingCredentials.clear();
  s.pendingLocalDescription = s.pendingRemoteDescription = null;
  s.signalingState = 'stable';
  transportsReleased(s, released);
}

/** Steps 4.4.11 onwards: stable-state cleanup, negotiation-needed, then the events. */
function finish(s: PeerConnectionSlots, old: string, changes: Changes): void {
  if (s.signalingState === 'stable') {
    for (const transceiver of s.transceivers) {
      const sender = senderSlots(transceiverSlots(transceiver).sender);
      if (sender.sendCodecs.length === 0) continue;
      for (const encoding of sender.sendEncodings) {
        const codec = encoding.codec;
        if (
          codec &&
          !sender.sendCodecs.some(
            (c) =>
              c.mimeType.toLowerCase() === codec.mimeType.toLowerCase() &&
              c.clockRate === codec.clockRate,
          )
        ) {
          delete encoding.codec;
        }
      }
    }
    s.negotiationNeeded = false;
    updateNegotiationNeeded(s);
  }
  if (s.signalingState !== old) s.target.dispatchEvent(new Event('signalingstatechange'));
  updateAggregateStates(s);
  for (const channel of changes.errorList) {
    channel.dispatchEvent(
      new RTCErrorEvent('error', {
        error: new RTCError(
          { errorDetail: 'data-channel-failure' },
          'No data channel id is available',
        ),
      }),
    );
  }
  for (const track of changes.muteTracks) setTrackMuted(track, true);
  for (const [stream, track] of changes.removeList) removeRemoteTrack(stream, track);
  for (const [stream, track] of changes.addList) addRemoteTrack(stream, track);
  for (const init of changes.trackEventInits)
    s.target.dispatchEvent(new RTCTrackEvent('track', init));
}
