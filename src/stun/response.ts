/** Building responses to STUN requests (RFC 8489 §6.3.1), with the registered reason phrases. */
import { ErrorCode, UnknownAttributes } from './attributes.js';
import type { StunMessage } from './message.js';
import { StunWriter } from './writer.js';

/** Reason phrases of the IANA STUN error code registry (RFC 8489, 8656, 6062, 8445). */
export const ERROR_REASONS: Readonly<Record<number, string>> = {
  300: 'Try Alternate',
  400: 'Bad Request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  405: 'Mobility Forbidden',
  420: 'Unknown Attribute',
  437: 'Allocation Mismatch',
  438: 'Stale Nonce',
  440: 'Address Family not Supported',
  441: 'Wrong Credentials',
  442: 'Unsupported Transport Protocol',
  443: 'Peer Address Family Mismatch',
  446: 'Connection Already Exists',
  447: 'Connection Timeout or Failure',
  486: 'Allocation Quota Reached',
  487: 'Role Conflict',
  500: 'Server Error',
  508: 'Insufficient Capacity',
};

/** A success response to `request`: same method and transaction id. Add attributes, then finish. */
export function successResponse(request: StunMessage): StunWriter {
  return new StunWriter(request.method, 'success', request.transactionId);
}

/** An error response to `request` with ERROR-CODE `code`. */
export function errorResponse(
  request: StunMessage,
  code: number,
  reason = ERROR_REASONS[code] ?? '',
): StunWriter {
  return new StunWriter(request.method, 'error', request.transactionId).add(ErrorCode, {
    code,
    reason,
  });
}

/**
 * RFC 8489 §6.3.1.1: the 420 response for a request with unknown comprehension-required
 * attributes, or undefined when it has none. Indications with them are simply dropped.
 */
export function unknownAttributesResponse(request: StunMessage): StunWriter | undefined {
  const unknown = request.unknownComprehensionRequired();
  if (unknown.length === 0) return undefined;
  return errorResponse(request, 420).add(UnknownAttributes, unknown);
}
