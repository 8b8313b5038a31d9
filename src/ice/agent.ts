/**
 * The ICE agent (RFC 8445 full implementation, RFC 8838 trickle, RFC 7675 consent
 * freshness, RFC 8863 PAC timer), sans-IO: it sends through the CandidateBase objects it
 * is given, takes packets and the time through handlePacket()/handleTimeout(), and reports
 * through the callbacks of its options. One data stream, one component (RTP/RTCP and
 * BUNDLE multiplexed, as WebRTC does).
 *
 * Choices the RFCs leave to the implementation:
 * - Nomination is regular (RFC 8445 §8.1.1; aggressive nomination is gone from 8445). The
 *   controlling agent nominates the highest-priority valid pair once no higher-priority
 *   pair is still to be checked, or `nominationDelay` ms after the first valid pair.
 * - Data flows on the best valid pair before nomination (§12.1 allows it): that pair is
 *   the selected pair, the state is 'connected', and the nominated pair replaces it.
 *   After an ICE restart the previous selected pair stays until a new one is nominated,
 *   and data from every remote address of the previous generation is taken until then:
 *   the peer may still send on its own best valid pair (§12.2).
 * - 'completed': a pair is nominated, local gathering is complete and the peer said
 *   end-of-candidates.
 * - 'disconnected': see consent.ts; 'failed' when consent expires (30 s without an
 *   authenticated response), or, with no selected pair, when every pair failed, gathering
 *   is complete, end-of-candidates came and the PAC timer ran out. 'failed' stays until a
 *   restart.
 */
import { canonicalIp, ipFamily } from '../net/address.js';
import { demultiplex } from '../net/demux.js';
import type { Timed } from '../net/timer.js';
import {
  ClientTransactions,
  decodeStunMessage,
  IceControlled,
  IceControlling,
  MappedAddress,
  Method,
  Priority,
  StunMessage,
  StunWriter,
  shortTermKey,
  type TransactionResult,
  UseCandidate,
  Username,
  unknownAttributesResponse,
  XorMappedAddress,
} from '../stun/index.js';
import type { CandidateBase } from './base.js';
import {
  type Candidate,
  type CandidateType,
  candidatePriority,
  candidateUfrag,
} from './candidate.js';
import { Checklist } from './checklist.js';
import { ConsentFreshness, type ConsentOptions } from './consent.js';
import { generateIceParameters, type IceParameters } from './credentials.js';
import { Foundations } from './foundation.js';
import { checkError, checkRequest, checkSuccess } from './messages.js';
import { CandidatePair, type LocalCandidate, type PairCredentials } from './pair.js';

export type IceRole = 'controlling' | 'controlled';
export type IceGatheringState = 'new' | 'gathering' | 'complete';
/** W3C RTCIceTransportState. */
export type IceTransportState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'disconnected'
  | 'failed'
  | 'closed';

/** A STUN server, its name already resolved: the url is what error reports quote. */
export interface StunServer {
  url: string;
  address: string;
  port: number;
}

/** What W3C RTCPeerConnectionIceErrorEvent carries. */
export interface IceCandidateError {
  /** The local address used to reach the server. */
  address: string | null;
  port: number | null;
  url: string;
  /** The server's STUN error code, or 701 when no local address could reach it. */
  errorCode: number;
  errorText: string;
}

export interface IceAgentEvents {
  /** A candidate was gathered (host, server-reflexive, relayed), to signal to the peer. */
  onLocalCandidate?(candidate: Candidate): void;
  onGatheringStateChange?(state: IceGatheringState): void;
  onStateChange?(state: IceTransportState): void;
  onSelectedPairChange?(pair: CandidatePair): void;
  /** The role changed to repair a role conflict (RFC 8445 §7.2.5.1, §7.3.1.1). */
  onRoleChange?(role: IceRole): void;
  onCandidateError?(error: IceCandidateError): void;
  /** A non-STUN datagram (DTLS, RTP/RTCP) from a known remote address. A view: copy to keep. */
  onData?(data: Buffer, address: string, port: number): void;
}

export interface IceAgentOptions extends IceAgentEvents {
  /** Settable until checks start; 'controlling' by default. */
  role?: IceRole;
  /** Our ufrag and password; random by default. */
  localParameters?: IceParameters;
  /** 64-bit tie-breaker (§7.3.1.1); random by default. */
  tieBreaker?: bigint;
  /** Pacing of new STUN transactions, ms (RFC 8445 §14.2: 50). */
  ta?: number;
  /** Minimum initial RTO of transactions, ms (500). */
  rto?: number;
  /** Controlling agent: longest wait for better pairs before nominating, ms (1000). */
  nominationDelay?: number;
  /** Remote candidates kept per generation; more are dropped (100). */
  maxRemoteCandidates?: number;
  /** Candidate pairs in the checklist (RFC 8445 §6.1.2.5: 100). */
  maxPairs?: number;
  /** RFC 8863 PAC timer, ms (39500: a check transaction's whole life). */
  pacTimeout?: number;
  /** Server-reflexive bindings are refreshed this often until nomination, ms (15000, Tr). */
  keepaliveInterval?: number;
  consent?: ConsentOptions;
  /** Randomness for consent jitter; Math.random by default (tests pass a seeded one). */
  random?: () => number;
}

interface CheckJob {
  kind: 'check' | 'consent';
  generation: number;
  pair: CandidatePair;
  credentials: PairCredentials;
  role: IceRole;
  useCandidate: boolean;
  sentAt: number;
}

interface GatherJob {
  kind: 'gather';
  generation: number;
  host: LocalCandidate;
  server: StunServer;
  /** A keepalive of an existing server-reflexive binding (§5.1.1.4): no candidate, no report. */
  refresh: boolean;
}

type Job = CheckJob | GatherJob;

/** Where a reflexive or relayed candidate comes from: its related address and server. */
interface RelatedAddress {
  address: string;
  port: number;
  /** The STUN or TURN server's IP address, for the foundation (§5.1.1.3). */
  serverAddress: string;
  /** The server's URL and the relay's transport, as W3C RTCIceCandidate reports them. */
  url?: string;
  relayProtocol?: 'udp' | 'tcp' | 'tls';
}

interface ServerStatus {
  pending: number;
  reached: boolean;
  first: LocalCandidate;
}

const ROLE_SWITCH: Readonly<Record<IceRole, IceRole>> = {
  controlling: 'controlled',
  controlled: 'controlling',
};

