/**
 * A small TURN server (RFC 8656) on the simulated network, for deterministic tests of the
 * client: long-term credentials with nonce rotation and optional PASSWORD-ALGORITHMS,
 * allocations with lifetimes, permissions, channels, Send/Data indications and ChannelData,
 * and a hook to answer any request with whatever a test wants (errors, garbage, silence).
 */
import {
  ChannelNumber,
  Data,
  decodeStunMessage,
  ErrorCode,
  encodeChannelData,
  errorResponse,
  Lifetime,
  longTermKey,
  Method,
  Nonce,
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
  PasswordAlgorithm,
  PasswordAlgorithms,
  Realm,
  StunMessage,
  type StunWriter,
  successResponse,
  Username,
  StunWriter as Writer,
  XorMappedAddress,
  XorPeerAddress,
  XorRelayedAddress,
} from '../../src/stun/index.js';
import type { SimAddress, SimNetwork, SimSocket } from '../support/simnet.js';

export interface FakeServerOptions {
  address?: SimAddress;
  relay?: SimAddress;
  username?: string;
  password?: string;
  realm?: string;
  /** Offer PASSWORD-ALGORITHMS (SHA-256 first) with the RFC 8489 nonce cookie. */
  passwordAlgorithms?: boolean;
  /** Seconds granted when the client asks for none. */
  defaultLifetime?: number;
  /** Pad ChannelData to 4 bytes, as over TCP (RFC 8656 §12.5). */
  padChannelData?: boolean;
}

/** What a hook returns: a message to answer with, null to stay silent, undefined for the normal answer. */
export type Hook = (request: StunMessage, now: number) => Buffer | null | undefined;

export class FakeTurnServer {
  readonly socket: SimSocket;
  readonly relaySocket: SimSocket;
  readonly requests: StunMessage[] = [];
  /** Requests that passed authentication, by method. */
  readonly handled: { method: number; at: number; request: StunMessage }[] = [];
  hook: Hook | undefined;
  nonce = 'nonce-1';
  allocation: { client: SimAddress; expiresAt: number } | undefined;
  readonly permissions = new Map<string, number>();
  readonly channels = new Map<number, SimAddress>();
  /** Peer IPs refused with 403. */
  readonly forbidden = new Set<string>();
  readonly options: Required<FakeServerOptions>;

  constructor(
    readonly net: SimNetwork,
    options: FakeServerOptions = {},
  ) {
    this.options = {
      address: { address: '192.0.2.1', port: 3478 },
      relay: { address: '192.0.2.1', port: 49152 },
      username: 'user',
      password: 'pass',
      realm: 'example.org',
      passwordAlgorithms: false,
      defaultLifetime: 600,
      padChannelData: false,
      ...options,
    };
    if (this.options.passwordAlgorithms) this.nonce = 'obMatJos2AAABnonce-1';
    this.socket = net.bind(this.options.address, (data, from) => this.#fromClient(data, from));
    this.relaySocket = net.bind(this.options.relay, (data, from) => this.#fromPeer(data, from));
  }

  /** The next request signed with the old nonce gets a 438. */
  rotateNonce(): void {
    const n = Number(this.nonce.split('-').pop()) + 1;
    this.nonce = `${this.nonce.replace(/-\d+$/, '')}-${n}`;
  }

  hasPermission(ip: string): boolean {
    return (this.permissions.get(ip) ?? -1) > this.net.now;
  }

  #fromClient(data: Buffer, from: SimAddress): void {
    if ((data[0]! & 0xc0) === 0x40) {
      const peer = this.channels.get(data.readUInt16BE(0));
      const length = data.readUInt16BE(2);
      if (peer && this.hasPermission(peer.address))
        this.relaySocket.send(data.subarray(4, 4 + length), peer);
      return;
    }
    const message = decodeStunMessage(data);
    if (!(message instanceof StunMessage)) return;
    if (message.messageClass === 'indication') {
      if (message.method !== Method.Send) return;
      const peer = message.get(XorPeerAddress);
      const payload = message.get(Data);
      if (peer && payload && this.hasPermission(peer.address)) this.relaySocket.send(payload, peer);
      return;
    }
    if (message.messageClass !== 'request') return;
    this.requests.push(message);
    const hooked = this.hook?.(message, this.net.now);
    if (hooked === null) return;
    const answer = hooked ?? this.#answer(message, from);
    if (answer) this.socket.send(answer, from);
  }

  #fromPeer(data: Buffer, from: SimAddress): void {
    if (!this.allocation || !this.hasPermission(from.address)) return;
    for (const [number, peer] of this.channels) {
      if (peer.address === from.address && peer.port === from.port) {
        this.socket.send(
          encodeChannelData(number, data, this.options.padChannelData),
          this.allocation.client,
        );
        return;
      }
    }
    const indication = new Writer(Method.Data, 'indication')
      .add(XorPeerAddress, from)
      .add(Data, data)
      .finish();
    this.socket.send(indication, this.allocation.client);
  }

