/**
 * RTCIceTransport and RTCIceCandidatePair (W3C webrtc-pc "RTCIceTransport Interface").
 *
 * The object only holds the slots the spec defines; the RTCPeerConnection runs the
 * algorithms that change them (gathering, "change the selected candidate pair and
 * state") because those also update and fire events at the connection.
 */
import type { IceGatheringState, IceTransportState } from '../ice/agent.js';
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import type { RTCIceCandidate } from './RTCIceCandidate.js';

export type RTCIceRole = 'unknown' | 'controlling' | 'controlled';
export type RTCIceComponent = 'rtp' | 'rtcp';
/** The W3C enums hold the values the ICE agent's states take. */
export type RTCIceGathererState = IceGatheringState;
export type RTCIceTransportState = IceTransportState;

export interface RTCIceParameters {
  usernameFragment?: string;
  password?: string;
}

const pairToken = Symbol('RTCIceCandidatePair');

export class RTCIceCandidatePair {
  readonly #local: RTCIceCandidate;
  readonly #remote: RTCIceCandidate;

  /** Not constructible by applications. */
  constructor(key: symbol, local: RTCIceCandidate, remote: RTCIceCandidate) {
    if (key !== pairToken) throw new TypeError('Illegal constructor');
    this.#local = local;
    this.#remote = remote;
  }

  get local(): RTCIceCandidate {
    return this.#local;
  }

  get remote(): RTCIceCandidate {
    return this.#remote;
  }

  toJSON(): { local: RTCIceCandidate; remote: RTCIceCandidate } {
    return { local: this.#local, remote: this.#remote };
  }
}

/** "Create an RTCIceCandidatePair". */
export function createCandidatePair(
  local: RTCIceCandidate,
  remote: RTCIceCandidate,
): RTCIceCandidatePair {
  return new RTCIceCandidatePair(pairToken, local, remote);
}

/** The internal slots of an RTCIceTransport. */
export interface IceTransportSlots {
  iceTransportState: RTCIceTransportState;
  iceGathererState: RTCIceGathererState;
  selectedCandidatePair: RTCIceCandidatePair | null;
  iceRole: RTCIceRole;
  localCandidates: RTCIceCandidate[];
  remoteCandidates: RTCIceCandidate[];
  localParameters: RTCIceParameters | null;
  remoteParameters: RTCIceParameters | null;
}

let slotsOf: (transport: RTCIceTransport) => IceTransportSlots;
const token = Symbol('RTCIceTransport');

export class RTCIceTransport extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onstatechange: EventHandler;
  declare ongatheringstatechange: EventHandler;
  declare onselectedcandidatepairchange: EventHandler;

  readonly #s: IceTransportSlots = {
    iceTransportState: 'new',
    iceGathererState: 'new',
    selectedCandidatePair: null,
    iceRole: 'unknown',
    localCandidates: [],
    remoteCandidates: [],
    localParameters: null,
    remoteParameters: null,
  };

  static {
    slotsOf = (transport) => transport.#s;
  }

  /** Not constructible by applications (setLocalDescription/setRemoteDescription make them). */
  constructor(key: symbol) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
  }

  get role(): RTCIceRole {
    return this.#s.iceRole;
  }

  /** RTCP is always multiplexed (rtcpMuxPolicy 'require'), so the one component is RTP. */
  get component(): RTCIceComponent {
    return 'rtp';
  }

  get state(): RTCIceTransportState {
    return this.#s.iceTransportState;
  }

  get gatheringState(): RTCIceGathererState {
    return this.#s.iceGathererState;
  }

  getLocalCandidates(): RTCIceCandidate[] {
    return [...this.#s.localCandidates];
  }

  getRemoteCandidates(): RTCIceCandidate[] {
    return [...this.#s.remoteCandidates];
  }

  getSelectedCandidatePair(): RTCIceCandidatePair | null {
    const state = this.#s.iceTransportState;
    if (state === 'new' || state === 'closed') return null;
    return this.#s.selectedCandidatePair;
  }

  getLocalParameters(): RTCIceParameters | null {
    const p = this.#s.localParameters;
    return p === null ? null : { ...p };
  }

  getRemoteParameters(): RTCIceParameters | null {
    const p = this.#s.remoteParameters;
    return p === null ? null : { ...p };
  }

  get [Symbol.toStringTag](): string {
    return 'RTCIceTransport';
  }
}

defineEventHandlers(RTCIceTransport, [
  'statechange',
  'gatheringstatechange',
  'selectedcandidatepairchange',
]);

export function createIceTransport(): RTCIceTransport {
  return new RTCIceTransport(token);
}

export function iceTransportSlots(transport: RTCIceTransport): IceTransportSlots {
  return slotsOf(transport);
}