export class IceAgent implements Timed {
  // RTCIceTransport-level counters (W3C RTCTransportStats), data only.
  packetsSent = 0;
  packetsReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;

  readonly #events: IceAgentEvents;
  readonly #ta: number;
  readonly #rto: number;
  readonly #nominationDelay: number;
  readonly #maxRemoteCandidates: number;
  readonly #maxPairs: number;
  readonly #pacTimeout: number;
  readonly #keepaliveInterval: number;
  readonly #consentOptions: ConsentOptions;
  readonly #random: () => number;
  readonly #transactions: ClientTransactions<Job>;
  readonly #foundations = new Foundations();

  #role: IceRole;
  #tieBreaker: bigint;
  #local: IceParameters;
  #localKey: Buffer;
  #remote: (IceParameters & { key: Buffer }) | undefined;
  #generation = 0;
  #checksStarted = false;

  /** Server-reflexive requests of this gathering, for §14.3's RTO. */
  #serverJobs = 0;
  /** Host and relayed candidates by base: where requests arrive and checks leave from. */
  #hostByBase = new Map<CandidateBase, LocalCandidate>();
  /** Host addresses are hidden behind mDNS names this generation. */
  #hidden = false;
  #localCandidates: LocalCandidate[] = [];
  #prflxLocal: LocalCandidate[] = [];
  #remoteCandidates: Candidate[] = [];
  #remoteByKey = new Map<string, Candidate>();
  #remoteEndOfCandidates = false;
  #prflxCount = 0;

  #checklist: Checklist;
  #validPairs: CandidatePair[] = [];
  #nominating: CandidatePair | undefined;
  #concluded = false;
  #firstValidAt: number | undefined;
  #nextTaAt = Number.NEGATIVE_INFINITY;

  #gatherQueue: GatherJob[] = [];
  #gatherInFlight = 0;
  #gatheringHolds = 0;
  #serverStatus = new Map<string, ServerStatus>();
  #srflxJobs: GatherJob[] = [];
  #nextKeepaliveAt = Number.POSITIVE_INFINITY;

  #selected: CandidatePair | undefined;
  #consent: ConsentFreshness | undefined;
  #consentTransaction: Buffer | undefined;
  #consentLost = false;
  #disconnected = false;
  /** After a restart: the previous selected pair stays until a new pair is nominated. */
  #keepSelected = false;
  /** While #keepSelected: the previous generation's remote addresses and local bases. */
  #previousRemotes = new Set<string>();
  #previousBases = new Set<CandidateBase>();

  #pacStart: number | undefined;
  #pacExpired = false;
  #failed = false;
  #closed = false;
  #state: IceTransportState = 'new';
  #gatheringState: IceGatheringState = 'new';

  /** The clock of the call in progress (the transaction callbacks have no `now`). */
  #now = 0;
  /** Where the packet being handled came from, for response matching. */
  #packetBase: CandidateBase | undefined;
  #packetAddress = '';
  #packetPort = 0;

