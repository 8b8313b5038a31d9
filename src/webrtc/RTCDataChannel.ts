/**
 * RTCDataChannel and RTCDataChannelEvent (W3C webrtc-pc §6.2, §6.3), over a DCEP channel
 * of src/datachannel.
 *
 * Events are fired from tasks queued on the one queue of task-queue.ts, which the peer
 * connection and its transports use too: as in a browser, the promise reactions of one
 * event's listeners run before the next event fires, and the events of a channel and of
 * its connection come in the order their tasks were queued.
 *
 * The seam towards RTCPeerConnection is this module's exported functions; the objects
 * themselves show applications nothing but the W3C interface.
 *
 *   createDataChannel(label, dict)   createDataChannel() steps 3-10: WebIDL conversion,
 *                                    checks (TypeError), a channel in "connecting". The
 *                                    caller does the [[IsClosed]] check (InvalidStateError)
 *                                    first and the id steps (OperationError) after.
 *   setDataChannelId(channel, id)    gives a channel with a null id its id (RFC 8832 §6 by
 *                                    DTLS role: allocateStreamId of src/datachannel).
 *   connectDataChannel(channel, endpoint, host)
 *                                    "RTCSctpTransport connected" for one channel: opens its
 *                                    DCEP channel (OPEN, or none when negotiated) and
 *                                    announces it open; a channel without a usable id is
 *                                    closed with a data-channel-failure. Works for channels
 *                                    made long before the association existed.
 *   createRemoteDataChannel(dcepChannel, host)
 *                                    for the endpoint's onChannel (an incoming OPEN); call it
 *                                    synchronously so that no message is lost, then queue a
 *                                    task firing RTCDataChannelEvent 'datachannel' and call
 *                                    announceDataChannelOpen(channel) in it.
 *   announceDataChannelOpen(channel) "announce the data channel as open" (queues a task).
 *   announceDataChannelClosed(channel, error?)
 *                                    "announce the data channel as closed", e.g. when the
 *                                    SCTP transport closes while the channel was never
 *                                    connected; with an RTCError it fires 'error' first.
 *                                    Connected channels announce their own closing.
 *   failDataChannel(channel)         "unable to create an RTCDataChannel" (data-channel-failure).
 *   closeDataChannelAbruptly(channel)
 *                                    RTCPeerConnection.close(): readyState "closed", no
 *                                    events, the closing procedure not run.
 *   dataChannelCounters(channel)     what RTCDataChannelStats counts: messages and payload
 *                                    bytes handed to SCTP by send(), and message events.
 *
 * `host` is the RTCSctpTransport's view the channel needs: [[MaxMessageSize]] and
 * [[MaxBufferSize]] (read at each send), an optional hook to drop the channel from
 * [[DataChannels]] when the spec says so, and hooks for the connection's counts of
 * channels opened and closed.
 */
import type { DataChannel, DataChannelError } from '../datachannel/channel.js';
import type { DataChannelEndpoint } from '../datachannel/endpoint.js';
import { now } from '../net/timer.js';
import { defineEventHandlers, type EventInit } from './event-handler.js';
import { RTCError, RTCErrorEvent } from './RTCError.js';
import { queueMessageTask, queueTaskWith } from './task-queue.js';
import {
  requireArguments,
  toDictionary,
  toEnforcedUnsigned,
  toEnumAttribute,
  toEventInit,
  toRequiredInterface,
  toUSVString,
} from './webidl.js';

export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';
export type BinaryType = 'blob' | 'arraybuffer';

export interface RTCDataChannelInit {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
}

/** What a channel reads from its RTCSctpTransport, and a hook into [[DataChannels]]. */
export interface DataChannelHost {
  /** [[MaxMessageSize]]; null (not known yet) means no check. */
  readonly maxMessageSize: number | null;
  /** [[MaxBufferSize]]; null or absent means no limit. */
  readonly maxBufferSize?: number | null;
  /** Removes the channel from the connection's [[DataChannels]]. */
  removeDataChannel?(channel: RTCDataChannel): void;
  /** The channel announced open, once in its life (RTCPeerConnectionStats). */
  channelOpened?(): void;
  /** The channel, once open, announced closed. */
  channelClosed?(): void;
}

