/**
 * STUN client transactions over UDP (RFC 8489 §6.2.1, §6.3), sans-IO. A request is sent
 * at once and retransmitted after RTO, 2·RTO, 4·RTO... until Rc requests have gone out;
 * the transaction times out Rm·RTO after the last one. With RTO = 500 ms: sends at 0, 500,
 * 1500, 3500, 7500, 15500, 31500 ms, timeout at 39500 ms.
 *
 * Each transaction carries a caller context (an ICE pair, a gathering job), so a response
 * finds its purpose without closures.
 */
import type { Timed } from '../net/timer.js';
import { ErrorCode } from './attributes.js';
import type { StunMessage } from './message.js';
import { messageMethod } from './message-type.js';

export interface TransactionOptions {
  /** Initial retransmission timeout in ms; 500 by default (RFC 8489 §6.2.1). */
  rto?: number;
  /** Requests sent in all, the first included; 7 by default. */
  rc?: number;
  /** The last request's wait, in multiples of the initial RTO; 16 by default. */
  rm?: number;
}

export interface TransactionCallbacks<C> {
  /** Sends (or resends) the request. */
  transmit(request: Buffer, context: C): void;
  /** No response came in time. Not called for cancelled transactions. */
  timeout(context: C, now: number): void;
}

export type TransactionResult<C> =
  | { kind: 'success'; context: C; response: StunMessage }
  | { kind: 'error'; context: C; response: StunMessage; code: number; reason: string }
  /** RFC 8489 §6.3.3, §6.3.4: unknown comprehension-required attributes, or an error response without ERROR-CODE. */
  | { kind: 'failure'; context: C; response: StunMessage; unknownAttributes: number[] };

interface Pending<C> {
  request: Buffer;
  method: number;
  context: C;
  rto: number;
  sent: number;
  at: number;
  cancelled: boolean;
}

export class ClientTransactions<C> implements Timed {
  readonly #pending = new Map<string, Pending<C>>();
  readonly #callbacks: TransactionCallbacks<C>;
  readonly #rto: number;
  readonly #rc: number;
  readonly #rm: number;

  constructor(callbacks: TransactionCallbacks<C>, options: TransactionOptions = {}) {
    this.#callbacks = callbacks;
    this.#rto = options.rto ?? 500;
    this.#rc = options.rc ?? 7;
    this.#rm = options.rm ?? 16;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Sends `request` now and keeps retransmitting it; `rto` overrides the initial RTO. */
  start(request: Buffer, context: C, now: number, rto = this.#rto): void {
    const pending: Pending<C> = {
      request,
      method: messageMethod(request.readUInt16BE(0)),
      context,
      rto,
      sent: 1,
      at: now + (this.#rc > 1 ? rto : this.#rm * rto),
      cancelled: false,
    };
    this.#pending.set(key(request.subarray(8, 20)), pending);
    this.#callbacks.transmit(request, context);
  }

  /** The context of the pending transaction with this id. */
  context(transactionId: Uint8Array): C | undefined {
    return this.#pending.get(key(transactionId))?.context;
  }

  /**
   * RFC 8445 §7.3.1.4 cancellation: no more retransmissions, and no timeout report, but
   * a response still arrives until the transaction would have timed out.
   */
  cancel(transactionId: Uint8Array): void {
    const pending = this.#pending.get(key(transactionId));
    if (!pending || pending.cancelled) return;
    pending.cancelled = true;
    pending.at += this.#remainingWait(pending);
  }

  /** Forgets a transaction: its response no longer matches. */
  remove(transactionId: Uint8Array): void {
    this.#pending.delete(key(transactionId));
  }

  clear(): void {
    this.#pending.clear();
  }

  /**
   * Matches a response to its request. `accept` may reject it (a failed integrity check):
   * then it is ignored as if never received and retransmissions go on (RFC 8489 §9.1.5).
   * Returns undefined for a response that answers no pending transaction.
   */
  handleResponse(
    response: StunMessage,
    accept?: (response: StunMessage, context: C) => boolean,
  ): TransactionResult<C> | undefined {
    if (response.messageClass !== 'success' && response.messageClass !== 'error') return undefined;
    const id = key(response.transactionId);
    const pending = this.#pending.get(id);
    if (!pending || pending.method !== response.method) return undefined;
    if (accept && !accept(response, pending.context)) return undefined;
    this.#pending.delete(id);
    const context = pending.context;
    const unknownAttributes = response.unknownComprehensionRequired();
    if (unknownAttributes.length > 0)
      return { kind: 'failure', context, response, unknownAttributes };
    if (response.messageClass === 'success') return { kind: 'success', context, response };
    const error = response.get(ErrorCode);
    if (!error) return { kind: 'failure', context, response, unknownAttributes };
    return { kind: 'error', context, response, code: error.code, reason: error.reason };
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const pending of this.#pending.values())
      if (next === undefined || pending.at < next) next = pending.at;
    return next;
  }

  handleTimeout(now: number): void {
    for (const [id, pending] of this.#pending) {
      if (pending.at > now) continue;
      if (pending.cancelled || pending.sent >= this.#rc) {
        this.#pending.delete(id);
        if (!pending.cancelled) this.#callbacks.timeout(pending.context, now);
        continue;
      }
      pending.sent++;
      // RFC 8489 §6.2.1: the interval doubles; after the Rc-th request, wait Rm·RTO.
      pending.at =
        pending.sent < this.#rc
          ? now + pending.rto * 2 ** (pending.sent - 1)
          : now + this.#rm * pending.rto;
      this.#callbacks.transmit(pending.request, pending.context);
    }
  }

  /** How long after its next deadline a transaction would have timed out. */
  #remainingWait(pending: Pending<C>): number {
    let wait = 0;
    for (let sent = pending.sent + 1; sent <= this.#rc; sent++)
      wait += sent < this.#rc ? pending.rto * 2 ** (sent - 1) : this.#rm * pending.rto;
    return wait;
  }
}

function key(transactionId: Uint8Array): string {
  return Buffer.from(transactionId.buffer, transactionId.byteOffset, transactionId.length).toString(
    'latin1',
  );
}
