import type { EventInit } from './event-handler.js';
/** RTCError and RTCErrorEvent (W3C webrtc-pc, "RTCError Interface"). */

export type RTCErrorDetailType =
  | 'data-channel-failure'
  | 'dtls-failure'
  | 'fingerprint-failure'
  | 'sctp-failure'
  | 'sdp-syntax-error'
  | 'hardware-encoder-not-available'
  | 'hardware-encoder-error';

const detailTypes: ReadonlySet<string> = new Set<RTCErrorDetailType>([
  'data-channel-failure',
  'dtls-failure',
  'fingerprint-failure',
  'sctp-failure',
  'sdp-syntax-error',
  'hardware-encoder-not-available',
  'hardware-encoder-error',
]);

export interface RTCErrorInit {
  errorDetail: RTCErrorDetailType;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
  receivedAlert?: number;
  sentAlert?: number;
}

export class RTCError extends DOMException {
  readonly #init: RTCErrorInit;

  constructor(init: RTCErrorInit, message = '') {
    if (init === null || typeof init !== 'object') {
      throw new TypeError("Failed to construct 'RTCError': 2nd argument is not an object");
    }
    if (!detailTypes.has(String(init.errorDetail))) {
      throw new TypeError(
        `Failed to construct 'RTCError': '${init.errorDetail}' is not a valid RTCErrorDetailType`,
      );
    }
    super(String(message), 'OperationError');
    this.#init = {
      errorDetail: init.errorDetail,
      sdpLineNumber: optionalLong(init.sdpLineNumber),
      sctpCauseCode: optionalLong(init.sctpCauseCode),
      receivedAlert: optionalUnsignedLong(init.receivedAlert),
      sentAlert: optionalUnsignedLong(init.sentAlert),
    };
  }

  get errorDetail(): RTCErrorDetailType {
    return this.#init.errorDetail;
  }
  get sdpLineNumber(): number | null {
    return this.#init.sdpLineNumber ?? null;
  }
  get sctpCauseCode(): number | null {
    return this.#init.sctpCauseCode ?? null;
  }
  get receivedAlert(): number | null {
    return this.#init.receivedAlert ?? null;
  }
  get sentAlert(): number | null {
    return this.#init.sentAlert ?? null;
  }
}

/** WebIDL `long` conversion for an optional dictionary member. */
function optionalLong(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? n | 0 : 0;
}

/** WebIDL `unsigned long` conversion for an optional dictionary member. */
function optionalUnsignedLong(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? n >>> 0 : 0;
}

export interface RTCErrorEventInit extends EventInit {
  error: RTCError;
}

export class RTCErrorEvent extends Event {
  readonly #error: RTCError;

  constructor(type: string, eventInitDict: RTCErrorEventInit) {
    if (arguments.length < 2) {
      throw new TypeError(
        "Failed to construct 'RTCErrorEvent': 2 arguments required, but only 1 present.",
      );
    }
    if (!(eventInitDict?.error instanceof RTCError)) {
      throw new TypeError(
        "Failed to construct 'RTCErrorEvent': required member error is not an RTCError.",
      );
    }
    super(type, eventInitDict);
    this.#error = eventInitDict.error;
  }

  get error(): RTCError {
    return this.#error;
  }
}
