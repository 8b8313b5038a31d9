/**
 * The events RTCPeerConnection fires (W3C webrtc-pc "Event summary"):
 * RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCTrackEvent, and
 * RTCDataChannelEvent (which lives with RTCDataChannel and is re-exported here). Each
 * constructor converts its init dictionary as WebIDL does: required members and interface
 * types are checked, numbers and strings converted, each member read once in
 * lexicographic order.
 */
import type { EventInit } from './event-handler.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import { RTCIceCandidate } from './RTCIceCandidate.js';
import { RTCRtpReceiver } from './RTCRtpReceiver.js';
import { RTCRtpTransceiver } from './RTCRtpTransceiver.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEventInit,
  toInterface,
  toNullable,
  toOptional,
  toRequired,
  toRequiredInterface,
  toSequence,
  toUnsignedShort,
  toUSVString,
} from './webidl.js';

export interface RTCPeerConnectionIceEventInit extends EventInit {
  candidate?: RTCIceCandidate | null;
  url?: string | null;
}

export class RTCPeerConnectionIceEvent extends Event {
  readonly #candidate: RTCIceCandidate | null;
  readonly #url: string | null;

  constructor(type: string, eventInitDict?: RTCPeerConnectionIceEventInit) {
    requireArguments(arguments.length, 1, "Failed to construct 'RTCPeerConnectionIceEvent'");
    const d = toDictionary(eventInitDict, 'RTCPeerConnectionIceEventInit');
    const init = toEventInit(d);
    const candidate = toNullable(d.candidate, (v) => toInterface(v, RTCIceCandidate, 'candidate'));
    const url = toNullable(d.url, toDOMString);
    super(type, init);
    this.#candidate = candidate;
    this.#url = url;
  }

  get candidate(): RTCIceCandidate | null {
    return this.#candidate;
  }

  /** Deprecated: the STUN or TURN URL the candidate came from. */
  get url(): string | null {
    return this.#url;
  }
}

export interface RTCPeerConnectionIceErrorEventInit extends EventInit {
  address?: string | null;
  port?: number | null;
  url?: string;
  errorCode: number;
  errorText?: string;
}

export class RTCPeerConnectionIceErrorEvent extends Event {
  readonly #address: string | null;
  readonly #port: number | null;
  readonly #url: string;
  readonly #errorCode: number;
  readonly #errorText: string;

  constructor(type: string, eventInitDict: RTCPeerConnectionIceErrorEventInit) {
    requireArguments(arguments.length, 2, "Failed to construct 'RTCPeerConnectionIceErrorEvent'");
    const d = toDictionary(eventInitDict, 'RTCPeerConnectionIceErrorEventInit');
    const init = toEventInit(d);
    const address = toNullable(d.address, toDOMString);
    const errorCode = toRequired(d.errorCode, toUnsignedShort, 'errorCode');
    const errorText = toOptional(d.errorText, '', toUSVString);
    const port = toNullable(d.port, toUnsignedShort);
    const url = toOptional(d.url, '', toUSVString);
    super(type, init);
    this.#address = address;
    this.#port = port;
    this.#url = url;
    this.#errorCode = errorCode;
    this.#errorText = errorText;
  }

  get address(): string | null {
    return this.#address;
  }
  get port(): number | null {
    return this.#port;
  }
  get url(): string {
    return this.#url;
  }
  get errorCode(): number {
    return this.#errorCode;
  }
  get errorText(): string {
    return this.#errorText;
  }
}

export interface RTCTrackEventInit extends EventInit {
  receiver: RTCRtpReceiver;
  track: MediaStreamTrack;
  streams?: MediaStream[];
  transceiver: RTCRtpTransceiver;
}

export class RTCTrackEvent extends Event {
  readonly #receiver: RTCRtpReceiver;
  readonly #track: MediaStreamTrack;
  readonly #streams: readonly MediaStream[];
  readonly #transceiver: RTCRtpTransceiver;

  constructor(type: string, eventInitDict: RTCTrackEventInit) {
    requireArguments(arguments.length, 2, "Failed to construct 'RTCTrackEvent'");
    const d = toDictionary(eventInitDict, 'RTCTrackEventInit');
    const init = toEventInit(d);
    const receiver = toRequiredInterface(d.receiver, RTCRtpReceiver, 'receiver');
    const streams = toOptional(d.streams, [], (v) =>
      toSequence(v, 'streams').map((s) => toInterface(s, MediaStream, 'a stream')),
    );
    const track = toRequiredInterface(d.track, MediaStreamTrack, 'track');
    const transceiver = toRequiredInterface(d.transceiver, RTCRtpTransceiver, 'transceiver');
    super(type, init);
    this.#receiver = receiver;
    this.#track = track;
    this.#streams = Object.freeze(streams);
    this.#transceiver = transceiver;
  }

  get receiver(): RTCRtpReceiver {
    return this.#receiver;
  }
  get track(): MediaStreamTrack {
    return this.#track;
  }
  /** [SameObject] FrozenArray. */
  get streams(): readonly MediaStream[] {
    return this.#streams;
  }
  get transceiver(): RTCRtpTransceiver {
    return this.#transceiver;
  }
}

export { RTCDataChannelEvent, type RTCDataChannelEventInit } from './RTCDataChannel.js';
