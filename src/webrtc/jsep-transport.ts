/**
 * One transport of a peer connection (RFC 9429 §5.10-5.11, RFC 8843): the ICE agent
 * (src/ice) and the DTLS connection over it (src/dtls) that one m= section or a BUNDLE
 * group uses, with the W3C RTCIceTransport and RTCDtlsTransport that show them.
 *
 * The data path: ICE hands non-STUN datagrams up (RFC 7983 demultiplexing happens in the
 * agent); DTLS takes them and hands records to the SCTP association of the data channels
 * (sctp-transport.ts). The DTLS connection (and the association) share one DeadlineTimer;
 * the ICE agent has its own. close() releases sockets and timers.
 *
 * Changes are reported to a TransportListener (transport-events.ts), which runs the W3C
 * algorithms in queued tasks.
 */
import { randomBytes } from 'node:crypto';
import type { DtlsFailure } from '../dtls/alert.js';
import { DtlsConnection, type DtlsTransportState } from '../dtls/connection.js';
import type { DtlsCertificate } from '../dtls/credentials.js';
import type { DtlsFingerprint } from '../dtls/fingerprint.js';
import { SrtpProtectionProfile } from '../dtls/srtp.js';
import type {
  IceCandidateError,
  IceGatheringState,
  IceRole,
  IceTransportState,
} from '../ice/agent.js';
import type { Candidate } from '../ice/candidate.js';
import type { CandidatePair } from '../ice/pair.js';
import { type StunServerUrl, UdpIceAgent } from '../ice/udp-agent.js';
import { DeadlineTimer, now } from '../net/timer.js';
import type { TurnServer } from '../turn/turn-socket.js';
import { createDtlsTransport, type RTCDtlsTransport } from './RTCDtlsTransport.js';
import { createIceTransport, iceTransportSlots, type RTCIceTransport } from './RTCIceTransport.js';

export type DtlsRole = 'client' | 'server';

/**
 * The use_srtp profiles we offer, in Chromium's order: the profile RFC 8827 §6.5 makes
 * mandatory first, then the AEAD ones. Chromium picks the first as server, so a session
 * gets the same profile whichever side is the DTLS server (and what webrtc-pc's tests
 * expect in srtpCipher).
 */
const SRTP_PROFILES = [
  SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
  SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
];

export interface TransportListener {
  gatheringStateChanged(t: JsepTransport, state: IceGatheringState): void;
  candidateGathered(t: JsepTransport, candidate: Candidate): void;
  candidateError(t: JsepTransport, error: IceCandidateError): void;
  iceStateChanged(t: JsepTransport, state: IceTransportState): void;
  selectedPairChanged(t: JsepTransport, pair: CandidatePair): void;
  roleChanged(t: JsepTransport, role: IceRole): void;
  dtlsStateChanged(
    t: JsepTransport,
    state: DtlsTransportState,
    failure: DtlsFailure | undefined,
  ): void;
  /** A DTLS application data record (an SCTP packet). */
  dtlsData(t: JsepTransport, record: Buffer): void;
  /** The DTLS association was dropped for a new one (RFC 8842 §5); called synchronously. */
  dtlsRestarted(t: JsepTransport): void;
}

export interface TransportOptions {
  stunServers: readonly StunServerUrl[];
  /** The turn: and turns: servers of the configuration, for relayed candidates. */
  turnServers: readonly TurnServer[];
  /**
   * iceTransportPolicy 'relay' (read at each gathering and restart, as a new policy
   * applies from the next gathering phase): only relayed candidates.
   */
  relayOnly: () => boolean;
  /** The certificate, read when DTLS starts (it may be generated after the transport exists). */
  certificate: () => DtlsCertificate;
}

/** RFC 8839 §5.4 ice-char: ALPHA / DIGIT / "+" / "/". */
const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function iceString(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ICE_CHARS[b & 63];
  return s;
}

