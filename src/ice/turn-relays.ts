/**
 * Relayed candidates (RFC 8445 §5.1.1.2, RFC 8656) for the ICE agent on Node sockets: one
 * TURN allocation per TURN server and host address. Over UDP the allocation shares the host
 * candidate's socket, as browsers do, so the Allocate response's XOR-MAPPED-ADDRESS is that
 * host candidate's server-reflexive address and is offered as one; over TCP and TLS the
 * allocation has its own connection from the host address.
 *
 * - Relayed candidates: type preference 0, local preference by the transport to the server
 *   (UDP above TCP above TLS, as browsers rank them), related address the mapped address
 *   (unspecified under the relay policy), relayProtocol and url as W3C RTCIceCandidate
 *   reports them.
 * - Checks and data of pairs whose local candidate is relayed go through the allocation:
 *   permissions are asked for each remote candidate as it comes (and for any address data
 *   goes to), and a channel is bound once such a pair is selected.
 * - Failures while gathering become W3C icecandidateerror reports: the server's error code
 *   once per URL and code, 701 once per URL when no host address could reach it. The local
 *   address is reported only when it is exposed in a host candidate.
 * - Allocations belong to the host sockets they were made from, so each ICE generation
 *   (which gathers on new sockets) allocates anew; an earlier generation's allocations are
 *   released with its sockets (release()), and all of them on close.
 */
import { ipFamily, type TransportAddress } from '../net/address.js';
import type { Allocation } from '../turn/client.js';
import {
  type TurnCoreOptions,
  type TurnServer,
  type TurnServerError,
  TurnSocket,
} from '../turn/turn-socket.js';
import type { IceAgent, IceCandidateError } from './agent.js';
import type { CandidateBase } from './base.js';
import type { Candidate } from './candidate.js';
import type { CandidatePair } from './pair.js';

/** The relayed candidate's base: data for the peer goes through the allocation. */
export class RelayBase implements CandidateBase {
  readonly protocol = 'udp';
  constructor(
    readonly turn: TurnSocket,
    readonly address: string,
    readonly port: number,
    /** The host socket the allocation was made from. */
    readonly host: CandidateBase,
  ) {}
  send(data: Uint8Array, address: string, port: number): void {
    this.turn.send(data, address, port);
  }
}

/** The relay protocol's share of the local preference: UDP over TCP over TLS. */
const RELAY_PREFERENCE = { udp: 2, tcp: 1, tls: 0 } as const;

export interface TurnRelaysOptions {
  servers: readonly TurnServer[];
  agent: IceAgent;
  now(): number;
  /** Re-arms the agent's timer after input. */
  arm(): void;
  onCandidateError?(error: IceCandidateError): void;
  /** For turns: servers: CAs to trust, or no verification (tests). */
  ca?: string | Buffer | (string | Buffer)[];
  rejectUnauthorized?: boolean;
  /** Timing and bounds of the TURN clients. */
  turn?: TurnCoreOptions;
}

export interface RelayGathering {
  /** Whether host candidates are signalled, so that errors may quote the local address. */
  exposeHosts: boolean;
  /**
   * Offer the Allocate responses' mapped addresses, as server-reflexive candidates and as
   * the relayed candidates' related addresses. Otherwise (the relay policy, which exists
   * to keep the peer from learning our addresses) the related address is unspecified, as
   * browsers send it.
   */
  serverReflexive: boolean;
}

interface Relay {
  server: TurnServer;
  /** Position among the relays, for the local preference. */
  order: number;
  host: CandidateBase;
  turn: TurnSocket;
  base: RelayBase | undefined;
  state: 'allocating' | 'allocated' | 'failed';
  /** The gathering round that waits for this allocation, and its hold on the agent. */
  round: number;
  release: ((now: number) => void) | undefined;
}

interface UrlStatus {
  pending: number;
  reached: boolean;
  codes: Set<number>;
}

export class TurnRelays {
  readonly #options: TurnRelaysOptions;
  readonly #relays = new Map<string, Relay>();
  /** Relays by the host socket they share, for routing the servers' datagrams. */
  readonly #shared = new Map<CandidateBase, Relay[]>();
  #round = 0;
  #gathering: RelayGathering = { exposeHosts: true, serverReflexive: true };
  #status = new Map<string, UrlStatus>();
  #closed = false;

  constructor(options: TurnRelaysOptions) {
    this.#options = options;
  }