interface Slots {
  readyState: RTCDataChannelState;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  label: string;
  ordered: boolean;
  maxPacketLifeTime: number | null;
  maxRetransmits: number | null;
  protocol: string;
  negotiated: boolean;
  id: number | null;
  dcep: DataChannel | undefined;
  host: DataChannelHost | undefined;
  /** Sends waiting behind a Blob being read, so that order is kept. */
  queue: (QueuedSend | Blob)[];
  /** The Blob at the head of `queue` is being read. */
  reading: boolean;
  /** Announced open once. */
  opened: boolean;
  counters: DataChannelCounters;
}

/** webrtc-stats RTCDataChannelStats counters: API messages and their payload bytes. */
export interface DataChannelCounters {
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
}

interface QueuedSend {
  bytes: Buffer;
  binary: boolean;
}

const constructing = Symbol('RTCDataChannel');
let slotsOf: (channel: RTCDataChannel) => Slots;
const binaryTypes: readonly BinaryType[] = ['blob', 'arraybuffer'];

export class RTCDataChannel extends EventTarget {
  declare onopen: ((this: RTCDataChannel, ev: Event) => unknown) | null;
  declare onbufferedamountlow: ((this: RTCDataChannel, ev: Event) => unknown) | null;
  declare onerror: ((this: RTCDataChannel, ev: RTCErrorEvent) => unknown) | null;
  declare onclosing: ((this: RTCDataChannel, ev: Event) => unknown) | null;
  declare onclose: ((this: RTCDataChannel, ev: Event) => unknown) | null;
  declare onmessage: ((this: RTCDataChannel, ev: MessageEvent) => unknown) | null;
  readonly #s: Slots;

  static {
    slotsOf = (channel) => channel.#s;
  }

  /** Not constructible by applications (W3C: created by RTCPeerConnection). */
  constructor(key?: unknown, slots?: Slots) {
    if (key !== constructing || !slots) throw new TypeError('Illegal constructor');
    super();
    this.#s = slots;
  }

  get label(): string {
    return this.#s.label;
  }
  get ordered(): boolean {
    return this.#s.ordered;
  }
  get maxPacketLifeTime(): number | null {
    return this.#s.maxPacketLifeTime;
  }
  get maxRetransmits(): number | null {
    return this.#s.maxRetransmits;
  }
  get protocol(): string {
    return this.#s.protocol;
  }
  get negotiated(): boolean {
    return this.#s.negotiated;
  }
  get id(): number | null {
    return this.#s.id;
  }
  get readyState(): RTCDataChannelState {
    return this.#s.readyState;
  }
  get bufferedAmount(): number {
    return this.#s.bufferedAmount;
  }

