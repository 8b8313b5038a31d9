/**
 * What the ICE and DTLS transports report, turned into the W3C algorithms of
 * webrtc-pc §5.6 (RTCIceTransport: gathering, "surface a candidate", "change the
 * selected candidate pair and state") and §5.5 (RTCDtlsTransport state and errors),
 * each in a queued task; and the connection's own operations on its transports:
 * creating them, addIceCandidate, closing them, and "close the connection".
 */

import type { DtlsFailure } from '../dtls/alert.js';
import type { DtlsTransportState } from '../dtls/connection.js';
import type {
  IceCandidateError,
  IceGatheringState,
  IceRole,
  IceTransportState,
} from '../ice/agent.js';
import type { Candidate } from '../ice/candidate.js';
import type { CandidatePair } from '../ice/pair.js';
import type { StunServerUrl } from '../ice/udp-agent.js';
import { parseCandidate } from '../sdp/candidate.js';
import type { TurnServer } from '../turn/turn-socket.js';
import { domError, rejectDom } from './dom-errors.js';
import { RTCPeerConnectionIceErrorEvent, RTCPeerConnectionIceEvent } from './events.js';
import { JsepTransport, newIceCredentials, type TransportListener } from './jsep-transport.js';
import {
  deriveConnectionState,
  deriveIceConnectionState,
  deriveIceGatheringState,
  type PeerConnectionSlots,
  updateConnectionState,
} from './peer-connection-state.js';
import { dtlsCertificateOf } from './RTCCertificate.js';
import { closeDtlsSilently, failDtls, updateDtlsState } from './RTCDtlsTransport.js';
import { createIceCandidate, iceCandidateFrom, type RTCIceCandidate } from './RTCIceCandidate.js';
import { createCandidatePair, iceTransportSlots } from './RTCIceTransport.js';
import { stopTransceiver, transceiverSlots } from './RTCRtpTransceiver.js';
import { closeSctp, dtlsConnected, dtlsData, dtlsEnded, dtlsRestarted } from './sctp-transport.js';
import { queueTask } from './task-queue.js';

/** The STUN servers ICE gathers from: stun: URLs, and TURN servers used as STUN servers. */
function stunServers(s: PeerConnectionSlots): StunServerUrl[] {
  return s.iceServers
    .filter((u) => !u.secure && u.transport === 'udp')
    .map((u) => ({ url: u.url, host: u.host, port: u.port }));
}

/** The TURN servers relayed candidates are allocated on (their credentials were checked). */
function turnServers(s: PeerConnectionSlots): TurnServer[] {
  return s.iceServers.flatMap((u) =>
    (u.scheme === 'turn' || u.scheme === 'turns') &&
    u.username !== undefined &&
    u.credential !== undefined
      ? [{ ...u, username: u.username, credential: u.credential }]
      : [],
  );
}

function newTransport(
  s: PeerConnectionSlots,
  mid: string,
  ufrag: string,
  pwd: string,
): JsepTransport {
  return new JsepTransport(
    listenerOf(s),
    {
      stunServers: stunServers(s),
      turnServers: turnServers(s),
      relayOnly: () => s.configuration.iceTransportPolicy === 'relay',
      certificate: () => dtlsCertificateOf(s.certificates[0]!),
    },
    mid,
    ufrag,
    pwd,
  );
}

/** The ICE candidate pool holds at most this many transports, whatever the configuration asks. */
const MAX_POOLED_TRANSPORTS = 4;

/** Pre-gathering for iceCandidatePoolSize (RFC 9429 §3.5.4), before any description. */
export function startCandidatePool(s: PeerConnectionSlots): void {
  const size = Math.min(s.configuration.iceCandidatePoolSize, MAX_POOLED_TRANSPORTS);
  while (s.candidatePool.length < size) {
    const { ufrag, pwd } = newIceCredentials();
    const transport = newTransport(s, '', ufrag, pwd);
    transport.pooled = [];
    s.candidatePool.push(transport);
    transport.startGathering();
  }
  while (s.candidatePool.length > size) s.candidatePool.pop()!.close();
}

/** Pooled credentials for a new transport, if the pool has a transport to spare. */
export function pooledCredentials(
  s: PeerConnectionSlots,
  taken: ReadonlySet<string>,
): { ufrag: string; pwd: string } | undefined {
  const t = s.candidatePool.find((x) => !taken.has(x.localUfrag));
  return t && { ufrag: t.localUfrag, pwd: t.localPwd };
}

