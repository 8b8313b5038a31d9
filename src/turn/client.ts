/**
 * The TURN client (RFC 8656), sans-IO: one allocation on one server, with its permissions
 * and channel bindings. It takes the server's messages through handleMessage() (a datagram,
 * or one message cut from a TCP/TLS stream by StreamFramer), the time through
 * handleTimeout(), and hands what goes to the server to `send`.
 *
 * - Allocate with the long-term credentials (§7.1): the first request unsigned, the 401
 *   answered, 438 answered with the new nonce; a 300 is reported with the alternate server
 *   for the owner of the transport to follow.
 * - Refresh before expiry (§8): a minute before, or halfway for short lifetimes; close()
 *   sends Refresh LIFETIME 0 and gives up after `closeTimeout`.
 * - Permissions per peer IP (§9), asked for on the first data (or by createPermissions(),
 *   batched), refreshed after 4 minutes while in use; data waits for them in a bounded queue.
 * - Send indications (§11) until bindChannel() has bound a channel (§12), then ChannelData.
 *   The per-packet paths (sendTo, ChannelData in) allocate only the framing and use no closure.
 */
import { canonicalIp, type TransportAddress } from '../net/address.js';
import type { Timed } from '../net/timer.js';
import {
  AlternateDomain,
  AlternateServer,
  ClientTransactions,
  Data,
  decodeStunMessage,
  ErrorCode,
  encodeChannelData,
  Lifetime,
  Method,
  StunMessage,
  type StunWriter,
  XorMappedAddress,
  XorPeerAddress,
  XorRelayedAddress,
} from '../stun/index.js';
import { ChannelBinding } from './channel-binding.js';
import { LongTermCredentials } from './long-term-credentials.js';
import { PERMISSION_LIFETIME, Permission } from './permission.js';
import {
  allocateRequest,
  channelBindRequest,
  createPermissionRequest,
  refreshRequest,
  sendIndication,
} from './requests.js';

/** The transport to the server: UDP, TCP, or TLS over TCP (`turns:`). */
export type TurnTransport = 'udp' | 'tcp' | 'tls';
export type TurnState = 'new' | 'allocating' | 'allocated' | 'closing' | 'closed' | 'failed';

/**
 * The W3C RTCPeerConnectionIceErrorEvent code for a server that cannot be reached: no
 * valid answer in time, a refused connection, a failed TLS handshake.
 */
export const ERROR_UNREACHABLE = 701;

export interface TurnError {
  /** The STUN error code the server answered, or 701 (ERROR_UNREACHABLE). */
  errorCode: number;
  /** The server's reason phrase, or what went wrong. */
  errorText: string;
  /** The method of the request that failed; undefined when the transport failed. */
  method?: number;
  /** The peer of a failed CreatePermission or ChannelBind. */
  peerAddress?: string;
  peerPort?: number;
  /** A 300 (Try Alternate) to an Allocate: the server to try instead (RFC 8489 §10). */
  alternateServer?: TransportAddress;
  /** ...and the name to verify its certificate with over TLS (RFC 8489 §14.16). */
  alternateDomain?: string;
}

export interface Allocation {
  /** The relayed transport address: the relay candidate. */
  relayed: TransportAddress;
  /** Our address as the server saw it: a server-reflexive candidate. */
  mapped: TransportAddress | undefined;
  /** Seconds the server granted. */
  lifetime: number;
}

export interface TurnClientEvents {
  /** One message for the server: a datagram over UDP, the next bytes of the stream over TCP/TLS. */
  send(message: Buffer): void;
  onAllocated?(allocation: Allocation): void;
  /** Data from a peer: a view into the server's message, valid during the call. */
  onData?(data: Buffer, address: string, port: number): void;
  /**
   * A failure. With method Allocate or Refresh, or none (the transport), the allocation is
   * gone (state 'failed'); a CreatePermission or ChannelBind failure concerns one peer.
   */
  onError?(error: TurnError): void;
  /** close() is done: the allocation is released or given up; the transport can close. */
  onClosed?(): void;
}