  get bufferedAmountLowThreshold(): number {
    return this.#s.bufferedAmountLowThreshold;
  }
  set bufferedAmountLowThreshold(value: number) {
    this.#s.bufferedAmountLowThreshold = toEnforcedUnsigned(
      value,
      0xffffffff,
      'bufferedAmountLowThreshold',
    );
  }

  get binaryType(): BinaryType {
    return this.#s.binaryType;
  }
  /** An enumeration attribute: a value not in BinaryType is ignored (WebIDL). */
  set binaryType(value: BinaryType) {
    this.#s.binaryType = toEnumAttribute(value, binaryTypes) ?? this.#s.binaryType;
  }

  /** close() (§6.2): starts the closing procedure unless closing or closed already. */
  close(): void {
    const s = this.#s;
    if (s.readyState === 'closing' || s.readyState === 'closed') return;
    s.readyState = 'closing';
    startClosing(this, true);
  }

  /** The send() algorithm (§6.2), for string, Blob, ArrayBuffer and ArrayBufferView. */
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'send' on 'RTCDataChannel': 1 argument required.");
    const s = this.#s;
    const size = byteSize(data);
    if (s.readyState !== 'open')
      throw new DOMException(`RTCDataChannel.readyState is '${s.readyState}'`, 'InvalidStateError');
    const max = s.host?.maxMessageSize;
    if (max !== null && max !== undefined && size > max)
      throw new TypeError(`Message of ${size} bytes exceeds maxMessageSize ${max}`);
    const maxBuffer = s.host?.maxBufferSize;
    if (maxBuffer !== null && maxBuffer !== undefined && s.bufferedAmount + size > maxBuffer)
      throw new DOMException(
        `Sending ${size} bytes would buffer more than ${maxBuffer} bytes`,
        'OperationError',
      );
    const binary = typeof data !== 'string';
    const bytes = binary ? copyBinary(data) : Buffer.from(data, 'utf8');
    if (bytes !== undefined && s.queue.length === 0) transmit(this, bytes, binary);
    else {
      // A Blob is read asynchronously; it and every send after it wait, in order, and a
      // close() waits for them (the DCEP channel's hold).
      s.queue.push(bytes ? { bytes, binary } : (data as Blob));
      s.dcep?.hold();
      if (!s.reading) void drainQueue(this);
    }
    s.bufferedAmount += size;
  }
}

defineEventHandlers(RTCDataChannel, [
  'open',
  'bufferedamountlow',
  'error',
  'closing',
  'close',
  'message',
]);

export interface RTCDataChannelEventInit extends EventInit {
  channel: RTCDataChannel;
}

/** RTCDataChannelEvent (§6.3): the `datachannel` event of RTCPeerConnection. */
export class RTCDataChannelEvent extends Event {
  readonly #channel: RTCDataChannel;

  constructor(type: string, eventInitDict: RTCDataChannelEventInit) {
    requireArguments(arguments.length, 2, "Failed to construct 'RTCDataChannelEvent'");
    const d = toDictionary(eventInitDict, 'RTCDataChannelEventInit');
    const channel = toRequiredInterface(d.channel, RTCDataChannel, 'channel');
    super(type, toEventInit(d));
    this.#channel = channel;
  }

  get channel(): RTCDataChannel {
    return this.#channel;
  }
}

// -----------------------------------------------------------------------------------------
// The seam towards RTCPeerConnection

/**
 * createDataChannel(label, dataChannelDict), the steps that make the channel: WebIDL
 * conversion of the arguments and steps 3 to 10 of W3C webrtc-pc §6.1, each TypeError as
 * specified. Returns a channel in "connecting" with a null id unless negotiated.
 */
export function createDataChannel(label: unknown, dataChannelDict?: unknown): RTCDataChannel {
  const labelText = toUSVString(label);
  const init = toDataChannelInit(dataChannelDict);
  if (Buffer.byteLength(labelText, 'utf8') > 65535)
    throw new TypeError('The label is longer than 65535 bytes of UTF-8');
  const protocol = init.protocol ?? '';
  if (Buffer.byteLength(protocol, 'utf8') > 65535)
    throw new TypeError('The protocol is longer than 65535 bytes of UTF-8');
  const negotiated = init.negotiated ?? false;
  const id = negotiated && init.id !== undefined ? init.id : null;
  if (negotiated && id === null) throw new TypeError('A negotiated channel needs an id');
  const maxPacketLifeTime = init.maxPacketLifeTime ?? null;
  const maxRetransmits = init.maxRetransmits ?? null;
  if (maxPacketLifeTime !== null && maxRetransmits !== null)
    throw new TypeError('maxPacketLifeTime and maxRetransmits cannot both be set');
  // Our maxima are the unsigned short limits themselves: nothing to clamp.
  if (id === 65535) throw new TypeError('The id 65535 is reserved');
  return newChannel({
    label: labelText,
    ordered: init.ordered ?? true,
    maxPacketLifeTime,
    maxRetransmits,
    protocol,
    negotiated,
    id,
  });
}

/** Gives a channel its id, once the DTLS role is known (RFC 8832 §6). */
export function setDataChannelId(channel: RTCDataChannel, id: number): void {
  const s = slotsOf(channel);
  if (s.id === null) s.id = id;
}

