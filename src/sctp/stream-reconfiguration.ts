/**
 * Stream reset (RFC 6525): our Outgoing SSN Reset Requests, one in flight at a time and
 * retransmitted on an RTO timer; the peer's requests, checked by sequence number, answered,
 * and deferred until the data sent before them has arrived (§5.2.2). What it needs of the
 * association comes through ReconfigurationHost.
 */
import type { Chunk } from './chunk.js';
import { ReConfigChunk } from './chunks/re-config.js';
import { ParameterType } from './parameter.js';
import { AddStreamsRequest } from './params/add-streams-request.js';
import { IncomingSsnResetRequest } from './params/incoming-ssn-reset-request.js';
import { OutgoingSsnResetRequest } from './params/outgoing-ssn-reset-request.js';
import {
  ReconfigurationResponse,
  ReconfigurationResult,
} from './params/reconfiguration-response.js';
import { SsnTsnResetRequest } from './params/ssn-tsn-reset-request.js';
import type { Reassembly } from './reassembly.js';
import type { SendQueue } from './send-queue.js';
import { tsnAdd, tsnLt, tsnLte } from './serial.js';
import { type RawTlv, unrecognizedParameterAction } from './tlv.js';

export interface ReconfigurationHost {
  readonly sendQueue: SendQueue;
  readonly reassembly: Reassembly;
  /** The TSN of the last DATA chunk we assigned. */
  lastAssignedTsn(): number;
  /** Every TSN of the peer up to this one has arrived. */
  cumulativeTsn(): number;
  peerSupportsReconfig(): boolean;
  rto(): number;
  /** A retransmission timed out (and the RTO backs off); true when that ended the association. */
  timedOut(): boolean;
  /** The peer answered: the association's error count starts over. */
  answered(): void;
  /** Queues a chunk for the next packet. */
  send(chunk: Chunk): void;
  wake(now: number): void;
  onOutgoingReset(streamIds: readonly number[], ok: boolean, now: number): void;
  onIncomingReset(streamIds: readonly number[], now: number): void;
}

interface RequestInFlight {
  request: OutgoingSsnResetRequest;
  /** The peer answered "In progress": retransmissions do not count as errors (§5.2.7). */
  inProgress: boolean;
}

interface DeferredRequest {
  seq: number;
  lastTsn: number;
  streams: readonly number[];
}

/** Streams in one request at most, to keep it well inside a packet. */
const MAX_STREAMS_PER_REQUEST = 256;

export class StreamReconfiguration {
  readonly #host: ReconfigurationHost;
  /** Our next Re-configuration Request Sequence Number (starts at our initial TSN, §5.1.1). */
  #requestSeq = 0;
  /** The peer's next one. */
  #peerRequestSeq = 0;
  readonly #pending = new Set<number>();
  #inFlight: RequestInFlight | undefined;
  /** The retransmission timer of the request in flight. */
  deadline: number | undefined;
  /** A peer's Incoming SSN Reset Request our next request answers (§5.2.3). */
  #answering: number | undefined;
  /** The response to the peer's latest request, sent again if the request comes again. */
  #lastResponse: ReconfigurationResponse | undefined;
  #deferred: DeferredRequest | undefined;

  constructor(host: ReconfigurationHost) {
    this.#host = host;
  }

  /** Both initial TSNs are known: the sequence numbers start there. */
  start(localInitialTsn: number, peerInitialTsn: number): void {
    this.#requestSeq = localInitialTsn;
    this.#peerRequestSeq = peerInitialTsn;
  }

  /** Resets outgoing streams after the messages queued on them so far (§5.1.2). */
  request(streamIds: readonly number[]): void {
    for (const id of streamIds) {
      this.#host.sendQueue.markReset(id);
      this.#pending.add(id);
    }
  }