  constructor(options: IceAgentOptions = {}) {
    this.#events = options;
    this.#role = options.role ?? 'controlling';
    this.#tieBreaker = options.tieBreaker ?? randomTieBreaker();
    this.#local = options.localParameters ?? generateIceParameters();
    this.#localKey = shortTermKey(this.#local.password);
    this.#ta = options.ta ?? 50;
    this.#rto = options.rto ?? 500;
    this.#nominationDelay = options.nominationDelay ?? 1000;
    this.#maxRemoteCandidates = options.maxRemoteCandidates ?? 100;
    this.#maxPairs = options.maxPairs ?? 100;
    this.#pacTimeout = options.pacTimeout ?? 39_500;
    this.#keepaliveInterval = options.keepaliveInterval ?? 15_000;
    this.#consentOptions = options.consent ?? {};
    this.#random = options.random ?? Math.random;
    this.#checklist = new Checklist(this.#maxPairs);
    this.#transactions = new ClientTransactions<Job>(
      { transmit: this.#transmit, timeout: this.#timeout },
      { rto: this.#rto },
    );
  }

  // ---- What RTCIceTransport / RTCPeerConnection read ----

  get role(): IceRole {
    return this.#role;
  }

  /** RFC 8445 §6.1.1: set from the offer/answer exchange, before checks start. */
  set role(role: IceRole) {
    if (role === this.#role) return;
    if (this.#checksStarted)
      throw new DOMException('the ICE role is fixed once checks have started', 'InvalidStateError');
    this.#role = role;
    this.#checklist.reorder(role === 'controlling');
  }

  get localParameters(): IceParameters & { iceLite: false } {
    return { ...this.#local, iceLite: false };
  }

  get remoteParameters(): IceParameters | undefined {
    return (
      this.#remote && {
        usernameFragment: this.#remote.usernameFragment,
        password: this.#remote.password,
      }
    );
  }

  /** Gathered candidates of the current generation, in the order they were reported. */
  get localCandidates(): Candidate[] {
    return this.#localCandidates.map((c) => c.candidate);
  }

  /** Remote candidates of the current generation, peer-reflexive ones included. */
  get remoteCandidates(): Candidate[] {
    return [...this.#remoteCandidates];
  }

  /** The pair data goes on. */
  get selectedPair(): CandidatePair | undefined {
    return this.#selected;
  }

  /** The checklist's pairs and the valid pairs outside it, for statistics. */
  get pairs(): CandidatePair[] {
    const out = [...this.#checklist.pairs];
    for (const pair of this.#validPairs) if (!out.includes(pair)) out.push(pair);
    if (this.#selected && !out.includes(this.#selected)) out.push(this.#selected);
    return out;
  }

  get state(): IceTransportState {
    return this.#state;
  }

  get gatheringState(): IceGatheringState {
    return this.#gatheringState;
  }

  // ---- Gathering (RFC 8445 §5.1) ----

  /**
   * Starts gathering on `bases` (bound UDP sockets, in the system's interface order):
   * a host candidate on each, then a server-reflexive one per STUN server of the same
   * family, paced by Ta.
   */
  gather(
    bases: readonly CandidateBase[],
    now: number,
    stunServers: readonly StunServer[] = [],
  ): void {
    this.#enter(now);
    if (this.#closed) throw new DOMException('the ICE agent is closed', 'InvalidStateError');
    if (this.#gatheringState !== 'new') return;
    this.#setGatheringState('gathering');
    this.#hidden = bases.some((base) => base.name !== undefined);
    const preferences = localPreferences(bases);
    bases.forEach((base, i) => {
      const host = this.#addLocal(
        base,
        'host',
        preferences[i]!,
        undefined,
        base.name ?? base.address,
      );
      for (const { url, address, port } of stunServers) {
        const server = { url, address: canonicalIp(address) ?? '', port };
        if (base.protocol !== 'udp' || ipFamily(server.address) !== ipFamily(base.address))
          continue;
        this.#gatherQueue.push({
          kind: 'gather',
          generation: this.#generation,
          host,
          server,
          refresh: false,
        });
        const status = this.#serverStatus.get(server.url) ?? {
          pending: 0,
          reached: false,
          first: host,
        };
        status.pending++;
        this.#serverStatus.set(server.url, status);
      }
    });
    this.#serverJobs = this.#gatherQueue.length;
    this.#update(now);
  }

  /**
   * Adds a relayed candidate whose base is a TURN allocation (RFC 8445 §5.1.1.2): the
   * agent sends through `base` and takes what arrives through it via handlePacket.
   * Pair with holdGathering() so that gathering completes after the allocations.
   */
  addRelayedCandidate(
    base: CandidateBase,
    related: RelatedAddress & { localPreference: number },
    now: number,
  ): void {
    this.#enter(now);
    if (this.#closed) return;
    // §5.1.1.2: a relayed candidate identical to a host candidate is discarded.
    if (
      this.#localCandidates.some(
        (c) => c.candidate.address === base.address && c.candidate.port === base.port,
      )
    )
      return;
    this.#addLocal(base, 'relay', related.localPreference, related);
    this.#update(now);
  }

  /**
   * A server-reflexive candidate learned outside the agent (the XOR-MAPPED-ADDRESS of a TURN
   * Allocate sent from a host candidate's socket, as browsers report it). Dropped when the
   * base has no host candidate this generation or the address is redundant (§5.1.3).
   */
  addServerReflexiveCandidate(
    base: CandidateBase,
    mapped: { address: string; port: number },
    server: { address: string; url: string },
    now: number,
  ): void {
    this.#enter(now);
    const host = this.#hostByBase.get(base);
    if (this.#closed || host?.candidate.type !== 'host') return;
    if (this.#findLocal(base, mapped.address, mapped.port)) return;
    this.#addLocal(
      base,
      'srflx',
      host.localPreference,
      {
        address: host.candidate.address,
        port: host.candidate.port,
        serverAddress: server.address,
        url: server.url,
      },
      mapped.address,
      mapped.port,
    );
    this.#update(now);
  }

  /** Keeps gathering open for a gatherer outside the agent (a TURN allocation); returns its release. */
  holdGathering(): (now: number) => void {
    this.#gatheringHolds++;
    let released = false;
    return (now) => {
      if (released) return;
      released = true;
      this.#enter(now);
      this.#gatheringHolds--;
      this.#update(now);
    };
  }

  // ---- Remote side (RFC 8445 §5.3, RFC 8838) ----

  setRemoteParameters(parameters: IceParameters, now: number): void {
    this.#enter(now);
    if (this.#closed) return;
    if (!parameters.usernameFragment || !parameters.password)
      throw new TypeError('remote ICE parameters need a ufrag and a password');
    const key = shortTermKey(parameters.password);
    if (this.#remote?.usernameFragment === parameters.usernameFragment) {
      this.#remote = { ...parameters, key };
      return;
    }
    // A new remote ufrag is an ICE restart by the peer (RFC 8445 §9).
    if (this.#remote) this.#resetSession(true);
    this.#remote = { ...parameters, key };
    this.#pacStart ??= now;
    // Candidates trickled before the credentials may belong to another generation.
    for (const candidate of [...this.#remoteCandidates]) {
      const ufrag = candidateUfrag(candidate);
      if (ufrag !== undefined && ufrag !== parameters.usernameFragment)
        this.#removeRemote(candidate);
    }
    this.#update(now);
  }

  /**
   * A remote candidate, at any time (trickle). Dropped: candidates for another component or
   * generation, names that are not IP addresses (resolve mDNS names first), repeats, and
   * any beyond the limit.
   */
  addRemoteCandidate(candidate: Candidate, now: number): void {
    this.#enter(now);
    if (this.#closed || candidate.component !== 1) return;
    const address = canonicalIp(candidate.address);
    if (
      address === undefined ||
      !Number.isInteger(candidate.port) ||
      candidate.port <= 0 ||
      candidate.port > 0xffff
    )
      return;
    const ufrag = candidateUfrag(candidate);
    if (ufrag !== undefined && this.#remote && ufrag !== this.#remote.usernameFragment) return;
    const existing = this.#remoteByKey.get(`${address}:${candidate.port}`);
    if (existing) {
      // §7.3.1.3: a signalled candidate replaces the peer-reflexive one learned from a check.
      if (existing.type === 'prflx' && candidate.type !== 'prflx') {
        Object.assign(existing, { ...candidate, address });
        this.#reorder();
      }
      return;
    }
    if (this.#remoteCandidates.length >= this.#maxRemoteCandidates) return;
    const remote: Candidate = { ...candidate, address };
    this.#rememberRemote(remote);
    for (const local of this.#hostByBase.values()) this.#pair(local, remote);
    this.#update(now);
  }

  /** The peer will send no more candidates (RFC 8838 §13). */
  endOfRemoteCandidates(now: number): void {
    this.#enter(now);
    this.#remoteEndOfCandidates = true;
    this.#update(now);
  }

  // ---- ICE restart (RFC 8445 §9) ----

  /**
   * New local credentials and a fresh session; the previous selected pair keeps carrying
   * data (and answering consent with the old credentials) until a new pair is nominated;
   * with `relayOnly`, only if its local candidate is relayed. Gathering starts again with
   * the next gather() call.
   */
  restart(
    now: number,
    parameters: IceParameters = generateIceParameters(),
    options: { relayOnly?: boolean } = {},
  ): void {
    this.#enter(now);
    if (this.#closed) throw new DOMException('the ICE agent is closed', 'InvalidStateError');
    this.#local = parameters;
    this.#localKey = shortTermKey(parameters.password);
    this.#remote = undefined;
    // A restart for the relay policy (W3C iceTransportPolicy 'relay') keeps no pair that
    // would go on sending from a host or server-reflexive candidate.
    this.#resetSession(!options.relayOnly || this.#selected?.local.candidate.type === 'relay');
    this.#hostByBase.clear();
    this.#localCandidates = [];
    this.#gatherQueue = [];
    this.#gatherInFlight = 0;
    this.#serverStatus.clear();
    this.#srflxJobs = [];
    this.#nextKeepaliveAt = Number.POSITIVE_INFINITY;
    this.#setGatheringState('new');
    this.#update(now);
  }

  /** Stops everything; nothing is sent afterwards. The wrapper closes the bases. */
  close(): void {
    this.#closed = true;
    this.#transactions.clear();
    this.#state = 'closed';
  }

  // ---- Data path ----

  /** Sends a datagram on the selected pair; false when there is none (or consent is lost). */
  send(data: Uint8Array, now: number): boolean {
    const pair = this.#selected;
    if (pair === undefined || this.#consentLost || this.#closed) return false;
    pair.local.base.send(data, pair.remote.address, pair.remote.port);
    pair.packetsSent++;
    pair.bytesSent += data.length;
    pair.lastPacketSentTimestamp = now;
    this.packetsSent++;
    this.bytesSent += data.length;
    return true;
  }

  /** A datagram that arrived on `base` from `address`:`port`. */
  handlePacket(
    base: CandidateBase,
    data: Buffer,
    address: string,
    port: number,
    now: number,
  ): void {
    if (this.#closed || data.length === 0) return;
    const kind = demultiplex(data[0]!);
    if (kind === 'dtls' || kind === 'rtp') {
      this.#receiveData(base, data, address, port, now);
      return;
    }
    if (kind !== 'stun') return;
    this.#enter(now);
    const message = decodeStunMessage(data);
    if (!(message instanceof StunMessage)) return;
    if (message.messageClass === 'request') this.#receiveRequest(message, base, address, port, now);
    else if (message.messageClass === 'indication')
      this.#receiveIndication(base, address, port, now);
    else {
      this.#packetBase = base;
      this.#packetAddress = address;
      this.#packetPort = port;
      const result = this.#transactions.handleResponse(message, this.#accept);
      if (result?.context.kind === 'gather')
        this.#gatherResult(result as TransactionResult<GatherJob>);
      else if (result) this.#checkResult(result as TransactionResult<CheckJob>, now);
    }
    this.#update(now);
  }

  // ---- Timed ----

  nextDeadline(): number | undefined {
    if (this.#closed) return undefined;
    let next = this.#transactions.nextDeadline() ?? Number.POSITIVE_INFINITY;
    if (this.#hasWork()) next = Math.min(next, this.#nextTaAt);
    const nominateAt = this.#nominationDeadline();
    if (nominateAt !== undefined) next = Math.min(next, nominateAt);
    if (this.#consent && !this.#consentLost)
      next = Math.min(next, this.#consent.nextDeadline(!this.#disconnected));
    if (this.#pacStart !== undefined && !this.#pacExpired)
      next = Math.min(next, this.#pacStart + this.#pacTimeout);
    if (this.#srflxJobs.length > 0 && !this.#concluded)
      next = Math.min(next, this.#nextKeepaliveAt);
    return next === Number.POSITIVE_INFINITY ? undefined : next;
  }

  handleTimeout(now: number): void {
    if (this.#closed) return;
    this.#enter(now);
    this.#transactions.handleTimeout(now);
    if (this.#pacStart !== undefined && now >= this.#pacStart + this.#pacTimeout)
      this.#pacExpired = true;
    if (!this.#concluded && now >= this.#nextKeepaliveAt) {
      // §5.1.1.4: keep server-reflexive bindings alive until ICE concludes.
      for (const job of this.#srflxJobs) this.#gatherQueue.push({ ...job, refresh: true });
      this.#nextKeepaliveAt = now + this.#keepaliveInterval;
    }
    this.#consentTick(now);
    this.#update(now);
  }

  // ---- Internals: the clock and the state after every input ----

  #enter(now: number): void {
    this.#now = now;
  }

  /** After every input: nominate, pace a transaction, pick the selected pair, derive the states. */
  #update(now: number): void {
    if (this.#closed) return;
    this.#maybeNominate(now);
    this.#pace(now);
    this.#checklist.updateState(this.#validPairs.length > 0);
    this.#updateSelection(now);
    this.#maybeCompleteGathering();
    this.#updateState(now);
  }

  // ---- Local candidates ----

  #addLocal(
    base: CandidateBase,
    type: CandidateType,
    localPreference: number,
    related: RelatedAddress | undefined,
    address = base.address,
    port = base.port,
  ): LocalCandidate {
    const candidate: Candidate = {
      foundation: this.#foundations.get(type, base.address, base.protocol, related?.serverAddress),
      component: 1,
      protocol: base.protocol,
      priority: candidatePriority(type, localPreference),
      address,
      port,
      type,
      extensions: [['ufrag', this.#local.usernameFragment]],
    };
    if (related) {
      // With host addresses hidden behind mDNS names, related addresses would give them
      // away: they are sent unspecified, as browsers do.
      const hide = this.#hidden && type !== 'prflx';
      candidate.relatedAddress = hide
        ? ipFamily(address) === 6
          ? '::'
          : '0.0.0.0'
        : related.address;
      candidate.relatedPort = hide ? 0 : related.port;
      if (related.relayProtocol) candidate.relayProtocol = related.relayProtocol;
      if (related.url) candidate.url = related.url;
    }
    if (base.tcpType) candidate.tcpType = base.tcpType;
    const local: LocalCandidate = { candidate, base, localPreference };
    if (type === 'prflx') {
      this.#prflxLocal.push(local);
      return local;
    }
    this.#localCandidates.push(local);
    if (type === 'host' || type === 'relay') {
      this.#hostByBase.set(base, local);
      for (const remote of this.#remoteCandidates) this.#pair(local, remote);
    }
    this.#events.onLocalCandidate?.(candidate);
    return local;
  }

  /** The local candidate at a transport address on a base (RFC 8445 §7.2.5.3.1). */
  #findLocal(base: CandidateBase, address: string, port: number): LocalCandidate | undefined {
    for (const list of [this.#localCandidates, this.#prflxLocal])
      for (const local of list)
        if (
          local.base === base &&
          local.candidate.port === port &&
          // A host candidate's address may be an mDNS name: its base has the address.
          (local.candidate.type === 'host' ? local.base.address : local.candidate.address) ===
            address
        )
          return local;
    return undefined;
  }

  #gatherResult(result: TransactionResult<GatherJob>): void {
    const job = result.context;
    if (job.generation !== this.#generation || job.refresh) return;
    this.#gatherInFlight--;
    const status = this.#serverStatus.get(job.server.url)!;
    status.pending--;
    status.reached = true;
    if (result.kind === 'error') {
      this.#events.onCandidateError?.({
        ...exposedAddress(job.host),
        url: job.server.url,
        errorCode: result.code,
        errorText: result.reason,
      });
      return;
    }
    if (result.kind !== 'success') return;
    const mapped = result.response.get(XorMappedAddress) ?? result.response.get(MappedAddress);
    // §5.1.3: redundant when a candidate on the same base has this address (a host one, without NAT).
    if (!mapped || this.#findLocal(job.host.base, mapped.address, mapped.port)) return;
    this.#srflxJobs.push(job);
    if (this.#nextKeepaliveAt === Number.POSITIVE_INFINITY)
      this.#nextKeepaliveAt = this.#now + this.#keepaliveInterval;
    this.#addLocal(
      job.host.base,
      'srflx',
      job.host.localPreference,
      {
        address: job.host.candidate.address,
        port: job.host.candidate.port,
        serverAddress: job.server.address,
        url: job.server.url,
      },
      mapped.address,
      mapped.port,
    );
  }

  #gatherTimeout(job: GatherJob): void {
    if (job.generation !== this.#generation || job.refresh) return;
    this.#gatherInFlight--;
    const status = this.#serverStatus.get(job.server.url)!;
    status.pending--;
    // W3C: 701 once per server URL when no local address could reach it.
    if (status.pending === 0 && !status.reached)
      this.#events.onCandidateError?.({
        ...exposedAddress(status.first),
        url: job.server.url,
        errorCode: 701,
        errorText: 'STUN server unreachable: no response to Binding requests',
      });
  }

  #maybeCompleteGathering(): void {
    if (
      this.#gatheringState === 'gathering' &&
      this.#gatherInFlight === 0 &&
      this.#gatheringHolds === 0 &&
      !this.#gatherQueue.some((job) => !job.refresh)
    )
      this.#setGatheringState('complete');
  }

  #setGatheringState(state: IceGatheringState): void {
    if (state === this.#gatheringState) return;
    this.#gatheringState = state;
    this.#events.onGatheringStateChange?.(state);
  }

  // ---- Remote candidates and pairs ----

  #rememberRemote(remote: Candidate): void {
    this.#remoteCandidates.push(remote);
    this.#remoteByKey.set(`${remote.address}:${remote.port}`, remote);
  }

  #removeRemote(remote: Candidate): void {
    this.#remoteCandidates.splice(this.#remoteCandidates.indexOf(remote), 1);
    this.#remoteByKey.delete(`${remote.address}:${remote.port}`);
    this.#checklist.remove((pair) => pair.remote === remote);
  }

  /** §6.1.2.2: same component, same address family, same transport; link-local only with link-local. */
  #pair(local: LocalCandidate, remote: Candidate): CandidatePair | undefined {
    if (local.candidate.protocol !== remote.protocol) return undefined;
    // RFC 6544 §6.2: active with passive, S-O with S-O; a passive candidate only answers,
    // its pairs come from the checks that arrive on it.
    if (remote.protocol === 'tcp') {
      const ours = local.candidate.tcpType;
      const theirs = remote.tcpType;
      if (!((ours === 'active' && theirs === 'passive') || (ours === 'so' && theirs === 'so')))
        return undefined;
    }
    if (ipFamily(local.base.address) !== ipFamily(remote.address)) return undefined;
    if (isLinkLocal(remote.address) !== isLinkLocal(local.base.address)) return undefined;
    return this.#checklist.add(new CandidatePair(local, remote, this.#role === 'controlling'));
  }

  #reorder(): void {
    const controlling = this.#role === 'controlling';
    this.#checklist.reorder(controlling);
    for (const pair of this.#validPairs) pair.updatePriority(controlling);
  }

  // ---- Pacing (RFC 8445 §6.1.4.2, §14) ----

  /** Whether a transaction waits for Ta: a gathering request, or a check we can send. */
  #hasWork(): boolean {
    if (this.#gatherQueue.length > 0) return true;
    return this.#remote !== undefined && this.#checklist.hasNext(!this.#concluded);
  }

  #pace(now: number): void {
    if (now < this.#nextTaAt) return;
    const job = this.#gatherQueue.shift();
    if (job) {
      if (!job.refresh) this.#gatherInFlight++;
      // §14.3: RTO = MAX(500 ms, Ta × number of server-reflexive and relayed candidates).
      const rto = Math.max(this.#rto, this.#ta * this.#serverJobs);
      this.#transactions.start(new StunWriter(Method.Binding, 'request').finish(), job, now, rto);
    } else {
      if (!this.#remote) return;
      const pair = this.#checklist.next(!this.#concluded);
      if (!pair) return;
      this.#check(pair, 'check', now);
    }
    this.#nextTaAt = now + this.#ta;
  }

  /** Sends a connectivity check (§7.2.4) or a consent request (RFC 7675) for `pair`. */
  #check(pair: CandidatePair, kind: 'check' | 'consent', now: number): void {
    const credentials =
      kind === 'consent'
        ? pair.credentials!
        : {
            localUfrag: this.#local.usernameFragment,
            localKey: this.#localKey,
            remoteUfrag: this.#remote!.usernameFragment,
            remoteKey: this.#remote!.key,
          };
    const useCandidate = kind === 'check' && this.#role === 'controlling' && pair.nominating;
    const request = checkRequest({
      username: `${credentials.remoteUfrag}:${credentials.localUfrag}`,
      priority: candidatePriority('prflx', pair.local.localPreference),
      controlling: this.#role === 'controlling',
      tieBreaker: this.#tieBreaker,
      useCandidate,
      key: credentials.remoteKey,
    });
    const job: CheckJob = {
      kind,
      generation: kind === 'consent' ? -1 : this.#generation,
      pair,
      credentials,
      role: this.#role,
      useCandidate,
      sentAt: now,
    };
    this.#checksStarted = true;
    pair.requestsSent++;
    if (kind === 'consent') {
      pair.consentRequestsSent++;
      if (this.#consentTransaction) this.#transactions.cancel(this.#consentTransaction);
      this.#consentTransaction = request.subarray(8, 20);
      this.#transactions.start(request, job, now, this.#rto);
      return;
    }
    if (pair.transactionId) this.#transactions.cancel(pair.transactionId);
    pair.state = 'in-progress';
    pair.transactionId = request.subarray(8, 20);
    // §14.3 (as RFC 5245 had it): RTO = MAX(500 ms, Ta × (Waiting + In-Progress)).
    this.#transactions.start(
      request,
      job,
      now,
      Math.max(this.#rto, this.#ta * this.#checklist.active),
    );
  }

  readonly #transmit = (request: Buffer, job: Job): void => {
    if (job.kind === 'gather') {
      job.host.base.send(request, job.server.address, job.server.port);
      return;
    }
    job.sentAt = this.#now;
    job.pair.local.base.send(request, job.pair.remote.address, job.pair.remote.port);
  };

  readonly #timeout = (job: Job): void => {
    if (job.kind === 'gather') {
      this.#gatherTimeout(job);
      return;
    }
    if (job.kind === 'consent' || job.generation !== this.#generation) return;
    // §7.2.5.2.3
    this.#checkFailed(job);
  };

  /** Whether a response is authentic: integrity with the key the request used, or the server's address. */
  readonly #accept = (response: StunMessage, job: Job): boolean => {
    if (job.kind === 'gather')
      return (
        this.#packetBase === job.host.base &&
        this.#packetAddress === job.server.address &&
        this.#packetPort === job.server.port
      );
    return response.checkIntegrity(job.credentials.remoteKey) === 'ok';
  };

  // ---- Responses to our checks (RFC 8445 §7.2.5) ----

  #checkResult(result: TransactionResult<CheckJob>, now: number): void {
    const job = result.context;
    const pair = job.pair;
    pair.responsesReceived++;
    const symmetric =
      this.#packetBase === pair.local.base &&
      this.#packetAddress === pair.remote.address &&
      this.#packetPort === pair.remote.port;
    if (job.kind === 'consent') {
      if (result.kind === 'success' && symmetric && pair === this.#selected) {
        this.#roundTrip(pair, now - job.sentAt);
        this.#consent?.granted(now);
      }
      return;
    }
    if (job.generation !== this.#generation) return;
    if (result.kind === 'error' && result.code === 487) {
      this.#roleConflict(job);
      return;
    }
    const mapped = result.kind === 'success' ? result.response.get(XorMappedAddress) : undefined;
    // §7.2.5.2: an error, a non-symmetric response or no mapped address fails the pair.
    if (!mapped || !symmetric) {
      this.#checkFailed(job);
      return;
    }

    // §7.2.5.3.1: a mapped address we do not know is a peer-reflexive candidate, its priority
    // the PRIORITY the request carried.
    const local =
      this.#findLocal(pair.local.base, mapped.address, mapped.port) ??
      (this.#prflxLocal.length < this.#maxPairs
        ? this.#addLocal(
            pair.local.base,
            'prflx',
            pair.local.localPreference,
            { address: pair.local.base.address, port: pair.local.base.port, serverAddress: '' },
            mapped.address,
            mapped.port,
          )
        : pair.local);
    // §7.2.5.3.2: the valid pair.
    let valid = pair;
    if (local !== pair.local) {
      valid =
        this.#validPairs.find((p) => p.local === local && p.remote === pair.remote) ??
        new CandidatePair(local, pair.remote, this.#role === 'controlling');
    }
    // §7.2.5.3.3
    pair.state = 'succeeded';
    pair.transactionId = undefined;
    pair.credentials = job.credentials;
    valid.state = 'succeeded';
    valid.credentials = job.credentials;
    valid.checkedPair = pair;
    this.#checklist.unfreeze(pair.foundation);
    if (!valid.valid) {
      valid.valid = true;
      this.#validPairs.push(valid);
    }
    this.#firstValidAt ??= now;
    this.#roundTrip(pair, now - job.sentAt);
    if (valid !== pair) this.#roundTrip(valid, now - job.sentAt);
    // §7.2.5.3.4
    if (job.useCandidate || (this.#role === 'controlled' && pair.nominateOnSuccess))
      valid.nominated = true;
    if (job.useCandidate) pair.nominating = false;
    if (valid === this.#selected) this.#consent?.granted(now);
  }

  #checkFailed(job: CheckJob): void {
    const pair = job.pair;
    pair.state = 'failed';
    pair.transactionId = undefined;
    pair.nominateOnSuccess = false;
    if (job.useCandidate) {
      // §7.2.5.3.4: a failed nomination takes its valid pair out of the valid list; another
      // pair may then be nominated.
      pair.nominating = false;
      if (this.#nominating === pair) this.#nominating = undefined;
      for (const valid of this.#validPairs.filter((p) => p.checkedPair === pair)) {
        valid.valid = false;
        valid.state = 'failed';
        this.#validPairs.splice(this.#validPairs.indexOf(valid), 1);
      }
    }
  }

  /** §7.2.5.1: switch role (unless already switched), new tie-breaker, check the pair again. */
  #roleConflict(job: CheckJob): void {
    if (job.role === this.#role) this.#switchRole(ROLE_SWITCH[job.role]);
    job.pair.transactionId = undefined;
    this.#checklist.enqueue(job.pair);
  }

  #switchRole(role: IceRole): void {
    this.#role = role;
    this.#tieBreaker = randomTieBreaker();
    this.#reorder();
    this.#events.onRoleChange?.(role);
  }

  #roundTrip(pair: CandidatePair, ms: number): void {
    pair.currentRoundTripTime = ms / 1000;
    pair.totalRoundTripTime += ms / 1000;
  }

  // ---- Requests from the peer (RFC 8445 §7.3, RFC 8489 §9.1.3) ----

  #receiveRequest(
    request: StunMessage,
    base: CandidateBase,
    address: string,
    port: number,
    now: number,
  ): void {
    if (request.method !== Method.Binding) return;
    const local = this.#hostByBase.get(base);
    if (!local && !this.#previousBases.has(base)) return;
    const accepted = this.#acceptRequest(request, base, address, port);
    if (!accepted) return;
    const { key, current, remoteUfrag, priority } = accepted;
    base.send(checkSuccess(request, { address, port }, key), address, port);
    const selected = this.#selected;
    const fromSelected =
      selected?.local.base === base &&
      selected.remote.port === port &&
      selected.remote.address === address;
    if (fromSelected) {
      selected.requestsReceived++;
      selected.responsesSent++;
      this.#consent?.received(now);
    }
    // A request of the previous generation only keeps its pairs alive.
    if (!current || !local) return;
    if (this.#remote && remoteUfrag !== this.#remote.usernameFragment) return;

    // §7.3.1.3 peer-reflexive remote candidates
    let remote = this.#remoteByKey.get(`${address}:${port}`);
    if (!remote) {
      if (this.#remoteCandidates.length >= this.#maxRemoteCandidates) return;
      remote = {
        foundation: `prflx${++this.#prflxCount}`,
        component: 1,
        protocol: base.protocol,
        priority,
        address,
        port,
        type: 'prflx',
      };
      this.#rememberRemote(remote);
    }
    // §7.3.1.4 triggered checks
    let pair = this.#checklist.find(base, address, port);
    if (!pair) {
      pair = this.#checklist.add(new CandidatePair(local, remote, this.#role === 'controlling'));
      if (!pair) return;
      this.#checklist.enqueue(pair);
    } else if (pair.state !== 'succeeded') {
      if (pair.state === 'in-progress' && pair.transactionId) {
        this.#transactions.cancel(pair.transactionId);
        pair.transactionId = undefined;
      }
      this.#checklist.enqueue(pair);
    }
    if (!fromSelected) {
      pair.requestsReceived++;
      pair.responsesSent++;
    }
    // §7.3.1.5 nomination by the controlling peer
    if (this.#role === 'controlled' && request.has(UseCandidate.type)) {
      if (pair.state === 'succeeded') {
        for (const valid of this.#validPairs)
          if (valid.checkedPair === pair) valid.nominated = true;
      } else pair.nominateOnSuccess = true;
    }
  }

  /**
   * RFC 8489 §9.1.3 and RFC 8445 §7.3, §7.3.1.1: authenticates a request and settles role
   * conflicts. Every refusal is answered here (400, 401, 420, 487) and leaves no state: an
   * unauthenticated request gets an unsigned answer. Returns what the rest of the
   * processing needs, or undefined when the request was refused.
   */
  #acceptRequest(
    request: StunMessage,
    base: CandidateBase,
    address: string,
    port: number,
  ): { key: Buffer; current: boolean; remoteUfrag: string; priority: number } | undefined {
    const username = request.get(Username);
    if (
      username === undefined ||
      (request.integrityOffset < 0 && request.integritySha256Offset < 0)
    )
      return this.#refuse(base, address, port, checkError(request, 400));
    const colon = username.indexOf(':');
    const ufrag = username.slice(0, colon);
    const current = colon > 0 && ufrag === this.#local.usernameFragment;
    // After a restart, the previous generation's pairs still answer consent, the peer's
    // selected one among them (§9), but only from the addresses that generation knew: a peer
    // restarting pairs its new candidates with our previous ones before it has our answer;
    // were those checks answered, it could nominate such a pair with the old credentials
    // (libwebrtc does) and never check our new candidates.
    const previous = this.#keepSelected ? this.#selected?.credentials : undefined;
    const key = current
      ? this.#localKey
      : ufrag === previous?.localUfrag &&
          this.#previousBases.has(base) &&
          this.#previousRemotes.has(`${address}:${port}`)
        ? previous.localKey
        : undefined;
    if (!key || request.checkIntegrity(key) !== 'ok')
      return this.#refuse(base, address, port, checkError(request, 401));
    const unknown = unknownAttributesResponse(request);
    if (unknown)
      return this.#refuse(
        base,
        address,
        port,
        unknown.addMessageIntegrity(key).addFingerprint().finish(),
      );
    const priority = request.get(Priority);
    if (priority === undefined)
      return this.#refuse(base, address, port, checkError(request, 400, key));
    const theirControlling = request.get(IceControlling);
    const theirControlled = request.get(IceControlled);
    if (this.#role === 'controlling' && theirControlling !== undefined) {
      if (this.#tieBreaker >= theirControlling)
        return this.#refuse(base, address, port, checkError(request, 487, key));
      this.#switchRole('controlled');
    } else if (this.#role === 'controlled' && theirControlled !== undefined) {
      if (this.#tieBreaker < theirControlled)
        return this.#refuse(base, address, port, checkError(request, 487, key));
      this.#switchRole('controlling');
    }
    return { key, current, remoteUfrag: username.slice(colon + 1), priority };
  }

  #refuse(base: CandidateBase, address: string, port: number, response: Buffer): undefined {
    base.send(response, address, port);
    return undefined;
  }

  #receiveIndication(base: CandidateBase, address: string, port: number, now: number): void {
    const selected = this.#selected;
    if (
      selected?.local.base === base &&
      selected.remote.port === port &&
      selected.remote.address === address
    )
      this.#consent?.received(now);
  }

  #receiveData(
    base: CandidateBase,
    data: Buffer,
    address: string,
    port: number,
    now: number,
  ): void {
    const selected = this.#selected;
    if (
      selected?.local.base === base &&
      selected.remote.port === port &&
      selected.remote.address === address
    ) {
      selected.packetsReceived++;
      selected.bytesReceived += data.length;
      selected.lastPacketReceivedTimestamp = now;
      if (this.#consent) {
        this.#consent.lastReceived = now;
        if (this.#disconnected) {
          this.#consent.received(now);
          this.#enter(now);
          this.#update(now);
        }
      }
    } else {
      // Unknown sources are dropped (§12.2: the candidates of the last exchanges are known).
      const key = `${address}:${port}`;
      if (!this.#remoteByKey.has(key) && !this.#previousRemotes.has(key)) return;
    }
    this.packetsReceived++;
    this.bytesReceived += data.length;
    this.#events.onData?.(data, address, port);
  }

  // ---- Nomination and selection (RFC 8445 §8) ----

  #bestValid(): CandidatePair | undefined {
    let best: CandidatePair | undefined;
    for (const pair of this.#validPairs) if (!best || pair.priority > best.priority) best = pair;
    return best;
  }

  /** Controlling: when the best valid pair is worth nominating, or undefined when it is now or never. */
  #nominationDeadline(): number | undefined {
    if (this.#role !== 'controlling' || this.#concluded || this.#nominating || !this.#remote)
      return undefined;
    const best = this.#bestValid();
    if (!best || this.#firstValidAt === undefined) return undefined;
    const better = this.#checklist.pairs.some(
      (p) =>
        p.priority > best.priority &&
        (p.state === 'frozen' || p.state === 'waiting' || p.state === 'in-progress'),
    );
    return better ? this.#firstValidAt + this.#nominationDelay : Number.NEGATIVE_INFINITY;
  }

  #maybeNominate(now: number): void {
    const at = this.#nominationDeadline();
    if (at === undefined || now < at) return;
    // §8.1.1: repeat the check that produced the valid pair, with USE-CANDIDATE.
    const checked = this.#bestValid()!.checkedPair;
    checked.nominating = true;
    this.#nominating = checked;
    this.#checklist.enqueue(checked);
  }

  #updateSelection(now: number): void {
    // RFC 7675 §5.1: with consent lost nothing more is sent; 'failed' stays until a restart.
    if (this.#consentLost) return;
    let nominated: CandidatePair | undefined;
    for (const pair of this.#validPairs)
      if (pair.nominated && (!nominated || pair.priority > nominated.priority)) nominated = pair;
    if (nominated && !this.#concluded) this.#conclude();
    const next =
      nominated ??
      (this.#keepSelected || this.#selected?.nominated ? this.#selected : this.#bestValid());
    if (!next || next === this.#selected) return;
    if (nominated) this.#endPreviousGeneration();
    this.#selected = next;
    this.#consent = new ConsentFreshness(now, now, this.#random, this.#consentOptions);
    this.#consentLost = false;
    this.#disconnected = false;
    this.#events.onSelectedPairChange?.(next);
  }

  /** §8.1.2: with a nominated pair, ordinary checks stop and checks in flight are cancelled. */
  #conclude(): void {
    this.#concluded = true;
    this.#nominating = undefined;
    this.#checklist.state = 'completed';
    for (const pair of this.#checklist.triggered) pair.queued = false;
    this.#checklist.triggered.length = 0;
    for (const pair of this.#checklist.pairs)
      if (pair.state === 'in-progress' && pair.transactionId)
        this.#transactions.cancel(pair.transactionId);
  }

  #consentTick(now: number): void {
    const consent = this.#consent;
    const selected = this.#selected;
    if (!consent || !selected || this.#consentLost) return;
    if (consent.expired(now)) {
      // RFC 7675 §5.1: consent lost; stop sending.
      this.#consentLost = true;
      if (this.#consentTransaction) this.#transactions.remove(this.#consentTransaction);
      return;
    }
    if (now >= consent.nextRequestAt) {
      if (selected.credentials) this.#check(selected, 'consent', now);
      consent.requested(now);
    }
  }

  #updateState(now: number): void {
    this.#setState(this.#computeState(now));
  }

  #computeState(now: number): IceTransportState {
    this.#disconnected = this.#consent?.disconnected(now) ?? false;
    if (this.#consentLost || this.#failed) return 'failed';
    if (this.#selected) {
      if (this.#disconnected) return 'disconnected';
      const completed =
        this.#selected.nominated &&
        !this.#keepSelected &&
        this.#gatheringState === 'complete' &&
        this.#remoteEndOfCandidates;
      return completed ? 'completed' : 'connected';
    }
    const none = this.#remoteCandidates.length === 0;
    if (!none && (!this.#remote || this.#checklist.pending)) return 'checking';
    // Every pair failed, none could be formed, or the peer had no candidate at all.
    if (this.#remote && this.#remoteEndOfCandidates && this.#gatheringState === 'complete') {
      // RFC 8863: not before the PAC timer, unless there was nothing to check from.
      if (!this.#pacExpired && this.#localCandidates.length > 0) return none ? 'new' : 'checking';
      this.#failed = true;
      return 'failed';
    }
    if (none) return 'new';
    // W3C: all existing pairs failed, but more candidates may come.
    return this.#checklist.pairs.length > 0 ? 'disconnected' : 'checking';
  }

  #setState(state: IceTransportState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#events.onStateChange?.(state);
  }

  #endPreviousGeneration(): void {
    this.#keepSelected = false;
    this.#previousRemotes.clear();
    this.#previousBases.clear();
  }

  /** Flushes the session for a restart (ours or the peer's); the selected pair may stay (§9, §12.1). */
  #resetSession(keepSelected: boolean): void {
    for (const pair of [...this.#checklist.pairs, ...this.#validPairs])
      if (pair.transactionId) this.#transactions.remove(pair.transactionId);
    this.#generation++;
    if (!keepSelected || this.#selected === undefined || this.#consentLost) {
      this.#endPreviousGeneration();
      this.#selected = undefined;
      this.#consent = undefined;
      this.#consentLost = false;
    } else if (!this.#keepSelected) {
      // A restart during a restart keeps the generation the selected pair belongs to.
      this.#keepSelected = true;
      this.#previousRemotes = new Set(this.#remoteByKey.keys());
      this.#previousBases = new Set(this.#hostByBase.keys());
    }
    this.#checklist = new Checklist(this.#maxPairs);
    this.#validPairs = [];
    this.#prflxLocal = [];
    this.#remoteCandidates = [];
    this.#remoteByKey.clear();
    this.#remoteEndOfCandidates = false;
    this.#nominating = undefined;
    this.#concluded = false;
    this.#firstValidAt = undefined;
    this.#pacStart = undefined;
    this.#pacExpired = false;
    this.#failed = false;
    this.#checksStarted = false;
  }
}

/** W3C RTCPeerConnectionIceErrorEvent: the local address, or null when it is not exposed. */
function exposedAddress(host: LocalCandidate): { address: string | null; port: number | null } {
  return host.base.name === undefined
    ? { address: host.candidate.address, port: host.candidate.port }
    : { address: null, port: null };
}

/**
 * RFC 8421 §4: IPv6 and IPv4 interleaved, IPv6 first, each family in interface order.
 * TCP candidates (RFC 6544 §4.2): 2^13 · direction preference (active 6, passive 4, S-O 2)
 * + the same order below 2^13, which keeps them under the UDP ones of their type.
 */
function localPreferences(bases: readonly CandidateBase[]): number[] {
  const order = (list: readonly CandidateBase[]) => {
    const v6 = list.filter((b) => ipFamily(b.address) === 6);
    const v4 = list.filter((b) => ipFamily(b.address) !== 6);
    const out: CandidateBase[] = [];
    for (let i = 0; i < Math.max(v6.length, v4.length); i++) {
      if (i < v6.length) out.push(v6[i]!);
      if (i < v4.length) out.push(v4[i]!);
    }
    return out;
  };
  const udp = order(bases.filter((b) => b.protocol === 'udp'));
  const tcp = order(bases.filter((b) => b.protocol === 'tcp'));
  return bases.map((base) =>
    base.protocol === 'tcp'
      ? (TCP_DIRECTION_PREFERENCE[base.tcpType ?? 'so'] << 13) + 8191 - tcp.indexOf(base)
      : 65535 - udp.indexOf(base),
  );
}

const TCP_DIRECTION_PREFERENCE = { active: 6, passive: 4, so: 2 } as const;

function isLinkLocal(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}

function randomTieBreaker(): bigint {
  const bytes = new BigUint64Array(1);
  crypto.getRandomValues(bytes);
  return bytes[0]!;
}