export interface TurnClientOptions extends TurnClientEvents {
  username: string;
  password: string;
  transport: TurnTransport;
  /** Allocation lifetime to ask for, seconds; the server's default (600) when unset. */
  lifetime?: number;
  /** 6 asks for an IPv6 relayed address (REQUESTED-ADDRESS-FAMILY); IPv4 by default. */
  addressFamily?: 4 | 6;
  /** SOFTWARE in Allocate and Refresh requests. */
  software?: string;
  /** UDP retransmissions (RFC 8489 §6.2.1): initial RTO (500 ms), Rc (7), Rm (16): 39.5 s in all. */
  rto?: number;
  rc?: number;
  rm?: number;
  /** TCP/TLS: how long a request waits for its response (RFC 8489 §6.2.2 Ti: 39500 ms). */
  timeout?: number;
  /** How long close() waits for the deallocation's answer (2000 ms). */
  closeTimeout?: number;
  /** Peer IPs with a permission (128), peers with a channel (64). */
  maxPermissions?: number;
  maxChannels?: number;
  /** Bytes queued for one peer waiting for its permission (64 KiB), and for all (256 KiB). */
  maxQueuedBytesPerPeer?: number;
  maxQueuedBytes?: number;
}

interface Job {
  method: number;
  /** Sent with credentials: its response must pass the integrity check. */
  signed: boolean;
  /** New transactions for this request after 401 and 438 answers. */
  retries: number;
  sentAt: number;
  /** A response failed the integrity check and was dropped (RFC 8489 §9.2.5). */
  discarded: boolean;
  /** Refresh: the LIFETIME asked for (0 deallocates; undefined: the server's default). */
  lifetime?: number;
  permissions?: Permission[];
  /** CreatePermission: already one address per request after a refusal of several. */
  split?: boolean;
  channel?: ChannelBinding;
}

/** 401 and 438 answers one request may get before it is given up. */
const MAX_RETRIES = 4;
/** Permissions due within this window are refreshed together. */
const BATCH_WINDOW = 30_000;
/** XOR-PEER-ADDRESS attributes per CreatePermission: keeps the request far below any MTU. */
const MAX_PEERS_PER_REQUEST = 32;

export class TurnClient implements Timed {
  readonly #events: TurnClientEvents;
  readonly #credentials: LongTermCredentials;
  readonly #transactions: ClientTransactions<Job>;
  readonly #reliable: boolean;
  readonly #lifetime: number | undefined;
  readonly #addressFamily: number | undefined;
  readonly #software: string | undefined;
  readonly #closeTimeout: number;
  readonly #maxPermissions: number;
  readonly #maxChannels: number;
  readonly #maxQueuedBytesPerPeer: number;
  readonly #maxQueuedBytes: number;

  #state: TurnState = 'new';
  #allocation: Allocation | undefined;
  #refreshAt = Number.POSITIVE_INFINITY;
  #refreshing = false;
  #closeAt = Number.POSITIVE_INFINITY;
  /** By canonical peer IP. */
  readonly #permissions = new Map<string, Permission>();
  readonly #channels = new Map<number, ChannelBinding>();
  #nextChannel = 0x4000;
  #queuedBytes = 0;
  /** Permissions asked for but not requested yet, and since when. */
  #asked: Permission[] = [];
  #askedAt = Number.POSITIVE_INFINITY;
  /** nextDeadline() is cached; anything that may move a deadline sets #dirty. */
  #deadline: number | undefined;
  #dirty = true;

