/** RTCIceCandidate (W3C webrtc-pc, "RTCIceCandidate Interface"). */

import type { Candidate } from '../ice/candidate.js';
import { formatCandidate, parseCandidate } from '../sdp/candidate.js';
import {
  toDictionary,
  toDOMString,
  toEnum,
  toNullable,
  toUnsignedShort,
  toUSVString,
} from './webidl.js';

export type RTCIceComponent = 'rtp' | 'rtcp';
export type RTCIceProtocol = 'udp' | 'tcp';
export type RTCIceTcpCandidateType = 'active' | 'passive' | 'so';
export type RTCIceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type RTCIceServerTransportProtocol = 'udp' | 'tcp' | 'tls';

export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export interface RTCLocalIceCandidateInit extends RTCIceCandidateInit {
  relayProtocol?: RTCIceServerTransportProtocol | null;
  url?: string | null;
}

const relayProtocols: readonly RTCIceServerTransportProtocol[] = ['udp', 'tcp', 'tls'];

/** Read by candidateOf(); set in the class's static block, where the private field is visible. */
let parsedOf: (c: RTCIceCandidate) => Candidate | null;

export class RTCIceCandidate {
  readonly #candidate: string;
  readonly #sdpMid: string | null;
  readonly #sdpMLineIndex: number | null;
  readonly #usernameFragment: string | null;
  readonly #relayProtocol: RTCIceServerTransportProtocol | null;
  readonly #url: string | null;
  /** The parsed candidate-attribute, or null when it is empty or does not parse. */
  readonly #parsed: Candidate | null;

  static {
    parsedOf = (c) => c.#parsed;
  }

  constructor(candidateInitDict: RTCLocalIceCandidateInit = {}) {
    const init = convertInit(candidateInitDict);
    // The constructor's own step; "create an RTCIceCandidate" (createIceCandidate) skips it.
    if (
      init.sdpMid === null &&
      init.sdpMLineIndex === null &&
      !(candidateInitDict instanceof Unchecked)
    ) {
      throw new TypeError(
        "Failed to construct 'RTCIceCandidate': sdpMid and sdpMLineIndex are both null.",
      );
    }
    this.#candidate = init.candidate;
    this.#sdpMid = init.sdpMid;
    this.#sdpMLineIndex = init.sdpMLineIndex;
    this.#usernameFragment = init.usernameFragment;
    this.#relayProtocol = init.relayProtocol;
    this.#url = init.url;
    this.#parsed = parse(init.candidate);
  }

  get candidate(): string {
    return this.#candidate;
  }
  get sdpMid(): string | null {
    return this.#sdpMid;
  }
  get sdpMLineIndex(): number | null {
    return this.#sdpMLineIndex;
  }
  get foundation(): string | null {
    return this.#parsed?.foundation ?? null;
  }
  get component(): RTCIceComponent | null {
    const c = this.#parsed?.component;
    return c === undefined ? null : c === 1 ? 'rtp' : 'rtcp';
  }
  get priority(): number | null {
    return this.#parsed?.priority ?? null;
  }
  get address(): string | null {
    return this.#parsed?.address ?? null;
  }
  get protocol(): RTCIceProtocol | null {
    return this.#parsed?.protocol ?? null;
  }
  get port(): number | null {
    return this.#parsed?.port ?? null;
  }
  get type(): RTCIceCandidateType | null {
    return this.#parsed?.type ?? null;
  }
  /** "If protocol is tcp, tcpType represents the type of TCP candidate. Otherwise, null." */
  get tcpType(): RTCIceTcpCandidateType | null {
    return this.#parsed?.protocol === 'tcp' ? (this.#parsed.tcpType ?? null) : null;
  }
  get relatedAddress(): string | null {
    return this.#parsed?.relatedAddress ?? null;
  }
  get relatedPort(): number | null {
    return this.#parsed?.relatedPort ?? null;
  }
  /**
   * From candidateInitDict only: the WPT tests expect null for a candidate line that
   * carries a `ufrag` extension when usernameFragment was not given.
   */
  get usernameFragment(): string | null {
    return this.#usernameFragment;
  }
  get relayProtocol(): RTCIceServerTransportProtocol | null {
    return this.#relayProtocol;
  }
  get url(): string | null {
    return this.#url;
  }

