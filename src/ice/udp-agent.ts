/**
 * The ICE agent on node:dgram: one UDP socket per local address (the host candidates'
 * bases), one DeadlineTimer, STUN server names resolved with node:dns, TURN allocations
 * for relayed candidates (turn-relays.ts), mDNS (src/net/mdns.ts) for remote `.local`
 * candidates and, when asked, for hiding our host addresses behind such names. close()
 * releases every socket, allocation and the timer.
 *
 * mDNS (draft-ietf-mmusic-mdns-ice-candidates §3.2): a remote candidate whose address is
 * one label followed by `.local` is resolved and then used; one that does not resolve in
 * `mdnsTimeout` is dropped. The end of remote candidates waits for the resolutions.
 *
 * TCP host candidates (RFC 6544, tcp-bases.ts), when `tcp` asks for them: a passive one per
 * address, that peers' active candidates (browsers gather them) connect to, and an active
 * one that connects to peers' passive candidates. Off by default, as a server usually
 * wants; browsers gather TCP candidates by default.
 *
 * iceTransportPolicy 'relay' (W3C RTCIceTransportPolicy): only relayed candidates are
 * gathered and signalled; the host sockets stay bound for the allocations that share them
 * but carry no checks of their own.
 *
 * Each ICE generation gathers on new sockets (new ports) and allocates anew, as browsers
 * do. RFC 8445 §9 lets a new generation reuse candidates, but a peer that restarts pairs
 * its new candidates with our previous ones before our answer comes, and libwebrtc keeps
 * the credentials of such a connection: a new candidate at the same address and port would
 * never be checked with the new ones. The previous generation's sockets and allocations
 * stay while the selected pair leaves from them, and close once a new pair is selected.
 *
 * Many agents on one port (servers) would route datagrams here by the local ufrag in the
 * USERNAME of STUN requests and by the remote address of known pairs; the agent core
 * already takes its bases from outside, so such a router only needs to replace this file.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { ipFamily } from '../net/address.js';
import { hostAddresses } from '../net/interfaces.js';
import { acquireMdns, type MdnsUser } from '../net/mdns.js';
import { DeadlineTimer, now } from '../net/timer.js';
import { bindUdp } from '../net/udp.js';
import type { TurnCoreOptions, TurnServer } from '../turn/turn-socket.js';
import {
  IceAgent,
  type IceAgentOptions,
  type IceCandidateError,
  type StunServer,
} from './agent.js';
import type { CandidateBase } from './base.js';
import type { Candidate } from './candidate.js';
import type { IceParameters } from './credentials.js';
import { ActiveTcpBase, PassiveTcpBase, type TcpBase, type TcpBaseOptions } from './tcp-bases.js';
import { RelayBase, TurnRelays } from './turn-relays.js';

/** A STUN server as an RTCIceServer url gives it: the host may be a name. */
export interface StunServerUrl {
  url: string;
  host: string;
  port: number;
}

export interface UdpIceAgentOptions extends IceAgentOptions {
  stunServers?: readonly StunServerUrl[];
  /** Local addresses to bind; by default every usable one (src/net/interfaces.ts). */
  addresses?: readonly string[];
  /** Loopback addresses: true, false, or 'auto' (only when nothing else is up; the default). */
  loopback?: boolean | 'auto';
  /** Socket buffer sizes in bytes (4 MiB by default). */
  recvBufferSize?: number;
  sendBufferSize?: number;
  /** turn: and turns: servers (src/webrtc/configuration.ts IceServerUrl entries). */
  turnServers?: readonly TurnServer[];
  /** iceTransportPolicy 'relay'; read at each gathering, as a new policy applies to the next one. */
  relayOnly?: boolean | (() => boolean);
  /** turns: certificate checks: CAs to trust instead of Node's, or false to skip (tests only). */
  turnCa?: string | Buffer | (string | Buffer)[];
  turnRejectUnauthorized?: boolean;
  /** TURN client timing and bounds (retransmissions, lifetime, queue limits). */
  turn?: TurnCoreOptions;
  /**
   * Signal host candidates under random `<uuid>.local` names answered over mDNS, as
   * browsers do, instead of their addresses. Off by default.
   */
  mdns?: boolean;
  /** How long a remote `.local` name may take to resolve, ms (5000). */
  mdnsTimeout?: number;
  /** TCP host candidates: true for passive and active ones, or each chosen. Off by default. */
  tcp?: boolean | { passive?: boolean; active?: boolean };
  /** Bounds of the TCP candidates' connections. */
  tcpOptions?: TcpBaseOptions;
}

/** A `.local` name as mDNS candidates carry it: one label, then `.local`. */
const MDNS_NAME = /^[^.]{1,63}\.local$/i;

class UdpBase implements CandidateBase {
  readonly protocol = 'udp';
  closed = false;
  constructor(
    readonly socket: Socket,
    readonly address: string,
    readonly port: number,
    readonly name: string | undefined,
  ) {}
  send(data: Uint8Array, address: string, port: number): void {
    if (!this.closed) this.socket.send(data, port, address);
  }
}