/** A transport for section `mid`: the pooled one with these credentials, or a new one. */
export function createTransport(
  s: PeerConnectionSlots,
  mid: string,
  ufrag: string,
  pwd: string,
): JsepTransport {
  const index = s.candidatePool.findIndex((t) => t.localUfrag === ufrag);
  if (index < 0) {
    const transport = newTransport(s, mid, ufrag, pwd);
    s.transports.add(transport);
    return transport;
  }
  const [transport] = s.candidatePool.splice(index, 1) as [JsepTransport];
  transport.mid = mid;
  s.transports.add(transport);
  const held = transport.pooled ?? [];
  transport.pooled = undefined;
  for (const report of held) report();
  return transport;
}

/** RFC 9429 §5.11: the candidates left in the pool are discarded with the answer. */
export function discardCandidatePool(s: PeerConnectionSlots): void {
  for (const t of s.candidatePool) t.close();
  s.candidatePool = [];
}

const listeners = new WeakMap<PeerConnectionSlots, TransportListener>();

/** Runs `report` now, or once the pooled transport `t` is taken by a description. */
function whenTaken(t: JsepTransport, report: () => void): void {
  if (t.pooled) t.pooled.push(report);
  else report();
}

function listenerOf(s: PeerConnectionSlots): TransportListener {
  let listener = listeners.get(s);
  if (listener === undefined) {
    listener = {
      gatheringStateChanged: (t, state) => whenTaken(t, () => gatheringStateChanged(s, t, state)),
      candidateGathered: (t, candidate) => {
        const ufrag = t.localUfrag;
        whenTaken(t, () => queueTask(() => candidateAvailable(s, t, candidate, ufrag)));
      },
      candidateError: (t, error) =>
        whenTaken(t, () => queueTask(() => candidateError(s, t, error))),
      iceStateChanged: (t, state) => queueTask(() => changePairAndState(s, t, state, undefined)),
      selectedPairChanged: (t, pair) => queueTask(() => changePairAndState(s, t, undefined, pair)),
      roleChanged: (t, role: IceRole) =>
        queueTask(() => {
          if (!s.isClosed) iceTransportSlots(t.ice).iceRole = role;
        }),
      dtlsStateChanged: (t, state, failure) => {
        // The association starts at once: the peer's first SCTP packets may follow its
        // last handshake flight in the same breath, before a task could run.
        if (state === 'connected' && !s.isClosed && !t.closed) dtlsConnected(s, t);
        queueTask(() => dtlsStateChanged(s, t, state, failure));
      },
      dtlsData: (t, record) => dtlsData(s, t, record),
      dtlsRestarted: (t) => dtlsRestarted(s, t),
    };
    listeners.set(s, listener);
  }
  return listener;
}

/** The index of the m= section `mid` in the local description, for sdpMLineIndex. */
function localIndex(s: PeerConnectionSlots, mid: string): number | null {
  const d = s.pendingLocalDescription ?? s.currentLocalDescription;
  const index = d?.jsep.sections.findIndex((x) => x.mid === mid) ?? -1;
  return index < 0 ? null : index;
}

/** Whether a local description represents the generation `ufrag` of transport `t`. */
function represented(s: PeerConnectionSlots, t: JsepTransport, ufrag: string): boolean {
  return (
    (s.pendingLocalDescription?.hasGeneration(t.mid, ufrag) ?? false) ||
    (s.currentLocalDescription?.hasGeneration(t.mid, ufrag) ?? false)
  );
}

/** The ICE agent began or finished gathering a generation. */
function gatheringStateChanged(
  s: PeerConnectionSlots,
  t: JsepTransport,
  state: IceGatheringState,
): void {
  const ufrag = t.localUfrag;
  if (state === 'gathering') {
    queueTask(() => {
      if (s.isClosed || t.closed) return;
      setGathererState(s, t, 'gathering');
    });
  } else if (state === 'complete') {
    // First task: a=end-of-candidates and the "" candidate of this generation.
    queueTask(() => {
      if (s.isClosed || t.closed) return;
      for (const d of [s.pendingLocalDescription, s.currentLocalDescription]) {
        if (d?.hasGeneration(t.mid, ufrag)) d.addEndOfCandidates(t.mid);
      }
      const candidate = createIceCandidate({
        candidate: '',
        sdpMid: t.mid,
        sdpMLineIndex: localIndex(s, t.mid),
        usernameFragment: ufrag,
      });
      s.target.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
    });
    // Second task, as no other generation is gathering on this transport.
    queueTask(() => {
      if (s.isClosed || t.closed || t.localUfrag !== ufrag) return;
      const changed = setGathererState(s, t, 'complete');
      if (changed && s.iceGatheringState === 'complete') {
        s.target.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
      }
    });
  }
}

