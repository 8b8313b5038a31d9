/**
 * "Create an offer" and "create an answer" (W3C webrtc-pc, final steps): the state of
 * the connection described for the JSEP generators of src/sdp (RFC 9429 §5.2-5.3).
 */
import type { Fingerprint, SetupRole } from '../sdp/attributes/dtls.js';
import { DEFAULT_SCTP_PORT } from '../sdp/attributes/sctp.js';
import { createAnswer as createJsepAnswer } from '../sdp/jsep-answer.js';
import type { LocalTransportParams } from '../sdp/jsep-media.js';
import { createOffer as createJsepOffer, type JsepTransceiver } from '../sdp/jsep-offer.js';
import type { JsepDescription } from '../sdp/jsep-read.js';
import { serializeSdp } from '../sdp/serialize.js';
import { newIceCredentials } from './jsep-transport.js';
import type { PeerConnectionSlots } from './peer-connection-state.js';
import { senderSlots } from './RTCRtpSender.js';
import { type RTCRtpTransceiver, transceiverSlots } from './RTCRtpTransceiver.js';
import { pooledCredentials } from './transport-events.js';

/**
 * The largest message we take, announced as a=max-message-size (RFC 8841 §6): 8 MiB, more
 * than Chromium's 256 KiB, so that Firefox (which announces 1 GiB) and our own peers can
 * send the large messages applications expect. A message is delivered whole, so the SCTP
 * receive buffer holds it while it is reassembled: RECEIVE_BUFFER_SIZE below bounds what
 * one peer can make us hold (12 MiB per connection), whatever it sends.
 */
export const LOCAL_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
/** The SCTP receive buffer (a_rwnd): the largest message plus the 4 MiB window SCTP keeps. */
export const RECEIVE_BUFFER_SIZE = LOCAL_MAX_MESSAGE_SIZE + 4 * 1024 * 1024;
export const SCTP_PORT = DEFAULT_SCTP_PORT;

/**
 * The fingerprints of every configured certificate as SDP writes them (uppercase hex).
 * DTLS presents the first; RFC 8122 §5 lets the peer match any listed one.
 */
export function localFingerprints(s: PeerConnectionSlots): Fingerprint[] {
  return s.certificates
    .flatMap((c) => c.getFingerprints())
    .map((f) => ({
      algorithm: String(f.algorithm).toLowerCase(),
      value: String(f.value).toUpperCase(),
    }));
}

function jsepTransceiver(
  s: PeerConnectionSlots,
  index: number,
  forOffer: boolean,
): JsepTransceiver {
  const t = transceiverSlots(s.transceivers[index]!);
  const sender = senderSlots(t.sender);
  const rids = sender.sendEncodings.map((e) => e.rid).filter((r): r is string => r !== undefined);
  return {
    kind: t.kind,
    mid: t.jsepMid,
    // An offer treats a stopping transceiver as stopped; an answer does not.
    stopped: t.stopped || (forOffer && t.stopping),
    direction: t.direction,
    codecPreferences: t.preferredCodecs,
    sender: {
      streamIds: sender.associatedMediaStreamIds,
      trackId: sender.msidTrackId,
      ssrc: sender.ssrc,
      ...(sender.rtxSsrc === undefined ? {} : { rtxSsrc: sender.rtxSsrc }),
      ...(rids.length > 1 ? { rids } : {}),
    },
  };
}

/** The most recent answer, local or remote: what subsequent offers follow (§5.2.2). */
function lastAnswer(s: PeerConnectionSlots): JsepDescription | undefined {
  if (s.currentLocalDescription?.type === 'answer') return s.currentLocalDescription.jsep;
  return s.currentRemoteDescription?.jsep;
}

/** A mid not used by any description, transceiver or data section. */
function midAllocator(s: PeerConnectionSlots): () => string {
  const used = new Set<string>();
  for (const d of [
    s.pendingLocalDescription,
    s.currentLocalDescription,
    s.pendingRemoteDescription,
    s.currentRemoteDescription,
  ]) {
    for (const section of d?.jsep.sections ?? [])
      if (section.mid !== undefined) used.add(section.mid);
  }
  for (const transceiver of s.transceivers) {
    const t = transceiverSlots(transceiver);
    if (t.jsepMid !== null) used.add(t.jsepMid);
    if (t.mid !== null) used.add(t.mid);
  }
  if (s.dataMid !== null) used.add(s.dataMid);
  let next = 0;
  return () => {
    while (used.has(String(next))) next++;
    used.add(String(next));
    return String(next);
  };
}

/**
 * The credentials a new description gives the transport of section `mid`: those in use,
 * unless ICE restarts; new ones are kept until applied, so repeated calls agree.
 */
