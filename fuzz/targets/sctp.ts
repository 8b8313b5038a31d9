/**
 * SCTP packets into an Association (src/sctp) in each state: closed and listening,
 * COOKIE-WAIT, COOKIE-ECHOED, ESTABLISHED with data in flight both ways, and shutting down.
 * A live peer goes on exchanging packets with it meanwhile.
 *
 * Most inputs are repaired to pass the first checks: the common header gets the ports and
 * the verification tag of the live association and a good CRC32c or a zero checksum (both
 * ends accept zero checksums, RFC 9653), and the TSNs of DATA,
 * SACK and FORWARD TSN chunks are moved next to the live ones, so that they reach the
 * receive window, the reassembly and the congestion control rather than being dropped.
 */
import {
  Association,
  type AssociationCallbacks,
  type AssociationState,
} from '../../src/sctp/association.js';
import { ChunkType } from '../../src/sctp/chunk.js';
import { crc32c } from '../../src/sctp/crc32c.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import type { Random } from '../mutate.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash } from './fixups.js';

const RECEIVE_BUFFER = 64 * 1024;
const MAX_MESSAGE = 16 * 1024;
export const SCTP_OPTIONS = {
  receiveBufferSize: RECEIVE_BUFFER,
  maxMessageSize: MAX_MESSAGE,
  remoteMaxMessageSize: 0,
  streams: 16,
  zeroChecksum: true, // as RTCPeerConnection runs it, over DTLS (RFC 9653)
};

interface End {
  assoc: Association;
  inbox: Buffer[];
  /** This end's verification tag (the peer's packets carry it) and the highest TSN it sent. */
  tag: number;
  tsn: number;
  closed: boolean;
}

type Callbacks = Pick<AssociationCallbacks, 'send' | 'onClosed'>;

/**
 * Two associations joined by queues; the packets are watched for tags and TSNs. `makeA`
 * builds end a's association around the callbacks given (a data channel endpoint does).
 */
export class SctpLink {
  now = 0;
  /** Sees every packet sent, before it is queued (capture.ts records them). */
  onPacket: ((from: 'a' | 'b', packet: Buffer) => void) | undefined;
  readonly a: End;
  readonly b: End;

  constructor(
    makeA: (callbacks: Callbacks) => Association = (cb) => new Association(SCTP_OPTIONS, cb),
  ) {
    this.a = this.#end('a', () => this.b, makeA);
    this.b = this.#end(
      'b',
      () => this.a,
      (cb) => new Association(SCTP_OPTIONS, cb),
    );
  }

  #end(name: 'a' | 'b', peer: () => End, make: (callbacks: Callbacks) => Association): End {
    const end = { inbox: [], tag: 0, tsn: 0, closed: false } as unknown as End;
    end.assoc = make({
      send: (p) => {
        watch(end, p);
        this.onPacket?.(name, p);
        peer().inbox.push(Buffer.from(p));
      },
      onClosed: () => {
        end.closed = true;
      },
    });
    return end;
  }

  /** Delivers up to `n` queued packets, alternating; returns how many moved. */
  pump(n: number): number {
    let moved = 0;
    for (let i = 0; i < n && this.a.inbox.length + this.b.inbox.length > 0; i++) {
      const end = i % 2 === 0 ? this.a : this.b;
      const p = end.inbox.shift();
      if (p === undefined) continue;
      end.assoc.handlePacket(p, this.now);
      moved++;
    }
    return moved;
  }

  /** Moves the clock, firing the timers that fall due. */
  tick(ms: number): void {
    const end = this.now + ms;
    for (let guard = 0; guard < 1000; guard++) {
      let next = end;
      for (const e of [this.a, this.b]) {
        const at = e.assoc.nextDeadline();
        if (at !== undefined && at < next) next = at;
      }
      this.now = Math.max(this.now, next);
      for (const e of [this.a, this.b]) {
        const at = e.assoc.nextDeadline();
        if (at !== undefined && at <= this.now) e.assoc.handleTimeout(this.now);
      }
      if (next >= end) break;
    }
  }

  /** Runs until nothing moves (the timers included, up to `ms`). */
  settle(ms = 2000): void {
    for (let i = 0; i < 200; i++) {
      if (this.pump(64) === 0) {
        if (this.now >= ms) return;
        this.tick(50);
      }
    }
  }
}

/** Learns a sender's tag and TSNs from its packets: INIT and INIT ACK announce them, DATA advances them. */
function watch(end: End, packet: Buffer): void {
  const r = new ChunkReader().reset(packet);
  while (r.next()) {
    if ((r.type === ChunkType.INIT || r.type === ChunkType.INIT_ACK) && r.value.length >= 16) {
      end.tag = r.value.readUInt32BE(0);
      end.tsn = (r.value.readUInt32BE(12) - 1) >>> 0;
    } else if (r.type === ChunkType.DATA && r.value.length >= 4) {
      const tsn = r.value.readUInt32BE(0);
      if (((tsn - end.tsn) | 0) > 0) end.tsn = tsn;
    }
  }
}

/**
 * `input` as a packet from `from` to `to`: ports, tag and checksum right, and (with
 * `tsns`) its DATA, SACK and FORWARD TSN chunks moved next to the live TSNs.
 */
