/**
 * RTCDtlsTransport (W3C webrtc-pc "RTCDtlsTransport Interface"). The connection's
 * transport wiring owns the DTLS connection and reports its state changes here, each
 * in a queued task as the spec says.
 */
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import { RTCError, RTCErrorEvent } from './RTCError.js';
import type { RTCIceTransport } from './RTCIceTransport.js';

export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';

export interface RTCDtlsFingerprint {
  algorithm?: string;
  value?: string;
}

let slotsOf: (transport: RTCDtlsTransport) => DtlsTransportSlots;
const token = Symbol('RTCDtlsTransport');

interface DtlsTransportSlots {
  dtlsTransportState: RTCDtlsTransportState;
  /** DER certificates of the remote side's chain. */
  remoteCertificates: Buffer[];
}

export class RTCDtlsTransport extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onstatechange: EventHandler;
  declare onerror: EventHandler;

  readonly #iceTransport: RTCIceTransport;
  readonly #s: DtlsTransportSlots = { dtlsTransportState: 'new', remoteCertificates: [] };

  static {
    slotsOf = (transport) => transport.#s;
  }

  /** Not constructible by applications. */
  constructor(key: symbol, iceTransport: RTCIceTransport) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#iceTransport = iceTransport;
  }

  get iceTransport(): RTCIceTransport {
    return this.#iceTransport;
  }

  get state(): RTCDtlsTransportState {
    return this.#s.dtlsTransportState;
  }

  /** The remote certificate chain, DER encoded, each in a new ArrayBuffer. */
  getRemoteCertificates(): ArrayBuffer[] {
    return this.#s.remoteCertificates.map((der) => {
      const copy = new ArrayBuffer(der.length);
      new Uint8Array(copy).set(der);
      return copy;
    });
  }

  get [Symbol.toStringTag](): string {
    return 'RTCDtlsTransport';
  }
}

defineEventHandlers(RTCDtlsTransport, ['statechange', 'error']);

export function createDtlsTransport(iceTransport: RTCIceTransport): RTCDtlsTransport {
  return new RTCDtlsTransport(token, iceTransport);
}

/**
 * The steps run in a task when the DTLS transport changes state for a reason other than
 * an error. Returns false when the state did not change (no event then).
 */
export function updateDtlsState(
  transport: RTCDtlsTransport,
  newState: RTCDtlsTransportState,
  remoteCertificates?: Buffer[],
): boolean {
  const s = slotsOf(transport);
  if (s.dtlsTransportState === newState) return false;
  s.dtlsTransportState = newState;
  if (newState === 'connected' && remoteCertificates !== undefined) {
    s.remoteCertificates = remoteCertificates;
  }
  transport.dispatchEvent(new Event('statechange'));
  return true;
}

/**
 * The steps run in a task when the DTLS transport fails (fatal alert, fingerprint
 * mismatch): state 'failed', then `error` and `statechange`.
 */
export function failDtls(
  transport: RTCDtlsTransport,
  errorDetail: 'dtls-failure' | 'fingerprint-failure',
  message: string,
  alerts: { receivedAlert?: number; sentAlert?: number } = {},
): boolean {
  const s = slotsOf(transport);
  if (s.dtlsTransportState === 'failed') return false;
  s.dtlsTransportState = 'failed';
  const error = new RTCError({ errorDetail, ...alerts }, message);
  transport.dispatchEvent(new RTCErrorEvent('error', { error }));
  transport.dispatchEvent(new Event('statechange'));
  return true;
}

/** close(): the state becomes 'closed' and no event fires. */
export function closeDtlsSilently(transport: RTCDtlsTransport): void {
  slotsOf(transport).dtlsTransportState = 'closed';
}
