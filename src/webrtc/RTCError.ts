/** RTCError and RTCErrorEvent (W3C webrtc-pc, "RTCError Interface"). */
import type { EventInit } from './event-handler.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEnum,
  toEventInit,
  toLong,
  toOptional,
  toRequired,
  toRequiredInterface,
  toUnsignedLong,
} from './webidl.js';

export type RTCErrorDetailType =
  | 'data-channel-failure'
  | 'dtls-failure'
  | 'fingerprint-failure'
  | 'sctp-failure'
  | 'sdp-syntax-error'
  | 'hardware-encoder-not-available'
  | 'hardware-encoder-error';

const detailTypes: readonly RTCErrorDetailType[] = [
  'data-channel-failure',
  'dtls-failure',
  'fingerprint-failure',
  'sctp-failure',
  'sdp-syntax-error',
  'hardware-encoder-not-available',
  'hardware-encoder-error',
];

export interface RTCErrorInit {
  errorDetail: RTCErrorDetailType;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
  receivedAlert?: number;
  sentAlert?: number;
}

export class RTCError extends DOMException {
  readonly #init: RTCErrorInit;

  constructor(init: RTCErrorInit, message: string = '') {
    requireArguments(arguments.length, 1, "Failed to construct 'RTCError'");
    // RTCErrorInit, its members in lexicographic order; then the message.
    const d = toDictionary(init, 'RTCErrorInit');
    const errorDetail = toRequired(
      d.errorDetail,
      (v) => toEnum(v, detailTypes, 'RTCErrorDetailType'),
      'errorDetail',
    );
    const receivedAlert = toOptional(d.receivedAlert, undefined, toUnsignedLong);
    const sctpCauseCode = toOptional(d.sctpCauseCode, undefined, toLong);
    const sdpLineNumber = toOptional(d.sdpLineNumber, undefined, toLong);
    const sentAlert = toOptional(d.sentAlert, undefined, toUnsignedLong);
    super(toDOMString(message), 'OperationError');
    this.#init = { errorDetail, sdpLineNumber, sctpCauseCode, receivedAlert, sentAlert };
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

export interface RTCErrorEventInit extends EventInit {
  error: RTCError;
}

export class RTCErrorEvent extends Event {
  readonly #error: RTCError;

  constructor(type: string, eventInitDict: RTCErrorEventInit) {
    requireArguments(arguments.length, 2, "Failed to construct 'RTCErrorEvent'");
    const d = toDictionary(eventInitDict, 'RTCErrorEventInit');
    const error = toRequiredInterface(d.error, RTCError, 'error');
    super(type, toEventInit(d));
    this.#error = error;
  }

  get error(): RTCError {
    return this.#error;
  }
}
