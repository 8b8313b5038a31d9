/**
 * One WebRTC data channel on its SCTP stream pair (RFC 8831 §6, RFC 8832): sending with the
 * channel's reliability, DCEP's "ordered until the ACK" rule, and closing by resetting the
 * outgoing stream once everything before it is sent; the channel is closed when both
 * directions are reset (RFC 8831 §6.7). Created by DataChannelEndpoint; the owner (the W3C
 * RTCDataChannel) sets `events`.
 */
import type { Association, CloseReason } from '../sctp/association.js';
import { CauseCode } from '../sctp/error-cause.js';
import { Ppid } from './ppid.js';

export type DataChannelState = 'open' | 'closing' | 'closed';

export interface DataChannelParameters {
  id: number;
  label: string;
  protocol: string;
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  /** DCEP priority (RFC 8831 §6.4); 256 is "normal". */
  priority: number;
  negotiated: boolean;
}

/** Why a channel closed with an error, in the terms of the W3C RTCError. */
export interface DataChannelError {
  errorDetail: 'sctp-failure' | 'data-channel-failure';
  sctpCauseCode?: number;
  message: string;
}

export interface DataChannelEvents {
  /** A message: text (UTF-8 bytes) or binary. */
  onMessage?(data: Buffer, binary: boolean): void;
  /** Bytes of this channel's messages were handed to the network. */
  onBufferedAmountDecrease?(bytes: number): void;
  /** The peer started closing the channel (its outgoing stream was reset). */
  onClosing?(): void;
  /** The channel is closed, with an error when the association failed or was aborted. */
  onClose?(error?: DataChannelError): void;
}

const EMPTY = Buffer.of(0);

export class DataChannel {
  events: DataChannelEvents = {};
  readonly #association: Association;
  readonly #params: DataChannelParameters;
  readonly #removed: (channel: DataChannel) => void;
  #state: DataChannelState = 'open';
  /** DCEP: until an ACK or any message comes back, everything is sent ordered (§6). */
  #ackReceived: boolean;
  #outgoingReset = false;
  #incomingReset = false;
  #closeRequested = false;
  #holds = 0;

  constructor(
    association: Association,
    params: DataChannelParameters,
    ackReceived: boolean,
    removed: (channel: DataChannel) => void,
  ) {
    this.#association = association;
    this.#params = params;
    this.#ackReceived = ackReceived;
    this.#removed = removed;
  }

  get id(): number {
    return this.#params.id;
  }
  get label(): string {
    return this.#params.label;
  }
  get protocol(): string {
    return this.#params.protocol;
  }
  get ordered(): boolean {
    return this.#params.ordered;
  }
  get maxRetransmits(): number | null {
    return this.#params.maxRetransmits;
  }
  get maxPacketLifeTime(): number | null {
    return this.#params.maxPacketLifeTime;
  }
  get priority(): number {
    return this.#params.priority;
  }
  get negotiated(): boolean {
    return this.#params.negotiated;
  }
  get state(): DataChannelState {
    return this.#state;
  }

  /** Bytes of this channel's messages not yet handed to the network. */
  get bufferedAmount(): number {
    return this.#association.bufferedAmount(this.id);
  }

  /**
   * Sends a message (binary, or UTF-8 text). Throws unless open; the association throws a
   * RangeError for a message larger than the peer accepts.
   */
  send(data: Buffer, binary: boolean, now: number): void {
    // After close(), only the sends it waits for (hold/release) may still go.
    if (this.#state === 'closed' || (this.#closeRequested && this.#holds === 0))
      throw new Error(`data channel ${this.id} is ${this.#state}`);
    const empty = data.length === 0;
    const ppid = binary
      ? empty
        ? Ppid.BINARY_EMPTY
        : Ppid.BINARY
      : empty
        ? Ppid.STRING_EMPTY
        : Ppid.STRING;
    const p = this.#params;
    this.#association.sendMessage(this.id, ppid, empty ? EMPTY : data, now, {
      unordered: !p.ordered && this.#ackReceived,
      maxRetransmits: p.maxRetransmits ?? undefined,
      lifetime: p.maxPacketLifeTime ?? undefined,
      countsAsBuffered: !empty,
    });
  }

  /**
   * A send being prepared (a Blob being read): close() waits for release(), so that the
   * stream is reset only after it.
   */
  hold(): void {
    this.#holds++;
  }

  release(now: number): void {
    if (this.#holds > 0) this.#holds--;
    if (this.#holds === 0 && this.#closeRequested) this.#resetOutgoing(now);
  }

  /** Closes the channel (RFC 8831 §6.7): resets the outgoing stream after what is queued. */
  close(now: number): void {
    if (this.#state === 'closed' || this.#closeRequested) return;
    this.#closeRequested = true;
    this.#state = 'closing';
    if (this.#holds === 0) this.#resetOutgoing(now);
  }

  #resetOutgoing(now: number): void {
    if (this.#association.state === 'closed') return;
    this.#association.resetStreams([this.id], now);
  }

  // ---------------------------------------------------------------------------------------
  // From the endpoint

  /** A user message (not DCEP) arrived on the stream. */
  handleMessage(ppid: number, data: Buffer): void {
    this.#ackReceived = true;
    if (this.#state === 'closed') return;
    // The deprecated partial PPIDs and unknown ones are dropped.
    if (ppid === Ppid.STRING || ppid === Ppid.BINARY)
      this.events.onMessage?.(data, ppid === Ppid.BINARY);
    else if (ppid === Ppid.STRING_EMPTY || ppid === Ppid.BINARY_EMPTY)
      this.events.onMessage?.(Buffer.alloc(0), ppid === Ppid.BINARY_EMPTY);
  }

  handleAck(): void {
    this.#ackReceived = true;
  }

  handleBufferedAmountDecrease(bytes: number): void {
    this.events.onBufferedAmountDecrease?.(bytes);
  }

  /** The peer reset its outgoing stream: we reset ours back (RFC 8831 §6.7). */
  handleIncomingReset(now: number): void {
    this.#incomingReset = true;
    if (this.#state === 'open') {
      this.#state = 'closing';
      this.events.onClosing?.();
      this.close(now);
    }
    this.#checkClosed();
  }

  /**
   * Our reset of the outgoing stream completed; when it could not be done (the peer refused
   * it or cannot reset streams), the channel is closed at once: nothing else would close it.
   */
  handleOutgoingReset(ok: boolean): void {
    this.#outgoingReset = true;
    if (!ok) this.#incomingReset = true;
    this.#checkClosed();
  }

  /** The association is gone: so is the channel, with an error unless it shut down. */
  handleAssociationClosed(reason: CloseReason): void {
    if (this.#state === 'closed') return;
    this.#finish(
      reason.kind === 'shutdown'
        ? undefined
        : {
            errorDetail: 'sctp-failure',
            sctpCauseCode:
              reason.causeCode ??
              (reason.kind === 'abort' ? CauseCode.USER_INITIATED_ABORT : undefined),
            message: reason.message,
          },
    );
  }

  #checkClosed(): void {
    if (this.#state !== 'closed' && this.#outgoingReset && this.#incomingReset) this.#finish();
  }

  #finish(error?: DataChannelError): void {
    this.#state = 'closed';
    this.#removed(this);
    this.events.onClose?.(error);
  }
}
