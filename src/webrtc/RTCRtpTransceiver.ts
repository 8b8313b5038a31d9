/**
 * RTCRtpTransceiver (W3C webrtc-pc "RTCRtpTransceiver Interface"): a sender and a
 * receiver sharing one m= section, with the direction and mid that JSEP (RFC 9429)
 * negotiates for it.
 */
import {
  codecCapabilities,
  codecDictionaryMatch,
  isResiliencyCodec,
  type RtpCodec,
} from '../sdp/jsep-codecs.js';
import type { ConnectionLink } from './connection-link.js';
import { domError } from './dom-errors.js';
import { endTrack } from './MediaStreamTrack.js';
import { stopDtmf } from './RTCDTMFSender.js';
import { type RTCRtpReceiver, receiverSlots } from './RTCRtpReceiver.js';
import type { RTCRtpSender } from './RTCRtpSender.js';
import {
  toDictionary,
  toDOMString,
  toEnumAttribute,
  toOptional,
  toRequired,
  toSequence,
  toUnsignedLong,
  toUnsignedShort,
} from './webidl.js';

export type RTCRtpTransceiverDirection =
  | 'sendrecv'
  | 'sendonly'
  | 'recvonly'
  | 'inactive'
  | 'stopped';

export const transceiverDirections: readonly RTCRtpTransceiverDirection[] = [
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
  'stopped',
];

/** The internal slots of a transceiver ("create an RTCRtpTransceiver") and JSEP's own state. */
export interface TransceiverSlots {
  link: ConnectionLink;
  readonly sender: RTCRtpSender;
  readonly receiver: RTCRtpReceiver;
  readonly kind: 'audio' | 'video';
  stopping: boolean;
  stopped: boolean;
  direction: Exclude<RTCRtpTransceiverDirection, 'stopped'>;
  receptive: boolean;
  currentDirection: RTCRtpTransceiverDirection | null;
  firedDirection: RTCRtpTransceiverDirection | null;
  preferredCodecs: RtpCodec[];
  /** RFC 9429's "mid property" of the RtpTransceiver. */
  jsepMid: string | null;
  mid: string | null;
  /** Made by addTrack: only these may be matched to new m= sections of a remote offer. */
  addTrackCreated: boolean;
  /** A track was attached by addTrack at some point (rollback keeps such transceivers). */
  addTrackUsed: boolean;
  /** [[CurrentDirection]] has been sendrecv or sendonly at some point (addTrack reuse rule). */
  everSent: boolean;
  /** The remote offer whose application created this transceiver, if any (for rollback). */
  createdBy: object | null;
}

let slotsOf: (transceiver: RTCRtpTransceiver) => TransceiverSlots;
let construct: (slots: TransceiverSlots) => RTCRtpTransceiver;
const token = Symbol('RTCRtpTransceiver');

export class RTCRtpTransceiver {
  readonly #s: TransceiverSlots;

  static {
    slotsOf = (transceiver) => transceiver.#s;
    construct = (slots) => new RTCRtpTransceiver(token, slots);
  }

  /** Not constructible by applications. */
  constructor(key: symbol, slots: TransceiverSlots) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#s = slots;
  }

  get mid(): string | null {
    return this.#s.mid;
  }

  get sender(): RTCRtpSender {
    return this.#s.sender;
  }

  get receiver(): RTCRtpReceiver {
    return this.#s.receiver;
  }

  get direction(): RTCRtpTransceiverDirection {
    return this.#s.stopping ? 'stopped' : this.#s.direction;
  }

  set direction(newDirection: RTCRtpTransceiverDirection) {
    const t = this.#s;
    const direction = toEnumAttribute(newDirection, transceiverDirections);
    if (direction === undefined) return;
    if (t.stopping) throw domError('InvalidStateError', 'The transceiver is stopping');
    if (direction === t.direction) return;
    if (direction === 'stopped') throw new TypeError("direction cannot be set to 'stopped'");
    t.direction = direction;
    t.link.updateNegotiationNeeded();
  }

  get currentDirection(): RTCRtpTransceiverDirection | null {
    return this.#s.stopped ? 'stopped' : this.#s.currentDirection;
  }

  stop(): void {
    const t = this.#s;
    if (t.link.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    if (t.stopping) return;
    stopSendingAndReceiving(t);
    t.link.updateNegotiationNeeded();
  }

  setCodecPreferences(codecs: RtpCodec[]): void {
    const t = this.#s;
    const list = toSequence(codecs, 'codecs').map(toRtpCodec);
    if (list.length === 0) {
      t.preferredCodecs = [];
      return;
    }
    // Remove duplicates, keeping the first of each.
    const unique = list.filter(
      (codec, i) => list.findIndex((other) => codecDictionaryMatch(codec, other)) === i,
    );
    // Send and receive capabilities are the same list here, so their union is either one.
    const capabilities = codecCapabilities(t.kind);
    for (const codec of unique) {
      if (!capabilities.some((cap) => codecDictionaryMatch(codec, cap))) {
        throw domError('InvalidModificationError', `${codec.mimeType} is not a supported codec`);
      }
    }
    if (unique.every((codec) => isResiliencyCodec(codec.mimeType))) {
      throw domError(
        'InvalidModificationError',
        'The codec list holds only resiliency codecs (RTX, RED, FEC, CN)',
      );
    }
    t.preferredCodecs = unique;
  }

  get [Symbol.toStringTag](): string {
    return 'RTCRtpTransceiver';
  }
}

