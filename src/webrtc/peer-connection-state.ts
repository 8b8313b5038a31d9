/**
 * The internal slots of an RTCPeerConnection (W3C webrtc-pc "Constructor") and the
 * algorithms over them that several of its parts run: the aggregated states
 * ("deriving a new state value" of RTCIceGatheringState, RTCIceConnectionState and
 * RTCPeerConnectionState), the session descriptions as they grow candidates, and
 * "update the negotiation-needed flag".
 */
import type { Candidate } from '../ice/candidate.js';
import { addCandidate, addEndOfCandidates } from '../sdp/builder.js';
import type { MediaDescription, SessionDescription } from '../sdp/description.js';
import type { JsepDescription } from '../sdp/jsep-read.js';
import { serializeSdp } from '../sdp/serialize.js';
import type { Configuration, IceServerUrl } from './configuration.js';
import type { ConnectionLink } from './connection-link.js';
import type { JsepTransport } from './jsep-transport.js';
import type { MediaStream } from './MediaStream.js';
import type { RTCCertificate } from './RTCCertificate.js';
import type { RTCDataChannel } from './RTCDataChannel.js';
import type { RTCDtlsTransportState } from './RTCDtlsTransport.js';
import type {
  RTCIceGathererState,
  RTCIceTransport,
  RTCIceTransportState,
} from './RTCIceTransport.js';
import { type RTCRtpTransceiver, transceiverSlots } from './RTCRtpTransceiver.js';
import type { RTCSctpTransport } from './RTCSctpTransport.js';
import { type RTCSdpType, RTCSessionDescription } from './RTCSessionDescription.js';
import { queueTaskWith } from './task-queue.js';

export type RTCSignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';
/** Distinct enums in the spec, with the values of RTCIceGathererState and RTCIceTransportState. */
export type RTCIceGatheringState = RTCIceGathererState;
export type RTCIceConnectionState = RTCIceTransportState;
export type RTCPeerConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'failed'
  | 'closed';

/**
 * A session description held in one of the four description slots. Its SDP grows as
 * candidates are gathered (local) or added (remote); the RTCSessionDescription the
 * attributes return is made again only after such a change.
 */
export class DescriptionRecord {
  #object: RTCSessionDescription | undefined;

  constructor(
    readonly type: Exclude<RTCSdpType, 'rollback'>,
    readonly model: SessionDescription,
    readonly jsep: JsepDescription,
  ) {}

  get description(): RTCSessionDescription {
    this.#object ??= new RTCSessionDescription({ type: this.type, sdp: serializeSdp(this.model) });
    return this.#object;
  }

  /** The m= section with this mid, if any. */
  section(mid: string): MediaDescription | undefined {
    const index = this.jsep.sections.findIndex((s) => s.mid === mid);
    return index < 0 ? undefined : this.model.media[index];
  }

  /** Whether the section `mid` has the ICE ufrag `ufrag` (the description "represents" that generation). */
  hasGeneration(mid: string, ufrag: string): boolean {
    const s = this.jsep.sections.find((x) => x.mid === mid);
    return s?.transport.iceUfrag === ufrag;
  }

  addCandidate(mid: string, candidate: Candidate): void {
    const m = this.section(mid);
    if (m === undefined) return;
    addCandidate(m, candidate);
    this.#object = undefined;
  }

  addEndOfCandidates(mid: string): void {
    const m = this.section(mid);
    if (m === undefined) return;
    addEndOfCandidates(m);
    this.#object = undefined;
  }
}

/** A candidate gathered before a local description represented its generation. */
export interface EarlyCandidate {
  transport: JsepTransport;
  candidate: Candidate;
  ufrag: string;
}

