/**
 * The SCTP association of a peer connection's data channels (RFC 8841, RFC 8261) and the
 * W3C steps around it (webrtc-pc §6.1-6.2): createDataChannel(), data channel ids by DTLS
 * role (RFC 8832 §6), "the RTCSctpTransport connected procedure", channels the peer
 * announces (the `datachannel` event), and the association torn down with an ABORT by
 * close(). The channels themselves are RTCDataChannel.ts; its seam is used as its
 * header documents.
 *
 * The association (inside a DataChannelEndpoint of src/datachannel) rides on the DTLS
 * transport of the data m= section and shares its DeadlineTimer.
 */
import { DataChannelEndpoint } from '../datachannel/endpoint.js';
import { allocateStreamId, MAX_CHANNEL_ID } from '../datachannel/stream-id.js';
import { now } from '../net/timer.js';
import type { CloseReason } from '../sctp/association.js';
import { domError } from './dom-errors.js';
import type { JsepTransport } from './jsep-transport.js';
import { updateNegotiationNeeded } from './negotiation-needed.js';
import { LOCAL_MAX_MESSAGE_SIZE, RECEIVE_BUFFER_SIZE, SCTP_PORT } from './offer-answer.js';
import type { PeerConnectionSlots } from './peer-connection-state.js';
import {
  announceDataChannelOpen,
  closeDataChannelAbruptly,
  connectDataChannel,
  createRemoteDataChannel,
  type DataChannelHost,
  dataChannelCounters,
  failDataChannel,
  createDataChannel as newDataChannel,
  type RTCDataChannel,
  RTCDataChannelEvent,
  setDataChannelId,
} from './RTCDataChannel.js';
import { sctpMaxBufferSize, setSctpConnected, setSctpState } from './RTCSctpTransport.js';
import type { RTCDataChannelStats } from './RTCStatsReport.js';
import { queueTask } from './task-queue.js';

interface SctpEntry {
  endpoint: DataChannelEndpoint;
  transport: JsepTransport;
  connected: boolean;
  /** Ended because DTLS began a new association; a new SCTP association follows. */
  replaced: boolean;
}

/** The association of each connection, once DTLS carries one. */
const entries = new WeakMap<PeerConnectionSlots, SctpEntry>();
const hosts = new WeakMap<PeerConnectionSlots, DataChannelHost>();

/** What a channel reads of its RTCSctpTransport, and the hooks into the connection's slots. */
function hostOf(s: PeerConnectionSlots): DataChannelHost {
  let host = hosts.get(s);
  if (host === undefined) {
    host = {
      get maxMessageSize() {
        return s.sctpTransport?.maxMessageSize ?? null;
      },
      get maxBufferSize() {
        return s.sctpTransport ? sctpMaxBufferSize(s.sctpTransport) : null;
      },
      removeDataChannel(channel) {
        const i = s.dataChannels.indexOf(channel);
        if (i >= 0) s.dataChannels.splice(i, 1);
      },
      channelOpened() {
        s.dataChannelsOpened++;
      },
      channelClosed() {
        s.dataChannelsClosed++;
      },
    };
    hosts.set(s, host);
  }
  return host;
}

/** The DTLS role of the data section's transport, once an answer fixed it. */
function dataRole(s: PeerConnectionSlots): 'client' | 'server' | undefined {
  if (s.dataMid === null) return undefined;
  return s.transportByMid.get(s.dataMid)?.dtlsRole;
}

/** The remote description's a=sctp-port and a=max-message-size of the data section. */
function remoteSctpParameters(s: PeerConnectionSlots): { port: number; maxMessageSize: number } {
  const remote = s.currentRemoteDescription ?? s.pendingRemoteDescription;
  const section = remote?.jsep.sections.find((x) => x.mid === s.dataMid);
  return {
    port: section?.sctpPort ?? SCTP_PORT,
    // RFC 8841 §6.1: 64 KiB when absent; 0 means any size.
    maxMessageSize: section?.maxMessageSize ?? 65536,
  };
}

