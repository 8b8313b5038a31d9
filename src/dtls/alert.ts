/** Alerts (RFC 5246 §7.2) and the error that carries one out of the handshake code. */
import { AlertDescription } from './constants.js';

/** Why a connection failed, in the terms RTCError uses (W3C webrtc-pc §RTCErrorDetailType). */
export type DtlsErrorDetail = 'dtls-failure' | 'fingerprint-failure';

/** The reason a connection ended in 'failed'. */
export interface DtlsFailure {
  errorDetail: DtlsErrorDetail;
  message: string;
  /** The fatal alert we sent, if any. */
  sentAlert?: number;
  /** The fatal alert the peer sent, if any. */
  receivedAlert?: number;
}

/**
 * Thrown inside the protocol code when the handshake must end with a fatal alert;
 * the connection catches it, sends the alert and fails. It never leaves the layer.
 */
export class AlertError extends Error {
  override readonly name = 'AlertError';
  constructor(
    readonly description: number,
    message: string,
    readonly errorDetail: DtlsErrorDetail = 'dtls-failure',
  ) {
    super(message);
  }
}

const names = new Map<number, string>(Object.entries(AlertDescription).map(([k, v]) => [v, k]));

/** The RFC name of an alert description, for messages. */
export function alertName(description: number): string {
  return names.get(description) ?? `alert ${description}`;
}
