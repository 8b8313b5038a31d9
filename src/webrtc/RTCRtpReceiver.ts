/**
 * RTCRtpReceiver (W3C webrtc-pc "RTCRtpReceiver Interface"). Negotiation only for now:
 * its track is created muted and stays so until media is carried.
 */
import { codecCapabilities, localHeaderExtensions } from '../sdp/jsep-codecs.js';
import type { ConnectionLink } from './connection-link.js';
import type { MediaStream } from './MediaStream.js';
import { createRemoteTrack, type MediaStreamTrack } from './MediaStreamTrack.js';
import type { RTCDtlsTransport } from './RTCDtlsTransport.js';
import type {
  RTCRtpCapabilities,
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
  RTCRtpParameters,
} from './RTCRtpSender.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { toRestrictedDouble } from './webidl.js';

/** The internal slots of a receiver ("create an RTCRtpReceiver"). */
export interface ReceiverSlots {
  link: ConnectionLink;
  readonly receiverTrack: MediaStreamTrack;
  receiverTransport: RTCDtlsTransport | null;
  lastStableStateReceiverTransport: RTCDtlsTransport | null;
  associatedRemoteMediaStreams: MediaStream[];
  lastStableStateAssociatedRemoteMediaStreams: MediaStream[];
  receiveCodecs: RTCRtpCodecParameters[];
  lastStableStateReceiveCodecs: RTCRtpCodecParameters[];
  /** Header extensions the receiver is prepared to receive. */
  receiveHeaderExtensions: RTCRtpHeaderExtensionParameters[];
  reducedSize: boolean;
  jitterBufferTarget: number | null;
}

export interface RTCRtpContributingSource {
  timestamp: number;
  source: number;
  audioLevel?: number;
  rtpTimestamp: number;
}

let slotsOf: (receiver: RTCRtpReceiver) => ReceiverSlots;
let construct: (slots: ReceiverSlots) => RTCRtpReceiver;
const token = Symbol('RTCRtpReceiver');

export class RTCRtpReceiver {
  readonly #s: ReceiverSlots;

  static {
    slotsOf = (receiver) => receiver.#s;
    construct = (slots) => new RTCRtpReceiver(token, slots);
  }

  /** Not constructible by applications. */
  constructor(key: symbol, slots: ReceiverSlots) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#s = slots;
  }

  get track(): MediaStreamTrack {
    return this.#s.receiverTrack;
  }

  get transport(): RTCDtlsTransport | null {
    return this.#s.receiverTransport;
  }

  get jitterBufferTarget(): number | null {
    return this.#s.jitterBufferTarget;
  }

  set jitterBufferTarget(target: number | null) {
    if (target === null) {
      this.#s.jitterBufferTarget = null;
      return;
    }
    const value = toRestrictedDouble(target, 'jitterBufferTarget');
    if (value < 0 || value > 4000) throw new RangeError('jitterBufferTarget must be in [0, 4000]');
    this.#s.jitterBufferTarget = value;
  }

  static getCapabilities(kind: string): RTCRtpCapabilities | null {
    if (kind !== 'audio' && kind !== 'video') return null;
    return {
      codecs: codecCapabilities(kind),
      headerExtensions: localHeaderExtensions[kind].map(({ uri }) => ({ uri })),
    };
  }

  getParameters(): RTCRtpParameters {
    const receiver = this.#s;
    return {
      headerExtensions: receiver.receiveHeaderExtensions.map((h) => ({ ...h })),
      codecs: receiver.receiveCodecs.map((c) => ({ ...c })),
      rtcp: { reducedSize: receiver.reducedSize },
    };
  }

  /** No RTP is received yet, so there are no sources. */
  getContributingSources(): RTCRtpContributingSource[] {
    return [];
  }

  getSynchronizationSources(): RTCRtpContributingSource[] {
    return [];
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#s.link.statsFor(this);
  }

  get [Symbol.toStringTag](): string {
    return 'RTCRtpReceiver';
  }
}

/** "Create an RTCRtpReceiver" with kind. */
export function createReceiver(link: ConnectionLink, kind: 'audio' | 'video'): RTCRtpReceiver {
  return construct({
    link,
    receiverTrack: createRemoteTrack(kind),
    receiverTransport: null,
    lastStableStateReceiverTransport: null,
    associatedRemoteMediaStreams: [],
    lastStableStateAssociatedRemoteMediaStreams: [],
    receiveCodecs: [],
    lastStableStateReceiveCodecs: [],
    receiveHeaderExtensions: [],
    reducedSize: false,
    jitterBufferTarget: null,
  });
}

export function receiverSlots(receiver: RTCRtpReceiver): ReceiverSlots {
  return slotsOf(receiver);
}
