/**
 * RTCRtpSender (W3C webrtc-pc "RTCRtpSender Interface"). Negotiation only for now:
 * the sender describes itself in SDP (msid, ssrc) and keeps its parameters, but carries
 * no RTP yet.
 */
import { randomInt } from 'node:crypto';
import {
  codecCapabilities,
  codecDictionaryMatch,
  localHeaderExtensions,
  type RtpCodec,
} from '../sdp/jsep-codecs.js';
import type { ConnectionLink } from './connection-link.js';
import { domError, rejectDom } from './dom-errors.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import { createDtmfSender, type RTCDTMFSender } from './RTCDTMFSender.js';
import type { RTCDtlsTransport } from './RTCDtlsTransport.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { queueTaskWith } from './task-queue.js';
import { toInterface, toNullable } from './webidl.js';

export interface RTCRtpEncodingParameters {
  rid?: string;
  active?: boolean;
  codec?: RtpCodec;
  maxBitrate?: number;
  maxFramerate?: number;
  scaleResolutionDownBy?: number;
  [extra: string]: unknown;
}

/** How many encodings a sender takes: simulcast layers for video, one for audio. */
export const MAX_SEND_ENCODINGS = { audio: 1, video: 4 } as const;

export interface RTCRtpCodecParameters extends RtpCodec {
  payloadType: number;
}

export interface RTCRtpHeaderExtensionParameters {
  uri: string;
  id: number;
  encrypted?: boolean;
}

export interface RTCRtcpParameters {
  cname?: string;
  reducedSize?: boolean;
}

export interface RTCRtpParameters {
  headerExtensions: RTCRtpHeaderExtensionParameters[];
  rtcp: RTCRtcpParameters;
  codecs: RTCRtpCodecParameters[];
}

export interface RTCRtpSendParameters extends RTCRtpParameters {
  transactionId: string;
  encodings: RTCRtpEncodingParameters[];
}

export interface RTCRtpCapabilities {
  codecs: RtpCodec[];
  headerExtensions: { uri: string }[];
}

/** The internal slots of a sender ("create an RTCRtpSender"), plus what SDP needs of it. */
export interface SenderSlots {
  link: ConnectionLink;
  kind: 'audio' | 'video';
  senderTrack: MediaStreamTrack | null;
  senderTransport: RTCDtlsTransport | null;
  lastStableStateSenderTransport: RTCDtlsTransport | null;
  associatedMediaStreamIds: string[];
  sendEncodings: RTCRtpEncodingParameters[];
  lastStableRidlessSendEncodings: RTCRtpEncodingParameters[] | null;
  sendCodecs: RTCRtpCodecParameters[];
  /** Header extensions negotiated for sending. */
  sendHeaderExtensions: RTCRtpHeaderExtensionParameters[];
  /** Reduced-size RTCP negotiated (RFC 5506 a=rtcp-rsize). */
  reducedSize: boolean;
  lastReturnedParameters: RTCRtpSendParameters | null;
  /** The read-only members of [[LastReturnedParameters]] as returned (the object itself may be edited). */
  lastReturnedReadOnly: string;
  /** True while the transceiver is stopping or stopped ([[Stopping]] seen from the sender). */
  stopping: () => boolean;
  /** Whether the transceiver's [[CurrentDirection]] sends. */
  sending: () => boolean;
  /** The track id in a=msid when no track is attached (RFC 8830: the sender's own id). */
  readonly msidTrackId: string;
  /** The SSRC of the media stream, and of its rtx stream for video (RFC 4588). */
  readonly ssrc: number;
  readonly rtxSsrc: number | undefined;
  /** [[Dtmf]]: an audio sender's RTCDTMFSender. */
  dtmf: RTCDTMFSender | null;
}

let slotsOf: (sender: RTCRtpSender) => SenderSlots;
let construct: (slots: SenderSlots) => RTCRtpSender;
const token = Symbol('RTCRtpSender');

export class RTCRtpSender {
  readonly #s: SenderSlots;