export function repairPacket(
  input: Buffer,
  from: End,
  to: End,
  tsns: boolean,
  wrongTag: boolean,
): Buffer {
  if (input.length < 12) return input;
  const p = Buffer.from(input);
  p.writeUInt16BE(5000, 0);
  p.writeUInt16BE(5000, 2);
  const r = new ChunkReader().reset(p);
  const first = r.next() ? r.type : -1;
  p.writeUInt32BE(first === ChunkType.INIT ? 0 : wrongTag ? from.tag : to.tag, 4);
  if (tsns) {
    r.reset(p);
    while (r.next()) {
      const v = r.value;
      if (r.type === ChunkType.DATA && v.length >= 4)
        v.writeUInt32BE((from.tsn + 1 + (v[3]! & 0x1f) - 4) >>> 0, 0);
      else if (r.type === ChunkType.SACK && v.length >= 4)
        v.writeUInt32BE((to.tsn - (v[3]! & 0x0f)) >>> 0, 0);
      else if (r.type === ChunkType.FORWARD_TSN && v.length >= 4)
        v.writeUInt32BE((from.tsn + (v[3]! & 0x3f)) >>> 0, 0);
    }
  }
  // Half the inputs keep a zero checksum, which both ends accept once announced.
  const zero = first !== ChunkType.INIT && (input[8]! & 1) === 1;
  p.writeUInt32LE(0, 8);
  if (!zero) p.writeUInt32LE(crc32c(p), 8);
  return p;
}

const STATES: readonly AssociationState[] = [
  'closed',
  'cookie-wait',
  'cookie-echoed',
  'established',
  'shutdown-pending',
  'shutdown-sent',
  'shutdown-received',
  'shutdown-ack-sent',
];

/** A link whose `target` end is in a state the random source picks. */
function sctpSession(random: Random) {
  const link = new SctpLink();
  const { a: target, b: peer } = link;
  const phase = Math.floor(random() * 6);
  if (phase === 1)
    target.assoc.connect(link.now); // cookie-wait
  else if (phase === 2) {
    // cookie-echoed: the peer answers the INIT but the COOKIE ECHO stays unanswered.
    target.assoc.connect(link.now);
    link.pump(2);
    peer.inbox.length = 0;
  } else if (phase >= 3) {
    target.assoc.connect(link.now);
    peer.assoc.connect(link.now);
    link.settle(1000);
    // Messages both ways, some still in flight.
    for (let i = 0; i < 1 + Math.floor(random() * 8); i++) {
      const size = 1 + Math.floor(random() * 3000);
      const options = {
        unordered: random() < 0.3,
        ...(random() < 0.3 ? { maxRetransmits: 0 } : {}),
      };
      if (!target.closed)
        target.assoc.sendMessage(i % 4, 51, Buffer.alloc(size, i), link.now, options);
      if (!peer.closed) peer.assoc.sendMessage(i % 4, 53, Buffer.alloc(size, i), link.now, options);
    }
    link.tick(0);
    link.pump(Math.floor(random() * 6));
    if (phase === 4) target.assoc.shutdown(link.now);
    if (phase === 5) peer.assoc.shutdown(link.now);
    if (phase >= 4) link.pump(Math.floor(random() * 4));
  }
  return {
    feed(input: Buffer) {
      const h = inputHash(input);
      const mode = h % 8;
      const packet = mode === 0 ? input : repairPacket(input, peer, target, mode >= 3, mode === 7);
      target.assoc.handlePacket(packet, link.now);
      link.pump((h >>> 8) % 4);
      if ((h >>> 12) % 8 === 0) link.tick(200 + ((h >>> 16) % 2000));
      const r = target.assoc.receiveBuffer;
      invariant(
        r.queuedBytes <= RECEIVE_BUFFER + MAX_MESSAGE,
        `receive buffer holds ${r.queuedBytes} bytes`,
      );
      invariant(r.heldChunks <= 32768, `${r.heldChunks} chunks held`);
      invariant(STATES.includes(target.assoc.state), `state ${target.assoc.state}`);
      const at = target.assoc.nextDeadline();
      invariant(at === undefined || Number.isFinite(at), `deadline ${at}`);
    },
  };
}

export const sctpTarget: FuzzTarget = {
  name: 'sctp',
  description: 'SCTP packets into an association in each state, with a live peer',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 64,
  dictionary: [
    Buffer.from([0x13, 0x88, 0x13, 0x88]), // ports 5000 -> 5000
    Buffer.from([0x00, 0x03, 0x00, 0x10]), // a SACK
    Buffer.from([0x00, 0x07, 0x00, 0x00]), // DATA, B and E
    Buffer.from([0xc0, 0x00]), // FORWARD TSN
    Buffer.from([0x82, 0x00]), // RE-CONFIG
    Buffer.from([0x00, 0x0d, 0x00, 0x10]), // Outgoing SSN Reset Request
    Buffer.from([0x80, 0x00, 0x00, 0x04]), // ECN capable
    Buffer.from([0xc0, 0x00, 0x00, 0x04]), // Forward-TSN-Supported
    Buffer.from([0x00, 0x00, 0x00, 0x33]), // PPID 51 (string)
    Buffer.from([0x00, 0x00, 0x00, 0x32]), // PPID 50 (DCEP)
  ],
  session: (_context, random) => sctpSession(random),
};