/** createDataChannel(label, options) (W3C webrtc-pc §6.1). */
export function createDataChannel(
  s: PeerConnectionSlots,
  label: unknown,
  init: unknown,
): RTCDataChannel {
  if (s.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
  // Steps 3-10 (TypeErrors) are the channel's own.
  const channel = newDataChannel(label, init);
  const entry = entries.get(s);
  const used = (id: number) =>
    s.dataChannels.some((c) => c.id === id) || entry?.endpoint.channel(id) !== undefined;
  if (channel.id === null) {
    // Step 11: once the DTLS role is known, an id of our parity (RFC 8832 §6).
    const role = dataRole(s);
    if (role !== undefined) {
      const id = allocateStreamId(role, used, entry?.endpoint.association.maxStreams || 65535);
      if (id === undefined) throw domError('OperationError', 'No data channel id is left');
      setDataChannelId(channel, id);
    }
  } else if (used(channel.id)) {
    throw domError('OperationError', `The data channel id ${channel.id} is in use`);
  }
  // Step 12: an id beyond the negotiated streams.
  const maxChannels = s.sctpTransport?.maxChannels;
  if (
    channel.id !== null &&
    s.sctpTransport?.state === 'connected' &&
    maxChannels != null &&
    channel.id >= maxChannels
  ) {
    throw domError(
      'OperationError',
      `The data channel id ${channel.id} is beyond ${maxChannels} streams`,
    );
  }
  // Step 13: the first channel needs a data m= section.
  const first = !s.dataChannelCreated;
  s.dataChannelCreated = true;
  s.dataChannels.push(channel);
  if (first) updateNegotiationNeeded(s);
  // The underlying data transport: now, if the association is up; else when it is.
  if (entry?.connected) connectDataChannel(channel, entry.endpoint, hostOf(s));
  return channel;
}

/**
 * Ids for channels without one once an answer fixes the DTLS role (RFC 8832 §6: the
 * client takes even ids, the server odd). Returns the channels no id was left for.
 */
export function assignDataChannelIds(
  s: PeerConnectionSlots,
  role: 'client' | 'server' | undefined,
): RTCDataChannel[] {
  if (role === undefined) return [];
  const failed: RTCDataChannel[] = [];
  const used = (id: number) => s.dataChannels.some((c) => c.id === id);
  for (const channel of s.dataChannels) {
    if (channel.id !== null) continue;
    const id = allocateStreamId(role, used, MAX_CHANNEL_ID + 1);
    if (id === undefined) failed.push(channel);
    else setDataChannelId(channel, id);
  }
  for (const channel of failed) {
    closeDataChannelAbruptly(channel);
    hostOf(s).removeDataChannel?.(channel);
  }
  return failed;
}

/** DTLS connected: the association starts if this transport carries the data section. */
export function dtlsConnected(s: PeerConnectionSlots, t: JsepTransport): void {
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null || sctp.transport !== t.dtls || entries.has(s)) return;
  const role = t.dtlsRole;
  if (role === undefined) return;
  const remote = remoteSctpParameters(s);
  const entry: SctpEntry = {
    transport: t,
    connected: false,
    replaced: false,
    endpoint: new DataChannelEndpoint(
      {
        role,
        localPort: SCTP_PORT,
        remotePort: remote.port,
        maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
        receiveBufferSize: RECEIVE_BUFFER_SIZE,
        remoteMaxMessageSize: remote.maxMessageSize,
        zeroChecksum: true, // DTLS authenticates every record (RFC 9653 §7)
      },
      {
        send: (packet) => t.sendRecord(packet),
        onWake: () => t.wake(),
        onEstablished: () => queueTask(() => connected(s, entry)),
        onClosed: (reason) => queueTask(() => associationClosed(s, entry, reason)),
        onChannel: (dcep) => {
          // Made at once so that no message is lost; announced from a task.
          const channel = createRemoteDataChannel(dcep, hostOf(s));
          s.dataChannels.push(channel);
          queueTask(() => {
            if (s.isClosed) return;
            s.target.dispatchEvent(new RTCDataChannelEvent('datachannel', { channel }));
            announceDataChannelOpen(channel);
          });
        },
      },
    ),
  };
  entries.set(s, entry);
  t.setRider(entry.endpoint.association);
  entry.endpoint.association.connect(now());
  t.wake();
}