  static {
    slotsOf = (sender) => sender.#s;
    construct = (slots) => new RTCRtpSender(token, slots);
  }

  /** Not constructible by applications (senders come from addTrack/addTransceiver). */
  constructor(key: symbol, slots: SenderSlots) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#s = slots;
  }

  get track(): MediaStreamTrack | null {
    return this.#s.senderTrack;
  }

  get transport(): RTCDtlsTransport | null {
    return this.#s.senderTransport;
  }

  get dtmf(): RTCDTMFSender | null {
    return this.#s.dtmf;
  }

  static getCapabilities(kind: string): RTCRtpCapabilities | null {
    if (kind !== 'audio' && kind !== 'video') return null;
    return {
      codecs: codecCapabilities(kind),
      headerExtensions: localHeaderExtensions[kind].map(({ uri }) => ({ uri })),
    };
  }

  setParameters(parameters: RTCRtpSendParameters, _options: object = {}): Promise<void> {
    const sender = this.#s;
    // Steps 4-5: a stopping transceiver, or parameters not from getParameters().
    if (sender.stopping()) return rejectDom('InvalidStateError', 'The transceiver is stopping');
    const last = sender.lastReturnedParameters;
    if (last === null) {
      return rejectDom('InvalidStateError', 'getParameters() must be called first');
    }
    if (parameters === null || typeof parameters !== 'object') {
      return Promise.reject(new TypeError('parameters is not an object'));
    }
    // Step 6: the setParameters validation steps (after WebIDL's required members).
    const encodings = parameters.encodings;
    if (!Array.isArray(encodings) || parameters.transactionId === undefined) {
      return Promise.reject(new TypeError('parameters.encodings and transactionId are required'));
    }
    const codecs = Array.isArray(parameters.codecs) ? parameters.codecs : [];
    const choosableCodecs: RtpCodec[] =
      codecs.length > 0 ? codecs : RTCRtpSender.getCapabilities(sender.kind)!.codecs;
    const n = sender.sendEncodings.length;
    if (
      encodings.length !== n ||
      encodings.some((e, i) => e?.rid !== sender.sendEncodings[i]?.rid) ||
      readOnly(parameters) !== sender.lastReturnedReadOnly ||
      encodings.some(
        (e) =>
          e?.codec !== undefined &&
          !choosableCodecs.some((c) => codecDictionaryMatch(e.codec as RtpCodec, c, true)),
      )
    ) {
      return rejectDom('InvalidModificationError', 'Read-only parameters were modified');
    }
    const applied = encodings.map((e) => ({ ...e }));
    for (const e of applied) {
      if (sender.kind === 'audio') {
        delete e.scaleResolutionDownBy;
        delete e.maxFramerate;
      } else {
        e.scaleResolutionDownBy ??= 1;
        if (e.scaleResolutionDownBy < 1) {
          return Promise.reject(new RangeError('scaleResolutionDownBy must be at least 1'));
        }
      }
      if (e.maxFramerate !== undefined && !(e.maxFramerate >= 0)) {
        return Promise.reject(new RangeError('maxFramerate must not be negative'));
      }
    }
    // Steps 7-9: no media stack to configure yet; the parameters take effect in a task.
    return new Promise((resolve) => {
      queueTaskWith(() => {
        sender.lastReturnedParameters = null;
        sender.sendEncodings = applied;
        resolve();
      }, undefined);
    });
  }

  getParameters(): RTCRtpSendParameters {
    const sender = this.#s;
    if (sender.lastReturnedParameters !== null) return sender.lastReturnedParameters;
    const result: RTCRtpSendParameters = {
      transactionId: crypto.randomUUID(),
      encodings: sender.sendEncodings.map((e) => ({ ...e })),
      headerExtensions: sender.sendHeaderExtensions.map((h) => ({ ...h })),
      codecs: sender.sendCodecs.map((c) => ({ ...c })),
      rtcp: { cname: sender.link.cname, reducedSize: sender.reducedSize },
    };
    sender.lastReturnedParameters = result;
    sender.lastReturnedReadOnly = readOnly(result);
    queueTaskWith(clearLastReturnedParameters, sender);
    return result;
  }

  replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    const sender = this.#s;
    let withTrack: MediaStreamTrack | null;
    try {
      withTrack = toNullable(track, (v) => toInterface(v, MediaStreamTrack, 'withTrack'));
    } catch (e) {
      return Promise.reject(e);
    }
    if (withTrack !== null && withTrack.kind !== sender.kind) {
      return Promise.reject(new TypeError('The track kind differs from the transceiver kind'));
    }
    return sender.link.chain(() => {
      if (sender.stopping()) return rejectDom('InvalidStateError', 'The transceiver is stopping');
      // No media is sent yet, so any track fits the negotiated envelope.
      return new Promise<void>((resolve) => {
        queueTaskWith(() => {
          if (sender.link.isClosed) return;
          sender.senderTrack = withTrack;
          queueTaskWith(resolve, undefined);
        }, undefined);
      });
    });
  }

  setStreams(...streams: MediaStream[]): void {
    const sender = this.#s;
    if (sender.link.isClosed)
      throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    for (const stream of streams) toInterface(stream, MediaStream, "setStreams' stream");
    sender.associatedMediaStreamIds = uniqueIds(streams);
    sender.link.updateNegotiationNeeded();
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#s.link.statsFor(this);
  }

  get [Symbol.toStringTag](): string {
    return 'RTCRtpSender';
  }
}