function credentialsFor(
  s: PeerConnectionSlots,
  mid: string,
  restart: boolean,
  answer: boolean,
): { ufrag: string; pwd: string } {
  const transport = s.transportByMid.get(mid);
  const pending = s.pendingCredentials.get(mid);
  if (transport && !restart) {
    // An answer to a peer's ICE restart has new credentials waiting (set-description.ts).
    const renewed = answer ? pending : undefined;
    return renewed ?? { ufrag: transport.localUfrag, pwd: transport.localPwd };
  }
  if (pending && pending.ufrag !== transport?.localUfrag) return pending;
  const taken = new Set([...s.pendingCredentials.values()].map((c) => c.ufrag));
  const fresh = (transport === undefined && pooledCredentials(s, taken)) || newIceCredentials();
  s.pendingCredentials.set(mid, fresh);
  return fresh;
}

function transportParams(
  s: PeerConnectionSlots,
  mid: string,
  setup: SetupRole,
  restart: boolean,
): LocalTransportParams {
  const { ufrag, pwd } = credentialsFor(s, mid, restart, setup !== 'actpass');
  const transport = s.transportByMid.get(mid);
  const current = transport !== undefined && transport.localUfrag === ufrag;
  return {
    ufrag,
    pwd,
    iceOptions: ['trickle'],
    fingerprints: localFingerprints(s),
    setup,
    candidates: current ? transport.gatheredCandidates() : [],
    endOfCandidates: current && transport.ice.gatheringState === 'complete',
  };
}

/** The SDP of a new offer; also records which section each transceiver got. */
export function generateOffer(s: PeerConnectionSlots, iceRestart: boolean): string {
  const answer = lastAnswer(s);
  const bundle = answer?.bundleGroups[0];
  const base =
    s.signalingState === 'have-local-offer'
      ? s.pendingLocalDescription?.jsep
      : s.currentLocalDescription?.jsep;
  s.sessionVersion++;
  const result = createJsepOffer({
    session: { sessionId: s.sessionId, sessionVersion: s.sessionVersion },
    bundlePolicy: s.configuration.bundlePolicy,
    transceivers: s.transceivers.map((_, i) => jsepTransceiver(s, i, true)),
    dataChannels: s.dataChannelCreated || s.dataMid !== null,
    dataMid: s.dataMid,
    base,
    currentLocal: s.currentLocalDescription?.jsep,
    currentRemote: s.currentRemoteDescription?.jsep,
    lastAnswer: answer,
    bundle,
    transport: (mid) =>
      transportParams(
        s,
        mid,
        'actpass',
        // [[LocalIceCredentialsToReplace]] restarts ICE in offers only (restartIce()).
        iceRestart ||
          s.iceConfigurationChanged ||
          s.localIceCredentialsToReplace.has(s.transportByMid.get(mid)?.localUfrag ?? ''),
      ),
    newMid: midAllocator(s),
    cname: s.cname,
    sctpPort: SCTP_PORT,
    maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
  });
  const transceivers = new Map<RTCRtpTransceiver, number>();
  for (const [index, section] of result.transceiverSections) {
    transceivers.set(s.transceivers[index]!, section);
  }
  s.lastOfferLayout = { transceivers, data: result.dataSection };
  return serializeSdp(result.description);
}

/**
 * The a=setup of an answer (RFC 5763 §5, RFC 9429 §5.3.1): active to an actpass offer,
 * unless an existing DTLS association keeps its roles; the opposite of a fixed role.
 */
function answerSetup(
  s: PeerConnectionSlots,
  mid: string,
  offered: SetupRole | undefined,
): SetupRole {
  if (offered === 'active') return 'passive';
  if (offered === 'passive') return 'active';
  const role = s.transportByMid.get(mid)?.dtlsRole;
  return role === 'server' ? 'passive' : 'active';
}

/** The SDP of a new answer to the pending remote offer. */
export function generateAnswer(s: PeerConnectionSlots): string {
  const offer = s.pendingRemoteDescription!.jsep;
  s.sessionVersion++;
  const { description } = createJsepAnswer({
    session: { sessionId: s.sessionId, sessionVersion: s.sessionVersion },
    bundlePolicy: s.configuration.bundlePolicy,
    offer,
    transceiverFor: (index) => {
      const mid = offer.sections[index]?.mid;
      const i = s.transceivers.findIndex(
        (t) => mid !== undefined && transceiverSlots(t).jsepMid === mid,
      );
      return i < 0 ? undefined : jsepTransceiver(s, i, false);
    },
    transport: (mid) => {
      const offered = offer.sections.find((x) => x.mid === mid)?.transport.setup;
      return transportParams(s, mid, answerSetup(s, mid, offered), false);
    },
    cname: s.cname,
    sctpPort: SCTP_PORT,
    maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
  });
  return serializeSdp(description);
}