  toJSON(): RTCIceCandidateInit {
    return {
      candidate: this.#candidate,
      sdpMid: this.#sdpMid,
      sdpMLineIndex: this.#sdpMLineIndex,
      usernameFragment: this.#usernameFragment,
    };
  }
}

/** Marks an init that "create an RTCIceCandidate" passes, to skip the constructor's check. */
class Unchecked {
  constructor(readonly init: unknown) {}
}

/**
 * "Create an RTCIceCandidate": as the constructor, without the check that sdpMid or
 * sdpMLineIndex is given (for candidates the peer connection creates itself).
 */
export function createIceCandidate(init: RTCLocalIceCandidateInit): RTCIceCandidate {
  return new RTCIceCandidate(new Unchecked(init) as RTCLocalIceCandidateInit);
}

/**
 * An RTCIceCandidate for a candidate of the ICE agent, with its candidate-attribute, and
 * for a local relayed or server-reflexive one the TURN transport and the server's URL.
 */
export function iceCandidateFrom(
  candidate: Candidate,
  init: Omit<RTCLocalIceCandidateInit, 'candidate'> = {},
): RTCIceCandidate {
  const local: RTCLocalIceCandidateInit = { ...init, candidate: formatCandidate(candidate) };
  if (candidate.relayProtocol !== undefined) local.relayProtocol = candidate.relayProtocol;
  if (candidate.url !== undefined) local.url = candidate.url;
  return createIceCandidate(local);
}

/** The candidate an RTCIceCandidate carries, as the ICE agent models it; null if none. */
export function candidateOf(c: RTCIceCandidate): Candidate | null {
  return parsedOf(c);
}

/** The candidate-attribute parsed, if it parses into values valid for the attributes. */
function parse(candidate: string): Candidate | null {
  if (candidate === '') return null;
  const r = parseCandidate(candidate);
  // Only components 1 and 2 have an RTCIceComponent value.
  return r.ok && r.candidate.component <= 2 ? r.candidate : null;
}

/** A converted RTCIceCandidateInit: every member present. */
export interface IceCandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

interface ConvertedInit extends IceCandidateInit {
  relayProtocol: RTCIceServerTransportProtocol | null;
  url: string | null;
}

/**
 * WebIDL conversion of RTCIceCandidateInit, its members in lexicographic order (what
 * addIceCandidate() takes; an RTCIceCandidate converts by its attributes).
 */
export function toIceCandidateInit(value: unknown): IceCandidateInit {
  const dict = toDictionary(value, 'RTCIceCandidateInit');
  const candidate = dict.candidate === undefined ? '' : toDOMString(dict.candidate);
  const sdpMLineIndex = toNullable(dict.sdpMLineIndex, toUnsignedShort);
  const sdpMid = toNullable(dict.sdpMid, toDOMString);
  const usernameFragment = toNullable(dict.usernameFragment, toDOMString);
  return { candidate, sdpMid, sdpMLineIndex, usernameFragment };
}

/**
 * WebIDL conversion of RTCLocalIceCandidateInit: the inherited RTCIceCandidateInit
 * members first, each dictionary's in lexicographic order.
 */
function convertInit(value: unknown): ConvertedInit {
  const init = value instanceof Unchecked ? value.init : value;
  const inherited = toIceCandidateInit(init);
  const dict = toDictionary(init, 'RTCLocalIceCandidateInit');
  const relayProtocol = toNullable(dict.relayProtocol, (v) =>
    toEnum(v, relayProtocols, 'RTCIceServerTransportProtocol'),
  );
  const url = toNullable(dict.url, toUSVString);
  return { ...inherited, relayProtocol, url };
}
