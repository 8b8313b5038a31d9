/**
 * The events RTCPeerConnection fires (W3C webrtc-pc "Event summary"):
 * RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent, RTCTrackEvent, and
 * RTCDataChannelEvent (which lives with RTCDataChannel and is re-exported here). Each constructor converts its init dictionary as WebIDL does:
 * required members and interface types are checked, numbers and strings converted.
 */
import type { EventInit } from './event-handler.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import { RTCIceCandidate } from './RTCIceCandidate.js';
import { RTCRtpReceiver } from './RTCRtpReceiver.js';
import { RTCRtpTransceiver } from './RTCRtpTransceiver.js';

/** WebIDL dictionary conversion: undefined and null are an empty dictionary. */
function dictionary(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`Failed to construct '${what}': the init argument is not an object.`);
  }
  return value as Record<string, unknown>;
}

function requireArguments(count: number, what: string, needed: number): void {
  if (count < needed) {
    throw new TypeError(
      `Failed to construct '${what}': ${needed} arguments required, but only ${count} present.`,
    );
  }
}

/** WebIDL `unsigned short`. */
function unsignedShort(value: unknown): number {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0;
}

function eventInit(d: Record<string, unknown>): EventInit {
  return {
    bubbles: Boolean(d.bubbles),
    cancelable: Boolean(d.cancelable),
    composed: Boolean(d.composed),
  };
}

export interface RTCPeerConnectionIceEventInit extends EventInit {
  candidate?: RTCIceCandidate | null;
  url?: string | null;
}

export class RTCPeerConnectionIceEvent extends Event {
  readonly #candidate: RTCIceCandidate | null;
  readonly #url: string | null;

  constructor(type: string, eventInitDict?: RTCPeerConnectionIceEventInit) {
    requireArguments(arguments.length, 'RTCPeerConnectionIceEvent', 1);
    const d = dictionary(eventInitDict, 'RTCPeerConnectionIceEvent');
    const candidate = d.candidate ?? null;
    if (candidate !== null && !(candidate instanceof RTCIceCandidate)) {
      throw new TypeError(
        "Failed to construct 'RTCPeerConnectionIceEvent': member candidate is not of type 'RTCIceCandidate'.",
      );
    }
    super(type, eventInit(d));
    this.#candidate = candidate;
    this.#url = d.url === undefined || d.url === null ? null : String(d.url);
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
    requireArguments(arguments.length, 'RTCPeerConnectionIceErrorEvent', 2);
    const d = dictionary(eventInitDict, 'RTCPeerConnectionIceErrorEvent');
    if (d.errorCode === undefined) {
      throw new TypeError(
        "Failed to construct 'RTCPeerConnectionIceErrorEvent': required member errorCode is undefined.",
      );
    }
    super(type, eventInit(d));
    this.#address = d.address === undefined || d.address === null ? null : String(d.address);
    this.#port = d.port === undefined || d.port === null ? null : unsignedShort(d.port);
    this.#url = d.url === undefined ? '' : String(d.url);
    this.#errorCode = unsignedShort(d.errorCode);
    this.#errorText = d.errorText === undefined ? '' : String(d.errorText);
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
    requireArguments(arguments.length, 'RTCTrackEvent', 2);
    const d = dictionary(eventInitDict, 'RTCTrackEvent');
    const member = (name: string, value: unknown, cls: Function, typeName: string) => {
      if (value === undefined) {
        throw new TypeError(
          `Failed to construct 'RTCTrackEvent': required member ${name} is undefined.`,
        );
      }
      if (!(value instanceof cls)) {
        throw new TypeError(
          `Failed to construct 'RTCTrackEvent': member ${name} is not of type '${typeName}'.`,
        );
      }
    };
    member('receiver', d.receiver, RTCRtpReceiver, 'RTCRtpReceiver');
    member('track', d.track, MediaStreamTrack, 'MediaStreamTrack');
    member('transceiver', d.transceiver, RTCRtpTransceiver, 'RTCRtpTransceiver');
    let streams: MediaStream[] = [];
    if (d.streams !== undefined) {
      if (
        d.streams === null ||
        typeof (d.streams as Iterable<unknown>)[Symbol.iterator] !== 'function'
      ) {
        throw new TypeError(
          "Failed to construct 'RTCTrackEvent': member streams is not a sequence.",
        );
      }
      streams = [...(d.streams as Iterable<unknown>)].map((s) => {
        if (!(s instanceof MediaStream)) {
          throw new TypeError(
            "Failed to construct 'RTCTrackEvent': a stream is not of type 'MediaStream'.",
          );
        }
        return s;
      });
    }
    super(type, eventInit(d));
    this.#receiver = d.receiver as RTCRtpReceiver;
    this.#track = d.track as MediaStreamTrack;
    this.#streams = Object.freeze(streams);
    this.#transceiver = d.transceiver as RTCRtpTransceiver;
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