  /**
   * A gathering round on `hosts` (the UDP host candidates' bases): `start` starts the
   * agent's gathering once the allocations still to come hold it open.
   */
  gather(hosts: readonly CandidateBase[], gathering: RelayGathering, start: () => void): void {
    if (this.#closed) return;
    const round = ++this.#round;
    this.#gathering = gathering;
    this.#status = new Map();
    const ready: Relay[] = [];
    let order = 0;
    for (const server of this.#options.servers) {
      for (const host of hosts) {
        const family = ipFamily(server.host);
        if (family !== undefined && family !== ipFamily(host.address)) continue;
        const key = `${server.url} ${host.address} ${host.port}`;
        let relay = this.#relays.get(key);
        if (relay === undefined || relay.state === 'failed') {
          relay = this.#allocate(server, host, order);
          this.#relays.set(key, relay);
        }
        order++;
        relay.round = round;
        if (relay.state === 'allocated') ready.push(relay);
        else {
          relay.release?.(this.#options.now());
          relay.release = this.#options.agent.holdGathering();
          const status = this.#status.get(server.url) ?? {
            pending: 0,
            reached: false,
            codes: new Set(),
          };
          status.pending++;
          this.#status.set(server.url, status);
        }
      }
    }
    start();
    for (const relay of ready) this.#offer(relay);
    this.#options.arm();
  }

  /**
   * A datagram on a host socket: true when it came from a TURN server sharing that socket
   * (and was handed to its allocation). Binding responses stay with the agent: a TURN server
   * is also asked for server-reflexive candidates from the same socket, and the TURN client
   * sends no Binding requests. Per packet: a couple of comparisons.
   */
  route(host: CandidateBase, data: Buffer, address: string, port: number): boolean {
    const relays = this.#shared.get(host);
    if (relays === undefined || isBindingResponse(data)) return false;
    for (let i = 0; i < relays.length; i++) {
      const turn = relays[i]!.turn;
      if (turn.matches(address, port)) {
        turn.receive(data);
        return true;
      }
    }
    return false;
  }

  /**
   * A remote candidate: each allocation of the current round and of its family asks the
   * server for a permission.
   */
  permit(candidate: Candidate): void {
    const family = ipFamily(candidate.address);
    if (family === undefined) return;
    for (const relay of this.#relays.values())
      if (relay.round === this.#round && relay.base && ipFamily(relay.base.address) === family)
        relay.turn.createPermissions([candidate.address]);
  }

  /** The selected pair: through a relay, its data goes on a channel (RFC 8656 §12). */
  selected(pair: CandidatePair): void {
    const base = pair.local.base;
    if (base instanceof RelayBase) base.turn.bindChannel(pair.remote.address, pair.remote.port);
  }

  /**
   * Releases the allocations made from `hosts` (an earlier generation's sockets); resolves
   * once each was answered or its closeTimeout passed, and the sockets may close.
   */
  release(hosts: readonly CandidateBase[]): Promise<void> {
    const now = this.#options.now();
    const closing: Promise<void>[] = [];
    for (const [key, relay] of this.#relays) {
      if (!hosts.includes(relay.host)) continue;
      this.#relays.delete(key);
      relay.release?.(now);
      relay.release = undefined;
      closing.push(relay.turn.close().then(() => this.#unshare(relay)));
    }
    return Promise.all(closing).then(() => {});
  }

  #unshare(relay: Relay): void {
    const list = this.#shared.get(relay.host);
    const i = list?.indexOf(relay) ?? -1;
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.#shared.delete(relay.host);
  }

  /** Releases every allocation (each waits at most its closeTimeout for the answer). */
  close(): Promise<void> {
    this.#closed = true;
    const now = this.#options.now();
    const closing: Promise<void>[] = [];
    for (const relay of this.#relays.values()) {
      relay.release?.(now);
      relay.release = undefined;
      closing.push(relay.turn.close());
    }
    this.#relays.clear();
    this.#shared.clear();
    return Promise.all(closing).then(() => {});
  }

  #allocate(server: TurnServer, host: CandidateBase, order: number): Relay {
    const o = this.#options;
    const shared = !server.secure && server.transport === 'udp';
    const relay: Relay = {
      server,
      order,
      host,
      turn: undefined as unknown as TurnSocket,
      base: undefined,
      state: 'allocating',
      round: 0,
      release: undefined,
    };
    relay.turn = new TurnSocket({
      ...o.turn,
      server,
      localAddress: host.address,
      shared: shared
        ? {
            local: { address: host.address, port: host.port },
            send: (message, address, port) => host.send(message, address, port),
          }
        : undefined,
      ca: o.ca,
      rejectUnauthorized: o.rejectUnauthorized,
      onAllocated: (allocation) => this.#allocated(relay, allocation),
      onData: (data, address, port) => {
        if (relay.base === undefined) return;
        o.agent.handlePacket(relay.base, data, address, port, o.now());
        if (data[0]! < 4) o.arm(); // STUN moves the agent's deadlines; data does not
      },
      onError: (error) => this.#failed(relay, error),
    });
    if (shared) {
      const list = this.#shared.get(host) ?? [];
      list.push(relay);
      this.#shared.set(host, list);
    }
    relay.turn.allocate().catch(() => {}); // failures arrive through onError
    return relay;
  }

  #allocated(relay: Relay, allocation: Allocation): void {
    if (this.#closed) return;
    relay.state = 'allocated';
    relay.base = new RelayBase(
      relay.turn,
      allocation.relayed.address,
      allocation.relayed.port,
      relay.host,
    );
    if (relay.round === this.#round) {
      this.#settle(relay, undefined);
      this.#offer(relay);
    }
    this.#releaseHold(relay);
    // Permissions for the remote candidates already known.
    const family = ipFamily(allocation.relayed.address);
    const peers = this.#options.agent.remoteCandidates
      .filter((c) => ipFamily(c.address) === family)
      .map((c) => c.address);
    if (peers.length > 0) relay.turn.createPermissions(peers);
    this.#options.arm();
  }

  /** Offers the relayed candidate (and the server-reflexive one) of an allocation. */
  #offer(relay: Relay): void {
    const { agent, now } = this.#options;
    const allocation = relay.turn.allocation;
    const server = relay.turn.serverAddress;
    if (relay.base === undefined || allocation === undefined || server === undefined) return;
    const mapped: TransportAddress = allocation.mapped ?? relay.host;
    const related = this.#gathering.serverReflexive
      ? mapped
      : { address: ipFamily(mapped.address) === 6 ? '::' : '0.0.0.0', port: 0 };
    const protocol = relay.turn.relayProtocol;
    agent.addRelayedCandidate(
      relay.base,
      {
        address: related.address,
        port: related.port,
        serverAddress: server.address,
        localPreference:
          (RELAY_PREFERENCE[protocol] << 13) | (0x1fff - Math.min(relay.order, 0x1fff)),
        relayProtocol: protocol,
        url: relay.server.url,
      },
      now(),
    );
    if (this.#gathering.serverReflexive && protocol === 'udp' && allocation.mapped)
      agent.addServerReflexiveCandidate(
        relay.host,
        allocation.mapped,
        { address: server.address, url: relay.server.url },
        now(),
      );
  }

  #failed(relay: Relay, error: TurnServerError): void {
    // Failures of a peer's permission or channel concern that peer only.
    if (error.peerAddress !== undefined) return;
    const was = relay.state;
    relay.state = 'failed';
    if (was === 'allocating' && relay.round === this.#round && !this.#closed)
      this.#settle(relay, error);
    this.#releaseHold(relay);
    this.#options.arm();
  }

  /** Counts an allocation of this round as done; reports its error as W3C says. */
  #settle(relay: Relay, error: TurnServerError | undefined): void {
    const status = this.#status.get(relay.server.url);
    if (status === undefined) return;
    status.pending--;
    if (error === undefined) {
      status.reached = true;
      return;
    }
    if (error.errorCode !== 701) {
      status.reached = true;
      if (status.codes.has(error.errorCode)) return;
      status.codes.add(error.errorCode);
      this.#report(error);
    } else if (status.pending === 0 && !status.reached) this.#report(error);
  }

  #report(error: TurnServerError): void {
    const exposed = this.#gathering.exposeHosts && error.address !== null;
    this.#options.onCandidateError?.({
      address: exposed ? error.address : null,
      port: exposed ? error.port : null,
      url: error.url,
      errorCode: error.errorCode,
      errorText: error.errorText,
    });
  }

  #releaseHold(relay: Relay): void {
    const release = relay.release;
    relay.release = undefined;
    release?.(this.#options.now());
  }
}

/** A STUN Binding success or error response (RFC 8489 §5: message types 0x0101, 0x0111). */
function isBindingResponse(data: Buffer): boolean {
  return data[0] === 0x01 && (data[1] === 0x01 || data[1] === 0x11);
}
