/**
 * The data channels of one SCTP association (RFC 8831, RFC 8832): owns the Association,
 * demultiplexes its messages to channels by stream id, runs DCEP (DATA_CHANNEL_OPEN and
 * DATA_CHANNEL_ACK), and closes channels through stream resets.
 *
 * Sans-IO like the association: `association` is the Timed core to drive and feed with
 * DTLS records (association.handlePacket, handleTimeout, connect).
 *
 * Deviation: RFC 8832 §6 says user data on a stream with no channel means an error that
 * closes the channel; with negotiated channels the peer may legitimately send before our
 * side created its channel, so such data is dropped instead (as W3C webrtc-pc allows).
 */
import { Association, type AssociationCallbacks, type CloseReason } from '../sctp/association.js';
import type { AssociationOptions } from '../sctp/options.js';
import { DataChannel, type DataChannelParameters } from './channel.js';
import { fromChannelType, toChannelType } from './channel-type.js';
import { DataChannelAck } from './data-channel-ack.js';
import { DataChannelOpen } from './data-channel-open.js';
import { MessageType } from './message-type.js';
import { Ppid } from './ppid.js';
import { allocateStreamId, type DtlsRole, isPeerStreamId, MAX_CHANNEL_ID } from './stream-id.js';

/** DCEP priority "normal" (RFC 8831 §6.4), what browsers send by default. */
const NORMAL_PRIORITY = 256;

export interface DataChannelEndpointOptions extends AssociationOptions {
  /** Our DTLS role, which decides the parity of the stream ids we pick (RFC 8832 §6). */
  role: DtlsRole;
}

export interface DataChannelEndpointCallbacks
  extends Pick<AssociationCallbacks, 'send' | 'onWake' | 'onEstablished' | 'onClosed'> {
  /** The peer opened a channel with DATA_CHANNEL_OPEN; the ACK is on its way. */
  onChannel?(channel: DataChannel): void;
}

/** What openChannel takes: the channel's settings, with an id or not (then one is picked). */
export type OpenChannelParameters = Omit<DataChannelParameters, 'id' | 'priority'> & {
  id?: number | null;
  priority?: number;
};

export class DataChannelEndpoint {
  readonly association: Association;
  readonly role: DtlsRole;
  readonly #channels = new Map<number, DataChannel>();
  readonly #cb: DataChannelEndpointCallbacks;
  readonly #removed = (c: DataChannel): void => {
    if (this.#channels.get(c.id) === c) this.#channels.delete(c.id);
  };

  constructor(options: DataChannelEndpointOptions, callbacks: DataChannelEndpointCallbacks) {
    const { role, ...associationOptions } = options;
    this.role = role;
    this.#cb = callbacks;
    this.association = new Association(associationOptions, {
      send: callbacks.send,
      onWake: callbacks.onWake,
      onEstablished: callbacks.onEstablished,
      onClosed: this.#handleClosed,
      onMessage: this.#handleMessage,
      onBufferedAmountDecrease: this.#handleBufferedAmountDecrease,
      onIncomingStreamsReset: this.#handleIncomingReset,
      onOutgoingStreamsReset: this.#handleOutgoingReset,
    });
  }

  /** The channel on a stream id, if any. */
  channel(id: number): DataChannel | undefined {
    return this.#channels.get(id);
  }

  get channels(): IterableIterator<DataChannel> {
    return this.#channels.values();
  }

  /** The lowest free stream id of our parity (RFC 8832 §6), or undefined. */
  allocateId(inUse?: (id: number) => boolean): number | undefined {
    const max = this.association.maxStreams || 65535;
    return allocateStreamId(this.role, (id) => this.#channels.has(id) || inUse?.(id) === true, max);
  }

  /**
   * Opens a channel: an in-band one sends DATA_CHANNEL_OPEN (and may carry messages at once,
   * ordered until the ACK); a negotiated one is open with no DCEP. Throws a RangeError when
   * the id is taken, out of range, or none is left.
   */
  openChannel(params: OpenChannelParameters, now: number): DataChannel {
    const id = params.id ?? this.allocateId();
    if (id === undefined) throw new RangeError('no stream id left');
    const max = Math.min((this.association.maxStreams || 65535) - 1, MAX_CHANNEL_ID);
    if (!(Number.isInteger(id) && id >= 0 && id <= max))
      throw new RangeError(`stream id ${id} out of range`);
    if (this.#channels.has(id)) throw new RangeError(`stream id ${id} is in use`);
    const full: DataChannelParameters = {
      ...params,
      id,
      priority: params.priority ?? NORMAL_PRIORITY,
    };
    const channel = new DataChannel(this.association, full, params.negotiated, this.#removed);
    this.#channels.set(id, channel);
    if (!params.negotiated) {
      const { channelType, reliabilityParameter } = toChannelType(full);
      const open = new DataChannelOpen(
        channelType,
        full.priority,
        reliabilityParameter,
        full.label,
        full.protocol,
      );
      this.association.sendMessage(id, Ppid.DCEP, open.encode(), now, { countsAsBuffered: false });
    }
    return channel;
  }

  readonly #handleMessage = (streamId: number, ppid: number, data: Buffer, now: number): void => {
    if (ppid !== Ppid.DCEP) {
      this.#channels.get(streamId)?.handleMessage(ppid, data);
      return;
    }
    if (data[0] === MessageType.DATA_CHANNEL_OPEN) this.#handleOpen(streamId, data, now);
    else if (DataChannelAck.is(data)) this.#channels.get(streamId)?.handleAck();
  };

  /** DATA_CHANNEL_OPEN (RFC 8832 §6): a new channel, or a refusal by stream reset. */
  #handleOpen(streamId: number, data: Buffer, now: number): void {
    const open = DataChannelOpen.decode(data);
    const reliability = open && fromChannelType(open.channelType, open.reliabilityParameter);
    const existing = this.#channels.get(streamId);
    if (
      !open ||
      !reliability ||
      existing ||
      !isPeerStreamId(this.role, streamId) ||
      streamId > MAX_CHANNEL_ID
    ) {
      // Malformed, on a used stream, or of the wrong parity: close it, no ACK.
      if (existing) existing.close(now);
      else this.association.resetStreams([streamId], now);
      return;
    }
    const channel = new DataChannel(
      this.association,
      {
        id: streamId,
        label: open.label,
        protocol: open.protocol,
        ...reliability,
        priority: open.priority,
        negotiated: false,
      },
      true,
      this.#removed,
    );
    this.#channels.set(streamId, channel);
    this.association.sendMessage(streamId, Ppid.DCEP, DataChannelAck.encode(), now, {
      countsAsBuffered: false,
    });
    this.#cb.onChannel?.(channel);
  }

  readonly #handleBufferedAmountDecrease = (streamId: number, bytes: number): void => {
    this.#channels.get(streamId)?.handleBufferedAmountDecrease(bytes);
  };

  readonly #handleIncomingReset = (streamIds: readonly number[], now: number): void => {
    const channels =
      streamIds.length > 0
        ? streamIds.map((id) => this.#channels.get(id))
        : [...this.#channels.values()];
    for (const c of channels) c?.handleIncomingReset(now);
  };

  readonly #handleOutgoingReset = (streamIds: readonly number[], ok: boolean): void => {
    for (const id of streamIds) this.#channels.get(id)?.handleOutgoingReset(ok);
  };

  readonly #handleClosed = (reason: CloseReason): void => {
    for (const c of [...this.#channels.values()]) c.handleAssociationClosed(reason);
    this.#cb.onClosed?.(reason);
  };
}