/** New ICE credentials: a 4-character ufrag and a 24-character password, as browsers make them. */
export function newIceCredentials(): { ufrag: string; pwd: string } {
  return { ufrag: iceString(4), pwd: iceString(24) };
}

function closeAgent(agent: UdpIceAgent): void {
  agent.close();
}

/** Datagrams kept for a DTLS connection not started yet (a ClientHello racing the answer). */
const MAX_EARLY_DATAGRAMS = 8;

export class JsepTransport {
  readonly ice: RTCIceTransport = createIceTransport();
  readonly dtls: RTCDtlsTransport = createDtlsTransport(this.ice);
  /** The mid of the m= section carrying this transport: the sdpMid of its candidates. */
  mid: string;
  localUfrag: string;
  localPwd: string;
  remoteUfrag: string | undefined;
  /**
   * The remote addresses (or mDNS names) the application gave: the only ones its statistics
   * may show (W3C webrtc-stats, RTCIceCandidateStats.address).
   */
  readonly signalledAddresses = new Set<string>();
  dtlsRole: DtlsRole | undefined;
  /** Gathering was started for the current local credentials. */
  gathering = false;
  /** webrtc-stats selectedCandidatePairChanges. */
  selectedPairChanges = 0;
  /**
   * In the ICE candidate pool (RFC 9429 §3.5.4): gathering before any description. What
   * it reports waits here until a description takes the transport.
   */
  pooled: (() => void)[] | undefined;
  closed = false;
  readonly agent: UdpIceAgent;
  connection: DtlsConnection | undefined;
  readonly #listener: TransportListener;
  readonly #options: TransportOptions;
  readonly #timer: DeadlineTimer;
  #early: Buffer[] = [];
  /** The peer signalled the end of its candidates for its current credentials. */
  #remoteEnded = false;
  #remoteFingerprints: DtlsFingerprint[] = [];
  /** The fingerprints the current connection checks the peer against. */
  #connectionFingerprints: DtlsFingerprint[] = [];
  /** Something riding on DTLS (the SCTP association) that the shared timer also drives. */
  #rider: { nextDeadline(): number | undefined; handleTimeout(now: number): void } | undefined;

  constructor(
    listener: TransportListener,
    options: TransportOptions,
    mid: string,
    ufrag: string,
    pwd: string,
  ) {
    this.mid = mid;
    this.localUfrag = ufrag;
    this.localPwd = pwd;
    this.#listener = listener;
    this.#options = options;
    this.#timer = new DeadlineTimer(this.#onTimer);
    iceTransportSlots(this.ice).localParameters = { usernameFragment: ufrag, password: pwd };
    this.agent = new UdpIceAgent({
      localParameters: { usernameFragment: ufrag, password: pwd },
      stunServers: options.stunServers,
      turnServers: options.turnServers,
      relayOnly: options.relayOnly,
      onLocalCandidate: (c) => this.#listener.candidateGathered(this, c),
      // 'gathering' is reported when gathering is asked for (below), not once the
      // sockets are bound, so that every transport of a description starts together.
      onGatheringStateChange: (state) => {
        if (state === 'complete') this.#listener.gatheringStateChanged(this, state);
      },
      onStateChange: (state) => this.#onIceState(state),
      onSelectedPairChange: (pair) => {
        this.selectedPairChanges++;
        this.connection?.resendFlight(now());
        this.#listener.selectedPairChanged(this, pair);
      },
      onRoleChange: (role) => this.#listener.roleChanged(this, role),
      onCandidateError: (error) => this.#listener.candidateError(this, error),
      onData: (data) => this.#onDatagram(data),
    });
  }

  /** Candidates gathered so far for the current credentials. */
  gatheredCandidates(): Candidate[] {
    return this.agent.agent.localCandidates;
  }

  /** Starts gathering a generation of candidates for the local credentials. */
  startGathering(): void {
    if (this.closed || this.gathering) return;
    this.gathering = true;
    this.#listener.gatheringStateChanged(this, 'gathering');
    this.agent.gather().catch(() => {});
  }

