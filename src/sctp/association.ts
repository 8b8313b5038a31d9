/**
 * An SCTP association (RFC 9260) as WebRTC runs it over DTLS (RFC 8261): one path, one
 * packet per DTLS record, with partial reliability (RFC 3758) and stream reset (RFC 6525).
 *
 * Sans-IO: every input takes the current time, output goes to the callbacks, and the owner
 * calls handleTimeout() at nextDeadline(). handleTimeout() sends what is due before it
 * returns; so do handlePacket() for the handshake and the answers to stray packets. The
 * rest of what a packet makes due (SACK, DATA a SACK lets through), and API calls that
 * queue work (sendMessage, resetStreams, shutdown), do not send at once: they make
 * nextDeadline() return the time of the call and call onWake, so that everything that
 * comes in or is queued in one turn of the event loop shares packets (one SACK for the
 * packets read together, many small messages in one packet, the SACK riding with DATA).
 *
 * Both ends may connect() at once, as WebRTC does; the INIT collision resolves as §5.2
 * says. An end that never calls connect() answers an INIT without keeping state until the
 * COOKIE ECHO (§5.1.3).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Timed } from '../net/timer.js';
import { type Chunk, ChunkType, unrecognizedChunkAction } from './chunk.js';
import { AbortChunk, T_BIT } from './chunks/abort.js';
import { CookieAckChunk } from './chunks/cookie-ack.js';
import { CookieEchoChunk } from './chunks/cookie-echo.js';
import { DATA_HEADER_LENGTH, DataChunk, DataFlags } from './chunks/data.js';
import { OperationErrorChunk } from './chunks/error.js';
import { ForwardTsnChunk, type SkippedStream } from './chunks/forward-tsn.js';
import { HeartbeatRequestChunk } from './chunks/heartbeat.js';
import { HeartbeatAckChunk } from './chunks/heartbeat-ack.js';
import { InitChunk, type InitFields } from './chunks/init.js';
import { InitAckChunk } from './chunks/init-ack.js';
import { ReConfigChunk } from './chunks/re-config.js';
import { SackChunk } from './chunks/sack.js';
import { ShutdownChunk } from './chunks/shutdown.js';
import { ShutdownAckChunk } from './chunks/shutdown-ack.js';
import { ShutdownCompleteChunk } from './chunks/shutdown-complete.js';
import { CongestionControl } from './congestion.js';
import { type CookieContents, decodeCookie, encodeCookie } from './cookie.js';
import { DataTracker } from './data-tracker.js';
import {
  CauseCode,
  ErrorCause,
  invalidStreamIdentifier,
  staleCookie,
  textCause,
  unrecognizedChunkType,
  unrecognizedParameters,
} from './error-cause.js';
import { type AssociationOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { Outstanding, SentChunk } from './outstanding.js';
import { ChunkReader, COMMON_HEADER_LENGTH, PacketWriter, verifyChecksum } from './packet.js';
import { ParameterType } from './parameter.js';
import { ForwardTsnSupported } from './params/forward-tsn-supported.js';
import { StateCookie } from './params/state-cookie.js';
import { SupportedExtensions } from './params/supported-extensions.js';
import { UnrecognizedParameter } from './params/unrecognized-parameter.js';
import { EDMID_SCTP_OVER_DTLS, ZeroChecksumAcceptable } from './params/zero-checksum-acceptable.js';
import { Reassembly } from './reassembly.js';
import { RetransmissionTimeout } from './rto.js';
import { OutgoingMessage, SendQueue } from './send-queue.js';
import { tsnAdd, tsnDiff, tsnLt } from './serial.js';
import { type ReconfigurationHost, StreamReconfiguration } from './stream-reconfiguration.js';
import { type RawTlv, type Tlv, unrecognizedParameterAction } from './tlv.js';

export type AssociationState =
  | 'closed'
  | 'cookie-wait'
  | 'cookie-echoed'
  | 'established'
  | 'shutdown-pending'
  | 'shutdown-sent'
  | 'shutdown-received'
  | 'shutdown-ack-sent';

/** Why an association ended. */
export interface CloseReason {
  /** 'shutdown': graceful close; 'abort': an ABORT was sent or received; 'failure': the peer is unreachable or broke the protocol. */
  kind: 'shutdown' | 'abort' | 'failure';
  /** Whether the peer ended it. */
  remote: boolean;
  /** The first error cause code of an ABORT, when it had one. */
  causeCode?: number;
  message: string;
}

export interface AssociationCallbacks {
  /** One SCTP packet, to send as one DTLS record. The buffer is only valid during the call. */
  send(packet: Buffer): void;
  /** The association is established: messages flow. */
  onEstablished?(): void;
  /** The association ended; nothing more will be sent or delivered. */
  onClosed?(reason: CloseReason): void;
  /**
   * A whole message. `data` may be a view of the received packet or a buffer of its own;
   * it is not touched again by the association.
   */
  onMessage?(streamId: number, ppid: number, data: Buffer, now: number): void;
  /** Bytes of the stream left the send queue for the network (or were abandoned unsent). */
  onBufferedAmountDecrease?(streamId: number, bytes: number): void;
  /** Our reset of these outgoing streams completed (or failed: `ok` false). */
  onOutgoingStreamsReset?(streamIds: readonly number[], ok: boolean, now: number): void;
  /** The peer reset these outgoing streams of its own (empty: all); their data all arrived. */
  onIncomingStreamsReset?(streamIds: readonly number[], now: number): void;
  /** An API call queued work: call handleTimeout(now) soon (e.g. from a microtask). */
  onWake?(): void;
}

export interface SendOptions {
  /** Deliver without regard to order (U bit). */
  unordered?: boolean;
  /** PR-SCTP: give the message up after this many retransmissions of a fragment. */
  maxRetransmits?: number;
  /** PR-SCTP: give the message up this many ms after sendMessage (sent or not). */
  lifetime?: number;
  /** Whether the bytes count in the stream's buffered amount (default true). */
  countsAsBuffered?: boolean;
}

export interface AssociationStats {
  packetsSent: number;
  packetsReceived: number;
  badChecksums: number;
  dataChunksSent: number;
  dataChunksReceived: number;
  duplicateTsns: number;
  retransmissions: number;
  fastRetransmits: number;
  t3Expirations: number;
  abandonedMessages: number;
  messagesDelivered: number;
}

/** TSNs further than this beyond the cumulative TSN are dropped unseen. */
const MAX_TSN_SPAN = 1 << 18;
/** Fragments and held messages at most, whatever their size. */
const MAX_HELD_CHUNKS = 32768;
/** Packets that arrived together share a SACK, up to this many (see #afterPacket). */
const MAX_SACK_STRETCH = 4;
/** A fragment shorter than this is not cut just to fill the end of a packet. */
const MIN_FRAGMENT = 64;
const DATA_OVERHEAD = 4 + DATA_HEADER_LENGTH;
const EXTENSIONS = new SupportedExtensions([ChunkType.FORWARD_TSN, ChunkType.RE_CONFIG]);
const FORWARD_TSN_SUPPORTED = new ForwardTsnSupported();
const ZERO_CHECKSUM_OVER_DTLS = new ZeroChecksumAcceptable(EDMID_SCTP_OVER_DTLS);

