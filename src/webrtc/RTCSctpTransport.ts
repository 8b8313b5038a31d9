/**
 * RTCSctpTransport (W3C webrtc-pc "RTCSctpTransport Interface"): the state of the SCTP
 * association the data channels run over. The connection's transport wiring owns the
 * association and updates these slots.
 */
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import type { RTCDtlsTransport } from './RTCDtlsTransport.js';

export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';

/**
 * canSendSize of "update the data max message size": the size of a channel's local send
 * buffer. It bounds bufferedAmount ([[MaxBufferSize]]) and, when the peer sets no limit,
 * the message size; 16 MiB, as Chromium, lets bufferedAmount-paced senders keep a fast
 * path full while keeping memory bounded.
 */
export const canSendSize = 16 * 1024 * 1024;

interface SctpTransportSlots {
  transport: RTCDtlsTransport;
  sctpTransportState: RTCSctpTransportState;
  maxMessageSize: number | null;
  maxBufferSize: number | null;
  maxChannels: number | null;
}

let slotsOf: (transport: RTCSctpTransport) => SctpTransportSlots;
const token = Symbol('RTCSctpTransport');

export class RTCSctpTransport extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onstatechange: EventHandler;

  readonly #s: SctpTransportSlots;

  static {
    slotsOf = (transport) => transport.#s;
  }

  /** Not constructible by applications. */
  constructor(key: symbol, transport: RTCDtlsTransport, initialState: RTCSctpTransportState) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#s = {
      transport,
      sctpTransportState: initialState,
      maxMessageSize: null,
      maxBufferSize: null,
      maxChannels: null,
    };
  }

  get transport(): RTCDtlsTransport {
    return this.#s.transport;
  }

  get state(): RTCSctpTransportState {
    return this.#s.sctpTransportState;
  }

  get maxMessageSize(): number | null {
    return this.#s.maxMessageSize;
  }

  get maxChannels(): number | null {
    return this.#s.maxChannels;
  }

  get [Symbol.toStringTag](): string {
    return 'RTCSctpTransport';
  }
}

defineEventHandlers(RTCSctpTransport, ['statechange']);

/** "Create an RTCSctpTransport" with an initial state. */
export function createSctpTransport(
  transport: RTCDtlsTransport,
  initialState: RTCSctpTransportState,
): RTCSctpTransport {
  return new RTCSctpTransport(token, transport, initialState);
}

/**
 * "Update the data max message size", given the remote description's a=max-message-size
 * (undefined when absent: RFC 8841 §6 says 64 KiB then; 0 means no limit).
 */
export function updateMaxMessageSize(
  transport: RTCSctpTransport,
  remote: number | undefined,
): void {
  const s = slotsOf(transport);
  const remoteMaxMessageSize = remote ?? 65536;
  if (remoteMaxMessageSize === 0 && canSendSize === 0) {
    s.maxMessageSize = s.maxBufferSize = Number.POSITIVE_INFINITY;
  } else if (remoteMaxMessageSize === 0 || canSendSize === 0) {
    s.maxMessageSize = s.maxBufferSize = Math.max(remoteMaxMessageSize, canSendSize);
  } else {
    s.maxMessageSize = Math.min(remoteMaxMessageSize, canSendSize);
    s.maxBufferSize = Math.max(remoteMaxMessageSize, canSendSize);
  }
}

/** The DTLS transport the association runs over, which changes when an answer bundles it. */
export function setSctpDtlsTransport(transport: RTCSctpTransport, dtls: RTCDtlsTransport): void {
  slotsOf(transport).transport = dtls;
}

/** The connected procedure's first part: [[MaxChannels]] and the state (the event is the caller's). */
export function setSctpConnected(transport: RTCSctpTransport, maxChannels: number): void {
  const s = slotsOf(transport);
  s.maxChannels = maxChannels;
  s.sctpTransportState = 'connected';
}

/** [[MaxBufferSize]]. */
export function sctpMaxBufferSize(transport: RTCSctpTransport): number | null {
  return slotsOf(transport).maxBufferSize;
}

/** Sets [[SctpTransportState]]; returns whether it changed. */
export function setSctpState(transport: RTCSctpTransport, state: RTCSctpTransportState): boolean {
  const s = slotsOf(transport);
  if (s.sctpTransportState === state) return false;
  s.sctpTransportState = state;
  return true;
}