/**
 * The "RTCSctpTransport connected" steps for one channel: an id if it has none, a DCEP
 * channel on the endpoint, and "announce the data channel as open"; or, when no id fits
 * below the negotiated stream count, the channel closes with a data-channel-failure.
 */
export function connectDataChannel(
  channel: RTCDataChannel,
  endpoint: DataChannelEndpoint,
  host: DataChannelHost,
): void {
  const s = slotsOf(channel);
  if (s.dcep || s.readyState === 'closing' || s.readyState === 'closed') return;
  s.host = host;
  if (s.id === null) s.id = endpoint.allocateId() ?? null;
  const maxChannels = endpoint.association.maxStreams || 65535;
  if (s.id === null || s.id >= maxChannels || endpoint.channel(s.id)) {
    failDataChannel(channel);
    return;
  }
  let dcep: DataChannel;
  try {
    dcep = endpoint.openChannel(
      {
        id: s.id,
        label: s.label,
        protocol: s.protocol,
        ordered: s.ordered,
        maxRetransmits: s.maxRetransmits,
        maxPacketLifeTime: s.maxPacketLifeTime,
        negotiated: s.negotiated,
      },
      now(),
    );
  } catch {
    failDataChannel(channel);
    return;
  }
  bind(channel, dcep);
  announceDataChannelOpen(channel);
}

/**
 * A channel for one the peer opened with DCEP ("announcing a data channel instance"). It is
 * "open" at once, so that the `datachannel` listeners may send; fire the event from a task
 * queued now, then call announceDataChannelOpen().
 */
export function createRemoteDataChannel(dcep: DataChannel, host: DataChannelHost): RTCDataChannel {
  const channel = newChannel({
    label: dcep.label,
    ordered: dcep.ordered,
    maxPacketLifeTime: dcep.maxPacketLifeTime,
    maxRetransmits: dcep.maxRetransmits,
    protocol: dcep.protocol,
    negotiated: false,
    id: dcep.id,
  });
  const s = slotsOf(channel);
  s.host = host;
  s.readyState = 'open';
  bind(channel, dcep);
  return channel;
}

/** "Announce the data channel as open" (§6.2). */
export function announceDataChannelOpen(channel: RTCDataChannel): void {
  queueTaskWith(announceOpen, channel);
}

/** "Announce the data channel as closed" (§6.2), with an error event first when given one. */
export function announceDataChannelClosed(channel: RTCDataChannel, error?: RTCError): void {
  queueTaskWith(announceClosed, channel, error);
}

/** "Unable to create an RTCDataChannel" (§6.2): closed, with a data-channel-failure. */
export function failDataChannel(channel: RTCDataChannel): void {
  queueTaskWith(failCreation, channel);
}

/** The channel's RTCDataChannelStats counters (live: read them when reporting). */
export function dataChannelCounters(channel: RTCDataChannel): Readonly<DataChannelCounters> {
  return slotsOf(channel).counters;
}

/** RTCPeerConnection.close(): "closed" at once, without events or the closing procedure. */
export function closeDataChannelAbruptly(channel: RTCDataChannel): void {
  const s = slotsOf(channel);
  s.readyState = 'closed';
  if (s.dcep) s.dcep.events = {};
  s.queue.length = 0;
}

// -----------------------------------------------------------------------------------------
// Tasks and wiring

function newChannel(
  init: Pick<
    Slots,
    'label' | 'ordered' | 'maxPacketLifeTime' | 'maxRetransmits' | 'protocol' | 'negotiated' | 'id'
  >,
): RTCDataChannel {
  return new RTCDataChannel(constructing, {
    ...init,
    readyState: 'connecting',
    bufferedAmount: 0,
    bufferedAmountLowThreshold: 0,
    binaryType: 'arraybuffer',
    dcep: undefined,
    host: undefined,
    queue: [],
    reading: false,
    opened: false,
    counters: { messagesSent: 0, bytesSent: 0, messagesReceived: 0, bytesReceived: 0 },
  });
}