/** A DTLS record: one SCTP packet. */
export function dtlsData(s: PeerConnectionSlots, t: JsepTransport, record: Buffer): void {
  const entry = entries.get(s);
  if (entry === undefined || entry.transport !== t) return;
  entry.endpoint.association.handlePacket(record, now());
  t.wake();
}

/**
 * DTLS began a new association (the peer's fingerprints or the role changed): the SCTP
 * association ends without a word (nothing can carry it) and a new one starts once the
 * new DTLS association is up (dtlsConnected).
 */
export function dtlsRestarted(s: PeerConnectionSlots, t: JsepTransport): void {
  const entry = entries.get(s);
  if (entry === undefined || entry.transport !== t) return;
  entries.delete(s);
  t.setRider(undefined);
  entry.replaced = true;
  entry.endpoint.association.abort(now());
}

/** DTLS closed or failed: the association ends with it. */
export function dtlsEnded(s: PeerConnectionSlots, t: JsepTransport): void {
  const entry = entries.get(s);
  if (entry === undefined || entry.transport !== t) return;
  entry.endpoint.association.abort(now());
}

/** "The RTCSctpTransport connected procedure". */
function connected(s: PeerConnectionSlots, entry: SctpEntry): void {
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null || entries.get(s) !== entry) return;
  entry.connected = true;
  const association = entry.endpoint.association;
  setSctpConnected(sctp, Math.min(association.inboundStreams, association.outboundStreams));
  // Each channel gets an id if it has none and is announced open from a task of its own,
  // or is closed with a data-channel-failure when its id is beyond the streams.
  for (const channel of [...s.dataChannels]) {
    connectDataChannel(channel, entry.endpoint, hostOf(s));
  }
  sctp.dispatchEvent(new Event('statechange'));
}

function associationClosed(s: PeerConnectionSlots, entry: SctpEntry, _reason: CloseReason): void {
  if (entries.get(s) === entry) {
    entries.delete(s);
    entry.transport.setRider(undefined);
  }
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null) return;
  if (entry.replaced) {
    // Its open channels closed with it; the ones still connecting wait for the next one.
    if (setSctpState(sctp, 'connecting')) sctp.dispatchEvent(new Event('statechange'));
    return;
  }
  // Channels that never reached the association close with it.
  for (const channel of [...s.dataChannels]) {
    if (channel.readyState === 'connecting') failDataChannel(channel);
  }
  if (setSctpState(sctp, 'closed')) sctp.dispatchEvent(new Event('statechange'));
}

/**
 * "Close the connection": every channel is closed at once without events, and the
 * association ends with an ABORT the peer sees before DTLS close_notify. The transport is
 * "closed" at once; the "closed" row of RTCSctpTransportState also queues the update for
 * an association closed by closing the connection, whose task fires statechange (the
 * editors' reading, w3c/webrtc-pc#3126) unless the connection disappears.
 */
export function closeSctp(s: PeerConnectionSlots, disappear: boolean): void {
  for (const channel of s.dataChannels) closeDataChannelAbruptly(channel);
  const entry = entries.get(s);
  entries.delete(s);
  if (entry) {
    entry.endpoint.association.abort(now(), 'the RTCPeerConnection was closed');
    entry.transport.setRider(undefined);
  }
  const sctp = s.sctpTransport;
  if (sctp && setSctpState(sctp, 'closed') && !disappear)
    queueTask(() => sctp.dispatchEvent(new Event('statechange')));
}

/** RTCDataChannelStats of the connection's channels, from the counters each channel keeps. */
export function dataChannelStats(
  s: PeerConnectionSlots,
  timestamp: number,
  idOf: (channel: RTCDataChannel) => string,
): RTCDataChannelStats[] {
  return s.dataChannels.map((channel) => {
    const stats: RTCDataChannelStats = {
      id: idOf(channel),
      type: 'data-channel',
      timestamp,
      label: channel.label,
      protocol: channel.protocol,
      state: channel.readyState,
      ...dataChannelCounters(channel),
    };
    if (channel.id !== null) stats.dataChannelIdentifier = channel.id;
    return stats;
  });
}