  /** A RE-CONFIG with our next Outgoing SSN Reset Request, when one can go. */
  nextRequest(now: number): ReConfigChunk | undefined {
    if (this.#inFlight || this.#pending.size === 0) return undefined;
    const h = this.#host;
    if (!h.peerSupportsReconfig()) {
      const ids = [...this.#pending];
      this.#pending.clear();
      for (const id of ids) h.sendQueue.resetDone(id, false);
      h.onOutgoingReset(ids, false, now);
      return undefined;
    }
    // Only streams whose messages before the reset all have their TSNs: the request names
    // the last TSN assigned, and the peer waits for everything up to it.
    const ready: number[] = [];
    for (const id of this.#pending) {
      if (!h.sendQueue.readyForReset(id)) continue;
      ready.push(id);
      if (ready.length === MAX_STREAMS_PER_REQUEST) break;
    }
    if (ready.length === 0) return undefined;
    for (const id of ready) this.#pending.delete(id);
    const request = new OutgoingSsnResetRequest(
      this.#requestSeq,
      this.#answering ?? tsnAdd(this.#peerRequestSeq, -1),
      h.lastAssignedTsn(),
      ready,
    );
    this.#answering = undefined;
    this.#requestSeq = tsnAdd(this.#requestSeq, 1);
    this.#inFlight = { request, inProgress: false };
    this.deadline = now + h.rto();
    return new ReConfigChunk([request]);
  }

  /** The request in flight went unanswered for an RTO: it goes again. */
  onTimeout(now: number): void {
    this.deadline = undefined;
    const r = this.#inFlight;
    if (!r) return;
    if (!r.inProgress && this.#host.timedOut()) return;
    this.#host.send(new ReConfigChunk([r.request]));
    this.deadline = now + this.#host.rto();
  }

  /** A RE-CONFIG from the peer: requests and responses. */
  handle(chunk: ReConfigChunk, now: number): void {
    for (const p of chunk.params as RawTlv[]) {
      switch (p.type) {
        case ParameterType.OUTGOING_SSN_RESET_REQUEST: {
          const req = OutgoingSsnResetRequest.decode(p.value);
          if (req) this.#outgoingResetRequest(req, now);
          break;
        }
        case ParameterType.INCOMING_SSN_RESET_REQUEST: {
          const req = IncomingSsnResetRequest.decode(p.value);
          if (req && this.#isNew(req.requestSequenceNumber)) {
            // §5.2.3: our Outgoing SSN Reset Request is the answer.
            this.#lastResponse = new ReconfigurationResponse(
              req.requestSequenceNumber,
              ReconfigurationResult.SUCCESS_PERFORMED,
            );
            this.#answering = req.requestSequenceNumber;
            this.request(req.streams);
            this.#host.wake(now);
          }
          break;
        }
        case ParameterType.SSN_TSN_RESET_REQUEST: {
          const req = SsnTsnResetRequest.decode(p.value);
          if (req) this.#deny(req.requestSequenceNumber);
          break;
        }
        case ParameterType.ADD_OUTGOING_STREAMS_REQUEST:
        case ParameterType.ADD_INCOMING_STREAMS_REQUEST: {
          const req = AddStreamsRequest.decode(p.type, p.value);
          if (req) this.#deny(req.requestSequenceNumber);
          break;
        }
        case ParameterType.RECONFIGURATION_RESPONSE: {
          const res = ReconfigurationResponse.decode(p.value);
          if (res) this.#response(res, now);
          break;
        }
        default:
          if (unrecognizedParameterAction(p.type).stop) return;
      }
    }
  }

  /** After new data: a deferred reset is done once everything before it arrived (§5.2.2 E4). */
  checkDeferred(now: number): void {
    const d = this.#deferred;
    if (!d || !tsnLte(d.lastTsn, this.#host.cumulativeTsn())) return;
    this.#deferred = undefined;
    this.#perform(d.seq, d.streams, now);
  }

  /**
   * Whether a request is the next one expected (RFC 6525 §5.2.1); a retransmission of the
   * latest gets its response again, any other number an error.
   */
  #isNew(seq: number): boolean {
    if (seq === this.#peerRequestSeq) {
      this.#peerRequestSeq = tsnAdd(seq, 1);
      return true;
    }
    const last = this.#lastResponse;
    if (seq === tsnAdd(this.#peerRequestSeq, -1)) {
      if (last?.responseSequenceNumber === seq) this.#host.send(new ReConfigChunk([last]));
    } else {
      this.#host.send(
        new ReConfigChunk([
          new ReconfigurationResponse(seq, ReconfigurationResult.ERROR_BAD_SEQUENCE_NUMBER),
        ]),
      );
    }
    return false;
  }

  /** Answers the latest request (kept for its retransmissions). */
  #respond(seq: number, result: number): void {
    this.#lastResponse = new ReconfigurationResponse(seq, result);
    this.#host.send(new ReConfigChunk([this.#lastResponse]));
  }

  #deny(seq: number): void {
    if (this.#isNew(seq)) this.#respond(seq, ReconfigurationResult.DENIED);
  }

  /** The peer resets its outgoing streams, our incoming ones (§5.2.2). */
  #outgoingResetRequest(req: OutgoingSsnResetRequest, now: number): void {
    const seq = req.requestSequenceNumber;
    if (!this.#isNew(seq)) return;
    if (this.#deferred) {
      this.#respond(seq, ReconfigurationResult.ERROR_REQUEST_ALREADY_IN_PROGRESS);
      return;
    }
    if (tsnLt(this.#host.cumulativeTsn(), req.sendersLastAssignedTsn)) {
      // E2: data sent before the reset is still on its way; what comes after it waits.
      this.#deferred = { seq, lastTsn: req.sendersLastAssignedTsn, streams: req.streams };
      this.#host.reassembly.deferReset(req.sendersLastAssignedTsn, req.streams);
      this.#respond(seq, ReconfigurationResult.IN_PROGRESS);
      return;
    }
    this.#perform(seq, req.streams, now);
  }

  /**
   * E3: the streams restart at SSN 0. The response goes out at once, even after an "In
   * progress" (the request is still outstanding at the peer, so it takes it).
   */
  #perform(seq: number, streams: readonly number[], now: number): void {
    this.#host.reassembly.resetStreams(streams);
    this.#respond(seq, ReconfigurationResult.SUCCESS_PERFORMED);
    this.#host.onIncomingReset(streams, now);
  }

  /** The peer's answer to our request in flight (§5.2.7). */
  #response(res: ReconfigurationResponse, now: number): void {
    const r = this.#inFlight;
    if (!r || res.responseSequenceNumber !== r.request.requestSequenceNumber) return;
    const h = this.#host;
    if (res.result === ReconfigurationResult.IN_PROGRESS) {
      r.inProgress = true;
      this.deadline = now + h.rto();
      return;
    }
    this.#inFlight = undefined;
    this.deadline = undefined;
    h.answered();
    const ok =
      res.result === ReconfigurationResult.SUCCESS_PERFORMED ||
      res.result === ReconfigurationResult.SUCCESS_NOTHING_TO_DO;
    const streams = r.request.streams;
    for (const id of streams) h.sendQueue.resetDone(id, ok);
    h.onOutgoingReset(streams, ok, now);
    h.wake(now);
  }
}