  /**
   * ICE restart (RFC 8445 §9): new local credentials and a new gathering generation. Our
   * own restart (an offer) forgets the peer's credentials until its answer brings new
   * ones; answering the peer's restart keeps the new ones its offer brought, with the
   * candidates and end-of-candidates signalled for them.
   */
  restart(ufrag: string, pwd: string, keepRemote: boolean): void {
    if (this.closed) return;
    const p = iceTransportSlots(this.ice).remoteParameters;
    const remote =
      keepRemote && p?.usernameFragment && p.password
        ? { usernameFragment: p.usernameFragment, password: p.password }
        : undefined;
    const agent = this.agent.agent;
    const candidates = remote ? agent.remoteCandidates.filter((c) => c.type !== 'prflx') : [];
    const ended = remote !== undefined && this.#remoteEnded;
    this.localUfrag = ufrag;
    this.localPwd = pwd;
    this.remoteUfrag = undefined;
    this.#remoteEnded = false;
    iceTransportSlots(this.ice).localParameters = { usernameFragment: ufrag, password: pwd };
    this.agent.restart({ usernameFragment: ufrag, password: pwd });
    if (remote) {
      this.remoteUfrag = remote.usernameFragment;
      this.agent.setRemoteParameters(remote);
      for (const c of candidates) this.agent.addRemoteCandidate(c);
      if (ended) this.endOfRemoteCandidates();
    }
    this.gathering = false;
    this.startGathering();
  }

  /** [[IceRole]] once, from the first offer (RFC 8445 §6.1.1); the agent follows it. */
  setRole(controlling: boolean): void {
    const slots = iceTransportSlots(this.ice);
    if (slots.iceRole !== 'unknown') return;
    slots.iceRole = controlling ? 'controlling' : 'controlled';
    try {
      this.agent.agent.role = slots.iceRole;
    } catch {
      // Checks already started with the other role; a role conflict settles it.
    }
  }

  setRemoteParameters(ufrag: string, pwd: string, fingerprints: readonly DtlsFingerprint[]): void {
    if (this.closed) return;
    if (ufrag !== this.remoteUfrag) this.#remoteEnded = false;
    this.remoteUfrag = ufrag;
    iceTransportSlots(this.ice).remoteParameters = { usernameFragment: ufrag, password: pwd };
    this.agent.setRemoteParameters({ usernameFragment: ufrag, password: pwd });
    if (fingerprints.length > 0) {
      this.#remoteFingerprints = [...fingerprints];
      // New fingerprints mean a new association (startDtls), not a check of this one.
      if (this.connection === undefined || this.#sameAssociation(this.dtlsRole!, fingerprints)) {
        this.#setConnectionFingerprints();
      }
    }
  }

  /** A candidate the application signalled (remote description or addIceCandidate). */
  addRemoteCandidate(candidate: Candidate): void {
    if (this.closed) return;
    this.signalledAddresses.add(candidate.address);
    this.agent.addRemoteCandidate(candidate);
  }

  endOfRemoteCandidates(): void {
    if (this.closed) return;
    this.#remoteEnded = true;
    this.agent.endOfRemoteCandidates();
  }

  /**
   * Sets the DTLS role from the answer (RFC 5763 §5); the handshake starts once ICE has
   * a pair. A later answer keeps the association unless it changes the role or the peer's
   * fingerprints (RFC 8842 §5: then a new association replaces it; we send no tls-id).
   */
  startDtls(role: DtlsRole, fingerprints: readonly DtlsFingerprint[]): void {
    if (this.closed) return;
    if (fingerprints.length > 0) this.#remoteFingerprints = [...fingerprints];
    if (this.connection && this.#sameAssociation(role, this.#remoteFingerprints)) {
      this.#setConnectionFingerprints();
      return;
    }
    if (this.connection) {
      // The old association ends silently: its peer may be gone, and its close_notify
      // must not reach the new one.
      const old = this.connection;
      this.connection = undefined;
      old.close();
      this.#listener.dtlsRestarted(this);
    }
    this.dtlsRole = role;
    this.#maybeStartDtls();
  }