export interface PeerConnectionSlots {
  readonly target: EventTarget;
  /** What the connection's transceivers, senders and receivers may ask of it. */
  readonly link: ConnectionLink;
  configuration: Configuration;
  iceServers: IceServerUrl[];
  /** The certificates in use: the configured ones, or one generated when none were given. */
  certificates: RTCCertificate[];
  certificatesReady: Promise<void>;
  isClosed: boolean;
  negotiationNeeded: boolean;
  operations: (() => void)[];
  updateNegotiationNeededFlagOnEmptyChain: boolean;
  lastCreatedOffer: string;
  lastCreatedAnswer: string;
  /** Which m= section each transceiver and the data channels got in the last created offer. */
  lastOfferLayout:
    | { transceivers: Map<RTCRtpTransceiver, number>; data: number | undefined }
    | undefined;
  earlyCandidates: EarlyCandidate[];
  signalingState: RTCSignalingState;
  iceConnectionState: RTCIceConnectionState;
  iceGatheringState: RTCIceGatheringState;
  connectionState: RTCPeerConnectionState;
  pendingLocalDescription: DescriptionRecord | null;
  currentLocalDescription: DescriptionRecord | null;
  pendingRemoteDescription: DescriptionRecord | null;
  currentRemoteDescription: DescriptionRecord | null;
  /** ICE ufrags of [[LocalIceCredentialsToReplace]] (a ufrag names its ufrag/pwd pair). */
  localIceCredentialsToReplace: Set<string>;
  sctpTransport: RTCSctpTransport | null;
  lastStableStateSctpTransport: RTCSctpTransport | null;
  dataChannels: RTCDataChannel[];
  /** createDataChannel() has been called (negotiation needs a data section from then on). */
  dataChannelCreated: boolean;
  transceivers: RTCRtpTransceiver[];
  /** The MediaStreams made for remote msids, by id ("set the associated remote streams"). */
  remoteStreams: Map<string, MediaStream>;
  canTrickleIceCandidates: boolean | null;
  setLocalDescriptionCalled: boolean;
  /** The o= line of our descriptions: a session id and the last version used. */
  sessionId: string;
  sessionVersion: number;
  /** The mid of the data m= section in the applied descriptions, and at the last stable state. */
  dataMid: string | null;
  lastStableDataMid: string | null;
  /** The transport of each m= section (by mid) in the applied descriptions. */
  transportByMid: Map<string, JsepTransport>;
  /** Every transport not yet closed. */
  transports: Set<JsepTransport>;
  /**
   * The ICE servers or policy changed since the last local offer: the next offer
   * restarts ICE (RFC 9429 §5.2.2) so that the new configuration gathers.
   */
  iceConfigurationChanged: boolean;
  /** ICE credentials of descriptions created but not applied yet, by the mid owning the transport. */
  pendingCredentials: Map<string, { ufrag: string; pwd: string }>;
  /** Transports gathering ahead of the first description (iceCandidatePoolSize). */
  candidatePool: JsepTransport[];
  readonly cname: string;
  dataChannelsOpened: number;
  dataChannelsClosed: number;
}

/** The transports "presently referenced by the set of transceivers and [[SctpTransport]]". */
function referencedIceTransports(s: PeerConnectionSlots): RTCIceTransport[] {
  const set = new Set<RTCIceTransport>();
  for (const t of s.transceivers) {
    const transport = transceiverSlots(t).sender.transport;
    if (transport) set.add(transport.iceTransport);
  }
  if (s.sctpTransport) set.add(s.sctpTransport.transport.iceTransport);
  return [...set];
}

function referencedDtlsStates(s: PeerConnectionSlots): RTCDtlsTransportState[] {
  const states: RTCDtlsTransportState[] = [];
  const seen = new Set<object>();
  for (const t of s.transceivers) {
    const transport = transceiverSlots(t).sender.transport;
    if (transport && !seen.has(transport)) {
      seen.add(transport);
      states.push(transport.state);
    }
  }
  const sctp = s.sctpTransport?.transport;
  if (sctp && !seen.has(sctp)) states.push(sctp.state);
  return states;
}

/** RTCIceGatheringState, derived as its enum says. */
export function deriveIceGatheringState(s: PeerConnectionSlots): RTCIceGatheringState {
  const states = referencedIceTransports(s).map((t) => t.gatheringState);
  if (states.includes('gathering')) return 'gathering';
  if (states.length > 0 && states.every((x) => x === 'complete')) return 'complete';
  return 'new';
}

/** RTCIceConnectionState, derived as its enum says. */
export function deriveIceConnectionState(s: PeerConnectionSlots): RTCIceConnectionState {
  if (s.isClosed) return 'closed';
  const states = referencedIceTransports(s).map((t) => t.state);
  if (states.includes('failed')) return 'failed';
  if (states.includes('disconnected')) return 'disconnected';
  if (states.every((x) => x === 'new' || x === 'closed')) return 'new';
  if (states.some((x) => x === 'new' || x === 'checking')) return 'checking';
  if (states.every((x) => x === 'completed' || x === 'closed')) return 'completed';
  return 'connected';
}

/** RTCPeerConnectionState, derived as its enum says. */
export function deriveConnectionState(s: PeerConnectionSlots): RTCPeerConnectionState {
  const ice = s.iceConnectionState;
  if (ice === 'closed') return 'closed';
  const dtls = referencedDtlsStates(s);
  if (ice === 'failed' || dtls.includes('failed')) return 'failed';
  if (ice === 'disconnected') return 'disconnected';
  if (ice === 'new' && dtls.every((x) => x === 'new' || x === 'closed')) return 'new';
  if (
    (ice === 'connected' || ice === 'completed') &&
    dtls.every((x) => x === 'connected' || x === 'closed')
  ) {
    return 'connected';
  }
  return 'connecting';
}

/** "Update the connection state" (queued whenever a DTLS transport changes state). */
export function updateConnectionState(s: PeerConnectionSlots): void {
  queueTaskWith(updateConnectionStateTask, s);
}

function updateConnectionStateTask(s: PeerConnectionSlots): void {
  if (s.isClosed) return;
  const newState = deriveConnectionState(s);
  if (s.connectionState === newState) return;
  s.connectionState = newState;
  s.target.dispatchEvent(new Event('connectionstatechange'));
}