interface InitParams {
  cookie: Buffer | undefined;
  forwardTsn: boolean;
  reconfig: boolean;
  /** The peer announced Zero Checksum Acceptable for SCTP over DTLS. */
  zeroChecksum: boolean;
  /** Unrecognized parameters the sender asked to hear about. */
  unrecognized: Tlv[];
}

export class Association implements Timed {
  readonly #o: ResolvedOptions;
  readonly #cb: AssociationCallbacks;
  readonly stats: AssociationStats = {
    packetsSent: 0,
    packetsReceived: 0,
    badChecksums: 0,
    dataChunksSent: 0,
    dataChunksReceived: 0,
    duplicateTsns: 0,
    retransmissions: 0,
    fastRetransmits: 0,
    t3Expirations: 0,
    abandonedMessages: 0,
    messagesDelivered: 0,
  };

  #state: AssociationState = 'closed';
  /** The time of the input being processed, for the callbacks it triggers. */
  #now = 0;
  #terminated = false;
  #closeReason: CloseReason | undefined;
  readonly #secret = randomBytes(32);
  readonly #writer: PacketWriter;
  readonly #reader = new ChunkReader();

  #localTag = 0;
  #peerTag = 0;
  #localInitialTsn = 0;
  #peerInitialTsn = 0;
  #outboundStreams = 0;
  #inboundStreams = 0;
  #peerForwardTsn = false;
  /** Our packets go with a zero checksum: we run over DTLS and the peer accepts them (RFC 9653 §5.2). */
  #sendZeroChecksum = false;
  #peerReconfig = false;
  /** The a_rwnd of the peer's latest SACK (or INIT). */
  #peerArwnd = 0;

  readonly #sendQueue = new SendQueue(this.stats);
  #outstanding = new Outstanding(0);
  #tracker: DataTracker | undefined;
  readonly #reassembly: Reassembly;
  readonly #rto: RetransmissionTimeout;

  // Handshake: T1-init / T1-cookie.
  #init: InitChunk | undefined;
  #cookieEcho: CookieEchoChunk | undefined;
  #cookieEchoDue = false;
  #t1At: number | undefined;
  #t1Count = 0;
  #t1Rto = 0;
  #staleCookies = 0;
  /** Chunks to send in the next packet (after COOKIE ECHO, before SACK and DATA). */
  #control: Chunk[] = [];

  // Receiving.
  #sackDue = false;
  #sackAt: number | undefined;
  #packetsSinceSack = 0;
  #dataInPacket = false;
  #immediateSack = false;

  // Sending: congestion control (§7.2) and timers.
  #cc: CongestionControl;
  #fastRetransmitPending = false;
  /** After a T3-rtx expiry only one packet is retransmitted (§6.3.3 E3). */
  #timeoutRetransmitPending = false;
  #lastDataSentAt = 0;
  #t3At: number | undefined;
  #sackSinceT3 = false;
  #errorCount = 0;
  #flushAt: number | undefined;

  // PR-SCTP (RFC 3758).
  #forwardTsnDue = false;
  #lastForwardTsn = 0;
  #forwardTsnSentAt = Number.NEGATIVE_INFINITY;
  readonly #skipped: SkippedStream[] = [];

  // Heartbeat (§8.3).
  #hbAt: number | undefined;
  #hbPending: Buffer | undefined;

  // Shutdown (§9.2).
  #t2At: number | undefined;

  readonly #reconfig: StreamReconfiguration;

  constructor(options: AssociationOptions, callbacks: AssociationCallbacks) {
    this.#o = resolveOptions(options);
    this.#cb = callbacks;
    this.#writer = new PacketWriter(this.#o.mtu);
    this.#rto = new RetransmissionTimeout(this.#o.rtoInitial, this.#o.rtoMin, this.#o.rtoMax);
    this.#cc = new CongestionControl(this.#o.mtu, this.#o.receiveBufferSize);
    this.#reassembly = new Reassembly(this.#o.maxMessageSize, this.#deliver);
    this.#reconfig = new StreamReconfiguration(this.#reconfigurationHost());
  }

  get state(): AssociationState {
    return this.#state;
  }