function clearLastReturnedParameters(sender: SenderSlots): void {
  sender.lastReturnedParameters = null;
}

/** "Create an RTCRtpSender" with track, kind, streams and sendEncodings. */
export function createSender(
  link: ConnectionLink,
  track: MediaStreamTrack | null,
  kind: 'audio' | 'video',
  streams: readonly MediaStream[],
  sendEncodings: RTCRtpEncodingParameters[] | undefined,
  transceiver: { stopping: () => boolean; sending: () => boolean },
): RTCRtpSender {
  const slots: SenderSlots = {
    link,
    kind,
    senderTrack: track,
    senderTransport: null,
    lastStableStateSenderTransport: null,
    associatedMediaStreamIds: uniqueIds(streams),
    sendEncodings:
      sendEncodings !== undefined && sendEncodings.length > 0
        ? sendEncodings
        : [kind === 'video' ? { active: true, scaleResolutionDownBy: 1 } : { active: true }],
    lastStableRidlessSendEncodings: null,
    sendCodecs: [],
    sendHeaderExtensions: [],
    reducedSize: false,
    lastReturnedParameters: null,
    lastReturnedReadOnly: '',
    stopping: transceiver.stopping,
    sending: transceiver.sending,
    msidTrackId: track?.id ?? crypto.randomUUID(),
    ssrc: randomSsrc(),
    rtxSsrc: kind === 'video' ? randomSsrc() : undefined,
    dtmf: null,
  };
  if (kind === 'audio') slots.dtmf = createDtmfSender({ canSend: () => canSendDtmf(slots) });
  return construct(slots);
}

/** "Determine if DTMF can be sent". */
function canSendDtmf(sender: SenderSlots): boolean {
  return (
    sender.link.connectionState === 'connected' &&
    !sender.stopping() &&
    sender.senderTrack !== null &&
    sender.sending() &&
    sender.sendEncodings[0]?.active !== false &&
    sender.sendCodecs.some((c) => c.mimeType.toLowerCase() === 'audio/telephone-event')
  );
}

export function senderSlots(sender: RTCRtpSender): SenderSlots {
  return slotsOf(sender);
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

function uniqueIds(streams: readonly MediaStream[]): string[] {
  return [...new Set(streams.map((s) => s.id))];
}

/** The read-only members of RTCRtpSendParameters, for comparison. */
function readOnly(p: RTCRtpSendParameters): string {
  return JSON.stringify([p.transactionId, p.codecs, p.headerExtensions, p.rtcp]);
}