/** Sets [[IceGathererState]], derives the connection's, fires the events; returns whether the connection's changed. */
function setGathererState(
  s: PeerConnectionSlots,
  t: JsepTransport,
  state: 'gathering' | 'complete',
): boolean {
  iceTransportSlots(t.ice).iceGathererState = state;
  const before = s.iceGatheringState;
  s.iceGatheringState = deriveIceGatheringState(s);
  const changed = s.iceGatheringState !== before;
  t.ice.dispatchEvent(new Event('gatheringstatechange'));
  if (changed) s.target.dispatchEvent(new Event('icegatheringstatechange'));
  return changed;
}

/** "A new ICE candidate is available": surfaced now, or kept until a description represents its generation. */
function candidateAvailable(
  s: PeerConnectionSlots,
  t: JsepTransport,
  candidate: Candidate,
  ufrag: string,
): void {
  if (s.isClosed || t.closed) return;
  if (represented(s, t, ufrag)) surfaceCandidate(s, t, candidate, ufrag);
  else s.earlyCandidates.push({ transport: t, candidate, ufrag });
}

/** "Release early candidates". */
export function releaseEarlyCandidates(s: PeerConnectionSlots): void {
  for (const { transport, candidate, ufrag } of s.earlyCandidates) {
    queueTask(() => {
      if (!s.isClosed && !transport.closed && represented(s, transport, ufrag)) {
        surfaceCandidate(s, transport, candidate, ufrag);
      }
    });
  }
  s.earlyCandidates = [];
}

/** "Surface the candidate". */
function surfaceCandidate(
  s: PeerConnectionSlots,
  t: JsepTransport,
  candidate: Candidate,
  ufrag: string,
): void {
  if (s.isClosed) return;
  for (const d of [s.pendingLocalDescription, s.currentLocalDescription]) {
    if (d?.hasGeneration(t.mid, ufrag)) d.addCandidate(t.mid, candidate);
  }
  const newCandidate = iceCandidateFrom(candidate, {
    sdpMid: t.mid,
    sdpMLineIndex: localIndex(s, t.mid),
    usernameFragment: ufrag,
  });
  iceTransportSlots(t.ice).localCandidates.push(newCandidate);
  s.target.dispatchEvent(
    new RTCPeerConnectionIceEvent('icecandidate', { candidate: newCandidate }),
  );
}

function candidateError(s: PeerConnectionSlots, t: JsepTransport, error: IceCandidateError): void {
  if (s.isClosed || t.closed) return;
  s.target.dispatchEvent(
    new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
      address: error.address,
      port: error.port,
      url: error.url,
      errorCode: error.errorCode,
      errorText: error.errorText,
    }),
  );
}

function candidateObject(
  s: PeerConnectionSlots,
  t: JsepTransport,
  c: Candidate,
  local: boolean,
): RTCIceCandidate {
  return iceCandidateFrom(c, {
    sdpMid: t.mid,
    sdpMLineIndex: localIndex(s, t.mid),
    ...(local ? { usernameFragment: t.localUfrag } : {}),
  });
}

