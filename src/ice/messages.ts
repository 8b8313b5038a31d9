/** The STUN messages of ICE connectivity checks (RFC 8445 §7.1, §7.2.2, §7.3). */
import type { TransportAddress } from '../net/address.js';
import {
  errorResponse,
  IceControlled,
  IceControlling,
  Method,
  Priority,
  type StunMessage,
  StunWriter,
  successResponse,
  UseCandidate,
  Username,
  XorMappedAddress,
} from '../stun/index.js';

export interface CheckRequest {
  /** "remote ufrag:local ufrag" (§7.2.2). */
  username: string;
  /** The local candidate's priority with the peer-reflexive type preference (§7.1.1). */
  priority: number;
  controlling: boolean;
  tieBreaker: bigint;
  useCandidate: boolean;
  /** The peer's password as key. */
  key: Buffer;
}

export function checkRequest(r: CheckRequest): Buffer {
  const w = new StunWriter(Method.Binding, 'request')
    .add(Username, r.username)
    .add(Priority, r.priority)
    .add(r.controlling ? IceControlling : IceControlled, r.tieBreaker);
  if (r.useCandidate) w.add(UseCandidate, true);
  return w.addMessageIntegrity(r.key).addFingerprint().finish();
}

/** The success response: the source address as XOR-MAPPED-ADDRESS, signed with our password (§7.3). */
export function checkSuccess(request: StunMessage, source: TransportAddress, key: Buffer): Buffer {
  return successResponse(request)
    .add(XorMappedAddress, source)
    .addMessageIntegrity(key)
    .addFingerprint()
    .finish();
}

/**
 * An error response. Signed when the request was authenticated (`key`); 400 and 401 to
 * unauthenticated requests are not (RFC 8489 §9.1.3).
 */
export function checkError(request: StunMessage, code: number, key?: Buffer): Buffer {
  const w = errorResponse(request, code);
  if (key) w.addMessageIntegrity(key);
  return w.addFingerprint().finish();
}