function bind(channel: RTCDataChannel, dcep: DataChannel): void {
  slotsOf(channel).dcep = dcep;
  dcep.events = {
    onMessage: (data, binary) => queueMessageTask(receive, channel, data, binary),
    onBufferedAmountDecrease: (bytes) =>
      queueMessageTask(decreaseBufferedAmount, channel, bytes, undefined),
    onClosing: () => startClosing(channel, false),
    onClose: (error) => queueTaskWith(announceClosed, channel, error && toRTCError(error)),
  };
}

function announceOpen(channel: RTCDataChannel): void {
  const s = slotsOf(channel);
  if (s.readyState === 'closing' || s.readyState === 'closed') return;
  s.readyState = 'open';
  s.opened = true;
  s.host?.channelOpened?.();
  channel.dispatchEvent(new Event('open'));
}

function announceClosed(channel: RTCDataChannel, error: RTCError | undefined): void {
  const s = slotsOf(channel);
  if (s.readyState === 'closed') return;
  s.readyState = 'closed';
  s.host?.removeDataChannel?.(channel);
  if (s.opened) s.host?.channelClosed?.();
  if (error) channel.dispatchEvent(new RTCErrorEvent('error', { error }));
  channel.dispatchEvent(new Event('close'));
}

function failCreation(channel: RTCDataChannel): void {
  const s = slotsOf(channel);
  if (s.readyState === 'closed') return;
  s.readyState = 'closed';
  const error = new RTCError(
    { errorDetail: 'data-channel-failure' },
    'Data channel could not be created',
  );
  channel.dispatchEvent(new RTCErrorEvent('error', { error }));
  channel.dispatchEvent(new Event('close'));
}

/**
 * The closing procedure (§6.2). Initiated by close(), the stream reset starts now (after
 * what is already queued); initiated by the peer, the DCEP channel resets back by itself.
 */
function startClosing(channel: RTCDataChannel, byClose: boolean): void {
  const s = slotsOf(channel);
  if (byClose) {
    if (s.dcep) s.dcep.close(now());
    else queueTaskWith(announceClosed, channel, undefined); // no transport to close
  }
  queueTaskWith(closingTask, channel, byClose);
}

function closingTask(channel: RTCDataChannel, byClose: boolean): void {
  const s = slotsOf(channel);
  s.host?.removeDataChannel?.(channel);
  if (byClose || s.readyState === 'closing' || s.readyState === 'closed') return;
  s.readyState = 'closing';
  channel.dispatchEvent(new Event('closing'));
}

/** "Receiving messages on a data channel" (§6.2). */
function receive(channel: RTCDataChannel, data: Buffer, binary: boolean): void {
  const s = slotsOf(channel);
  if (s.readyState !== 'open') return;
  let value: string | ArrayBuffer | Blob;
  if (!binary) value = data.toString('utf8');
  else if (s.binaryType === 'blob') value = new Blob([data]);
  else value = ownArrayBuffer(data);
  s.counters.messagesReceived++;
  s.counters.bytesReceived += data.length;
  channel.dispatchEvent(new MessageEvent('message', { data: value, origin: '' }));
}

function decreaseBufferedAmount(channel: RTCDataChannel, bytes: number): void {
  const s = slotsOf(channel);
  const before = s.bufferedAmount;
  s.bufferedAmount = Math.max(0, before - bytes);
  const threshold = s.bufferedAmountLowThreshold;
  if (before > threshold && s.bufferedAmount <= threshold)
    channel.dispatchEvent(new Event('bufferedamountlow'));
}

/** Hands a message to the DCEP channel; an SCTP-level refusal becomes an error event. */
function transmit(channel: RTCDataChannel, bytes: Buffer, binary: boolean): void {
  const s = slotsOf(channel);
  try {
    s.dcep!.send(bytes, binary, now());
    s.counters.messagesSent++;
    s.counters.bytesSent += bytes.length;
  } catch (e) {
    queueMessageTask(decreaseBufferedAmount, channel, bytes.length, undefined);
    const error = new RTCError({ errorDetail: 'sctp-failure' }, (e as Error).message);
    queueTaskWith(fireError, channel, error);
  }
}