/** WebIDL conversion of an RTCRtpCodec dictionary, its members in lexicographic order. */
function toRtpCodec(value: unknown): RtpCodec {
  const v = toDictionary(value, 'RTCRtpCodec');
  const channels = toOptional(v.channels, undefined, toUnsignedShort);
  const clockRate = toRequired(v.clockRate, toUnsignedLong, 'clockRate');
  const mimeType = toRequired(v.mimeType, toDOMString, 'mimeType');
  const sdpFmtpLine = toOptional(v.sdpFmtpLine, undefined, toDOMString);
  const codec: RtpCodec = { mimeType, clockRate };
  if (channels !== undefined) codec.channels = channels;
  if (sdpFmtpLine !== undefined) codec.sdpFmtpLine = sdpFmtpLine;
  return codec;
}

/** "Create an RTCRtpTransceiver" with sender, receiver and direction. */
export function createTransceiver(
  link: ConnectionLink,
  kind: 'audio' | 'video',
  makeSender: (transceiver: { stopping: () => boolean; sending: () => boolean }) => RTCRtpSender,
  receiver: RTCRtpReceiver,
  direction: Exclude<RTCRtpTransceiverDirection, 'stopped'>,
): RTCRtpTransceiver {
  const view = {
    stopping: () => slots.stopping,
    sending: () => slots.currentDirection === 'sendrecv' || slots.currentDirection === 'sendonly',
  };
  const slots: TransceiverSlots = {
    link,
    sender: makeSender(view),
    receiver,
    kind,
    stopping: false,
    stopped: false,
    direction,
    receptive: false,
    currentDirection: null,
    firedDirection: null,
    preferredCodecs: [],
    jsepMid: null,
    mid: null,
    addTrackCreated: false,
    addTrackUsed: false,
    everSent: false,
    createdBy: null,
  };
  return construct(slots);
}

export function transceiverSlots(transceiver: RTCRtpTransceiver): TransceiverSlots {
  return slotsOf(transceiver);
}

/** "Stop sending and receiving" (no media flows yet, so only the state changes). */
export function stopSendingAndReceiving(t: TransceiverSlots, disappear = false): void {
  if (!disappear) endTrack(t.receiver.track);
  if (t.sender.dtmf) stopDtmf(t.sender.dtmf);
  t.direction = 'inactive';
  t.stopping = true;
}

/** "Stop the RTCRtpTransceiver". */
export function stopTransceiver(t: TransceiverSlots, disappear = false): void {
  if (!t.stopping) stopSendingAndReceiving(t, disappear);
  t.stopped = true;
  t.receptive = false;
  t.currentDirection = null;
  const receiver = receiverSlots(t.receiver);
  receiver.associatedRemoteMediaStreams = [];
  receiver.lastStableStateAssociatedRemoteMediaStreams = [];
}

/** Records a negotiated [[CurrentDirection]] (and whether the sender has ever sent). */
export function setCurrentDirection(
  t: TransceiverSlots,
  direction: RTCRtpTransceiverDirection,
): void {
  t.currentDirection = direction;
  if (direction === 'sendrecv' || direction === 'sendonly') t.everSent = true;
}
