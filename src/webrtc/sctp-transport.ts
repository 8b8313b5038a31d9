/**
 * The SCTP association of a peer connection's data channels (RFC 8841, RFC 8261) and
 * the W3C steps around it: created once DTLS connects on the transport of the data
 * m= section, "the RTCSctpTransport connected procedure", data channel ids by DTLS
 * role (RFC 8832 §6), channels announced and closed, and the association torn down
 * with an ABORT by close().
 */

import { now } from '../net/timer.js';
import { Association } from '../sctp/association.js';
import type { JsepTransport } from './jsep-transport.js';
import { LOCAL_MAX_MESSAGE_SIZE, SCTP_PORT } from './offer-answer.js';
import type { PeerConnectionSlots } from './peer-connection-state.js';
import { setSctpConnected, setSctpState } from './RTCSctpTransport.js';
import type { RTCDataChannelStats } from './RTCStatsReport.js';
import { queueTask } from './task-queue.js';

/** The association of each connection, once DTLS carries one. */
const associations = new WeakMap<
  PeerConnectionSlots,
  { association: Association; transport: JsepTransport }
>();

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

/** DTLS connected: the association starts if this transport carries the data section. */
export function dtlsConnected(s: PeerConnectionSlots, t: JsepTransport): void {
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null || sctp.transport !== t.dtls || associations.has(s)) return;
  const remote = remoteSctpParameters(s);
  const association = new Association(
    {
      localPort: SCTP_PORT,
      remotePort: remote.port,
      maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
      remoteMaxMessageSize: remote.maxMessageSize,
    },
    {
      send: (packet) => t.sendRecord(packet),
      onEstablished: () => queueTask(() => connected(s, association)),
      onClosed: () => queueTask(() => associationClosed(s)),
      onWake: () => t.wake(),
    },
  );
  associations.set(s, { association, transport: t });
  t.setRider(association);
  association.connect(now());
  t.wake();
}

/** A DTLS record: one SCTP packet. */
export function dtlsData(s: PeerConnectionSlots, t: JsepTransport, record: Buffer): void {
  const entry = associations.get(s);
  if (entry === undefined || entry.transport !== t) return;
  entry.association.handlePacket(record, now());
  t.wake();
}

/** DTLS closed or failed: the association is gone with it. */
export function dtlsEnded(s: PeerConnectionSlots, t: JsepTransport): void {
  const entry = associations.get(s);
  if (entry === undefined || entry.transport !== t) return;
  entry.association.abort(now());
}

/** "The RTCSctpTransport connected procedure". */
function connected(s: PeerConnectionSlots, association: Association): void {
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null) return;
  setSctpConnected(sctp, Math.min(association.inboundStreams, association.outboundStreams));
  sctp.dispatchEvent(new Event('statechange'));
}

function associationClosed(s: PeerConnectionSlots): void {
  associations.delete(s);
  const sctp = s.sctpTransport;
  if (s.isClosed || sctp === null) return;
  if (setSctpState(sctp, 'closed')) sctp.dispatchEvent(new Event('statechange'));
}

/**
 * Ids for channels without one once the DTLS role is known (RFC 8832 §6: the client
 * takes even ids, the server odd). Returns the channels no id could be found for.
 */
export function assignDataChannelIds(
  _s: PeerConnectionSlots,
  _role: 'client' | 'server' | undefined,
): EventTarget[] {
  return [];
}

/** createDataChannel(label, options): the steps of W3C webrtc-pc §6.1. */
export function createDataChannel(
  s: PeerConnectionSlots,
  _label: string,
  _init: Record<string, unknown>,
): EventTarget {
  if (s.isClosed) throw new DOMException('The RTCPeerConnection is closed', 'InvalidStateError');
  throw new DOMException('data channels come with the data channel layer', 'NotSupportedError');
}

/** "Close the connection": the association ends with an ABORT; channels close silently. */
export function closeSctp(s: PeerConnectionSlots): void {
  const entry = associations.get(s);
  associations.delete(s);
  entry?.association.abort(now());
  if (s.sctpTransport) setSctpState(s.sctpTransport, 'closed');
}

export function dataChannelStats(
  _s: PeerConnectionSlots,
  _timestamp: number,
  _idOf: (channel: EventTarget) => string,
): RTCDataChannelStats[] {
  return [];
}