  #sameAssociation(role: DtlsRole, fingerprints: readonly DtlsFingerprint[]): boolean {
    const key = (list: readonly DtlsFingerprint[]) =>
      list
        .map((f) => `${f.algorithm.toLowerCase()} ${f.value.toLowerCase()}`)
        .sort()
        .join();
    return role === this.dtlsRole && key(fingerprints) === key(this.#connectionFingerprints);
  }

  #setConnectionFingerprints(): void {
    this.#connectionFingerprints = this.#remoteFingerprints;
    this.connection?.setRemoteFingerprints(this.#remoteFingerprints, now());
    this.#arm();
  }

  /** Sends an SCTP packet as one DTLS record. */
  sendRecord(record: Buffer): void {
    if (this.connection?.state === 'connected') this.connection.send(record);
  }

  /** Lets the shared timer drive `rider` (the SCTP association) too. */
  setRider(
    rider: { nextDeadline(): number | undefined; handleTimeout(now: number): void } | undefined,
  ): void {
    this.#rider = rider;
    this.#arm();
  }

  /** Arms the shared timer for DTLS and its rider. */
  #arm(): void {
    const a = this.connection?.nextDeadline();
    const b = this.#rider?.nextDeadline();
    this.#timer.arm(a === undefined ? b : b === undefined ? a : Math.min(a, b));
  }

  readonly #onTimer = (at: number): void => {
    this.connection?.handleTimeout(at);
    this.#rider?.handleTimeout(at);
    this.#arm();
  };

  /** Called after the rider queued work, so the timer fires for it. */
  wake(): void {
    this.#arm();
  }

  #onIceState(state: IceTransportState): void {
    this.#listener.iceStateChanged(this, state);
    if (state === 'completed') this.connection?.resendFlight(now());
    this.#maybeStartDtls();
  }

  #maybeStartDtls(): void {
    const state = this.agent.agent.state;
    if (
      this.connection ||
      this.dtlsRole === undefined ||
      (state !== 'connected' && state !== 'completed')
    ) {
      return;
    }
    // A replaced connection neither sends nor reports.
    const connection: DtlsConnection = new DtlsConnection({
      role: this.dtlsRole,
      certificate: this.#options.certificate(),
      remoteFingerprints: this.#remoteFingerprints,
      srtpProfiles: SRTP_PROFILES,
      // No cookie exchange (RFC 6347 §4.2.1 makes it a server's choice): the datagrams
      // come over the ICE pair, whose peer answered checks signed with our password, so
      // the round trip would only delay every call's setup.
      helloVerifyRequest: false,
      send: (datagram) => {
        if (this.connection === connection) this.agent.send(datagram);
      },
      onStateChange: (s) => {
        if (this.connection === connection) {
          this.#listener.dtlsStateChanged(this, s, connection.failure);
        }
      },
      onData: (record) => this.#listener.dtlsData(this, record),
    });
    this.connection = connection;
    this.#connectionFingerprints = this.#remoteFingerprints;
    const t = now();
    connection.start(t);
    for (const datagram of this.#early) connection.handleDatagram(datagram, t);
    this.#early = [];
    this.#arm();
  }

  #onDatagram(data: Buffer): void {
    const connection = this.connection;
    if (connection) {
      connection.handleDatagram(data, now());
      this.#arm();
    } else if (this.#early.length < MAX_EARLY_DATAGRAMS) {
      // The view is only valid during the call.
      this.#early.push(Buffer.from(data));
    }
  }

  /**
   * Ends DTLS with close_notify, stops ICE, and releases the sockets and timers. The
   * sockets close one turn of the event loop later: node:dgram sends on the next tick,
   * and the last datagrams (an SCTP ABORT, the close_notify) must leave first.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#rider = undefined;
    this.connection?.close();
    this.#timer.close();
    this.#early = [];
    setImmediate(closeAgent, this.agent);
  }
}