function fireError(channel: RTCDataChannel, error: RTCError): void {
  channel.dispatchEvent(new RTCErrorEvent('error', { error }));
}

/** Sends the queue in order, reading each Blob when its turn comes. */
async function drainQueue(channel: RTCDataChannel): Promise<void> {
  const s = slotsOf(channel);
  s.reading = true;
  while (s.queue.length > 0) {
    const head = s.queue[0]!;
    let send: QueuedSend | undefined;
    if (head instanceof Blob) {
      try {
        send = { bytes: Buffer.from(await head.arrayBuffer()), binary: true };
      } catch {
        queueMessageTask(decreaseBufferedAmount, channel, head.size, undefined);
      }
      if (s.queue[0] !== head) break; // closed abruptly meanwhile
    } else {
      send = head;
    }
    s.queue.shift();
    if (send && s.readyState !== 'closed') transmit(channel, send.bytes, send.binary);
    s.dcep?.release(now());
  }
  s.reading = false;
}

function toRTCError(e: DataChannelError): RTCError {
  return new RTCError({ errorDetail: e.errorDetail, sctpCauseCode: e.sctpCauseCode }, e.message);
}

/** The message's bytes as an ArrayBuffer of its own (without a copy when it already is). */
function ownArrayBuffer(data: Buffer): ArrayBuffer {
  const ab = data.buffer;
  if (data.byteOffset === 0 && data.byteLength === ab.byteLength && ab instanceof ArrayBuffer)
    return ab;
  // A copy into a new ArrayBuffer: a third cheaper than ArrayBuffer.prototype.slice.
  return new Uint8Array(data).buffer;
}

/** The byte size of send()'s argument; a TypeError for any type send() is not overloaded with. */
function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data, 'utf8');
  if (data instanceof Blob) return data.size;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) {
    if (typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer)
      throw new TypeError('send() does not take views of a SharedArrayBuffer');
    return data.byteLength;
  }
  throw new TypeError(
    "Failed to execute 'send' on 'RTCDataChannel': the data is not a string, Blob, ArrayBuffer or ArrayBufferView",
  );
}

/** A copy of binary data (the caller may change it after send()), or undefined for a Blob. */
function copyBinary(data: Blob | ArrayBuffer | ArrayBufferView): Buffer | undefined {
  if (data instanceof Blob) return undefined;
  if (data instanceof ArrayBuffer) return Buffer.copyBytesFrom(new Uint8Array(data));
  return Buffer.copyBytesFrom(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

// -----------------------------------------------------------------------------------------
// WebIDL conversions

/**
 * RTCDataChannelInit as WebIDL converts a dictionary: each member read once, in
 * lexicographic order.
 */
function toDataChannelInit(v: unknown): RTCDataChannelInit {
  const d = toDictionary(v, 'RTCDataChannelInit');
  const out: RTCDataChannelInit = {};
  const id = d.id;
  if (id !== undefined) out.id = toEnforcedUnsigned(id, 0xffff, 'id');
  const maxPacketLifeTime = d.maxPacketLifeTime;
  if (maxPacketLifeTime !== undefined)
    out.maxPacketLifeTime = toEnforcedUnsigned(maxPacketLifeTime, 0xffff, 'maxPacketLifeTime');
  const maxRetransmits = d.maxRetransmits;
  if (maxRetransmits !== undefined)
    out.maxRetransmits = toEnforcedUnsigned(maxRetransmits, 0xffff, 'maxRetransmits');
  const negotiated = d.negotiated;
  if (negotiated !== undefined) out.negotiated = Boolean(negotiated);
  const ordered = d.ordered;
  if (ordered !== undefined) out.ordered = Boolean(ordered);
  const protocol = d.protocol;
  if (protocol !== undefined) out.protocol = toUSVString(protocol);
  return out;
}