  /** Long-term authentication (RFC 8489 §9.2.4), then the method. */
  #answer(request: StunMessage, from: SimAddress): Buffer | undefined {
    const o = this.options;
    const integrity = request.integritySha256Offset >= 0 || request.integrityOffset >= 0;
    if (!integrity) return this.#challenge(errorResponse(request, 401)).finish();
    if (request.get(Username) !== o.username || request.get(Realm) !== o.realm)
      return this.#challenge(errorResponse(request, 401)).finish();
    if (request.get(Nonce) !== this.nonce)
      return this.#challenge(errorResponse(request, 438)).finish();
    const algorithm = request.get(PasswordAlgorithm)?.algorithm ?? PASSWORD_ALGORITHM_MD5;
    const key = longTermKey(o.username, o.realm, o.password, { algorithm });
    if (request.checkIntegrity(key) !== 'ok')
      return this.#challenge(errorResponse(request, 401)).finish();
    const sign = (w: StunWriter) =>
      (request.integritySha256Offset >= 0
        ? w.addMessageIntegritySha256(key)
        : w.addMessageIntegrity(key)
      ).finish();
    const now = this.net.now;
    this.handled.push({ method: request.method, at: now, request });
    switch (request.method) {
      case Method.Allocate: {
        if (this.allocation && this.allocation.expiresAt > now)
          return sign(errorResponse(request, 437));
        const lifetime = Math.min(request.get(Lifetime) ?? o.defaultLifetime, 3600);
        this.allocation = { client: from, expiresAt: now + lifetime * 1000 };
        return sign(
          successResponse(request)
            .add(XorRelayedAddress, o.relay)
            .add(XorMappedAddress, from)
            .add(Lifetime, lifetime),
        );
      }
      case Method.Refresh: {
        if (!this.allocation || this.allocation.expiresAt <= now)
          return sign(errorResponse(request, 437));
        const lifetime = Math.min(request.get(Lifetime) ?? o.defaultLifetime, 3600);
        if (lifetime === 0) this.allocation = undefined;
        else this.allocation.expiresAt = now + lifetime * 1000;
        return sign(successResponse(request).add(Lifetime, lifetime));
      }
      case Method.CreatePermission: {
        const peers = request.getAll(XorPeerAddress);
        if (peers.length === 0) return sign(errorResponse(request, 400));
        if (peers.some((p) => this.forbidden.has(p.address)))
          return sign(errorResponse(request, 403));
        for (const peer of peers) this.permissions.set(peer.address, now + 300_000);
        return sign(successResponse(request));
      }
      case Method.ChannelBind: {
        const number = request.get(ChannelNumber);
        const peer = request.get(XorPeerAddress);
        if (number === undefined || peer === undefined) return sign(errorResponse(request, 400));
        if (this.forbidden.has(peer.address)) return sign(errorResponse(request, 403));
        this.channels.set(number, peer);
        this.permissions.set(peer.address, now + 300_000);
        return sign(successResponse(request));
      }
    }
    return sign(errorResponse(request, 400));
  }

  #challenge(writer: StunWriter): StunWriter {
    writer.add(Realm, this.options.realm).add(Nonce, this.nonce);
    if (this.options.passwordAlgorithms)
      writer.add(PasswordAlgorithms, [
        { algorithm: PASSWORD_ALGORITHM_SHA256, parameters: Buffer.alloc(0) },
        { algorithm: PASSWORD_ALGORITHM_MD5, parameters: Buffer.alloc(0) },
      ]);
    return writer;
  }
}

/** An error response with only ERROR-CODE, optionally signed. */
export function bareError(request: StunMessage, code: number, key?: Buffer): Buffer {
  const writer = new Writer(request.method, 'error', request.transactionId).add(ErrorCode, {
    code,
    reason: `reason ${code}`,
  });
  return key ? writer.addMessageIntegrity(key).finish() : writer.finish();
}