/** A generation's bases: the UDP host sockets, then the TCP candidates on the same addresses. */
interface Bases {
  udp: UdpBase[];
  tcp: TcpBase[];
}

export class UdpIceAgent {
  /** The sans-IO core: states, candidates, pairs and their statistics. */
  readonly agent: IceAgent;
  readonly #options: UdpIceAgentOptions;
  readonly #timer: DeadlineTimer;
  /** The current generation's bases, bound when it first gathers. */
  #bases: Promise<Bases> | undefined;
  /** Earlier generations' bases, kept while the selected pair leaves from one of them. */
  #earlier: Bases[] = [];
  readonly #relays: TurnRelays | undefined;
  #mdns: MdnsUser | undefined;
  /** The mDNS name of each host address, the same in every generation. */
  readonly #names = new Map<string, string>();
  /** Server URLs reported unreachable (701) in this gathering. */
  #unreachable = new Set<string>();
  /** Remote `.local` names being resolved, and whether the end of candidates waits for them. */
  #resolving = 0;
  #endWaiting = false;
  #closed = false;

  constructor(options: UdpIceAgentOptions = {}) {
    this.#options = options;
    this.agent = new IceAgent({
      ...options,
      onSelectedPairChange: (pair) => {
        this.#relays?.selected(pair);
        this.#retire();
        options.onSelectedPairChange?.(pair);
      },
      onCandidateError: this.#candidateError,
    });
    if (options.turnServers?.length)
      this.#relays = new TurnRelays({
        servers: options.turnServers,
        agent: this.agent,
        now,
        arm: () => this.#arm(),
        onCandidateError: this.#candidateError,
        ca: options.turnCa,
        rejectUnauthorized: options.turnRejectUnauthorized,
        turn: options.turn,
      });
    this.#timer = new DeadlineTimer((at) => {
      // The timer may fire for a deadline that has gone (a transaction answered meanwhile):
      // then the agent has nothing to do, and an idle connection's wake-ups stay cheap.
      const due = this.agent.nextDeadline();
      if (due !== undefined && due <= at) this.agent.handleTimeout(at);
      this.#arm();
    });
  }

  /**
   * Binds the generation's sockets (once per generation) and starts gathering. Resolves
   * when gathering has started; candidates arrive through onLocalCandidate.
   */
  async gather(): Promise<void> {
    this.#unreachable = new Set();
    this.#bases ??= this.#bind();
    const relayOnly = this.#relayOnly();
    const [bases, servers] = await Promise.all([
      this.#bases,
      relayOnly ? [] : this.#resolveServers(),
    ]);
    if (this.#closed) return;
    const start = () => {
      if (relayOnly) this.agent.gather([], now());
      else this.agent.gather([...bases.udp, ...bases.tcp], now(), servers);
    };
    if (this.#relays)
      this.#relays.gather(
        bases.udp,
        { exposeHosts: !relayOnly && !this.#options.mdns, serverReflexive: !relayOnly },
        start,
      );
    else start();
    this.#arm();
  }

  setRemoteParameters(parameters: IceParameters): void {
    this.agent.setRemoteParameters(parameters, now());
    this.#arm();
  }

  addRemoteCandidate(candidate: Candidate): void {
    if (this.#closed) return;
    if (MDNS_NAME.test(candidate.address)) {
      // W3C: under the relay policy, candidates needing resolution are prohibited.
      if (!this.#relayOnly()) this.#resolve(candidate);
      return;
    }
    this.#relays?.permit(candidate);
    this.agent.addRemoteCandidate(candidate, now());
    this.#arm();
  }

  endOfRemoteCandidates(): void {
    if (this.#resolving > 0) {
      this.#endWaiting = true;
      return;
    }
    this.agent.endOfRemoteCandidates(now());
    this.#arm();
  }

  /** New local credentials; call gather() to gather for them, on new sockets. */
  restart(parameters?: IceParameters): void {
    this.#endWaiting = false;
    this.agent.restart(now(), parameters, { relayOnly: this.#relayOnly() });
    const previous = this.#bases;
    this.#bases = undefined;
    void previous?.then((bases) => {
      this.#earlier.push(bases);
      this.#retire();
    });
    this.#arm();
  }

  /** Sends on the selected pair; false when there is none. */
  send(data: Uint8Array): boolean {
    return this.agent.send(data, now());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.agent.close();
    this.#timer.close();
    // The deallocations leave on the host sockets before these close.
    void this.#relays?.close();
    void this.#bases?.then(closeBases);
    for (const bases of this.#earlier) closeBases(bases);
    this.#earlier = [];
    this.#mdns?.release();
  }

  /**
   * W3C RTCPeerConnectionIceErrorEvent: 701 only once per server URL in a gathering, though
   * a turn: URL over UDP is asked for both a server-reflexive and a relayed candidate.
   */
  readonly #candidateError = (error: IceCandidateError): void => {
    if (error.errorCode === 701) {
      if (this.#unreachable.has(error.url)) return;
      this.#unreachable.add(error.url);
    }
    this.#options.onCandidateError?.(error);
  };

  /**
   * Closes the earlier generations' sockets, and releases their allocations first, except
   * the one the selected pair leaves from.
   */
  #retire(): void {
    const pair = this.agent.selectedPair;
    let inUse = this.#closed ? undefined : pair?.local.base;
    if (inUse instanceof RelayBase) inUse = inUse.host;
    const kept: Bases[] = [];
    for (const bases of this.#earlier) {
      if (bases.udp.some((b) => b === inUse) || bases.tcp.some((b) => b === inUse)) {
        kept.push(bases);
        continue;
      }
      const released = this.#closed ? undefined : this.#relays?.release(bases.udp);
      if (released) void released.then(() => closeBases(bases));
      else closeBases(bases);
    }
    this.#earlier = kept;
  }

  #resolve(candidate: Candidate): void {
    this.#mdns ??= acquireMdns();
    this.#resolving++;
    void this.#mdns
      .resolve(candidate.address, this.#options.mdnsTimeout ?? 5000)
      .then((address) => {
        this.#resolving--;
        if (this.#closed) return;
        if (address !== undefined) this.addRemoteCandidate({ ...candidate, address });
        if (this.#resolving === 0 && this.#endWaiting) {
          this.#endWaiting = false;
          this.endOfRemoteCandidates();
        }
      });
  }

  #relayOnly(): boolean {
    const policy = this.#options.relayOnly;
    return typeof policy === 'function' ? policy() : (policy ?? false);
  }

  #arm(): void {
    this.#timer.arm(this.agent.nextDeadline());
  }

  async #bind(): Promise<Bases> {
    const addresses =
      this.#options.addresses ??
      hostAddresses({ loopback: this.#options.loopback ?? 'auto' }).map((a) => a.address);
    const sockets = await Promise.allSettled(
      addresses.map((address) =>
        bindUdp({
          address,
          recvBufferSize: this.#options.recvBufferSize,
          sendBufferSize: this.#options.sendBufferSize,
        }),
      ),
    );
    const bases: UdpBase[] = [];
    for (const result of sockets) {
      if (result.status !== 'fulfilled') continue; // an address that cannot be bound is skipped
      const socket = result.value;
      const { address, port } = socket.address();
      let name: string | undefined;
      if (this.#options.mdns && !this.#closed) {
        name = this.#names.get(address);
        if (name === undefined) {
          name = `${randomUUID()}.local`;
          this.#names.set(address, name);
          this.#mdns ??= acquireMdns();
          this.#mdns.register(name, address);
        }
      }
      const base = new UdpBase(socket, address, port, name);
      socket.on('message', (data, remote) => {
        if (this.#relays?.route(base, data, remote.address, remote.port)) return;
        this.agent.handlePacket(base, data, remote.address, remote.port, now());
        // Only STUN moves the agent's deadlines; data takes the short path.
        if (data[0]! < 4) this.#arm();
      });
      // Send errors (unreachable networks, ICMP) surface here; ICE copes with the loss.
      socket.on('error', () => {});
      bases.push(base);
    }
    const all = { udp: bases, tcp: await this.#bindTcp(bases) };
    if (this.#closed) closeBases(all);
    return all;
  }

  /** TCP candidates on the addresses the UDP sockets bound, under the same mDNS names. */
  async #bindTcp(udp: readonly UdpBase[]): Promise<TcpBase[]> {
    const tcp = this.#options.tcp;
    if (!tcp) return [];
    const { passive = true, active = true } = tcp === true ? {} : tcp;
    const options = this.#options.tcpOptions ?? {};
    const onPacket = (base: TcpBase, data: Buffer, address: string, port: number) => {
      this.agent.handlePacket(base, data, address, port, now());
      if (data[0]! < 4) this.#arm();
    };
    const bases: TcpBase[] = [];
    for (const { address, name } of udp) {
      if (passive)
        try {
          bases.push(await PassiveTcpBase.listen(address, name, onPacket, options));
        } catch {
          // an address that cannot listen gets no passive candidate
        }
      if (active) bases.push(new ActiveTcpBase(address, name, onPacket, options));
    }
    return bases;
  }

  async #resolveServers(): Promise<StunServer[]> {
    const servers: StunServer[] = [];
    for (const { url, host, port } of this.#options.stunServers ?? []) {
      if (ipFamily(host) !== undefined) {
        servers.push({ url, address: host, port });
        continue;
      }
      try {
        for (const { address } of await lookup(host, { all: true }))
          servers.push({ url, address, port });
      } catch (error) {
        this.#candidateError({
          address: null,
          port: null,
          url,
          errorCode: 701,
          errorText: `cannot resolve ${host}: ${(error as Error).message}`,
        });
      }
    }
    return servers;
  }
}

function closeBases(bases: Bases): void {
  for (const base of bases.udp) {
    if (base.closed) continue;
    base.closed = true;
    base.socket.close();
  }
  for (const base of bases.tcp) base.close();
}