/** "Change the selected candidate pair and state" (for a state change or a pair change). */
function changePairAndState(
  s: PeerConnectionSlots,
  t: JsepTransport,
  state: IceTransportState | undefined,
  pair: CandidatePair | undefined,
): void {
  if (s.isClosed || t.closed) return;
  const slots = iceTransportSlots(t.ice);
  let pairChanged = false;
  let transportChanged = false;
  let connectionIceChanged = false;
  let connectionChanged = false;
  if (pair !== undefined) {
    slots.selectedCandidatePair = createCandidatePair(
      candidateObject(s, t, pair.local.candidate, true),
      candidateObject(s, t, pair.remote, false),
    );
    pairChanged = true;
  }
  if (state !== undefined && state !== slots.iceTransportState) {
    slots.iceTransportState = state;
    transportChanged = true;
    const ice = deriveIceConnectionState(s);
    connectionIceChanged = ice !== s.iceConnectionState;
    s.iceConnectionState = ice;
    const connection = deriveConnectionState(s);
    connectionChanged = connection !== s.connectionState;
    s.connectionState = connection;
  }
  if (pairChanged) t.ice.dispatchEvent(new Event('selectedcandidatepairchange'));
  if (transportChanged) t.ice.dispatchEvent(new Event('statechange'));
  if (connectionIceChanged) s.target.dispatchEvent(new Event('iceconnectionstatechange'));
  if (connectionChanged) s.target.dispatchEvent(new Event('connectionstatechange'));
}

/** The DTLS transport's state change (or failure), then "update the connection state". */
function dtlsStateChanged(
  s: PeerConnectionSlots,
  t: JsepTransport,
  state: DtlsTransportState,
  failure: DtlsFailure | undefined,
): void {
  if (s.isClosed || t.closed) return;
  const changed =
    state === 'failed'
      ? failDtls(
          t.dtls,
          failure?.errorDetail ?? 'dtls-failure',
          failure?.message ?? 'DTLS failed',
          {
            ...(failure?.receivedAlert === undefined
              ? {}
              : { receivedAlert: failure.receivedAlert }),
            ...(failure?.sentAlert === undefined ? {} : { sentAlert: failure.sentAlert }),
          },
        )
      : updateDtlsState(t.dtls, state, certificatesOf(t));
  if (!changed) return;
  updateConnectionState(s);
  if (state === 'closed' || state === 'failed') dtlsEnded(s, t);
}

function certificatesOf(t: JsepTransport): Buffer[] | undefined {
  const der = t.connection?.remoteCertificate;
  return der === undefined ? undefined : [der];
}

/**
 * Transports no m= section uses any more (bundled away, rejected, rolled back) are
 * closed; their W3C objects turn 'closed' in a queued task, with events.
 */
export function transportsReleased(
  s: PeerConnectionSlots,
  released: Iterable<JsepTransport>,
): void {
  const closing = [...released].filter((t) => !t.closed);
  if (closing.length === 0) return;
  for (const t of closing) {
    s.transports.delete(t);
    t.close();
  }
  queueTask(() => {
    if (s.isClosed) return;
    for (const t of closing) {
      const ice = iceTransportSlots(t.ice);
      if (ice.iceTransportState !== 'closed') {
        ice.iceTransportState = 'closed';
        ice.selectedCandidatePair = null;
        t.ice.dispatchEvent(new Event('statechange'));
      }
      updateDtlsState(t.dtls, 'closed');
    }
  });
}

/**
 * Derives the connection's gathering, ICE connection and connection states again, with
 * events: run when a description changed the set of transports ("the state may advance
 * directly from one state to another").
 */
export function updateAggregateStates(s: PeerConnectionSlots): void {
  const gathering = deriveIceGatheringState(s);
  const ice = deriveIceConnectionState(s);
  const gatheringChanged = gathering !== s.iceGatheringState;
  const iceChanged = ice !== s.iceConnectionState;
  s.iceGatheringState = gathering;
  s.iceConnectionState = ice;
  const connection = deriveConnectionState(s);
  const connectionChanged = connection !== s.connectionState;
  s.connectionState = connection;
  if (gatheringChanged) s.target.dispatchEvent(new Event('icegatheringstatechange'));
  if (iceChanged) s.target.dispatchEvent(new Event('iceconnectionstatechange'));
  if (connectionChanged) s.target.dispatchEvent(new Event('connectionstatechange'));
}