  constructor(options: TurnClientOptions) {
    this.#events = options;
    this.#credentials = new LongTermCredentials(options.username, options.password);
    this.#reliable = options.transport !== 'udp';
    this.#lifetime = options.lifetime;
    this.#addressFamily = options.addressFamily === 6 ? 0x02 : undefined;
    this.#software = options.software;
    this.#closeTimeout = options.closeTimeout ?? 2000;
    this.#maxPermissions = options.maxPermissions ?? 128;
    this.#maxChannels = Math.min(options.maxChannels ?? 64, 0x1000);
    this.#maxQueuedBytesPerPeer = options.maxQueuedBytesPerPeer ?? 64 * 1024;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 256 * 1024;
    const timeout = options.timeout ?? 39_500;
    this.#transactions = new ClientTransactions<Job>(
      {
        transmit: (request) => this.#events.send(request),
        timeout: (job, now) =>
          this.#failed(
            job,
            ERROR_UNREACHABLE,
            job.discarded
              ? 'every response failed the integrity check'
              : 'no response from the server',
            now,
          ),
      },
      // RFC 8489 §6.2.2: no retransmission over TCP and TLS, just Ti.
      this.#reliable
        ? { rto: timeout, rc: 1, rm: 1 }
        : { rto: options.rto, rc: options.rc, rm: options.rm },
    );
  }

  get state(): TurnState {
    return this.#state;
  }

  get allocation(): Allocation | undefined {
    return this.#allocation;
  }

  /** Starts the allocation (§7.1). */
  allocate(now: number): void {
    if (this.#state !== 'new') return;
    this.#state = 'allocating';
    this.#request(
      { method: Method.Allocate, signed: false, retries: 0, sentAt: now, discarded: false },
      now,
    );
  }

  /**
   * Sends `data` to a peer through the relay (§11, §12.6). `address` is an IP address,
   * canonical text preferred (src/net/address.ts). Returns false when it was dropped: no
   * allocation, a refused permission, a full queue.
   */
  sendTo(data: Uint8Array, address: string, port: number, now: number): boolean {
    if (this.#state !== 'allocated') return false;
    const permission = this.#permissions.get(address) ?? this.#newPermission(address);
    if (permission === undefined) return false;
    if (!permission.used) this.#markUsed(permission);
    if (permission.state === 'installed') {
      const channels = permission.channels;
      for (let i = 0; i < channels.length; i++) {
        const channel = channels[i]!;
        if (channel.port !== port) continue;
        if (channel.state === 'bound') {
          if (!channel.used) this.#markUsed(channel);
          this.#events.send(encodeChannelData(channel.number, data, this.#reliable));
          return true;
        }
        if (channel.state === 'unbound') this.#bind(channel, now);
        break;
      }
      this.#events.send(sendIndication(permission.address, port, data));
      return true;
    }
    if (permission.state === 'failed') return false;
    return this.#enqueue(permission, data, port, now);
  }

  /**
   * Installs permissions for these peer IPs ahead of data (ICE does before its checks).
   * Permissions asked for at the same time (this call, others, data to new peers) go out
   * together, in as few CreatePermission requests as fit, at the next deadline (now).
   */
  createPermissions(addresses: Iterable<string>, now: number): void {
    if (this.#state !== 'allocated') return;
    for (const address of addresses) {
      const permission = this.#permissions.get(address) ?? this.#newPermission(address);
      if (permission === undefined || permission.requesting) continue;
      if (permission.state === 'installed' || permission.state === 'failed') continue;
      this.#ask(permission, now);
    }
  }

  /**
   * Binds a channel to a peer (§12.1): once the server confirms, data to and from it
   * travels as ChannelData. Returns false when no channel can be had (no allocation, the
   * channel limit, a refused peer).
   */
  bindChannel(address: string, port: number, now: number): boolean {
    if (this.#state !== 'allocated') return false;
    const permission = this.#permissions.get(address) ?? this.#newPermission(address);
    if (permission === undefined || permission.state === 'failed') return false;
    let channel = permission.channels.find((c) => c.port === port);
    if (channel === undefined) {
      if (this.#channels.size >= this.#maxChannels) return false;
      channel = new ChannelBinding(this.#nextChannel++, permission, port);
      permission.channels.push(channel);
      this.#channels.set(channel.number, channel);
    }
    if (channel.state !== 'bound' && !channel.requesting) this.#bind(channel, now);
    return true;
  }

  /** Whether data to this peer goes as ChannelData. */
  channelBound(address: string, port: number): boolean {
    return (
      this.#permissions
        .get(address)
        ?.channels.some((c) => c.port === port && c.state === 'bound') ?? false
    );
  }

  /**
   * Refreshes the allocation now rather than a minute before expiry (§8 lets a client
   * refresh at any time): after a network change, or to check that the server still
   * holds it. The answer reschedules the next refresh; a failure is reported as usual.
   */
  refresh(now: number): void {
    if (this.#state !== 'allocated' || this.#refreshing) return;
    this.#refreshing = true;
    this.#request(this.#job(Method.Refresh, now, { lifetime: this.#lifetime }), now);
  }

  /**
   * Releases the allocation (§8: Refresh with LIFETIME 0); onClosed follows the answer, or
   * `closeTimeout` ms without one. An Allocate still in flight is released if it succeeds.
   */
  close(now: number): void {
    const state = this.#state;
    if (state === 'closing' || state === 'closed') return;
    if (state === 'new' || state === 'failed') {
      this.#closed();
      return;
    }
    this.#state = 'closing';
    this.#closeAt = now + this.#closeTimeout;
    this.#dirty = true;
    this.#forgetPeers();
    if (state === 'allocated') this.#deallocate(now);
  }

  /**
   * The transport to the server failed: an ICMP error for UDP, a refused, reset or closed
   * connection, a TLS failure. An allocation being made fails with 701; over TCP/TLS an
   * allocation lives and dies with its connection (RFC 8656 §3.1); over UDP an ICMP error
   * after the allocation is ignored (the next refresh tells).
   */
  handleTransportError(text: string): void {
    const state = this.#state;
    if (state === 'closing') {
      this.#closed();
      return;
    }
    if (state === 'allocating' || (state === 'allocated' && this.#reliable)) {
      this.#lose({ errorCode: ERROR_UNREACHABLE, errorText: text });
    }
  }

  /** One message from the server: a STUN message or ChannelData. Never throws. */
  handleMessage(message: Buffer, now: number): void {
    if (message.length < 4) return;
    const kind = message[0]! >> 6;
    if (kind === 1) {
      this.#channelData(message);
      return;
    }
    if (kind !== 0) return;
    const decoded = decodeStunMessage(message);
    if (!(decoded instanceof StunMessage)) return;
    if (decoded.messageClass === 'indication') {
      if (decoded.method === Method.Data) this.#dataIndication(decoded);
      return;
    }
    if (decoded.messageClass === 'success' || decoded.messageClass === 'error')
      this.#response(decoded, now);
  }

  nextDeadline(): number | undefined {
    if (!this.#dirty) return this.#deadline;
    this.#dirty = false;
    let next = this.#transactions.nextDeadline() ?? Number.POSITIVE_INFINITY;
    if (this.#state === 'closing') next = Math.min(next, this.#closeAt);
    if (this.#state === 'allocated') {
      if (!this.#refreshing) next = Math.min(next, this.#refreshAt);
      next = Math.min(next, this.#askedAt);
      for (const permission of this.#permissions.values())
        next = Math.min(next, permission.deadline());
      for (const channel of this.#channels.values()) next = Math.min(next, channel.deadline());
    }
    this.#deadline = next === Number.POSITIVE_INFINITY ? undefined : next;
    return this.#deadline;
  }

  handleTimeout(now: number): void {
    this.#dirty = true;
    if (this.#state === 'closing' && now >= this.#closeAt) {
      this.#closed();
      return;
    }
    this.#transactions.handleTimeout(now);
    if (this.#state !== 'allocated') return;
    if (now >= this.#refreshAt) this.refresh(now);
    if (now >= this.#askedAt) {
      const asked = this.#asked.filter((p) => this.#permissions.get(p.address) === p);
      this.#asked = [];
      this.#askedAt = Number.POSITIVE_INFINITY;
      this.#requestPermissions(asked, now);
    }
    this.#maintainPermissions(now);
    this.#maintainChannels(now);
  }

  // Incoming data.

  /** §12.6: data on a channel we asked for; anything else is dropped. */
  #channelData(message: Buffer): void {
    const length = message.readUInt16BE(2);
    if (4 + length > message.length) return;
    const channel = this.#channels.get(message.readUInt16BE(0));
    if (channel === undefined || (channel.state !== 'bound' && channel.state !== 'binding')) return;
    if (!channel.used) this.#markUsed(channel);
    if (!channel.permission.used) this.#markUsed(channel.permission);
    this.#events.onData?.(
      message.subarray(4, 4 + length),
      channel.permission.address,
      channel.port,
    );
  }

  /** §11.6: a Data indication from a peer we asked a permission for. */
  #dataIndication(message: StunMessage): void {
    if (this.#state !== 'allocated') return;
    if (message.unknownComprehensionRequired().length > 0) return; // RFC 8489 §6.3.2
    const peer = message.get(XorPeerAddress);
    const data = message.get(Data);
    if (peer === undefined || data === undefined) return;
    const permission = this.#permissions.get(peer.address);
    if (permission === undefined || permission.state === 'failed') return;
    if (!permission.used) this.#markUsed(permission);
    this.#events.onData?.(data, peer.address, peer.port);
  }

  // Responses.

  #response(response: StunMessage, now: number): void {
    const job = this.#transactions.context(response.transactionId);
    if (job === undefined || job.method !== response.method) return;
    if (!this.#acceptable(job, response)) {
      // RFC 8489 §9.2.5: dropped as if never received; retransmissions go on over UDP,
      // while over TCP/TLS the transaction ends at once.
      job.discarded = true;
      if (this.#reliable) {
        this.#transactions.remove(response.transactionId);
        this.#failed(job, ERROR_UNREACHABLE, 'a response failed the integrity check', now);
      }
      return;
    }
    const result = this.#transactions.handleResponse(response);
    if (result === undefined) return;
    this.#dirty = true;
    if (result.kind === 'success') this.#succeeded(job, response, now);
    else if (result.kind === 'error')
      this.#errorResponse(job, result.code, result.reason, response, now);
    else
      this.#failed(
        job,
        ERROR_UNREACHABLE,
        result.unknownAttributes.length > 0
          ? 'a response with unknown comprehension-required attributes'
          : 'an error response without ERROR-CODE',
        now,
      );
  }

  /**
   * RFC 8489 §9.2.5: responses to signed requests need a valid MESSAGE-INTEGRITY(-SHA256),
   * except 401 and 438 without one (the server could not check ours); and an Allocate
   * success must say where the relay is (RFC 8656 §7.3).
   */
  #acceptable(job: Job, response: StunMessage): boolean {
    if (job.signed) {
      const check = this.#credentials.verify(response);
      if (check === 'bad') return false;
      if (check === 'missing') {
        const code = response.messageClass === 'error' ? response.get(ErrorCode)?.code : undefined;
        if (code !== 401 && code !== 438) return false;
      }
    }
    if (response.messageClass === 'success' && job.method === Method.Allocate)
      return response.has(XorRelayedAddress.type) && response.get(Lifetime) !== undefined;
    return true;
  }

  #succeeded(job: Job, response: StunMessage, now: number): void {
    if (job.signed) this.#credentials.learnIntegrity(response);
    switch (job.method) {
      case Method.Allocate: {
        const relayed = response.getAll(XorRelayedAddress)[0];
        const lifetime = response.get(Lifetime);
        if (relayed === undefined || lifetime === undefined) return; // checked in #acceptable
        this.#allocation = { relayed, mapped: response.get(XorMappedAddress), lifetime };
        if (this.#state === 'closing') {
          this.#deallocate(now);
          return;
        }
        this.#state = 'allocated';
        this.#scheduleRefresh(job.sentAt, lifetime);
        this.#events.onAllocated?.(this.#allocation);
        return;
      }
      case Method.Refresh: {
        if (job.lifetime === 0) {
          this.#closed();
          return;
        }
        this.#refreshing = false;
        const lifetime = response.get(Lifetime) ?? this.#allocation?.lifetime ?? 0;
        if (lifetime === 0) {
          this.#lose({
            errorCode: 437,
            errorText: 'the server ended the allocation',
            method: job.method,
          });
          return;
        }
        if (this.#allocation) this.#allocation.lifetime = lifetime;
        this.#scheduleRefresh(job.sentAt, lifetime);
        return;
      }
      case Method.CreatePermission:
        for (const permission of job.permissions!) {
          permission.requesting = false;
          if (this.#permissions.get(permission.address) !== permission) continue;
          permission.installed(job.sentAt);
          this.#flush(permission, now);
        }
        return;
      case Method.ChannelBind: {
        const channel = job.channel!;
        channel.requesting = false;
        channel.bound(job.sentAt);
        // §12: a ChannelBind installs or refreshes the permission for its IP too.
        const permission = channel.permission;
        if (this.#permissions.get(permission.address) === permission) {
          permission.installed(job.sentAt);
          this.#flush(permission, now);
        }
        return;
      }
    }
  }

  #errorResponse(job: Job, code: number, reason: string, response: StunMessage, now: number): void {
    const abandoning = this.#state === 'closing' && job.method === Method.Allocate;
    if ((code === 401 || code === 438) && job.retries < MAX_RETRIES && !abandoning) {
      // §9.2.5: a 401 to a signed request means our credentials are refused, unless the
      // server moved to another realm; a 438 only wants the new nonce.
      const refused = code === 401 && job.signed && this.#credentials.sameRealm(response);
      if (!refused && this.#credentials.challenge(response) === undefined) {
        job.retries++;
        this.#request(job, now);
        return;
      }
    }
    const error: TurnError = { errorCode: code, errorText: reason };
    if (code === 300 && job.method === Method.Allocate) {
      const alternate = response.get(AlternateServer);
      if (alternate !== undefined) error.alternateServer = alternate;
      const domain = response.get(AlternateDomain);
      if (domain !== undefined) error.alternateDomain = domain;
    }
    this.#failed(job, code, reason, now, error);
  }

  /** A request failed for good: an error answer, a timeout, a broken response. */
  #failed(job: Job, errorCode: number, errorText: string, now: number, error?: TurnError): void {
    this.#dirty = true;
    const report = error ?? { errorCode, errorText };
    report.method = job.method;
    switch (job.method) {
      case Method.Allocate:
        if (this.#state === 'closing') {
          this.#closed();
          return;
        }
        if (this.#state === 'allocating') this.#lose(report);
        return;
      case Method.Refresh:
        // §8.3: a deallocation answered with an error (437: already gone) is done too.
        if (job.lifetime === 0) {
          this.#closed();
          return;
        }
        this.#refreshing = false;
        if (this.#state === 'allocated') this.#lose(report);
        return;
      case Method.CreatePermission:
        this.#permissionsFailed(job, report, now);
        return;
      case Method.ChannelBind: {
        const channel = job.channel!;
        channel.requesting = false;
        channel.state = 'failed';
        if (this.#state !== 'allocated') return;
        report.peerAddress = channel.address;
        report.peerPort = channel.port;
        this.#events.onError?.(report);
        return;
      }
    }
  }

  #permissionsFailed(job: Job, report: TurnError, now: number): void {
    const permissions = job.permissions!;
    for (const permission of permissions) permission.requesting = false;
    if (this.#state !== 'allocated') return;
    // One refused address fails the whole request (§9.2: 403 for a forbidden peer, 443 for
    // a family mismatch): ask again one by one to find it.
    if (permissions.length > 1 && !job.split && report.errorCode >= 400 && report.errorCode < 500) {
      for (const permission of permissions) {
        permission.requesting = true;
        this.#request(
          this.#job(Method.CreatePermission, now, { permissions: [permission], split: true }),
          now,
        );
      }
      return;
    }
    for (const permission of permissions) {
      if (this.#permissions.get(permission.address) !== permission) continue;
      this.#dropQueue(permission);
      if (report.errorCode === ERROR_UNREACHABLE) {
        // A lost request: the next data asks again.
        if (permission.state !== 'installed' || now >= permission.expiresAt)
          permission.state = 'expired';
      } else {
        permission.state = 'failed';
        permission.expiresAt = now + PERMISSION_LIFETIME;
      }
      this.#events.onError?.({ ...report, peerAddress: permission.address });
    }
  }

  // Requests.

  #job(method: number, now: number, fields: Partial<Job> = {}): Job {
    return { method, signed: false, retries: 0, sentAt: now, discarded: false, ...fields };
  }

  /** Sends `job` as a new transaction, signed once a challenge has been answered. */
  #request(job: Job, now: number): void {
    const writer = this.#build(job);
    job.signed = this.#credentials.ready;
    job.sentAt = now;
    job.discarded = false;
    this.#dirty = true;
    this.#transactions.start(
      job.signed ? this.#credentials.sign(writer) : writer.finish(),
      job,
      now,
    );
  }

  #build(job: Job): StunWriter {
    switch (job.method) {
      case Method.Allocate:
        return allocateRequest({
          lifetime: this.#lifetime,
          addressFamily: this.#addressFamily,
          software: this.#software,
        });
      case Method.Refresh:
        return refreshRequest(job.lifetime, this.#software);
      case Method.CreatePermission:
        return createPermissionRequest(job.permissions!.map((p) => p.address));
      default: {
        const channel = job.channel!;
        return channelBindRequest(channel.number, { address: channel.address, port: channel.port });
      }
    }
  }

  /** §8: refresh a minute before expiry, or halfway through a lifetime of two minutes or less. */
  #scheduleRefresh(sentAt: number, lifetime: number): void {
    const ms = lifetime * 1000;
    this.#refreshAt = sentAt + Math.max(ms / 2, ms - 60_000);
    this.#dirty = true;
  }

  #deallocate(now: number): void {
    this.#transactions.clear();
    this.#request(this.#job(Method.Refresh, now, { lifetime: 0 }), now);
  }

  /** Asks for a permission with the others asked for at the same time (see handleTimeout). */
  #ask(permission: Permission, now: number): void {
    permission.requesting = true;
    if (permission.state !== 'installed') permission.state = 'pending';
    this.#asked.push(permission);
    if (this.#askedAt === Number.POSITIVE_INFINITY) this.#askedAt = now;
    this.#dirty = true;
  }

  #requestPermissions(permissions: Permission[], now: number): void {
    for (let i = 0; i < permissions.length; i += MAX_PEERS_PER_REQUEST) {
      const batch = permissions.slice(i, i + MAX_PEERS_PER_REQUEST);
      for (const permission of batch) {
        permission.requesting = true;
        permission.used = false; // counts use from this request on
        if (permission.state !== 'installed') permission.state = 'pending';
      }
      this.#request(this.#job(Method.CreatePermission, now, { permissions: batch }), now);
    }
  }

  #bind(channel: ChannelBinding, now: number): void {
    if (channel.state !== 'bound') channel.state = 'binding';
    channel.requesting = true;
    channel.used = false;
    this.#request(this.#job(Method.ChannelBind, now, { channel }), now);
  }

  // Upkeep.

  #maintainPermissions(now: number): void {
    // Used permissions due within BATCH_WINDOW go along with the first that is due.
    const refresh: Permission[] = [];
    let due = false;
    for (const permission of this.#permissions.values()) {
      if (permission.requesting) continue;
      if (permission.state === 'installed') {
        if (permission.used && permission.refreshAt <= now + BATCH_WINDOW) {
          refresh.push(permission);
          due ||= permission.refreshAt <= now;
        } else if (!permission.used && now >= permission.expiresAt) {
          permission.state = 'expired';
          if (permission.channels.length === 0) this.#permissions.delete(permission.address);
        }
      } else if (permission.state === 'failed' && now >= permission.expiresAt) {
        if (permission.channels.length === 0) this.#permissions.delete(permission.address);
        else permission.state = 'expired';
      }
    }
    if (due) this.#requestPermissions(refresh, now);
  }

  #maintainChannels(now: number): void {
    for (const channel of this.#channels.values()) {
      if (channel.requesting || channel.state !== 'bound') continue;
      if (channel.used && now >= channel.refreshAt) this.#bind(channel, now);
      else if (now >= channel.expiresAt) channel.state = 'unbound';
    }
  }

  // Permissions and queues.

  #newPermission(address: string): Permission | undefined {
    const canonical = canonicalIp(address);
    if (canonical === undefined) return undefined; // not an IP address (an mDNS name, say)
    if (canonical !== address) {
      const known = this.#permissions.get(canonical);
      if (known !== undefined) return known;
    }
    if (this.#permissions.size >= this.#maxPermissions) return undefined;
    const permission = new Permission(canonical);
    this.#permissions.set(canonical, permission);
    return permission;
  }

  #enqueue(permission: Permission, data: Uint8Array, port: number, now: number): boolean {
    if (!permission.requesting) this.#ask(permission, now);
    if (
      permission.queuedBytes + data.length > this.#maxQueuedBytesPerPeer ||
      this.#queuedBytes + data.length > this.#maxQueuedBytes
    )
      return false;
    permission.queue.push({ data: Buffer.from(data), port });
    permission.queuedBytes += data.length;
    this.#queuedBytes += data.length;
    return true;
  }

  #flush(permission: Permission, now: number): void {
    const queue = permission.queue;
    if (queue.length === 0) return;
    this.#dropQueue(permission);
    for (const { data, port } of queue) this.sendTo(data, permission.address, port, now);
  }

  #dropQueue(permission: Permission): void {
    this.#queuedBytes -= permission.queuedBytes;
    permission.queue = [];
    permission.queuedBytes = 0;
  }

  #forgetPeers(): void {
    this.#asked = [];
    this.#askedAt = Number.POSITIVE_INFINITY;
    this.#permissions.clear();
    this.#channels.clear();
    this.#queuedBytes = 0;
  }

  /** Use after a quiet spell: the deadline becomes the refresh instead of the expiry. */
  #markUsed(entry: Permission | ChannelBinding): void {
    entry.used = true;
    this.#dirty = true;
  }

  // Endings.

  /** The allocation failed or was lost. */
  #lose(error: TurnError): void {
    this.#state = 'failed';
    this.#transactions.clear();
    this.#forgetPeers();
    this.#dirty = true;
    this.#events.onError?.(error);
  }

  #closed(): void {
    this.#state = 'closed';
    this.#transactions.clear();
    this.#forgetPeers();
    this.#dirty = true;
    this.#events.onClosed?.();
  }
}