  /** Why the association ended, once it has. */
  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }

  /** Negotiated streams each way (min of OS and MIS), 0 before establishment. */
  get maxStreams(): number {
    return Math.min(this.#outboundStreams, this.#inboundStreams);
  }

  get outboundStreams(): number {
    return this.#outboundStreams;
  }

  get inboundStreams(): number {
    return this.#inboundStreams;
  }

  /** The largest message sendMessage takes (0: any size). */
  get remoteMaxMessageSize(): number {
    return this.#o.remoteMaxMessageSize;
  }

  /** Congestion window, slow-start threshold and flight size in bytes; RTO and SRTT in ms. */
  get congestion(): {
    cwnd: number;
    ssthresh: number;
    flightSize: number;
    rto: number;
    srtt: number | undefined;
    peerRwnd: number;
  } {
    return {
      cwnd: this.#cc.cwnd,
      ssthresh: this.#cc.ssthresh,
      flightSize: this.#outstanding.flightSize,
      rto: this.#rto.rto,
      srtt: this.#rto.srtt,
      peerRwnd: Math.max(0, this.#peerArwnd - this.#outstanding.flightPayload),
    };
  }

  /** What the receive side holds: payload bytes and chunks, and the a_rwnd it advertises. */
  get receiveBuffer(): { queuedBytes: number; heldChunks: number; advertisedWindow: number } {
    const queuedBytes = this.#reassembly.queuedBytes;
    return {
      queuedBytes,
      heldChunks: this.#reassembly.heldChunks,
      advertisedWindow: Math.max(0, this.#o.receiveBufferSize - queuedBytes),
    };
  }

  /** Bytes of the stream's messages not yet handed to the network. */
  bufferedAmount(streamId: number): number {
    return this.#sendQueue.bufferedAmount(streamId);
  }

  // ---------------------------------------------------------------------------------------
  // API

  /** Starts the association (§5.1 A): sends INIT. Does nothing unless closed and fresh. */
  connect(now: number): void {
    if (this.#state !== 'closed' || this.#terminated) return;
    this.#localTag = randomTag();
    this.#localInitialTsn = randomInt(0, 0x100000000);
    this.#init = new InitChunk(
      this.#localTag,
      this.#o.receiveBufferSize,
      this.#o.streams,
      this.#o.streams,
      this.#localInitialTsn,
      this.#initParameters(),
    );
    this.#state = 'cookie-wait';
    this.#t1Count = 0;
    this.#t1Rto = this.#o.rtoInitial;
    this.#t1At = now + this.#t1Rto;
    this.#sendSingle(this.#init, 0);
  }

  /**
   * Queues a message. Throws a RangeError for an empty message, one larger than the peer
   * accepts or a stream id out of range, and an Error once shutdown has begun.
   */
  sendMessage(
    streamId: number,
    ppid: number,
    data: Buffer,
    now: number,
    options: SendOptions = {},
  ): void {
    if (this.#terminated || this.#state.startsWith('shutdown'))
      throw new Error(`cannot send in state ${this.#terminated ? 'closed' : this.#state}`);
    if (data.length === 0) throw new RangeError('SCTP cannot send an empty message');
    const limit = this.#o.remoteMaxMessageSize;
    if (limit > 0 && data.length > limit)
      throw new RangeError(`message of ${data.length} bytes exceeds the peer's limit of ${limit}`);
    const streams = this.#outboundStreams || this.#o.streams;
    if (!(streamId >= 0 && streamId < streams))
      throw new RangeError(`stream id ${streamId} out of range`);
    const expiresAt = options.lifetime === undefined ? undefined : now + options.lifetime;
    this.#sendQueue.add(
      new OutgoingMessage(
        streamId,
        ppid >>> 0,
        data,
        options.unordered === true,
        options.maxRetransmits,
        expiresAt,
        options.countsAsBuffered !== false,
      ),
    );
    this.#wake(now);
  }

  /**
   * Resets outgoing streams (RFC 6525 §5.1.2), once every message queued on them has been
   * sent; the sequence numbers then restart at 0 and onOutgoingStreamsReset reports it.
   */
  resetStreams(streamIds: readonly number[], now: number): void {
    if (this.#terminated) return;
    this.#reconfig.request(streamIds);
    this.#wake(now);
  }

  /** Graceful close (§9.2): sends what is queued, then SHUTDOWN. */
  shutdown(now: number): void {
    if (this.#terminated) return;
    if (
      this.#state === 'closed' ||
      this.#state === 'cookie-wait' ||
      this.#state === 'cookie-echoed'
    ) {
      this.abort(now);
      return;
    }
    if (this.#state !== 'established') return;
    this.#state = 'shutdown-pending';
    this.#wake(now);
  }

  /** Ends the association at once (§9.1), telling the peer with a User-Initiated Abort. */
  abort(_now: number, reason = ''): void {
    if (this.#terminated) return;
    if (this.#peerTag !== 0)
      this.#sendSingle(
        new AbortChunk([textCause(CauseCode.USER_INITIATED_ABORT, reason)]),
        this.#peerTag,
      );
    this.#terminate({
      kind: 'abort',
      remote: false,
      causeCode: CauseCode.USER_INITIATED_ABORT,
      message: reason || 'aborted',
    });
  }

  // ---------------------------------------------------------------------------------------
  // Timers

  nextDeadline(): number | undefined {
    return earliest(
      earliest(earliest(this.#flushAt, this.#t1At), earliest(this.#t2At, this.#t3At)),
      earliest(earliest(this.#sackAt, this.#hbAt), this.#reconfig.deadline),
    );
  }

  handleTimeout(now: number): void {
    if (this.#terminated) return;
    this.#now = now;
    if (this.#t1At !== undefined && this.#t1At <= now) this.#onT1(now);
    if (this.#t2At !== undefined && this.#t2At <= now && !this.#terminated) this.#onT2(now);
    if (this.#t3At !== undefined && this.#t3At <= now && !this.#terminated) this.#onT3(now);
    const reconfigAt = this.#reconfig.deadline;
    if (reconfigAt !== undefined && reconfigAt <= now && !this.#terminated)
      this.#reconfig.onTimeout(now);
    if (this.#hbAt !== undefined && this.#hbAt <= now && !this.#terminated)
      this.#onHeartbeatTimer(now);
    if (this.#sackAt !== undefined && this.#sackAt <= now) {
      this.#sackAt = undefined;
      this.#sackDue = true;
    }
    if (this.#terminated) return;
    this.flush(now);
  }

  #onT1(now: number): void {
    if (++this.#t1Count > this.#o.maxInitRetransmits) {
      this.#fail('no answer to INIT or COOKIE ECHO');
      return;
    }
    this.#t1Rto = Math.min(this.#t1Rto * 2, this.#o.rtoMax);
    this.#t1At = now + this.#t1Rto;
    if (this.#state === 'cookie-wait') this.#sendSingle(this.#init!, 0);
    else if (this.#state === 'cookie-echoed') this.#cookieEchoDue = true;
  }

  #onT2(now: number): void {
    if (this.#countError()) return;
    this.#rto.backOff();
    this.#t2At = now + this.#rto.rto;
    if (this.#state === 'shutdown-sent') this.#control.push(this.#shutdownChunk());
    else if (this.#state === 'shutdown-ack-sent') this.#control.push(new ShutdownAckChunk());
  }

  /** T3-rtx expired (§6.3.3). */
  #onT3(now: number): void {
    this.#t3At = undefined;
    const out = this.#outstanding;
    if (!out.awaitingAck) return;
    // Unanswered zero window probes do not count while the peer keeps answering (§6.1 A).
    const probing = this.#peerArwnd === 0 && this.#sackSinceT3;
    this.#sackSinceT3 = false;
    if (!probing && this.#countError()) return;
    this.stats.t3Expirations++;
    this.#cc.onRetransmissionTimeout();
    this.#rto.backOff();
    out.markAllForRetransmission();
    this.#timeoutRetransmitPending = true;
    this.#forwardTsnSentAt = Number.NEGATIVE_INFINITY; // a FORWARD TSN goes again too
    this.#t3At = now + this.#rto.rto;
  }

  /** HEARTBEAT (§8.3): probes the path while no data is in flight. */
  #onHeartbeatTimer(now: number): void {
    this.#hbAt = undefined;
    if (this.#hbPending) {
      // Not acknowledged within an RTO.
      this.#hbPending = undefined;
      if (this.#countError()) return;
      this.#rto.backOff();
    }
    if (this.#outstanding.awaitingAck) {
      this.#hbAt = now + this.#o.heartbeatInterval; // T3-rtx watches the peer meanwhile
      return;
    }
    const idleUntil = this.#lastDataSentAt + this.#o.heartbeatInterval;
    if (idleUntil > now) {
      this.#hbAt = idleUntil;
      return;
    }
    const info = Buffer.alloc(16);
    randomBytes(8).copy(info, 0);
    info.writeDoubleBE(now, 8);
    this.#hbPending = info;
    this.#control.push(new HeartbeatRequestChunk(info));
    this.#hbAt = now + this.#rto.rto;
  }

  /** One more consecutive timeout (§8.1); true when that ended the association. */
  #countError(): boolean {
    if (++this.#errorCount <= this.#o.maxRetransmits) return false;
    this.#fail(`peer unreachable: ${this.#errorCount} consecutive retransmission timeouts`);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Input

  /**
   * One SCTP packet from the peer (one DTLS record). The association may keep views of
   * `packet` (received message data): the caller must not reuse its memory.
   */
  handlePacket(packet: Buffer, now: number): void {
    this.#now = now;
    this.stats.packetsReceived++;
    if (packet.length < COMMON_HEADER_LENGTH + 4) return;
    // RFC 9653 §5.3: having announced it, a zero checksum is accepted (an INIT's never is:
    // it can come before our announcement).
    if (
      !verifyChecksum(
        packet,
        this.#o.zeroChecksum && packet[COMMON_HEADER_LENGTH] !== ChunkType.INIT,
      )
    ) {
      this.stats.badChecksums++;
      return;
    }
    if (packet.readUInt16BE(0) !== this.#o.remotePort) return;
    if (packet.readUInt16BE(2) !== this.#o.localPort) return;
    const vtag = packet.readUInt32BE(4);
    const r = this.#reader.reset(packet);
    if (!r.next()) return;

    if (r.type === ChunkType.INIT || r.type === ChunkType.INIT_ACK) {
      // INIT and INIT ACK travel alone (§6.10); INIT carries tag 0 (§8.5.1 A).
      const value = r.value;
      const type = r.type;
      if (r.next() || r.malformed) return;
      if (type === ChunkType.INIT) {
        if (vtag === 0) this.#handleInit(value, now);
      } else if (vtag === this.#localTag && this.#state === 'cookie-wait') {
        this.#handleInitAck(value, now);
      }
      if (!this.#terminated) this.flush(now);
      return;
    }

    this.#dataInPacket = false;
    this.#immediateSack = false;
    if (this.#state === 'closed') this.#outOfTheBlue(vtag, now);
    else this.#process(vtag, now);
    if (this.#terminated) return;
    this.#afterPacket(now);
  }

  /** §8.4: a packet with no association to go to. */
  #outOfTheBlue(vtag: number, now: number): void {
    const r = this.#reader;
    switch (r.type) {
      case ChunkType.COOKIE_ECHO:
        if (!this.#terminated && this.#handleCookieEcho(r.value, vtag, now) && r.next())
          this.#process(vtag, now);
        return;
      case ChunkType.SHUTDOWN_ACK:
        this.#sendSingle(new ShutdownCompleteChunk(true), vtag);
        return;
      case ChunkType.ABORT:
      case ChunkType.SHUTDOWN_COMPLETE:
      case ChunkType.COOKIE_ACK:
      case ChunkType.ERROR:
        return;
      default:
        this.#sendSingle(new AbortChunk([], true), vtag);
        return;
    }
  }

  /** The chunks of a packet for an existing association, from the reader's current one. */
  #process(vtag: number, now: number): void {
    const r = this.#reader;
    const tagOk = vtag === this.#localTag;
    do {
      const { type, flags, value } = r;
      switch (type) {
        case ChunkType.ABORT:
          // §8.5.1 B: the T bit says the tag is the peer's own.
          if (flags & T_BIT ? this.#peerTag !== 0 && vtag === this.#peerTag : tagOk)
            this.#handleAbort(flags, value);
          return;
        case ChunkType.SHUTDOWN_COMPLETE:
          if (
            (flags & T_BIT ? vtag === this.#peerTag : tagOk) &&
            this.#state === 'shutdown-ack-sent'
          )
            this.#terminate({ kind: 'shutdown', remote: true, message: 'shutdown complete' });
          return;
        case ChunkType.COOKIE_ECHO:
          if (!this.#handleCookieEcho(value, vtag, now) || vtag !== this.#localTag) return;
          break;
        case ChunkType.SHUTDOWN_ACK:
          if (this.#state === 'cookie-wait' || this.#state === 'cookie-echoed') {
            // §8.5.1 E and §8.4 rule 5.
            this.#sendSingle(new ShutdownCompleteChunk(true), vtag);
            return;
          }
          if (!tagOk) return;
          this.#handleShutdownAck();
          break;
        case ChunkType.INIT:
        case ChunkType.INIT_ACK:
          return; // bundled: discard the rest
        default:
          if (!tagOk) return;
          if (!this.#dispatch(type, flags, value, now)) return;
      }
      if (this.#terminated) return;
    } while (r.next());
  }

  /** One chunk of a packet whose tag checked out; false to stop processing the packet. */
  #dispatch(type: number, flags: number, value: Buffer, now: number): boolean {
    switch (type) {
      case ChunkType.DATA:
        return this.#handleData(flags, value);
      case ChunkType.SACK:
        return this.#handleSack(value, now);
      case ChunkType.HEARTBEAT: {
        const hb = HeartbeatRequestChunk.decode(flags, value);
        if (!hb) return false;
        if (hb.info.length <= this.#o.mtu - 64)
          this.#control.push(new HeartbeatAckChunk(Buffer.from(hb.info)));
        return true;
      }
      case ChunkType.HEARTBEAT_ACK: {
        const ack = HeartbeatAckChunk.decode(flags, value);
        if (!ack) return false;
        this.#handleHeartbeatAck(ack.info, now);
        return true;
      }
      case ChunkType.COOKIE_ACK:
        if (this.#state === 'cookie-echoed') this.#established(now);
        return true;
      case ChunkType.SHUTDOWN: {
        const s = ShutdownChunk.decode(flags, value);
        if (!s) return false;
        this.#handleShutdown(s.cumulativeTsnAck, now);
        return true;
      }
      case ChunkType.ERROR: {
        const e = OperationErrorChunk.decode(flags, value);
        if (!e) return false;
        this.#handleError(e.causes, now);
        return true;
      }
      case ChunkType.FORWARD_TSN:
        return this.#handleForwardTsn(flags, value);
      case ChunkType.RE_CONFIG: {
        if (!this.#dataState() || !this.#tracker) return true;
        const chunk = ReConfigChunk.decode(flags, value);
        if (!chunk) return false;
        this.#reconfig.handle(chunk, now);
        return true;
      }
      default: {
        // §3.2: the upper two bits of an unknown type say what to do.
        const action = unrecognizedChunkAction(type);
        if (action.report)
          this.#control.push(
            new OperationErrorChunk([unrecognizedChunkType(Buffer.from(this.#reader.raw()))]),
          );
        return action.skip;
      }
    }
  }

  /**
   * In an in-order flow, what a packet makes due (the SACK, the DATA that SACKs let
   * through) goes out from the next handleTimeout (onWake), not at once: the packets that
   * arrived together are processed first, so that they share a SACK and the DATA goes out
   * in full packets. This is the batching RFC 9000 §13.2.1 allows QUIC ("if multiple
   * packets are already available, process them all before sending an ACK"). SCTP's "a
   * SACK for at least every second packet" (RFC 9260 §6.2) holds for packets that arrive
   * one at a time; in a batch, a SACK covers at most MAX_SACK_STRETCH packets, so that a
   * sender in slow start (one MTU more per SACK, §7.2.1) still grows by a quarter of its
   * window per round trip. A gap, a duplicate, the I bit or a control chunk to answer is
   * answered at once, packet by packet, so that loss recovery sees every report.
   *
   * Measured over loopback, a SACK (sealed, sent, read, opened, processed) costs as much
   * as a DATA packet; one every second packet was a third of all datagrams.
   */
  #afterPacket(now: number): void {
    if (this.#dataInPacket) {
      if (this.#immediateSack || this.#state === 'shutdown-sent') this.#sackDue = true;
      else if (++this.#packetsSinceSack >= 2) this.#sackDue = true;
      else this.#sackAt ??= now + this.#o.delayedAckTimeout;
      if (this.#state === 'shutdown-sent') {
        // §9.2: each packet with DATA is answered with a SHUTDOWN.
        this.#control.push(this.#shutdownChunk());
        this.#t2At = now + this.#rto.rto;
      }
      this.#reconfig.checkDeferred(now);
    }
    if (
      this.#immediateSack ||
      this.#control.length > 0 ||
      this.#state !== 'established' ||
      this.#packetsSinceSack >= MAX_SACK_STRETCH
    )
      this.flush(now);
    else this.#wake(now);
  }

  // ---------------------------------------------------------------------------------------
  // Setup (§5)

  #handleInit(value: Buffer, now: number): void {
    const init = InitChunk.decode(0, value);
    if (!init || init.initiateTag === 0 || init.outboundStreams === 0 || init.inboundStreams === 0)
      return;
    if (this.#terminated) return;
    if (this.#state === 'shutdown-ack-sent') {
      // §9.2: the SHUTDOWN COMPLETE was probably lost.
      this.#control.push(new ShutdownAckChunk());
      return;
    }
    const p = readInitParams(init.params as RawTlv[]);
    let tag: number;
    let tsn: number;
    let localTieTag = 0;
    let peerTieTag = 0;
    if (this.#state === 'cookie-wait' || this.#state === 'cookie-echoed') {
      // §5.2.1: answer with the parameters of our own INIT.
      tag = this.#localTag;
      tsn = this.#localInitialTsn;
      if (this.#state === 'cookie-echoed') {
        localTieTag = this.#localTag;
        peerTieTag = this.#peerTag;
      }
    } else {
      // No association (§5.1) or an unexpected INIT in an existing one (§5.2.2).
      tag = randomTag(this.#localTag);
      tsn = randomInt(0, 0x100000000);
      if (this.#state !== 'closed') {
        localTieTag = this.#localTag;
        peerTieTag = this.#peerTag;
      }
    }
    const cookie = encodeCookie(
      {
        created: now,
        lifespan: this.#o.cookieLifetime,
        localTag: tag,
        peerTag: init.initiateTag,
        localInitialTsn: tsn,
        peerInitialTsn: init.initialTsn,
        peerReceiverWindow: init.advertisedReceiverWindowCredit,
        outboundStreams: Math.min(this.#o.streams, init.inboundStreams),
        inboundStreams: Math.min(this.#o.streams, init.outboundStreams),
        peerForwardTsn: p.forwardTsn,
        peerReconfig: p.reconfig,
        peerZeroChecksum: p.zeroChecksum,
        localTieTag,
        peerTieTag,
      },
      this.#secret,
    );
    const params: Tlv[] = [new StateCookie(cookie), ...this.#initParameters()];
    for (const u of p.unrecognized) params.push(new UnrecognizedParameter(u));
    this.#sendSingle(
      new InitAckChunk(
        tag,
        this.#o.receiveBufferSize,
        this.#o.streams,
        this.#o.streams,
        tsn,
        params,
      ),
      init.initiateTag,
    );
  }

  #handleInitAck(value: Buffer, now: number): void {
    const ack = InitAckChunk.decode(0, value);
    if (!ack || ack.initiateTag === 0 || ack.outboundStreams === 0 || ack.inboundStreams === 0)
      return;
    const p = readInitParams(ack.params as RawTlv[]);
    if (!p.cookie) {
      this.#sendSingle(
        new AbortChunk([textCause(CauseCode.MISSING_MANDATORY_PARAMETER)]),
        ack.initiateTag,
      );
      this.#fail('INIT ACK without a State Cookie');
      return;
    }
    this.#setPeer(ack, p);
    this.#state = 'cookie-echoed';
    this.#cookieEcho = new CookieEchoChunk(Buffer.from(p.cookie));
    this.#cookieEchoDue = true;
    if (p.unrecognized.length > 0)
      this.#control.push(new OperationErrorChunk([unrecognizedParameters(p.unrecognized)]));
    this.#t1Count = 0;
    this.#t1Rto = this.#rto.rto;
    this.#t1At = now + this.#t1Rto;
  }

  /** Takes the peer's side of the association from its INIT or INIT ACK. */
  #setPeer(init: InitFields, { forwardTsn, reconfig, zeroChecksum }: InitParams): void {
    this.#peerTag = init.initiateTag;
    this.#tracker = new DataTracker(init.initialTsn);
    this.#peerInitialTsn = init.initialTsn;
    this.#peerArwnd = init.advertisedReceiverWindowCredit;
    this.#outboundStreams = Math.min(this.#o.streams, init.inboundStreams);
    this.#inboundStreams = Math.min(this.#o.streams, init.outboundStreams);
    this.#peerForwardTsn = forwardTsn;
    this.#peerReconfig = reconfig;
    this.#sendZeroChecksum = this.#o.zeroChecksum && zeroChecksum;
  }

  /** The optional parameters of our INIT and INIT ACK. */
  #initParameters(): Tlv[] {
    const params: Tlv[] = [EXTENSIONS, FORWARD_TSN_SUPPORTED];
    if (this.#o.zeroChecksum) params.push(ZERO_CHECKSUM_OVER_DTLS);
    return params;
  }

  /**
   * A COOKIE ECHO (§5.1.5, §5.2.4). Returns whether the rest of the packet may be processed
   * (the association exists with the cookie's tags).
   */
  #handleCookieEcho(value: Buffer, vtag: number, now: number): boolean {
    const c = decodeCookie(value, this.#secret);
    if (!c || vtag !== c.localTag) return false;
    const age = now - c.created;
    if (age > c.lifespan) {
      this.#sendSingle(
        new OperationErrorChunk([staleCookie((age - c.lifespan) * 1000)]),
        c.peerTag,
      );
      return false;
    }
    if (this.#state === 'closed') {
      this.#adoptCookie(c);
      this.#control.push(new CookieAckChunk());
      this.#established(now);
      return true;
    }
    const localMatch = c.localTag === this.#localTag;
    const peerMatch = c.peerTag === this.#peerTag;
    if (
      localMatch &&
      (peerMatch || this.#state === 'cookie-wait' || this.#state === 'cookie-echoed')
    ) {
      // (D) both tags match, or (B) ours matches: the collision of §5.2.1 resolving.
      if (this.#state === 'cookie-wait' || this.#state === 'cookie-echoed') {
        if (!peerMatch || this.#state === 'cookie-wait') this.#adoptCookie(c);
        this.#established(now);
      }
      this.#control.push(new CookieAckChunk());
      return true;
    }
    // (C) a late cookie of an older attempt, or (A) a restart of the peer, which we do not
    // support over DTLS: silently discarded; a restarted peer's DATA draws our ABORT.
    return false;
  }

  #adoptCookie(c: CookieContents): void {
    this.#localTag = c.localTag;
    this.#localInitialTsn = c.localInitialTsn;
    this.#peerTag = c.peerTag;
    this.#tracker = new DataTracker(c.peerInitialTsn);
    this.#peerInitialTsn = c.peerInitialTsn;
    this.#peerArwnd = c.peerReceiverWindow;
    this.#outboundStreams = c.outboundStreams;
    this.#inboundStreams = c.inboundStreams;
    this.#peerForwardTsn = c.peerForwardTsn;
    this.#peerReconfig = c.peerReconfig;
    this.#sendZeroChecksum = this.#o.zeroChecksum && c.peerZeroChecksum;
  }

  #established(now: number): void {
    this.#state = 'established';
    this.#t1At = undefined;
    this.#cookieEchoDue = false;
    this.#outstanding = new Outstanding(this.#localInitialTsn);
    this.#reconfig.start(this.#localInitialTsn, this.#peerInitialTsn);
    this.#cc = new CongestionControl(this.#o.mtu, this.#peerArwnd);
    this.#lastDataSentAt = now;
    this.#hbAt = now + this.#o.heartbeatInterval;
    this.#flushAt = now;
    this.#cb.onEstablished?.();
  }

  #handleAbort(flags: number, value: Buffer): void {
    const abort = AbortChunk.decode(flags, value);
    const cause = abort?.causes[0];
    this.#terminate({
      kind: 'abort',
      remote: true,
      causeCode: cause?.code,
      message: cause ? describeCause(cause) : 'ABORT received',
    });
  }

  #handleError(causes: readonly ErrorCause[], now: number): void {
    for (const c of causes) {
      if (c.code === CauseCode.STALE_COOKIE_ERROR && this.#state === 'cookie-echoed') {
        // §5.2.6: start over with a new INIT, a bounded number of times.
        if (++this.#staleCookies > this.#o.maxInitRetransmits) {
          this.#fail('State Cookie stale on every attempt');
          return;
        }
        this.#state = 'cookie-wait';
        this.#peerTag = 0;
        this.#cookieEchoDue = false;
        this.#t1At = now + this.#t1Rto;
        this.#sendSingle(this.#init!, 0);
        return;
      }
      if (c.code === CauseCode.UNRECOGNIZED_CHUNK_TYPE && c.info.length >= 1) {
        // The peer does not know an extension it claimed (or we assumed).
        if (c.info[0] === ChunkType.FORWARD_TSN) this.#peerForwardTsn = false;
        if (c.info[0] === ChunkType.RE_CONFIG) this.#peerReconfig = false;
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // DATA and SACK (§6)

  #dataState(): boolean {
    const s = this.#state;
    return s !== 'closed' && s !== 'cookie-wait' && !this.#terminated;
  }

  #handleData(flags: number, value: Buffer): boolean {
    const tracker = this.#tracker;
    if (!tracker || !this.#dataState()) return true;
    const chunk = DataChunk.decode(flags, value);
    if (!chunk) return false;
    this.#dataInPacket = true;
    this.stats.dataChunksReceived++;
    if (chunk.payload.length === 0) {
      // §6.2: no user data is a protocol error.
      const info = Buffer.alloc(4);
      info.writeUInt32BE(chunk.tsn, 0);
      this.#sendSingle(
        new AbortChunk([new ErrorCause(CauseCode.NO_USER_DATA, info)]),
        this.#peerTag,
      );
      this.#fail('DATA chunk without user data');
      return false;
    }
    const tsn = chunk.tsn;
    if (tracker.isDuplicate(tsn)) {
      tracker.noteDuplicate(tsn);
      this.stats.duplicateTsns++;
      this.#immediateSack = true;
      return true;
    }
    const re = this.#reassembly;
    const buffer = this.#o.receiveBufferSize;
    const fillsHole = tsnLt(tsn, tracker.highestReceived);
    if (
      tsnDiff(tsn, tracker.cumulativeTsn) > MAX_TSN_SPAN ||
      re.heldChunks >= MAX_HELD_CHUNKS ||
      re.queuedBytes >= 2 * buffer ||
      (re.queuedBytes + chunk.payload.length > buffer && !fillsHole)
    ) {
      // No room (§6.2): dropped unacknowledged; the SACK tells the sender our window.
      this.#immediateSack = true;
      return true;
    }
    const hadGaps = tracker.hasGaps;
    if (!tracker.record(tsn)) {
      this.#immediateSack = true; // too scattered: dropped unacknowledged, like no room
      return true;
    }
    if (hadGaps || tracker.hasGaps || flags & DataFlags.IMMEDIATE) this.#immediateSack = true;
    if (chunk.streamId >= this.#inboundStreams) {
      // §6.5: acknowledged, reported, dropped.
      this.#control.push(new OperationErrorChunk([invalidStreamIdentifier(chunk.streamId)]));
      this.#immediateSack = true;
      return true;
    }
    if (!re.add(chunk)) {
      this.#sendSingle(
        new AbortChunk([
          textCause(
            CauseCode.PROTOCOL_VIOLATION,
            `message larger than ${this.#o.maxMessageSize} bytes`,
          ),
        ]),
        this.#peerTag,
      );
      this.#fail('peer sent a message larger than our max-message-size');
      return false;
    }
    return true;
  }

  readonly #deliver = (streamId: number, ppid: number, data: Buffer): void => {
    this.stats.messagesDelivered++;
    this.#cb.onMessage?.(streamId, ppid, data, this.#now);
  };

  #sackChunk(): SackChunk {
    const arwnd = Math.max(0, this.#o.receiveBufferSize - this.#reassembly.queuedBytes);
    // Room for the gap blocks after the common header, SACK header and duplicates.
    const maxBlocks = Math.floor((this.#o.mtu - COMMON_HEADER_LENGTH - 16 - 32 * 4) / 4);
    return this.#tracker!.sack(arwnd, maxBlocks);
  }

  #handleSack(value: Buffer, now: number): boolean {
    const s = this.#state;
    if (
      s !== 'established' &&
      s !== 'shutdown-pending' &&
      s !== 'shutdown-sent' &&
      s !== 'shutdown-received'
    )
      return true;
    const sack = SackChunk.decode(0, value);
    if (!sack) return false;
    this.#processAck(
      sack.cumulativeTsnAck,
      sack.gapAckBlocks,
      sack.advertisedReceiverWindowCredit,
      now,
    );
    return !this.#terminated;
  }

  /** A SACK, or the cumulative TSN ack of a SHUTDOWN (arwnd undefined). */
  #processAck(
    cumTsnAck: number,
    gaps: readonly number[],
    arwnd: number | undefined,
    now: number,
  ): void {
    const out = this.#outstanding;
    const flightBefore = out.flightSize;
    const r = out.handleSack(cumTsnAck, gaps, now, this.#cc.inFastRecovery);
    if (r === undefined) return;
    if (r === 'violation') {
      this.#sendSingle(
        new AbortChunk([textCause(CauseCode.PROTOCOL_VIOLATION, 'SACK of a TSN never sent')]),
        this.#peerTag,
      );
      this.#fail('peer acknowledged a TSN never sent');
      return;
    }
    this.#sackSinceT3 = true;
    if (arwnd !== undefined) this.#peerArwnd = arwnd;
    if (r.bytesAcked > 0) this.#errorCount = 0;
    if (r.rttSample !== undefined) this.#rto.measure(r.rttSample);

    const awaiting = out.awaitingAck;
    this.#cc.onAck(
      cumTsnAck,
      r.cumulativeAdvanced,
      r.bytesAcked,
      flightBefore,
      !awaiting,
      r.rttSample,
      tsnAdd(out.nextTsn, -1),
    );
    if (r.fastRetransmit) {
      this.stats.fastRetransmits++;
      this.#cc.onFastRetransmit(tsnAdd(out.nextTsn, -1));
      this.#fastRetransmitPending = true;
    }

    // T3-rtx (§6.3.2 R2-R4).
    if (!awaiting) this.#t3At = undefined;
    else if (r.cumulativeAdvanced || this.#t3At === undefined) this.#t3At = now + this.#rto.rto;
  }

  // ---------------------------------------------------------------------------------------
  // PR-SCTP (RFC 3758)

  #shouldAbandon(c: SentChunk, now: number): boolean {
    if (!this.#peerForwardTsn) return false;
    const m = c.message;
    return (
      (m.maxRetransmits !== undefined && c.transmissions > m.maxRetransmits) ||
      (m.expiresAt !== undefined && now > m.expiresAt)
    );
  }

  /** Abandons the messages of chunks waiting for retransmission that their policy gives up. */
  #abandonByPolicy(now: number): void {
    if (!this.#peerForwardTsn || !this.#outstanding.hasRetransmissions) return;
    for (const c of this.#outstanding)
      if (c.retransmit && this.#shouldAbandon(c, now)) this.#abandon(c.message);
  }

  #abandon(m: OutgoingMessage): void {
    if (m.abandoned) return;
    this.#outstanding.abandon(m);
    this.#sendQueue.abandon(m);
    this.stats.abandonedMessages++;
  }

  /** Sends a FORWARD TSN when the Advanced.Peer.Ack.Point is past the cumulative ack (§3.5 C). */
  #updateForwardTsn(now: number): void {
    const point = this.#outstanding.advancedPeerAckPoint(this.#skipped);
    if (!tsnLt(this.#outstanding.cumulativeTsnAck, point)) return;
    // Again only when it moved, or after a round trip without effect.
    const wait = this.#rto.srtt ?? this.#rto.rto;
    if (point !== this.#lastForwardTsn || now - this.#forwardTsnSentAt >= wait)
      this.#forwardTsnDue = true;
  }

  #handleForwardTsn(flags: number, value: Buffer): boolean {
    const tracker = this.#tracker;
    if (!tracker || !this.#dataState()) return true;
    const f = ForwardTsnChunk.decode(flags, value);
    if (!f) return false;
    this.#dataInPacket = true;
    this.#immediateSack = true;
    if (!tsnLt(tracker.cumulativeTsn, f.newCumulativeTsn)) return true;
    tracker.forwardTo(f.newCumulativeTsn);
    this.#reassembly.skip(f.newCumulativeTsn, f.streams);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Heartbeat (§8.3)

  #handleHeartbeatAck(info: Buffer, now: number): void {
    const pending = this.#hbPending;
    if (!pending || !info.equals(pending)) return;
    this.#hbPending = undefined;
    this.#errorCount = 0;
    this.#rto.measure(now - info.readDoubleBE(8));
    this.#hbAt = now + this.#o.heartbeatInterval;
  }

  // ---------------------------------------------------------------------------------------
  // Shutdown (§9.2)

  #shutdownChunk(): ShutdownChunk {
    return new ShutdownChunk(this.#tracker!.cumulativeTsn);
  }

  #handleShutdown(cumTsnAck: number, now: number): void {
    const s = this.#state;
    if (s === 'established' || s === 'shutdown-pending' || s === 'shutdown-received') {
      this.#state = 'shutdown-received';
      this.#processAck(cumTsnAck, [], undefined, now);
    } else if (s === 'shutdown-sent') {
      // Both sides shut down at once: answer with SHUTDOWN ACK.
      this.#state = 'shutdown-ack-sent';
      this.#control.push(new ShutdownAckChunk());
      this.#t2At = now + this.#rto.rto;
    }
  }

  #handleShutdownAck(): void {
    if (this.#state !== 'shutdown-sent' && this.#state !== 'shutdown-ack-sent') return;
    this.#sendSingle(new ShutdownCompleteChunk(), this.#peerTag);
    this.#terminate({ kind: 'shutdown', remote: false, message: 'shutdown complete' });
  }

  /** Sends SHUTDOWN or SHUTDOWN ACK once everything we had to send is acknowledged. */
  #checkShutdown(now: number): void {
    const s = this.#state;
    if (s !== 'shutdown-pending' && s !== 'shutdown-received') return;
    if (this.#sendQueue.peek(now) || this.#outstanding.awaitingAck) return;
    if (s === 'shutdown-pending') {
      this.#state = 'shutdown-sent';
      this.#control.push(this.#shutdownChunk());
    } else {
      this.#state = 'shutdown-ack-sent';
      this.#control.push(new ShutdownAckChunk());
    }
    this.#t3At = undefined;
    this.#t2At = now + this.#rto.rto;
  }

  // ---------------------------------------------------------------------------------------
  // Stream reset (RFC 6525): stream-reconfiguration.ts, with this association as its host

  #reconfigurationHost(): ReconfigurationHost {
    return {
      sendQueue: this.#sendQueue,
      reassembly: this.#reassembly,
      lastAssignedTsn: () => tsnAdd(this.#outstanding.nextTsn, -1),
      cumulativeTsn: () => this.#tracker!.cumulativeTsn,
      peerSupportsReconfig: () => this.#peerReconfig,
      rto: () => this.#rto.rto,
      timedOut: () => {
        if (this.#countError()) return true;
        this.#rto.backOff();
        return false;
      },
      answered: () => {
        this.#errorCount = 0;
      },
      send: (chunk) => this.#control.push(chunk),
      wake: (now) => this.#wake(now),
      onOutgoingReset: (ids, ok, now) => this.#cb.onOutgoingStreamsReset?.(ids, ok, now),
      onIncomingReset: (ids, now) => this.#cb.onIncomingStreamsReset?.(ids, now),
    };
  }

  // ---------------------------------------------------------------------------------------
  // Output

  /** Sends whatever is due: control chunks, SACK, FORWARD TSN, RE-CONFIG, DATA. */
  flush(now: number): void {
    this.#flushAt = undefined;
    if (this.#terminated) return;
    this.#checkShutdown(now);
    const w = this.#writer;
    w.begin(this.#o.localPort, this.#o.remotePort, this.#peerTag);
    if (this.#cookieEchoDue && this.#cookieEcho) {
      this.#cookieEchoDue = false;
      this.#add(this.#cookieEcho);
    }
    const control = this.#control;
    if (control.length > 0) {
      this.#control = [];
      for (const c of control) this.#add(c);
    }
    if (this.#sackDue && this.#tracker) {
      this.#sackDue = false;
      this.#sackAt = undefined;
      this.#packetsSinceSack = 0;
      this.#add(this.#sackChunk());
    }
    const s = this.#state;
    if (s === 'established' || s === 'shutdown-pending' || s === 'shutdown-received') {
      // PR-SCTP: give up what the policies say, and tell the peer before any DATA.
      if (this.#peerForwardTsn) {
        if (this.#outstanding.hasRetransmissions) this.#abandonByPolicy(now);
        this.#updateForwardTsn(now);
        if (this.#forwardTsnDue) this.#addForwardTsn(now);
      }
      this.#sendData(now);
      // After the DATA: a reset can go once the messages before it have their TSNs.
      const reconfig = this.#reconfig.nextRequest(now);
      if (reconfig) this.#add(reconfig);
    }
    if (!w.empty) this.#emit();
    const report = this.#cb.onBufferedAmountDecrease;
    if (report) this.#sendQueue.drainReleased(report);
  }

  #addForwardTsn(now: number): void {
    this.#forwardTsnDue = false;
    const point = this.#outstanding.advancedPeerAckPoint(this.#skipped);
    if (!tsnLt(this.#outstanding.cumulativeTsnAck, point)) return;
    this.#add(new ForwardTsnChunk(point, this.#skipped.slice()));
    this.#lastForwardTsn = point;
    this.#forwardTsnSentAt = now;
  }

  #sendData(now: number): void {
    const out = this.#outstanding;
    const cc = this.#cc;
    const w = this.#writer;

    // Retransmissions first, lowest TSN first; the first packet of a fast retransmit
    // ignores cwnd (§7.2.4 step 3). New data waits until they are all out.
    if (out.hasRetransmissions) {
      const sentBefore = this.stats.retransmissions;
      for (const c of out) {
        if (!c.retransmit) continue;
        if (!this.#fastRetransmitPending && out.flightSize >= cc.cwnd) break;
        // A closed window takes one chunk at a time, as a probe (§6.1 A).
        if (c.payload.length > this.#peerArwnd - out.flightPayload && out.flightPayload > 0) break;
        if (w.remaining < c.size) {
          if (this.#timeoutRetransmitPending && this.stats.retransmissions > sentBefore) break;
          this.#emit();
          this.#fastRetransmitPending = false;
          if (out.flightSize >= cc.cwnd) break;
        }
        w.add(c);
        out.retransmitted(c, now);
        this.stats.retransmissions++;
        this.#t3At ??= now + this.#rto.rto;
      }
      this.#fastRetransmitPending = false;
      this.#timeoutRetransmitPending = false;
      if (out.hasRetransmissions) return;
    }

    if (out.flightSize === 0) cc.onIdle(now - this.#lastDataSentAt, this.#rto.rto);

    // New data while cwnd and the peer's window allow (§6.1).
    while (out.flightSize < cc.cwnd) {
      const m = this.#sendQueue.peek(now);
      if (!m) break;
      const left = m.data.length - m.offset;
      // The payload that fits with its DATA header and padding.
      let room = (w.remaining & ~3) - DATA_OVERHEAD;
      if (room < Math.min(left, MIN_FRAGMENT)) {
        this.#emit();
        room = (w.remaining & ~3) - DATA_OVERHEAD;
      }
      const size = Math.min(left, room);
      const window = this.#peerArwnd - out.flightPayload;
      // With nothing in flight, one chunk may probe a closed window (§6.1 A).
      const probe = out.flightPayload === 0 && size > window;
      if (size > window && !probe) break;
      const tsn = out.nextTsn;
      let flags = m.unordered ? DataFlags.UNORDERED : 0;
      if (m.offset === 0) flags |= DataFlags.BEGINNING;
      const payload = this.#sendQueue.take(size, tsn);
      if (m.offset === m.data.length) flags |= DataFlags.END;
      const c = new SentChunk(tsn, m.streamId, m.ssn, m.ppid, payload, flags, m);
      c.sentAt = now;
      out.push(c);
      w.add(c);
      this.stats.dataChunksSent++;
      this.#lastDataSentAt = now;
      this.#t3At ??= now + this.#rto.rto;
      if (probe) break;
    }
  }

  /** Adds a chunk to the packet being built, starting a new packet when it does not fit. */
  #add(chunk: Chunk): void {
    const w = this.#writer;
    if (w.add(chunk)) return;
    if (w.empty) return; // larger than a packet can ever be: dropped
    this.#emit();
    w.add(chunk);
  }

  #emit(): void {
    const w = this.#writer;
    // A COOKIE ECHO (always first in its packet) gets a real checksum: the peer may hold no
    // state yet that recalls its announcement.
    const packet = w.finish(this.#sendZeroChecksum && w.firstChunkType !== ChunkType.COOKIE_ECHO);
    this.stats.packetsSent++;
    this.#cb.send(packet);
    w.begin(this.#o.localPort, this.#o.remotePort, this.#peerTag);
  }

  /** A packet of one chunk with the given verification tag (INIT, INIT ACK, ABORT, ...). */
  #sendSingle(chunk: Chunk, vtag: number): void {
    const w = this.#writer;
    w.begin(this.#o.localPort, this.#o.remotePort, vtag);
    if (!w.add(chunk)) return;
    const packet = w.finish();
    this.stats.packetsSent++;
    this.#cb.send(packet);
  }

  #wake(now: number): void {
    if (this.#flushAt !== undefined) return;
    this.#flushAt = now;
    this.#cb.onWake?.();
  }

  #fail(message: string): void {
    this.#terminate({ kind: 'failure', remote: false, message });
  }

  #terminate(reason: CloseReason): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#state = 'closed';
    this.#closeReason = reason;
    this.#t1At = this.#t2At = this.#t3At = this.#sackAt = this.#hbAt = undefined;
    this.#reconfig.deadline = undefined;
    this.#flushAt = undefined;
    this.#control = [];
    this.#cb.onClosed?.(reason);
  }
}

/** Reads INIT / INIT ACK parameters, honouring the upper two bits of unknown types (§3.2.1). */
function readInitParams(params: readonly RawTlv[]): InitParams {
  const p: InitParams = {
    cookie: undefined,
    forwardTsn: false,
    reconfig: false,
    zeroChecksum: false,
    unrecognized: [],
  };
  for (const t of params) {
    switch (t.type) {
      case ParameterType.STATE_COOKIE:
        p.cookie = t.value;
        break;
      case ParameterType.FORWARD_TSN_SUPPORTED:
        p.forwardTsn = true;
        break;
      case ParameterType.ZERO_CHECKSUM_ACCEPTABLE:
        // Another method than ours (an unknown EDMID) means nothing to us (§5.1).
        p.zeroChecksum = ZeroChecksumAcceptable.decode(t.value) === EDMID_SCTP_OVER_DTLS;
        break;
      case ParameterType.SUPPORTED_EXTENSIONS:
        for (const type of SupportedExtensions.decode(t.value).chunkTypes) {
          if (type === ChunkType.FORWARD_TSN) p.forwardTsn = true;
          if (type === ChunkType.RE_CONFIG) p.reconfig = true;
        }
        break;
      case ParameterType.HEARTBEAT_INFO:
      case ParameterType.UNRECOGNIZED_PARAMETER:
      case ParameterType.COOKIE_PRESERVATIVE:
        break;
      default: {
        const action = unrecognizedParameterAction(t.type);
        if (action.report) p.unrecognized.push(t);
        if (action.stop) return p;
      }
    }
  }
  return p;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || (b !== undefined && b < a) ? b : a;
}

/** A random verification tag: never 0 (§5.3.1), and not `avoid`. */
function randomTag(avoid = 0): number {
  for (;;) {
    const t = randomInt(1, 0x100000000);
    if (t !== avoid) return t;
  }
}

function describeCause(c: ErrorCause): string {
  const name = Object.entries(CauseCode).find(([, v]) => v === c.code)?.[0] ?? `cause ${c.code}`;
  const text =
    c.code === CauseCode.USER_INITIATED_ABORT || c.code === CauseCode.PROTOCOL_VIOLATION
      ? c.info.toString('utf8')
      : '';
  return text ? `${name}: ${text}` : name;
}