/** addIceCandidate's chained steps (W3C webrtc-pc §4.4.1.6), with RFC 8838 end-of-candidates. */
export function addRemoteCandidate(
  s: PeerConnectionSlots,
  init: {
    candidate: string;
    sdpMid: string | null;
    sdpMLineIndex: number | null;
    usernameFragment: string | null;
  },
): Promise<void> {
  const remote = s.pendingRemoteDescription ?? s.currentRemoteDescription;
  if (remote === null) return rejectDom('InvalidStateError', 'There is no remote description');
  const sections = remote.jsep.sections;
  let index: number | undefined;
  if (init.sdpMid !== null) {
    index = sections.findIndex((x) => x.mid === init.sdpMid);
    if (index < 0) return rejectDom('OperationError', `No m= section has mid ${init.sdpMid}`);
  } else if (init.sdpMLineIndex !== null) {
    if (init.sdpMLineIndex >= sections.length) {
      return rejectDom('OperationError', `No m= section has index ${init.sdpMLineIndex}`);
    }
    index = init.sdpMLineIndex;
  }
  const section = index === undefined ? undefined : sections[index];
  if (section?.mid !== undefined) {
    const transceiver = s.transceivers.find((x) => transceiverSlots(x).jsepMid === section.mid);
    if (transceiver && transceiverSlots(transceiver).stopped) return Promise.resolve();
  }
  if (init.usernameFragment !== null) {
    const ufrags = [s.pendingRemoteDescription, s.currentRemoteDescription]
      .flatMap((d) => (d ? (section ? [d.jsep.sections[section.index]] : d.jsep.sections) : []))
      .map((x) => x?.transport.iceUfrag);
    if (!ufrags.includes(init.usernameFragment)) {
      return rejectDom('OperationError', 'The usernameFragment matches no remote description');
    }
  }
  let candidate: Candidate | undefined;
  if (init.candidate !== '') {
    const parsed = parseCandidate(init.candidate);
    if (!parsed.ok) {
      // "Could not be successfully added": rejected in a task.
      return new Promise((_, reject) =>
        queueTask(() => {
          if (!s.isClosed)
            reject(domError('OperationError', `The candidate does not parse: ${parsed.error}`));
        }),
      );
    }
    candidate = parsed.candidate;
  }
  const targets =
    section === undefined ? sections.filter((x) => !x.rejected && x.mid !== undefined) : [section];
  for (const target of targets) {
    const transport = s.transportByMid.get(target.mid ?? '');
    if (!transport) continue;
    if (candidate === undefined) transport.endOfRemoteCandidates();
    else if (!prohibited(candidate)) transport.addRemoteCandidate(candidate);
  }
  return new Promise((resolve) =>
    queueTask(() => {
      if (s.isClosed) return;
      for (const d of [s.pendingRemoteDescription, s.currentRemoteDescription]) {
        if (d === null) continue;
        for (const target of targets) {
          const mid = target.mid;
          if (mid === undefined) continue;
          const ufrag =
            init.usernameFragment ?? d.jsep.sections.find((x) => x.mid === mid)?.transport.iceUfrag;
          if (ufrag === undefined || !d.hasGeneration(mid, ufrag)) continue;
          if (candidate === undefined) d.addEndOfCandidates(mid);
          else d.addCandidate(mid, candidate);
        }
      }
      if (candidate !== undefined && section?.mid !== undefined) {
        const transport = s.transportByMid.get(section.mid);
        if (transport) {
          iceTransportSlots(transport.ice).remoteCandidates.push(
            iceCandidateFrom(candidate, { sdpMid: section.mid, sdpMLineIndex: section.index }),
          );
        }
      }
      resolve();
    }),
  );
}

/**
 * "Administratively prohibited" candidates: addresses on the Fetch bad-port list, which
 * the UA MUST NOT connect to. They resolve like any other, but ICE never sees them.
 */
export function prohibited(c: Candidate): boolean {
  return BAD_PORTS.has(c.port);
}

/** Fetch "bad port" list. */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** "Close the connection" with `disappear`: no events fire at the connection. */
export function closeConnection(s: PeerConnectionSlots, disappear: boolean): void {
  if (s.isClosed) return;
  s.isClosed = true;
  s.signalingState = 'closed';
  for (const transceiver of s.transceivers) {
    const t = transceiverSlots(transceiver);
    if (!t.stopped) stopTransceiver(t, disappear);
  }
  // Channels close abruptly; SCTP ABORT goes out before DTLS close_notify.
  closeSctp(s, disappear);
  for (const t of s.transports) {
    closeDtlsSilently(t.dtls);
    t.close();
    const ice = iceTransportSlots(t.ice);
    ice.iceTransportState = 'closed';
    ice.selectedCandidatePair = null;
  }
  s.transports.clear();
  for (const t of s.candidatePool) t.close();
  s.candidatePool = [];
  s.iceConnectionState = 'closed';
  s.connectionState = 'closed';
}
